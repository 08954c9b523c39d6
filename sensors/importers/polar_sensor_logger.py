"""Polar Sensor Logger app exports (Jukka Happonen's Android app for Polar H10/Verity Sense/OH1):
``Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]`` in ``..._ACC.txt`` and, where recorded,
``X [dps];Y [dps];Z [dps]`` in the matching ``..._GYRO.txt`` next to it.

The sensor timestamp (device clock, ns since 2000-01-01, the Polar PMD epoch) is used, not the phone
arrival time. Gyro samples are merged to accelerometer samples by sensor timestamp (nearest within
half a period, never interpolated). The device name comes from the file name
(``Polar_H10_1A2B3C4D_20240101_...``); an H10 is a chest strap.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from sensors.errors import InputError
from sensors.importers._source import split_fields
from sensors.importers._tabular import (build_recording, merge_gyro, numeric, read_table, relative_seconds,
                                        require_columns)
from sensors.importers.rates import snap_rate
from sensors.recording import Metadata

NAME = "polar_sensor_logger"
DESCRIPTION = "Polar Sensor Logger ACC export (Phone timestamp;sensor timestamp [ns];X [mg];...) + _GYRO file"
SEP = ";"
TIME_COL = "sensor timestamp [ns]"
ACC_COLS = ["X [mg]", "Y [mg]", "Z [mg]"]
GYRO_COLS = ["X [dps]", "Y [dps]", "Z [dps]"]
POLAR_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
#: device clocks before this are not set to wall time (start_utc left unknown)
MIN_PLAUSIBLE_START = datetime(2015, 1, 1, tzinfo=timezone.utc)
DEVICE_RE = re.compile(r"Polar_([A-Za-z0-9]+(?:_Sense)?)_([0-9A-Fa-f]{8})", re.I)
CHEST_MODELS = ("H10", "H9", "H7")


def sniff(source) -> bool:
    if source.kind != "file":
        return False
    names = split_fields(source.first_line, SEP)
    return TIME_COL in names and (set(ACC_COLS) <= set(names) or set(GYRO_COLS) <= set(names))


def gyro_sibling(path: Path) -> Path | None:
    for a, g in (("_ACC", "_GYRO"), ("_acc", "_gyro")):
        if a in path.name:
            cand = path.with_name(path.name.replace(a, g))
            if cand.exists():
                return cand
    return None


def _read_stream(path, cols, label):
    df = read_table(path, label, sep=SEP)
    require_columns(df.columns, [TIME_COL, *cols], label)
    ticks = df[TIME_COL]
    if ticks.dtype.kind not in "iu":
        ticks = numeric(df, [TIME_COL], label, first_line=2)[:, 0]
    else:
        ticks = ticks.to_numpy()
    return ticks, numeric(df, cols, label, first_line=2)


def read(source, columns=None):
    names = split_fields(source.first_line, SEP)
    if set(GYRO_COLS) <= set(names) and not set(ACC_COLS) <= set(names):
        raise InputError(source.path, "this is a gyro-only Polar Sensor Logger file; open the matching _ACC file")
    ticks, acc_mg = _read_stream(source.path, ACC_COLS, source.path)
    meta = Metadata(source_format=NAME)
    m = DEVICE_RE.search(source.path.name)
    if m:
        model = m.group(1).replace("_", " ")
        meta.device = f"Polar {model} {m.group(2).upper()}"
        meta.placement = "chest" if model.upper() in CHEST_MODELS else None
    else:
        meta.device = "Polar (from Polar Sensor Logger)"
    if len(ticks):
        start = POLAR_EPOCH + timedelta(microseconds=int(ticks[0]) // 1000)
        if start >= MIN_PLAUSIBLE_START:
            meta.start_utc = start.isoformat()
            meta.extra["start_utc_source"] = "device clock (Polar epoch 2000-01-01)"
    t0 = ticks[0] if len(ticks) else 0
    t = relative_seconds(ticks, 1e-9)
    acc = acc_mg / 1000.0
    gyro = None
    sib = gyro_sibling(source.path)
    if sib is not None:
        g_ticks, g_dps = _read_stream(sib, GYRO_COLS, sib)
        g_t = (np.asarray(g_ticks) - t0).astype(np.float64) * 1e-9
        t, acc, gyro = merge_gyro(source.path, t, acc, g_t, g_dps, meta)
        meta.extra["gyro_file"] = str(sib)
    if len(t) > 1:
        meta.nominal_rate_hz = snap_rate(1.0 / float(np.median(np.diff(t))))
    return build_recording(source.path, t, acc, gyro, meta, first_line=2)
