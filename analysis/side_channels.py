"""Time series beside the samples, in recording seconds: heart rate (BLE 0x2A37, the Polar H10) and a
footpod's running speed (BLE Running Speed and Cadence, 0x2A53), which the recorder keeps in the sidecar's
``extra`` (``sensors.ble_link.SideChannels``: ``heart_rate`` {time_s, bpm, rr_ms}, ``running_speed_cadence``
{time_s, speed_m_s, cadence_per_min}), and the speed, heart rate and cadence of the runner's GPX, TCX or FIT
track (``extra["track"]`` {kind, file, offset_s, time_s, speed_m_s, bpm, cadence_spm}, put there by
``sensors.tracks.Track.side_channel`` on the recording's clock).

Used by ``analyze``: heart rate per bout, for running and walking, and its drift over the running (the
strap's, else the track's: a chest strap's ECG-timed beats are steadier than a watch's optical reading);
the track's speed, else the footpod's, as the running speed when none is given (``analysis.speed``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from runform.sensors.units import HEART_RATE_RANGE_BPM, RUNNING_SPEED_RANGE_MPS

#: a side-channel value stands for the time within this many seconds of its sample (straps notify ~1 Hz)
MAX_GAP_S = 5.0
#: a track point stands for this many seconds around it (watches record every 1 s, or every few seconds
#: with "smart recording")
TRACK_MAX_GAP_S = 10.0
TRACK = "track"


class Channel(NamedTuple):
    """One side channel: ``time_s`` (recording seconds, increasing), ``values``, where it came from
    (``source``, as the summary names it) and how far a sample stands for its neighbourhood (s)."""

    time_s: np.ndarray
    values: np.ndarray
    source: str
    max_gap_s: float = MAX_GAP_S


def _series(meta, key: str, value_key: str, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray] | None:
    block = (getattr(meta, "extra", None) or {}).get(key)
    if not isinstance(block, dict):
        return None
    try:
        t = np.asarray(block.get("time_s", []), float)
        v = np.asarray([np.nan if x is None else x for x in block.get(value_key, [])], float)
    except (TypeError, ValueError):
        return None
    if t.ndim != 1 or t.shape != v.shape:
        return None
    ok = np.isfinite(t) & np.isfinite(v) & (v >= lo) & (v <= hi)
    if ok.sum() < 2:
        return None
    order = np.argsort(t[ok], kind="stable")
    return t[ok][order], v[ok][order]


def track_kind(meta) -> str | None:
    """"track (GPX)" etc. for the track in ``meta.extra``, None without one."""
    block = (getattr(meta, "extra", None) or {}).get(TRACK)
    return f"track ({block.get('kind', '?')})" if isinstance(block, dict) else None


def _track_channel(meta, value_key: str, lo: float, hi: float) -> Channel | None:
    series = _series(meta, TRACK, value_key, lo, hi)
    return None if series is None else Channel(*series, track_kind(meta), TRACK_MAX_GAP_S)


def heart_rate(meta) -> Channel | None:
    """Heart rate (bpm, plausible values 25-250 only): the strap's, else the track's; None without."""
    strap = _series(meta, "heart_rate", "bpm", *HEART_RATE_RANGE_BPM)
    return Channel(*strap, "strap") if strap is not None else _track_channel(meta, "bpm", *HEART_RATE_RANGE_BPM)


def footpod_speed(meta) -> tuple[np.ndarray, np.ndarray] | None:
    """(time s, m/s) of a footpod's running speed (0.5-12 m/s); None without."""
    return _series(meta, "running_speed_cadence", "speed_m_s", *RUNNING_SPEED_RANGE_MPS)


def track_speed(meta) -> Channel | None:
    """The running speed (m/s, 0.5-12) of the runner's track (``--track``) in the recording's side channels;
    None without."""
    return _track_channel(meta, "speed_m_s", *RUNNING_SPEED_RANGE_MPS)


def running_speed(meta, track: Channel | None) -> Channel | None:
    """Running speed (m/s, 0.5-12): ``track`` (``track_speed(meta)``, which the caller has read), else a
    footpod's; None without."""
    if track is not None:
        return track
    pod = footpod_speed(meta)
    return None if pod is None else Channel(*pod, "footpod (BLE RSC)")


def at(series: Channel, times) -> np.ndarray:
    """The series at ``times`` (linear interpolation); NaN farther than its ``max_gap_s`` from any sample."""
    t, v = series.time_s, series.values
    times = np.asarray(times, float)
    out = np.interp(times, t, v)
    i = np.clip(np.searchsorted(t, times), 1, t.size - 1)
    near = np.minimum(np.abs(times - t[i - 1]), np.abs(times - t[i]))
    return np.where(near <= series.max_gap_s, out, np.nan)


def median_over(series: Channel | None, spans) -> float | None:
    """Median of the samples inside any of ``spans`` [(start s, end s)]; None when there are none."""
    if series is None or not spans:
        return None
    t, v = series.time_s, series.values
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
