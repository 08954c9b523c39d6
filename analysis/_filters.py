"""Zero-phase Butterworth filters and band-limited upsampling on uniformly sampled arrays (axis 0).

The Butterworth design, ``sosfiltfilt`` and ``resample_poly`` are runform's own (``_dsp``, equal to SciPy's):
importing ``scipy.signal`` loads all of its submodules (and scipy.stats, scipy.interpolate, ...), ~0.75 s of
CPU that a cold ``runform analyze`` paid on its first filter (benchmarks/RESULTS.md)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import _dsp

#: never put a low-pass corner above this fraction of the sampling rate
MAX_CORNER_FRAC = 0.45
#: ``lowpass`` pads each end with this many samples per (2 × second-order sections + 1)
DEFAULT_PADLEN_PER_SECTION = 30
#: the gravity frame (``_orientation.gravity_direction``) is computed on block means at no less than this
#: rate (Hz): >= 200x the corners of its low-passes (<= 0.25 Hz), >= 10x the step frequency its gyro path
#: follows. 20 Hz was slightly faster but moved the sacral trials' median cadence error from 0.12 to
#: 0.15 spm (benchmarks/accuracy.py); 50 Hz leaves every row as it was
BLOCK_RATE_HZ = 50.0


def lowpass(x: np.ndarray, fs: float, fc: float, order: int = 2, padlen: int | None = None) -> np.ndarray:
    """Zero-phase Butterworth low-pass (``sosfiltfilt``) along axis 0; corner capped below Nyquist.

    ``padlen``: samples of odd extension at each end (default ``DEFAULT_PADLEN_PER_SECTION`` × sections)."""
    sos = _butter_sos(order, float(f"{min(fc, MAX_CORNER_FRAC * fs):.9g}"), float(f"{fs:.9g}"))
    pad = DEFAULT_PADLEN_PER_SECTION * (2 * len(sos) + 1) if padlen is None else padlen
    return _dsp.sosfiltfilt(sos, x, padlen=min(x.shape[0] - 1, pad))


@lru_cache(maxsize=64)
def _butter_sos(order: int, fc: float, fs: float) -> np.ndarray:
    """Butterworth design, cached: the live analyzer filters a short window many times a second and the
    design cost more than the filtering (fc, fs rounded to 9 significant digits for the cache key)."""
    return _dsp.butter_lowpass_sos(order, fc, fs)


def block_factor(fs: float, rate_hz: float = BLOCK_RATE_HZ) -> int:
    """Block length (samples) that brings ``fs`` down to no less than ``rate_hz``; 1 = no decimation."""
    return max(1, int(fs // rate_hz))


def block_means(x: np.ndarray, d: int) -> np.ndarray:
    """Means of consecutive blocks of ``d`` samples along axis 0 (a trailing partial block is dropped).

    Summed as d strided slices: 4x faster than ``reshape(m, d, ...).mean(axis=1)`` for small d. An (n, k)
    input is summed column by column (in a (k, m) array, returned as its (m, k) transpose): each sum then
    runs along the m blocks instead of once per k-element row, about half the instructions; the same sums."""
    m = x.shape[0] // d
    xt = x[: m * d].T
    total = xt[..., 0::d].copy()
    for k in range(1, d):
        total += xt[..., k::d]
    total /= d
    return total.T


def from_block_means(y: np.ndarray, d: int, n: int, start: int = 0) -> np.ndarray:
    """Linear interpolation of block-mean-rate samples ``y`` back to full-rate samples [start, n) (block
    centres at ``(d - 1) / 2 + i d``; held constant before the first and from the last centre on).

    The centres are a regular grid, so each full-rate sample is ``slope × t + y[j]`` with one of ``d`` offsets
    ``t`` from its block centre: the arithmetic of ``np.interp`` (the same values, tests/analysis/
    test_stages_in_pieces.py) without its binary search, on long strided vectors (one per offset and column).
    Only the blocks around [start, n) are read, so a piece of a long recording costs O(piece). Instructions
    for 720 000 × 3 samples (d = 4): 72 × 10⁶ fewer than ``np.interp`` per column (callgrind)."""
    first, last = centre_span(d, y.shape[0])
    if first <= start < n <= last:  # all between centres (a piece of a long recording): the grid's own slice
        return _between_centres(y, d, start, n)
    out = np.empty((max(0, n - start), *y.shape[1:]))
    if start < first:
        out[: max(0, min(first, n) - start)] = y[0]
    if n > last:
        out[max(last, start) - start :] = y[-1]
    lo, hi = max(start, first), min(n, last)
    if hi > lo:
        out[lo - start : hi - start] = _between_centres(y, d, lo, hi)
    return out


def centre_span(d: int, m: int) -> tuple[int, int]:
    """(the first full-rate sample at or after the first of ``m`` block centres of ``d`` samples, the first
    at or after the last): the samples between them lie on the regular interpolation grid."""
    first = d // 2
    return first, first + (m - 1) * d


def centre_offsets(d: int) -> np.ndarray:
    """Offset (in samples) of each of the ``d`` full-rate samples of an interval from its left block centre."""
    return np.arange(d) + (d // 2 - 0.5 * (d - 1))


def interval_lines(y: np.ndarray, j0: int, j1: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(value, slope per sample) of the straight lines from block centre j to j + 1 of ``y`` (along axis 0),
    for j in [j0, j1): a sample at offset t is slope × t + value."""
    base = y[j0:j1]
    return base, (y[j0 + 1 : j1 + 1] - base) / d


def _between_centres(y: np.ndarray, d: int, lo: int, hi: int) -> np.ndarray:
    """``from_block_means`` for samples [lo, hi) between the first and the last block centre (a view of the
    interpolation grid: no copy)."""
    first = d // 2
    j0, j1 = (lo - first) // d, (hi - 1 - first) // d + 1  # the intervals between centres that [lo, hi) meets
    t = centre_offsets(d)
    base, slope = interval_lines(y, j0, j1, d)
    grid = np.empty((j1 - j0, d, *y.shape[1:]))
    columns = [()] if y.ndim == 1 else [(c,) for c in range(y.shape[1])]
    for k in range(d):
        for c in columns:
            o = grid[(slice(None), k) + c]
            np.multiply(slope[(slice(None),) + c], t[k], out=o)
            o += base[(slice(None),) + c]
    skip = lo - (first + j0 * d)
    return grid.reshape((-1, *y.shape[1:]))[skip : skip + hi - lo]


def upsample(x: np.ndarray, factor: int) -> np.ndarray:
    """Band-limited upsampling by an integer factor (``resample_poly``, ``_dsp.upsample_poly``); identity for
    factor 1.

    The output has ``(n - 1) * factor + 1`` samples so that sample ``i * factor`` is input sample ``i``."""
    if factor <= 1:
        return x
    y = _dsp.upsample_poly(x, factor)
    return y[: (x.shape[0] - 1) * factor + 1]


def upsample_factor(fs: float, target_hz: float) -> int:
    return max(1, int(np.ceil(target_hz / fs - 1e-9)))
