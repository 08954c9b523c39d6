"""``Points``: what a track reader hands over, one array per field, NaN where a point has none."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Points:
    """Per point: ``time_utc_s`` (POSIX s), ``speed_mps``, ``distance_m`` (cumulative), ``lat_deg``,
    ``lon_deg``, ``heart_rate_bpm``, ``cadence_spm`` (steps/min)."""

    time_utc_s: list = field(default_factory=list)
    speed_mps: list = field(default_factory=list)
    distance_m: list = field(default_factory=list)
    lat_deg: list = field(default_factory=list)
    lon_deg: list = field(default_factory=list)
    heart_rate_bpm: list = field(default_factory=list)
    cadence_spm: list = field(default_factory=list)

    def add(self, time_utc_s, speed=None, distance=None, lat=None, lon=None, hr=None, cadence=None) -> None:
        for name, value in (("time_utc_s", time_utc_s), ("speed_mps", speed), ("distance_m", distance),
                            ("lat_deg", lat), ("lon_deg", lon), ("heart_rate_bpm", hr), ("cadence_spm", cadence)):
            getattr(self, name).append(np.nan if value is None else float(value))


