"""Shared by every importer: turn time + channel arrays into a validated ``Recording`` (repeated
records, non-finite values, duplicate/backwards time, gaps). Reading the table itself:
``sensors.tables``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.recording import Metadata, Recording, find_gaps
from runform.sensors.validation import check_samples, drop_identical_repeats

#: words in a file name that say where the sensor was worn (first match wins)
PLACEMENT_WORDS = {
    "chest": "chest", "back": "back", "waist": "waist", "hip": "waist", "sacr": "sacrum",
    "neck": "neck", "wrist": "wrist", "shank": "shank",
}


def require_columns(df_columns, wanted, label) -> None:
    missing = [c for c in wanted if c not in df_columns]
    if missing:
        have = ", ".join(str(c) for c in df_columns)
        raise InputError(label, f"missing column(s) {', '.join(map(str, missing))}; the file has: {have}")


def placement_from_name(path) -> str | None:
    name = Path(str(path)).name.lower()
    for word, placement in PLACEMENT_WORDS.items():
        if word in name:
            return placement
    return None


def relative_seconds(ticks: np.ndarray, seconds_per_tick: float) -> np.ndarray:
    """Integer (or float) clock ticks -> float64 seconds from the first tick, without losing precision
    on large epochs (the subtraction is done on the integers)."""
    t = np.asarray(ticks)
    if t.dtype.kind in "iu":
        return (t - t[0]).astype(np.float64) * seconds_per_tick
    return (t.astype(np.float64) - float(t[0])) * seconds_per_tick


def build_recording(label, time_s, acc_g, gyro_dps, meta: Metadata, first_line: int) -> Recording:
    """Validate arrays already in canonical units and wrap them in a ``Recording``.

    Identical repeated records (same time and values) are removed and counted in
    ``meta.extra["repeated_records"]``; any other duplicate or backwards time, NaN/inf, or fewer than
    two samples raises ``InputError``. Time is shifted to start at 0; gaps go into ``meta.gaps``.
    """
    time_s = np.asarray(time_s, dtype=np.float64)
    acc_g = np.asarray(acc_g, dtype=np.float64)
    gyro_dps = None if gyro_dps is None else np.asarray(gyro_dps, dtype=np.float64)
    chans = {"acc": acc_g} if gyro_dps is None else {"acc": acc_g, "gyro": gyro_dps}
    keep, repeated_rows = drop_identical_repeats(time_s, chans, first_line)
    if repeated_rows:
        time_s, acc_g = time_s[keep], acc_g[keep]
        gyro_dps = None if gyro_dps is None else gyro_dps[keep]
        chans = {"acc": acc_g} if gyro_dps is None else {"acc": acc_g, "gyro": gyro_dps}
        meta.extra["repeated_records"] = {"count": len(repeated_rows), "rows": repeated_rows[:20],
                                          "action": "identical repeats removed"}
    check_samples(label, time_s, chans, first_line)
    time_s = time_s - time_s[0]
    meta.source_file = meta.source_file or str(label)
    if meta.placement is None:
        meta.placement = placement_from_name(label)
    meta.gaps = find_gaps(time_s, meta.nominal_rate_hz)
    meta.lost_samples = max(meta.lost_samples, sum(g.missing_samples for g in meta.gaps))
    return Recording(time_s, acc_g, gyro_dps, meta)


def match_times(t_ref: np.ndarray, t_other: np.ndarray, tolerance_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Pair each ``t_ref`` sample with the nearest ``t_other`` sample within ``tolerance_s``.

    Returns ``(ok, idx)``: ``ok`` marks reference samples with a partner, ``idx`` the partner index.
    Nothing is interpolated: a stream is merged only sample-to-sample.
    """
    t_other = np.asarray(t_other, dtype=np.float64)
    j = np.clip(np.searchsorted(t_other, t_ref), 1, len(t_other) - 1)
    left, right = t_other[j - 1], t_other[j]
    idx = np.where(np.abs(t_ref - left) <= np.abs(right - t_ref), j - 1, j)
    ok = np.abs(t_other[idx] - t_ref) <= tolerance_s
    return ok, idx


def merge_gyro(label, t_acc, acc, t_gyro, gyro, meta: Metadata):
    """Attach a separately logged gyro stream to the accelerometer samples by timestamp.

    Pairs within half the median accelerometer period are matched; accelerometer samples outside the
    gyro stream's time span are trimmed (counted in ``meta.extra["trimmed_to_gyro"]``). If fewer than
    ``MIN_GYRO_MATCH`` of the overlapping samples pair up (different rates), the gyro is left out and
    the reason goes into ``meta.extra["gyro_not_merged"]``.
    """
    if len(t_gyro) < 2:
        meta.extra["gyro_not_merged"] = "gyro file has fewer than two samples"
        return t_acc, acc, None
    order_ok = np.all(np.diff(t_gyro) > 0)
    if not order_ok:
        meta.extra["gyro_not_merged"] = "gyro timestamps are not strictly increasing"
        return t_acc, acc, None
    tol = 0.5 * float(np.median(np.diff(t_acc))) if len(t_acc) > 1 else 0.0
    inside = (t_acc >= t_gyro[0] - tol) & (t_acc <= t_gyro[-1] + tol)
    ok, idx = match_times(t_acc[inside], t_gyro, tol)
    if inside.sum() < 2 or ok.mean() < MIN_GYRO_MATCH:
        meta.extra["gyro_not_merged"] = (
            f"only {ok.mean():.0%} of accelerometer samples have a gyro sample within {tol * 1e3:.1f} ms")
        return t_acc, acc, None
    trimmed = int((~inside).sum())
    if trimmed:
        meta.extra["trimmed_to_gyro"] = trimmed
    t_in, acc_in = t_acc[inside], acc[inside]
    unmatched = int((~ok).sum())
    if unmatched:
        meta.extra["acc_samples_without_gyro_dropped"] = unmatched
    return t_in[ok], acc_in[ok], np.asarray(gyro)[idx[ok]]


#: fraction of overlapping accelerometer samples that must find a gyro partner to merge the streams
MIN_GYRO_MATCH = 0.95
