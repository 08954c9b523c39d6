"""The run log's store: one session per recording, concurrent adds, a crash mid-add, migrations,
and files that are not a run log. Short simulated sessions at a low rate keep it quick."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from runform.analysis import analyze
from runform.cli import main
from runform.firmware_sim import simulate
from runform.runlog import APPLICATION_ID, SCHEMA_VERSION, RunLog, RunLogError, entry_from
from runform.runlog._schema import CONTEXT_COLUMNS, SCHEMA_V1
from runform.runlog._store import CRASH_BEFORE_COMMIT_ENV
from runform.sensors import load_recording
from runform.sensors.canonical_csv import write_canonical

SIM_S, SIM_HZ = 40.0, 52.0
N_FILES = 20


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    """20 distinct short recordings (different seeds) as canonical CSV."""
    folder = tmp_path_factory.mktemp("recordings")
    return [str(write_canonical(simulate("bouncy", SIM_S, SIM_HZ, seed=s).recording, folder / f"run{s:02d}.csv"))
            for s in range(N_FILES)]


def _entry(path):
    rec = load_recording(path)
    return entry_from(rec, analyze(rec), path)


def _count(db) -> int:
    with RunLog(db) as log:
        return len(log.sessions())


def _runform(*args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "runform", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def test_same_file_twice_is_one_session(recordings, tmp_path):
    db = tmp_path / "log.sqlite"
    copy = tmp_path / "copy.csv"
    copy.write_bytes(open(recordings[0], "rb").read())
    assert main(["log", "add", "--jobs", "1", "--db", str(db), recordings[0]]) == 0
    assert main(["log", "add", "--jobs", "1", "--db", str(db), recordings[0], str(copy)]) == 0
    with RunLog(db) as log:
        rows = log.sessions()
        assert len(rows) == 1
        steps = log.query("SELECT count(*) FROM steps WHERE session_id = ?", (rows[0]["id"],))[0][0]
        bouts = log.query("SELECT count(*) FROM bouts WHERE session_id = ?", (rows[0]["id"],))[0][0]
    assert steps == rows[0]["running_steps"] + json.loads(
        RunLog(db).session(rows[0]["id"])["summary_json"])["walking"]["steps"]
    assert bouts >= 1


def test_adding_an_entry_again_returns_the_session_that_holds_it(recordings, tmp_path):
    entry = _entry(recordings[1])
    with RunLog(tmp_path / "log.sqlite") as log:
        first, again = log.add(entry), log.add(entry)
    assert first.new and not again.new and again.session_id == first.session_id


def test_two_processes_adding_the_same_20_files_at_once_give_20_sessions(recordings, tmp_path):
    db = str(tmp_path / "log.sqlite")
    a = _runform("log", "add", "--jobs", "1", "--db", db, *recordings)
    b = _runform("log", "add", "--jobs", "1", "--db", db, *reversed(recordings))
    outs = [p.communicate(timeout=900) for p in (a, b)]
    assert (a.returncode, b.returncode) == (0, 0), outs
    assert _count(db) == N_FILES
    with RunLog(db) as log:
        assert log.integrity() == "ok"
        hashes = [r["content_hash"] for r in log.query("SELECT content_hash FROM sessions")]
    assert len(set(hashes)) == N_FILES


def test_parallel_add_of_a_folder_with_a_bad_file(recordings, tmp_path, capsys):
    folder = tmp_path / "runs"
    folder.mkdir()
    for p in recordings[:4]:
        (folder / os.path.basename(p)).write_bytes(open(p, "rb").read())
    (folder / "notes.csv").write_text("this is not a recording\n")
    db = str(tmp_path / "log.sqlite")
    assert main(["log", "add", "--jobs", "2", "--db", db, str(folder)]) == 2  # the bad file is reported
    captured = capsys.readouterr()
    assert "notes.csv" in captured.err and "4 added, 0 already in the log, 1 could not be added" in captured.out
    assert _count(db) == 4
    assert main(["log", "add", "--jobs", "2", "--db", db, str(folder / "run00.csv")]) == 0
    assert "already in the log as session" in capsys.readouterr().err


def test_killed_mid_add_leaves_a_sound_log_and_the_add_can_be_rerun(recordings, tmp_path):
    db = str(tmp_path / "log.sqlite")
    crashed = _runform("log", "add", "--jobs", "1", "--db", db, recordings[2], env={CRASH_BEFORE_COMMIT_ENV: "1"})
    crashed.communicate(timeout=600)
    assert crashed.returncode == -signal.SIGKILL  # it died after writing the rows, before the commit
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert raw.execute("SELECT count(*) FROM steps").fetchone()[0] == 0
    raw.close()
    again = _runform("log", "add", "--jobs", "1", "--db", db, recordings[2])
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert "1 added" in out
    assert _count(db) == 1


def test_a_version_1_log_opens_and_migrates(recordings, tmp_path):
    db = tmp_path / "old.sqlite"
    entry = _entry(recordings[3])
    entry.summary["running"]["speed_mps"] = 2.5  # as a summary with speed context would carry it
    row = entry.session_columns()
    for col in CONTEXT_COLUMNS:
        del row[col]
    row.update(added_utc="2026-01-01T00:00:00+00:00", runform_version="0.0.9")
    raw = sqlite3.connect(db)
    for statement in SCHEMA_V1:
        raw.execute(statement)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 1")
    raw.execute(f"INSERT INTO sessions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    raw.commit()
    raw.close()

    with RunLog(db) as log:
        assert log.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION == 2
        (session,) = log.sessions()
        assert session["content_hash"] == entry.content_hash
        assert session["speed_mps"] == pytest.approx(2.5)
        cadence = entry.summary["running"]["cadence_spm"]
        assert session["step_length_m"] == pytest.approx(2.5 * 60 / cadence)
        assert session["vertical_ratio_pct"] == pytest.approx(
            entry.summary["running"]["vertical_oscillation_cm"] / (2.5 * 60 / cadence))
        assert log.add(entry).new is False  # the migrated log still knows the recording
        assert log.integrity() == "ok"


def _one_line_error(capsys, argv) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("runform: error: ")
    return err


def test_a_file_that_is_not_a_log_is_a_one_line_error(tmp_path, capsys):
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all\n" * 200)
    assert "not a usable run log" in _one_line_error(capsys, ["log", "list", "--db", str(text)])
    assert text.read_text().startswith("not a database")  # left as it was

    other = tmp_path / "other.sqlite"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    raw.commit()
    raw.close()
    assert "not a runform run log" in _one_line_error(capsys, ["log", "list", "--db", str(other)])

    damaged = tmp_path / "damaged.sqlite"
    with RunLog(damaged):
        pass
    data = bytearray(damaged.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page's b-tree
    damaged.write_bytes(bytes(data))
    _one_line_error(capsys, ["log", "list", "--db", str(damaged)])


def test_a_log_from_a_newer_runform_is_refused(tmp_path):
    db = tmp_path / "newer.sqlite"
    with RunLog(db):
        pass
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(RunLogError, match="newer runform"):
        RunLog(db)


def test_new_log_is_wal_and_marked(tmp_path):
    with RunLog(tmp_path / "new.sqlite") as log:
        assert log.query("PRAGMA journal_mode")[0][0] == "wal"
        assert log.query("PRAGMA application_id")[0][0] == APPLICATION_ID


def test_remove_deletes_bouts_and_steps(recordings, tmp_path, capsys):
    db = str(tmp_path / "log.sqlite")
    assert main(["log", "add", "--jobs", "1", "--db", db, recordings[4]]) == 0
    assert main(["log", "remove", "1", "--db", db]) == 2  # not a terminal: asks for --yes
    assert "add --yes" in capsys.readouterr().err
    assert main(["log", "remove", "1", "--yes", "--db", db]) == 0
    with RunLog(db) as log:
        assert log.sessions() == []
        assert log.query("SELECT count(*) FROM steps")[0][0] == 0
        assert log.query("SELECT count(*) FROM bouts")[0][0] == 0
    assert "no session 1" in _one_line_error(capsys, ["log", "show", "1", "--db", db])


def test_the_stored_placement_is_the_judgements_and_an_assumed_one_is_not_stored_as_known():
    from runform.runlog._records import judged_placement

    def summary(placement, source):
        return {"context": {"placement": placement, "placement_source": source}}

    assert judged_placement(summary("upper_back", "given"), "chest") == "upper_back"  # --mount wins
    assert judged_placement(summary("upper_back", "recording"), "back") == "upper_back"  # the analysis' name
    assert judged_placement(summary("chest", "assumed"), None) is None
    assert judged_placement(summary("chest", "assumed"), "strap on the arm") == "strap on the arm"
    assert judged_placement({}, "back") == "back"  # an older summary without context
