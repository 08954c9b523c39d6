"""The simulated runner's GPX track, as a phone or watch would record it during the session.

The simulator knows where the runner is: each schedule segment moves at its gait's ``speed_mps`` (standing
and sitting: still). The track is sampled every ``every_s`` seconds along a straight line heading north from
``START_LAT_DEG``/``START_LON_DEG``, with a GPS position error that wanders slowly (a first-order
autoregressive process, a few metres, correlated over ``GPS_ERROR_TAU_S``: a phone's fix drifts rather than
scatters from second to second) and a heart rate that follows the effort with a first-order lag (resting 70,
walking 105, running 150 bpm, time constant 30 s) and drifts up by ``HR_DRIFT_BPM_PER_MIN`` over the session
(cardiac drift): a plausible beginner, not a physiological model. Written with gpxpy (Garmin's
TrackPointExtension for the heart rate), atomically. ``offset_s`` shifts the track's clock (a watch whose
clock differs from the strap's).
"""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import numpy as np

from runform.sensors.atomic import write_text_atomic
from runform.sensors.units import parse_utc

START_LAT_DEG, START_LON_DEG = 52.0, 4.0
METRES_PER_DEG_LAT = 111_195.0
#: the heart rate each activity settles at (bpm), and how fast it gets there (s)
HR_AT = {"stand": 70.0, "sit": 65.0, "walk": 105.0, "stairs_up": 120.0, "stairs_down": 100.0, "run": 150.0,
         "sprint": 170.0}
HR_TAU_S = 30.0
HR_DRIFT_BPM_PER_MIN = 0.2
GPS_ERROR_TAU_S = 30.0
GPXTPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


def speed_at(result, times_s: np.ndarray) -> np.ndarray:
    """The simulated runner's speed (m/s) at ``times_s`` (recording seconds), from the truth's bouts."""
    v = np.zeros(times_s.size)
    for b in result.truth.bouts:
        gait = getattr(result.profile, b["kind"], None) if b["kind"] not in ("stand", "sit") else None
        speed = float(getattr(gait, "speed_mps", 0.0) or 0.0) if gait is not None else 0.0
        v[(times_s >= b["start_s"]) & (times_s < b["end_s"])] = speed
    return v


def heart_rate_at(result, times_s: np.ndarray) -> np.ndarray:
    """A lagged heart rate (bpm) following the activity of the truth's bouts (``HR_AT``, ``HR_TAU_S``), drifting
    up by ``HR_DRIFT_BPM_PER_MIN``."""
    target = np.full(times_s.size, HR_AT["stand"])
    for b in result.truth.bouts:
        target[(times_s >= b["start_s"]) & (times_s < b["end_s"])] = HR_AT.get(b["kind"], HR_AT["walk"])
    target = target + HR_DRIFT_BPM_PER_MIN * times_s / 60.0
    hr = np.empty(times_s.size)
    level = target[0] if target.size else HR_AT["stand"]
    dt = np.diff(times_s, prepend=times_s[0] if times_s.size else 0.0)
    for i, (goal, step) in enumerate(zip(target, dt)):
        level += (goal - level) * (1.0 - np.exp(-step / HR_TAU_S))
        hr[i] = level
    return hr


def _gps_error(n: int, every_s: float, sigma_m: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """North and east position errors (m): AR(1) with standard deviation ``sigma_m`` and time constant
    ``GPS_ERROR_TAU_S``."""
    rng = np.random.default_rng(seed)
    phi = np.exp(-every_s / GPS_ERROR_TAU_S)
    shocks = rng.normal(0.0, sigma_m * np.sqrt(1 - phi ** 2), (2, n))
    err = np.zeros((2, n))
    if n:
        err[:, 0] = rng.normal(0.0, sigma_m, 2)
    for i in range(1, n):
        err[:, i] = phi * err[:, i - 1] + shocks[:, i]
    return err[0], err[1]


def write_gpx(result, path, every_s: float = 1.0, offset_s: float = 0.0, noise_m: float = 3.0,
              seed: int = 0, heart_rate: bool = True, start_utc: str | None = None,
              duration_s: float | None = None) -> Path:
    """Write the session's GPX track to ``path`` (atomically) and return it. ``start_utc`` (ISO 8601) and
    ``duration_s``: when the session started and how long the track is (default: the simulated
    recording's; the demo gives those of the recording made from the virtual strap)."""
    import gpxpy.gpx
    import xml.etree.ElementTree as ET

    rec = result.recording
    start = parse_utc(start_utc or rec.meta.start_utc)
    if start is None:
        raise ValueError(f"no start time (ISO 8601) to date the track by: {start_utc or rec.meta.start_utc!r}")
    t = np.arange(0.0, rec.duration_s if duration_s is None else duration_s, every_s)
    v = speed_at(result, t)
    north_m = np.concatenate([[0.0], np.cumsum((v[1:] + v[:-1]) / 2 * np.diff(t))])
    err_n, err_e = _gps_error(t.size, every_s, noise_m, seed)
    lat = START_LAT_DEG + (north_m + err_n) / METRES_PER_DEG_LAT
    lon = START_LON_DEG + err_e / (METRES_PER_DEG_LAT * np.cos(np.radians(START_LAT_DEG)))
    hr = heart_rate_at(result, t)
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "runform simulator"
    gpx.nsmap["gpxtpx"] = GPXTPX_NS
    track, segment = gpxpy.gpx.GPXTrack(name="simulated session"), gpxpy.gpx.GPXTrackSegment()
    gpx.tracks.append(track)
    track.segments.append(segment)
    for ti, la, lo, h in zip(t, lat, lon, hr):
        when = (start + timedelta(seconds=float(ti) - offset_s)).astimezone(timezone.utc)
        point = gpxpy.gpx.GPXTrackPoint(float(la), float(lo), time=when)
        if heart_rate:
            ext = ET.Element(f"{{{GPXTPX_NS}}}TrackPointExtension")
            ET.SubElement(ext, f"{{{GPXTPX_NS}}}hr").text = str(int(round(h)))
            point.extensions.append(ext)
        segment.points.append(point)
    return write_text_atomic(path, gpx.to_xml())
