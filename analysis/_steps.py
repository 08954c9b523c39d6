"""Steps: mid-stance peaks, foot-strike (initial contact) and toe-off times, contact time, side.

Sources (References below):
* peaks: ``find_peaks`` on the 6 Hz low-passed vertical specific force, distance 0.6 × the
  autocorrelation step time (``_periodicity``), prominence 0.5 SD, parabolic sub-sample refinement.
* contact (running only): sub-sample up/down crossings of h = 0.5 g of the vertical specific
  force (15 Hz low-pass, band-limited upsampling to ≥ 500 Hz), time above h = t_h, inverted through the
  sine-wave vGRF model (Morin et al. 2005; Patoz et al. 2021) to the contact time t_c, with the pulse's
  measured maximum as the sine's amplitude (``contact_from_peak``; deviation from the usual inversion, which takes the
  amplitude π T / (2 t_c) from the step's momentum balance: a heel-strike transient carries part of the
  stance impulse and a chest strap's lever arm adds a step-frequency term, and both made t_c 10–20 ms
  short in firmware_sim). Foot strike =
  pulse centre − t_c/2 (the sine model is symmetric), i.e. NOT the loading peak that walking toolkits
  mark (70–120 ms late in running, measured with mobgap and scikit-digital-health on firmware_sim). Deviations: the pulse centre is the midpoint of the
  crossings of 0.6 × the pulse maximum (its top: untouched by a heel-strike transient on the rising
  edge or a slow unloading tail on the falling one), and t_h = 2 × the half-width (centre to crossing)
  on the side that does NOT carry the transient/tail (the shorter side over the bout, chosen in
  ``analysis._stage2_events``); narrow positive bumps are removed by a 40 ms morphological opening and dips
  below h shorter than 30 ms inside stance are bridged.
* walking: the contact is not observable from the trunk with this model (Garmin does not report GCT
  when walking either); the step time is the mid-stance (vertical peak) time.
* side: mean ML acceleration during stance (medially directed GRF: a right-foot stance
  accelerates the trunk to the left, Lee et al. 2010 / Auvinet et al. 2002), alternating parity chosen
  by the every-other-step vote of Kiernan et al. 2023, re-derived after every missed step.
* AP sign: braking (negative AP) precedes propulsion in each stance (Lee et al. 2010).

References
----------
.. [1] Morin JB, Dalleau G, Kyröläinen H, Jeannin T, Belli A (2005). A simple method for measuring
   stiffness during running. Journal of Applied Biomechanics 21(2):167–180.
.. [2] Patoz A, Lussiana T, et al. (2021). A multivariate polynomial regression to reconstruct ground
   contact and flight times based on a sine wave model for vertical ground reaction force and measured
   effective timings. Front Bioeng Biotechnol 9:687951. doi:10.3389/fbioe.2021.687951
.. [3] Lee JB, Mellifont RB, Burkett BJ (2010). The use of a single inertial sensor to identify stride,
   step, and stance durations of running gait. J Sci Med Sport 13:270–273.
.. [4] Auvinet B, Gloria E, Renault G, Barrey E (2002). Runner's stride analysis: comparison of kinematic
   and kinetic analyses under field conditions. Science & Sports 17:92–94.
.. [5] Kiernan D, et al. (2023). Unsupervised gait event detection using a single wearable accelerometer
   and/or gyroscope. Sensors 23 (PMC10255839).
"""

from __future__ import annotations

import numpy as np

from . import _dsp
from ._sliding import sliding_max, sliding_min

# sine-model lookup: r = t_c/T on a fine grid (Morin et al. 2005)
_R = np.linspace(0.02, 0.995, 4000)


def sine_model_time_above(r: np.ndarray, h: float) -> np.ndarray:
    """t_h / T of the sine-wave vGRF model for contact fraction r = t_c/T and threshold h (g)."""
    return r * (1.0 - (2.0 / np.pi) * np.arcsin(np.clip(2.0 * r * h / np.pi, 0.0, 1.0)))


def contact_from_time_above(t_h: np.ndarray, T: np.ndarray, h: float) -> np.ndarray:
    """Invert the sine-wave model: time above h (s) and step time T (s) -> contact time t_c (s)."""
    q = sine_model_time_above(_R, h)
    top = int(np.argmax(q))  # q is monotonic up to here (running range)
    ratio = np.asarray(t_h) / np.asarray(T)
    tc = np.interp(ratio, q[: top + 1], _R[: top + 1]) * np.asarray(T)
    return np.where((ratio > 0) & (ratio <= q[top]), tc, np.nan)


def contact_from_peak(t_h: np.ndarray, peak: np.ndarray, h: float, T: np.ndarray) -> np.ndarray:
    """Invert the sine-wave model with a measured amplitude: time above h (s) of a pulse
    ``peak · sin(π t / t_c)`` whose maximum is ``peak`` (g) -> contact time t_c (s).

    t_h = t_c (1 − (2/π) arcsin(h / peak)) (Morin et al. 2005 with the amplitude measured, not taken from
    the momentum balance π T / (2 t_c)). NaN where the peak is not above h or t_c reaches the step time
    ``T`` (s) (the same limit as ``contact_from_time_above``: no flight)."""
    t_h, peak = np.asarray(t_h, dtype=float), np.asarray(peak, dtype=float)
    ok = np.isfinite(peak) & (peak > h) & (t_h > 0)
    frac = 1.0 - (2.0 / np.pi) * np.arcsin(np.clip(h / np.where(ok, peak, 1.0), 0.0, 1.0))
    tc = t_h / np.where(ok, frac, 1.0)
    return np.where(ok & (tc <= _R[-1] * np.asarray(T)), tc, np.nan)


def refine_peaks(x: np.ndarray, pk: np.ndarray) -> np.ndarray:
    """Parabolic sub-sample refinement of peak indices (fractional index)."""
    pk = pk[(pk > 0) & (pk < x.shape[0] - 1)]
    y0, y1, y2 = x[pk - 1], x[pk], x[pk + 1]
    den = y0 - 2 * y1 + y2
    safe = np.where(np.abs(den) > 1e-12, den, 1.0)
    return pk + np.clip(np.where(np.abs(den) > 1e-12, 0.5 * (y0 - y2) / safe, 0.0), -0.5, 0.5)


def midstance_peaks(sf_step: np.ndarray, fs: float, step_s: float, preset) -> np.ndarray:
    """Fractional sample indices of the per-step vertical maxima (``sf_step`` = 6 Hz low-passed)."""
    if sf_step.shape[0] < 3 or not np.isfinite(step_s):
        return np.empty(0)
    dist = max(1, int(preset.peak_distance_frac * step_s * fs))
    prom = preset.peak_prominence_sd * float(np.std(sf_step))
    pk = _dsp.find_peaks(sf_step, distance=dist, prominence=prom)
    return refine_peaks(sf_step, pk)


def remove_narrow_peaks(x: np.ndarray, width: int) -> np.ndarray:
    """Morphological opening with a flat element of ``width`` samples (grey erosion, then dilation).

    Removes positive bumps narrower than the element — the first lobe of a heel-strike transient
    (15–25 Hz, τ 10–15 ms) on the rising edge of stance — while leaving the monotone edges of the broad
    stance pulse, and so its threshold crossings, unchanged (only the very top of the pulse is flattened).
    Added here (no published method): without it a 1–3 g transient moves the up-crossing 10–15 ms early."""
    if width <= 1:
        return x
    return sliding_max(sliding_min(x, width), width)


def _crossings_around(m: np.ndarray, centre: np.ndarray, level: np.ndarray, bridge: int):
    """Last up-crossing before and first down-crossing after column ``centre`` of ``level`` per row.

    Fractional columns (linear interpolation); NaN where the centre is not above the level or no
    crossing exists. Dips below the level shorter than ``bridge`` columns are ignored."""
    k, w = m.shape
    rows = np.arange(k)
    above = (m > level[:, None]).astype(np.uint8)
    if bridge > 1:
        above = sliding_min(sliding_max(above, bridge, axis=1), bridge, axis=1)
    above = above.astype(bool)
    cols = np.arange(w)[None, :]
    below_left = ~above & (cols < centre[:, None])
    below_right = ~above & (cols > centre[:, None])
    has_left, has_right = below_left.any(axis=1), below_right.any(axis=1)
    jl = w - 1 - np.argmax(below_left[:, ::-1], axis=1)
    jr = np.argmax(below_right, axis=1)
    jl1, jr0 = np.clip(jl + 1, 0, w - 1), np.clip(jr - 1, 0, w - 1)
    up = jl + _frac(m[rows, jl], m[rows, jl1], level)
    down = jr0 + _frac(m[rows, jr0], m[rows, jr], level)
    ok = above[rows, centre] & has_left & has_right
    return np.where(ok, up, np.nan), np.where(ok, down, np.nan)


def contact_resolved(sf_u: np.ndarray, centres_u: np.ndarray, half_u: int, h: float, bridge_u: int) -> np.ndarray:
    """True where ``contact_crossings`` finds both crossings of ``h`` around a mid-stance centre (the first
    of its two passes: enough to tell which steps have a flight phase on both sides)."""
    if centres_u.shape[0] == 0:
        return np.zeros(0, bool)
    c = np.round(centres_u).astype(int)
    m = sf_u[np.clip(c[:, None] + np.arange(-half_u, half_u + 1)[None, :], 0, sf_u.shape[0] - 1)]
    up, down = _crossings_around(m, np.full(c.shape[0], half_u), np.full(c.shape[0], h), bridge_u)
    return np.isfinite(up) & np.isfinite(down)


def contact_crossings(sf_u: np.ndarray, centres_u: np.ndarray, half_u: int, h: float, bridge_u: int,
                      top_frac: float, with_peak: bool = False):
    """Up and down crossings of ``h`` around each mid-stance centre and the pulse centre (fractional
    upsampled indices), vectorised over steps on a (K × 2H+1) window matrix; with ``with_peak`` also the
    pulse maximum (g, between the crossings) as a fourth array.

    The pulse centre is the midpoint of the crossings of ``top_frac`` × the pulse maximum (the top of
    the stance pulse, untouched by a heel-strike transient or a slow unloading tail). NaN where the
    centre is not above h or no crossing lies inside the window (no flight: grounded running)."""
    k = centres_u.shape[0]
    if k == 0:
        e = np.empty(0)
        return (e, e, e, e) if with_peak else (e, e, e)
    c = np.round(centres_u).astype(int)
    offs = np.arange(-half_u, half_u + 1)
    idx = np.clip(c[:, None] + offs[None, :], 0, sf_u.shape[0] - 1)
    m = sf_u[idx]
    centre = np.full(k, half_u)
    up, down = _crossings_around(m, centre, np.full(k, h), bridge_u)
    cols = np.arange(m.shape[1])[None, :]
    inside = (cols >= np.nan_to_num(up, nan=0)[:, None]) & (cols <= np.nan_to_num(down, nan=-1)[:, None])
    top = np.argmax(np.where(inside, m, -np.inf), axis=1)
    peak = m[np.arange(k), top]
    t_up, t_down = _crossings_around(m, top, top_frac * peak, 1)
    base = c - half_u
    mid = 0.5 * (t_up + t_down)
    ok = np.isfinite(up) & np.isfinite(down) & np.isfinite(mid)
    out = (np.where(ok, base + up, np.nan), np.where(ok, base + down, np.nan), np.where(ok, base + mid, np.nan))
    return out + (np.where(ok, peak, np.nan),) if with_peak else out


def _frac(y0: np.ndarray, y1: np.ndarray, h: float) -> np.ndarray:
    d = y1 - y0
    f = np.where(np.abs(d) > 1e-12, (h - y0) / np.where(d == 0, 1, d), 0.5)
    return np.clip(f, 0.0, 1.0)


def interval_means(x: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Mean of ``x`` over [start, end) (integer-rounded indices) for many intervals at once."""
    cs = np.concatenate([[0.0], np.cumsum(x)])
    n = x.shape[0]
    s = np.clip(np.round(np.nan_to_num(start, nan=0)).astype(int), 0, n)
    e = np.clip(np.round(np.nan_to_num(end, nan=0)).astype(int), 0, n)
    e = np.maximum(e, s + 1).clip(max=n)
    out = (cs[e] - cs[s]) / np.maximum(e - s, 1)
    return np.where(np.isfinite(start) & np.isfinite(end) & (e > s), out, np.nan)


def braking_score(a_ap: np.ndarray, ic: np.ndarray, to: np.ndarray) -> float:
    """Median over steps of mean AP acceleration in the first half of stance minus the second half.

    Negative when AP points forward (braking, then propulsion)."""
    mid = 0.5 * (ic + to)
    d = interval_means(a_ap, ic, mid) - interval_means(a_ap, mid, to)
    d = d[np.isfinite(d)]
    return float(np.median(d)) if d.size else 0.0


def parity_runs(step_times: np.ndarray, tol: float) -> np.ndarray:
    """Run id per step: a new run starts after any step whose time is off the median by > tol."""
    if step_times.size == 0:
        return np.zeros(0, int)
    med = np.nanmedian(step_times) if np.any(np.isfinite(step_times)) else np.nan
    bad = ~(np.abs(step_times / med - 1.0) <= tol)
    return np.concatenate([[0], np.cumsum(bad[:-1])]) if step_times.size > 1 else np.zeros(1, int)


def assign_sides(feature: np.ndarray, run_id: np.ndarray) -> np.ndarray:
    """'L'/'R' per step from the stance ML feature (left +) with an alternating parity per run.

    Right stance -> trunk accelerated to the left (feature > 0) -> 'R'."""
    k = feature.shape[0]
    side = np.empty(k, dtype="<U1")
    if k == 0:
        return side
    f = np.nan_to_num(feature)
    # position within its run
    starts = np.concatenate([[0], np.flatnonzero(np.diff(run_id)) + 1])
    first = np.repeat(starts, np.diff(np.concatenate([starts, [k]])))
    pos = np.arange(k) - first
    alt = np.where(pos % 2 == 0, 1.0, -1.0)
    score = np.bincount(run_id - run_id.min(), weights=alt * f)
    even_is_right = score[run_id - run_id.min()] > 0
    is_right = np.where(pos % 2 == 0, even_is_right, ~even_is_right)
    side[:] = np.where(is_right, "R", "L")
    return side
