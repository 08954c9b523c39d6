"""Does a track from another clock (a phone's or watch's GPX, TCX or FIT) line up with the recording?

The track's speed (or, without one, its cadence) is high while running and low while walking or
standing; runform's bouts say when the runner ran. Both are put on a 1 s grid over the recording and
correlated (Pearson) at each offset within ``SEARCH_S`` of the one used (track time + offset =
recording time). The best offset is suggested only when it is clearly better: ``MIN_SHIFT_S`` away
and ``MIN_GAIN`` more correlation, with the best correlation at least ``MIN_BEST_R``. A recording that
runs (or walks) throughout has no change to line up with, and then the check says so instead of
guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import side_channels as _side

#: offsets searched either side of the one used (s)
SEARCH_S = 600
#: the grid step (s)
GRID_S = 1.0
#: a suggested offset is at least this far from the one used (s) ...
MIN_SHIFT_S = 5.0
#: ... correlates at least this much better ...
MIN_GAIN = 0.1
#: ... and at least this well
MIN_BEST_R = 0.5
#: the grid points both must cover at an offset for it to count (s of overlap)
MIN_OVERLAP_S = 120.0


@dataclass(frozen=True)
class Alignment:
    """The check's result: ``used_offset_s`` and its correlation ``used_r``, the best offset found and its
    ``best_r`` (None when it cannot be checked, ``reason`` then says why), and ``signal`` ("speed",
    "cadence")."""

    used_offset_s: float
    used_r: float | None
    best_offset_s: float | None
    best_r: float | None
    signal: str | None
    reason: str | None = None

    @property
    def suggests_other_offset(self) -> bool:
        if self.best_offset_s is None or self.best_r is None:
            return False
        gain = self.best_r - (self.used_r if self.used_r is not None else 0.0)
        return (abs(self.best_offset_s - self.used_offset_s) >= MIN_SHIFT_S and gain >= MIN_GAIN
                and self.best_r >= MIN_BEST_R)


def _on_grid(times_s: np.ndarray, values: np.ndarray, grid: np.ndarray, max_gap_s: float) -> np.ndarray:
    """The finite samples at ``grid`` (``side_channels.at``), NaN outside the track's first to last sample."""
    ok = np.isfinite(times_s) & np.isfinite(values)
    t, v = times_s[ok], values[ok]
    if t.size < 2:
        return np.full(grid.size, np.nan)
    out = _side.at(_side.Channel(t, v, "track", max_gap_s), grid)
    return np.where((grid >= t[0]) & (grid <= t[-1]), out, np.nan)


def _pearson(a: np.ndarray, b: np.ndarray) -> float | None:
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() * GRID_S < MIN_OVERLAP_S:
        return None
    x, y = a[ok], b[ok]
    if x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def check(times_s, values, signal: str, bouts, duration_s: float, used_offset_s: float,
          max_gap_s: float = _side.TRACK_MAX_GAP_S, search_s: float = SEARCH_S) -> Alignment:
    """Correlate the track's ``values`` (at ``times_s``: seconds from the recording's start *before* any
    offset) with running (1) / not running (0) from ``bouts`` (objects with ``kind``, ``start_s``,
    ``end_s``) over ``duration_s``, at offsets ``used_offset_s`` ± ``search_s`` in ``GRID_S`` steps."""
    times_s, values = np.asarray(times_s, float), np.asarray(values, float)
    grid = np.arange(0.0, max(duration_s, 0.0), GRID_S)
    running = np.zeros(grid.size)
    for b in bouts:
        if b.kind == "run":
            running[(grid >= b.start_s) & (grid < b.end_s)] = 1.0
    if grid.size == 0 or running.min() == running.max():
        what = "runs" if grid.size and running[0] else "does not run"
        return Alignment(used_offset_s, None, None, None, signal,
                         f"the recording {what} throughout, so there is no run/walk change to line the track up with")
    used = round(used_offset_s / GRID_S) * GRID_S
    offsets = used + np.arange(-search_s, search_s + GRID_S / 2, GRID_S)
    # the track once on a wide grid; an offset o reads it at grid - o
    wide = np.arange(grid[0] - offsets.max(), grid[-1] - offsets.min() + GRID_S / 2, GRID_S)
    track = _on_grid(times_s, values, wide, max_gap_s)
    scores = np.full(offsets.size, np.nan)
    for k, o in enumerate(offsets):
        start = int(round((grid[0] - o - wide[0]) / GRID_S))
        r = _pearson(running, track[start:start + grid.size])
        scores[k] = np.nan if r is None else r
    used_r = scores[np.argmin(np.abs(offsets - used_offset_s))]
    if not np.isfinite(scores).any():
        return Alignment(used_offset_s, None, None, None, signal,
                         f"the track's {signal} does not overlap the recording enough to compare")
    best = int(np.nanargmax(scores))
    return Alignment(used_offset_s, None if not np.isfinite(used_r) else float(used_r), float(offsets[best]),
                     float(scores[best]), signal)
