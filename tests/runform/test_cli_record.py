"""``runform record`` / ``runform scan``: the virtual strap end to end (record -> analyze), faults in
the summary, and one-line errors (no radio here, bad options, bad output path)."""

from __future__ import annotations

import pytest

from runform.cli import main
from runform.sensors.atomic import TEMP_SUFFIX, atomic_output
from runform.sensors.canonical_csv import read_canonical, sidecar_path

FAST = ["--speed", "40", "--duration", "20"]


@pytest.mark.parametrize("kind, gyro", [("polar", False), ("movesense", True), ("rfs", True)])
def test_record_simulated_strap_then_analyze(tmp_path, capsys, kind, gyro):
    out = tmp_path / f"{kind}.csv"
    assert main(["record", "--simulate", "bouncy", "--kind", kind, *FAST, "-o", str(out)]) == 0
    summary = capsys.readouterr().out
    assert "stopped by duration" in summary and "lost 0 samples" in summary
    rec = read_canonical(out)
    assert rec.has_gyro is gyro and rec.duration_s == pytest.approx(20.0, abs=0.01)
    assert rec.meta.placement == "chest" and rec.meta.extra["kind"] == kind
    assert main(["analyze", str(out)]) == 0
    assert "cadence" in capsys.readouterr().out


def test_record_with_loss_and_disconnect_reports_them(tmp_path, capsys):
    out = tmp_path / "lossy.csv"
    args = ["record", "--simulate", "bouncy", "--kind", "rfs", *FAST, "--loss", "0.05", "--disconnect-at", "8",
            "--seed", "2", "-o", str(out)]
    assert main(args) == 0
    summary = capsys.readouterr().out
    assert "1 reconnects" in summary and "lost 0 samples" not in summary
    rec = read_canonical(out)
    assert rec.meta.lost_samples == sum(g.missing_samples for g in rec.meta.gaps) > 0
    assert any(g.reason == "disconnect" for g in rec.meta.gaps)


def test_scan_simulated_lists_every_supported_kind(capsys):
    assert main(["scan", "--simulate", "--timeout", "0.5"]) == 0
    out = capsys.readouterr().out
    for name in ("Polar H10", "Polar Sense", "Movesense", "RFS-"):
        assert name in out


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("runform: error: ")
    return err[0]


def test_no_radio_is_one_line_not_a_traceback(tmp_path, capsys):
    try:
        import bleak.backends.bluezdbus.manager  # noqa: F401
        import os

        if os.path.exists("/run/dbus/system_bus_socket") or os.path.exists("/var/run/dbus/system_bus_socket"):
            pytest.skip("a D-Bus system bus exists here: the radio path would really scan")
    except ImportError:
        pass
    assert main(["record", "--duration", "1", "-o", str(tmp_path / "x.csv")]) == 2
    assert "Bluetooth" in _one_line_error(capsys)
    assert main(["scan", "--timeout", "0.2"]) == 2
    assert "Bluetooth" in _one_line_error(capsys)


@pytest.mark.parametrize("args, message", [
    (["--loss", "1.5"], "--loss"),
    (["--duration", "-3"], "--duration"),
    (["--rate", "333"], "333"),
])
def test_bad_options_are_one_line_errors(tmp_path, capsys, args, message):
    base = ["record", "--simulate", "bouncy", "--kind", "rfs", "--speed", "40", "--duration", "5"]
    assert main(base + args + ["-o", str(tmp_path / "x.csv")]) == 2
    assert message in _one_line_error(capsys)


def test_unknown_profile_and_bad_output_path_fail_before_recording(tmp_path, capsys):
    assert main(["record", "--simulate", "nosuchrunner", "--duration", "5", "-o", str(tmp_path / "x.csv")]) == 2
    assert "nosuchrunner" in _one_line_error(capsys)
    missing = tmp_path / "missing" / "x.csv"
    assert main(["record", "--simulate", "bouncy", "--duration", "5", "-o", str(missing)]) == 2
    assert "does not exist" in _one_line_error(capsys)
    assert not missing.parent.exists()


def test_record_shows_live_cue_with_bell_when_jarring_persists(tmp_path, capsys):
    out = tmp_path / "cue.csv"
    assert main(["record", "--simulate", "bouncy", "--kind", "rfs", "--duration", "40", "--speed", "40",
                 "--bell", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    cue_lines = [line for line in printed.splitlines() if "bouncing" in line and "quicker steps" in line]
    assert cue_lines and cue_lines[0].lstrip("\r\x1b[K").startswith("\a[")
    assert "cadence" in printed and "bounce" in printed  # live figures in the panel


def test_a_busy_host_behind_the_strap_is_not_silence(tmp_path, capsys):
    """Far faster than real time with losses, frames queue up; the recording still runs its full length."""
    out = tmp_path / "fast.csv"
    assert main(["record", "--simulate", "bouncy", "--kind", "movesense", "--loss", "0.05", "--duration", "40",
                 "--speed", "80", "-o", str(out)]) == 0
    assert "stopped by duration" in capsys.readouterr().out


@pytest.mark.parametrize("seed, speed", [(0, "20"), (1, "10000"), (2, "20"), (3, "10000")])
def test_the_readme_polar_recording_is_whole_at_any_seed_and_speed(tmp_path, capsys, seed, speed):
    """Issue 11 item 5: ``record --simulate bouncy --kind polar --duration 60 --speed 20`` crashed in
    some runs, reported thousands of ppm of drift with none set, and lost samples without a gap."""
    out = tmp_path / "x.csv"
    assert main(["record", "--simulate", "bouncy", "--kind", "polar", "--duration", "60", "--speed", speed,
                 "--seed", str(seed), "-o", str(out)]) == 0
    assert "stopped by duration" in capsys.readouterr().out
    rec = read_canonical(out)
    assert len(rec) == 60 * 200 and rec.meta.lost_samples == 0 and not rec.meta.gaps
    assert abs(rec.meta.extra["clock"]["drift_ppm"]) < 1.0
    assert rec.meta.extra["overlapping_samples_dropped"] == 0


def test_an_existing_recording_is_refused_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "x.csv"
    base = ["record", "--simulate", "bouncy", "--kind", "polar", "--speed", "10000", "-o", str(out)]
    assert main(base + ["--duration", "5"]) == 0
    capsys.readouterr()
    before = out.read_bytes()
    assert main(base + ["--duration", "3"]) == 2
    assert "--overwrite" in _one_line_error(capsys)
    assert out.read_bytes() == before
    assert main(base + ["--duration", "3", "--overwrite"]) == 0
    assert read_canonical(out).duration_s == pytest.approx(3.0, abs=0.01)


def test_a_recording_in_progress_is_never_written_by_a_second_recorder(tmp_path, capsys):
    from runform.sensors.recorder import OutputFile

    out = tmp_path / "x.csv"
    first = OutputFile(out)  # another recorder holds the file (its lock lives as long as it does)
    try:
        args = ["record", "--simulate", "bouncy", "--kind", "polar", "--speed", "10000", "--duration", "3", "-o", str(out)]
        assert main(args + ["--overwrite"]) == 2
        assert "another recording is being written" in _one_line_error(capsys)
    finally:
        first.abandon()


def test_a_full_disk_stops_the_recording_cleanly_and_keeps_every_complete_row(tmp_path, capsys, monkeypatch):
    import errno
    import os

    real_write = os.write
    room = {"bytes": 120_000}  # about 18 s of Polar rows

    def filling_disk(fd, data):
        if room["bytes"] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[: room["bytes"]]))
        room["bytes"] -= n
        return n

    def full_sidecar(path, meta, _real=__import__("runform.sensors.recorder", fromlist=["write_meta"]).write_meta):
        if room["bytes"] <= 0:  # the sidecar's temporary file (sensors.atomic) cannot be written either
            with atomic_output(sidecar_path(path)):
                raise OSError(errno.ENOSPC, "No space left on device")
        return _real(path, meta)

    monkeypatch.setattr("runform.sensors.recorder.os.write", filling_disk)
    monkeypatch.setattr("runform.sensors.recorder.write_meta", full_sidecar)
    out = tmp_path / "x.csv"
    assert main(["record", "--simulate", "bouncy", "--kind", "polar", "--speed", "10000", "--duration", "60",
                 "-o", str(out)]) == 2
    err = _one_line_error(capsys)
    monkeypatch.undo()
    assert "the disk is full" in err and "keeps all" in err
    rec = read_canonical(out)  # whole rows only
    kept = int(err.split("keeps all ")[1].split()[0])
    assert len(rec) == kept > 2000 and out.read_text().endswith("\n")
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
    assert main(["info", str(out)]) == 0


def test_live_panel_shows_speed_context_from_the_virtual_footpod(tmp_path, capsys):
    """Issue 12: with a footpod (BLE RSC from the virtual strap, the real bytes through bleak) the panel shows
    pace, step length and vertical ratio with its band for the placement; without a speed it says so."""
    from runform.firmware_sim import get_profile

    out = tmp_path / "pod.csv"
    assert main(["record", "--simulate", "easy", "--footpod", "--speed", "10000", "--duration", "40",
                 "--no-log", "-o", str(out)]) == 0
    final = [line for line in capsys.readouterr().out.splitlines() if "| stopped |" in line][-1]
    speed = get_profile("easy").run.speed_mps
    pace = f"{round(1000 / speed) // 60}:{round(1000 / speed) % 60:02d} min/km"
    assert f"pace {pace}" in final and "step length 0.9" in final and "vertical ratio" in final
    assert "(green)" in final or "(blue)" in final or "(purple)" in final  # Garmin's chest-strap band
    rsc = read_canonical(out).meta.extra["running_speed_cadence"]
    assert max(rsc["speed_m_s"]) == pytest.approx(speed, abs=1 / 256)
    assert main(["record", "--simulate", "easy", "--speed", "10000", "--duration", "20", "--no-log",
                 "-o", str(tmp_path / "no_pod.csv")]) == 0
    final = [line for line in capsys.readouterr().out.splitlines() if "| stopped |" in line][-1]
    assert "speed unknown" in final and "pace" not in final


def test_given_speed_in_the_live_panel_and_bad_speed_options(tmp_path, capsys):
    out = tmp_path / "tread.csv"
    assert main(["record", "--simulate", "easy", "--speed-kmh", "10", "--placement", "back", "--speed", "10000",
                 "--duration", "20", "--no-log", "-o", str(out)]) == 0
    final = [line for line in capsys.readouterr().out.splitlines() if "| stopped |" in line][-1]
    assert "pace 6:00 min/km" in final and "vertical ratio" in final
    assert main(["record", "--simulate", "easy", "--speed-kmh", "100", "-o", str(tmp_path / "x.csv")]) == 2
    assert "--speed-kmh must be a number from 1.8 to 43.2" in _one_line_error(capsys)
    assert main(["record", "--footpod", "-o", str(tmp_path / "y.csv")]) == 2
    assert "--footpod is the virtual strap's" in _one_line_error(capsys)


def test_the_speed_given_to_record_is_kept_for_later_analyses(tmp_path, capsys):
    """A treadmill run recorded with --speed-kmh is analysed later at that speed without being told again;
    a speed given to analyze still wins."""
    out = tmp_path / "treadmill.csv"
    assert main(["record", "--simulate", "bouncy", *FAST, "--speed-kmh", "9.36", "--no-log", "-o", str(out)]) == 0
    assert read_canonical(out).meta.speed_mps == pytest.approx(2.6)
    capsys.readouterr()
    assert main(["analyze", str(out), "--no-log"]) == 0
    assert "running speed: 9.36 km/h, 6:25 min/km from the recording" in capsys.readouterr().out
    assert main(["analyze", str(out), "--no-log", "--speed-kmh", "10"]) == 0
    assert "running speed: 10 km/h" in capsys.readouterr().out


def test_an_impossible_recorded_speed_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["record", "--simulate", "bouncy", *FAST, "--no-log", "-o", str(out)]) == 0
    side = sidecar_path(out)
    side.write_text(side.read_text(encoding="utf-8").replace('"speed_mps": null', '"speed_mps": 40'), encoding="utf-8")
    capsys.readouterr()
    assert main(["analyze", str(out), "--no-log"]) == 2
    err = capsys.readouterr().err
    assert "speed_mps" in err and "0.5-12 m/s" in err and "Traceback" not in err
