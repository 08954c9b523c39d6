"""GPX 1.0/1.1 tracks (a phone's or watch's export), read with gpxpy (Tomo Krajina, Apache-2.0).

Per track point: time, latitude/longitude, GPX 1.0's ``<speed>``, and Garmin's TrackPointExtension
(``gpxtpx:hr``, ``gpxtpx:cad``, ``gpxtpx:speed``; Garmin, TrackPointExtension v2 schema). The
extension's cadence is per foot (strides/min, as Garmin writes it for running): steps/min = 2 x cad.
Times without a zone are UTC (GPX 1.1 schema: dateTime in UTC).
"""

from __future__ import annotations

from datetime import timezone

from runform.sensors.errors import InputError
from runform.sensors.tracks._points import Points

#: extension element local names -> field
EXTENSION_FIELDS = {"hr": "hr", "heartrate": "hr", "cad": "cadence", "cadence": "cadence", "speed": "speed"}


def _local(tag) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _extensions(point) -> dict:
    found = {}
    for ext in getattr(point, "extensions", None) or []:
        for el in ext.iter():
            key = EXTENSION_FIELDS.get(_local(el.tag))
            if key and el.text and key not in found:
                try:
                    found[key] = float(el.text.strip())
                except ValueError:
                    continue
    return found


def read_gpx(path, data: bytes) -> Points:
    import gpxpy
    import gpxpy.gpx

    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="replace"))
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise InputError(path, f"not a readable GPX file: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    pts = Points()
    for trk in gpx.tracks:
        for seg in trk.segments:
            for p in seg.points:
                if p.time is None:
                    continue
                when = p.time if p.time.tzinfo else p.time.replace(tzinfo=timezone.utc)
                ext = _extensions(p)
                speed = p.speed if p.speed is not None else ext.get("speed")
                cad = ext.get("cadence")
                pts.add(when.timestamp(), speed=speed, lat=p.latitude, lon=p.longitude, hr=ext.get("hr"),
                        cadence=None if cad is None else 2.0 * cad)
    return pts
