"""Live panel: redrawn in place on a terminal and fitted to its width, plain periodic lines
otherwise, extra metrics hook."""

from __future__ import annotations

import io
import re

import pytest

from runform.sensors.live_panel import BELL, LinkStatus, LivePanel, format_status


def status(**kw):
    base = dict(device="Polar H10 1", state="streaming", elapsed_s=3725.0, samples=745000, lost_samples=255,
                battery_pct=80, heart_rate_bpm=151)
    base.update(kw)
    return LinkStatus(**base)


def test_format_shows_progress_rate_loss_battery_and_heart_rate():
    line = format_status(status(), {"cadence": "172 spm"})
    assert line.startswith("Polar H10 1 | streaming | 01:02:05 | 745000 samples | 200.0 Hz")
    assert "loss 0.0 %" in line and "battery 80 %" in line and "HR 151 bpm" in line
    assert line.endswith("cadence 172 spm")
    assert "loss 25.0 %" in format_status(status(samples=750, lost_samples=250))


def test_without_heart_rate_or_battery_nothing_is_invented():
    line = format_status(status(battery_pct=None, heart_rate_bpm=None))
    assert "battery" not in line and "HR" not in line


CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _screen_lines(text: str) -> list[str]:
    """The lines drawn, control sequences removed (an erase-line starts a line being redrawn)."""
    return [CSI.sub("", line).replace("\r", "") for line in text.replace("\x1b[2K", "\n").split("\n")]


METRICS = {"now": "run", "cadence": "147 spm", "bounce": "11.5 cm", "ground contact": "262 ms", "impact": "2.49 g",
           "CUE": "bouncing: 11 cm, slow steps: 148 spm — shorter, quicker steps"}


@pytest.mark.parametrize("width", [80, 60, 140])
def test_tty_panel_fits_the_terminal_and_is_redrawn_in_place(width):
    """The whole status with live metrics and a cue was one 220-character line that scrolled an
    80-column terminal; now every line fits, and each redraw moves the cursor back up over it."""
    out = io.StringIO()
    panel = LivePanel(out, tty=True, width=width)
    panel.add_metric(lambda: METRICS)
    for k in range(5):
        panel.update(status(samples=745000 + k), force=True)
    panel.close()
    text = out.getvalue()
    shown = _screen_lines(text)
    assert max(len(line) for line in shown) <= width
    joined = " ".join(shown)
    for field in ("Polar H10 1", "200.0 Hz", "battery 80 %", "HR 151 bpm", "cadence 147 spm", "impact 2.49 g",
                  "quicker steps"):
        assert field in joined
    last_frame = text[text.rindex("\x1b[2K") + len("\x1b[2K"):]
    frame_lines = len([line for line in _screen_lines(last_frame) if line.strip()])
    assert frame_lines >= 3 if width <= 80 else frame_lines >= 2  # wrapped, not one long line
    assert text.count("\x1b[1A") >= 4 * (frame_lines - 1)  # each redraw moves back up over the panel
    assert text.count("Polar H10 1") >= 5  # every update drawn (close draws the last state again)


def test_a_cue_is_printed_above_the_panel_and_rings_the_bell():
    out = io.StringIO()
    panel = LivePanel(out, tty=True, width=80)
    panel.update(status(), force=True)
    panel.say(BELL + "[   13.2 s] bouncing: 11 cm [not markup]")
    panel.close()
    text = out.getvalue()
    assert BELL in text and "[   13.2 s] bouncing: 11 cm [not markup]" in text


def test_plain_output_prints_lines_not_control_codes_and_uses_extra_metrics():
    out = io.StringIO()
    panel = LivePanel(out, tty=False)
    panel.add_metric(lambda: {"bounce": "9.8 cm"})
    panel.update(status())
    panel.update(status())  # within the plain interval: not printed again
    panel.close(status(state="stopped"))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert lines[0].endswith("bounce 9.8 cm") and " stopped " in lines[1]
