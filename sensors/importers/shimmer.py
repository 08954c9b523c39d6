"""Shimmer / Consensys-style IMU CSV: ``Accel_LN_X,Accel_LN_Y,Accel_LN_Z,...`` (calibrated, m/s^2),
optional ``Gyro_X/Y/Z`` (deg/s), and a time column in ms (``Timestamp_Unix`` preferred, else
``System_Timestamp_Plot_Zeroed`` or any ``Timestamp``). Column names may carry a device prefix and a
``_CAL`` suffix. Real example: ``Sample_test_data.csv`` of the Alcantara sacral set (512 Hz).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import sniff_delimiter, split_fields
from runform.sensors.importers._tabular import build_recording, relative_seconds
from runform.sensors.tables import numeric, read_table
from runform.sensors.importers.rates import snap_rate
from runform.sensors.recording import Metadata
from runform.sensors.units import STANDARD_GRAVITY

NAME = "shimmer"
DESCRIPTION = "Shimmer/Consensys CSV: Accel_LN_X/Y/Z (m/s^2), optional Gyro_X/Y/Z (deg/s), timestamp in ms"
ACC_PATTERNS = [re.compile(rf"(^|_)Accel_(LN|WR)_{a}(_CAL)?$", re.I) for a in "XYZ"]
GYRO_PATTERNS = [re.compile(rf"(^|_)Gyro_{a}(_CAL)?$", re.I) for a in "XYZ"]
TIME_PREFERENCE = ("Timestamp_Unix", "System_Timestamp_Plot_Zeroed", "Timestamp")
#: epoch-ms values above this are treated as a UTC wall clock (2001-09-09)
MIN_EPOCH_MS = 1e12


def _find(names, patterns):
    found = []
    for pat in patterns:
        hits = [n for n in names if pat.search(n)]
        if not hits:
            return None
        found.append(hits[0])
    return found


def _time_column(names):
    for key in TIME_PREFERENCE:
        hits = [n for n in names if key.lower() in n.lower()]
        if hits:
            return hits[0]
    return None


def sniff(source) -> bool:
    if source.kind != "file":
        return False
    names = split_fields(source.first_line)
    return _find(names, ACC_PATTERNS) is not None and _time_column(names) is not None


def read(source, columns=None):
    sep = sniff_delimiter(source.first_line)
    df = read_table(source.path, source.path, sep=sep)
    names = [str(c) for c in df.columns]
    acc_cols, gyro_cols, tcol = _find(names, ACC_PATTERNS), _find(names, GYRO_PATTERNS), _time_column(names)
    if acc_cols is None or tcol is None:
        raise InputError(source.path, "missing Accel_LN_X/Y/Z or timestamp column")
    tv = numeric(df, [tcol], source.path, first_line=2)[:, 0]
    acc = numeric(df, acc_cols, source.path, first_line=2) / STANDARD_GRAVITY
    gyro = numeric(df, gyro_cols, source.path, first_line=2) if gyro_cols else None
    meta = Metadata(device="Shimmer-style IMU", source_format=NAME, extra={"time_column": tcol})
    if np.isfinite(tv[0]) and tv[0] > MIN_EPOCH_MS:
        meta.start_utc = datetime.fromtimestamp(tv[0] / 1000.0, tz=timezone.utc).isoformat()
    t = relative_seconds(tv, 1e-3)
    if len(t) > 1:
        meta.nominal_rate_hz = snap_rate(1.0 / float(np.median(np.diff(t))))
    return build_recording(source.path, t, acc, gyro, meta, first_line=2)
