"""One test per bad input: a one-line InputError naming the file, the problem and (where it applies)
the row, and exit code 2 with one stderr line and no traceback from ``runform info``."""

import zipfile

import pytest

from runform.cli import main
from runform.sensors import load_recording
from runform.sensors.errors import InputError

HEADER = "time_s,acc_x_g,acc_y_g,acc_z_g\n"
GOOD_ROWS = "0.00,0,0,1\n0.01,0,0,1\n0.02,0,0,1\n0.03,0,0,1\n"

#: name -> (how to make the bad input in tmp_path, expected message fragment, extra CLI args)
CASES = {
    "empty file": (lambda d: _write(d / "e.csv", ""), "e.csv: empty file", []),
    "blank lines only": (lambda d: _write(d / "b.csv", "\n\n  \n"), "b.csv: empty file", []),
    "header only": (lambda d: _write(d / "h.csv", HEADER), "h.csv: no samples (header only?)", []),
    "wrong delimiter": (lambda d: _write(d / "w.csv", (HEADER + GOOD_ROWS).replace(",", ";")),
                        "w.csv: wrong delimiter ';': the canonical CSV is comma-separated (row 1)", []),
    "missing column": (lambda d: _write(d / "m.csv", "time_s,acc_x_g,acc_y_g\n0,0,0\n0.01,0,0\n"),
                       "m.csv: not a canonical runform CSV: missing column(s) acc_z_g", []),
    "unknown column": (lambda d: _write(d / "u.csv", "time_s,acc_x_g,acc_y_g,acc_z_g,temp_c\n0,0,0,1,20\n0.01,0,0,1,20\n"),
                       "u.csv: not a canonical runform CSV: unknown column(s) temp_c", []),
    "text in numeric column": (lambda d: _write(d / "t.csv", HEADER + "0.00,0,0,1\n0.01,0,abc,1\n0.02,0,0,1\n"),
                               "t.csv: text 'abc' in numeric column 'acc_y_g' (row 3)", []),
    "NaN value": (lambda d: _write(d / "n.csv", HEADER + "0.00,0,0,1\n0.01,0,0,1\n0.02,nan,0,1\n"),
                  "n.csv: non-finite value (NaN or inf) in column 'acc' (row 4)", []),
    "empty cell": (lambda d: _write(d / "c.csv", HEADER + "0.00,0,0,1\n0.01,0,,1\n"),
                   "c.csv: non-finite value (NaN or inf) in column 'acc' (row 3)", []),
    "inf value": (lambda d: _write(d / "i.csv", HEADER + "0.00,0,0,1\n0.01,0,0,inf\n"),
                  "i.csv: non-finite value (NaN or inf) in column 'acc' (row 3)", []),
    "timestamps backwards": (lambda d: _write(d / "o.csv", HEADER + "0.00,0,0,1\n0.02,0,0,1\n0.01,0,0,1\n0.03,0,0,1\n"),
                             "o.csv: timestamps go backwards: 1 out-of-order row(s), first (row 4)", []),
    "duplicate timestamp": (lambda d: _write(d / "d.csv", HEADER + "0.00,0,0,1\n0.01,0,0,1\n0.01,0,0,0.9\n"),
                            "d.csv: duplicate timestamp 0.01: 1 duplicate row(s), first (row 4)", []),
    "single sample": (lambda d: _write(d / "s.csv", HEADER + "0.00,0,0,1\n"),
                      "s.csv: only one sample; a recording needs at least two", []),
    "binary file": (lambda d: _write_bytes(d / "x.csv", bytes(range(256)) * 4), "x.csv: binary file, not a text recording", []),
    "missing path": (lambda d: d / "nope.csv", "nope.csv: no such file or directory", []),
    "directory not an export": (lambda d: _mkdir_with(d / "folder"), "folder: directory is not a Sensor Logger or phyphox export", []),
    "zip not an export": (lambda d: _zip_with(d / "z.zip"), "z.zip: zip is not a Sensor Logger or phyphox export", []),
    "damaged zip": (lambda d: _write_bytes(d / "k.zip", b"PK\x03\x04 cut short"), "k.zip: damaged zip file", []),
    "unknown format name": (lambda d: _write(d / "f.csv", HEADER + GOOD_ROWS), "f.csv: unknown format 'garmin'; known formats: canonical",
                            ["--format", "garmin"]),
    "unrecognised content": (lambda d: _write(d / "r.csv", "a,b\n1,2\n"), "r.csv: unrecognised file format (first line: 'a,b')", []),
    "text in Polar sensor time": (
        lambda d: _write(d / "p.txt", "Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]\n"
                         "2024-01-01T00:00:00.000;100;0;0;1000\n2024-01-01T00:00:00.000;oops;0;0;1000\n"),
        "p.txt: text 'oops' in numeric column 'sensor timestamp [ns]' (row 3)", []),
}


def _write(path, text):
    path.write_text(text)
    return path


def _write_bytes(path, data):
    path.write_bytes(data)
    return path


def _zip_with(path):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", "not sensor data\n")
    return path


def _mkdir_with(path):
    path.mkdir()
    (path / "notes.txt").write_text("not sensor data\n")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_one_line_exit_2(tmp_path, capsys, case):
    make, message, extra = CASES[case]
    path = make(tmp_path)
    code = main(["info", str(path), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("runform: error: ") and str(path) in err
    assert message in err


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_raises_input_error_from_load_recording(tmp_path, case):
    make, message, extra = CASES[case]
    path = make(tmp_path)
    fmt = extra[1] if extra[:1] == ["--format"] else None
    with pytest.raises(InputError) as err:
        load_recording(path, format=fmt)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_gap_is_not_an_error(tmp_path, capsys):
    rows = "".join(f"{i * 0.01:.2f},0,0,1\n" for i in range(100))
    rows += "".join(f"{300 + i * 0.01:.2f},0,0,1\n" for i in range(100))  # a five-minute hole
    path = _write(tmp_path / "gap.csv", HEADER + rows)
    rec = load_recording(path)
    assert len(rec) == 200 and len(rec.meta.gaps) == 1
    assert rec.meta.gaps[0].missing_samples == 29900  # the 100 Hz slots 1.00 .. 299.99 s
    assert main(["info", str(path)]) == 0
    assert "1 gap(s)" in capsys.readouterr().out


def test_a_folder_is_not_searched_deeper_than_one_level(tmp_path, capsys):
    from runform.cli import main

    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (deep / "Accelerometer.csv").write_text("time,seconds_elapsed,z,y,x\n1,0,0,0,9.8\n2,0.01,0,0,9.8\n")
    assert main(["info", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path) in err and "a/b/c" not in err and "not a Sensor Logger" in err
