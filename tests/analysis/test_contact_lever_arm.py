"""Trunk-rotation terms of a strap's lever arm (``analysis._lever_arm``) and their effect on the contact."""

import numpy as np

from runform.analysis import _lever_arm

G = _lever_arm.G


def test_vertical_rotational_terms_known_answers():
    up = np.array([[0.0, 0.0, 1.0]])
    r_up = np.array([0.0, 0.0, 0.1])
    spin = np.array([[2.0, 0.0, 0.0]])  # 2 rad/s about a horizontal axis, sensor 0.1 m above the axis
    assert np.allclose(_lever_arm.vertical_rotational_g(spin, np.zeros((1, 3)), up, r_up), -4.0 * 0.1 / G)
    r_fwd = np.array([0.1, 0.0, 0.0])
    alpha = np.array([[0.0, 30.0, 0.0]])  # 30 rad/s² about y, sensor 0.1 m forward along x: α × r = -3 z
    assert np.allclose(_lever_arm.vertical_rotational_g(np.zeros((1, 3)), alpha, up, r_fwd), -3.0 / G)


def _pitching_trunk(r, n=3000, fs=100.0, step_hz=2.9, pitch_deg=2.0):
    t = np.arange(n) / fs
    theta = np.deg2rad(pitch_deg) * np.sin(2 * np.pi * step_hz * t)
    w = np.zeros((n, 3))
    w[:, 0] = np.gradient(theta, 1 / fs) + 0.3 * np.sin(2 * np.pi * 1.45 * t)
    w[:, 2] = 0.5 * np.cos(2 * np.pi * 1.45 * t)
    a = np.gradient(w, 1 / fs, axis=0)
    rot = _lever_arm._rotation_matrices(w, a) @ r / G  # specific force of the rotation alone (g)
    return t, w, a, rot


def test_lever_arm_recovered_from_flight_samples():
    r = np.array([0.02, -0.05, 0.12])
    _, w, a, rot = _pitching_trunk(r)
    flight = np.arange(40, 2960, 35)  # ballistic flight: the sensor reads only the rotational terms
    assert np.allclose(_lever_arm.lever_arm_from_flight(rot, w, a, flight), r, atol=1e-6)


def test_no_lever_arm_from_too_few_flights_or_implausible_fits():
    r = np.array([0.02, -0.05, 0.12])
    _, w, a, rot = _pitching_trunk(r)
    assert _lever_arm.lever_arm_from_flight(rot, w, a, np.arange(40, 40 + 35 * 5, 35)) is None
    noise = np.random.default_rng(0).normal(0.0, 0.3, rot.shape)  # flight signal not explained by rotation
    assert _lever_arm.lever_arm_from_flight(noise, w, a, np.arange(40, 2960, 35)) is None
    assert _lever_arm.lever_arm_from_flight(rot * 10.0, w, a, np.arange(40, 2960, 35)) is None  # |r| 1.3 m


def test_chest_strap_contact_with_gyro_known_answer():
    """Sweep case 2 (100 Hz chest strap, gyro, contact 275 ms at 185 spm, benchmarks/RESULTS.md), run part
    only: the lever arm's pitch term made the contact 23 ms short; corrected it is within 10 ms."""
    from runform import analysis
    from runform.firmware_sim import simulate
    from runform.firmware_sim.profiles import Segment

    sim = simulate("easy", duration_s=40, rate_hz=100, seed=1002, mount="chest", gyro=True,
                   schedule=(Segment("stand", 5.0), Segment("run", 35.0)), random_mount=True, cadence_spm=184.7,
                   contact_ms=275.5, transient_g=0.2, drift_ppm=-20.0, noise=True)
    s = analysis.analyze(sim.recording)
    run = [b for b in s.summary["bouts"] if b["kind"] == "run"]
    truth = np.median(np.asarray(sim.truth.steps["contact_ms"])[np.asarray(sim.truth.steps["gait"]) == "run"])
    assert len(run) == 1
    assert abs(run[0]["ground_contact_ms"] - truth) < 10.0
