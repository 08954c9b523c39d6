"""The run-bout steps of the step table, as the flags (``analysis.flags``) and the within-session trend
(``analysis.trend``) read them, and the small statistics both take of them."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from runform.analysis import _thresholds as th
from runform.sensors.errors import InputError

#: the step-table columns the flags and the trend need
REQUIRED_STEP_KEYS = ("time_s", "side", "bout_kind", "step_time_s", "cadence_spm",
                      "vertical_oscillation_cm", "ground_contact_ms", "impact_g")


def run_steps(steps: Mapping[str, np.ndarray] | None) -> dict[str, np.ndarray]:
    """The run-bout steps only, sorted by time (empty dict without steps)."""
    if not steps:
        return {}
    missing = [k for k in REQUIRED_STEP_KEYS if k not in steps]
    if missing:
        raise InputError("steps", f"step table lacks {', '.join(missing)}")
    kind = np.asarray(steps["bout_kind"]).astype(str)
    keep = np.flatnonzero(kind == th.RUN_KIND)
    order = keep[np.argsort(np.asarray(steps["time_s"], float)[keep], kind="stable")]
    out = {}
    for key, values in steps.items():
        arr = np.asarray(values)
        out[key] = arr[order] if arr.dtype.kind in "OUS" else arr[order].astype(float)
    return out


def median_se(x: np.ndarray) -> float:
    """Standard error of the median of finite x (normal approximation)."""
    x = x[np.isfinite(x)]
    if x.size < 2:
        return float("inf")
    return th.MEDIAN_SE_FACTOR * float(np.std(x, ddof=1)) / np.sqrt(x.size)


def finite(value) -> bool:
    """Whether ``value`` is a number and finite (None is not)."""
    return value is not None and bool(np.isfinite(value))
