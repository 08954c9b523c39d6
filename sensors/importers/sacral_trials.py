"""Sacral treadmill-running trials (Alcantara et al., PeerJ 2022; alcantarar/Recurrent_GRF_Prediction,
Apache-2.0): one trial per row, no header, 2480 vertical then 2480 anteroposterior samples at 500 Hz,
in g (vertical with gravity, low-pass filtered, negatives clipped to 0 by the source).

Deviation: the source has no mediolateral axis. The recording maps vertical -> x, mediolateral -> y,
anteroposterior -> z, and y is all zeros; ``meta.extra["absent_channels"]`` says so. Choose the trial
with ``FILE#trial=N`` (0-based row, default 0). ``Sub_Info_trials.csv`` next to the file, when present,
adds the trial's speed and slope to ``meta.extra``.
"""

from __future__ import annotations

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import split_fields
from runform.sensors.importers._tabular import build_recording
from runform.sensors.tables import read_table
from runform.sensors.recording import Metadata

NAME = "sacral_trials"
DESCRIPTION = "multi-trial sacral accelerometer rows (2 x 2480 samples at 500 Hz, g); select with FILE#trial=N"
SAMPLES_PER_TRIAL = 2480
RATE_HZ = 500.0
SUB_INFO_NAME = "Sub_Info_trials.csv"


def sniff(source) -> bool:
    if source.kind != "file" or not source.lines:
        return False
    fields = split_fields(source.lines[0], ",")
    fields = [f for f in fields if f != ""]
    if len(fields) != 2 * SAMPLES_PER_TRIAL:
        return False
    try:
        [float(f) for f in fields[:10]]
    except ValueError:
        return False
    return True


def _trial_index(source, n_trials: int) -> int:
    raw = source.options.get("trial", "0")
    try:
        k = int(raw)
    except ValueError:
        raise InputError(source.path, f"trial must be a row number 0..{n_trials - 1}, got {raw!r}") from None
    if not 0 <= k < n_trials:
        raise InputError(source.path, f"no trial {k}: the file has trials 0..{n_trials - 1}")
    return k


def read(source, columns=None):
    import pandas as pd  # imported on use: loading a canonical CSV must not pay for it

    df = read_table(source.path, source.path, header=None)
    df = df.dropna(axis=1, how="all")  # a trailing comma makes an empty last column
    if df.shape[1] != 2 * SAMPLES_PER_TRIAL:
        raise InputError(source.path, f"expected {2 * SAMPLES_PER_TRIAL} columns per trial, found {df.shape[1]}")
    k = _trial_index(source, len(df))
    row = pd.to_numeric(df.iloc[k], errors="coerce").to_numpy(dtype=np.float64)
    if np.isnan(row).any() and not df.iloc[k].isna().any():
        raise InputError(source.path, "text in a numeric column", k + 1)
    vertical, ap = row[:SAMPLES_PER_TRIAL], row[SAMPLES_PER_TRIAL:]
    acc = np.column_stack([vertical, np.zeros(SAMPLES_PER_TRIAL), ap])
    t = np.arange(SAMPLES_PER_TRIAL) / RATE_HZ
    meta = Metadata(device="sacral IMU (probably IMeasureU)", placement="sacrum", nominal_rate_hz=RATE_HZ,
                    source_format=NAME,
                    extra={"trial": k, "n_trials": int(len(df)), "axes": "x=vertical, y=mediolateral, z=anteroposterior",
                           "absent_channels": ["acc_y"], "absent_note": "source has no mediolateral axis; acc_y is 0"})
    info = source.path.with_name(SUB_INFO_NAME)
    if info.exists():
        sub = pd.read_csv(info)
        if len(sub) == len(df):
            for col, key in (("Speed", "speed_m_s"), ("Slope", "slope_pct")):
                if col in sub.columns:
                    meta.extra[key] = float(sub[col].iloc[k])
    label = f"{source.path}#trial={k}"
    return build_recording(label, t, acc, None, meta, first_line=k + 1)
