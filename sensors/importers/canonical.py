"""runform's canonical CSV (``time_s,acc_x_g,...``) and its optional sidecar; see ``sensors.canonical_csv``."""

from __future__ import annotations

from runform.sensors.canonical_csv import FORMAT_NAME, read_canonical
from runform.sensors.errors import InputError
from runform.sensors.importers._source import sniff_delimiter, split_fields

NAME = FORMAT_NAME
DESCRIPTION = "runform canonical CSV: time_s,acc_x_g,acc_y_g,acc_z_g[,gyro_*_dps] + optional NAME.meta.json"


def sniff(source) -> bool:
    if source.kind != "file":
        return False
    names = split_fields(source.first_line)
    return bool(names) and names[0] == "time_s" and any(n.startswith("acc_") and n.endswith("_g") for n in names)


def read(source, columns=None):
    sep = sniff_delimiter(source.first_line)
    if sep != ",":
        raise InputError(source.path, f"wrong delimiter {sep!r}: the canonical CSV is comma-separated", 1)
    return read_canonical(source.path)
