"""Per-step metrics on (K × N) cycle and window matrices (no Python loop over steps).

* Vertical oscillation / lateral sway: per-cycle double integration with periodic boundary conditions
  (Zijlstra & Hof 2003, per-step integration with the cycle forced periodic). Cycles are cut at sub-sample mid-stance peaks (the range over one period
  does not depend on where it starts) and resampled onto N points by linear interpolation of the
  band-limited-upsampled signal.
* Trunk rotation: range of the heading angle over each stride after removing the linear trend between
  its ends (periodicity; removes gyro bias × stride time).
* Impact: peak vertical specific force in stance and the maximum rise slope from strike to that peak
  (Kiernan, Ng & Hawkins 2023). Exploratory at the trunk: use within-person.
* Impact transient: the residual above the spring-mass pulse in the first ~60 ms after foot strike (the
  residual above the bounce component in the first 50–80 ms after initial contact). Deviation: the bounce component
  is a half-sine ``S sin(π (t − IC)/t_c)`` on the measured strike and contact, its amplitude S fitted by
  least squares over the rest of stance (the sine-wave model of Morin et al. 2005 that the contact
  inversion assumes), not a low-passed copy (an 8 Hz low-pass rounds the pulse's corner at the strike
  and leaves a residual of its own there).

References
----------
.. [1] Zijlstra W, Hof AL (2003). Assessment of spatio-temporal gait parameters from trunk accelerations
   during human walking. Gait & Posture 18(2):1–10.
.. [2] Morin JB, Dalleau G, Kyröläinen H, Jeannin T, Belli A (2005). A simple method for measuring
   stiffness during running. Journal of Applied Biomechanics 21(2):167–180.
.. [3] Kiernan D, Ng B, Hawkins DA (2023). Acceleration-based estimation of vertical ground reaction
   forces during running. Sensors 23(21):8719. doi:10.3390/s23218719
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ._filters import lowpass, upsample_factor
from ._upsampled import Upsampled


#: rows per block when a (steps × points) matrix is built or reduced block by block. A block of 512 × 128
#: float64 is 0.5 MB, so its few temporaries stay in a 1 MiB L2 cache instead of streaming whole 11 MB
#: matrices (an hour of running: 10 600 steps × 128 points) through memory several times: ``cycle_matrix``
#: took half the time (callgrind and CPU time: benchmarks/RESULTS.md, "Speed"). Each row is computed on
#: its own, so results do not depend on the block size.
ROWS_PER_BLOCK = 512


def row_blocks(k: int, rows: int | None = None) -> list[slice]:
    """Slices of ``rows`` (default ``ROWS_PER_BLOCK``) consecutive rows covering ``k`` rows."""
    rows = rows or ROWS_PER_BLOCK
    return [slice(a, min(k, a + rows)) for a in range(0, k, rows)]


def cycle_matrix(x: np.ndarray, b0: np.ndarray, b1: np.ndarray, n: int, origin: int = 0) -> np.ndarray:
    """Rows of ``x`` resampled on ``n`` points from fractional index b0[k] to b1[k]: (K, n).

    Linear interpolation ``x[i] (1 − f) + x[i + 1] f``, built ``ROWS_PER_BLOCK`` rows at a time in place;
    O(K n) whatever len(x). ``origin``: ``x`` is a span of a longer signal starting at its sample ``origin``
    (b0, b1 index the longer signal and must lie in the span, unless it reaches that end): the points are
    placed in the longer signal's indices and shifted by the whole number ``origin`` (exact), so the rows
    equal those taken from the whole signal bit for bit."""
    # np.take copies a non-contiguous source whole on every call (a caller may pass a strided view):
    # once here, not once per block (that was O(len(x)) per block: 7 us per row at 4 h against 0.8)
    x = np.ascontiguousarray(x, dtype=float)
    frac = np.linspace(0.0, 1.0, n)
    out = np.empty((b0.shape[0], n))
    last = x.shape[0] - 1
    after = x[1:]  # after[i] is x[i + 1]: no (K, n) index array for i + 1
    for rows in row_blocks(b0.shape[0]):
        f = np.multiply((b1[rows] - b0[rows])[:, None], frac[None, :])
        f += b0[rows, None]
        np.clip(f, origin, origin + last, out=f)
        if origin:
            f -= origin
        i0 = f.astype(np.int64)
        np.minimum(i0, last - 1, out=i0)
        f -= i0  # the fraction past x[i0]
        o = out[rows]
        np.take(x, i0, out=o, mode="clip")  # i0 is in range already; "clip" skips the buffered bounds check
        o *= 1.0 - f
        nxt = np.take(after, i0, mode="clip")
        nxt *= f
        o += nxt
    return out


def fold_rows(block: np.ndarray, running: np.ndarray | None) -> np.ndarray:
    """``block.sum(axis=0)`` continued from ``running``, the sum of the rows of earlier blocks (``block``'s
    first row is overwritten). NumPy sums axis 0 row by row in order, so the total over blocks equals one
    sum over all rows, bit for bit."""
    if running is not None:
        block[0] += running
    return block.sum(axis=0)


def _cumtrapz_rows(y: np.ndarray) -> np.ndarray:
    """Cumulative trapezoidal sums along each row (unit spacing), first column 0: S_k − (y_0 + y_k) / 2
    with S the running sum (no concatenation, one pass of ``cumsum``)."""
    out = np.cumsum(y, axis=1)
    out -= 0.5 * y
    out -= 0.5 * y[:, :1]
    return out


def periodic_displacement(acc: np.ndarray, period_s: np.ndarray) -> np.ndarray:
    """Displacement (same length unit as acc·s²) over cycles, (K, N) -> (K, N), forced periodic.

    v = ∫a; v -= linear drift so v(T) = v(0); v -= mean v; z = ∫v; z -= linear drift so z(T) = z(0).
    Trapezoidal integrals on the N points, on unit spacing, scaled by dt² at the end (every step is
    linear)."""
    k, n = acc.shape
    frac = np.linspace(0.0, 1.0, n)[None, :]
    dt = np.asarray(period_s, dtype=float) / (n - 1)
    v = _cumtrapz_rows(acc)
    v -= v[:, -1:] * frac
    v -= (v.sum(axis=1, keepdims=True) - 0.5 * (v[:, :1] + v[:, -1:])) / (n - 1)  # trapezoidal mean
    z = _cumtrapz_rows(v)
    z -= z[:, -1:] * frac
    z *= (dt * dt)[:, None]
    return z


def detrended_range(y: np.ndarray) -> np.ndarray:
    """max − min of each row after removing the straight line through its end points."""
    frac = np.linspace(0.0, 1.0, y.shape[1])[None, :]
    d = y - y[:, :1] - (y[:, -1:] - y[:, :1]) * frac
    return d.max(axis=1) - d.min(axis=1)


@lru_cache(maxsize=8)
def displacement_operator(n: int) -> np.ndarray:
    """The (n, n) matrix L with ``periodic_displacement(a, T) = (a @ L) (T / (n − 1))²`` for a cycle ``a``
    on ``n`` points: every step of the periodic double integration is linear in ``a``, so the whole of it
    is one matrix product (BLAS) instead of two running sums and four passes per cycle. Built from
    ``periodic_displacement`` itself, on the unit rows (one definition); read-only. The product sums in
    another order: values agree with the step-by-step integration to ~1e-12 (relative)."""
    op = periodic_displacement(np.eye(n), np.full(n, n - 1.0))
    op.flags.writeable = False
    return op


def cycle_displacement_range(acc: np.ndarray, b0: np.ndarray, b1: np.ndarray, n: int,
                             period_s: np.ndarray, offset: float = 0.0, origin: int = 0) -> np.ndarray:
    """Peak-to-peak (units of acc·s²) of the ``periodic_displacement`` of each cycle of ``acc - offset``
    from fractional index b0[k] to b1[k] (``period_s`` long), on ``n`` points: ``displacement_operator``
    applied block by block, so that no (K, n) matrix is ever whole (and, with ``offset``, no shifted copy
    of ``acc`` either: the offset is taken off each block's cycles). ``origin``: as in ``cycle_matrix``."""
    op = displacement_operator(n)
    out = np.empty(b0.shape[0])
    for rows in row_blocks(b0.shape[0]):
        cyc = cycle_matrix(acc, b0[rows], b1[rows], n, origin)
        if offset:
            cyc -= offset
        z = cyc @ op
        out[rows] = z.max(axis=1) - z.min(axis=1)
    dt = np.asarray(period_s, dtype=float) / (n - 1)
    return out * (dt * dt)


def cycle_detrended_range(y: np.ndarray, b0: np.ndarray, b1: np.ndarray, n: int) -> np.ndarray:
    """``detrended_range`` of each cycle of ``y`` from fractional index b0[k] to b1[k] on ``n`` points,
    block by block."""
    out = np.empty(b0.shape[0])
    for rows in row_blocks(b0.shape[0]):
        out[rows] = detrended_range(cycle_matrix(y, b0[rows], b1[rows], n))
    return out


def window_max(x: np.ndarray, start: np.ndarray, end: np.ndarray, width: int, origin: int = 0):
    """Max of ``x`` over [start, end] (fractional indices) per row, and its index; NaN where undefined.

    ``width`` bounds the window length in samples; each block of ``ROWS_PER_BLOCK`` rows is a matrix only as
    wide as its own longest window needs (one long window in a long bout would otherwise widen every
    block: a 4 h bout's longest stance made its 47-sample median windows 88 wide, a 1 h bout's 54).
    ``origin``: ``x`` is the span of a longer signal from its sample ``origin`` (as in ``cycle_matrix``);
    indices in and out are the longer signal's."""
    peak, at = np.empty(start.shape[0]), np.empty(start.shape[0], dtype=np.int64)
    for rows in row_blocks(start.shape[0]):
        peak[rows], at[rows] = _window_max_rows(x, start[rows], end[rows], _block_width(start[rows], end[rows], width),
                                                origin)
    return peak, at


def _block_width(start: np.ndarray, end: np.ndarray, width: int) -> int:
    """Columns enough for every window [start, end] of a block (at most ceil(end − start) + 1 samples fall
    in one), and no more than ``width``: the same maxima as ``width`` columns."""
    span = end - start
    span = span[np.isfinite(span) & (span > 0)]
    return min(width, int(np.ceil(span.max())) + 2) if span.size else 1


def _window_max_rows(x: np.ndarray, start: np.ndarray, end: np.ndarray, width: int, origin: int):
    ok = np.isfinite(start) & np.isfinite(end) & (end > start)
    s = np.floor(np.nan_to_num(start)).astype(int)
    e = np.nan_to_num(end)
    idx = s[:, None] + np.arange(width)[None, :]
    valid = (idx <= e[:, None]) & (idx >= start[:, None] - 1e-9) & (idx < origin + x.shape[0]) & ok[:, None]
    m = np.where(valid, x[np.clip(idx - origin, 0, x.shape[0] - 1)], -np.inf)
    j = np.argmax(m, axis=1)
    peak = m[np.arange(m.shape[0]), j]
    has = np.isfinite(peak)
    return np.where(has, peak, np.nan), np.where(has, s + j, -1)


def max_slope(x: np.ndarray, fs: float, start: np.ndarray, end_idx: np.ndarray, width: int,
              origin: int = 0) -> np.ndarray:
    """Maximum first difference (units of x per s) from ``start`` to ``end_idx`` per row.

    Only the stretch of ``x`` that the windows cover is differentiated (``x`` may be a whole session, or
    its span from sample ``origin`` as in ``cycle_matrix``)."""
    end = np.where(end_idx >= 0, end_idx - 1.0, np.nan)
    ok = np.isfinite(start) & np.isfinite(end) & (end > start)
    if not ok.any():
        return np.full(start.shape[0], np.nan)
    lo = max(0, int(np.floor(np.min(start[ok]))))
    part = x[lo - origin : min(origin + x.shape[0], int(np.ceil(np.max(end[ok]))) + 3) - origin]
    dx = np.diff(part, append=part[-1]) * fs
    slope, _ = window_max(dx, start - lo, end - lo, width)
    return slope


def impact_transient(x: np.ndarray, start: np.ndarray, end: np.ndarray, window: float, fit_from: float,
                     n: int, origin: int = 0) -> np.ndarray:
    """Peak of ``x`` above a fitted half-sine in the first ``window`` samples after ``start``, per row.

    ``start``/``end``: foot strike and toe-off (fractional indices of ``x``); the half-sine spans them and
    its amplitude is fitted by least squares on [start + ``fit_from``, end] (after the transient has
    decayed; stance resampled on ``n`` points); ``window``, ``fit_from``: lengths in samples. The residual
    is taken on the samples of ``x`` in the window, its maximum refined by a parabola through the largest
    sample and its neighbours. Units of x; NaN where the stance is undefined or shorter than ``fit_from``.
    ``origin``: ``x`` is the span of a longer signal from its sample ``origin`` (as in ``cycle_matrix``)."""
    ok = np.isfinite(start) & np.isfinite(end) & (end - start > fit_from)
    out = np.full(start.shape[0], np.nan)
    if not ok.any():
        return out
    s, e = start[ok], end[ok]
    found = np.empty(s.shape[0])
    for rows in row_blocks(s.shape[0]):
        found[rows] = _transient_rows(x, s[rows], e[rows], window, fit_from, n, origin)
    out[ok] = found
    return out


def _transient_rows(x: np.ndarray, s: np.ndarray, e: np.ndarray, window: float, fit_from: float, n: int,
                    origin: int) -> np.ndarray:
    """``impact_transient`` of rows whose stance is defined and long enough."""
    frac = np.linspace(0.0, 1.0, n)[None, :]
    basis = np.sin(np.pi * frac)
    fit = frac * (e - s)[:, None] >= fit_from
    m = cycle_matrix(x, s, e, n, origin)
    amp = (m * basis * fit).sum(axis=1) / np.maximum((basis * basis * fit).sum(axis=1), 1e-12)
    # residual on the samples from just before the strike to one past the window (parabola neighbours)
    j = np.floor(s).astype(np.int64)[:, None] + np.arange(int(np.ceil(window)) + 3)[None, :]
    phase = j - s[:, None]
    model = amp[:, None] * np.sin(np.pi * np.clip(phase / (e - s)[:, None], 0.0, 1.0))
    resid = x[np.clip(j - origin, 0, x.shape[0] - 1)] - model
    inside = (phase >= 0) & (phase <= window) & (j < origin + x.shape[0])
    top = np.argmax(np.where(inside, resid, -np.inf), axis=1)
    rows = np.arange(top.shape[0])
    y0, y1, y2 = resid[rows, np.maximum(top - 1, 0)], resid[rows, top], resid[rows, top + 1]
    den = y0 - 2.0 * y1 + y2
    shift = np.where(den < -1e-12, np.clip(0.5 * (y0 - y2) / np.where(den < -1e-12, den, -1.0), -0.5, 0.5), 0.0)
    return y1 - 0.25 * (y0 - y2) * shift


def bout_impact_transient(sf: np.ndarray, fs: float, lo: int, hi: int, strike_s: np.ndarray, toe_off_s: np.ndarray,
                          preset) -> np.ndarray:
    """Heel-strike transient (g) per step of one running bout: ``impact_transient`` on the vertical specific
    force ``sf`` (g) low-passed at ``preset.transient_lowpass_hz`` (transients are 10-30 Hz) over the
    bout's samples [lo, hi), band-limited upsampled to ``preset.metric_rate_hz``.

    ``strike_s``/``toe_off_s``: s from the segment start. NaN for every step when fs is below
    ``preset.transient_min_rate_hz``: a 10-30 Hz transient needs fs ≥ 100 Hz; never guessed."""
    return steps_impact_transient(transient_signal(sf, fs, lo, hi, preset), fs, lo, strike_s, toe_off_s, preset)


def transient_signal(sf: np.ndarray, fs: float, lo: int, hi: int, preset) -> Upsampled | None:
    """The bout's samples [lo, hi) of ``sf`` low-passed for ``bout_impact_transient``, upsampled span by span
    on request; None below ``preset.transient_min_rate_hz``."""
    if fs < preset.transient_min_rate_hz:
        return None
    return Upsampled(lowpass(sf[lo:hi], fs, preset.transient_lowpass_hz), upsample_factor(fs, preset.metric_rate_hz))


def steps_impact_transient(signal: Upsampled | None, fs: float, lo: int, strike_s: np.ndarray, toe_off_s: np.ndarray,
                           preset) -> np.ndarray:
    """``bout_impact_transient`` of some of a bout's steps (``signal``: its ``transient_signal``): only the
    span of the upsampled signal that their stances cover is made."""
    if signal is None:
        return np.full(strike_s.shape[0], np.nan)
    fs_up = fs * signal.factor
    start, end = (strike_s * fs - lo) * signal.factor, (toe_off_s * fs - lo) * signal.factor
    window = preset.transient_window_s * fs_up
    ok = np.isfinite(start) & np.isfinite(end)
    if not ok.any():
        return np.full(strike_s.shape[0], np.nan)
    # the residual reads up to ceil(window) + 3 samples after each strike (parabola neighbours included)
    x, origin = signal.span(np.min(start[ok]), max(np.max(end[ok]), np.max(start[ok]) + window + 3))
    return impact_transient(x, start, end, window, preset.transient_fit_from_s * fs_up, preset.cycle_points, origin)
