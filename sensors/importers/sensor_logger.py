"""Sensor Logger app exports (Kelvin Choi / tszheichoi; awesome-sensor-logger UNITS.md): a folder or a
``.zip`` with ``Accelerometer.csv``, ``TotalAcceleration.csv``, ``Gravity.csv``, ``Gyroscope.csv``,
``Metadata.csv``. Each CSV has ``time`` (ns since the UNIX epoch, UTC), ``seconds_elapsed``, ``z, y, x``;
acceleration in m/s^2, rotation rate in rad/s.

``Accelerometer.csv`` is acceleration *without* gravity; runform needs specific force with gravity, so
the importer takes ``TotalAcceleration.csv`` (Android) or Accelerometer + Gravity where their
timestamps pair up (iOS). With Accelerometer alone, ``meta.extra["gravity_removed"]`` is set. Gyro
samples are merged by timestamp (never interpolated). A single ``Accelerometer.csv``-style file loads too;
a single ``Gyroscope.csv``/``Gravity.csv``/``Magnetometer.csv`` (same header) is refused, not read as
acceleration.

Sign: iOS exports (``platform`` ios in ``Metadata.csv``, ``standardisation`` not true) use the inertial-
force sign on all three acceleration and gravity axes (awesome-sensor-logger COORDINATES.md,
CROSSPLATFORM.md); they are negated so that a phone flat on a table reads +1 g on z as on Android.

Checked against real Android exports (Santollan/ML-Project---Driving: TotalAcceleration.csv,
Gyroscope.csv, Metadata.csv of app 1.28; malimsZen/APT3010-AI: Metadata.csv of app 1.26.0): ``time`` is
an integer ns epoch (``1707663721345109200``), values are plain decimals, the phone delivered 59.4 Hz
although ``sampleRateMs`` asked for 10 ms, and gyro events sit 3.5 ms off the accelerometer events at
the same period. ``Metadata.csv`` has ``version,device name,recording epoch time,recording time,
recording timezone,platform,appVersion,device id,sensors,sampleRateMs`` (newer apps add
``standardisation,platform version``). ``recording time`` is UTC, not local: in both files it equals
``recording epoch time`` (ms) although ``recording timezone`` was America/New_York / Africa/Nairobi.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import split_fields
from runform.sensors.importers._tabular import (build_recording, match_times, merge_gyro, relative_seconds,
                                                 require_columns)
from runform.sensors.tables import numeric, read_table
from runform.sensors.recording import Metadata
from runform.sensors.units import DEG_PER_RAD, STANDARD_GRAVITY

NAME = "sensor_logger"
DESCRIPTION = "Sensor Logger app export: folder or .zip with Accelerometer.csv/TotalAcceleration.csv/Gyroscope.csv"
HEADER_MIN = {"time", "seconds_elapsed", "x", "y", "z"}
AXES = ["x", "y", "z"]
TOTAL, USER, GRAVITY, GYRO, META = "totalacceleration.csv", "accelerometer.csv", "gravity.csv", "gyroscope.csv", "metadata.csv"
#: exports of other sensors that share the ``time,seconds_elapsed,z,y,x`` header
NOT_ACCELERATION = {GRAVITY: "gravity", GYRO: "gyroscope", "gyroscopeuncalibrated.csv": "gyroscope",
                    "magnetometer.csv": "magnetometer", "magnetometeruncalibrated.csv": "magnetometer"}
IOS = "ios"
#: awesome-sensor-logger COORDINATES.md / CROSSPLATFORM.md: without "Standardise Units & Frames" iOS
#: reports acceleration and gravity with all three signs flipped against Android (inertial force; flat
#: on a table gravity is -z on iOS, +z on Android). Gyro signs agree.
IOS_SIGN_NOTE = "iOS axes (inertial-force sign) negated to specific force"
UNKNOWN_SIGN_NOTE = "platform unknown (no Metadata.csv or no platform in it): Android sign (specific force) assumed"
#: Metadata.csv columns kept in ``meta.extra`` (as ``sensor_logger_<name>``)
METADATA_KEYS = ("version", "appVersion", "recording time", "recording timezone", "recording epoch time",
                 "platform", "platform version", "sensors", "sampleRateMs", "standardisation")


def _is_sl_header(line: str) -> bool:
    return HEADER_MIN <= set(split_fields(line, ","))


def sniff(source) -> bool:
    if source.kind == "file":
        return _is_sl_header(source.first_line)
    for name in (TOTAL, USER):
        if source.has_member(name) and _is_sl_header(source.member_head(name)):
            return True
    return False


def _read_member(source, name):
    label = source.member_label(name) if source.kind != "file" else source.path
    data = source.member_bytes(name) if source.kind != "file" else source.path.read_bytes()
    df = read_table(io.BytesIO(data), label)
    require_columns(df.columns, ["time", *AXES], label)
    ticks = df["time"].to_numpy() if df["time"].dtype.kind in "iu" else numeric(df, ["time"], label, 2)[:, 0]
    return label, ticks, numeric(df, AXES, label, first_line=2)


def _metadata_bytes(source) -> bytes | None:
    """``Metadata.csv`` of the export, or next to a single exported CSV."""
    if source.kind != "file":
        return source.member_bytes(META) if source.has_member(META) else None
    cand = next((f for f in Path(source.path).parent.glob("*") if f.name.lower() == META), None)
    return cand.read_bytes() if cand is not None and cand.is_file() else None


def _metadata(source, meta) -> tuple[str | None, bool]:
    """Fill device/extra from ``Metadata.csv``; returns ``(platform, standardised)`` for the axis sign."""
    import pandas as pd  # imported on use: loading a canonical CSV must not pay for it

    data = _metadata_bytes(source)
    if data is None:
        return None, False
    try:
        md = pd.read_csv(io.BytesIO(data))
    except (ValueError, pd.errors.ParserError):
        return None, False
    if not len(md):
        return None, False
    row = md.iloc[0]
    name, platform = row.get("device name"), row.get("platform")
    if isinstance(name, str):
        meta.device = f"{name} ({platform})" if isinstance(platform, str) else name
    for key in METADATA_KEYS:
        if key in md.columns and not (isinstance(row[key], float) and np.isnan(row[key])):
            meta.extra[f"sensor_logger_{key.replace(' ', '_')}"] = str(row[key])
    standardised = str(row.get("standardisation", "")).strip().lower() == "true"
    return (platform.strip().lower() if isinstance(platform, str) else None), standardised


def read(source, columns=None):
    meta = Metadata(device="phone (Sensor Logger)", source_format=NAME)
    if source.kind == "file":
        kind = NOT_ACCELERATION.get(source.path.name.lower())
        if kind:
            raise InputError(source.path, f"this is Sensor Logger's {kind} file, not acceleration; "
                             "open the export folder or zip (or TotalAcceleration.csv)")
        label, ticks, acc = _read_member(source, source.path.name)
        if source.path.name.lower() == USER:
            meta.extra["gravity_removed"] = True
    elif source.has_member(TOTAL):
        label, ticks, acc = _read_member(source, TOTAL)
    elif source.has_member(USER) and source.has_member(GRAVITY):
        label, ticks, acc = _read_member(source, USER)
        _, g_ticks, grav = _read_member(source, GRAVITY)
        ok, idx = match_times(ticks.astype(np.float64), np.asarray(g_ticks, dtype=np.float64), 0.5)
        if not ok.all():
            raise InputError(label, "Accelerometer.csv and Gravity.csv timestamps do not pair up; cannot add gravity back")
        acc = acc + grav[idx]
    elif source.has_member(USER):
        label, ticks, acc = _read_member(source, USER)
        meta.extra["gravity_removed"] = True
    else:
        raise InputError(source.path, "not a Sensor Logger export: no Accelerometer.csv or TotalAcceleration.csv")
    platform, standardised = _metadata(source, meta)
    if platform == IOS and not standardised:
        acc = -acc
        meta.extra["axis_sign"] = IOS_SIGN_NOTE
    elif platform is None:
        meta.extra["axis_sign"] = UNKNOWN_SIGN_NOTE
    t0 = int(ticks[0]) if len(ticks) else 0
    t = relative_seconds(ticks, 1e-9)
    acc = acc / STANDARD_GRAVITY
    gyro = None
    if source.kind != "file" and source.has_member(GYRO):
        _, g_ticks, g_rad = _read_member(source, GYRO)
        g_t = (np.asarray(g_ticks) - t0).astype(np.float64) * 1e-9
        t, acc, gyro = merge_gyro(label, t, acc, g_t, g_rad * DEG_PER_RAD, meta)
    if len(t):  # the first sample kept (merging may trim to the gyro's span)
        meta.start_utc = datetime.fromtimestamp(t0 / 1e9 + float(t[0]), tz=timezone.utc).isoformat()
    return build_recording(label, t, acc, gyro, meta, first_line=2)
