"""phyphox CSV exports (RWTH Aachen app): ``"Time (s)","Acceleration x (m/s^2)",...`` for
"Acceleration with g", ``"Linear Acceleration x (m/s^2)"`` for the gravity-free variant, and
``"Gyroscope x (rad/s)"`` for rotation rate; any of phyphox's CSV flavours (comma + decimal point,
tab + decimal point, semicolon + decimal comma, tab + decimal comma). A single CSV, or a folder/zip
with ``Accelerometer.csv`` (+ ``Gyroscope.csv``, merged by time, never interpolated).

"Linear Acceleration" has gravity removed: it is loaded with ``meta.extra["gravity_removed"] = True``.
"""

from __future__ import annotations

import io
import re

from sensors.errors import InputError
from sensors.importers._source import sniff_delimiter, split_fields
from sensors.importers._tabular import build_recording, merge_gyro, numeric, read_table
from sensors.recording import Metadata
from sensors.units import ACC_UNITS, GYRO_UNITS

NAME = "phyphox"
DESCRIPTION = 'phyphox CSV export: "Time (s)","Acceleration x (m/s^2)"... / Linear Acceleration / Gyroscope (rad/s)'
TIME_RE = re.compile(r"^Time \(s\)$", re.I)
ACC_RE = re.compile(r"^(Linear )?Acceleration ([xyz]) \((m/s\^2|g)\)$", re.I)
GYRO_RE = re.compile(r"^Gyroscope ([xyz]) \((rad/s|deg/s)\)$", re.I)
ACC_MEMBERS = ("accelerometer.csv", "linear accelerometer.csv", "raw data.csv")
GYRO_MEMBERS = ("gyroscope.csv",)


def _columns(names):
    acc = {m.group(2).lower(): (n, m.group(1) is not None, m.group(3)) for n in names if (m := ACC_RE.match(n))}
    gyro = {m.group(1).lower(): (n, m.group(2)) for n in names if (m := GYRO_RE.match(n))}
    tcol = next((n for n in names if TIME_RE.match(n)), None)
    return tcol, acc, gyro


def _is_phyphox(line: str) -> bool:
    tcol, acc, gyro = _columns(split_fields(line))
    return tcol is not None and (len(acc) == 3 or len(gyro) == 3)


def sniff(source) -> bool:
    if source.kind == "file":
        return _is_phyphox(source.first_line)
    return any(source.has_member(n) and _is_phyphox(source.member_head(n)) for n in ACC_MEMBERS)


def _read_csv(data: bytes, label, first_line: str):
    sep = sniff_delimiter(first_line)
    text_head = data[:4096].decode("utf-8", errors="replace").splitlines()
    body = text_head[1] if len(text_head) > 1 else ""
    decimal = "," if sep != "," and re.search(r"\d,\d", body) else "."
    df = read_table(io.BytesIO(data), label, sep=sep, decimal=decimal)
    names = [str(c) for c in df.columns]
    tcol, acc, gyro = _columns(names)
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
        gyro_dps = numeric(df, cols, label, 2) * GYRO_UNITS[gyro["x"][1]]
    return t, acc_g, gyro_dps, linear


def read(source, columns=None):
    meta = Metadata(device="phone (phyphox)", source_format=NAME)
    if source.kind == "file":
        label = source.path
        t, acc, gyro, linear = _read_csv(source.path.read_bytes(), label, source.first_line)
    else:
        name = next(n for n in ACC_MEMBERS if source.has_member(n) and _is_phyphox(source.member_head(n)))
        label = source.member_label(name)
        t, acc, gyro, linear = _read_csv(source.member_bytes(name), label, source.member_head(name))
        gname = next((n for n in GYRO_MEMBERS if source.has_member(n)), None)
        if gyro is None and acc is not None and gname:
            gt, _, g_dps, _ = _read_csv(source.member_bytes(gname), source.member_label(gname), source.member_head(gname))
            if g_dps is not None:
                t, acc, gyro = merge_gyro(label, t, acc, gt, g_dps, meta)
    if acc is None:
        raise InputError(label, "no acceleration columns (only gyroscope); runform needs the accelerometer")
    if linear:
        meta.extra["gravity_removed"] = True
    return build_recording(label, t, acc, gyro, meta, first_line=2)
