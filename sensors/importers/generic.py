"""Any delimited text file, read through an explicit column mapping (``--columns``).

Mapping syntax (``MAPPING_HELP``): comma-separated ``CHANNEL=COLUMN[:UNIT]``; CHANNEL is one of
``time, acc_x, acc_y, acc_z, gyro_x, gyro_y, gyro_z`` (time and all three acc_* required; gyro_* all
three or none). COLUMN is a header name or, for files without a header, a 0-based column number.
Units: time ``s|ms|us|ns`` (default s); acc ``g|mg|m/s2`` (default g); gyro ``dps|deg/s|rad/s|mdps``
(default dps). The delimiter (``,`` ``;`` tab) is sniffed from the first line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers._source import sniff_delimiter, split_fields
from runform.sensors.importers._tabular import build_recording, numeric, read_table, relative_seconds
from runform.sensors.recording import Metadata
from runform.sensors.units import ACC_UNITS, GYRO_UNITS, TIME_UNITS

NAME = "generic"
DESCRIPTION = "any CSV/TSV with an explicit --columns mapping"
CHANNELS = ("time", "acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z")
DEFAULT_UNITS = {"time": "s", "acc": "g", "gyro": "dps"}
UNIT_TABLES = {"time": TIME_UNITS, "acc": ACC_UNITS, "gyro": GYRO_UNITS}
MAPPING_HELP = (
    "column mapping for a CSV runform does not recognise: comma-separated CHANNEL=COLUMN[:UNIT] with "
    "CHANNEL in time, acc_x, acc_y, acc_z (required) and gyro_x, gyro_y, gyro_z (optional, all three); "
    "COLUMN is a header name or a 0-based column number for files without a header; "
    f"units: time {'|'.join(TIME_UNITS)} (default s), acc {'|'.join(ACC_UNITS)} (default g), "
    f"gyro {'|'.join(GYRO_UNITS)} (default dps). The delimiter is detected. "
    'Example: --columns "time=ts:ms,acc_x=ax:m/s2,acc_y=ay:m/s2,acc_z=az:m/s2,gyro_x=gx:rad/s,gyro_y=gy:rad/s,gyro_z=gz:rad/s"'
)


@dataclass(frozen=True)
class ColumnSpec:
    channel: str
    column: str
    unit: str
    factor: float


def parse_mapping(text: str, label="--columns") -> dict[str, ColumnSpec]:
    """Parse ``time=ts:ms,acc_x=ax:m/s2,...`` into channel -> ``ColumnSpec``; ``InputError`` when malformed."""
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
        table = UNIT_TABLES[kind]
        if unit not in table:
            raise InputError(label, f"unknown unit {unit!r} for {channel}; use {', '.join(table)}")
        if not column:
            raise InputError(label, f"no column given for {channel} in --columns")
        if channel in specs:
            raise InputError(label, f"channel {channel} given twice in --columns")
        specs[channel] = ColumnSpec(channel, column, unit, table[unit])
    missing = [c for c in ("time", "acc_x", "acc_y", "acc_z") if c not in specs]
    if missing:
        raise InputError(label, f"--columns needs {', '.join(missing)}")
    gyro = [c for c in CHANNELS[4:] if c in specs]
    if gyro and len(gyro) != 3:
        raise InputError(label, "--columns needs all of gyro_x, gyro_y, gyro_z or none")
    return specs


def sniff(source) -> bool:
    return False  # only chosen explicitly (--columns or --format generic)


def _has_header(fields) -> bool:
    try:
        [float(f) for f in fields]
    except ValueError:
        return True
    return False


def read(source, columns=None):
    if not columns:
        raise InputError(source.path, "the generic format needs --columns MAPPING")
    if source.kind != "file":
        raise InputError(source.path, "--columns reads one CSV file, not a folder or zip")
    specs = parse_mapping(columns, source.path)
    sep = sniff_delimiter(source.first_line)
    header = _has_header(split_fields(source.first_line, sep))
    df = read_table(source.path, source.path, sep=sep, header=0 if header else None)
    names = {str(c): c for c in df.columns}
    cols = {}
    for ch, spec in specs.items():
        if spec.column in names:
            cols[ch] = names[spec.column]
        elif not header and spec.column.isdigit() and int(spec.column) in df.columns:
            cols[ch] = int(spec.column)
        else:
            have = ", ".join(names) if header else f"{df.shape[1]} unnamed columns (0..{df.shape[1] - 1})"
            raise InputError(source.path, f"column {spec.column!r} (for {ch}) not found; the file has: {have}")
    first = 2 if header else 1
    tcol = df[cols["time"]]
    # integer clocks (e.g. epoch ns) stay integers until after subtracting the start: no precision loss
    tv = tcol.to_numpy() if tcol.dtype.kind in "iu" else numeric(df, [cols["time"]], source.path, first)[:, 0]
    t = relative_seconds(tv, specs["time"].factor)
    acc = numeric(df, [cols[c] for c in ("acc_x", "acc_y", "acc_z")], source.path, first)
    acc *= np.array([specs[c].factor for c in ("acc_x", "acc_y", "acc_z")])
    gyro = None
    if "gyro_x" in specs:
        gyro = numeric(df, [cols[c] for c in CHANNELS[4:]], source.path, first)
        gyro *= np.array([specs[c].factor for c in CHANNELS[4:]])
    meta = Metadata(source_format=NAME, extra={"columns": columns})
    return build_recording(source.path, t, acc, gyro, meta, first_line=first)
