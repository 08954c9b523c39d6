"""Form over the session: the first against the last stretch of running, cadence-adjusted and, where the
running speed is known, speed-adjusted. The ``form_fades`` flag (``analysis.flags``), the CLI and the
report read it.

Public API
----------
``session_trend(steps) -> dict | None``
    The ``summary["running"]["trend"]`` sub-dict (below); None when there is too little running.
``speed_adjustment_text(trend) -> str``
    How that trend allows for the running speed, in words (or why it does not).

``steps`` is the dict of per-step arrays (``analysis.flags``'s docstring); only run-bout steps count.

The ``trend`` sub-dict (``summary["running"]["trend"]``, fill it with ``session_trend(steps)``)::

    {"window_s": 120.0,                        # running time in each window (None for intervals)
     "intervals": None,                        # with >= FADE_MIN_INTERVALS run bouts: how many; the
                                               # windows are then the first and the last run bout
     "first": {"start_s", "end_s", "steps",    # session time of the first window's steps
               "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g"},
     "last":  {... same keys, the last window ...},
     "cadence_adjusted_change_pct": {"vertical_oscillation_cm", "ground_contact_ms", "impact_g"},
     "noise_pct": {... same keys: standard error of that change, % ...},
     "speed_adjusted": False,                  # True where the running speed is known in both windows
     "speed": None | {"first_mps", "last_mps",  # median speed of each window (m/s)
               "cadence_expected_spm",          # the last window's cadence the speed change alone predicts
               "in_range": bool,                # both speeds within the cadence-speed relation's range
               "speed_adjusted_change_pct": {"cadence_spm", "vertical_ratio_pct"},  # beyond the speed's
               "noise_pct": {... same keys ...}}}                                  # prediction, %

Medians per window. The cadence adjustment follows Zandbergen et al. (2023): each metric is
regressed on cadence over all run steps (least squares, one session), and the change is the
difference of the residual medians, last minus first window, in % of the first window's median.
Where the running speed is known in both windows (a footpod, a track, a given speed: the step table's
``speed_mps``), the comparison is also adjusted for speed (``_speed_comparison``): the cadence the speed
change alone predicts (the runner's first-window cadence moved along the cadence-speed slope of van
Oeveren et al. 2017, ``analysis.speed``) against the cadence run, and the vertical ratio against the one
the speed change alone predicts (the first window's bounce over the step length that speed and predicted
cadence give). Without a speed the comparison is cadence-adjusted only, and the flag says so.

Thresholds and their sources: ``analysis/_thresholds.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from runform.analysis import _thresholds as th
from runform.analysis import catalogue
from runform.analysis import speed as _speed
from runform.analysis._run_steps import finite, median_se, run_steps

#: the metrics whose change over the session is measured (and may raise ``form_fades``)
FADE_METRICS = tuple(th.FADE_RISE_PCT)


def _window_stats(run: dict[str, np.ndarray], mask: np.ndarray) -> dict:
    stats = {"start_s": float(run["time_s"][mask][0]), "end_s": float(run["time_s"][mask][-1]),
             "steps": int(mask.sum())}
    for key in ("cadence_spm", *FADE_METRICS):
        stats[key] = float(np.nanmedian(run[key][mask]))
    return stats


def session_trend(steps: Mapping[str, np.ndarray] | None) -> dict | None:
    """First vs last ``FADE_WINDOW_S`` of running, cadence-adjusted (Zandbergen et al. 2023).

    Running time is the cumulative step time of run-bout steps, so walk breaks in a Couch-to-5K
    session do not count. Returns None with less than ``FADE_MIN_RUNNING_S`` of running or
    fewer than ``FADE_MIN_WINDOW_STEPS`` steps in a window. Schema: module docstring.
    """
    run = run_steps(steps)
    if not run:
        return None
    intervals = list(dict.fromkeys(run["bout"].astype(int).tolist())) if "bout" in run else []
    if len(intervals) >= th.FADE_MIN_INTERVALS:
        # an interval session: the first run interval is the baseline, the last one is compared with it
        first, last = run["bout"] == intervals[0], run["bout"] == intervals[-1]
        window, n_intervals = None, len(intervals)
    else:
        step_time = np.nan_to_num(run["step_time_s"], nan=0.0)
        run_clock = np.cumsum(step_time)
        total = float(run_clock[-1]) if run_clock.size else 0.0
        if total < th.FADE_MIN_RUNNING_S:
            return None
        first = run_clock <= th.FADE_WINDOW_S
        last = run_clock > total - th.FADE_WINDOW_S
        window, n_intervals = th.FADE_WINDOW_S, None
    min_steps = th.FADE_MIN_WINDOW_STEPS if n_intervals is None else th.MIN_RUN_STEPS
    if first.sum() < min_steps or last.sum() < min_steps:
        return None
    cadence = run["cadence_spm"]
    change, noise = {}, {}
    for key in FADE_METRICS:
        y = run[key]
        ok = np.isfinite(y) & np.isfinite(cadence)
        base = float(np.nanmedian(y[first]))
        if ok.sum() < 3 or not np.isfinite(base) or base == 0.0:
            change[key] = noise[key] = None
            continue
        slope, intercept = np.polyfit(cadence[ok], y[ok], 1)
        resid = np.where(ok, y - (slope * cadence + intercept), np.nan)
        r_first, r_last = resid[first], resid[last]
        delta = float(np.nanmedian(r_last) - np.nanmedian(r_first))
        se = float(np.hypot(median_se(r_first), median_se(r_last)))
        change[key] = 100.0 * delta / base
        noise[key] = 100.0 * se / abs(base) if np.isfinite(se) else None
    speed = _speed_comparison(run, first, last)
    return {"window_s": window, "intervals": n_intervals,
            "first": _window_stats(run, first), "last": _window_stats(run, last),
            "cadence_adjusted_change_pct": change, "noise_pct": noise,
            "speed_adjusted": bool(speed and speed["in_range"]), "speed": speed}


def speed_adjustment_text(trend: Mapping | None) -> str:
    """How the trend allows for speed, in words for the CLI and the report: "speed 8.3 -> 7.6 km/h; beyond
    what that change predicts: cadence -2.1 %, vertical ratio +4.0 %", or why it is not speed-adjusted."""
    speed = trend.get("speed") if isinstance(trend, Mapping) else None
    if not isinstance(speed, Mapping):
        return "not adjusted for speed (speed unknown)"
    kmh = f"speed {3.6 * speed['first_mps']:.1f} -> {3.6 * speed['last_mps']:.1f} km/h"
    if not trend.get("speed_adjusted"):
        lo, hi = (3.6 * v for v in _speed.JUDGE_RANGE_MPS)
        return f"{kmh}, not adjusted for speed (outside {lo:.1f}-{hi:.1f} km/h, the cadence-speed relation's range)"
    parts = [f"{catalogue.metric(k).label.lower()} {v:+.1f} %"
             for k, v in (speed.get("speed_adjusted_change_pct") or {}).items() if finite(v)]
    return f"{kmh}; beyond what that change predicts: {', '.join(parts) or 'n/a'}"


def _speed_comparison(run: dict[str, np.ndarray], first: np.ndarray, last: np.ndarray) -> dict | None:
    """The two windows against what their change of running speed alone predicts (None: the speed is not
    known in both). Cadence: the first window's median moved along the cadence-speed slope of van Oeveren
    et al. 2017 (``analysis.speed.cadence_change_spm``); vertical ratio: the first window's bounce over the
    step length the last window's speed and that predicted cadence give. Changes beyond the prediction are
    in % of the first window's value, each with the standard error of the medians (``noise_pct``); they are
    left out (``in_range`` False) when a speed is outside the relation's range."""
    v = run.get("speed_mps")
    if v is None:
        return None
    v = np.asarray(v, float)
    if not (np.isfinite(v[first]).any() and np.isfinite(v[last]).any()):
        return None
    v_first, v_last = float(np.nanmedian(v[first])), float(np.nanmedian(v[last]))
    cadence = run["cadence_spm"]
    c_first, c_last = float(np.nanmedian(cadence[first])), float(np.nanmedian(cadence[last]))
    expected = c_first + _speed.cadence_change_spm(v_first, v_last)
    out = {"first_mps": v_first, "last_mps": v_last, "cadence_expected_spm": expected,
           "in_range": _speed.in_relation_range(v_first) and _speed.in_relation_range(v_last),
           "speed_adjusted_change_pct": {}, "noise_pct": {}}
    if not out["in_range"] or not np.isfinite(expected):
        out["speed_adjusted_change_pct"] = out["noise_pct"] = None
        return out
    se = float(np.hypot(median_se(cadence[first]), median_se(cadence[last])))
    out["speed_adjusted_change_pct"]["cadence_spm"] = 100.0 * (c_last - expected) / c_first
    out["noise_pct"]["cadence_spm"] = 100.0 * se / c_first
    ratio = run.get("vertical_ratio_pct")
    ratio = None if ratio is None else np.asarray(ratio, float)
    if ratio is not None and np.isfinite(ratio[first]).any() and np.isfinite(ratio[last]).any():
        r_first, r_last = float(np.nanmedian(ratio[first])), float(np.nanmedian(ratio[last]))
        # bounce unchanged, step length from the speed and the cadence it predicts (m per step)
        predicted = r_first * (v_first / c_first) / (v_last / expected)
        out["speed_adjusted_change_pct"]["vertical_ratio_pct"] = 100.0 * (r_last / predicted - 1.0)
        se = float(np.hypot(median_se(ratio[first]), median_se(ratio[last])))
        out["noise_pct"]["vertical_ratio_pct"] = 100.0 * se / r_first
    return out
