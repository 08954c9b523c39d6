"""Any delimited text file, read through an explicit column mapping (``--columns``).

Mapping syntax (``MAPPING_HELP``): comma-separated ``CHANNEL=COLUMN[:UNIT]``; CHANNEL is one of
``time, acc_x, acc_y, acc_z, gyro_x, gyro_y, gyro_z`` (time and all three acc_* required; gyro_* all
three or none). COLUMN is a header name or, for files without a header, a 0-based column number.
Units: time ``s|ms|us|ns`` (default s); acc ``g|mg|m/s2`` (default g); gyro ``dps|deg/s|rad/s|mdps``
(default dps). The delimiter (``,`` ``;`` tab) is sniffed from the first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import sniff_delimiter, split_fields
from runform.sensors.importers._tabular import build_recording, relative_seconds
from runform.sensors.recording import Metadata, Recording
from runform.sensors.tables import numeric, read_table
from runform.sensors.units import ACC_UNITS, GYRO_UNITS, TIME_UNITS

NAME = "generic"
DESCRIPTION = "any CSV/TSV with an explicit --columns mapping"
CHANNELS = ("time", "acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z")
DEFAULT_UNITS = {"time": "s", "acc": "g", "gyro": "dps"}
#: the time "unit" of date-time text (ISO 8601, with or without a zone); text times are read so anyway
DATETIME_UNIT = "iso"
#: date-time layouts tried after ISO 8601: GENEActiv writes ``2019-01-01 10:00:00:000``
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S:%f",)
#: lines searched for ``--header-line``
MAX_PREAMBLE_LINES = 10_000
UNIT_TABLES = {"time": TIME_UNITS, "acc": ACC_UNITS, "gyro": GYRO_UNITS}
MAPPING_HELP = (
    "column mapping for a CSV runform does not recognise: comma-separated CHANNEL=COLUMN[:UNIT] with "
    "CHANNEL in time, acc_x, acc_y, acc_z (required; time not with --rate) and gyro_x, gyro_y, gyro_z (optional, all three); "
    "COLUMN is a header name or a 0-based column number for files without a header; "
    f"units: time {'|'.join(TIME_UNITS)} (default s; epoch times too) or iso (date-time text, ISO 8601 with or "
    f"without a zone, read as such by default), acc {'|'.join(ACC_UNITS)} (default g), "
    f"gyro {'|'.join(GYRO_UNITS)} (default dps). The delimiter is detected. "
    'Example: --columns "time=ts:ms,acc_x=ax:m/s2,acc_y=ay:m/s2,acc_z=az:m/s2,gyro_x=gx:rad/s,gyro_y=gy:rad/s,gyro_z=gz:rad/s"'
)


@dataclass(frozen=True)
class ColumnSpec:
    channel: str
    column: str
    unit: str
    factor: float


def parse_mapping(text: str, label="--columns", need_time: bool = True) -> dict[str, ColumnSpec]:
    """Parse ``time=ts:ms,acc_x=ax:m/s2,...`` into channel -> ``ColumnSpec``; ``InputError`` when malformed.
    ``need_time``: False when ``--rate`` times the samples (the time channel is then optional)."""
    specs: dict[str, ColumnSpec] = {}
    for item in [i.strip() for i in str(text).split(",") if i.strip()]:
        if "=" not in item:
            raise InputError(label, f"bad --columns item {item!r}: expected CHANNEL=COLUMN[:UNIT]")
        channel, rest = (s.strip() for s in item.split("=", 1))
        if channel not in CHANNELS:
            raise InputError(label, f"unknown channel {channel!r} in --columns; use {', '.join(CHANNELS)}")
        column, _, unit = rest.rpartition(":") if ":" in rest else (rest, "", "")
        column = column.strip()
        kind = channel.split("_")[0]
        unit = unit.strip() or DEFAULT_UNITS[kind]
        table = {**UNIT_TABLES[kind], **({DATETIME_UNIT: 1e-9} if kind == "time" else {})}
        if unit not in table:
            raise InputError(label, f"unknown unit {unit!r} for {channel}; use {', '.join(table)}")
        if not column:
            raise InputError(label, f"no column given for {channel} in --columns")
        if channel in specs:
            raise InputError(label, f"channel {channel} given twice in --columns")
        specs[channel] = ColumnSpec(channel, column, unit, table[unit])
    missing = [c for c in ("time", "acc_x", "acc_y", "acc_z")[0 if need_time else 1:] if c not in specs]
    if missing:
        raise InputError(label, f"--columns needs {', '.join(missing)}")
    gyro = [c for c in CHANNELS[4:] if c in specs]
    if gyro and len(gyro) != 3:
        raise InputError(label, "--columns needs all of gyro_x, gyro_y, gyro_z or none")
    return specs


def sniff(source) -> bool:
    return False  # only chosen explicitly (--columns or --format generic)


#: a field that starts like a date-time is a value, not a column name
DATETIME_START = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")


def _has_header(fields) -> bool:
    """A first line with a field that is neither a number nor a date-time is a header."""
    for f in fields:
        try:
            float(f)
        except ValueError:
            if not DATETIME_START.match(f):
                return True
    return False


def _preamble_lines(source) -> int:
    """Lines before the header: ``--skip-rows N``, or the line ``--header-line TEXT`` starts."""
    opts = source.options
    if opts.get("header_line"):
        marker = opts["header_line"]
        with open(source.path, "r", encoding="utf-8-sig", errors="replace") as fh:
            for i, line in enumerate(fh):
                if line.lstrip().startswith(marker):
                    return i
                if i >= MAX_PREAMBLE_LINES:
                    break
        raise InputError(source.path, f"no line starts with {marker!r} in the first {MAX_PREAMBLE_LINES:,} lines (--header-line)")
    return int(opts.get("skip_rows") or 0)


def _line_after(source, skip: int) -> str:
    with open(source.path, "r", encoding="utf-8-sig", errors="replace") as fh:
        for i, line in enumerate(fh):
            if i == skip:
                return line
    raise InputError(source.path, f"the file has no line after the {skip} skipped")


def _datetime_ns(col, label, first_line: int, meta: Metadata) -> np.ndarray:
    """Date-time text -> int64 ns since the epoch; a zone is kept (``start_utc``), a naive time is
    local (``extra["start_local"]``). ``InputError`` naming the row of the first unreadable one."""
    import pandas as pd

    text = col.astype(str).str.strip()
    parsed = None
    for fmt in ("ISO8601", *DATETIME_FORMATS):
        try:
            parsed = pd.to_datetime(text, format=fmt)
            break
        except (ValueError, TypeError) as exc:
            if "mixed timezones" in str(exc) or "tz-naive and tz-aware" in str(exc) or "Mixed timezones" in str(exc):
                raise InputError(label, "the time column mixes date-times with and without a time zone") from None
    if parsed is None:
        bad = pd.to_datetime(text, format="ISO8601", errors="coerce").isna().to_numpy()
        i = int(np.flatnonzero(bad)[0]) if bad.any() else 0
        raise InputError(label, f"time {text.iloc[i][:30]!r} is not a number or an ISO 8601 date-time", first_line + i)
    missing = parsed.isna().to_numpy()
    if missing.any():
        raise InputError(label, "empty time cell", first_line + int(np.flatnonzero(missing)[0]))
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC")
        meta.start_utc = parsed.iloc[0].isoformat()
        parsed = parsed.dt.tz_localize(None)
    else:
        meta.extra["start_local"] = parsed.iloc[0].isoformat()
    return parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64)


def _seconds(df, cols, specs, label, first: int, meta: Metadata, rate_hz: float | None) -> np.ndarray:
    """The time channel in seconds from the first sample."""
    if "time" not in specs:
        return np.arange(len(df), dtype=np.float64) / rate_hz
    tcol = df[cols["time"]]
    if rate_hz:  # the time column is a sample index
        idx = numeric(df, [cols["time"]], label, first)[:, 0]
        return (idx - idx[0]) / rate_hz
    if specs["time"].unit == DATETIME_UNIT or tcol.dtype.kind == "O" and not _numeric_text(tcol):
        ns = _datetime_ns(tcol, label, first, meta)
        return relative_seconds(ns, 1e-9)
    # integer clocks (e.g. epoch ns) stay integers until after subtracting the start: no precision loss
    tv = tcol.to_numpy() if tcol.dtype.kind in "iu" else numeric(df, [cols["time"]], label, first)[:, 0]
    if specs["time"].unit == "s" and len(tv) > 2 and np.all(np.diff(tv) == 1):
        raise InputError(label, f"the time column {specs['time'].column!r} counts samples (1, 2, 3, ...), it is not "
                                "in seconds: give the sample rate with --rate HZ")
    return relative_seconds(tv, specs["time"].factor)


def _numeric_text(col) -> bool:
    import pandas as pd

    head = col.dropna().head(5)
    return bool(len(head)) and not pd.to_numeric(head, errors="coerce").isna().any()


def read(source, columns=None):
    if not columns:
        raise InputError(source.path, "the generic format needs --columns MAPPING")
    if source.kind != "file":
        raise InputError(source.path, "--columns reads one CSV file, not a folder or zip")
    rate_hz = float(source.options["rate_hz"]) if source.options.get("rate_hz") else None
    specs = parse_mapping(columns, source.path, need_time=rate_hz is None)
    skip = _preamble_lines(source)
    head_line = _line_after(source, skip) if skip else source.first_line
    sep = sniff_delimiter(head_line)
    header = _has_header(split_fields(head_line, sep))
    df = read_table(source.path, source.path, sep=sep, header=0 if header else None, skiprows=skip or None)
    meta = Metadata(source_format=NAME, nominal_rate_hz=rate_hz, extra={"columns": columns})
    return read_frame(df, specs, source.path, meta, header=header, first_line=skip + (2 if header else 1),
                      rate_hz=rate_hz)


def read_frame(df, specs: dict[str, ColumnSpec], label, meta: Metadata, *, header: bool = True,
               first_line: int = 2, rate_hz: float | None = None, time_s: np.ndarray | None = None) -> Recording:
    """A ``Recording`` from the mapped columns of a pandas DataFrame, converted by each spec's unit
    (a file's table, or a DataFrame given to ``load_recording``).

    ``header``: False when the columns are numbered (a file without a header line). ``first_line``:
    the number errors give the frame's first row. Times: ``time_s`` when given (seconds per row), else
    the time channel, else row / ``rate_hz`` (``_seconds``)."""
    names = {str(c): c for c in df.columns}
    cols = {}
    for ch, spec in specs.items():
        if spec.column in names:
            cols[ch] = names[spec.column]
        elif not header and spec.column.isdigit() and int(spec.column) in df.columns:
            cols[ch] = int(spec.column)
        else:
            have = ", ".join(names) if header else f"{df.shape[1]} unnamed columns (0..{df.shape[1] - 1})"
            raise InputError(label, f"column {spec.column!r} (for {ch}) not found; the columns are: {have}")
    t = time_s if time_s is not None else _seconds(df, cols, specs, label, first_line, meta, rate_hz)
    acc = numeric(df, [cols[c] for c in ("acc_x", "acc_y", "acc_z")], label, first_line)
    acc *= np.array([specs[c].factor for c in ("acc_x", "acc_y", "acc_z")])
    gyro = None
    if "gyro_x" in specs:
        gyro = numeric(df, [cols[c] for c in CHANNELS[4:]], label, first_line)
        gyro *= np.array([specs[c].factor for c in CHANNELS[4:]])
    return build_recording(label, t, acc, gyro, meta, first_line=first_line)
