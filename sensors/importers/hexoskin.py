"""Hexoskin smart-shirt accelerometer as CSV counts: ``time_s,acc_x,acc_y,acc_z``.

Source: the recorder's per-axis 16-bit WAV files at 64 Hz (Har-Lab HumanActivityData, 2023), one
count = 1/256 g (scale inferred by the data curators: still periods read 1.02-1.03 g). ``time_s`` is
sample_index/64 written with 6 significant digits, so it is snapped back to the exact 1/64 s grid when
every value is within rounding of it (gaps are kept).
"""

from __future__ import annotations

import numpy as np

from runform.sensors.importers._source import split_fields
from runform.sensors.importers._tabular import build_recording, require_columns
from runform.sensors.tables import numeric, read_table
from runform.sensors.recording import Metadata

NAME = "hexoskin"
DESCRIPTION = "Hexoskin accelerometer counts CSV: time_s,acc_x,acc_y,acc_z (1/256 g, 64 Hz)"
HEADER = ["time_s", "acc_x", "acc_y", "acc_z"]
RATE_HZ = 64.0
COUNTS_PER_G = 256.0
#: counts: integer values whose typical magnitude is far above any plausible value in g or m/s^2
MIN_MEDIAN_COUNTS = 50.0
#: largest |time_s - k/64| (s) still explained by the 6-significant-digit rounding in the file
SNAP_TOLERANCE_S = 0.006


def sniff(source) -> bool:
    if source.kind != "file" or split_fields(source.first_line) != HEADER:
        return False
    try:
        rows = np.array([[float(v) for v in split_fields(l)] for l in source.lines[1:] if l.strip()])
    except ValueError:
        return False
    if rows.size == 0 or rows.ndim != 2 or rows.shape[1] != 4:
        return False
    acc = rows[:, 1:]
    return bool(np.all(acc == np.round(acc)) and np.median(np.linalg.norm(acc, axis=1)) > MIN_MEDIAN_COUNTS)


def read(source, columns=None):
    df = read_table(source.path, source.path)
    require_columns(df.columns, HEADER, source.path)
    values = numeric(df, HEADER, source.path, first_line=2)
    t = values[:, 0]
    k = np.round(t * RATE_HZ)
    if t.size and np.all(np.abs(t - k / RATE_HZ) <= SNAP_TOLERANCE_S):
        t = k / RATE_HZ
    meta = Metadata(device="Hexoskin", placement="chest", nominal_rate_hz=RATE_HZ, source_format=NAME,
                    extra={"acc_scale": "1/256 g per count"})
    return build_recording(source.path, t, values[:, 1:] / COUNTS_PER_G, None, meta, first_line=2)
