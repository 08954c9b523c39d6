"""A short steady running clip (< 8 s, the minimum bout) filling the whole recording is still a run."""

import numpy as np

import analysis
from firmware_sim import simulate
from firmware_sim.profiles import Segment


def test_five_second_running_clip_is_analysed_as_running():
    sim = simulate("easy", duration_s=5.0, rate_hz=100, seed=7, mount="chest", gyro=False,
                   schedule=(Segment("run", 5.0),), noise=True)
    s = analysis.analyze(sim.recording)
    assert [b.kind for b in s.bouts] == ["run"]
    tc = s.steps["ground_contact_ms"]
    assert np.isfinite(tc).sum() >= 8
    assert abs(np.nanmedian(tc) - sim.truth.session["run"]["contact_ms"]) < 15


def test_sacral_treadmill_trial_is_analysed_as_running(real_dir):
    from sensors import load_recording

    path = real_dir / "alcantara_sacral_treadmill"
    s = analysis.analyze(load_recording(f"{path / 'Accelerometer_trials.csv'}#trial=7"))
    assert [b.kind for b in s.bouts] == ["run"]
    ref = np.genfromtxt(path / "reference_per_trial.csv", delimiter=",", names=True)
    row = ref[ref["row"] == 7][0]
    assert abs(s.bouts[0].cadence_spm - row["cadence_spm"]) < 1.0
    assert abs(np.nanmedian(s.steps["ground_contact_ms"]) - 1000 * row["mean_contact_time_s"]) < 25
