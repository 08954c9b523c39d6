"""``--track FILE`` on ``analyze`` and ``report``: the runner's GPX gives the running speed and heart rate
through the side channels, aligned by absolute time; a clock offset is found and suggested; a track that
does not overlap, a bad track file or a recording without a start time is one line, exit 2."""

from __future__ import annotations

import dataclasses
import json

import pytest

from runform.cli import main
from runform.firmware_sim.session import simulate
from runform.firmware_sim.track import write_gpx
from runform.sensors.canonical_csv import write_canonical


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """A Couch-to-5K start (5 min walk, run/walk intervals; runs at 2.4 m/s) and its GPX track, as recorded
    by the strap and a phone with the same clock, and with a phone 40 s behind."""
    folder = tmp_path_factory.mktemp("cli_track")
    sim = simulate("c25k", duration_s=700.0, rate_hz=52.0, seed=4)
    csv = folder / "c25k.csv"
    write_canonical(sim.recording, csv)
    return {"csv": csv, "gpx": write_gpx(sim, folder / "phone.gpx", seed=1),
            "late": write_gpx(sim, folder / "late.gpx", offset_s=40.0, seed=1), "sim": sim, "folder": folder}


def test_analyze_takes_speed_and_heart_rate_from_the_track(session, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["analyze", str(session["csv"]), "--track", str(session["gpx"]), "--json", str(out), "--no-log"]) == 0
    text = capsys.readouterr().out
    assert "from the track (GPX)" in text
    assert "alignment checked: its speed follows the run/walk bouts" in text
    summary = json.loads(out.read_text(encoding="utf-8"))
    ctx = summary["context"]
    assert ctx["speed_source"] == "track (GPX)" and ctx["speed_mps"] == pytest.approx(2.4, rel=0.05)
    assert ctx["heart_rate_source"] == "track (GPX)"
    runs = [b for b in summary["bouts"] if b["kind"] == "run"]
    assert runs and all(b["speed_mps"] == pytest.approx(2.4, rel=0.08) for b in runs)
    assert all(b["heart_rate_bpm"] > 110 for b in runs)
    # the simulated heart rate drifts 0.2 bpm a minute: 5 minutes from the first run to the last, 1 bpm, give or
    # take the whole beats per minute the GPX stores
    assert 1.0 <= summary["running"]["heart_rate_drift_bpm"] <= 2.0
    r = summary["running"]
    assert r["step_length_m"] == pytest.approx(r["speed_mps"] * 60 / r["cadence_spm"], rel=0.03)


def test_a_clock_offset_is_found_and_suggested(session, capsys):
    assert main(["analyze", str(session["csv"]), "--track", str(session["late"]), "--no-log"]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("note: track")]
    assert len(notes) == 1 and "rerun with --track-offset" in notes[0]
    suggested = float(notes[0].rsplit("--track-offset ", 1)[1])
    assert suggested == pytest.approx(40.0, abs=3.0)
    # with the offset given, the check agrees
    assert main(["analyze", str(session["csv"]), "--track", str(session["late"]), "--track-offset", "40",
                 "--no-log"]) == 0
    out = capsys.readouterr().out
    assert "alignment checked" in out and "rerun with" not in out


def test_report_names_the_track(session, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(session["csv"]), "--track", str(session["gpx"]), "-o", str(out), "--no-log"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "(track (GPX))" in html and "Heart rate from" in html


def test_a_track_of_another_day_is_one_line(session, tmp_path, capsys):
    assert main(["analyze", str(session["csv"]), "--track", str(session["gpx"]), "--track-offset", "86400",
                 "--no-log"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not overlap the recording" in err and "--track-offset" in err


def test_bad_tracks_and_options_are_one_line(session, tmp_path, capsys):
    bad = tmp_path / "bad.gpx"
    bad.write_text("this is not xml", encoding="utf-8")
    for argv in (["--track", str(bad)], ["--track", str(tmp_path / "missing.gpx")],
                 ["--track", str(session["gpx"]), "--track-offset", "nan"],
                 ["--track", str(session["gpx"]), "--track-offset", "1e6"]):
        assert main(["analyze", str(session["csv"]), *argv, "--no-log"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("runform: error:")


def test_a_recording_without_a_start_time_cannot_be_aligned(session, tmp_path, capsys):
    rec = session["sim"].recording
    bare = dataclasses.replace(rec, meta=dataclasses.replace(rec.meta, start_utc=None))
    csv = tmp_path / "bare.csv"
    write_canonical(bare, csv)
    assert main(["analyze", str(csv), "--track", str(session["gpx"]), "--no-log"]) == 2
    assert "no start time (UTC)" in capsys.readouterr().err


def test_an_output_never_overwrites_the_track(session, capsys):
    before = session["gpx"].read_bytes()
    assert main(["analyze", str(session["csv"]), "--track", str(session["gpx"]), "--json", str(session["gpx"]),
                 "--no-log"]) == 2
    assert session["gpx"].read_bytes() == before
    capsys.readouterr()


def test_the_heart_rate_chart_is_there_only_with_heart_rate(session, tmp_path, capsys):
    with_hr, without = tmp_path / "hr.html", tmp_path / "none.html"
    assert main(["report", str(session["csv"]), "--track", str(session["gpx"]), "-o", str(with_hr), "--no-log"]) == 0
    assert main(["report", str(session["csv"]), "-o", str(without), "--no-log"]) == 0
    capsys.readouterr()
    assert '<section id="heart">' in with_hr.read_text(encoding="utf-8")
    assert '<section id="heart">' not in without.read_text(encoding="utf-8")


def test_a_given_speed_wins_over_the_track_and_the_note_says_so(session, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["analyze", str(session["csv"]), "--track", str(session["gpx"]), "--speed-kmh", "9.0",
                 "--json", str(out), "--no-log"]) == 0
    capsys.readouterr()
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["context"]["speed_source"] == "given" and summary["context"]["heart_rate_source"] == "track (GPX)"
    assert any("not used: a speed was given" in n for n in summary["notes"])


def test_a_track_of_another_session_is_called_uncertain(session, tmp_path, capsys):
    other = simulate("c25k", duration_s=700.0, rate_hz=52.0, seed=4)
    # the same clock, but the runner walked throughout: the track's speed says nothing about these bouts
    walked = dataclasses.replace(other, profile=dataclasses.replace(other.profile, run=other.profile.walk))
    gpx = write_gpx(walked, tmp_path / "walk.gpx", seed=2)
    assert main(["analyze", str(session["csv"]), "--track", str(gpx), "--no-log"]) == 0
    note = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("note: track"))
    assert "alignment uncertain" in note and "is it the same run?" in note


def test_a_track_wins_over_the_speed_kept_from_recording(session, tmp_path, capsys):
    """A speed given to `runform record` (kept in the sidecar) is used without a track; a track given now wins."""
    rec = dataclasses.replace(session["sim"].recording)
    rec.meta = dataclasses.replace(rec.meta, speed_mps=3.0)
    csv = tmp_path / "kept.csv"
    write_canonical(rec, csv)
    assert main(["analyze", str(csv), "--no-log"]) == 0
    assert "running speed: 10.8 km/h" in capsys.readouterr().out
    assert main(["analyze", str(csv), "--track", str(session["gpx"]), "--no-log"]) == 0
    assert "from the track (GPX)" in capsys.readouterr().out
