"""A live terminal panel while recording: progress, not log spam.

On a TTY one line is redrawn in place (``\\r`` + ANSI erase-line); otherwise a plain line is printed
every ``PLAIN_EVERY_S`` seconds. Shows elapsed time, samples, achieved rate, loss %, battery and heart
rate when the strap offers them. Extra live metrics (cadence, bounce, ...) plug in through
``add_metric(fn)``: ``fn()`` returns ``{label: text}`` and is called at each redraw.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable, TextIO

from runform.sensors.text import printable

#: seconds between redraws on a TTY, and between plain lines otherwise
TTY_EVERY_S = 0.25
PLAIN_EVERY_S = 10.0
ERASE_LINE = "\x1b[2K"


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
    extra: dict = field(default_factory=dict)

    @property
    def rate_hz(self) -> float | None:
        return self.samples / self.elapsed_s if self.elapsed_s > 0 else None

    @property
    def loss_pct(self) -> float:
        total = self.samples + self.lost_samples
        return 100.0 * self.lost_samples / total if total else 0.0


def format_status(st: LinkStatus, extra: dict[str, str] | None = None) -> str:
    """One line, e.g. ``Polar H10 | streaming | 00:12:04 | 144812 samples | 199.9 Hz | loss 0.4 % | ...``."""
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
        parts.append(f"{k} {v}")
    return " | ".join(parts)


class LivePanel:
    """Renders ``LinkStatus`` to a stream; call ``update(status)`` as often as you like."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.every_s = TTY_EVERY_S if self.tty else PLAIN_EVERY_S
        self._metrics: list[Callable[[], dict[str, str]]] = []
        self._last = float("-inf")
        self._drawn = False
        self._status: LinkStatus | None = None

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
        line = format_status(status, self._extra())
        if self.tty:
            self.stream.write("\r" + ERASE_LINE + line)
            self._drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def say(self, text: str) -> None:
        """Print ``text`` on a line of its own above the redrawn panel line (e.g. a live cue)."""
        self.stream.write(("\r" + ERASE_LINE if self.tty else "") + text + "\n")
        self.stream.flush()
        self._drawn = False

    def close(self, status: LinkStatus | None = None) -> None:
        """Draw the final state (the last one seen unless given) and end the line."""
        status = status or self._status
        if status is not None:
            self.update(status, force=True)
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
