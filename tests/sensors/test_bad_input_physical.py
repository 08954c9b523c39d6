"""Issue 11, items 6-8: unreadable inputs, wrong time units, bad sidecars of every kind, physically
impossible values, honest diagnoses (BOM, quoted header, short row, zip bomb, FIFO). Each bad input
is one ``InputError`` line (exit 2 from the CLI, no traceback); each readable one is read right."""

from __future__ import annotations

import errno
import json
import os
import zipfile

import numpy as np
import pytest

from runform.cli import main
from runform.sensors import load_recording
from runform.sensors.errors import InputError

HEADER = "time_s,acc_x_g,acc_y_g,acc_z_g\n"


def _rows(n=200, rate=100.0, scale=1.0):
    return "".join(f"{i / rate:.4f},0,0,{scale:g}\n" for i in range(n))


def _csv(d, name="r.csv", body=None, sidecar=None):
    p = d / name
    p.write_text(HEADER + (body if body is not None else _rows()))
    if sidecar is not None:
        (d / (p.stem + ".meta.json")).write_text(sidecar)
    return p


def _deep_json(d):
    p = _csv(d)
    (d / "r.meta.json").write_text("[" * 100_000 + "]" * 100_000)
    return p


def _sidecar_folder(d):
    p = _csv(d)
    (d / "r.meta.json").mkdir()
    return p


def _sidecar_dev_zero(d):
    p = _csv(d)
    (d / "r.meta.json").symlink_to("/dev/zero")
    return p


def _fifo(d):
    p = d / "pipe.csv"
    os.mkfifo(p)
    return p


def _zip_bomb(d):
    p = d / "bomb.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Accelerometer.csv", b"0" * 50_000)  # 50 kB of zeros; the limit is patched to 10 kB
    return p


#: name -> (make the input in tmp_path, expected message fragment)
CASES = {
    "ms read as s": (lambda d: _csv(d, body="0,0,1,0\n10,0,1,0\n20,0,1,0\n"),
                     "median sample interval 10 s (0.1 Hz): no body-worn IMU samples this slowly; times in milliseconds"),
    "s read as ms": (lambda d: _csv(d, body="".join(f"{i * 1e-6:.7f},0,0,1\n" for i in range(50))),
                     "faster than any body-worn IMU"),
    "sidecar null": (lambda d: _csv(d, sidecar="null"), "the top level must be a JSON object, not NoneType"),
    "sidecar list": (lambda d: _csv(d, sidecar="[1, 2]"), "the top level must be a JSON object, not list"),
    "sidecar number": (lambda d: _csv(d, sidecar="42"), "the top level must be a JSON object, not int"),
    "sidecar rate text": (lambda d: _csv(d, sidecar='{"nominal_rate_hz": "abc"}'),
                          "sidecar field 'nominal_rate_hz' must be a number, not \"abc\""),
    "sidecar range text": (lambda d: _csv(d, sidecar='{"acc_range_g": "x"}'), "sidecar field 'acc_range_g' must be a number"),
    "sidecar lost text": (lambda d: _csv(d, sidecar='{"lost_samples": "many"}'),
                          "sidecar field 'lost_samples' must be a count (0 or more), not \"many\""),
    "sidecar device number": (lambda d: _csv(d, sidecar='{"device": 5}'), "sidecar field 'device' must be text"),
    "sidecar bad gap": (lambda d: _csv(d, sidecar='{"gaps": [{"start_s": "a"}]}'), "sidecar gap 0 must have numbers"),
    "sidecar negative gap count": (lambda d: _csv(d, sidecar='{"gaps": [{"start_s": 1, "end_s": 2, "missing_samples": -5}]}'),
                                   "sidecar gap 0 must have numbers start_s <= end_s and a count (0 or more)"),
    "sidecar invalid JSON": (lambda d: _csv(d, sidecar="{nope"), "unreadable sidecar: Expecting property name"),
    "sidecar nested 100k deep": (_deep_json, "unreadable sidecar: JSON nested too deeply"),
    "sidecar is a folder": (_sidecar_folder, "the sidecar is a folder, not a file"),
    "sidecar links to /dev/zero": (_sidecar_dev_zero, "r.meta.json: is a device, not a file"),
    "sidecar rate 1e6": (lambda d: _csv(d, sidecar='{"nominal_rate_hz": 1e6}'),
                         "sidecar field 'nominal_rate_hz' is 1e+06 Hz, outside the physically possible"),
    "sidecar rate disagrees": (lambda d: _csv(d, sidecar='{"nominal_rate_hz": 400}'),
                               "sidecar nominal_rate_hz 400 Hz does not match the timestamps (100 Hz)"),
    "values in m/s2": (lambda d: _csv(d, body=_rows(scale=9.81)), "the values look like m/s² (resting magnitude 9.81"),
    "values in mg": (lambda d: _csv(d, body=_rows(scale=1000)), "the values look like mg (resting magnitude 1000"),
    "raw counts": (lambda d: _csv(d, body=_rows(scale=4096)), "the values look like raw sensor counts (resting magnitude 4096"),
    "gravity removed": (lambda d: _csv(d, body=_rows(scale=0.01)), "far below 1 g: gravity removed"),
    "short row": (lambda d: _csv(d, body="0,0,0,1\n0.01,0,0\n0.02,0,0,1\n"), "row 3 has 3 fields, expected 4"),
    "FIFO": (_fifo, "pipe.csv: is a FIFO (named pipe), not a file"),
    "device as input": (lambda d: "/dev/zero", "/dev/zero: is a device, not a file"),
    "zip bomb": (_zip_bomb, "declares 50,000 bytes uncompressed, more than the 10,000 runform reads; not expanded"),
}


@pytest.fixture(autouse=True)
def _small_zip_limit(monkeypatch):
    monkeypatch.setattr("runform.sensors.importers._source.MAX_ZIP_MEMBER_BYTES", 10_000)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_exit_2(tmp_path, capsys, case):
    make, message = CASES[case]
    path = make(tmp_path)
    code = main(["info", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert message in err, err
    with pytest.raises(InputError) as exc:
        load_recording(path)
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_unreadable_input_is_one_line(tmp_path, capsys, monkeypatch):
    """Root reads any file, so the kernel's refusal is injected where the file is opened."""
    path = _csv(tmp_path)

    def refuse(*a, **kw):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("runform.sensors.importers._source.open", refuse, raising=False)
    assert main(["info", str(path)]) == 2
    assert f"{path}: cannot read: Permission denied" in capsys.readouterr().err


def test_unreadable_sidecar_is_one_line(tmp_path, monkeypatch):
    path = _csv(tmp_path, sidecar="{}")

    def refuse(*a, **kw):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("runform.sensors.sidecar.open", refuse, raising=False)
    with pytest.raises(InputError, match="cannot read the sidecar: Permission denied"):
        load_recording(path)


@pytest.mark.parametrize("header", ['\ufefftime_s,acc_x_g,acc_y_g,acc_z_g\n', '"time_s","acc_x_g","acc_y_g","acc_z_g"\n',
                                    '\ufeff"time_s","acc_x_g","acc_y_g","acc_z_g"\n'])
def test_bom_and_quoted_headers_are_read(tmp_path, header):
    p = tmp_path / "b.csv"
    p.write_text(header + _rows(), encoding="utf-8")
    rec = load_recording(p)
    assert len(rec) == 200 and rec.meta.source_format == "canonical" and np.allclose(rec.acc[:, 2], 1.0)


def test_a_zip_whose_member_lies_about_its_size_is_not_read(tmp_path, monkeypatch):
    from runform.sensors.importers._source import open_source

    p = _zip_bomb(tmp_path)
    monkeypatch.setattr("runform.sensors.importers._source.MAX_ZIP_MEMBER_BYTES", 10**9)
    src = open_source(p)
    with zipfile.ZipFile(p) as zf:
        info = zf.getinfo("Accelerometer.csv")
    info.file_size = 100  # what a crafted central directory would declare
    monkeypatch.setattr(zipfile.ZipFile, "getinfo", lambda self, name: info)
    with pytest.raises(InputError, match="damaged zip member 'Accelerometer.csv': Bad CRC-32"):
        src.member_bytes("Accelerometer.csv")


def test_out_of_range_samples_are_excluded_like_gaps(tmp_path):
    from runform.analysis import analyze
    from runform.firmware_sim import simulate
    from runform.sensors.canonical_csv import write_canonical

    rec = simulate("easy", duration_s=60, rate_hz=100, seed=2).recording
    clean = analyze(rec).summary["running"]["steps"]
    rec.acc[3000, 1] = 1e10  # one impossible cell
    path = write_canonical(rec, tmp_path / "spike.csv", write_sidecar=False)
    loaded = load_recording(path)
    assert len(loaded) == len(rec) - 1
    oor = loaded.meta.extra["out_of_range"]
    assert oor["count"] == 1 and oor["first_samples"] == [3000]
    gap = [g for g in loaded.meta.gaps if g.reason == "out of range"]
    assert len(gap) == 1 and gap[0].missing_samples == 1 and gap[0].start_s < 30.0 < gap[0].end_s
    steps = analyze(loaded).summary["running"]["steps"]
    assert steps >= clean - 4  # the run is still a run, not "0 steps"


def test_samples_beyond_the_declared_range_are_excluded(tmp_path):
    body = "".join(f"{i / 100:.2f},0,0,{20 if i == 50 else 1}\n" for i in range(200))
    path = _csv(tmp_path, body=body, sidecar='{"acc_range_g": 16, "nominal_rate_hz": 100}')
    rec = load_recording(path)
    assert len(rec) == 199 and rec.meta.extra["out_of_range"]["limit_acc_g"] == pytest.approx(16.8)


def test_info_and_analyze_report_the_excluded_samples(tmp_path, capsys):
    body = "".join(f"{i / 100:.2f},0,0,{1e10 if i in (50, 51, 300) else 1}\n" for i in range(1000))
    path = _csv(tmp_path, body=body)
    for command in ("info", "analyze"):
        assert main([command, str(path)]) == 0
        assert "3 sample(s) beyond the sensor's range (|acc| > 400 g) removed and recorded as gaps" in capsys.readouterr().out
    rec = load_recording(path)
    assert [(g.missing_samples, g.reason) for g in rec.meta.gaps] == [(2, "out of range"), (1, "out of range")]


def test_a_zip_declaring_too_much_in_total_is_not_expanded(tmp_path, monkeypatch):
    monkeypatch.setattr("runform.sensors.importers._source.MAX_ZIP_MEMBER_BYTES", 10**9)
    monkeypatch.setattr("runform.sensors.importers._source.MAX_ZIP_TOTAL_BYTES", 60_000)
    p = tmp_path / "many.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("Accelerometer.csv", "Gyroscope.csv"):
            zf.writestr(name, b"0" * 40_000)
    with pytest.raises(InputError, match="zip declares 80,000 bytes uncompressed in total, more than the 60,000"):
        load_recording(p)
