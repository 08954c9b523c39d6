"""Checks on numeric options shared by the commands: a value outside its range is one line, exit 2,
before anything runs (``--duration 1e9`` would exhaust memory, ``--drift-ppm nan`` spin forever)."""

from __future__ import annotations

import math

from runform.sensors.errors import RunformError
from runform.sensors.units import RUNNING_SPEED_RANGE_MPS

#: the longest recording a command records or simulates in one go (s): a day
MAX_DURATION_S = 86_400.0
#: the fastest playback factor (replay, the virtual strap)
MAX_SPEED = 10_000.0
#: the largest clock drift a strap's crystal has (ppm); real ones are within +-100
MAX_DRIFT_PPM = 10_000.0
#: a given running speed (km/h): ``RUNNING_SPEED_RANGE_MPS``, which ``analysis.analyze`` accepts
MIN_SPEED_KMH, MAX_SPEED_KMH = (round(3.6 * v, 6) for v in RUNNING_SPEED_RANGE_MPS)


def require_number(value, option: str, low: float, high: float, *, low_inclusive: bool = True,
                   allow_none: bool = True) -> None:
    """``RunformError`` unless ``value`` is a finite number in ``[low, high]`` (``(low, high]`` when
    ``low_inclusive`` is false); ``None`` passes when ``allow_none``."""
    if value is None and allow_none:
        return
    ok = value is not None and math.isfinite(value) and value <= high and (value >= low if low_inclusive else value > low)
    if not ok:
        bound = f"{'from' if low_inclusive else 'above'} {low:g} {'to' if low_inclusive else 'up to'} {high:g}"
        shown = f"{value:g}" if isinstance(value, float) else value
        raise RunformError(f"{option} must be a number {bound}, not {shown}")
