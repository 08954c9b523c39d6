"""``runform report``: default output name, ``-o``, ``--open``, and one-line errors."""

from __future__ import annotations

import pytest

from runform.firmware_sim.session import simulate
from runform.cli import main
from runform.commands import report as report_cmd
from runform.sensors.canonical_csv import write_canonical


@pytest.fixture(scope="module")
def bouncy_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("report_cli") / "bouncy run.csv"
    write_canonical(simulate("bouncy", duration_s=90.0, rate_hz=52.0, seed=4).recording, path)
    return path


def test_default_output_sits_next_to_the_input(bouncy_csv, capsys):
    assert main(["report", str(bouncy_csv)]) == 0
    out = bouncy_csv.with_name("bouncy run.report.html")
    assert out.is_file() and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    printed = capsys.readouterr().out
    assert str(out) in printed and "jarring_gait" in printed


def test_output_option_and_open(bouncy_csv, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(report_cmd.webbrowser, "open", opened.append)
    out = tmp_path / "mine.html"
    assert main(["report", str(bouncy_csv), "-o", str(out), "--open"]) == 0
    assert out.is_file()
    assert opened == [out.resolve().as_uri()]


@pytest.mark.parametrize("given, expected", [
    ("runs/a.csv", "runs/a.report.html"),
    ("trials.csv#trial=3", "trials.trial-3.report.html"),
])
def test_default_output_names(given, expected):
    assert report_cmd.default_output(given).as_posix() == expected


def test_missing_file_is_one_line_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("runform: error:") and err.count("\n") == 1


def test_unwritable_output_is_one_line_exit_2(bouncy_csv, tmp_path, capsys):
    assert main(["report", str(bouncy_csv), "-o", str(tmp_path / "no" / "dir" / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "cannot write: the folder does not exist" in err and err.count("\n") == 1
