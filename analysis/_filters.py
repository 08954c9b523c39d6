"""Zero-phase Butterworth filters and band-limited upsampling on uniformly sampled arrays (axis 0)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import signal

#: never put a low-pass corner above this fraction of the sampling rate
MAX_CORNER_FRAC = 0.45


def lowpass(x: np.ndarray, fs: float, fc: float, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass (``sosfiltfilt``) along axis 0; corner capped below Nyquist."""
    sos = _butter_sos(order, float(f"{min(fc, MAX_CORNER_FRAC * fs):.9g}"), float(f"{fs:.9g}"))
    return signal.sosfiltfilt(sos, x, axis=0, padlen=min(x.shape[0] - 1, 3 * (2 * len(sos) + 1) * 10))


@lru_cache(maxsize=64)
def _butter_sos(order: int, fc: float, fs: float) -> np.ndarray:
    """Butterworth design, cached: the live analyzer filters a short window many times a second and the
    design cost more than the filtering (fc, fs rounded to 9 significant digits for the cache key)."""
    return signal.butter(order, fc, btype="low", fs=fs, output="sos")


def upsample(x: np.ndarray, factor: int) -> np.ndarray:
    """Band-limited upsampling by an integer factor (``resample_poly``); identity for factor 1.

    The output has ``(n - 1) * factor + 1`` samples so that sample ``i * factor`` is input sample ``i``."""
    if factor <= 1:
        return x
    y = signal.resample_poly(x, factor, 1, axis=0, padtype="line")
    return y[: (x.shape[0] - 1) * factor + 1]


def upsample_factor(fs: float, target_hz: float) -> int:
    return max(1, int(np.ceil(target_hz / fs - 1e-9)))
