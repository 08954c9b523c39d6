"""TCX (Garmin Training Center Database v2) tracks, read with the standard library's ElementTree.

Per ``Trackpoint``: ``Time``, ``Position`` (degrees), ``DistanceMeters`` (cumulative), ``HeartRateBpm/Value``,
and the ActivityExtension v2 ``TPX`` element's ``Speed`` (m/s) and ``RunCadence`` (strides/min, per foot:
steps/min = 2 x RunCadence); a running file's plain ``Cadence`` is read the same way (Garmin,
TrainingCenterDatabasev2.xsd and ActivityExtensionv2.xsd).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from runform.sensors.errors import InputError
from runform.sensors.tracks._points import Points
from runform.sensors.units import iso_posix_seconds


def _local(tag) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _number(el) -> float | None:
    if el is None or el.text is None:
        return None
    try:
        return float(el.text.strip())
    except ValueError:
        return None


def read_tcx(path, data: bytes) -> Points:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(path, f"not a readable TCX file: {exc}") from None
    if _local(root.tag) != "TrainingCenterDatabase":
        raise InputError(path, f"not a TCX file: the root element is <{_local(root.tag)}>")
    rows = []
    for tp in root.iter():
        if _local(tp.tag) != "Trackpoint":
            continue
        fields = {}
        for el in tp.iter():
            name = _local(el.tag)
            if name == "Time":
                fields["time"] = (el.text or "").strip()
            elif name in ("LatitudeDegrees", "LongitudeDegrees", "DistanceMeters", "Speed", "RunCadence", "Cadence"):
                fields.setdefault(name, _number(el))
            elif name == "HeartRateBpm":
                fields["hr"] = _number(next((c for c in el if _local(c.tag) == "Value"), None))
        if fields.get("time"):
            rows.append(fields)
    times = iso_posix_seconds(r["time"] for r in rows)
    pts = Points()
    for when, r in zip(times, rows):
        cad = r.get("RunCadence") if r.get("RunCadence") is not None else r.get("Cadence")
        pts.add(when, speed=r.get("Speed"), distance=r.get("DistanceMeters"), lat=r.get("LatitudeDegrees"),
                lon=r.get("LongitudeDegrees"), hr=r.get("hr"), cadence=None if cad is None else 2.0 * cad)
    return pts
