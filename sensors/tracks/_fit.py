"""FIT activity files (a Garmin or other watch), read with Garmin's own FIT SDK (``garmin-fit-sdk``).

The SDK checks the file's header, then decodes it checking its CRC on the way (a truncated or damaged file
is refused whole, never half read); it decodes the ``record`` messages: ``timestamp`` (UTC), ``position_lat``/``position_long``
(semicircles: degrees = semicircles x 180 / 2^31), ``enhanced_speed`` or ``speed`` (m/s), ``distance`` (m),
``heart_rate`` (bpm), ``cadence`` + ``fractional_cadence`` (running: strides/min, per foot; steps/min =
2 x that) (Garmin, FIT SDK Profile.xlsx, ``record`` message).
"""

from __future__ import annotations

from runform.sensors.errors import InputError
from runform.sensors.tracks._points import Points

SEMICIRCLES_TO_DEG = 180.0 / 2 ** 31


def _first(msg: dict, *keys):
    for k in keys:
        v = msg.get(k)
        if isinstance(v, (int, float)):
            return v
    return None


def read_fit(path, data: bytes) -> Points:
    from garmin_fit_sdk import Decoder, Stream

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    if not decoder.is_fit():
        raise InputError(path, "not a FIT file (its header is not a FIT header)")
    # one pass: read() checks the file's CRC as it decodes (a separate check_integrity() decoded it twice)
    messages, errors = decoder.read(convert_datetimes_to_dates=False)
    if errors:
        declared = data[0] + int.from_bytes(data[4:8], "little") + 2  # header, records, CRC (FIT file header)
        text = str(errors[0]).splitlines()[0]
        if len(data) < declared or "CRC" in text:
            raise InputError(path, "a damaged or truncated FIT file (its size or CRC check fails)")
        raise InputError(path, f"not a readable FIT file: {text}")
    pts = Points()
    for m in messages.get("record_mesgs", []):
        ts = m.get("timestamp")
        if not isinstance(ts, (int, float)):
            continue
        lat, lon = _first(m, "position_lat"), _first(m, "position_long")
        cad = _first(m, "cadence")
        if cad is not None:
            cad = 2.0 * (cad + (_first(m, "fractional_cadence") or 0.0))
        pts.add(ts + FIT_EPOCH_POSIX_S, speed=_first(m, "enhanced_speed", "speed"), distance=_first(m, "distance"),
                lat=None if lat is None else lat * SEMICIRCLES_TO_DEG,
                lon=None if lon is None else lon * SEMICIRCLES_TO_DEG, hr=_first(m, "heart_rate"), cadence=cad)
    return pts


#: FIT timestamps count seconds from 1989-12-31 00:00:00 UTC (FIT SDK, "date_time")
FIT_EPOCH_POSIX_S = 631065600
