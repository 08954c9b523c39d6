"""runform's own file format: the canonical CSV plus an optional sidecar ``NAME.meta.json``.

Header: ``time_s,acc_x_g,acc_y_g,acc_z_g[,gyro_x_dps,gyro_y_dps,gyro_z_dps]`` (DESIGN.md).
Written precision: time 1 µs, acceleration 1e-6 g, angular rate 1e-4 deg/s; reading back gives the
written values exactly (to that precision). The CSV alone loads without its sidecar.

``CanonicalCsvWriter`` appends blocks and flushes them, so a killed process leaves a readable file
(the recorder builds on it).
"""

from __future__ import annotations

import io
import json
import os
import warnings
from pathlib import Path

import numpy as np

from runform.sensors.atomic import atomic_output, write_text_atomic
from runform.sensors.errors import InputError
from runform.sensors.recording import Metadata, Recording, find_gaps, timestamp_rate_hz
from runform.sensors.sidecar import check_rate_matches, read_sidecar
from runform.sensors.tables import numeric, read_table
from runform.sensors.validation import check_samples

TIME_COL = "time_s"
ACC_COLS = ("acc_x_g", "acc_y_g", "acc_z_g")
GYRO_COLS = ("gyro_x_dps", "gyro_y_dps", "gyro_z_dps")
TIME_DECIMALS = 6
ACC_DECIMALS = 6
GYRO_DECIMALS = 4
FORMAT_NAME = "canonical"
FORMAT_BLOCK_ROWS = 20_000  # rows formatted per string operation (bounds the temporary tuple)
#: files this large are parsed by pandas (see ``_parse_numbers``): ~47 MB is an hour of 200 Hz 6-axis,
#: ~14 MB an hour of 100 Hz accelerometer only
PANDAS_MIN_BYTES = 12_000_000


def header(has_gyro: bool) -> list[str]:
    return [TIME_COL, *ACC_COLS, *(GYRO_COLS if has_gyro else ())]


def sidecar_path(csv_path) -> Path:
    """``run.csv`` -> ``run.meta.json``."""
    p = Path(csv_path)
    return p.with_name(p.stem + ".meta.json") if p.suffix.lower() == ".csv" else p.with_name(p.name + ".meta.json")


def format_rows(time, acc, gyro) -> str:
    """Canonical CSV text of the rows, without the header (the recorder and the writers here append
    it): one %-format of a whole block of rows at a time (the same bytes as ``np.savetxt``, which
    formats row by row in Python, about twice as slow)."""
    cols = [np.asarray(time, dtype=np.float64)[:, None], np.asarray(acc, dtype=np.float64)]
    fmts = [f"%.{TIME_DECIMALS}f"] + [f"%.{ACC_DECIMALS}f"] * 3
    if gyro is not None:
        cols.append(np.asarray(gyro, dtype=np.float64))
        fmts += [f"%.{GYRO_DECIMALS}f"] * 3
    data = np.hstack(cols)
    line = ",".join(fmts) + "\n"
    parts = []
    for start in range(0, data.shape[0], FORMAT_BLOCK_ROWS):
        block = data[start:start + FORMAT_BLOCK_ROWS]
        parts.append((line * block.shape[0]) % tuple(block.ravel().tolist()))
    return "".join(parts)


class CanonicalCsvWriter:
    """Append-only writer for the canonical CSV; each ``write`` is flushed to the OS (crash-safe)."""

    def __init__(self, path, has_gyro: bool, fsync_every_s: float | None = None):
        self.path = Path(path)
        self.has_gyro = has_gyro
        self.rows = 0
        self._fh = open(self.path, "w", encoding="ascii", newline="\n")
        self._fh.write(",".join(header(has_gyro)) + "\n")
        self._fh.flush()

    def write(self, time, acc, gyro=None) -> None:
        if self.has_gyro and gyro is None:
            raise ValueError("this file has gyro columns; a block without gyro cannot be written")
        text = format_rows(time, acc, gyro if self.has_gyro else None)
        self._fh.write(text)
        self._fh.flush()
        self.rows += int(np.asarray(time).shape[0])

    def sync(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if not self._fh.closed:
            self.sync()
            self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def write_meta(csv_path, meta: Metadata) -> Path:
    """Write the sidecar next to ``csv_path`` atomically (``sensors.atomic``: a temporary file with a
    unique name, then a rename), so two writers never share a temporary file."""
    return write_text_atomic(sidecar_path(csv_path), json.dumps(meta.to_dict(), indent=2, sort_keys=True) + "\n")


def write_canonical(recording: Recording, path, write_sidecar: bool = True) -> Path:
    """Write ``recording`` as a canonical CSV (and its sidecar), each atomically (``sensors.atomic``):
    a failure leaves no partial file and any previous file unchanged. Returns the CSV path."""
    path = Path(path)
    with atomic_output(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(",".join(header(recording.has_gyro)) + "\n")
        fh.write(format_rows(recording.time, recording.acc, recording.gyro))
    if write_sidecar:
        write_meta(path, recording.meta)
    return path


#: the parsers ``read_canonical`` can use (``engine=``): NumPy's C ``loadtxt`` and pandas' C ``read_csv``
ENGINES = ("numpy", "pandas")


def csv_engine(path: Path) -> str:
    """``"pandas"`` or ``"numpy"``: the parser ``read_canonical`` uses for ``path`` by default, from its
    size alone (see ``_parse_numbers``): the same file is read the same way in any process."""
    return "pandas" if Path(path).stat().st_size >= PANDAS_MIN_BYTES else "numpy"


def _parse_numbers(path: Path, n_cols: int, engine: str) -> np.ndarray:
    """The body of an all-numeric CSV as an (n, n_cols) float64 array; ValueError on text or a
    ragged row.

    Engine: pandas' C ``read_csv`` takes about 3 ns of CPU per byte, NumPy's C ``loadtxt`` about
    19 (0.15 vs 0.88 s for an hour of 200 Hz 6-axis data, benchmarks/RESULTS.md), but importing
    pandas costs about 0.14 s that a command-line run of a canonical file otherwise never pays: the
    two break even near 9-12 MB (measured 2026-12-06 on the 10 min to 1 h traces of
    ``benchmarks/speed.py``). So: pandas for a file of at least ``PANDAS_MIN_BYTES``, else
    ``loadtxt`` (``csv_engine``). Both give the same float64 values and the same errors
    (tests/sensors/test_canonical_csv_engines.py). pandas runs with ``na_filter=False``: no field is
    looked up among the NA strings ("NA", "", "null", ...: 175 M of the 2,943 M instructions of a
    process that imports pandas and reads the hour, the same values bit for bit), so such a field
    fails the float parse and takes the text path of ``read_canonical``, which names it as before.
    """
    if engine == "pandas":
        import pandas as pd

        return pd.read_csv(path, dtype=np.float64, engine="c", na_filter=False).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "input contained no data": handled below
        data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2, comments=None,
                          encoding="utf-8")
    if data.size == 0:
        return np.empty((0, n_cols))
    if data.shape[1] != n_cols:
        raise ValueError(f"{data.shape[1]} columns under a header of {n_cols}")
    return data


def read_canonical(path, engine: str | None = None) -> Recording:
    """Read a canonical CSV (and its sidecar, where present) into a ``Recording``. ``engine``: one of
    ``ENGINES``, default by the file's size (``csv_engine``)."""
    path = Path(path)
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    with open(path, "r", encoding="utf-8-sig", errors="replace") as fh:  # -sig: a UTF-8 BOM is not part of the header
        first = fh.readline()
    names = [c.strip().strip('"').strip() for c in first.strip().split(",")]  # a quoted header is a header
    if names not in (header(False), header(True)):
        missing = [c for c in header(False) if c not in names]
        unknown = [c for c in names if c not in header(True)]
        what = f"missing column(s) {', '.join(missing)}" if missing else f"unknown column(s) {', '.join(unknown)}"
        raise InputError(path, f"not a canonical runform CSV: {what}")
    try:
        data = _parse_numbers(path, len(names), engine or csv_engine(path))
    except ValueError:  # text in a numeric column or a ragged row: re-read as text to name the column and row
        check_row_lengths(path, len(names))
        data = numeric(read_table(path, path, dtype=str), names, path, first_line=2)
    # contiguous copies, cache friendly for the analysis, so that the (n, k) parse buffer is freed (a
    # view of pandas' column-major time column would keep all of it alive: 40 MB for an hour at 200 Hz)
    time = data[:, 0].copy()
    acc = np.ascontiguousarray(data[:, 1:4])
    gyro = np.ascontiguousarray(data[:, 4:7]) if len(names) == len(header(True)) else None
    del data
    chans = {"acc": acc} if gyro is None else {"acc": acc, "gyro": gyro}
    try:
        steps = check_samples(path, time, chans)
    except InputError:  # a short row parses as NaN: name it as a short row rather than as a NaN
        check_row_lengths(path, len(names))
        raise
    side = sidecar_path(path)
    meta = read_sidecar(side) if os.path.lexists(side) else Metadata()
    measured_hz = timestamp_rate_hz(time, steps)
    check_rate_matches(side, meta, measured_hz)
    meta.source_file = str(path)
    meta.source_format = FORMAT_NAME
    if not meta.gaps:
        meta.gaps = find_gaps(time, meta.nominal_rate_hz or measured_hz, steps=steps)
    return Recording(time, acc, gyro, meta)


def check_row_lengths(path: Path, n_fields: int, sep: str = ",") -> None:
    """``InputError`` "row N has K fields, expected M" for the first data row of another length
    (blank lines are skipped, as the parsers skip them)."""
    with open(path, "r", encoding="utf-8-sig", errors="replace") as fh:
        fh.readline()
        for line_no, line in enumerate(fh, start=2):
            if line.strip() and line.count(sep) + 1 != n_fields:
                raise InputError(path, f"row {line_no} has {line.count(sep) + 1} fields, expected {n_fields}")
