"""Zero-phase Butterworth filters and band-limited upsampling on uniformly sampled arrays (axis 0)."""

from __future__ import annotations

import numpy as np
from scipy import signal

#: never put a low-pass corner above this fraction of the sampling rate
MAX_CORNER_FRAC = 0.45


def lowpass(x: np.ndarray, fs: float, fc: float, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass (``sosfiltfilt``) along axis 0; corner capped below Nyquist."""
    fc = min(fc, MAX_CORNER_FRAC * fs)
    sos = signal.butter(order, fc, btype="low", fs=fs, output="sos")
    return signal.sosfiltfilt(sos, x, axis=0, padlen=min(x.shape[0] - 1, 3 * (2 * len(sos) + 1) * 10))


def upsample(x: np.ndarray, factor: int) -> np.ndarray:
    """Band-limited upsampling by an integer factor (``resample_poly``); identity for factor 1.

    The output has ``(n - 1) * factor + 1`` samples so that sample ``i * factor`` is input sample ``i``."""
    if factor <= 1:
        return x
    y = signal.resample_poly(x, factor, 1, axis=0, padtype="line")
    return y[: (x.shape[0] - 1) * factor + 1]


def upsample_factor(fs: float, target_hz: float) -> int:
    return max(1, int(np.ceil(target_hz / fs - 1e-9)))
