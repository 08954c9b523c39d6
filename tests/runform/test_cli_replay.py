"""``runform replay``: streams a simulated bouncy run through the live path, prints the cue, the live
totals next to ``analyze()`` and the analyze summary; bad input exits 2 with one line."""

from runform.firmware_sim import simulate
from runform.cli import main
from runform.sensors.canonical_csv import write_canonical


def test_replay_prints_live_figures_cue_and_the_analyze_summary(tmp_path, capsys):
    path = write_canonical(simulate("bouncy", duration_s=60, rate_hz=100, seed=5).recording, tmp_path / "run.csv")
    assert main(["replay", str(path), "--speed", "0"]) == 0
    out = capsys.readouterr().out
    assert "cadence" in out and "bounce" in out and "impact" in out
    assert "bouncing:" in out and "shorter, quicker steps" in out
    assert "live:" in out and "runform analyze:" in out and "jarring_gait" in out
    rows = {l.split("  ")[1].strip(): l.split()[-2:] for l in out.splitlines() if l.startswith("  cadence spm")
            or l.startswith("  running steps")}
    live_cad, batch_cad = (float(x) for x in rows["cadence spm"])
    assert abs(live_cad - batch_cad) <= 0.5
    live_n, batch_n = (int(x) for x in rows["running steps"])
    assert abs(live_n - batch_n) <= 1


def test_replay_bad_speed_and_missing_file_exit_2_with_one_line(tmp_path, capsys):
    path = write_canonical(simulate("stand", duration_s=10, rate_hz=50, seed=1).recording, tmp_path / "s.csv")
    assert main(["replay", str(path), "--speed", "-1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("runform: error:") and "--speed" in err[0]
    assert main(["replay", str(tmp_path / "missing.csv")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_replay_feeds_the_recorded_footpod_speed_to_the_panel(tmp_path, capsys):
    out = tmp_path / "pod.csv"
    assert main(["record", "--simulate", "easy", "--footpod", "--speed", "10000", "--duration", "30",
                 "--no-log", "-o", str(out)]) == 0
    recorded = [line for line in capsys.readouterr().out.splitlines() if "| stopped |" in line][-1]
    assert main(["replay", str(out), "--speed", "0"]) == 0
    replayed = [line for line in capsys.readouterr().out.splitlines() if "| done |" in line][-1]
    for field in ("pace", "step length", "vertical ratio"):
        assert recorded.split(f"{field} ")[1].split(" |")[0] == replayed.split(f"{field} ")[1].split(" |")[0]
