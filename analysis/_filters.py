"""Zero-phase Butterworth filters and band-limited upsampling on uniformly sampled arrays (axis 0).

``scipy.signal`` is imported inside the functions that use it: importing it loads all of its
submodules (and scipy.stats, scipy.interpolate, ...), ~0.5 s of CPU that ``import analysis`` (and every
``runform`` command that never filters) would otherwise pay at start-up."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

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
    from scipy.signal import sosfiltfilt

    sos = _butter_sos(order, float(f"{min(fc, MAX_CORNER_FRAC * fs):.9g}"), float(f"{fs:.9g}"))
    pad = DEFAULT_PADLEN_PER_SECTION * (2 * len(sos) + 1) if padlen is None else padlen
    return sosfiltfilt(sos, x, axis=0, padlen=min(x.shape[0] - 1, pad))


@lru_cache(maxsize=64)
def _butter_sos(order: int, fc: float, fs: float) -> np.ndarray:
    """Butterworth design, cached: the live analyzer filters a short window many times a second and the
    design cost more than the filtering (fc, fs rounded to 9 significant digits for the cache key)."""
    from scipy.signal import butter

    return butter(order, fc, btype="low", fs=fs, output="sos")


def block_factor(fs: float, rate_hz: float = BLOCK_RATE_HZ) -> int:
    """Block length (samples) that brings ``fs`` down to no less than ``rate_hz``; 1 = no decimation."""
    return max(1, int(fs // rate_hz))


def block_means(x: np.ndarray, d: int) -> np.ndarray:
    """Means of consecutive blocks of ``d`` samples along axis 0 (a trailing partial block is dropped).

    Summed as d strided slices: 4x faster than ``reshape(m, d, ...).mean(axis=1)`` for small d."""
    m = x.shape[0] // d
    total = x[0 : m * d : d].copy()
    for k in range(1, d):
        total += x[k : m * d : d]
    return total / d


def from_block_means(y: np.ndarray, d: int, n: int, start: int = 0) -> np.ndarray:
    """Linear interpolation of block-mean-rate samples ``y`` back to full-rate samples [start, n) (block
    centres at ``(d - 1) / 2 + i d``; held constant beyond the first and last centre).

    ``np.interp`` per column: 3x faster than broadcasting over (blocks, d) (6 against 18 ms for 1 h of
    200 Hz (n, 3) data). Only the blocks whose centres bracket [start, n) are handed to it (the same values):
    ``np.interp`` copies a strided column whole, so slices of a long recording cost O(recording) each
    (a 4 h trace in pieces took 16x the 1 h time)."""
    m = y.shape[0]
    half = 0.5 * (d - 1)
    k0 = min(max(0, int(np.floor((start - half) / d))), m - 1)
    k1 = min(m, max(k0 + 1, int(np.ceil((n - 1 - half) / d)) + 1))
    y = y[k0:k1]
    centres = np.arange(k0, k1) * d + half
    i = np.arange(start, n, dtype=float)
    if y.ndim == 1:
        return np.interp(i, centres, y)
    out = np.empty((i.size, *y.shape[1:]))
    for j in range(y.shape[1]):
        out[:, j] = np.interp(i, centres, y[:, j])
    return out


def upsample(x: np.ndarray, factor: int) -> np.ndarray:
    """Band-limited upsampling by an integer factor (``resample_poly``); identity for factor 1.

    The output has ``(n - 1) * factor + 1`` samples so that sample ``i * factor`` is input sample ``i``."""
    if factor <= 1:
        return x
    from scipy.signal import resample_poly

    y = resample_poly(x, factor, 1, axis=0, padtype="line")
    return y[: (x.shape[0] - 1) * factor + 1]


def upsample_factor(fs: float, target_hz: float) -> int:
    return max(1, int(np.ceil(target_hz / fs - 1e-9)))
