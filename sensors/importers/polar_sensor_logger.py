"""Polar Sensor Logger app exports (Jukka Happonen's Android app for Polar H10/Verity Sense/OH1):
``Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]`` in ``..._ACC.txt`` and, where recorded,
``X [dps];Y [dps];Z [dps]`` in the matching ``..._GYRO.txt`` next to it.

The sensor timestamp (device clock, ns since 2000-01-01, the Polar PMD epoch) is used, not the phone
arrival time. Gyro samples are merged to accelerometer samples by sensor timestamp (nearest within
half a period, never interpolated). The device name comes from the file name
(``Polar_H10_1A2B3C4D_20240101_...``; a Verity Sense writes ``Polar_Sense_A40F6F28_...``); an H10 is a
chest strap.

Checked against a real Verity Sense export (obss/BIOBSS, sample_data/.../Polar_Sense_A40F6F28_
20220425_113903_ACC.txt and Polar_Sense_GYRO.txt): ISO phone time ``2022-04-25T11:39:36.978``,
integer mg, gyro as float32 text (``0.42000002``), 52 Hz nominal with a measured 19.34 ms period, and
the gyro file starting on its own clock (first sensor timestamps 32 us apart, first phone times 0.38 s
apart). The Polar SDK example app writes the same header with a trailing space (``Z [mg] ``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import split_fields
from runform.sensors.importers._tabular import build_recording, merge_gyro, relative_seconds, require_columns
from runform.sensors.tables import numeric, read_table
from runform.sensors.importers.rates import snap_rate
from runform.sensors.recording import Metadata

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
#: the model as named in the file -> the product name (a Verity Sense advertises as "Polar Sense")
MODEL_LABELS = {"SENSE": "Verity Sense"}
CHEST_MODELS = ("H10", "H9", "H7")
#: ``Polar_<model>_<id>_<YYYYMMDD>_<HHMMSS>_<STREAM>.txt``
NAME_STAMP_RE = re.compile(r"^(Polar_[A-Za-z0-9_]+?_[0-9A-Fa-f]{8})_(\d{8}_\d{6})_(ACC|GYRO)(\.\w+)$", re.I)
NAME_STAMP_FORMAT = "%Y%m%d_%H%M%S"
#: a gyro file of the same device whose name time is this close to the ACC file's belongs to it
GYRO_NAME_TOLERANCE_S = 60.0


def sniff(source) -> bool:
    if source.kind != "file":
        return False
    names = split_fields(source.first_line, SEP)
    return TIME_COL in names and (set(ACC_COLS) <= set(names) or set(GYRO_COLS) <= set(names))


def _name_time(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, NAME_STAMP_FORMAT)
    except ValueError:
        return None


def gyro_sibling(path: Path) -> Path | None:
    """The ``_GYRO`` file recorded with ``path``: same name with GYRO for ACC, else the same device's
    GYRO file whose name time is nearest within ``GYRO_NAME_TOLERANCE_S`` (streams start separately)."""
    for a, g in (("_ACC", "_GYRO"), ("_acc", "_gyro")):
        if a in path.name:
            cand = path.with_name(path.name.replace(a, g))
            if cand.exists():
                return cand
    m = NAME_STAMP_RE.match(path.name)
    t_acc = _name_time(m.group(2)) if m else None
    if t_acc is None:
        return None
    best, best_dt = None, GYRO_NAME_TOLERANCE_S
    for cand in path.parent.glob(f"{m.group(1)}_*"):
        c = NAME_STAMP_RE.match(cand.name)
        t_c = _name_time(c.group(2)) if c and c.group(3).upper() == "GYRO" else None
        if t_c is not None and abs((t_c - t_acc).total_seconds()) <= best_dt:
            best, best_dt = cand, abs((t_c - t_acc).total_seconds())
    return best


def _read_stream(path, cols, label):
    df = read_table(path, label, sep=SEP)
    df.columns = [str(c).strip() for c in df.columns]  # "Z [mg] " (Polar SDK example app)
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
        model = MODEL_LABELS.get(model.upper(), model)
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
