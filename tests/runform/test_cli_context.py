"""``--speed-kmh`` and ``--mount`` on ``analyze``, ``report`` and ``log add``: the speed context in the text, the
JSON, the report and the run log; bad values are one-line errors."""

from __future__ import annotations

import json
import shutil

import pytest

from runform.cli import main
from runform.firmware_sim.session import simulate
from runform.sensors.canonical_csv import write_canonical


@pytest.fixture(scope="module")
def run_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli_context") / "treadmill.csv"
    write_canonical(simulate("bouncy", duration_s=70.0, rate_hz=52.0, seed=9).recording, path)
    return path


def test_analyze_with_speed_and_mount(run_csv, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["analyze", str(run_csv), "--speed-kmh", "9.36", "--mount", "waist", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "worn on: waist (given) · running speed: 9.36 km/h, 6:25 min/km" in text
    assert "Step length" in text and "Vertical ratio" in text
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["context"]["speed_mps"] == pytest.approx(2.6)
    assert summary["running"]["step_length_m"] == pytest.approx(2.6 * 60 / summary["running"]["cadence_spm"], rel=0.02)


def test_report_shows_the_speed_and_placement(run_csv, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(run_csv), "--speed-kmh", "9.36", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Running speed" in html and "9.36 km/h, 6:25 min/km (given)" in html
    assert 'data-metric="vertical_ratio_pct"' in html


@pytest.mark.parametrize("args, words", [(["--speed-kmh", "0"], "--speed-kmh must be a number from 1.8 to 43.2, not 0"),
                                         (["--mount", "knee"], "invalid choice")])
def test_bad_values_are_one_line_errors(run_csv, args, words, capsys):
    with pytest.raises(SystemExit) if args[0] == "--mount" else _no_raise():
        code = main(["analyze", str(run_csv), *args])
        assert code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["analyze", "report"])
@pytest.mark.parametrize("args, words", [(["--speed-kmh", "0"], "--speed-kmh must be"),
                                         (["--track-offset", "1e9", "--track", "t.gpx"], "--track-offset must be")])
def test_bad_context_values_are_refused_before_the_recording_is_read(tmp_path, command, args, words, capsys):
    """The recording named does not exist: the error is the option's, so nothing was read first."""
    assert main([command, str(tmp_path / "absent.csv"), *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "absent.csv" not in err and err.count("\n") == 1


def _logged(db, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["log", "list", "--json", "--db", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


def test_log_add_judges_every_file_at_the_given_speed_and_placement_and_keeps_it(run_csv, tmp_path, capsys):
    other = tmp_path / "treadmill2.csv"
    write_canonical(simulate("bouncy", duration_s=70.0, rate_hz=52.0, seed=10).recording, other)
    db = tmp_path / "log.sqlite"
    # two processes: the speed and placement reach the workers too
    assert main(["log", "add", "-j", "2", "--db", str(db), "--speed-kmh", "9.36", "--mount", "upper_back",
                 str(run_csv), str(other)]) == 0
    rows = _logged(db, capsys)
    assert len(rows) == 2
    for row in rows:
        assert row["placement"] == "upper_back" and row["speed_mps"] == pytest.approx(2.6)
        assert main(["log", "show", str(row["id"]), "--json", "--db", str(db)]) == 0
        context = json.loads(capsys.readouterr().out)["context"]
        assert (context["placement"], context["placement_source"]) == ("upper_back", "given")
        assert (context["speed_mps"], context["speed_source"]) == (pytest.approx(2.6), "given")
        assert main(["log", "show", str(row["id"]), "--db", str(db)]) == 0
        shown = capsys.readouterr().out
        assert "(upper_back)" in shown.splitlines()[0] and "speed m/s 2.60" in shown
        assert "worn on: upper back (given) · running speed: 9.36 km/h, 6:25 min/km" in shown
    # the same recording again, judged otherwise: kept as stored, and the line says how to judge it again
    assert main(["log", "add", "-j", "1", "--db", str(db), "--mount", "waist", str(run_csv)]) == 0
    err = capsys.readouterr().err
    assert "already in the log as session" in err and "add it again to judge it with --mount" in err
    assert [r["placement"] for r in _logged(db, capsys)] == ["upper_back", "upper_back"]


def test_log_add_without_context_keeps_the_recordings_and_analyze_stores_the_given_one(run_csv, tmp_path, capsys):
    db = tmp_path / "log.sqlite"
    assert main(["log", "add", "-j", "1", "--db", str(db), str(run_csv)]) == 0
    [row] = _logged(db, capsys)
    assert main(["log", "show", str(row["id"]), "--json", "--db", str(db)]) == 0
    context = json.loads(capsys.readouterr().out)["context"]
    assert (context["placement"], context["placement_source"]) == ("chest", "recording")  # the simulator's sidecar
    assert row["placement"] == "chest" and row["speed_mps"] is None
    # without its sidecar the recording is not a simulated one (analyze adds it) and says nowhere where it was worn
    bare = tmp_path / "bare.csv"
    shutil.copyfile(run_csv, bare)
    for placement, given in ((None, []), ("waist", ["--mount", "waist", "--speed-kmh", "9"])):
        assert main(["log", "remove", str(row["id"]), "--yes", "--db", str(db)]) == 0
        assert main(["analyze", str(bare), *given, "--db", str(db)]) == 0
        [row] = _logged(db, capsys)
        assert row["placement"] == placement  # judged as a chest strap when not given, but not stored as known
        assert row["speed_mps"] == (pytest.approx(2.5) if given else None)


@pytest.mark.parametrize("args, words", [(["--speed-kmh", "100"], "--speed-kmh must be a number from 1.8 to 43.2, not 100"),
                                         (["--speed-kmh", "nan"], "--speed-kmh must be a number from 1.8 to 43.2, not nan"),
                                         (["--mount", "knee"], "invalid choice: 'knee'")])
def test_log_add_bad_values_are_one_line_errors_and_add_nothing(run_csv, tmp_path, args, words, capsys):
    db = tmp_path / "log.sqlite"
    with pytest.raises(SystemExit) if args[0] == "--mount" else _no_raise():
        code = main(["log", "add", "-j", "1", "--db", str(db), *args, str(run_csv)])
        assert code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    if args[0] != "--mount":
        assert len(err.strip().splitlines()) == 1
    assert not db.exists() or _logged(db, capsys) == []


class _no_raise:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_text_summary_answers_did_my_form_fade():
    from runform.commands.analyze import fade_line

    assert "not enough running" in fade_line(None)
    trend = {"intervals": 8, "window_s": None,
             "cadence_adjusted_change_pct": {"vertical_oscillation_cm": 12.3, "ground_contact_ms": None}}
    assert fade_line(trend) == ("form over the session (first vs last of 8 run intervals, cadence-adjusted): "
                                "bounce +12.3 %; not adjusted for speed (speed unknown)")
    trend["speed_adjusted"] = True
    trend["speed"] = {"first_mps": 2.5, "last_mps": 2.25,
                      "speed_adjusted_change_pct": {"cadence_spm": -6.0, "vertical_ratio_pct": 3.0}}
    assert fade_line(trend).endswith("; speed 9.0 -> 8.1 km/h; beyond what that change predicts: cadence -6.0 %, "
                                     "vertical ratio +3.0 %")
