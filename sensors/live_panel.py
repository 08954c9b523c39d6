"""A live terminal panel while recording: progress, not log spam.

On a terminal, a few lines are redrawn in place by ``rich.live.Live`` and laid out to the terminal's
width (``rich.columns.Columns``: on 80 columns the fields wrap onto more lines instead of one long
line scrolling the screen); cues are printed above it and stay. Otherwise (a pipe, a file, a test) a
plain line is printed every ``PLAIN_EVERY_S`` seconds, without control codes. Shows elapsed time,
samples, achieved rate, loss %, battery and heart rate when the strap offers them. Extra live
metrics (cadence, bounce, ...) plug in through ``add_metric(fn)``: ``fn()`` returns ``{label: text}``
and is called at each redraw.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable, TextIO

from rich.columns import Columns
from rich.console import Console, Group
from rich.live import Live
from rich.text import Text

from runform.sensors.text import printable

#: seconds between redraws on a TTY, and between plain lines otherwise
TTY_EVERY_S = 0.25
PLAIN_EVERY_S = 10.0
#: the terminal bell (a cue with ``--bell``): rich strips control characters, so it is written as is
BELL = "\a"


@dataclass
class LinkStatus:
    """What the link knows right now (filled by ``sensors.ble_link``)."""

    device: str = ""
    state: str = "connecting"  # connecting, streaming, reconnecting, stopped
    elapsed_s: float = 0.0  # recording time of the newest sample
    samples: int = 0
    lost_samples: int = 0
    bad_frames: int = 0
    reconnects: int = 0
    battery_pct: int | None = None
    heart_rate_bpm: int | None = None
    #: the newest running speed a footpod reported (BLE RSC, m/s) and its recording time (s); the live
    #: analysis turns it into pace, step length and vertical ratio
    speed_m_s: float | None = None
    speed_time_s: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rate_hz(self) -> float | None:
        return self.samples / self.elapsed_s if self.elapsed_s > 0 else None

    @property
    def loss_pct(self) -> float:
        total = self.samples + self.lost_samples
        return 100.0 * self.lost_samples / total if total else 0.0


def status_fields(st: LinkStatus, extra: dict[str, str] | None = None) -> list[str]:
    """The panel's fields in order, e.g. ``["Polar H10", "streaming", "00:12:04", "144812 samples",
    "199.9 Hz", "loss 0.4 %", ..., "cadence 172 spm"]``; nothing the strap does not offer."""
    m, s = divmod(int(st.elapsed_s), 60)
    h, m = divmod(m, 60)
    parts = [printable(st.device) if st.device else "strap", st.state, f"{h:02d}:{m:02d}:{s:02d}", f"{st.samples} samples"]
    parts.append(f"{st.rate_hz:.1f} Hz" if st.rate_hz else "-- Hz")
    parts.append(f"loss {st.loss_pct:.1f} %")
    if st.bad_frames:
        parts.append(f"{st.bad_frames} bad frames")
    if st.reconnects:
        parts.append(f"{st.reconnects} reconnects")
    if st.battery_pct is not None:
        parts.append(f"battery {st.battery_pct} %")
    if st.heart_rate_bpm is not None:
        parts.append(f"HR {st.heart_rate_bpm} bpm")
    for k, v in (extra or {}).items():
        parts.append(f"{k} {printable(str(v))}")
    return parts


def format_status(st: LinkStatus, extra: dict[str, str] | None = None) -> str:
    """One line, e.g. ``Polar H10 | streaming | 00:12:04 | 144812 samples | 199.9 Hz | loss 0.4 % | ...``."""
    return " | ".join(status_fields(st, extra))


def render_status(st: LinkStatus, extra: dict[str, str] | None = None) -> Group:
    """The terminal panel: the strap, state and clock on the first line, then the figures in columns
    that fit the terminal's width, and the current cue on a line of its own."""
    fields = status_fields(st, {k: v for k, v in (extra or {}).items() if k != "CUE"})
    head = Text("  ".join(fields[:3]), style="bold", overflow="fold")
    lines = [head, Columns([Text(f, no_wrap=True) for f in fields[3:]], padding=(0, 3))]
    cue = (extra or {}).get("CUE")
    if cue:
        lines.append(Text(f"cue: {printable(str(cue))}", style="bold yellow", overflow="fold"))
    return Group(*lines)


class LivePanel:
    """Renders ``LinkStatus`` to a stream; call ``update(status)`` as often as you like.

    ``tty``: redraw in place (default: whether ``stream`` is a terminal); ``width``: the terminal's
    columns (default: asked from the terminal)."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None, width: int | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.every_s = TTY_EVERY_S if self.tty else PLAIN_EVERY_S
        self._metrics: list[Callable[[], dict[str, str]]] = []
        self._last = float("-inf")
        self._status: LinkStatus | None = None
        self._live: Live | None = None
        self.console = Console(file=self.stream, force_terminal=self.tty, width=width, highlight=False) if self.tty else None

    def add_metric(self, fn: Callable[[], dict[str, str]]) -> None:
        """Add a live metric source (e.g. cadence/bounce from ``analysis.LiveAnalyzer``)."""
        self._metrics.append(fn)

    def _extra(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for fn in self._metrics:
            out.update(fn())
        return out

    def update(self, status: LinkStatus, force: bool = False) -> None:
        self._status = status
        now = time.monotonic()
        if not force and now - self._last < self.every_s:
            return
        self._last = now
        if self.tty:
            self._redraw(render_status(status, self._extra()))
        else:
            self.stream.write(format_status(status, self._extra()) + "\n")
            self.stream.flush()

    def _redraw(self, panel: Group) -> None:
        if self._live is None:  # no refresh thread: it is redrawn only here, between our own prints
            self._live = Live(panel, console=self.console, auto_refresh=False, transient=False,
                              redirect_stdout=False, redirect_stderr=False)
            self._live.start()
        self._live.update(panel, refresh=True)

    def say(self, text: str) -> None:
        """Print ``text`` on a line of its own above the redrawn panel (e.g. a live cue); a leading
        ``BELL`` rings the terminal bell."""
        if not self.tty:
            self.stream.write(text + "\n")
            self.stream.flush()
            return
        if text.startswith(BELL):
            self.stream.write(BELL)
            text = text[len(BELL):]
        self.console.print(Text(text, overflow="fold"))

    def close(self, status: LinkStatus | None = None) -> None:
        """Draw the final state (the last one seen unless given) and leave it on the screen."""
        status = status or self._status
        if status is not None:
            self.update(status, force=True)
        if self._live is not None:
            self._live.stop()
            self._live = None
