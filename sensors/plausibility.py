"""Physically impossible input is caught before analysis (issue 11, item 7).

* Units: the median magnitude of specific force over a recording is close to 1 g (at rest it is
  exactly 1 g; in walking and running the trunk's mean vertical acceleration is zero, so the median
  magnitude stays near 1 g). Far from it, the numbers are not in g: ``check_units`` says which unit
  they look like (m/s², mg, raw counts) instead of analysing them.
* Range: a sample beyond the sensor's full scale (``Metadata.acc_range_g`` with a small margin, else
  ``MAX_ACC_G``/``MAX_GYRO_DPS``, beyond any body-worn IMU) cannot have been measured: it is
  removed, counted in ``meta.extra["out_of_range"]`` and recorded as a gap (reason
  ``"out of range"``), so the analysis treats it like a lost sample instead of one cell of 1e10
  turning a run into "0 steps".
"""

from __future__ import annotations

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.recording import Gap, Recording

#: median |acc| accepted as "in g" (g)
G_BAND = (0.5, 2.0)
#: what a median magnitude outside ``G_BAND`` looks like: (low, high, unit, advice)
UNIT_GUESSES = (
    (7.0, 14.0, "m/s² (resting magnitude {m:.3g}, gravity is 9.81 m/s²)", "m/s2"),
    (500.0, 2000.0, "mg (resting magnitude {m:.4g}, 1 g = 1000 mg)", "mg"),
    (2.0, 7.0, "raw sensor counts or the wrong unit (resting magnitude {m:.3g})", None),
    (14.0, 500.0, "raw sensor counts (resting magnitude {m:.4g}; common scales are 64-512 counts per g)", None),
    (2000.0, float("inf"), "raw sensor counts (resting magnitude {m:.4g}; common scales are 4096-16384 counts per g)", None),
)
#: beyond any body-worn accelerometer (the widest common full scale is +-400 g, ADXL372/375 class: 200 g)
MAX_ACC_G = 400.0
#: beyond any body-worn gyroscope (common full scales reach 4000 deg/s)
MAX_GYRO_DPS = 10_000.0
#: a sample up to this factor past the declared full scale is still believable (saturation, rounding)
RANGE_MARGIN = 1.05
#: out-of-range samples listed by index in the metadata
LISTED = 20
GAP_REASON = "out of range"


def median_magnitude(acc: np.ndarray) -> float:
    """Median of |acc| over the samples (g); the sum of squares in one pass, no temporary arrays."""
    return float(np.median(np.sqrt(np.einsum("ij,ij->i", acc, acc))))


def check_units(rec: Recording, label) -> None:
    """``InputError`` when the acceleration is evidently not in g, naming the unit it looks like.
    Skipped for sources that remove gravity (``meta.extra["gravity_removed"]``) or hold fewer than
    two axes (``absent_channels``)."""
    if rec.meta.extra.get("gravity_removed") or len(rec) < 2:
        return
    m = median_magnitude(rec.acc)
    if G_BAND[0] <= m <= G_BAND[1]:
        return
    if m < G_BAND[0]:
        raise InputError(label, f"acceleration magnitude {m:.3g} g is far below 1 g: gravity removed "
                                "(linear acceleration), or not in g; runform needs specific force in g")
    for low, high, what, unit in UNIT_GUESSES:
        if low <= m < high:
            hint = f"; read it with --columns ...=COLUMN:{unit}" if unit else "; convert to g first"
            raise InputError(label, f"acceleration is not in g: the values look like {what.format(m=m)}{hint}")


def _within(values: np.ndarray, limit: float) -> bool:
    """Every value within ``[-limit, limit]`` (a NaN is not: the per-sample check then decides)."""
    return len(values) == 0 or bool(values.max() <= limit and values.min() >= -limit)


def exclude_out_of_range(rec: Recording) -> Recording:
    """``rec`` without the samples beyond the sensor's range (see the module docstring); unchanged
    when there are none."""
    acc_limit = rec.meta.acc_range_g * RANGE_MARGIN if rec.meta.acc_range_g else MAX_ACC_G
    if _within(rec.acc, acc_limit) and (rec.gyro is None or _within(rec.gyro, MAX_GYRO_DPS)):
        return rec  # the usual case, told by two reductions per array instead of a mask per sample
    bad = (np.abs(rec.acc) > acc_limit).any(axis=1)
    if rec.gyro is not None:
        bad |= (np.abs(rec.gyro) > MAX_GYRO_DPS).any(axis=1)
    if not bad.any():
        return rec
    keep = ~bad
    if keep.sum() < 2:
        raise InputError(rec.meta.source_file, f"every sample is beyond the sensor's range (|acc| > {acc_limit:g} g)")
    idx = np.flatnonzero(bad)
    t = rec.time
    period = 1.0 / rec.rate_hz if rec.rate_hz else float(np.median(np.diff(t)))
    gaps = []
    for run in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1):  # consecutive bad samples: one gap
        before, after = run[0] - 1, run[-1] + 1
        start = float(t[before]) if before >= 0 else float(t[run[0]]) - period
        end = float(t[after]) if after < len(t) else float(t[run[-1]]) + period
        gaps.append(Gap(start, end, int(run.size), GAP_REASON))
    meta = rec.meta
    meta.gaps = sorted(list(meta.gaps) + gaps, key=lambda g: g.start_s)
    meta.lost_samples += int(idx.size)
    meta.extra["out_of_range"] = {"count": int(idx.size), "limit_acc_g": acc_limit,
                                  "first_samples": [int(i) for i in idx[:LISTED]],
                                  "action": "removed; recorded as gaps"}
    gyro = None if rec.gyro is None else rec.gyro[keep]
    return Recording(t[keep], rec.acc[keep], gyro, meta)
