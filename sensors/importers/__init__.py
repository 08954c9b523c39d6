"""File importers: one module per format, each with ``NAME``, ``DESCRIPTION``, ``sniff(source) -> bool``
and ``read(source, columns=None) -> Recording``. ``detect`` picks the format from content (header
lines, folder/zip members), not from the file name. Use ``sensors.load_recording`` to load a file.
"""

from __future__ import annotations

from runform.sensors.errors import InputError
from runform.sensors.importers import (actigraph, android_neckpouch, canonical, generic, hexoskin, phyphox,
                               polar_sensor_logger, sacral_trials, sensor_logger, shimmer)
from runform.sensors.importers._source import Source, open_source

#: detection order: most specific signatures first; ``generic`` is never auto-detected
IMPORTERS = (canonical, polar_sensor_logger, sensor_logger, phyphox, actigraph, shimmer, hexoskin,
             android_neckpouch, sacral_trials, generic)
FORMATS = {m.NAME: m for m in IMPORTERS}


def format_names() -> list[str]:
    return list(FORMATS)


def get_importer(name: str, label=None):
    """The importer module for a format name; ``InputError`` for an unknown name."""
    if name not in FORMATS:
        raise InputError(label, f"unknown format {name!r}; known formats: {', '.join(FORMATS)}")
    return FORMATS[name]


def detect(source: Source):
    """The importer whose signature matches ``source``, or ``InputError`` saying what was seen."""
    for mod in IMPORTERS:
        if mod.sniff(source):
            return mod
    if source.kind == "dir":
        raise InputError(source.path, "directory is not a Sensor Logger or phyphox export "
                         "(no Accelerometer.csv/TotalAcceleration.csv with a known header)")
    if source.kind == "zip":
        raise InputError(source.path, "zip is not a Sensor Logger or phyphox export "
                         "(no Accelerometer.csv/TotalAcceleration.csv with a known header)")
    first = source.first_line.strip()
    shown = first if len(first) <= 60 else first[:57] + "..."
    raise InputError(source.path, f"unrecognised file format (first line: {shown!r}); "
                     "give --format NAME or --columns MAPPING", 1)


__all__ = ["FORMATS", "IMPORTERS", "Source", "detect", "format_names", "get_importer", "open_source"]
