"""Heel-strike transient kernel and the left/right shape check on signals with known answers; the flags
that use them on constructed step tables; firmware_sim and Hexoskin end to end."""

from __future__ import annotations

import numpy as np
import pytest

from runform import analysis
from runform.analysis import _metrics, _symmetry
from runform.analysis import _thresholds as th
from runform.analysis.flags import evaluate_flags

FS = 200.0
TRANSIENT_HZ, TRANSIENT_TAU_S = 20.0, 0.012


def stance_train(contacts_s, step_s, transient_g=0.0, tail_g=0.0, fs=FS):
    """Vertical specific force (g) of consecutive steps: half-sine stance of the given contact times
    (impulse = step time), a damped 20 Hz transient after each strike, and optionally a slow tail after
    every other toe-off. Returns the signal and the strike and toe-off indices."""
    n_steps = len(contacts_s)
    t = np.arange(int((n_steps + 2) * step_s * fs)) / fs
    x = np.zeros_like(t)
    strikes = (1 + np.arange(n_steps)) * step_s
    for k, (ic, tc) in enumerate(zip(strikes, contacts_s)):
        tau = t - ic
        stance = (tau >= 0) & (tau < tc)
        x += np.where(stance, np.pi * step_s / (2 * tc) * np.sin(np.pi * tau / tc), 0.0)
        decay = np.exp(-np.clip(tau, 0, None) / TRANSIENT_TAU_S)
        x += np.where(stance, transient_g * decay * np.sin(2 * np.pi * TRANSIENT_HZ * tau), 0.0)
        if tail_g and k % 2:
            after = (tau >= tc) & (tau < tc + 0.06)
            x += np.where(after, tail_g * (1 - (tau - tc) / 0.06), 0.0)
    return x, strikes * fs, (strikes + np.asarray(contacts_s)) * fs


def transient_truth(amp_g):
    """Largest value of A e^(-t/τ) sin(2π f t)."""
    w = 2 * np.pi * TRANSIENT_HZ
    t_star = np.arctan(w * TRANSIENT_TAU_S) / w
    return amp_g * np.exp(-t_star / TRANSIENT_TAU_S) * np.sin(w * t_star)


@pytest.mark.parametrize("amp_g", [0.0, 1.0, 3.0])
def test_impact_transient_is_the_residual_above_the_half_sine(amp_g):
    fs = 1000.0
    x, ic, to = stance_train([0.26] * 20, 0.40, transient_g=amp_g, fs=fs)
    got = _metrics.impact_transient(x, ic, to, 0.06 * fs, 0.06 * fs, 128)
    assert np.allclose(got, transient_truth(amp_g), atol=0.03)


@pytest.mark.parametrize("fs", [100.0, 200.0])
def test_bout_impact_transient_upsamples_before_taking_the_peak(fs):
    x, ic, to = stance_train([0.26] * 20, 0.40, transient_g=2.0, fs=fs)
    got = _metrics.bout_impact_transient(x, fs, 0, x.size, ic / fs, to / fs, analysis.DEFAULT)
    # the 50 Hz low-pass (and, at 100 Hz, the sampling of a hard onset) costs ~10 %
    assert np.median(got) == pytest.approx(transient_truth(2.0), rel=0.15)


def test_impact_transient_is_nan_below_the_rate_limit_and_without_stance():
    p = analysis.DEFAULT
    sf = np.ones(500)
    assert np.isnan(_metrics.bout_impact_transient(sf, 52.0, 0, 500, np.array([1.0]), np.array([1.25]), p)).all()
    got = _metrics.impact_transient(sf, np.array([np.nan, 10.0]), np.array([20.0, 12.0]), 12.0, 12.0, 64)
    assert np.isnan(got).all()  # undefined strike; stance shorter than the fit start


def test_same_pulse_shape_with_longer_left_contact_passes_the_shape_check():
    contacts = [0.27, 0.24] * 30  # left 30 ms longer, same half-sine shape
    x, ic, to = stance_train(contacts, 0.36)
    side = np.array(["L", "R"] * 30)
    assert _symmetry.side_shape_difference(x, ic, to, side) < 0.01


def test_a_per_side_tail_or_a_biased_contact_fails_the_shape_check():
    x, ic, to = stance_train([0.25] * 60, 0.36, tail_g=0.8)
    side = np.array(["L", "R"] * 30)
    assert _symmetry.side_shape_difference(x, ic, to, side) > _symmetry.SHAPE_MAX_DIFF
    x, ic, to = stance_train([0.25] * 60, 0.36)
    biased_to = to + np.where(side == "L", 0.03 * FS, 0.0)  # left contact measured 30 ms long
    assert _symmetry.side_shape_difference(x, ic, biased_to, side) > _symmetry.SHAPE_MAX_DIFF


def lr_steps(shape_diff, n=200, gct_left_extra=30.0):
    side = np.where(np.arange(n) % 2 == 0, "L", "R")
    contact = np.where(side == "L", 250.0 + gct_left_extra, 250.0)
    # strikes 15 ms early on the long-contact side: pulse centres evenly spaced every 0.35 s
    centre = 0.35 * np.arange(n)
    time_s = centre - 0.0005 * contact
    return {"time_s": time_s, "side": side, "bout": np.zeros(n, int), "ground_contact_ms": contact,
            "step_time_s": np.append(np.diff(time_s), np.nan), "lr_pulse_shape_diff": np.full(n, shape_diff)}


def test_left_right_reports_balance_only_when_the_pulses_match():
    steps = lr_steps(0.01)
    sel = np.ones(200, bool)
    ok = _symmetry.left_right(steps, sel)
    assert ok["gct_balance_left_pct"] == pytest.approx(100 * 280 / 530)
    assert ok["step_time_reference"] == _symmetry.STRIKE and ok["lr_note"] is None
    assert ok["step_time_asymmetry_pct"] == pytest.approx(100 * 0.03 / 0.35, rel=0.01)  # left strikes early
    bad = _symmetry.left_right(lr_steps(0.10), sel)
    assert bad["gct_balance_left_pct"] is None and "differ in shape" in bad["lr_note"]
    assert bad["step_time_reference"] == _symmetry.CENTRE
    assert bad["step_time_asymmetry_pct"] == pytest.approx(0.0, abs=1e-9)
    unchecked = _symmetry.left_right(lr_steps(np.nan), sel)
    assert unchecked["gct_balance_left_pct"] is None and unchecked["lr_note"]


# --- flags ---------------------------------------------------------------------------------------
def flag_steps(n=400, cadence=150.0, vo=9.0, impact=2.3, transient=0.8, seed=0):
    rng = np.random.default_rng(seed)
    step_time = 60.0 / cadence * (1 + 0.01 * rng.standard_normal(n))
    return {"time_s": np.cumsum(step_time), "side": np.where(np.arange(n) % 2 == 0, "L", "R"),
            "bout": np.zeros(n, int), "bout_kind": np.full(n, "run"), "step_time_s": step_time,
            "cadence_spm": 60.0 / step_time, "vertical_oscillation_cm": vo + 0.2 * rng.standard_normal(n),
            "ground_contact_ms": 250.0 + 5 * rng.standard_normal(n), "impact_g": impact + 0.05 * rng.standard_normal(n),
            "impact_transient_g": transient + 0.05 * rng.standard_normal(n)}


def flag_summary(steps, **running):
    keys = ("cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g", "impact_transient_g")
    med = {k: float(np.median(steps[k])) if np.isfinite(steps[k]).all() else None for k in keys}
    med.update(seconds=float(steps["step_time_s"].sum()), steps=int(steps["time_s"].size),
               gct_balance_left_pct=50.0, step_time_asymmetry_pct=0.0)
    med.update(running)
    return {"has_gyro": False, "running": med}


def test_a_hard_transient_with_low_cadence_is_jarring_even_with_moderate_peak_and_vo():
    steps = flag_steps()
    flags = evaluate_flags(flag_summary(steps), steps)
    assert flags[0]["code"] == "jarring_gait"
    hard = [f for f in flags if f["code"] == "hard_landing"]
    assert hard and hard[0]["metric"] == "impact_transient_g" and hard[0]["severity"] == "mild"
    assert hard[0]["threshold"] == th.HARD_LANDING_TRANSIENT_G[0]


def test_a_small_or_unmeasured_transient_is_not_a_hard_landing():
    for transient in (0.15, np.nan):
        steps = flag_steps(transient=transient)
        codes = [f["code"] for f in evaluate_flags(flag_summary(steps), steps)]
        assert codes == ["low_cadence"]


def test_step_time_asymmetry_from_pulse_centres_raises_no_flag():
    steps = flag_steps(cadence=178.0, transient=0.1)
    timed = {"step_time_asymmetry_pct": 8.0, "gct_balance_left_pct": None}
    assert [f["metric"] for f in evaluate_flags(flag_summary(steps, **timed), steps)] == ["step_time_asymmetry_pct"]
    timed["step_time_reference"] = _symmetry.CENTRE
    assert evaluate_flags(flag_summary(steps, **timed), steps) == []


# --- end to end ----------------------------------------------------------------------------------
@pytest.mark.parametrize("rate_hz,mount", [(100, "back"), (200, "chest")])
def test_simulated_transient_matches_truth_and_bouncy_back_is_jarring(rate_hz, mount):
    from runform.firmware_sim import simulate

    sim = simulate("bouncy", 60, rate_hz, 1, mount, False)
    s = analysis.analyze(sim.recording)
    truth = float(np.median(sim.truth.steps["impact_transient_g"][np.asarray(sim.truth.steps["gait"]) == "run"]))
    assert s.summary["running"]["impact_transient_g"] == pytest.approx(truth, abs=0.2)
    assert [f["code"] for f in s.flags][0] == "jarring_gait"


@pytest.mark.real_data
def test_hexoskin_jogs_report_no_balance_and_no_asymmetry_flag(real_dir):
    import pandas as pd

    from runform.sensors.recording import Metadata, Recording

    d = real_dir / "hexoskin_harlab"
    for subject in ("003", "004", "008", "010", "012"):
        df = pd.read_csv(d / f"hexoskin_{subject}_acc.csv")
        rec = Recording(df.time_s.to_numpy(), df[["acc_x", "acc_y", "acc_z"]].to_numpy() / 256.0, None,
                        Metadata(nominal_rate_hz=64))
        s = analysis.analyze(rec)
        running = s.summary["running"]
        assert running["lr_pulse_shape_diff"] > _symmetry.SHAPE_MAX_DIFF
        assert running["gct_balance_left_pct"] is None and running["step_time_reference"] == _symmetry.CENTRE
        assert abs(running["step_time_asymmetry_pct"]) < 7.0  # pulse centres: 0-6 %
        assert running["impact_transient_g"] is None  # 64 Hz: not measurable
        assert "asymmetry" not in [f["code"] for f in s.flags]
