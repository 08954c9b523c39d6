"""A short steady running clip (< 8 s, the minimum bout) filling the whole recording is still a run."""

import numpy as np

from runform import analysis
from runform.firmware_sim import simulate
from runform.firmware_sim.profiles import Segment


def test_five_second_running_clip_is_analysed_as_running():
    sim = simulate("easy", duration_s=5.0, rate_hz=100, seed=7, mount="chest", gyro=False,
                   schedule=(Segment("run", 5.0),), noise=True)
    s = analysis.analyze(sim.recording)
    assert [b.kind for b in s.bouts] == ["run"]
    tc = s.steps["ground_contact_ms"]
    assert np.isfinite(tc).sum() >= 8
    assert abs(np.nanmedian(tc) - sim.truth.session["run"]["contact_ms"]) < 15


def test_sacral_treadmill_trial_is_analysed_as_running(real_dir):
    from runform.sensors import load_recording

    path = real_dir / "alcantara_sacral_treadmill"
    s = analysis.analyze(load_recording(f"{path / 'Accelerometer_trials.csv'}#trial=7"))
    assert [b.kind for b in s.bouts] == ["run"]
    ref = np.genfromtxt(path / "reference_per_trial.csv", delimiter=",", names=True)
    row = ref[ref["row"] == 7][0]
    assert abs(s.bouts[0].cadence_spm - row["cadence_spm"]) < 1.0
    assert abs(np.nanmedian(s.steps["ground_contact_ms"]) - 1000 * row["mean_contact_time_s"]) < 25


def test_gravity_direction_is_right_at_the_edges_of_a_short_running_clip():
    # the default sosfiltfilt pad pinned "up" to the first sample (mid-flight or mid-stance): tens of degrees off
    from runform.analysis import DEFAULT, _orientation

    sim = simulate("easy", duration_s=5.0, rate_hz=100, seed=3, mount="chest", gyro=False,
                   schedule=(Segment("run", 5.0),), noise=True, mount_rotation_deg=(5.0, 20.0, 0.0))
    rec = sim.recording
    up = _orientation.gravity_direction(rec.acc, 100.0, None, lowpass_hz=DEFAULT.gravity_lowpass_hz,
                                        order=DEFAULT.gravity_lowpass_order, tau_s=DEFAULT.cf_tau_s)
    mean_up = rec.acc.mean(axis=0) / np.linalg.norm(rec.acc.mean(axis=0))
    for i in (0, -1):
        # (the simulated run starts from standing with a growing lean: ~12 deg at the start; was 72-80 deg)
        assert np.degrees(np.arccos(np.clip(up[i] @ mean_up, -1, 1))) < 20.0
