"""Physical constants and unit conversions used at the input boundary, and the one reading of ISO 8601
date-times (``parse_utc``, ``iso_posix_seconds``).

Canonical units inside runform: time s, acceleration g (specific force), angular rate deg/s.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

STANDARD_GRAVITY = 9.80665  # m/s^2 per g (CGPM 1901)
MG_PER_G = 1000.0
DEG_PER_RAD = 180.0 / math.pi

#: running speeds runform accepts (m/s: 1.8-43 km/h): ``--speed-kmh``, the sidecar, a track or a footpod
RUNNING_SPEED_RANGE_MPS = (0.5, 12.0)
#: heart rates that are readings (bpm): a strap writes 0 without skin contact
HEART_RATE_RANGE_BPM = (25.0, 250.0)

#: accepted unit names -> factor that converts the value into canonical units
ACC_UNITS = {
    "g": 1.0,
    "mg": 1.0 / MG_PER_G,
    "m/s2": 1.0 / STANDARD_GRAVITY,
    "m/s^2": 1.0 / STANDARD_GRAVITY,
    "ms2": 1.0 / STANDARD_GRAVITY,
}
GYRO_UNITS = {
    "dps": 1.0,
    "deg/s": 1.0,
    "rad/s": DEG_PER_RAD,
    "rads": DEG_PER_RAD,
    "mdps": 1e-3,
}
TIME_UNITS = {
    "s": 1.0,
    "ms": 1e-3,
    "us": 1e-6,
    "ns": 1e-9,
}


def parse_utc(text: str | None) -> datetime | None:
    """An ISO 8601 date-time (``2026-11-28T09:00:00Z``, with an offset, or naive = UTC, as ``Metadata.start_utc``
    holds it) as a datetime in UTC; None when absent or unreadable. (Python >= 3.11's ``fromisoformat`` reads
    "Z", offsets with or without a colon and any number of fraction digits.)"""
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(str(text).strip())
    except ValueError:
        return None
    return dt.astimezone(timezone.utc) if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def iso_posix_seconds(texts):
    """ISO 8601 date-times as POSIX seconds (float64 array), naive ones taken as UTC (as GPX and TCX specify;
    a phone's local times without a zone stay on one clock, which is all their differences need); surrounding
    blanks ignored, NaN where unreadable. pandas is imported when this is called."""
    import pandas as pd

    texts = pd.Series(list(texts), dtype=object).astype(str).str.strip()
    parsed = pd.to_datetime(texts, utc=True, errors="coerce", format="ISO8601")
    return (parsed - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy(float)
