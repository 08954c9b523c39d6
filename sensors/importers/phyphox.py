"""phyphox CSV exports (RWTH Aachen app), in the two header styles real exports use:

* named columns (Android, and "Raw Data.csv" of the one-sensor experiments): ``"Time (s)",
  "Acceleration x (m/s^2)",...`` for "Acceleration with g", ``"Linear Acceleration x (m/s^2)"`` for
  the gravity-free variant, ``"Gyroscope x (rad/s)"`` for rotation rate;
* axis-only columns (phyphox 1.1.16 on iOS, file format 1.18, one CSV per sensor): ``"Time (s)",
  "X (m/s^2)","Y (m/s^2)","Z (m/s^2)"`` in ``Accelerometer.csv`` / ``Linear Accelerometer.csv`` and
  ``"X (rad/s)"...`` in ``Gyroscope.csv``. The header does not say whether gravity is in it, so the
  file name does: a name containing "linear" is gravity-free.

Any of phyphox's CSV flavours loads (comma + decimal point, tab + decimal point, semicolon + decimal
point, semicolon/tab + decimal comma); numbers are written as ``8.126000001E-3``. A single CSV, or a
folder/zip (``Accelerometer.csv`` preferred over the linear files, ``Gyroscope.csv`` merged by time,
never interpolated). ``meta/time.csv`` (START event, UNIX seconds) gives the start time and
``meta/device.csv`` the phone model, when present next to the data.

"Linear Acceleration" has gravity removed: it is loaded with ``meta.extra["gravity_removed"] = True``.
Checked against real exports: sannatikk/walking-data-analysis, maennenajere/MotionPath,
kartof0nix/AIR-math-tools (iOS 1.1.16), Emz-oamk/FysiikanLP (Android 1.2.0),
DavidJ-McMaster/ELEC292FinalProject ("Raw Data.csv").
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import sniff_delimiter, split_fields
from runform.sensors.importers._tabular import build_recording, merge_gyro
from runform.sensors.tables import numeric, read_table
from runform.sensors.recording import Metadata
from runform.sensors.units import ACC_UNITS, GYRO_UNITS

NAME = "phyphox"
DESCRIPTION = 'phyphox CSV export: "Time (s)","Acceleration x (m/s^2)"... or "X (m/s^2)"... / Gyroscope (rad/s)'
TIME_RE = re.compile(r"^Time \(s\)$", re.I)
ACC_RE = re.compile(r"^(Linear )?Acceleration ([xyz]) \((m/s\^2|g)\)$", re.I)
GYRO_RE = re.compile(r"^Gyroscope ([xyz]) \((rad/s|deg/s)\)$", re.I)
#: axis-only columns of the per-sensor exports: the unit says which sensor
AXIS_RE = re.compile(r"^([xyz]) \((m/s\^2|g|rad/s|deg/s)\)$", re.I)
AXIS_ACC_UNITS = ("m/s^2", "g")
#: data files of a folder/zip export, in order of preference (with gravity before gravity-free)
ACC_MEMBERS = ("accelerometer.csv", "raw data.csv", "linear accelerometer.csv", "linear acceleration.csv",
               "linearaccelerometer.csv")
GYRO_MEMBERS = ("gyroscope.csv",)
TIME_MEMBER, DEVICE_MEMBER, META_DIR = "time.csv", "device.csv", "meta"
START_EVENT = "START"


def _columns(names, linear_name=False):
    """``(time column, {axis: (column, linear, unit)}, {axis: (column, unit)})`` of a header."""
    acc = {m.group(2).lower(): (n, m.group(1) is not None, m.group(3)) for n in names if (m := ACC_RE.match(n))}
    gyro = {m.group(1).lower(): (n, m.group(2)) for n in names if (m := GYRO_RE.match(n))}
    for n in names:
        m = AXIS_RE.match(n)
        if m is None:
            continue
        axis, unit = m.group(1).lower(), m.group(2).lower()
        if unit in AXIS_ACC_UNITS:
            acc.setdefault(axis, (n, linear_name, unit))
        else:
            gyro.setdefault(axis, (n, unit))
    tcol = next((n for n in names if TIME_RE.match(n)), None)
    return tcol, acc, gyro


def _is_phyphox(line: str) -> bool:
    tcol, acc, gyro = _columns(split_fields(line))
    return tcol is not None and (len(acc) == 3 or len(gyro) == 3)


def sniff(source) -> bool:
    if source.kind == "file":
        return _is_phyphox(source.first_line)
    return any(source.has_member(n) and _is_phyphox(source.member_head(n)) for n in ACC_MEMBERS)


def _read_table_bytes(data: bytes, label, first_line: str):
    sep = sniff_delimiter(first_line)
    text_head = data[:4096].decode("utf-8", errors="replace").splitlines()
    body = text_head[1] if len(text_head) > 1 else ""
    decimal = "," if sep != "," and re.search(r"\d,\d", body) else "."
    return read_table(io.BytesIO(data), label, sep=sep, decimal=decimal)


def _read_csv(data: bytes, label, first_line: str, file_name: str):
    df = _read_table_bytes(data, label, first_line)
    names = [str(c) for c in df.columns]
    tcol, acc, gyro = _columns(names, linear_name="linear" in file_name.lower())
    if tcol is None:
        raise InputError(label, "missing column 'Time (s)'")
    t = numeric(df, [tcol], label, 2)[:, 0]
    acc_g = gyro_dps = None
    linear = False
    if len(acc) == 3:
        cols = [acc[a][0] for a in "xyz"]
        linear = acc["x"][1]
        unit = acc["x"][2].replace("^", "")
        acc_g = numeric(df, cols, label, 2) * ACC_UNITS[unit]
    if len(gyro) == 3:
        cols = [gyro[a][0] for a in "xyz"]
        gyro_dps = numeric(df, cols, label, 2) * GYRO_UNITS[gyro["x"][1].lower()]
    return t, acc_g, gyro_dps, linear


def _meta_bytes(source, name: str) -> bytes | None:
    """``meta/<name>`` of a folder/zip export, or of the folder a single exported CSV sits in."""
    if source.kind != "file":
        return source.member_bytes(name) if source.has_member(name) else None
    cand = Path(source.path).parent / META_DIR / name
    return cand.read_bytes() if cand.is_file() else None


def _property_table(data: bytes | None, label):
    if not data:
        return None
    head = data[:4096].decode("utf-8", errors="replace").splitlines()
    try:
        return _read_table_bytes(data, label, head[0] if head else "")
    except InputError:
        return None  # metadata is a bonus: a damaged meta file never stops the import


def _add_meta(source, meta: Metadata, t_first: float) -> None:
    """Start time from ``meta/time.csv`` and phone model/app version from ``meta/device.csv``."""
    times = _property_table(_meta_bytes(source, TIME_MEMBER), TIME_MEMBER)
    if times is not None and {"event", "system time"} <= set(times.columns):
        start = times[times["event"].astype(str).str.upper() == START_EVENT]
        if len(start):
            sys_t = float(start["system time"].iloc[0])
            exp_t = float(start["experiment time"].iloc[0]) if "experiment time" in start.columns else 0.0
            if np.isfinite(sys_t) and np.isfinite(exp_t):
                first = sys_t + (t_first - exp_t)  # data "Time (s)" is experiment time
                meta.start_utc = datetime.fromtimestamp(first, tz=timezone.utc).isoformat()
                meta.extra["start_utc_source"] = "phyphox meta/time.csv START (phone clock)"
            if "system time text" in start.columns:
                meta.extra["phyphox_start_local"] = str(start["system time text"].iloc[0])
    dev = _property_table(_meta_bytes(source, DEVICE_MEMBER), DEVICE_MEMBER)
    if dev is not None and {"property", "value"} <= set(dev.columns):
        props = {str(k): str(v) for k, v in zip(dev["property"], dev["value"]) if isinstance(v, str) and v}
        model = " ".join(p for p in (props.get("deviceBrand"), props.get("deviceModel")) if p)
        if model:
            meta.device = f"{model} (phyphox)"
        for key in ("version", "fileFormat", "deviceRelease"):
            if key in props:
                meta.extra[f"phyphox_{key}"] = props[key]


def read(source, columns=None):
    meta = Metadata(device="phone (phyphox)", source_format=NAME)
    if source.kind == "file":
        label = source.path
        t, acc, gyro, linear = _read_csv(source.path.read_bytes(), label, source.first_line, source.path.name)
    else:
        name = next(n for n in ACC_MEMBERS if source.has_member(n) and _is_phyphox(source.member_head(n)))
        label = source.member_label(name)
        t, acc, gyro, linear = _read_csv(source.member_bytes(name), label, source.member_head(name), name)
        gname = next((n for n in GYRO_MEMBERS if source.has_member(n)), None)
        if gyro is None and acc is not None and gname:
            gt, _, g_dps, _ = _read_csv(source.member_bytes(gname), source.member_label(gname),
                                        source.member_head(gname), gname)
            if g_dps is not None:
                t, acc, gyro = merge_gyro(label, t, acc, gt, g_dps, meta)
    if acc is None:
        raise InputError(label, "no acceleration columns (only gyroscope); runform needs the accelerometer")
    if linear:
        meta.extra["gravity_removed"] = True
    _add_meta(source, meta, float(t[0]) if len(t) else 0.0)
    return build_recording(label, t, acc, gyro, meta, first_line=2)
