"""The one entry point every command uses to read a recording: ``load_recording``.

It takes a path, an open file object, or a pandas DataFrame. The format of a file is detected from
content (header lines, folder/zip members), not only from the file name; ``format`` forces an
importer, ``columns`` (a ``--columns`` mapping) selects the generic one. Options may follow the path
after ``#``: ``trials.csv#trial=3``. Any failure is an ``InputError`` with one line naming the file
(or ``<stream>``, ``<DataFrame>``) and the problem.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.importers import detect, generic, get_importer, open_source
from runform.sensors.plausibility import check_units, exclude_out_of_range
from runform.sensors.recording import Metadata, Recording
from runform.sensors.text import printable, printable_tree

OPTION_SEPARATOR = "#"
#: how a DataFrame and a file object without a name are called in errors and in ``meta.source_file``
FRAME_LABEL = "<DataFrame>"
STREAM_LABEL = "<stream>"
#: ``meta.source_format`` of a recording made from a DataFrame
FRAME_FORMAT = "dataframe"


def split_path_options(path) -> tuple[Path, dict[str, str]]:
    """``"a.csv#trial=3"`` -> ``(Path("a.csv"), {"trial": "3"})``; a path that exists as written wins."""
    text = str(path)
    if OPTION_SEPARATOR not in text or Path(text).exists():
        return Path(text), {}
    base, _, opts = text.rpartition(OPTION_SEPARATOR)
    options = {}
    for item in filter(None, (o.strip() for o in opts.split("&"))):
        key, eq, value = item.partition("=")
        if not eq:
            raise InputError(text, f"bad option {item!r} after '#': expected KEY=VALUE")
        options[key.strip()] = value.strip()
    return Path(base), options


def input_files(path, recording: Recording | None = None) -> list[Path]:
    """Every file a recording is read from, the recording itself first: the file, its sidecar
    ``NAME.meta.json`` (read when present, so never an output either), a folder's files, and the
    companion files an importer read (``meta.extra["gyro_file"]``, ``["hr_file"]``). Used to refuse outputs onto
    inputs (``sensors.atomic.refuse_inputs``)."""
    from runform.sensors.canonical_csv import sidecar_path

    p, _ = split_path_options(path)
    found = [p]
    if p.is_dir():
        found += [f for f in sorted(p.glob("*")) + sorted(p.glob("*/*")) if f.is_file()]
    else:
        found.append(sidecar_path(p))
    extra = recording.meta.extra if recording is not None else {}
    found += [Path(extra[k]) for k in ("gyro_file", "hr_file") if isinstance(extra.get(k), str)]
    return found


#: ``--rate`` values accepted (Hz): body-worn IMUs sample at 1 Hz to a few kHz
RATE_OPTION_HZ = (1.0, 20_000.0)


def _read_options(p, columns, rate_hz, skip_rows, header_line) -> dict[str, str]:
    """The ``--columns``-only options as source options; ``InputError`` when given without
    ``--columns`` or out of range."""
    given = {"--rate": rate_hz, "--skip-rows": skip_rows, "--header-line": header_line}
    used = [k for k, v in given.items() if v is not None]
    if used and not columns:
        raise InputError(p, f"{', '.join(used)} apply to files read with --columns MAPPING (runform reads the "
                            "formats it knows, and their preambles, without them)")
    out = {}
    if rate_hz is not None:
        if not RATE_OPTION_HZ[0] <= rate_hz <= RATE_OPTION_HZ[1]:  # also false for nan
            raise InputError(p, f"--rate must be {RATE_OPTION_HZ[0]:g}-{RATE_OPTION_HZ[1]:g} Hz, not {rate_hz:g}")
        out["rate_hz"] = repr(float(rate_hz))
    if skip_rows is not None:
        if skip_rows < 0:
            raise InputError(p, f"--skip-rows must be 0 or more, not {skip_rows}")
        out["skip_rows"] = str(int(skip_rows))
    if header_line:
        out["header_line"] = header_line
    return out


def load_recording(path, format: str | None = None, columns: str | None = None, *, rate_hz: float | None = None,
                   skip_rows: int | None = None, header_line: str | None = None) -> Recording:
    """Load any supported recording as a ``Recording`` in canonical units (s, g, deg/s).

    ``path``: a file or folder path (``str`` or ``os.PathLike``); an open file object (text or binary,
    read to its end; a Sensor Logger ``.zip`` too); or a pandas DataFrame, one row per sample, with
    the canonical CSV's columns ``time_s`` (s), ``acc_x_g, acc_y_g, acc_z_g`` (specific force in g,
    +1 g up at rest) and optionally ``gyro_x_dps, gyro_y_dps, gyro_z_dps`` (deg/s), or the columns
    ``columns`` maps. A DataFrame without a time column takes its times from its ``DatetimeIndex``,
    else from ``rate_hz`` (time = row / rate_hz); with ``rate_hz``, a time column counts samples.
    ``format``: an importer name from ``sensors.importers.format_names()`` (default: detect).
    ``columns``: a generic mapping such as ``"time=ts:ms,acc_x=ax:m/s2,acc_y=ay:m/s2,acc_z=az:m/s2"``;
    with it, ``rate_hz`` times a file with only a sample index, ``skip_rows`` / ``header_line``
    (the header is the first line starting with it) skip a preamble.
    """
    if _is_frame(path):
        if format is not None or skip_rows is not None or header_line is not None:
            raise TypeError("format, skip_rows and header_line apply to files, not to a DataFrame")
        return _checked(_load_frame(path, columns, rate_hz), FRAME_LABEL)
    if hasattr(path, "read"):
        return _load_stream(path, format, columns, rate_hz=rate_hz, skip_rows=skip_rows, header_line=header_line)
    p, options = split_path_options(path)
    options.update(_read_options(p, columns, rate_hz, skip_rows, header_line))
    if format is not None:
        importer = get_importer(format, p)
    elif columns:
        importer = get_importer("generic", p)
    else:
        importer = None
    source = open_source(p, options)
    if importer is None:
        importer = detect(source)
    elif source.kind == "dir" and importer.NAME not in ("sensor_logger", "phyphox"):
        raise InputError(p, f"is a directory; the {importer.NAME} format reads a file")
    try:
        rec = importer.read(source, columns)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, zipfile.BadZipFile, UnicodeDecodeError) as exc:  # pandas' ParserError is a ValueError
        # a format forced onto a file it does not fit, or a malformed file the importer did not foresee
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(p, f"cannot be read as {importer.NAME}: {msg}") from None
    if "trial" in options and "n_trials" not in rec.meta.extra:
        raise InputError(p, f"a trial was asked for (trial={options['trial']}), but this {importer.NAME} file "
                            "holds one recording, not several trials")
    if options:
        rec.meta.extra.setdefault("options", options)
    return _checked(rec, p)


def _checked(rec: Recording, label) -> Recording:
    """The checks every loaded recording passes, whatever it was read from."""
    check_units(rec, label)  # first: values in the wrong unit are not "out of range", they are mislabelled
    rec = exclude_out_of_range(rec)
    _make_text_printable(rec.meta)
    return rec


def _is_frame(obj) -> bool:
    pandas = sys.modules.get("pandas")  # an object cannot be a DataFrame unless pandas is imported
    return pandas is not None and isinstance(obj, pandas.DataFrame)


def _load_stream(stream, format: str | None, columns: str | None, **read_options) -> Recording:
    """A file object, read to its end into a temporary file that keeps its base name (some importers
    find a companion file or the placement by name); errors name the stream, not the temporary file."""
    name = getattr(stream, "name", None)
    label = name if isinstance(name, str) and name else STREAM_LABEL
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="runform-stream-") as tmp:
        copy = Path(tmp) / (Path(label).name if label != STREAM_LABEL else "stream")
        copy.write_bytes(data)
        try:
            rec = load_recording(copy, format, columns, **read_options)
        except InputError as exc:
            raise InputError(label, exc.problem, exc.row) from None
    rec.meta.source_file = printable(label)
    return rec


def _load_frame(frame, columns: str | None, rate_hz: float | None) -> Recording:
    """A DataFrame's mapped columns as a ``Recording`` (see ``load_recording``); rows are numbered from 1
    in errors."""
    if rate_hz is not None and not (np.isfinite(rate_hz) and rate_hz > 0):
        raise InputError(FRAME_LABEL, f"rate_hz must be a positive number, not {rate_hz!r}")
    from runform.sensors.canonical_csv import ACC_COLS, GYRO_COLS, TIME_COL  # (imports the importers: not at the top)

    if columns:
        specs = generic.parse_mapping(columns, FRAME_LABEL, need_time=False)
    else:  # the canonical columns the frame has (acc_* always: their absence is the error to report)
        names = {str(c) for c in frame.columns}
        canonical = {"time": TIME_COL, **{c[:5]: c for c in ACC_COLS}, **{c[:6]: c for c in GYRO_COLS}}
        specs = generic.parse_mapping(",".join(f"{ch}={col}" for ch, col in canonical.items()
                                               if col in names or ch.startswith("acc")), FRAME_LABEL, need_time=False)
    meta = Metadata(source_format=FRAME_FORMAT, nominal_rate_hz=rate_hz, source_file=FRAME_LABEL,
                    extra={"columns": columns} if columns else {})
    time_s = None
    if "time" not in specs:
        time_s = _index_seconds(frame)
        if time_s is None and rate_hz is None:
            raise InputError(FRAME_LABEL, f"no {TIME_COL} column and no DatetimeIndex: give rate_hz "
                             "(samples per second) or a time column")
        if time_s is not None and getattr(frame.index, "tz", None) is not None and len(frame):
            meta.start_utc = frame.index[0].tz_convert("UTC").isoformat()
    # with rate_hz, a time column counts samples (as --rate does for a file)
    return generic.read_frame(frame, specs, FRAME_LABEL, meta, first_line=1, rate_hz=rate_hz, time_s=time_s)


def _index_seconds(frame) -> np.ndarray | None:
    """Seconds from the first row of a frame's DatetimeIndex; None for any other index."""
    import pandas as pd

    if not isinstance(frame.index, pd.DatetimeIndex):
        return None
    ns = frame.index.as_unit("ns").asi8
    return (ns - ns[0]).astype(np.float64) * 1e-9 if len(ns) else np.empty(0)


def _make_text_printable(meta) -> None:
    """Every text field from the file, made safe to print (``sensors.text``): info, analyze, replay
    and the report show them."""
    for name in ("device", "firmware", "placement", "start_utc", "source_file", "source_format"):
        value = getattr(meta, name)
        if isinstance(value, str):
            setattr(meta, name, printable(value))
    meta.extra = printable_tree(meta.extra)
    for gap in meta.gaps:
        gap.reason = printable(gap.reason)
