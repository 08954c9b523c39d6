"""ActiGraph ActiLife raw CSV export (GT3X+/GT9X): a 10-line header block, then
``Timestamp,Accelerometer X,Accelerometer Y,Accelerometer Z`` in g (timestamps in local time, format
per the header, e.g. ``M/d/yyyy``). Exports without a Timestamp column are timed from the header's
start and rate. The header gives device serial, rate and local start (no time zone: ``start_utc``
stays unknown; the local start goes into ``meta.extra["start_local"]``).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import split_fields
from runform.sensors.importers._tabular import build_recording, require_columns
from runform.sensors.tables import numeric, read_table
from runform.sensors.recording import Metadata

NAME = "actigraph"
DESCRIPTION = "ActiGraph ActiLife CSV with its header block: Timestamp, Accelerometer X/Y/Z (g)"
ACC_COLUMNS = ["Accelerometer X", "Accelerometer Y", "Accelerometer Z"]
RATE_RE = re.compile(r"at (\d+(?:\.\d+)?) Hz", re.I)
DATE_FORMATS = {"M/d/yyyy": "%m/%d/%Y", "d/M/yyyy": "%d/%m/%Y", "yyyy-MM-dd": "%Y-%m-%d", "dd.MM.yyyy": "%d.%m.%Y"}


def sniff(source) -> bool:
    return source.kind == "file" and "actigraph" in source.first_line.lower()


def _header_facts(lines):
    facts = {"rate": None, "serial": None, "start_time": None, "start_date": None, "date_fmt": "%m/%d/%Y",
             "title": lines[0].strip("- ").strip() if lines else ""}
    m = RATE_RE.search(lines[0]) if lines else None
    if m:
        facts["rate"] = float(m.group(1))
    for key, fmt in DATE_FORMATS.items():
        if lines and f"date format {key}" in lines[0]:
            facts["date_fmt"] = fmt
    for line in lines:
        if line.startswith("Serial Number:"):
            facts["serial"] = line.split(":", 1)[1].strip()
        elif line.startswith("Start Time"):
            facts["start_time"] = line[len("Start Time"):].strip()
        elif line.startswith("Start Date"):
            facts["start_date"] = line[len("Start Date"):].strip()
    return facts


def read(source, columns=None):
    import pandas as pd  # imported on use: loading a canonical CSV must not pay for it

    lines = source.lines
    header_idx = next((i for i, l in enumerate(lines) if split_fields(l, ",")[:1] in (["Timestamp"], [ACC_COLUMNS[0]])), None)
    if header_idx is None:
        raise InputError(source.path, "not an ActiGraph CSV: no 'Timestamp' or 'Accelerometer X' column row in the first lines")
    facts = _header_facts(lines[:header_idx])
    df = read_table(source.path, source.path, skiprows=header_idx)
    require_columns(df.columns, ACC_COLUMNS, source.path)
    first = header_idx + 2
    acc = numeric(df, ACC_COLUMNS, source.path, first_line=first)
    meta = Metadata(device=f"ActiGraph {facts['serial']}" if facts["serial"] else "ActiGraph",
                    nominal_rate_hz=facts["rate"], source_format=NAME, extra={"header": facts["title"]})
    if "Timestamp" in df.columns:
        stamps = pd.to_datetime(df["Timestamp"], format=f"{facts['date_fmt']} %H:%M:%S.%f", errors="coerce")
        bad = stamps.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(source.path, f"unreadable timestamp {str(df['Timestamp'].iloc[i])!r}", first + i)
        ns = stamps.to_numpy().astype("datetime64[ns]").astype(np.int64)
        t = (ns - ns[0]).astype(np.float64) * 1e-9
        meta.extra["start_local"] = str(stamps.iloc[0])
    else:
        if not facts["rate"]:
            raise InputError(source.path, "no Timestamp column and no 'at N Hz' rate in the header")
        t = np.arange(len(df)) / facts["rate"]
        if facts["start_date"] and facts["start_time"]:
            try:
                start = datetime.strptime(f"{facts['start_date']} {facts['start_time']}", f"{facts['date_fmt']} %H:%M:%S")
                meta.extra["start_local"] = start.isoformat()
            except ValueError:
                pass
    return build_recording(source.path, t, acc, None, meta, first_line=first)
