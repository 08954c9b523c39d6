"""Issue 11, item 10: inputs a runner actually has: date-time and epoch time columns, a file with
only a sample index (--rate), exports with a preamble (--skip-rows, --header-line), multi-trial
files (--trial)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from runform.cli import main
from runform.sensors import load_recording
from runform.sensors.errors import InputError

N, RATE = 300, 50.0
MAPPING = "time=t,acc_x=x,acc_y=y,acc_z=z"


def _rows(times) -> str:
    return "".join(f"{t},0.01,0.02,{1 + 0.1 * np.sin(i / 5):.4f}\n" for i, t in enumerate(times))


def _file(tmp_path, times, header="t,x,y,z\n", preamble="", name="f.csv"):
    p = tmp_path / name
    p.write_text(preamble + header + _rows(times))
    return p


START = datetime(2026, 3, 1, 7, 30, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("kind, times, unit, start_utc", [
    ("iso with zone", [(START + timedelta(seconds=i / RATE)).astimezone(timezone(timedelta(hours=2))).isoformat()
                       for i in range(N)], "", "2026-03-01T07:30:00+00:00"),
    ("iso Z", [(START + timedelta(seconds=i / RATE)).strftime("%Y-%m-%dT%H:%M:%S.%fZ") for i in range(N)], "", "2026-03-01T07:30:00+00:00"),
    ("iso without zone", [(START + timedelta(seconds=i / RATE)).strftime("%Y-%m-%d %H:%M:%S.%f") for i in range(N)], ":iso", None),
    ("epoch s", [f"{START.timestamp() + i / RATE:.3f}" for i in range(N)], ":s", None),
    ("epoch ms", [int(START.timestamp() * 1000) + 20 * i for i in range(N)], ":ms", None),
    ("epoch ns", [int(START.timestamp()) * 10**9 + 20_000_000 * i for i in range(N)], ":ns", None),
    ("GENEActiv date-time", [(START + timedelta(seconds=i / RATE)).strftime("%Y-%m-%d %H:%M:%S:%f")[:-3] for i in range(N)], "", None),
])
def test_time_columns_in_dates_and_epochs(tmp_path, kind, times, unit, start_utc):
    p = _file(tmp_path, times)
    rec = load_recording(p, columns=MAPPING.replace("time=t", f"time=t{unit}"))
    assert len(rec) == N and rec.time[0] == 0.0
    np.testing.assert_allclose(np.diff(rec.time), 1 / RATE, atol=1e-6)
    assert rec.meta.start_utc == start_utc
    if kind.startswith("iso without"):
        assert rec.meta.extra["start_local"] == "2026-03-01T07:30:00"


def test_mixed_zones_and_bad_date_times_are_one_line(tmp_path):
    p = _file(tmp_path, ["2026-03-01T07:30:00+00:00", "2026-03-01T07:30:00.020"] + [
        f"2026-03-01T07:30:00.{40 + 20 * i:03d}+00:00" for i in range(10)])
    with pytest.raises(InputError, match="mixes date-times with and without a time zone"):
        load_recording(p, columns=MAPPING)
    q = _file(tmp_path, ["2026-03-01T07:30:00", "yesterday"] + [f"2026-03-01T07:30:0{i}" for i in range(1, 9)], name="q.csv")
    with pytest.raises(InputError, match=r"time 'yesterday' is not a number or an ISO 8601 date-time \(row 3\)"):
        load_recording(q, columns=MAPPING)
    e = _file(tmp_path, ["2026-03-01T07:30:00", ""] + [f"2026-03-01T07:30:0{i}" for i in range(1, 9)], name="e.csv")
    with pytest.raises(InputError, match=r"empty time cell \(row 3\)"):
        load_recording(e, columns=MAPPING)


def test_an_index_only_file_needs_rate_and_is_timed_by_it(tmp_path, capsys):
    p = _file(tmp_path, range(1, N + 1))
    assert main(["info", str(p), "--columns", MAPPING]) == 2
    assert "counts samples (1, 2, 3, ...), it is not in seconds: give the sample rate with --rate HZ" in capsys.readouterr().err
    assert main(["info", str(p), "--columns", MAPPING, "--rate", "50"]) == 0
    assert "nominal 50 Hz, measured 50 Hz" in capsys.readouterr().out
    no_time = load_recording(p, columns="acc_x=x,acc_y=y,acc_z=z", rate_hz=25)
    assert no_time.duration_s == pytest.approx((N - 1) / 25)


@pytest.mark.parametrize("argv, message", [
    (["--rate", "50"], "--rate apply to files read with --columns MAPPING"),
    (["--columns", MAPPING, "--rate", "nan"], "--rate must be 1-20000 Hz, not nan"),
    (["--columns", MAPPING, "--skip-rows", "-1"], "--skip-rows must be 0 or more"),
    (["--columns", MAPPING, "--header-line", "Nope"], "no line starts with 'Nope'"),
])
def test_read_option_errors_are_one_line(tmp_path, capsys, argv, message):
    p = _file(tmp_path, [i / RATE for i in range(N)])
    assert main(["info", str(p), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


GENEACTIV_PREAMBLE = "".join(f"Device Unique Serial Code:,0{i}\n" for i in range(99)) + "Calibration Data,\n"


def test_a_preamble_is_skipped_by_count_or_by_header_line(tmp_path, capsys):
    times = [(START + timedelta(seconds=i / RATE)).strftime("%Y-%m-%d %H:%M:%S:%f")[:-3] for i in range(N)]
    headerless = _file(tmp_path, times, header="", preamble=GENEACTIV_PREAMBLE, name="geneactiv.csv")
    rec = load_recording(headerless, columns="time=0,acc_x=1,acc_y=2,acc_z=3", skip_rows=100)
    assert len(rec) == N and rec.meta.extra["start_local"].startswith("2026-03-01T07:30:00")
    with_header = _file(tmp_path, [i / RATE for i in range(N)], preamble="Serial,AB12\nStart,today\n\n", name="h.csv")
    rec2 = load_recording(with_header, columns=MAPPING, header_line="t,")
    assert len(rec2) == N
    assert main(["analyze", str(with_header), "--columns", MAPPING, "--skip-rows", "3"]) == 0
    # a bad row after the preamble is named by its line in the file
    bad = tmp_path / "bad.csv"
    bad.write_text("Serial,AB12\nStart,today\nt,x,y,z\n0,0,0,1\n0.02,0,abc,1\n")
    with pytest.raises(InputError, match=r"\(row 5\)"):
        load_recording(bad, columns=MAPPING, skip_rows=2)


def test_a_multi_trial_file_says_which_trial_of_how_many(tmp_path, capsys):
    rng = np.random.default_rng(0)
    rows = [",".join(f"{v:.4f}" for v in np.r_[1 + 0.3 * rng.standard_normal(2480), 0.2 * rng.standard_normal(2480)])
            for _ in range(3)]
    p = tmp_path / "trials.csv"
    p.write_text("\n".join(rows) + "\n")
    assert main(["analyze", str(p), "--trial", "2"]) == 0
    out = capsys.readouterr().out
    assert "trial 2 of the 3 trials in the file (0..2) analysed; choose another with --trial N" in out
    assert main(["info", str(p)]) == 0
    assert "trial 0 of the 3 trials" in capsys.readouterr().out
    assert main(["report", str(p), "--trial", "1"]) == 0
    assert (tmp_path / "trials.trial-1.report.html").exists()
    assert main(["info", str(p), "--trial", "3"]) == 2
    assert "no trial 3: the file has trials 0..2" in capsys.readouterr().err


def test_a_trial_of_a_single_recording_is_one_line(tmp_path, capsys):
    p = _file(tmp_path, [i / RATE for i in range(N)])
    assert main(["info", str(p), "--columns", MAPPING, "--trial", "2"]) == 2
    assert "a trial was asked for (trial=2), but this generic file holds one recording" in capsys.readouterr().err
