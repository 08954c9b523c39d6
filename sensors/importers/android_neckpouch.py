"""Android phone accelerometer logs of the Oxford step-counter data set (Oxford-step-counter/DataSet,
2017; CC BY 4.0), phone in a neck pouch. Two header-less layouts:

- sensor-event log: ``timestamp_ns, accuracy, acc_x, acc_y, acc_z``;
- validation log: ``timestamp_ns, acc_x, acc_y, acc_z, steps_app, steps_truth, steps_hw``.

Timestamps are Android sensor event times (ns, monotonic clock, not epoch); acceleration is m/s^2
with gravity. Sampling is irregular, so no nominal rate is claimed. In the validation layout the
13-digit number in the file name is the start in epoch ms (used as ``start_utc``).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from runform.sensors.errors import InputError

from runform.sensors.importers._source import split_fields
from runform.sensors.importers._tabular import build_recording, relative_seconds
from runform.sensors.tables import numeric, read_table
from runform.sensors.recording import Metadata
from runform.sensors.units import STANDARD_GRAVITY

NAME = "android_neckpouch"
DESCRIPTION = "Android phone CSV without header (Oxford step-counter layouts): timestamp_ns, [accuracy,] x, y, z m/s^2"
#: an Android event time in ns is at least this large (about 17 minutes of uptime)
MIN_EVENT_NS = 1e12
EVENT_COLUMNS = ["timestamp_ns", "accuracy", "acc_x", "acc_y", "acc_z"]
VALIDATION_COLUMNS = ["timestamp_ns", "acc_x", "acc_y", "acc_z", "steps_app", "steps_truth", "steps_hw"]
EPOCH_MS_IN_NAME = re.compile(r"(?<!\d)(1[3-9]\d{11})(?!\d)")


def _layout(lines) -> list[str] | None:
    rows = [split_fields(l, ",") for l in lines if l.strip()]
    if not rows:
        return None
    try:
        vals = np.array([[float(v) for v in r] for r in rows])
    except ValueError:
        return None
    if vals.ndim != 2 or not np.all(vals[:, 0] >= MIN_EVENT_NS) or not np.all(vals[:, 0] == np.round(vals[:, 0])):
        return None
    if vals.shape[1] == 5 and np.all(np.isin(vals[:, 1], (0, 1, 2, 3))):
        return EVENT_COLUMNS
    if vals.shape[1] == 7 and np.all(vals[:, 4:] == np.round(vals[:, 4:])):
        return VALIDATION_COLUMNS
    return None


def sniff(source) -> bool:
    return source.kind == "file" and _layout(source.lines) is not None


def _device(path: Path) -> str:
    first = path.name.split("_")[0]
    return f"Android phone ({first})" if first.isalpha() and first.lower() not in ("user",) else "Android phone"


def read(source, columns=None):
    names = _layout(source.lines)
    if names is None:
        raise InputError(source.path, "not an Android sensor log: expected header-less rows "
                         "'timestamp_ns,accuracy,x,y,z' or 'timestamp_ns,x,y,z,steps,steps,steps'", 1)
    df = read_table(source.path, source.path, header=None, names=names)
    values = numeric(df, ["acc_x", "acc_y", "acc_z"], source.path, first_line=1)
    ticks = df["timestamp_ns"]
    if ticks.dtype.kind not in "iu":
        numeric(df, ["timestamp_ns"], source.path, first_line=1)  # names the row with text
        ticks = ticks.astype(np.float64)
    t = relative_seconds(ticks.to_numpy(), 1e-9)
    meta = Metadata(device=_device(source.path), placement="neck", source_format=NAME,
                    extra={"layout": "validation" if names is VALIDATION_COLUMNS else "sensor-event",
                           "clock": "Android sensor event time (monotonic)"})
    m = EPOCH_MS_IN_NAME.search(source.path.name)
    if m:
        meta.start_utc = datetime.fromtimestamp(int(m.group(1)) / 1000.0, tz=timezone.utc).isoformat()
        meta.extra["start_utc_source"] = "epoch ms in the file name"
    return build_recording(source.path, t, values / STANDARD_GRAVITY, None, meta, first_line=1)
