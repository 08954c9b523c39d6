"""Bouts: stand / walk / run from 2 s windows (1 s hop), smoothed, with a minimum bout length.

Source: heuristic of this project, see docs/METRICS.md, "Flag thresholds" (bouts): flight presence
from the minimum of the bounce-level vertical specific force, cadence ranges, peak amplitude, still if
std(|f|) < 0.05 g; majority filter; minimum bout 8–10 s. Cadence comes from the windowed unbiased
autocorrelation (Moe-Nilssen & Helbostad 2004, doi:10.1016/S0021-9290(03)00233-1) over a 6 s
context; "jog without flight" (grounded running) counts as run when cadence and bounce peak are
running-like; a majority filter (not an HMM) smooths the labels, then bouts shorter than the minimum are
absorbed by their longer neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._orientation import row_dot
from ._periodicity import window_step_lag
from ._sliding import sliding_sum

STAND, WALK, RUN = 0, 1, 2
#: per-sample labels are stored as this type (an hour at 200 Hz: 0.7 MB, not 5.8 MB as int64)
LABEL_DTYPE = np.int8
KINDS = ("stand", "walk", "run")
#: the classifier looks at the vertical signal at about this rate (decimated after an 8 Hz low-pass)
FEATURE_RATE_HZ = 50.0


@dataclass
class WindowFeatures:
    centre_s: np.ndarray  # window centres, s from the segment start
    cadence_spm: np.ndarray
    periodicity: np.ndarray
    still_sd_g: np.ndarray
    low_g: np.ndarray  # 5th percentile of the bounce-level vertical specific force
    high_g: np.ndarray  # 95th percentile


def window_features(sf_bounce: np.ndarray, acc: np.ndarray, fs: float, preset) -> WindowFeatures:
    """Per-window features; ``sf_bounce`` is the vertical specific force low-passed at
    ``preset.feature_lowpass_hz`` (8 Hz), ``acc`` the specific force (n, 3) in g (its magnitude's SD tells
    standing still; taken only on the decimated samples the classifier reads)."""
    dec = max(1, int(fs // FEATURE_RATE_HZ))
    fr = fs / dec
    x = sf_bounce[::dec]
    a = acc[::dec]
    m = np.sqrt(row_dot(a, a))
    win, hop, ctx = int(round(preset.window_s * fr)), max(1, int(round(preset.hop_s * fr))), int(round(preset.context_s * fr))
    if x.shape[0] < win:
        e = np.empty(0)
        return WindowFeatures(e, e, e, e, e, e)
    wx = sliding_window_view(x, win)[::hop]
    wm = sliding_window_view(m, win)[::hop]
    nw = wx.shape[0]
    centre = (np.arange(nw) * hop + win / 2) / fr
    low, high = np.percentile(wx, [5, 95], axis=1)
    still = wm.std(axis=1)
    ctx = min(ctx, x.shape[0])
    lag, strength = window_step_lag(x, ctx, hop, fr, preset.step_lag_min_s, preset.step_lag_max_s,
                                    preset.harmonic_keep_ratio)
    # context window j starts at j*hop: pick the one centred nearest each classification window
    j = np.clip(np.round((centre * fr - ctx / 2) / hop).astype(int), 0, max(0, lag.shape[0] - 1))
    cad = 60.0 * fr / lag[j] if lag.shape[0] else np.full(nw, np.nan)
    per = strength[j] if lag.shape[0] else np.zeros(nw)
    return WindowFeatures(centre, cad, per, still, low, high)


def classify_windows(f: WindowFeatures, preset) -> np.ndarray:
    """Raw label per window (STAND / WALK / RUN), before smoothing."""
    cad = np.nan_to_num(f.cadence_spm, nan=0.0)
    moving = (f.still_sd_g >= preset.still_std_g) & (f.periodicity >= preset.min_periodicity) & (cad > 0)
    flight = (f.low_g < preset.flight_sf_g) & (cad >= preset.run_flight_min_cadence_spm) & (f.high_g >= preset.run_flight_peak_g)
    grounded_run = (cad >= preset.run_cadence_spm) & (f.high_g >= preset.run_peak_g)
    walk = (cad >= preset.walk_min_cadence_spm) & (cad <= preset.walk_max_cadence_spm)
    lab = np.full(cad.shape, STAND)
    lab[moving & walk] = WALK
    lab[moving & (flight | grounded_run)] = RUN
    return lab


def smooth_labels(lab: np.ndarray, n: int, min_len: int, min_len_stand: int | None = None) -> np.ndarray:
    """Majority filter over ``n`` windows, then runs shorter than ``min_len`` join a longer neighbour.

    Standing still is detected reliably (std |f|), so it may keep shorter bouts (``min_len_stand``)."""
    min_stand = min_len if min_len_stand is None else min_len_stand
    if lab.size == 0:
        return lab
    size = max(1, n)
    onehot = np.eye(len(KINDS), dtype=np.int64)[lab]
    votes = sliding_sum(onehot, size, axis=0) / size
    out = np.argmax(votes + 1e-9 * onehot, axis=1)
    for _ in range(len(out)):  # bounded; each pass removes at least one short run
        starts, ends, kinds = runs(out)
        lengths = ends - starts
        short = np.flatnonzero(lengths < np.where(kinds == STAND, min_stand, min_len))
        if short.size == 0 or len(starts) == 1:
            break
        i = short[np.argmin(lengths[short])]
        left = lengths[i - 1] if i > 0 else -1
        right = lengths[i + 1] if i + 1 < len(starts) else -1
        out[starts[i] : ends[i]] = kinds[i - 1] if left >= right else kinds[i + 1]
    return out


def runs(lab: np.ndarray):
    """(starts, ends, kinds) of constant runs in a label array (ends exclusive)."""
    if lab.size == 0:
        e = np.empty(0, int)
        return e, e, e
    change = np.flatnonzero(lab[1:] != lab[:-1]) + 1  # a boolean mask: ~4x fewer instructions than np.diff's int8
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [lab.size]])
    return starts, ends, lab[starts]


#: ``sample_labels`` bisects for the window boundaries from this many samples on (about 2.7 min at 200 Hz)
BISECT_MIN_SAMPLES = 32768


def window_of_sample(i, fs: float, last: int, preset) -> np.ndarray:
    """Index of the window whose centre is nearest sample ``i`` (clipped to [0, last]); non-decreasing in ``i``."""
    return np.clip(np.round((np.asarray(i) / fs - preset.window_s / 2) / preset.hop_s).astype(int), 0, last)


def sample_labels(win_lab: np.ndarray, n: int, fs: float, preset) -> np.ndarray:
    """Per-sample label (``LABEL_DTYPE``): the label of the window whose centre is nearest
    (``window_of_sample``). That index only grows with the sample, so on a long segment each window's first
    sample is found by bisection on the same formula (a few evaluations per window) and its label repeated up
    to the next: the same labels as evaluating every sample, without five full-rate temporaries. Below
    ``BISECT_MIN_SAMPLES`` (the live analyzer's windows) every sample is evaluated: fewer calls."""
    if win_lab.size == 0:
        return np.full(n, STAND, dtype=LABEL_DTYPE)
    last = win_lab.size - 1
    if n < BISECT_MIN_SAMPLES:
        return win_lab.astype(LABEL_DTYPE)[window_of_sample(np.arange(n), fs, last, preset)]
    k = np.arange(1, last + 1)
    lo, hi = np.zeros(last, int), np.full(last, n)  # the first sample in window >= k lies in [lo, hi] (n: none)
    while True:
        active = lo < hi
        if not active.any():
            break
        mid = (lo + hi) // 2
        reached = window_of_sample(mid, fs, last, preset) >= k
        hi = np.where(active & reached, mid, hi)
        lo = np.where(active & ~reached, mid + 1, lo)
    counts = np.diff(np.concatenate([[0], lo, [n]]))
    return np.repeat(win_lab.astype(LABEL_DTYPE), counts)


def refine_run_edges(labels: np.ndarray, flight: np.ndarray, fs: float, search_s: float, margin_s: float) -> np.ndarray:
    """Move each run bout edge to where flight phases start / stop (per-sample precision).

    Window labels are 1 s apart and a 2 s window that holds a single flight already counts as running,
    so the raw edges can be off by a second or two. Within ``search_s`` of an edge the run starts
    ``margin_s`` before the first flight sample and ends ``margin_s`` after the last one."""
    out = labels.copy()
    starts, ends, kinds = runs(labels)
    w = int(round(search_s * fs))
    m = int(round(margin_s * fs))
    n = labels.size
    for a, b, k in zip(starts, ends, kinds):
        if k != RUN:
            continue
        if a > 0:
            lo, hi = max(0, a - w), min(n, a + w)
            fl = np.flatnonzero(flight[lo:hi])
            if fl.size:
                new = max(0, lo + fl[0] - m)
                out[new:a] = RUN
                out[a:new] = labels[a - 1]
        if b < n:
            lo, hi = max(0, b - w), min(n, b + w)
            fl = np.flatnonzero(flight[lo:hi])
            if fl.size:
                new = min(n, lo + fl[-1] + 1 + m)
                out[b:new] = RUN
                out[new:b] = labels[b]
    return out
