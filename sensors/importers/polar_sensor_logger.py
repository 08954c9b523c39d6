"""Polar Sensor Logger app exports (Jukka Happonen's Android app for Polar H10/Verity Sense/OH1):
``Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]`` in ``..._ACC.txt`` and, where recorded,
``X [dps];Y [dps];Z [dps]`` in the matching ``..._GYRO.txt`` next to it, and the heart rate in the
matching ``..._HR.txt``: ``Phone timestamp;HR [bpm]`` (a Verity Sense; obss/BIOBSS sample_data/
Polar_files/.../Polar_Sense_HR.txt, 0 while it has no reading) or ``Phone timestamp;HR [bpm];HRV [ms];
Breathing interval [rpm];`` (an H10, the later columns often empty). The HR file has phone times only: they
are put on the recording's clock through the ACC file's own phone times (the median of phone time minus
sample time over its rows: the phone's time at the recording's start, within the BLE delivery delay of
well under a second). Readings of 0 and outside 25-250 bpm are left out; the heart rate goes into
``meta.extra["heart_rate"]`` like a strap's recorded by runform (``analysis.side_channels``).

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
from runform.sensors.units import HEART_RATE_RANGE_BPM, iso_posix_seconds

NAME = "polar_sensor_logger"
DESCRIPTION = "Polar Sensor Logger ACC export (Phone timestamp;sensor timestamp [ns];X [mg];...) + _GYRO, _HR files"
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
NAME_STAMP_RE = re.compile(r"^(Polar_[A-Za-z0-9_]+?_[0-9A-Fa-f]{8})_(\d{8}_\d{6})_(ACC|GYRO|HR)(\.\w+)$", re.I)
NAME_STAMP_FORMAT = "%Y%m%d_%H%M%S"
#: a gyro or HR file of the same device whose name time is this close to the ACC file's belongs to it
SIBLING_NAME_TOLERANCE_S = 60.0
PHONE_TIME_COL = "Phone timestamp"
HR_COL = "HR [bpm]"


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


def sibling(path: Path, stream: str) -> Path | None:
    """The ``_<stream>`` file (GYRO, HR) recorded with ``path``: same name with the stream for ACC, else the
    same device's file of that stream whose name time is nearest within ``SIBLING_NAME_TOLERANCE_S`` (streams
    start separately)."""
    for a, g in (("_ACC", f"_{stream.upper()}"), ("_acc", f"_{stream.lower()}")):
        if a in path.name:
            cand = path.with_name(path.name.replace(a, g))
            if cand.exists():
                return cand
    m = NAME_STAMP_RE.match(path.name)
    t_acc = _name_time(m.group(2)) if m else None
    if t_acc is None:
        return None
    best, best_dt = None, SIBLING_NAME_TOLERANCE_S
    for cand in path.parent.glob(f"{m.group(1)}_*"):
        c = NAME_STAMP_RE.match(cand.name)
        t_c = _name_time(c.group(2)) if c and c.group(3).upper() == stream.upper() else None
        if t_c is not None and abs((t_c - t_acc).total_seconds()) <= best_dt:
            best, best_dt = cand, abs((t_c - t_acc).total_seconds())
    return best


def _read_stream(path, cols, label, phone_times: bool = False):
    """(sensor ticks, values, phone seconds or None) of an ACC or GYRO file (phone times parsed only when
    ``phone_times``)."""
    df = read_table(path, label, sep=SEP)
    df.columns = [str(c).strip() for c in df.columns]  # "Z [mg] " (Polar SDK example app)
    require_columns(df.columns, [TIME_COL, *cols], label)
    ticks = df[TIME_COL]
    if ticks.dtype.kind not in "iu":
        ticks = numeric(df, [TIME_COL], label, first_line=2)[:, 0]
    else:
        ticks = ticks.to_numpy()
    values = numeric(df, cols, label, first_line=2)
    # the phone's local times (``2022-04-25T11:39:02.323``, no zone): seconds on one clock
    return ticks, values, iso_posix_seconds(df[PHONE_TIME_COL]) if phone_times and PHONE_TIME_COL in df.columns else None


def read_heart_rate(path: Path, phone_at_start_s: float) -> dict:
    """The ``heart_rate`` side channel {time_s, bpm, rr_ms} from a Polar Sensor Logger ``_HR.txt``, on the
    recording's clock (phone time - ``phone_at_start_s``); readings outside ``HEART_RATE_RANGE_BPM`` left out."""
    df = read_table(path, path, sep=SEP)
    df.columns = [str(c).strip() for c in df.columns]
    require_columns(df.columns, [PHONE_TIME_COL, HR_COL], path)
    t = iso_posix_seconds(df[PHONE_TIME_COL]) - phone_at_start_s
    bpm = numeric(df, [HR_COL], path, first_line=2)[:, 0]
    ok = np.isfinite(t) & (bpm >= HEART_RATE_RANGE_BPM[0]) & (bpm <= HEART_RATE_RANGE_BPM[1])
    return {"time_s": [round(float(x), 3) for x in t[ok]], "bpm": [float(x) for x in bpm[ok]], "rr_ms": []}


def read(source, columns=None):
    names = split_fields(source.first_line, SEP)
    if set(GYRO_COLS) <= set(names) and not set(ACC_COLS) <= set(names):
        raise InputError(source.path, "this is a gyro-only Polar Sensor Logger file; open the matching _ACC file")
    hr_file = sibling(source.path, "HR")
    ticks, acc_mg, phone_s = _read_stream(source.path, ACC_COLS, source.path, phone_times=hr_file is not None)
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
    phone_at_start = (float(np.nanmedian(phone_s - t))  # the phone's clock at the first sample, for the HR file
                      if hr_file is not None and phone_s is not None and np.isfinite(phone_s).any() else None)
    acc = acc_mg / 1000.0
    gyro = None
    sib = sibling(source.path, "GYRO")
    if sib is not None:
        g_ticks, g_dps, _ = _read_stream(sib, GYRO_COLS, sib)
        g_t = (np.asarray(g_ticks) - t0).astype(np.float64) * 1e-9
        t, acc, gyro = merge_gyro(source.path, t, acc, g_t, g_dps, meta)
        meta.extra["gyro_file"] = str(sib)
    if phone_at_start is not None:
        meta.extra["heart_rate"] = read_heart_rate(hr_file, phone_at_start)
        meta.extra["hr_file"] = str(hr_file)
    if len(t) > 1:
        meta.nominal_rate_hz = snap_rate(1.0 / float(np.median(np.diff(t))))
    return build_recording(source.path, t, acc, gyro, meta, first_line=2)
