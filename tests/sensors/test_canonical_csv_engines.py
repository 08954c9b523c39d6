"""read_canonical's two CSV engines (NumPy loadtxt for small files, pandas for large ones) must give
the same arrays and the same errors."""

import numpy as np
import pytest

from runform.sensors import canonical_csv
from runform.sensors.canonical_csv import read_canonical, write_canonical
from runform.sensors.errors import InputError
from runform.sensors.recording import Metadata, Recording


@pytest.fixture(params=canonical_csv.ENGINES)
def engine(request):
    return request.param


def _rec(n=3000, seed=3):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 200.0 + 1234.5  # times far from 0: all six decimals matter
    return Recording(t, rng.normal(0, 2, (n, 3)), rng.normal(0, 300, (n, 3)), Metadata(nominal_rate_hz=200.0))


def test_both_engines_read_the_written_values_exactly(tmp_path, engine):
    rec = _rec()
    back = read_canonical(write_canonical(rec, tmp_path / "r.csv"), engine=engine)
    assert np.array_equal(back.time, np.round(rec.time, 6))
    assert np.array_equal(back.acc, np.round(rec.acc, 6))
    assert np.array_equal(back.gyro, np.round(rec.gyro, 4))
    assert back.acc.flags.c_contiguous and back.gyro.flags.c_contiguous


def test_writer_matches_savetxt_bytes(tmp_path):
    rec = _rec(n=45_001)  # more than one formatting block
    text = (tmp_path / "w.csv")
    write_canonical(rec, text, write_sidecar=False)
    body = text.read_text().split("\n", 1)[1]
    import io

    buf = io.StringIO()
    np.savetxt(buf, np.column_stack([rec.time, rec.acc, rec.gyro]), delimiter=",",
               fmt=",".join(["%.6f"] * 4 + ["%.4f"] * 3))
    assert body == buf.getvalue()


@pytest.mark.parametrize("body, message", [
    ("0,0,0,1\n0.01,abc,0,1\n0.02,0,0,1\n", r"text 'abc' in numeric column 'acc_x_g' \(row 3\)"),
    ("0,0,0,1\n0.01,0,0\n0.02,0,0,1\n", r"row 3 has 3 fields, expected 4"),  # a short row is named as one
    ("0,0,0,1\n0.01,0,0,1,5\n0.02,0,0,1\n", r"row 3 has 5 fields, expected 4"),
    ("", r"no samples"),
    # pandas parses with na_filter=False (no NA-string lookups): NA markers, empty fields and inf must
    # still be named as non-finite values in their column and row
    ("0,0,0,1\n0.01,NA,0,1\n0.02,0,0,1\n", r"non-finite value \(NaN or inf\) in column 'acc' \(row 3\)"),
    ("0,0,0,1\n0.01,0,nan,1\n0.02,0,0,1\n", r"non-finite value \(NaN or inf\) in column 'acc' \(row 3\)"),
    ("0,0,0,1\n0.01,0,,1\n0.02,0,0,1\n", r"non-finite value \(NaN or inf\) in column 'acc' \(row 3\)"),
    ("0,0,0,1\n0.01,0,0,-inf\n0.02,0,0,1\n", r"non-finite value \(NaN or inf\) in column 'acc' \(row 3\)"),
    ("0,0,0,1\n,0,0,1\n0.02,0,0,1\n", r"non-finite value \(NaN or inf\) in column 'time' \(row 3\)"),
])
def test_both_engines_give_the_same_errors(tmp_path, engine, body, message):
    p = tmp_path / "bad.csv"
    p.write_text("time_s,acc_x_g,acc_y_g,acc_z_g\n" + body)
    with pytest.raises(InputError, match=message):
        read_canonical(p, engine=engine)


def test_the_default_engine_depends_on_the_file_alone(tmp_path):
    """Not on whether pandas happens to be imported in this process: a small file is read by NumPy."""
    import pandas  # noqa: F401  (imported: the choice must not change)

    path = write_canonical(_rec(n=100), tmp_path / "small.csv")
    assert canonical_csv.csv_engine(path) == "numpy"
    with pytest.raises(ValueError, match="engine must be one of"):
        read_canonical(path, engine="polars")
