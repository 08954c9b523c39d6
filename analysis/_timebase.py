"""Timebase: split a recording at its gaps and resample each continuous piece to a uniform grid.

Resample on the timestamps, never the nominal rate; gaps split bouts. The device-index/host-clock
regression is the recorder's and the importers' job (``sensors.clock``); here the
timestamps are taken as true and each segment is linearly interpolated onto ``t0 + k/fs``.

Gaps: a gap longer than ``max_bridged_gap_s`` ends one segment and starts the next. A SHORT gap (lost
BLE frames: Movesense at 5 % frame loss drops 6-8 samples about every second) stays inside its segment
so that bouts and step detection carry across it; the grid is filled across it by linear interpolation
only so that the filters can run, and ``Segment.gaps`` lists where, so that every per-step measurement
whose window touches a gap is NaN (``overlaps_gap``): nothing is measured from filled samples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from runform.sensors.recording import Recording, find_gaps, timestamp_rate_hz


#: timestamps within this fraction of a sample period of the uniform grid are taken as uniform
UNIFORM_TOLERANCE = 1e-3


@dataclass
class Segment:
    """One continuous, uniformly sampled piece of a recording (acc in g, gyro in deg/s)."""

    t0: float
    fs: float
    acc: np.ndarray
    gyro: np.ndarray | None
    #: short gaps bridged inside the segment: (m, 2) fractional grid indices of the last sample before
    #: and the first sample after each gap; the grid samples strictly between are filled, not measured
    gaps: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))

    @property
    def n(self) -> int:
        return int(self.acc.shape[0])

    @property
    def time(self) -> np.ndarray:
        return self.t0 + np.arange(self.n) / self.fs

    def observed(self, step: int = 1) -> np.ndarray:
        """True for grid samples measured (not filled across a bridged gap), of every ``step``-th sample."""
        ok = np.ones(-(-self.n // step), bool)
        if self.gaps.shape[0]:
            i = np.arange(0, self.n, step)
            j = np.searchsorted(self.gaps[:, 0], i, side="left") - 1  # last gap starting before i
            inside = (j >= 0) & (i < self.gaps[np.maximum(j, 0), 1])
            ok[inside] = False
        return ok


def overlaps_gap(gaps: np.ndarray, start: np.ndarray, end: np.ndarray, margin: float) -> np.ndarray:
    """True where the interval [start, end] (fractional sample indices, any NaN -> False) comes within
    ``margin`` samples of a bridged gap's filled stretch (``Segment.gaps``, sorted)."""
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    if gaps.shape[0] == 0 or start.size == 0:
        return np.zeros(start.shape, bool)
    lo, hi = np.minimum(start, end), np.maximum(start, end)
    j = np.searchsorted(gaps[:, 1] + margin, np.nan_to_num(lo, nan=np.inf), side="right")  # first gap ending after lo
    jj = np.minimum(j, gaps.shape[0] - 1)
    hit = (j < gaps.shape[0]) & (gaps[jj, 0] - margin < hi)
    return hit & np.isfinite(lo) & np.isfinite(hi)


def sample_rate(time: np.ndarray, nominal_rate_hz: float | None = None, steps: np.ndarray | None = None) -> float:
    """The grid rate: the timestamps' rate (``sensors.recording.timestamp_rate_hz``, the one
    definition); the nominal rate only when the timestamps cannot give one. ``steps``: ``np.diff(time)``."""
    return timestamp_rate_hz(time, steps) or float(nominal_rate_hz or 0.0)


def split_segments(rec: Recording, min_segment_s: float, max_bridged_gap_s: float = 0.0) -> list[Segment]:
    """Continuous segments between gaps longer than ``max_bridged_gap_s``, each resampled to a uniform
    grid at the timestamp rate; shorter gaps are bridged and listed in ``Segment.gaps``."""
    t = rec.time
    if t.size < 2:
        return []
    dt = np.diff(t)  # once, for the rate and both gap searches
    fs = sample_rate(t, rec.meta.nominal_rate_hz, dt)
    gaps = list(rec.meta.gaps) or find_gaps(t, rec.meta.nominal_rate_hz, steps=dt)
    gaps += find_gaps(t, fs, steps=dt)  # also any hole the metadata does not list
    ends = np.array([g.end_s for g in gaps])
    ia = np.clip(np.searchsorted(t, ends, side="left"), 1, t.size - 1)  # first sample after each gap
    long = (t[ia] - t[ia - 1]) > max_bridged_gap_s
    cut = np.unique(ia[long])
    bounds = np.concatenate([[0], cut, [t.size]])
    short = np.unique(ia[~long]) if ends.size else np.empty(0, int)
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        ts = t[a:b]
        if ts.size < 2 or ts[-1] - ts[0] < min_segment_s:
            continue
        grid = _grid(ts[0], int(np.floor((ts[-1] - ts[0]) * fs + 1e-6)) + 1, fs)
        if grid.size == ts.size and _max_distance(grid, ts) <= UNIFORM_TOLERANCE / fs:
            acc = rec.acc[a:b]  # already uniform: nothing to resample
            gyro = None if rec.gyro is None else rec.gyro[a:b]
        else:
            acc = _interp_columns(grid, ts, rec.acc[a:b])
            gyro = None if rec.gyro is None else _interp_columns(grid, ts, rec.gyro[a:b])
        inner = short[(short > a) & (short < b)]
        gap_idx = np.column_stack([t[inner - 1] - ts[0], t[inner] - ts[0]]) * fs if inner.size else np.empty((0, 2))
        out.append(Segment(float(ts[0]), fs, acc, gyro, gap_idx))
    return out


def _grid(t0: float, n: int, fs: float) -> np.ndarray:
    """``t0 + np.arange(n) / fs`` (s), the same values made in place in one array."""
    grid = np.arange(n, dtype=float)
    grid /= fs
    grid += t0
    return grid


def _max_distance(grid: np.ndarray, t: np.ndarray) -> float:
    """max |grid - t| with one temporary (the grid is needed again only when it is not uniform)."""
    d = grid - t
    np.abs(d, out=d)
    return float(d.max())


def _interp_columns(grid: np.ndarray, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.interp(grid, t, x[:, j]) for j in range(x.shape[1])])
