"""What a strap reports beside its samples, as time series in recording seconds: heart rate (BLE 0x2A37,
the Polar H10) and a footpod's running speed (BLE Running Speed and Cadence, 0x2A53). The recorder keeps
them in the sidecar's ``extra`` (``sensors.ble_link.SideChannels``: ``heart_rate`` {time_s, bpm, rr_ms},
``running_speed_cadence`` {time_s, speed_m_s, cadence_per_min}).

Used by ``analyze``: heart rate per bout, for running and walking, and its drift over the running; the
footpod's speed as the running speed when none is given (``analysis.speed``).
"""

from __future__ import annotations

import numpy as np

#: a side-channel value stands for the time within this many seconds of its sample (straps notify ~1 Hz)
MAX_GAP_S = 5.0


def _series(meta, key: str, value_key: str, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray] | None:
    block = (getattr(meta, "extra", None) or {}).get(key)
    if not isinstance(block, dict):
        return None
    try:
        t = np.asarray(block.get("time_s", []), float)
        v = np.asarray(block.get(value_key, []), float)
    except (TypeError, ValueError):
        return None
    if t.ndim != 1 or t.shape != v.shape:
        return None
    ok = np.isfinite(t) & np.isfinite(v) & (v >= lo) & (v <= hi)
    if ok.sum() < 2:
        return None
    order = np.argsort(t[ok], kind="stable")
    return t[ok][order], v[ok][order]


def heart_rate(meta) -> tuple[np.ndarray, np.ndarray] | None:
    """(time s, bpm) of the strap's heart rate, plausible values (25-250 bpm) only; None without."""
    return _series(meta, "heart_rate", "bpm", 25.0, 250.0)


def footpod_speed(meta) -> tuple[np.ndarray, np.ndarray] | None:
    """(time s, m/s) of a footpod's running speed (0.5-12 m/s); None without."""
    return _series(meta, "running_speed_cadence", "speed_m_s", 0.5, 12.0)


def at(series, times) -> np.ndarray:
    """The series at ``times`` (linear interpolation); NaN farther than ``MAX_GAP_S`` from any sample."""
    t, v = series
    times = np.asarray(times, float)
    out = np.interp(times, t, v)
    i = np.clip(np.searchsorted(t, times), 1, t.size - 1)
    near = np.minimum(np.abs(times - t[i - 1]), np.abs(times - t[i]))
    return np.where(near <= MAX_GAP_S, out, np.nan)


def median_over(series, spans) -> float | None:
    """Median of the samples inside any of ``spans`` [(start s, end s)]; None when there are none."""
    if series is None or not spans:
        return None
    t, v = series
    inside = np.zeros(t.size, bool)
    for a, b in spans:
        inside |= (t >= a) & (t < b)
    return float(np.median(v[inside])) if inside.any() else None


def drift_bpm(series, run_spans) -> float | None:
    """Heart-rate drift over the running (bpm): the last run bout's median minus the first's; with one run
    bout, its last third minus its first third (cardiac drift at a steady pace; a rise at the same cadence
    and speed means the effort is telling). None without heart rate or running."""
    if series is None or not run_spans:
        return None
    if len(run_spans) >= 2:
        first, last = median_over(series, run_spans[:1]), median_over(series, run_spans[-1:])
    else:
        a, b = run_spans[0]
        third = (b - a) / 3.0
        first, last = median_over(series, [(a, a + third)]), median_over(series, [(b - third, b)])
    return None if first is None or last is None else last - first
