"""simulate(): determinism, metadata, truth JSON, loading back through the canonical reader."""

import json

import numpy as np

from runform.firmware_sim import PROFILES, simulate, truth_path
from runform.sensors.canonical_csv import read_canonical, write_canonical


def test_same_seed_same_samples_and_truth():
    a, b = simulate("c25k", 40, seed=11), simulate("c25k", 40, seed=11)
    np.testing.assert_array_equal(a.counts.acc, b.counts.acc)
    np.testing.assert_array_equal(a.counts.gyro, b.counts.gyro)
    assert json.dumps(a.truth.to_dict()) == json.dumps(b.truth.to_dict())
    c = simulate("c25k", 40, seed=12)
    assert not np.array_equal(a.counts.acc, c.counts.acc)


def test_every_profile_runs():
    for name in PROFILES:
        res = simulate(name, 20, rate_hz=50, seed=1)
        assert abs(len(res.recording) - (20 * 50 + 1)) <= 1
        assert res.recording.meta.device == "runform virtual strap"
        assert np.isfinite(res.recording.acc).all()


def test_metadata(tmp_path):
    res = simulate("bouncy", 10, rate_hz=104, seed=2, mount="back")
    m = res.recording.meta
    assert (m.placement, m.nominal_rate_hz, m.acc_range_g) == ("back", 104.0, 8.0)
    assert m.start_utc.startswith("2026-01-01T07:00:02")


def test_roundtrip_through_canonical_reader(tmp_path):
    res = simulate("easy", 10, rate_hz=100, seed=3)
    path = write_canonical(res.recording, tmp_path / "run.csv")
    back = read_canonical(path)
    np.testing.assert_allclose(back.acc, res.recording.acc, atol=5e-7)
    np.testing.assert_allclose(back.gyro, res.recording.gyro, atol=5e-5)
    assert back.meta.device == "runform virtual strap" and back.meta.gaps == []
    tp = res.truth.write_json(truth_path(path))
    assert tp.name == "run.truth.json"
    d = json.loads(tp.read_text())
    assert len(d["steps"]["ic_s"]) == res.truth.n_steps
    assert set(d["steps"]["side"]) == {"L", "R"}
    assert d["bouts"][1]["kind"] == "run" and d["session"]["run"]["n_steps"] == res.truth.n_steps


def test_schedule_override_and_truth_json(tmp_path):
    from runform.firmware_sim.profiles import Segment

    sched = (Segment("stand", 3.0), Segment("walk", 10.0), Segment("run", 20.0), Segment("stand", 2.0))
    res = simulate("easy", 35, seed=1, schedule=sched)
    assert [b["kind"] for b in res.truth.bouts] == ["stand", "walk", "run", "stand"]
    d = json.loads(res.truth.write_json(tmp_path / "t.truth.json").read_text())
    assert d["params"]["overrides"]["schedule"][1] == {"kind": "walk", "duration_s": 10.0}
