"""``--json -`` / ``--steps -`` write to stdout and nothing else does; ``runform info --json``."""

import io
import json

import pandas as pd
import pytest

from runform.cli import main
from runform.firmware_sim import simulate
from runform.sensors.canonical_csv import write_canonical


@pytest.fixture(scope="module")
def run_csv(tmp_path_factory):
    rec = simulate("bouncy", duration_s=60, rate_hz=100, seed=3).recording
    return write_canonical(rec, tmp_path_factory.mktemp("stdout") / "run.csv")


def test_json_dash_puts_only_the_summary_on_stdout(run_csv, capsys):
    assert main(["analyze", str(run_csv), "--json", "-"]) == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)  # the whole of stdout parses: no summary text mixed in
    assert summary["schema"] == "runform.summary/1" and summary["running"]["steps"] > 0
    assert "bouts:" in err and "not a diagnosis" in err  # the readable summary went to stderr


def test_steps_dash_puts_only_the_steps_csv_on_stdout(run_csv, tmp_path, capsys):
    assert main(["analyze", str(run_csv), "--steps", "-", "--json", str(tmp_path / "s.json")]) == 0
    out, err = capsys.readouterr()
    steps = pd.read_csv(io.StringIO(out))
    assert list(steps.columns[:3]) == ["time_s", "side", "bout"] and len(steps) > 100
    assert f"wrote {tmp_path / 's.json'}" in err and "bouts:" in err
    assert json.loads((tmp_path / "s.json").read_text())["running"]["steps"] == int((steps.bout_kind == "run").sum())


def test_both_outputs_on_stdout_is_a_one_line_error(run_csv, capsys):
    assert main(["analyze", str(run_csv), "--json", "-", "--steps", "-"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "stdout" in err


def test_without_dash_the_text_stays_on_stdout(run_csv, tmp_path, capsys):
    assert main(["analyze", str(run_csv), "--json", str(tmp_path / "s.json")]) == 0
    out, err = capsys.readouterr()
    assert "bouts:" in out and f"wrote {tmp_path / 's.json'}" in out and err == ""


def test_info_json_holds_the_same_facts_as_the_text(run_csv, capsys):
    assert main(["info", str(run_csv), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema"] == "runform.info/1" and info["format"] == "canonical"
    assert info["samples"] == 6001 and info["nominal_rate_hz"] == 100 and info["measured_rate_hz"] == pytest.approx(100)
    assert info["channels"] == ["acc_x_g", "acc_y_g", "acc_z_g", "gyro_x_dps", "gyro_y_dps", "gyro_z_dps"]
    assert info["gaps"] == [] and info["lost_samples"] == 0 and info["duration_s"] == pytest.approx(60.0)


def test_info_json_lists_gaps_and_notes(tmp_path, capsys):
    path = tmp_path / "mine.csv"
    rows = [f"{i * 20};0;0;1000" for i in range(100)] + [f"{5000 + i * 20};0;0;1000" for i in range(100)]
    path.write_text("ms;ax;ay;az\n" + "\n".join(rows) + "\n")
    assert main(["info", str(path), "--json", "--columns", "time=ms:ms,acc_x=ax:mg,acc_y=ay:mg,acc_z=az:mg"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "generic" and info["channels"] == ["acc_x_g", "acc_y_g", "acc_z_g"]
    [gap] = info["gaps"]
    assert gap["start_s"] == pytest.approx(1.98) and gap["end_s"] == pytest.approx(5.0)
