"""Step frequency prior from the unbiased autocorrelation of the vertical signal, per window.

Source: Moe-Nilssen R, Helbostad JL (2004), Estimation of gait cycle characteristics by trunk
accelerometry, J Biomech 37(1):121–126, doi:10.1016/S0021-9290(03)00233-1 (unbiased autocorrelation,
Ad1 = step, Ad2 = stride). Deviations: computed for many windows at once via a zero-padded FFT on (256 × N) blocks of the
window matrix; the step lag is the shortest-lag local maximum in 0.25–1.2 s whose correlation is at
least ``keep_ratio`` × the strongest local maximum there (harmonic guard: at 194 spm the stride and
4-step lags correlate as well as the step; an earlier "highest peak, then try 1/3 and 1/2 of it" rule
missed the 4-step peak and labelled 25 Hz running as 97 spm walking); parabolic refinement.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._dsp import next_fast_len

#: lag bounds are rounded outward only beyond this many samples: a rate of 25.0000000000005 Hz must not
#: widen the 1.2 s search range by a whole sample (it once let the 4-step peak in at 25 Hz and 194 spm)
LAG_ROUND_TOL = 1e-6
#: a local maximum at exactly half the chosen lag is the step when it reaches this fraction of the chosen
#: lag's correlation (walking: left/right differences make the step peak 0.45-0.6 of the stride peak,
#: which read 98 spm walking as 49 spm "standing" in firmware_sim at the back)
STRIDE_HALF_RATIO = 0.4
#: ``window_autocorr`` transforms this many windows at a time (bounded temporary memory)
AUTOCORR_BLOCK_ROWS = 256


def window_autocorr(x: np.ndarray, win: int, hop: int, lags: int | None = None) -> np.ndarray:
    """Normalised unbiased autocorrelation Ad(m) of mean-removed windows, lags 0 .. ``lags`` - 1 (default:
    all ``win``): (n_windows, lags)."""
    lags = win if lags is None else lags
    if x.shape[0] < win:
        return np.empty((0, lags))
    return np.concatenate(list(_autocorr_blocks(x, win, hop, lags)))


def lags_read(win: int, fs: float, lag_max_s: float) -> int:
    """How many lags (0 .. k - 1) of a ``win``-sample window's autocorrelation ``step_lag`` reads: up to one
    past its search range (parabolic refinement), never more than the window has."""
    return min(win, int(np.ceil(lag_max_s * fs - LAG_ROUND_TOL)) + 2)


def _autocorr_blocks(x: np.ndarray, win: int, hop: int, lags: int):
    """``window_autocorr`` in blocks of ``AUTOCORR_BLOCK_ROWS`` rows (``x`` holds at least one window): the
    FFT temporaries stay AUTOCORR_BLOCK_ROWS x nfft (at 4 h, 200 Hz, all windows at once made ~100 MB per
    temporary and cost 13x the 1 h time); the same values to ~1e-14.

    The FFT is zero-padded only as far as the lags asked for need (``win + lags - 1``: a lag m is free of
    circular wrap-around when nfft >= win + m): for the step lag at 50 Hz, 6 s windows, 375 points instead
    of 600."""
    windows = sliding_window_view(x, win)[::hop]
    nfft = next_fast_len(win + lags - 1)
    unbias = (win - np.arange(lags))[None, :]
    for r in range(0, windows.shape[0], AUTOCORR_BLOCK_ROWS):
        w = windows[r : r + AUTOCORR_BLOCK_ROWS]
        w = w - w.mean(axis=1, keepdims=True)
        f = np.fft.rfft(w, nfft, axis=1)
        ac = np.fft.irfft(f * np.conj(f), nfft, axis=1)[:, :lags] / unbias
        yield ac / np.where(ac[:, :1] > 0, ac[:, :1], 1.0)


def window_step_lag(x: np.ndarray, win: int, hop: int, fs: float, lag_min_s: float, lag_max_s: float,
                    keep_ratio: float) -> tuple[np.ndarray, np.ndarray]:
    """``step_lag(window_autocorr(x, win, hop, lags_read(win, fs, lag_max_s)), ...)`` a block of windows at a
    time: the same values without the (windows x lags) autocorrelation matrix."""
    lags = lags_read(win, fs, lag_max_s)
    if x.shape[0] < win:
        return step_lag(np.empty((0, lags)), fs, lag_min_s, lag_max_s, keep_ratio)
    found = [step_lag(ad, fs, lag_min_s, lag_max_s, keep_ratio) for ad in _autocorr_blocks(x, win, hop, lags)]
    return np.concatenate([lag for lag, _ in found]), np.concatenate([s for _, s in found])


def step_lag(ad: np.ndarray, fs: float, lag_min_s: float, lag_max_s: float, keep_ratio: float):
    """Step lag in samples (sub-sample) and its correlation for each row of ``ad``.

    Returns ``(lag, strength)``; lag is NaN (strength 0) where no positive local maximum exists."""
    n = ad.shape[1]
    lo = max(2, int(np.floor(lag_min_s * fs + LAG_ROUND_TOL)))
    hi = min(n - 2, int(np.ceil(lag_max_s * fs - LAG_ROUND_TOL)))
    if ad.shape[0] == 0 or hi <= lo:
        return np.full(ad.shape[0], np.nan), np.zeros(ad.shape[0])
    rows = np.arange(ad.shape[0])
    seg = ad[:, lo : hi + 1]
    # local maxima inside [lo, hi]; the shortest lag whose peak is nearly as strong as the strongest
    # peak wins (harmonic guard: the stride and multiples of the step correlate as well as the step)
    peak = (seg > ad[:, lo - 1 : hi]) & (seg >= ad[:, lo + 1 : hi + 2])
    top = np.max(np.where(peak, seg, -np.inf), axis=1, keepdims=True)
    strong = peak & (seg >= keep_ratio * top)
    has_peak = strong.any(axis=1)
    best = lo + np.argmax(strong, axis=1)
    # stride guard: an asymmetric walk correlates far better at the stride than at the step; a local
    # maximum at half the chosen lag (±1 sample) that is positive and >= STRIDE_HALF_RATIO of it is the step
    half = np.clip(np.round(best / 2).astype(int), 1, n - 2)
    nb = np.stack([ad[rows, np.maximum(half - 1, 1)], ad[rows, half], ad[rows, np.minimum(half + 1, n - 2)]], axis=1)
    half = np.clip(half - 1 + np.argmax(nb, axis=1), 1, n - 2)
    is_peak = (ad[rows, half] > ad[rows, half - 1]) & (ad[rows, half] >= ad[rows, half + 1])
    take = has_peak & (half >= lo) & is_peak & (ad[rows, half] > 0) & (ad[rows, half] >= STRIDE_HALF_RATIO * ad[rows, best])
    best = np.where(take, half, best)
    best = np.clip(best, 1, n - 2)
    y0, y1, y2 = ad[rows, best - 1], ad[rows, best], ad[rows, best + 1]
    den = y0 - 2 * y1 + y2
    delta = np.where(np.abs(den) > 1e-12, 0.5 * (y0 - y2) / np.where(den == 0, 1, den), 0.0)
    lag = best + np.clip(delta, -0.5, 0.5)
    strength = y1
    lag = np.where(has_peak & (strength > 0), lag, np.nan)
    strength = np.where(has_peak, strength, 0.0)
    return lag, strength
