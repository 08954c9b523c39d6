"""Timebase: split a recording at its gaps and resample each continuous piece to a uniform grid.

Source: algorithms.md §2.1/§2.7/§9.1 (resample on the timestamps, never the nominal rate; gaps split
bouts). Deviation: the device-index/host-clock regression of §2.7 is the importer's job; here the
timestamps are taken as true and each segment is linearly interpolated onto ``t0 + k/fs``. Nothing is
ever interpolated across a gap: a gap ends one segment and starts the next.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sensors.recording import Recording, find_gaps


#: timestamps within this fraction of a sample period of the uniform grid are taken as uniform
UNIFORM_TOLERANCE = 1e-3


@dataclass
class Segment:
    """One continuous, uniformly sampled piece of a recording (acc in g, gyro in deg/s)."""

    t0: float
    fs: float
    acc: np.ndarray
    gyro: np.ndarray | None

    @property
    def n(self) -> int:
        return int(self.acc.shape[0])

    @property
    def time(self) -> np.ndarray:
        return self.t0 + np.arange(self.n) / self.fs


def sample_rate(time: np.ndarray, nominal_rate_hz: float | None) -> float:
    """Rate of the uniform grid: the median timestamp step (robust to gaps and jitter).

    The nominal rate is used only when the timestamps cannot give one."""
    dt = np.diff(time)
    dt = dt[dt > 0]
    if dt.size:
        return float(1.0 / np.median(dt))
    return float(nominal_rate_hz or 0.0)


def split_segments(rec: Recording, min_segment_s: float) -> list[Segment]:
    """Continuous segments between gaps, each resampled to a uniform grid at the median rate."""
    t = rec.time
    if t.size < 2:
        return []
    fs = sample_rate(t, rec.meta.nominal_rate_hz)
    gaps = list(rec.meta.gaps) or find_gaps(t, rec.meta.nominal_rate_hz)
    gaps += find_gaps(t, fs)  # also any hole the metadata does not list
    cut = np.unique(np.searchsorted(t, [g.end_s for g in gaps], side="left"))
    cut = cut[(cut > 0) & (cut < t.size)]
    bounds = np.concatenate([[0], cut, [t.size]])
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        ts = t[a:b]
        if ts.size < 2 or ts[-1] - ts[0] < min_segment_s:
            continue
        grid = ts[0] + np.arange(int(np.floor((ts[-1] - ts[0]) * fs)) + 1) / fs
        if grid.size == ts.size and np.max(np.abs(grid - ts)) <= UNIFORM_TOLERANCE / fs:
            acc = rec.acc[a:b]  # already uniform: nothing to resample
            gyro = None if rec.gyro is None else rec.gyro[a:b]
        else:
            acc = _interp_columns(grid, ts, rec.acc[a:b])
            gyro = None if rec.gyro is None else _interp_columns(grid, ts, rec.gyro[a:b])
        out.append(Segment(float(ts[0]), fs, acc, gyro))
    return out


def _interp_columns(grid: np.ndarray, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.interp(grid, t, x[:, j]) for j in range(x.shape[1])])
