"""End to end: analyze() on synthetic signals with known answers and on firmware_sim sessions."""

import json

import numpy as np
import pytest

from runform import analysis
from runform.analysis import AnalysisError, analyze
from runform.sensors.recording import Metadata, Recording

RUNNING_KEYS = {"seconds", "steps", "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "flight_ms",
                "duty_factor", "impact_g", "trunk_rotation_deg", "forward_lean_deg", "gct_balance_left_pct",
                "step_time_asymmetry_pct"}
BOUT_KEYS = {"kind", "start_s", "end_s", "steps", "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms",
             "flight_ms", "impact_g", "trunk_rotation_deg", "gct_balance_left_pct"}


@pytest.fixture(scope="module")
def synthetic_session():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import make_recording
    rec, truth = make_recording([("stand", 0, 10), ("walk", 10, 35), ("run", 35, 95), ("walk", 95, 120)],
                                fs=100.0, rot_deg=(15, -160, 30), cadence=170.0, contact_s=0.24, yaw_deg=7.0)
    return analyze(rec), truth


def test_summary_follows_the_schema(synthetic_session):
    s, _ = synthetic_session
    d = json.loads(s.to_json())
    assert d["schema"] == "runform.summary/1"
    assert {"duration_s", "sample_rate_hz", "has_gyro", "bouts", "running", "walking", "flags"} <= set(d)
    assert RUNNING_KEYS <= set(d["running"])
    assert {"seconds", "steps", "cadence_spm"} <= set(d["walking"])
    assert all(BOUT_KEYS <= set(b) for b in d["bouts"])
    frame = s.steps_frame()
    assert list(frame.columns[:4]) == ["time_s", "side", "bout", "bout_kind"]
    assert len(frame) == len(s.steps["time_s"])


def test_known_answers_on_the_synthetic_run(synthetic_session, matcher):
    s, truth = synthetic_session
    st = s.steps
    run = st["bout_kind"] == "run"
    recall, precision, err = matcher(st["time_s"][run], truth.ic, 0.1)
    assert recall >= 0.99 and precision >= 0.99
    assert abs(np.median(err)) < 0.008
    r = s.summary["running"]
    assert r["cadence_spm"] == pytest.approx(170.0, abs=0.3)
    assert r["vertical_oscillation_cm"] == pytest.approx(truth.vo_cm, abs=0.3)
    assert r["ground_contact_ms"] == pytest.approx(240.0, abs=10.0)
    assert r["trunk_rotation_deg"] == pytest.approx(truth.yaw_range_deg, abs=1.0)
    assert r["gct_balance_left_pct"] == pytest.approx(50.0, abs=1.0)
    sides_ok = np.mean(st["side"][run][1:-1] == truth.side[np.searchsorted(truth.ic, st["time_s"][run][1:-1] - 0.05)])
    assert sides_ok >= 0.95
    assert s.cycle is not None and s.cycle.n_strides > 10
    assert s.cycle.stride_displacement_cm.max() - s.cycle.stride_displacement_cm.min() == pytest.approx(truth.vo_cm, abs=0.5)
    assert s.signals.time_s.size == s.signals.vertical_g.size == s.signals.bout_kind.size


def test_without_gyro_trunk_rotation_is_nan_not_guessed(synth):
    rec, _ = synth([("run", 0, 40)], fs=50.0, gyro=False)
    s = analyze(rec)
    assert s.summary["has_gyro"] is False
    assert np.all(np.isnan(s.steps["trunk_rotation_deg"]))
    assert json.loads(s.to_json())["running"]["trunk_rotation_deg"] is None


def test_standing_only_reports_no_running():
    t = np.arange(0, 30, 0.01)
    acc = np.tile([0.0, 0.0, 1.0], (t.size, 1)) + 0.002 * np.random.default_rng(0).standard_normal((t.size, 3))
    s = analyze(Recording(t, acc, None, Metadata(nominal_rate_hz=100)))
    assert s.summary["running"]["steps"] == 0 and s.summary["running"]["cadence_spm"] is None
    assert any("no running" in n for n in s.summary["notes"])
    assert s.flags == []


def test_too_short_gives_a_session_that_says_so():
    t = np.arange(0, 2, 0.01)
    s = analyze(Recording(t, np.tile([0.0, 0.0, 1.0], (t.size, 1)), None, Metadata()))
    assert s.summary["running"]["steps"] == 0
    assert any("too short" in n for n in s.summary["notes"])
    json.loads(s.to_json())


def test_unanalysable_input_raises_analysis_error():
    with pytest.raises(AnalysisError):
        analyze(Recording(np.array([0.0]), np.zeros((1, 3)), None, Metadata()))
    t = np.arange(0, 10, 0.01)
    acc = np.tile([0.0, 0.0, 1.0], (t.size, 1))
    acc[5, 1] = np.nan
    with pytest.raises(AnalysisError, match="NaN"):
        analyze(Recording(t, acc, None, Metadata()))


@pytest.mark.parametrize("rate,mount,gyro", [(25, "back", False), (100, "chest", True)])
def test_firmware_sim_c25k_against_ground_truth(rate, mount, gyro, matcher):
    sim_mod = pytest.importorskip("firmware_sim")
    sim = sim_mod.simulate("c25k", 480, rate, 3, mount, gyro)
    s = analyze(sim.recording)
    tr = sim.truth.steps
    trun = tr["gait"] == "run"
    run = s.steps["bout_kind"] == "run"
    recall, precision, err = matcher(s.steps["time_s"][run], tr["ic_device_s"][trun], 0.15)
    assert recall >= 0.99 and precision >= 0.995
    assert abs(np.mean(err)) <= 0.015 and np.std(err) <= 0.02
    r = s.summary["running"]
    truth_cad = 60.0 * trun.sum() / (tr["step_ms"][trun].sum() / 1000.0)
    assert r["cadence_spm"] == pytest.approx(truth_cad, abs=0.5)
    assert r["vertical_oscillation_cm"] == pytest.approx(np.median(tr["vo_sensor_cm"][trun]), abs=0.5)
    assert r["ground_contact_ms"] == pytest.approx(np.median(tr["contact_ms"][trun]), abs=15)
    if gyro:
        assert r["trunk_rotation_deg"] == pytest.approx(np.nanmedian(tr["yaw_range_deg"][trun]), abs=1.5)
        # the stand at the start is the upright reference; the gyro removes the oscillation bias
        assert r["forward_lean_deg"] == pytest.approx(sim.profile.run.lean_deg, abs=1.0)
    kinds = [b.kind for b in s.bouts]
    assert kinds.count("run") == sum(b["kind"] == "run" for b in sim.truth.bouts if b["end_s"] <= 480 and b["duration_s"] > 8)


def test_cli_analyze_writes_json_and_steps(tmp_path, synth, capsys):
    from runform.cli import main
    from runform.sensors.canonical_csv import write_canonical

    rec, _ = synth([("stand", 0, 8), ("run", 8, 50)], fs=50.0)
    csv = write_canonical(rec, tmp_path / "run.csv")
    rc = main(["analyze", str(csv), "--json", str(tmp_path / "s.json"), "--steps", str(tmp_path / "steps.csv")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "not a diagnosis" in out and "cadence" in out
    assert json.loads((tmp_path / "s.json").read_text())["schema"] == analysis.SCHEMA
    header = (tmp_path / "steps.csv").read_text().splitlines()[0].split(",")
    assert header[:3] == ["time_s", "side", "bout"] and "ground_contact_ms" in header


def test_clipping_is_reported(synth):
    rec, _ = synth([("run", 0, 30)], fs=50.0)
    rec.meta.acc_range_g = 2.0
    rec.acc = rec.acc.clip(-2.0, 2.0)
    notes = analyze(rec).summary["notes"]
    assert any("clipped" in n for n in notes)
    rec.meta.acc_range_g = 16.0
    assert not any("clipped" in n for n in analyze(rec).summary["notes"])


def test_a_gap_splits_the_run_and_no_step_falls_inside_it(synth):
    rec, truth = synth([("stand", 0, 8), ("run", 8, 70)], fs=100.0)
    keep = (rec.time < 30.0) | (rec.time >= 33.0)
    gapped = Recording(rec.time[keep], rec.acc[keep], rec.gyro[keep], Metadata(nominal_rate_hz=100))
    s = analyze(gapped)
    runs = [b for b in s.bouts if b.kind == "run"]
    assert len(runs) == 2 and runs[0].end_s <= 30.0 and runs[1].start_s >= 33.0 - 0.01
    t = s.steps["time_s"]
    assert not np.any((t > 30.0) & (t < 33.0))
    # steps in the two pieces match the truth outside the gap
    ref = truth.ic[(truth.ic < 29.6) | (truth.ic > 33.0)]
    assert len(t[s.steps["bout_kind"] == "run"]) == pytest.approx(len(ref), abs=2)
