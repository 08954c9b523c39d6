"""Running speed context: pace, step length, vertical ratio, and the cadence runners choose at a speed.

Speed comes from the runner (``--speed-kmh``: a treadmill) and applies to the running bouts; runform does
not estimate speed from the trunk signal (issue 12: only if validated within 10 % on the sacral treadmill
trials, which has not been done), so without it speed is unknown and said so.

- step length (m) = speed × step time: the distance covered per step (Garmin calls it "stride length").
- vertical ratio (%) = vertical oscillation / step length × 100 (Garmin Running Dynamics; bands for the
  chest strap and the waist pod: Garmin Forerunner 945 owner's manual, colour gauge).
- the cadence expected at a speed: the self-selected cadence of inexperienced runners, 77, 79 and 80
  strides/min (154, 158, 160 steps/min) at 2.4, 2.6 and 2.9 m/s (van Oeveren, de Ruiter, Beek & van Dieën
  2017, PLoS One 12(10):e0184273, doi:10.1371/journal.pone.0184273), fitted by least squares: 11.6 spm
  per m/s, 155 spm at 2.46 m/s (5.5 mph). Cadence is judged for the speed only within
  ``JUDGE_RANGE_MPS`` (the study's speeds and 0.3 m/s either side); outside it, as without a speed.
"""

from __future__ import annotations

import math

import numpy as np

VAN_OEVEREN_2017 = ("van Oeveren, de Ruiter, Beek & van Dieën 2017, PLoS One 12(10):e0184273, "
                    "doi:10.1371/journal.pone.0184273")
RELATION_SPEED_MPS = (2.4, 2.6, 2.9)
RELATION_CADENCE_SPM = (154.0, 158.0, 160.0)
JUDGE_RANGE_MPS = (2.1, 3.2)
_SLOPE, _INTERCEPT = (float(c) for c in np.polyfit(RELATION_SPEED_MPS, RELATION_CADENCE_SPM, 1))


def expected_cadence_spm(speed_mps: float | None) -> float | None:
    """Cadence beginners choose at ``speed_mps`` (van Oeveren et al. 2017); None outside ``JUDGE_RANGE_MPS``."""
    return _INTERCEPT + _SLOPE * speed_mps if in_relation_range(speed_mps) else None


def in_relation_range(speed_mps: float | None) -> bool:
    """True when ``speed_mps`` lies where the cadence-speed relation is used (``JUDGE_RANGE_MPS``)."""
    return speed_mps is not None and math.isfinite(speed_mps) and JUDGE_RANGE_MPS[0] <= speed_mps <= JUDGE_RANGE_MPS[1]


def cadence_change_spm(from_mps: float, to_mps: float) -> float:
    """The change of cadence (spm) a change of running speed alone brings: the slope of the van Oeveren et
    al. 2017 relation (11.6 spm per m/s) times the speed change."""
    return _SLOPE * (to_mps - from_mps)


def step_length_m(speed_mps, step_time_s):
    """Distance per step (m): speed (m/s) × step time (s); NaN where either is unknown."""
    return np.asarray(speed_mps, float) * np.asarray(step_time_s, float)


def vertical_ratio_pct(vo_cm, step_length):
    """Vertical oscillation (cm) over step length (m), in % (cm / m = %)."""
    sl = np.asarray(step_length, float)
    return np.asarray(vo_cm, float) / np.where(sl > 0, sl, np.nan)


def pace_text(speed_mps: float | None) -> str:
    """"6:47 min/km" for 2.46 m/s; "n/a" without a speed."""
    if speed_mps is None or not math.isfinite(speed_mps) or speed_mps <= 0:
        return "n/a"
    s = round(1000.0 / speed_mps)
    return f"{s // 60}:{s % 60:02d} min/km"


def add_step_columns(steps: dict, running_speed_mps) -> None:
    """``speed_mps``, ``step_length_m`` and ``vertical_ratio_pct`` per step (running steps only; NaN
    elsewhere and without a speed), in place. ``running_speed_mps``: one speed (m/s), a per-step array
    (a footpod's), or None."""
    n = np.asarray(steps["time_s"]).size
    run = np.asarray(steps["bout_kind"]).astype(str) == "run"
    v = np.where(run, np.nan if running_speed_mps is None else np.asarray(running_speed_mps, float), np.nan)
    steps["speed_mps"] = v if n else np.zeros(0)
    steps["step_length_m"] = step_length_m(v, steps["step_time_s"]) if n else np.zeros(0)
    steps["vertical_ratio_pct"] = vertical_ratio_pct(steps["vertical_oscillation_cm"], steps["step_length_m"]) if n else np.zeros(0)
