"""The strap's IMU model: mounting, gravity at rest, gyro frame, clock drift, quantisation, clipping."""

import numpy as np
import pytest

from runform.firmware_sim import ProfileError, simulate
from runform.firmware_sim.imu import lsb, mount_matrix

IDEAL = dict(noise=False, turn_every_s=0)


@pytest.mark.parametrize("mount", ["chest", "back"])
def test_standing_reads_plus_one_g_on_the_mount_up_axis(mount):
    rec = simulate("stand", 5, mount=mount, **IDEAL).recording
    np.testing.assert_allclose(rec.acc, np.broadcast_to([0.0, 1.0, 0.0], rec.acc.shape), atol=lsb(8.0))
    np.testing.assert_allclose(rec.gyro, 0.0, atol=lsb(2000.0))


@pytest.mark.parametrize("mount", ["chest", "back"])
@pytest.mark.parametrize("rotation", [(0, 20, 0), (10, 25, -15), (-8, 5, 170), (90, 0, 0)])
def test_standing_with_rotated_mount_sees_gravity_along_rotated_up(mount, rotation):
    res = simulate("stand", 5, mount=mount, mount_rotation_deg=rotation, **IDEAL)
    up_device = mount_matrix(mount, rotation).T @ np.array([0.0, 0.0, 1.0])
    np.testing.assert_allclose(res.recording.acc.mean(axis=0), up_device, atol=lsb(8.0))
    np.testing.assert_allclose(np.linalg.norm(res.recording.acc, axis=1), 1.0, atol=2 * lsb(8.0))
    np.testing.assert_allclose(res.truth.params["device_up_axis"], up_device, atol=1e-9)


def test_random_mount_is_seeded_and_within_limits():
    a = simulate("stand", 3, seed=1, random_mount=True, **IDEAL)
    b = simulate("stand", 3, seed=1, random_mount=True, **IDEAL)
    roll, pitch, yaw = a.truth.params["mount_rotation_deg"]
    assert a.truth.params["mount_rotation_deg"] == b.truth.params["mount_rotation_deg"]
    assert -10 <= roll <= 10 and 0 <= pitch <= 30 and -15 <= yaw <= 15
    up = np.array(a.truth.params["device_up_axis"])
    np.testing.assert_allclose(a.recording.acc.mean(axis=0), up, atol=lsb(8.0))


def test_noise_level_follows_density():
    rec = simulate("stand", 20, rate_hz=200, seed=3, turn_every_s=0).recording
    sd = rec.acc.std(axis=0)
    expected = 150e-6 * np.sqrt(200 / 2)
    assert np.all(np.abs(sd / expected - 1) < 0.15)


def test_gyro_up_axis_integrates_to_heading_change():
    res = simulate("walk", 40, rate_hz=100, seed=2, turn_every_s=8, turn_deg=90, noise=False, walk_yaw_deg=0,
                   walk_pitch_deg=0, walk_roll_deg=0, walk_lean_deg=0)
    rec, k = res.recording, res.kinematics
    up = np.array(res.truth.params["device_up_axis"])
    yaw_rate = rec.gyro @ up
    heading_from_gyro = np.sum(yaw_rate) / rec.meta.nominal_rate_hz
    assert abs(heading_from_gyro - (k.heading_deg[-1] - k.heading_deg[0])) < 2.0
    assert abs(k.heading_deg[-1] - k.heading_deg[0]) >= 90 or np.ptp(k.heading_deg) >= 90


def test_clock_drift_stretches_device_time_by_ppm():
    ppm = 20000.0  # 2 %: large so the stretch is plain
    base = simulate("bouncy", 12, rate_hz=200, seed=4, drift_ppm=0.0, **IDEAL).recording
    fast = simulate("bouncy", 12, rate_hz=200, seed=4, drift_ppm=ppm, **IDEAL).recording
    assert len(fast) == pytest.approx(len(base) * (1 + ppm * 1e-6), abs=2)
    true_t = fast.time / (1 + ppm * 1e-6)
    sel = true_t < base.time[-1]
    expected = np.interp(true_t[sel], base.time, base.acc[:, 1])
    assert np.abs(fast.acc[sel, 1] - expected).mean() < 0.02
    late = slice(len(base) // 2, len(base))  # without the stretch the two disagree once the offset grows
    assert np.abs(fast.acc[late, 1] - base.acc[late, 1]).mean() > 5 * np.abs(fast.acc[sel, 1] - expected)[late].mean()


def test_truth_device_time_applies_drift():
    res = simulate("easy", 10, seed=0, drift_ppm=50.0)
    s = res.truth.steps
    np.testing.assert_allclose(s["ic_device_s"], s["ic_s"] * (1 + 50e-6))


def test_samples_are_whole_counts_and_clip_at_range():
    res = simulate("bouncy", 10, rate_hz=200, seed=1, acc_range_g=2.0, transient_g=3.0)
    c = res.counts
    assert c.acc.dtype == np.int16 and c.gyro.dtype == np.int16
    assert c.acc_lsb_g == 4.0 / 65536 and c.gyro_lsb_dps == 4000.0 / 65536
    np.testing.assert_array_equal(res.recording.acc, c.acc * c.acc_lsb_g)
    np.testing.assert_array_equal(res.recording.time, c.time_s)
    assert c.acc.max() == 32767
    assert res.recording.acc.max() <= 2.0
    wide = simulate("bouncy", 10, rate_hz=200, seed=1, acc_range_g=16.0, transient_g=3.0)
    assert wide.recording.acc.max() > 2.2


def test_no_gyro_gives_accelerometer_only():
    res = simulate("easy", 5, gyro=False)
    assert res.recording.gyro is None and res.counts.gyro is None


@pytest.mark.parametrize("rate", [25, 52, 104, 208, 416])
def test_sample_rates(rate):
    rec = simulate("easy", 4, rate_hz=rate, drift_ppm=0).recording
    np.testing.assert_allclose(np.diff(rec.time), 1.0 / rate)
    assert rec.meta.nominal_rate_hz == rate


@pytest.mark.parametrize("kw", [dict(rate_hz=20), dict(rate_hz=500), dict(mount="hip"), dict(cadence_spm=300),
                                dict(contact_ms=400), dict(colour="red"), dict(acc_range_g=3), dict(duration_s=-1)])
def test_bad_parameters_raise_profile_error(kw):
    with pytest.raises(ProfileError):
        simulate("easy", **({"duration_s": 5} | kw))


def test_unknown_profile():
    with pytest.raises(ProfileError, match="unknown profile"):
        simulate("sprint", 5)


def test_mount_slip_turns_gravity_in_the_device_frame():
    res = simulate("stand", 20, mount_slip_deg=10.0, **IDEAL)
    acc = res.recording.acc
    angle = np.degrees(np.arctan2(acc[:, 2], acc[:, 1]))  # chest: pitch tilts up (+y) toward out (+z)
    assert abs(abs(angle[-1] - angle[0]) - 10.0) < 0.1
    np.testing.assert_allclose(np.linalg.norm(acc, axis=1), 1.0, atol=2 * lsb(8.0))


def test_strap_compliance_rings_but_keeps_the_mean():
    rigid = simulate("bouncy", 15, rate_hz=416, seed=2, **IDEAL)
    soft = simulate("bouncy", 15, rate_hz=416, seed=2, strap_hz=25.0, strap_damping=0.15, **IDEAL)
    up = np.array(rigid.truth.params["device_up_axis"])
    a, b = rigid.recording.acc @ up, soft.recording.acc @ up
    assert abs(a.mean() - b.mean()) < 2e-3
    assert b.max() > a.max() + 0.05  # resonance overshoot on landing


def test_bias_random_walk_grows_like_sqrt_time():
    from runform.firmware_sim.imu import ChannelErrors

    rate, seconds, per_rts = 25.0, 400.0, 1.0
    err = ChannelErrors(np.ones(300), np.zeros(300), 0.0, per_rts / np.sqrt(rate))  # 300 independent axes
    walks = err.apply(np.zeros((int(rate * seconds), 300)), np.random.default_rng(0))
    sd = walks[-1].std()
    assert abs(sd / (per_rts * np.sqrt(seconds)) - 1) < 0.15  # 1 unit/√s × √400 s = 20 units
    quarter = walks[int(rate * seconds / 4) - 1].std()
    assert abs(sd / quarter - 2.0) < 0.3  # a quarter of the time: half the spread


def test_bias_random_walk_is_in_the_recording():
    quiet = dict(acc_noise_ug_rthz=0.0, acc_bias_mg=0.0, scale_error=0.0, acc_range_g=2.0)
    still = simulate("stand", 60, rate_hz=25, seed=1, acc_bias_walk_mg_rts=0.0, **quiet).recording
    walk = simulate("stand", 60, rate_hz=25, seed=1, acc_bias_walk_mg_rts=2.0, **quiet).recording
    assert np.ptp(still.acc[:, 1]) <= lsb(2.0)
    assert np.ptp(walk.acc[:, 1]) > 0.003
