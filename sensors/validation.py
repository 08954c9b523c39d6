"""Checks every reader runs on the samples it parsed, so bad input fails with one clear line.

Duplicate and out-of-order timestamps are reported (with the row), never silently dropped;
gaps are not errors (they go into metadata).
"""

from __future__ import annotations

import numpy as np

from runform.sensors.errors import InputError

#: file line number of the first data row when the file has one header line
FIRST_DATA_LINE = 2
#: median sample rates outside this range (Hz; the low end included) mean the time unit is wrong (ms read as s, s as ms)
PLAUSIBLE_RATE_HZ = (0.5, 100_000.0)


def check_samples(path, time: np.ndarray, channels: dict[str, np.ndarray], first_line: int = FIRST_DATA_LINE) -> np.ndarray:
    """Raise ``InputError`` for too few samples, non-finite values, or non-increasing time.

    ``channels`` maps a column name to its (n,) or (n, k) values; ``first_line`` is the file line
    of ``time[0]`` so errors can name the row. Returns the time steps ``np.diff(time)`` (s), which
    callers pass on as ``steps`` (``recording.timestamp_rate_hz``, ``find_gaps``) instead of taking
    them again.
    """
    n = int(np.asarray(time).shape[0])
    if n == 0:
        raise InputError(path, "no samples (header only?)")
    if n == 1:
        raise InputError(path, "only one sample; a recording needs at least two")
    for name, values in {"time": time, **channels}.items():
        finite = np.isfinite(np.asarray(values, dtype=np.float64))
        if not finite.all():
            row = int(np.flatnonzero(~finite.reshape(n, -1).all(axis=1))[0])
            raise InputError(path, f"non-finite value (NaN or inf) in column '{name}'", row + first_line)
    dt = np.diff(np.asarray(time, dtype=np.float64))
    dup = np.flatnonzero(dt == 0)
    back = np.flatnonzero(dt < 0)
    if dup.size:
        raise InputError(path, f"duplicate timestamp {float(time[dup[0]]):.9g}: {dup.size} duplicate row(s), first", int(dup[0]) + 1 + first_line)
    if back.size:
        raise InputError(path, f"timestamps go backwards: {back.size} out-of-order row(s), first", int(back[0]) + 1 + first_line)
    check_time_unit(path, dt)
    return dt


def check_time_unit(path, dt: np.ndarray) -> None:
    """``InputError`` when the median interval says the times are in another unit than seconds."""
    interval = float(np.median(dt))
    rate = 1.0 / interval
    if rate <= PLAUSIBLE_RATE_HZ[0]:
        raise InputError(path, f"median sample interval {interval:.6g} s ({rate:.3g} Hz): no body-worn IMU samples "
                               "this slowly; times in milliseconds read as seconds? (--columns time=COLUMN:ms)")
    if rate > PLAUSIBLE_RATE_HZ[1]:
        raise InputError(path, f"median sample interval {interval:.3g} s ({rate:.3g} Hz): faster than any body-worn "
                               "IMU; times in seconds read as milliseconds? (--columns time=COLUMN:s)")


def drop_identical_repeats(time: np.ndarray, channels: dict[str, np.ndarray], first_line: int = FIRST_DATA_LINE):
    """Find records that repeat the previous one exactly (same time and every value): a logger wrote
    the same sample twice. Returns ``(keep_mask, repeated_file_rows)``; nothing is lost by removing
    them, and callers report the count. A duplicate time with different values is NOT a repeat
    (``check_samples`` reports it as an error).
    """
    t = np.asarray(time, dtype=np.float64)
    n = t.shape[0]
    same = np.zeros(max(n - 1, 0), dtype=bool)
    if n > 1:
        same = t[1:] == t[:-1]
        for values in channels.values():
            v = np.asarray(values, dtype=np.float64).reshape(n, -1)
            same &= np.all(v[1:] == v[:-1], axis=1)
    idx = np.flatnonzero(same) + 1
    keep = np.ones(n, dtype=bool)
    keep[idx] = False
    return keep, [int(i) + first_line for i in idx]
