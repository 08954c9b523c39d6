"""Step frequency prior from the unbiased autocorrelation of the vertical signal, per window.

Source: Moe-Nilssen & Helbostad 2004 (unbiased autocorrelation, Ad1 = step, Ad2 = stride), as in
algorithms.md §2.2. Deviations: computed for many windows at once via a zero-padded FFT on a (W × N)
window matrix; the step lag is the highest peak in 0.25–1.2 s unless half or a third of that lag is
nearly as strong (harmonic guard, avoids locking onto the stride or multiples); parabolic refinement.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def window_autocorr(x: np.ndarray, win: int, hop: int) -> np.ndarray:
    """Normalised unbiased autocorrelation Ad(m) of mean-removed windows: (n_windows, win)."""
    if x.shape[0] < win:
        return np.empty((0, win))
    w = sliding_window_view(x, win)[::hop]
    w = w - w.mean(axis=1, keepdims=True)
    nfft = 1 << int(np.ceil(np.log2(2 * win)))
    f = np.fft.rfft(w, nfft, axis=1)
    ac = np.fft.irfft(f * np.conj(f), nfft, axis=1)[:, :win]
    ac = ac / (win - np.arange(win))[None, :]
    return ac / np.where(ac[:, :1] > 0, ac[:, :1], 1.0)


def step_lag(ad: np.ndarray, fs: float, lag_min_s: float, lag_max_s: float, keep_ratio: float):
    """Step lag in samples (sub-sample) and its correlation for each row of ``ad``.

    Returns ``(lag, strength)``; lag is NaN where no positive peak exists."""
    n = ad.shape[1]
    lo = max(2, int(np.floor(lag_min_s * fs)))
    hi = min(n - 2, int(np.ceil(lag_max_s * fs)))
    if ad.shape[0] == 0 or hi <= lo:
        return np.full(ad.shape[0], np.nan), np.zeros(ad.shape[0])
    rows = np.arange(ad.shape[0])
    seg = ad[:, lo : hi + 1]
    best = lo + np.argmax(seg, axis=1)
    for div in (3, 2):  # prefer the shortest lag that is nearly as strong (harmonic guard)
        cand = np.round(best / div).astype(int)
        ok = cand >= lo
        c = np.clip(cand, 1, n - 2)
        # local maximum near the candidate (±1 sample)
        nb = np.stack([ad[rows, c - 1], ad[rows, c], ad[rows, c + 1]], axis=1)
        c = c - 1 + np.argmax(nb, axis=1)
        c = np.clip(c, 1, n - 2)
        good = ok & (ad[rows, c] >= keep_ratio * ad[rows, best])
        best = np.where(good, c, best)
    best = np.clip(best, 1, n - 2)
    y0, y1, y2 = ad[rows, best - 1], ad[rows, best], ad[rows, best + 1]
    den = y0 - 2 * y1 + y2
    delta = np.where(np.abs(den) > 1e-12, 0.5 * (y0 - y2) / np.where(den == 0, 1, den), 0.0)
    lag = best + np.clip(delta, -0.5, 0.5)
    strength = y1
    lag = np.where(strength > 0, lag, np.nan)
    return lag, strength
