"""Tracks from the runner's phone or watch: GPX, TCX and FIT files, read into one typed ``Track``.

``read_track(path)`` detects the kind from the content (a FIT header, else the XML root element),
reads it with a maintained reader (gpxpy for GPX, Garmin's FIT SDK for FIT, the standard library's
ElementTree for TCX; imported only when a track is read) and returns the times (UTC), the speed (the
file's own speed field where it has one, else from its distance field, else from its positions,
``_speed``), heart rate and cadence, NaN where a point has none. ``Track.side_channel(start_utc,
offset_s)`` puts them on the recording's clock, as the time series ``analysis.side_channels`` reads
(the recording's ``meta.extra["track"]``). Any damage (not XML, a truncated FIT, no timestamps) is a
one-line ``InputError``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.files import check_small_file
from runform.sensors.units import HEART_RATE_RANGE_BPM

#: the largest track file read: a 10-hour watch file at 1 s is a few MB of FIT or ~10 MB of XML
MAX_TRACK_BYTES = 200_000_000
#: track samples kept beyond the recording's ends (s): enough for the alignment search either side
KEEP_MARGIN_S = 900.0


@dataclass(frozen=True)
class Track:
    """One track: ``time_utc_s`` POSIX seconds (UTC, increasing), and per point ``speed_mps`` (m/s),
    ``heart_rate_bpm`` and ``cadence_spm`` (steps/min), NaN where unknown. ``speed_from`` says where the
    speed came from ("the file's speed field", "the file's distance field", "positions")."""

    kind: str
    path: str
    time_utc_s: np.ndarray
    speed_mps: np.ndarray
    heart_rate_bpm: np.ndarray
    cadence_spm: np.ndarray
    speed_from: str | None

    @property
    def has_speed(self) -> bool:
        return bool(np.isfinite(self.speed_mps).any())

    @property
    def has_heart_rate(self) -> bool:
        return bool(np.isfinite(self.heart_rate_bpm).any())

    @property
    def has_cadence(self) -> bool:
        return bool(np.isfinite(self.cadence_spm).any())

    def relative_times(self, start_utc: datetime) -> np.ndarray:
        """Seconds from ``start_utc`` (the recording's start) at each point, before any offset."""
        return self.time_utc_s - start_utc.timestamp()

    def side_channel(self, start_utc: datetime, offset_s: float, duration_s: float) -> dict:
        """The ``meta.extra["track"]`` block: the points within ``KEEP_MARGIN_S`` of the recording, on
        its clock (track time - ``start_utc`` + ``offset_s``); lists with None for unknown values (JSON)."""
        t = self.relative_times(start_utc) + offset_s
        keep = (t >= -KEEP_MARGIN_S) & (t <= duration_s + KEEP_MARGIN_S)

        def values(a):
            return [None if not math.isfinite(x) else round(float(x), 3) for x in a[keep]]

        return {"kind": self.kind, "file": Path(self.path).name, "offset_s": float(offset_s),
                "speed_from": self.speed_from, "time_s": [round(float(x), 3) for x in t[keep]],
                "speed_m_s": values(self.speed_mps), "bpm": values(self.heart_rate_bpm),
                "cadence_spm": values(self.cadence_spm)}


def detect_kind(head: bytes) -> str | None:
    """"FIT" (the header's ".FIT" at bytes 8-11), "GPX" or "TCX" (the XML root element), else None."""
    if len(head) >= 12 and head[8:12] == b".FIT":
        return "FIT"
    text = head.decode("utf-8", "replace").lower()
    if "<gpx" in text:
        return "GPX"
    if "<trainingcenterdatabase" in text:
        return "TCX"
    return None


def read_track(path) -> Track:
    """The track in ``path`` (GPX, TCX or FIT, detected from the content); ``InputError`` (one line) for
    anything else, a damaged file, or a file without timestamps."""
    path = Path(path)
    check_small_file(path, "track", MAX_TRACK_BYTES)
    data = path.read_bytes()
    kind = detect_kind(data[:4096])
    if kind is None:
        raise InputError(path, "is not a GPX, TCX or FIT track (no FIT header, no <gpx> or "
                               "<TrainingCenterDatabase> element)")
    if kind == "GPX":
        from runform.sensors.tracks._gpx import read_gpx as reader
    elif kind == "TCX":
        from runform.sensors.tracks._tcx import read_tcx as reader
    else:
        from runform.sensors.tracks._fit import read_fit as reader
    points = reader(path, data)
    return _track(kind, path, points)


def _track(kind: str, path: Path, points) -> Track:
    """The ``Track`` from a reader's ``Points``: sorted by time, duplicate times dropped, speed filled in."""
    from runform.sensors.tracks._speed import speed_for

    t = np.asarray(points.time_utc_s, float)
    ok = np.isfinite(t)
    if ok.sum() < 2:
        raise InputError(path, f"this {kind} file has {'no' if not ok.any() else 'only one'} point with a timestamp; "
                               "a track needs timed points")
    order = np.argsort(t[ok], kind="stable")
    cols = {name: np.asarray(getattr(points, name), float)[ok][order] for name in
            ("speed_mps", "distance_m", "lat_deg", "lon_deg", "heart_rate_bpm", "cadence_spm")}
    t = t[ok][order]
    first = np.concatenate([[True], np.diff(t) > 0])  # one point per timestamp
    t = t[first]
    cols = {k: v[first] for k, v in cols.items()}
    speed, source = speed_for(t, cols["speed_mps"], cols["distance_m"], cols["lat_deg"], cols["lon_deg"])
    hr = np.where((cols["heart_rate_bpm"] >= HEART_RATE_RANGE_BPM[0]) & (cols["heart_rate_bpm"] <= HEART_RATE_RANGE_BPM[1]), cols["heart_rate_bpm"], np.nan)
    cad = np.where((cols["cadence_spm"] > 0) & (cols["cadence_spm"] <= 300), cols["cadence_spm"], np.nan)
    return Track(kind, str(path), t, speed, hr, cad, source)


