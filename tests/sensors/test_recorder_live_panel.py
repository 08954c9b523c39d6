"""Live panel: one redrawn line on a TTY, plain periodic lines otherwise, extra metrics hook."""

from __future__ import annotations

import io

from runform.sensors.live_panel import ERASE_LINE, LinkStatus, LivePanel, format_status


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


def test_tty_redraws_one_line_in_place():
    out = io.StringIO()
    panel = LivePanel(out, tty=True)
    panel.update(status(samples=1), force=True)
    panel.update(status(samples=2), force=True)
    panel.close()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r" + ERASE_LINE) >= 2


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
