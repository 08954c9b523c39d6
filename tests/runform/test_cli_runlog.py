"""The run log from the command line: analyze/report add their session (and say so), progress and
compare on a short simulated season, the season's profiles."""

from __future__ import annotations

import json
from datetime import date

import pytest

from runform.cli import main
from runform.firmware_sim import get_profile, simulate
from runform.firmware_sim.profiles import C25K_WEEK1, C25K_WEEK9, c25k_week_gait
from runform.runlog import RunLog
from runform.runlog._season import SeasonSpec, write_season
from runform.sensors.canonical_csv import write_canonical

#: three weeks of the season, two short sessions each: enough for a matched comparison
SEASON = SeasonSpec(date(2026, 1, 5), weeks=(1, 4, 9), per_week=2, duration_s=75.0, warmup_s=10.0)


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """The season's recordings added to a log: (log path, recording paths)."""
    tmp = tmp_path_factory.mktemp("season")
    files = write_season(tmp / "runs", SEASON, jobs=1)
    db = tmp / "log.sqlite"
    assert main(["log", "add", "--db", str(db), str(tmp / "runs")]) == 0
    return db, files


def test_season_gait_moves_from_week_1_to_week_9():
    assert c25k_week_gait(1) == C25K_WEEK1 and c25k_week_gait(9) == C25K_WEEK9
    assert C25K_WEEK1.cadence_spm < c25k_week_gait(5).cadence_spm < C25K_WEEK9.cadence_spm
    assert get_profile("c25k-week7").run == c25k_week_gait(7)


def test_list_one_line_per_session_in_date_order(season, capsys):
    db, files = season
    assert main(["log", "list", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{len(files)} sessions in {db}"
    rows = lines[2:]
    assert len(rows) == len(files)
    assert [r.split()[1] for r in rows] == sorted(r.split()[1] for r in rows)  # dates ascending
    assert "jarring_gait" in rows[0] and "jarring_gait" not in rows[-1]  # week 1 bouncy, week 9 not
    assert main(["log", "list", "--json", "--db", str(db)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["source_file"] for r in listed} == set(files)


def test_show_prints_the_stored_summary(season, capsys):
    db, _ = season
    assert main(["log", "show", "1", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("session 1: 2026-01-0") and "bouts:" in out and "cadence" in out
    assert main(["log", "show", "1", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["schema"] == "runform.summary/1"


def test_progress_verdict_at_matched_cadence(season, tmp_path, capsys):
    db, _ = season
    out_html = tmp_path / "progress.html"
    assert main(["progress", "--db", str(db), "-o", str(out_html)]) == 0
    out = capsys.readouterr().out
    assert "Bounce at 15" in out and "in week 1" in out and "95 % interval" in out
    assert "cadence 150 → 166 spm" in out
    assert out_html.stat().st_size > 1_000_000  # plotly.js is inside


def test_compare_files_and_log_ids(season, tmp_path, capsys):
    db, files = season
    assert main(["compare", files[0], "6", "--db", str(db), "--html", str(tmp_path / "c.html")]) == 0
    out = capsys.readouterr().out
    cadence = next(line for line in out.splitlines() if line.strip().startswith("Cadence"))
    a, b = (float(x) for x in cadence.split()[2:4])
    assert a < 155 < 160 < b  # week 1 against week 9
    assert "flags A: jarring_gait" in out
    assert "fig-bouts" in (tmp_path / "c.html").read_text()


def test_compare_unknown_id_is_one_line(season, capsys):
    db, _ = season
    assert main(["compare", "1", "999", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no session 999" in err


@pytest.fixture
def real_looking_run(tmp_path):
    """A short run that is not marked as simulated (as a file from a strap would be)."""
    rec = simulate("bouncy", 40.0, 52.0, seed=5).recording
    rec.meta.extra = {}
    return str(write_canonical(rec, tmp_path / "tuesday.csv"))


def test_analyze_adds_to_the_log_and_says_where(real_looking_run, tmp_path, capsys):
    db = tmp_path / "mine.sqlite"
    assert main(["analyze", real_looking_run, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"run log: added to your run log as session 1 ({db}); --no-log leaves it out" in out
    assert main(["report", real_looking_run, "--db", str(db)]) == 0
    assert "already in your run log as session 1" in capsys.readouterr().out
    with RunLog(db) as log:
        assert len(log.sessions()) == 1


def test_no_log_and_simulated_sessions_stay_out(real_looking_run, tmp_path, capsys, monkeypatch):
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("RUNFORM_DB", str(db))
    assert main(["analyze", real_looking_run, "--no-log"]) == 0
    assert "run log" not in capsys.readouterr().out
    simulated = str(write_canonical(simulate("bouncy", 40.0, 52.0, seed=6).recording, tmp_path / "sim.csv"))
    assert main(["analyze", simulated]) == 0
    assert "a simulated session is not added on its own" in capsys.readouterr().out
    with RunLog(db) as log:
        assert log.sessions() == []


def test_record_adds_a_strap_recording_after_it_stops(real_looking_run, tmp_path, capsys):
    """What ``runform record`` does once a (non-simulated) recording has stopped."""
    from argparse import Namespace

    from runform.commands.record import _add_to_log

    db = tmp_path / "rec.sqlite"
    _add_to_log(Namespace(no_log=False, simulate=None, db=str(db)), real_looking_run)
    assert f"added to your run log as session 1 ({db})" in capsys.readouterr().out
    _add_to_log(Namespace(no_log=False, simulate="bouncy", db=str(db)), real_looking_run)
    assert "a simulated session is not added on its own" in capsys.readouterr().out
    _add_to_log(Namespace(no_log=True, simulate=None, db=str(db)), real_looking_run)
    assert capsys.readouterr().out == ""


def test_outputs_never_overwrite_the_log_or_a_recording(season, capsys):
    db, files = season
    before = db.read_bytes()
    assert main(["progress", "--db", str(db), "-o", str(db)]) == 2
    assert "would overwrite" in capsys.readouterr().err
    assert main(["compare", files[0], "2", "--db", str(db), "--html", files[0]]) == 2
    assert "would overwrite" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_analyze_json_to_stdout_keeps_the_log_line_off_stdout(real_looking_run, tmp_path, capsys):
    assert main(["analyze", real_looking_run, "--json", "-", "--db", str(tmp_path / "j.sqlite")]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["schema"] == "runform.summary/1"
    assert "run log: added to your run log as session 1" in captured.err


def test_matched_at_speed_when_every_session_has_one(season, tmp_path):
    import shutil
    import sqlite3

    from runform.runlog._progress import load_progress

    db = tmp_path / "speeds.sqlite"
    shutil.copy(season[0], db)
    raw = sqlite3.connect(db)
    ids = [r[0] for r in raw.execute("SELECT id FROM sessions ORDER BY start_utc")]
    for sid, speed in zip(ids, (2.3, 2.3, 2.35, 3.0, 2.7, 2.7)):  # weeks 1, 1, 4, 4, 9, 9
        raw.execute("UPDATE sessions SET speed_mps = ? WHERE id = ?", (speed, sid))
    raw.commit()
    raw.close()
    with RunLog(db) as log:
        m = load_progress(log).matched
        both = load_progress(log)
    assert m is not None and m.last_week == 4 and m.speed_range == pytest.approx((2.3, 2.35))
    assert "spm and 2.3–2.4 m/s:" in both.verdict[0]
    with RunLog(season[0]) as log:  # the same log without speeds: all of week 4's steps
        plain = load_progress(log).matched
    assert plain.speed_range is None and plain.n_last > m.n_last


def test_bounce_is_compared_only_between_sessions_worn_at_one_placement(season, tmp_path):
    """One of week 4's sessions marked as worn on the upper back: its bounce is not comparable with the
    chest's, so week 1 is compared with week 4's other session alone and the verdict says why; a session
    without a placement counts as the assumed chest; the weekly medians say they mix placements."""
    import shutil
    import sqlite3

    from runform.runlog._progress import load_progress

    db = tmp_path / "placements.sqlite"
    shutil.copy(season[0], db)
    raw = sqlite3.connect(db)
    ids = [r[0] for r in raw.execute("SELECT id FROM sessions ORDER BY start_utc")]
    for sid, where in zip(ids, (None, "chest", "chest", "upper_back", "back", None)):  # weeks 1, 1, 4, 4, 9, 9
        raw.execute("UPDATE sessions SET placement = ? WHERE id = ?", (where, sid))
    raw.commit()
    raw.close()
    with RunLog(db) as log:
        progress = load_progress(log)
    with RunLog(season[0]) as log:  # one placement throughout
        plain = load_progress(log)
    m, p = progress.matched, plain.matched
    assert p is not None and p.last_week == 4 and p.placement is None and p.left_out == 0
    assert not any("worn on" in line for line in plain.verdict)
    assert m is not None and (m.first_week, m.last_week) == (1, 4) and m.placement == "chest"
    assert m.left_out == 1 and m.n_last < p.n_last  # (the best cadence band may move with the steps)
    assert any("compared only between sessions worn on the chest (1 session of those weeks worn elsewhere "
               "left out)" in line for line in progress.verdict)
    assert any("not matched for cadence, speed or placement" in line for line in progress.verdict)


def test_heart_rate_and_speed_from_the_strap_when_the_summary_has_none(real_looking_run):
    from runform.analysis import analyze
    from runform.runlog import entry_from
    from runform.sensors import load_recording

    rec = load_recording(real_looking_run)
    rec.meta.extra = {"heart_rate": {"time_s": [0.0, 1.0, 20.0, 30.0], "bpm": [90, 95, 150, 154], "rr_ms": []},
                      "running_speed_cadence": {"time_s": [20.0, 30.0], "speed_m_s": [2.5, 2.7],
                                                "cadence_per_min": [74, 74]}}
    session = analyze(rec)
    run_start = min(b.start_s for b in session.bouts if b.kind == "run")
    assert 1.0 < run_start < 20.0  # the first two heart beats are before the running
    row = entry_from(rec, session).session_columns()
    # the summary now carries them (analysis.side_channels): its running speed is the median of the footpod's
    # speed at each running step (interpolated between its samples), a hair from the samples' median 2.6
    assert row["heart_rate_bpm"] == pytest.approx(152.0) and row["speed_mps"] == pytest.approx(2.6, abs=0.01)
    cadence = session.summary["running"]["cadence_spm"]
    assert row["step_length_m"] == pytest.approx(row["speed_mps"] * 60 / cadence, rel=1e-3)
