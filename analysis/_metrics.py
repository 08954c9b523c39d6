"""Per-step metrics on (K × N) cycle and window matrices (no Python loop over steps).

* Vertical oscillation / lateral sway: per-cycle double integration with periodic boundary conditions
  (algorithms.md §3.2(b); Zijlstra & Hof 2003 per-step integration with the cycle forced periodic, as in
  the survey's Appendix A). Cycles are cut at sub-sample mid-stance peaks (the range over one period
  does not depend on where it starts, §3.1) and resampled onto N points by linear interpolation of the
  band-limited-upsampled signal.
* Trunk rotation: range of the heading angle over each stride after removing the linear trend between
  its ends (periodicity; removes gyro bias × stride time), §5.1.
* Impact: peak vertical specific force in stance and the maximum rise slope from strike to that peak
  (§6.1). Exploratory at the trunk (Kiernan, Ng & Hawkins 2023; §6.2): use within-person.
"""

from __future__ import annotations

import numpy as np

G = 9.80665


def cycle_matrix(x: np.ndarray, b0: np.ndarray, b1: np.ndarray, n: int) -> np.ndarray:
    """Rows of ``x`` resampled on ``n`` points from fractional index b0[k] to b1[k]: (K, n)."""
    u = np.linspace(0.0, 1.0, n)
    idx = np.clip(b0[:, None] + (b1 - b0)[:, None] * u[None, :], 0, x.shape[0] - 1)
    i0 = np.minimum(idx.astype(np.int64), x.shape[0] - 2)
    f = idx - i0
    return x[i0] * (1.0 - f) + x[i0 + 1] * f  # linear interpolation, O(K n) whatever len(x)


def _cumtrapz_rows(y: np.ndarray, dt: np.ndarray) -> np.ndarray:
    return np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(0.5 * (y[:, 1:] + y[:, :-1]), axis=1)], axis=1) * dt


def periodic_displacement(acc: np.ndarray, period_s: np.ndarray) -> np.ndarray:
    """Displacement (same length unit as acc·s²) over cycles, (K, N) -> (K, N), forced periodic.

    v = ∫a; v -= linear drift so v(T) = v(0); v -= mean v; z = ∫v; z -= linear drift so z(T) = z(0)."""
    k, n = acc.shape
    u = np.linspace(0.0, 1.0, n)[None, :]
    dt = (period_s / (n - 1))[:, None]
    v = _cumtrapz_rows(acc, dt)
    v = v - v[:, -1:] * u
    v = v - (0.5 * (v[:, 1:] + v[:, :-1])).mean(axis=1, keepdims=True)
    z = _cumtrapz_rows(v, dt)
    z = z - z[:, -1:] * u
    return z


def detrended_range(y: np.ndarray) -> np.ndarray:
    """max − min of each row after removing the straight line through its end points."""
    u = np.linspace(0.0, 1.0, y.shape[1])[None, :]
    d = y - y[:, :1] - (y[:, -1:] - y[:, :1]) * u
    return d.max(axis=1) - d.min(axis=1)


def window_max(x: np.ndarray, start: np.ndarray, end: np.ndarray, width: int):
    """Max of ``x`` over [start, end] (fractional indices) per row, and its index; NaN where undefined.

    ``width`` bounds the window length in samples (the matrix is K × width)."""
    ok = np.isfinite(start) & np.isfinite(end) & (end > start)
    s = np.floor(np.nan_to_num(start)).astype(int)
    e = np.nan_to_num(end)
    idx = s[:, None] + np.arange(width)[None, :]
    valid = (idx <= e[:, None]) & (idx >= start[:, None] - 1e-9) & (idx < x.shape[0]) & ok[:, None]
    m = np.where(valid, x[np.clip(idx, 0, x.shape[0] - 1)], -np.inf)
    j = np.argmax(m, axis=1)
    peak = m[np.arange(m.shape[0]), j]
    has = np.isfinite(peak)
    return np.where(has, peak, np.nan), np.where(has, s + j, -1)


def max_slope(x: np.ndarray, fs: float, start: np.ndarray, end_idx: np.ndarray, width: int) -> np.ndarray:
    """Maximum first difference (units of x per s) from ``start`` to ``end_idx`` per row."""
    dx = np.diff(x, append=x[-1]) * fs
    slope, _ = window_max(dx, start, np.where(end_idx >= 0, end_idx - 1.0, np.nan), width)
    return slope
