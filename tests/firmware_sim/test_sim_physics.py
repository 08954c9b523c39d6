"""The gait model against its own physics (Morin et al. 2005 sine model; docs/METRICS.md, "Simulator model")."""

import numpy as np
import pytest

from runform.firmware_sim import simulate
from runform.firmware_sim.gait_running import closed_form_peak_g, closed_form_vo_m

#: switches that make every step of a gait identical (periodic motion)
PERIODIC = dict(variability=False, fatigue=False, turn_every_s=0, noise=False)
NO_ROTATION = dict(pitch_deg=0.0, roll_deg=0.0, yaw_deg=0.0, walk_pitch_deg=0.0, walk_roll_deg=0.0, walk_yaw_deg=0.0)


def _stride_means(res, first=6, last=6):
    k, ic = res.kinematics, res.truth.steps["ic_s"]
    idx = np.round(ic * k.fs_hz).astype(int)
    return np.array([k.sf_world_g[idx[j]: idx[j + 2]].mean() for j in range(first, len(idx) - 2 - last)])


@pytest.mark.parametrize("profile", ["easy", "bouncy", "walk"])
def test_mean_vertical_specific_force_over_a_stride_is_one_g(profile):
    res = simulate(profile, 25, seed=3, **PERIODIC)
    means = _stride_means(res)
    assert means.size > 10
    np.testing.assert_allclose(means, 1.0, atol=2e-3)


def test_mean_vertical_specific_force_is_one_g_with_variability_and_turns():
    res = simulate("bouncy", 40, seed=4)
    k = res.kinematics
    ic = res.truth.steps["ic_s"]
    a, b = np.round(ic[[4, -4]] * k.fs_hz).astype(int)
    assert abs(k.sf_world_g[a:b].mean() - 1.0) < 2e-3
    assert np.all(np.abs(_stride_means(res) - 1.0) < 0.03)


def test_running_has_flight_phases_near_zero_g():
    res = simulate("bouncy", 20, seed=1, **PERIODIC, **NO_ROTATION)
    k, s = res.kinematics, res.truth.steps
    for j in range(5, s["ic_s"].size - 5):
        t0 = s["ic_s"][j] + s["contact_ms"][j] / 1000.0
        t1 = s["ic_s"][j] + s["step_ms"][j] / 1000.0
        inner = (k.t > t0 + 0.01) & (k.t < t1 - 0.01)
        assert inner.sum() > 50
        np.testing.assert_allclose(k.sf_world_g[inner], 0.0, atol=0.01)
    assert np.all(s["flight_ms"] > 100)


def test_running_with_trunk_rotation_still_shows_flight():
    res = simulate("easy", 20, seed=1)
    k, s = res.kinematics, res.truth.steps
    j = s["ic_s"].size // 2
    mid_flight = s["ic_s"][j] + (s["contact_ms"][j] + s["step_ms"][j]) / 2000.0
    assert abs(np.interp(mid_flight, k.t, k.sf_world_g)) < 0.3


def test_walking_has_no_flight():
    res = simulate("walk", 30, seed=2)
    k, s = res.kinematics, res.truth.steps
    moving = (k.t > s["ic_s"][5]) & (k.t < s["ic_s"][-5])
    assert k.sf_world_g[moving].min() > 0.4
    assert 1.15 < k.sf_world_g[moving].max() < 1.7
    assert np.all(s["flight_ms"] == 0) and np.all(s["gait"] == "walk")
    assert np.all(s["duty_factor"] > 0.5)


@pytest.mark.parametrize("cadence,contact", [(140, 320), (150, 265), (178, 230), (195, 180), (165, 260)])
def test_truth_vo_matches_sine_model_closed_form(cadence, contact):
    res = simulate("easy", 15, seed=0, cadence_spm=cadence, contact_ms=contact, transient_g=0.0, **PERIODIC, **NO_ROTATION)
    s = res.truth.steps
    mid = slice(5, -5)
    step_s = 60.0 / cadence
    expected_cm = 100 * closed_form_vo_m(step_s, contact / 1000.0)
    np.testing.assert_allclose(s["vo_com_cm"][mid], expected_cm, rtol=0.01)
    np.testing.assert_allclose(s["vo_sensor_cm"][mid], expected_cm, rtol=0.01)
    np.testing.assert_allclose(s["peak_g"][mid], closed_form_peak_g(step_s, contact / 1000.0), rtol=0.005)
    np.testing.assert_allclose(s["step_ms"], 1000 * step_s, rtol=1e-12)
    np.testing.assert_allclose(s["cadence_spm"][mid], cadence, rtol=1e-3)
    np.testing.assert_allclose(s["contact_ms"][mid], contact, rtol=1e-9)


def test_transient_raises_impact_but_keeps_the_impulse():
    soft = simulate("easy", 15, seed=0, transient_g=0.0, **PERIODIC)
    hard = simulate("easy", 15, seed=0, transient_g=2.5, **PERIODIC)
    mid = slice(5, -5)
    assert np.all(soft.truth.steps["impact_transient_g"] == 0)
    np.testing.assert_allclose(hard.truth.steps["impact_transient_g"], 0.43 * 2.5, rtol=0.02)  # peak of A e^-t/τ sin(2πft)
    k, s = hard.kinematics, hard.truth.steps
    j = len(s["ic_s"]) // 2
    early = (k.t >= s["ic_s"][j]) & (k.t < s["ic_s"][j] + 0.025)
    k0 = soft.kinematics
    assert (k.sf_world_g[early] - k0.sf_world_g[early]).max() > 0.9  # a visible early spike
    np.testing.assert_allclose(_stride_means(hard), 1.0, atol=2e-3)


def test_sensor_vo_exceeds_com_vo_with_trunk_pitch_and_yaw_range_matches_amplitude():
    res = simulate("bouncy", 20, seed=0, **PERIODIC)
    s = res.truth.steps
    mid = slice(5, -5)
    assert np.all(s["vo_sensor_cm"][mid] != s["vo_com_cm"][mid])
    np.testing.assert_allclose(s["yaw_range_deg"][mid], 2 * res.profile.run.yaw_deg, rtol=0.01)


def test_asymmetric_profile_has_longer_left_contact():
    res = simulate("asymmetric", 60, seed=5)
    s = res.truth.steps
    left, right = s["contact_ms"][s["side"] == "L"], s["contact_ms"][s["side"] == "R"]
    assert 20 < left.mean() - right.mean() < 30
    assert np.all(s["side"][1:] != s["side"][:-1])


def test_fatigue_drifts_cadence_down_and_contact_up():
    res = simulate("easy", 240, rate_hz=25, seed=6, turn_every_s=0, fatigue_cadence_per_h=0.5, fatigue_contact_per_h=1.0)
    s = res.truth.steps
    n = s["ic_s"].size // 5
    assert s["cadence_spm"][-n:].mean() < s["cadence_spm"][:n].mean() - 1.0
    assert s["contact_ms"][-n:].mean() > s["contact_ms"][:n].mean() + 3.0


def test_c25k_bouts_alternate_as_scheduled():
    res = simulate("c25k", 700, rate_hz=25, seed=7)
    bouts = res.truth.bouts
    if bouts[-1]["kind"] == "stand":  # the session ended mid-step: a standing tail shorter than a step
        assert bouts[-1]["duration_s"] < 60 / res.profile.walk.cadence_spm
        bouts = bouts[:-1]
    kinds = [b["kind"] for b in bouts]
    assert kinds == ["stand", "walk", "run", "walk", "run", "walk", "run", "walk"]
    planned = np.cumsum([15, 300, 60, 90, 60, 90, 60, 25])
    ends = np.array([b["end_s"] for b in bouts])
    assert np.all(np.abs(ends - planned) < 0.5)  # whole steps: a bout ends within half a step of its plan
    assert res.truth.bouts[-1]["end_s"] == 700
    for b in bouts[1:]:
        assert b["start_s"] == pytest.approx(bouts[b["index"] - 1]["end_s"])
    s = res.truth.steps
    for b in bouts:
        inside = (s["ic_s"] >= b["start_s"]) & (s["ic_s"] < b["end_s"])
        if b["kind"] == "stand":
            assert not inside.any()
        else:
            assert np.all(s["gait"][inside] == b["kind"]) and inside.sum() == b["n_steps"]
    runs = [b for b in bouts if b["kind"] == "run"]
    assert all(140 < b["cadence_spm"] < 165 and b["flight_ms"] > 80 for b in runs)


def test_turns_are_heading_not_trunk_rotation():
    res = simulate("easy", 60, seed=8, turn_every_s=10, turn_deg=90, noise=False)
    k, s = res.kinematics, res.truth.steps
    assert np.ptp(k.heading_deg) >= 90
    assert np.nanmax(s["yaw_range_deg"]) < 2 * res.profile.run.yaw_deg + 0.5


def test_walk_run_transitions_cross_fade_without_a_bounce_spike():
    res = simulate("c25k", 500, rate_hz=25, seed=9)
    s = res.truth.steps
    change = np.flatnonzero(s["gait"][1:] != s["gait"][:-1]) + 1
    assert change.size >= 3
    run_vo = np.median(s["vo_sensor_cm"][s["gait"] == "run"])
    for j in change:
        assert np.all(s["vo_sensor_cm"][j - 2: j + 5] < 1.25 * run_vo)
        if s["gait"][j] == "run":  # first running steps: more contact, less flight, then nominal
            assert s["contact_ms"][j] > s["contact_ms"][j + 4] + 30
        else:  # first walking steps: cadence eases down from running
            assert s["cadence_spm"][j] > s["cadence_spm"][j + 4] + 15


@pytest.mark.parametrize("gait", ["walk", "run"])
def test_starting_and_stopping_have_no_force_jump(gait):
    from runform.firmware_sim.profiles import Segment

    sched = (Segment("stand", 3.0), Segment(gait, 12.0), Segment("stand", 5.0))
    res = simulate("easy", 20, seed=1, noise=False, schedule=sched, turn_every_s=0)
    k, bouts = res.kinematics, res.truth.bouts
    for edge in (bouts[1]["start_s"], bouts[1]["end_s"]):
        near = (k.t > edge - 0.05) & (k.t < edge + 0.05)
        assert np.abs(np.diff(k.sf_world_g[near])).max() < 0.05  # g per internal sample (1 ms)
    still = (k.t < bouts[1]["start_s"] - 1.0) | (k.t > bouts[1]["end_s"] + 1.0)
    np.testing.assert_allclose(k.sf_world_g[still], 1.0, atol=0.01)
