"""Flags on constructed summaries and step tables with known patterns."""

from __future__ import annotations

import numpy as np
import pytest

from runform.analysis import _thresholds as th
from runform.analysis.flags import FORM_CUE_DISCLAIMER, band, evaluate_flags
from runform.analysis.trend import session_trend
from runform.sensors.errors import InputError

FLAG_KEYS = {"code", "severity", "metric", "value", "threshold", "source", "message", "advice"}


def make_steps(n=600, cadence=178.0, vo=7.0, impact=2.2, gct=230.0, kind="run", rotation=np.nan,
               gct_left_extra=0.0, seed=0, start_s=0.0):
    """A step table with small step-to-step scatter around the given medians."""
    rng = np.random.default_rng(seed)
    step_time = 60.0 / cadence * (1 + 0.01 * rng.standard_normal(n))
    side = np.where(np.arange(n) % 2 == 0, "L", "R")
    contact = gct + 5.0 * rng.standard_normal(n) + np.where(side == "L", gct_left_extra, 0.0)
    return {
        "time_s": start_s + np.cumsum(step_time),
        "side": side,
        "bout": np.zeros(n, int),
        "bout_kind": np.full(n, kind),
        "step_time_s": step_time,
        "cadence_spm": 60.0 / step_time,
        "vertical_oscillation_cm": vo + 0.3 * rng.standard_normal(n),
        "ground_contact_ms": contact,
        "flight_ms": 1000 * step_time - contact,
        "duty_factor": contact / (1000 * step_time),
        "impact_g": impact + 0.05 * rng.standard_normal(n),
        "impact_slope_g_per_s": np.full(n, 25.0),
        "trunk_rotation_deg": np.full(n, rotation),
        "forward_lean_deg": np.full(n, 5.0),
        "lateral_sway_cm": np.full(n, 2.0),
    }


def concat(*tables):
    return {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}


def summarize(steps, has_gyro=False):
    """The fields of runform.summary/1 that the flags read, from run-bout steps."""
    run = steps["bout_kind"] == "run"
    walk = steps["bout_kind"] == "walk"

    def med(key):
        return float(np.nanmedian(steps[key][run])) if run.any() else None

    gct_l = np.median(steps["ground_contact_ms"][run & (steps["side"] == "L")]) if run.any() else 0
    gct_r = np.median(steps["ground_contact_ms"][run & (steps["side"] == "R")]) if run.any() else 0
    running = None
    if run.any():
        running = {
            "seconds": float(steps["step_time_s"][run].sum()), "steps": int(run.sum()),
            "cadence_spm": med("cadence_spm"),
            "vertical_oscillation_cm": med("vertical_oscillation_cm"),
            "ground_contact_ms": med("ground_contact_ms"), "flight_ms": med("flight_ms"),
            "duty_factor": med("duty_factor"), "impact_g": med("impact_g"),
            "trunk_rotation_deg": med("trunk_rotation_deg") if has_gyro else None,
            "forward_lean_deg": med("forward_lean_deg"),
            "gct_balance_left_pct": float(100 * gct_l / (gct_l + gct_r)),
            "step_time_asymmetry_pct": 0.0,
        }
    return {"schema": "runform.summary/1", "duration_s": float(steps["time_s"][-1]),
            "sample_rate_hz": 100.0, "has_gyro": has_gyro, "bouts": [], "running": running,
            "walking": {"seconds": float(steps["step_time_s"][walk].sum()),
                        "steps": int(walk.sum()), "cadence_spm": None},
            "flags": []}


def codes(flags):
    return [f["code"] for f in flags]


def test_bouncy_pattern_raises_jarring_gait_first():
    steps = make_steps(cadence=150.0, vo=11.0, impact=2.8, gct=300.0)
    flags = evaluate_flags(summarize(steps), steps)
    assert flags[0]["code"] == "jarring_gait"
    # without a speed the speed-dependent judgements are softened to "mild" and say so
    assert flags[0]["severity"] == "mild" and "does not know your speed" in flags[0]["message"]
    assert {"bouncy_gait", "hard_landing", "low_cadence", "long_ground_contact"} <= set(codes(flags))
    for flag in flags:
        assert set(flag) == FLAG_KEYS
        assert flag["severity"] in {"info", "mild", "marked"}
        assert flag["source"] and flag["message"] and flag["advice"]


def test_two_of_three_conditions_is_mild_jarring():
    steps = make_steps(cadence=170.0, vo=10.5, impact=2.9)
    flags = evaluate_flags(summarize(steps), steps)
    assert flags[0]["code"] == "jarring_gait" and flags[0]["severity"] == "mild"


def test_only_bouncy_is_not_jarring():
    steps = make_steps(cadence=178.0, vo=10.5, impact=2.2)
    assert codes(evaluate_flags(summarize(steps), steps)) == ["bouncy_gait"]


def test_easy_runner_raises_nothing():
    steps = make_steps(cadence=178.0, vo=7.0, impact=2.2, gct=230.0, rotation=15.0)
    assert evaluate_flags(summarize(steps, has_gyro=True), steps) == []


def test_walking_only_raises_nothing():
    steps = make_steps(cadence=110.0, vo=12.0, impact=3.5, gct=600.0, kind="walk")
    summary = summarize(steps)
    assert summary["running"] is None
    assert evaluate_flags(summary, steps) == []


def test_walking_steps_do_not_count_in_a_run_session():
    # Jarring-looking walk and stand steps around an easy run: still nothing.
    walk = make_steps(n=300, cadence=110.0, vo=12.0, impact=3.5, gct=600.0, kind="walk")
    run = make_steps(n=300, start_s=walk["time_s"][-1] + 1, seed=1)
    steps = concat(walk, run)
    assert evaluate_flags(summarize(steps), steps) == []


def test_too_little_running_raises_nothing():
    steps = make_steps(n=20, cadence=150.0, vo=12.0, impact=3.2)
    assert evaluate_flags(summarize(steps), steps) == []


def test_no_gyro_never_flags_trunk_rotation():
    steps = make_steps(rotation=45.0)
    summary = summarize(steps, has_gyro=False)
    summary["running"]["trunk_rotation_deg"] = 45.0  # even if a value slipped in
    assert "excess_trunk_rotation" not in codes(evaluate_flags(summary, steps))
    assert "excess_trunk_rotation" in codes(evaluate_flags(summarize(steps, True), steps))


def easy_summary():
    steps = make_steps()
    return summarize(steps), steps


SPEED_DEPENDENT = {"bouncy_gait", "low_cadence", "long_ground_contact"}


@pytest.mark.parametrize(
    "metric, code, mild, marked, direction",
    [
        ("vertical_oscillation_cm", "bouncy_gait", *th.BOUNCY_VO_CM, +1),
        ("impact_g", "hard_landing", *th.HARD_LANDING_G, +1),
        ("cadence_spm", "low_cadence", *th.LOW_CADENCE_SPM, -1),
        ("ground_contact_ms", "long_ground_contact", *th.LONG_GCT_MS, +1),
        ("trunk_rotation_deg", "excess_trunk_rotation", *th.TRUNK_ROTATION_DEG, +1),
        ("step_time_asymmetry_pct", "asymmetry", *th.STEP_TIME_ASYMMETRY_PCT, +1),
    ],
)
def test_threshold_boundaries(metric, code, mild, marked, direction):
    """Population limits at an unknown speed; a flag on a metric that grows with speed stays "mild"."""
    eps = 0.01
    summary, _ = easy_summary()
    summary["has_gyro"] = True
    summary["running"]["trunk_rotation_deg"] = 10.0

    def severity_at(value):
        summary["running"][metric] = value
        # steps=None: judge the summary alone (no step-level jarring or noise gate)
        found = [f for f in evaluate_flags(summary, None) if f["code"] == code]
        return found[0]["severity"] if found else None

    assert severity_at(mild - direction * eps) is None
    assert severity_at(mild + direction * eps) == "mild"
    assert severity_at(marked - direction * eps) == "mild"
    assert severity_at(marked + direction * eps) == ("mild" if code in SPEED_DEPENDENT else "marked")


def test_balance_boundaries_both_sides():
    summary, _ = easy_summary()
    mild, marked = th.BALANCE_DEVIATION_PCT
    for sign in (+1, -1):
        for dev, expected in [(mild - 0.01, None), (mild + 0.01, "mild"), (marked + 0.01, "marked")]:
            summary["running"]["gct_balance_left_pct"] = 50.0 + sign * dev
            found = [f for f in evaluate_flags(summary, None) if f["code"] == "asymmetry"]
            assert (found[0]["severity"] if found else None) == expected


def test_real_contact_imbalance_is_flagged_and_noise_is_not():
    lopsided = make_steps(gct_left_extra=30.0)  # ~53.2 % left
    flags = evaluate_flags(summarize(lopsided), lopsided)
    assert [f["metric"] for f in flags if f["code"] == "asymmetry"] == ["gct_balance_left_pct"]
    # Same balance claimed, but so much step-to-step scatter behind it that it is within noise.
    noisy = make_steps(n=120, seed=3)
    noisy["ground_contact_ms"] = noisy["ground_contact_ms"] + 60 * np.random.default_rng(4).standard_normal(120)
    summary = summarize(noisy)
    summary["running"]["gct_balance_left_pct"] = 52.5
    assert "asymmetry" in codes(evaluate_flags(summary, None))  # no steps: no noise gate
    assert "asymmetry" not in codes(evaluate_flags(summary, noisy))


def fading_session(rise_cm):
    """20 min of running whose VO climbs linearly by rise_cm at constant cadence."""
    steps = make_steps(n=3500, vo=7.0)
    progress = np.linspace(0.0, 1.0, steps["time_s"].size)
    steps["vertical_oscillation_cm"] = steps["vertical_oscillation_cm"] + rise_cm * progress
    return steps


def test_form_fades_from_own_baseline():
    steps = fading_session(rise_cm=1.4)  # ~ +19 % last vs first 2 min
    trend = session_trend(steps)
    change = trend["cadence_adjusted_change_pct"]["vertical_oscillation_cm"]
    assert 15 < change < 22
    flags = evaluate_flags(summarize(steps), steps)
    fades = [f for f in flags if f["code"] == "form_fades"]
    assert fades and fades[0]["severity"] == "mild" and "own baseline" in fades[0]["source"]


def test_steady_session_does_not_fade():
    steps = fading_session(rise_cm=0.0)
    assert "form_fades" not in codes(evaluate_flags(summarize(steps), steps))


def test_cadence_change_alone_is_not_fading():
    # VO falls as cadence rises and vice versa; a late cadence drop raises VO "explained" by cadence.
    steps = make_steps(n=3500)
    cadence = np.where(np.arange(steps["time_s"].size) > 3000, 165.0, 178.0)
    steps["cadence_spm"] = cadence
    steps["step_time_s"] = 60.0 / cadence
    steps["vertical_oscillation_cm"] = 7.0 + 0.1 * (178.0 - cadence)
    trend = session_trend(steps)
    assert abs(trend["cadence_adjusted_change_pct"]["vertical_oscillation_cm"]) < 2


def test_trend_needs_enough_running():
    assert session_trend(make_steps(n=600)) is None  # ~3.4 min of running


def test_summary_trend_is_used_when_present():
    summary, steps = easy_summary()
    summary["running"]["trend"] = {
        "window_s": 120.0,
        "cadence_adjusted_change_pct": {"vertical_oscillation_cm": 25.0, "ground_contact_ms": 1.0,
                                        "impact_g": 0.0},
        "noise_pct": {"vertical_oscillation_cm": 1.0, "ground_contact_ms": 1.0, "impact_g": 1.0},
    }
    fades = [f for f in evaluate_flags(summary, steps) if f["code"] == "form_fades"]
    assert fades[0]["severity"] == "marked" and fades[0]["value"] == 25.0


@pytest.mark.parametrize(
    "metric, value, colour",
    [
        ("cadence_spm", 152.4, "red"), ("cadence_spm", 153, "orange"), ("cadence_spm", 163.5, "green"),
        ("cadence_spm", 178, "blue"), ("cadence_spm", 184, "purple"),
        ("ground_contact_ms", 200, "purple"), ("ground_contact_ms", 230, "blue"),
        ("ground_contact_ms", 260, "green"), ("ground_contact_ms", 290, "orange"),
        ("ground_contact_ms", 320, "red"),
        ("vertical_oscillation_cm", 6.0, "purple"), ("vertical_oscillation_cm", 7.0, "blue"),
        ("vertical_oscillation_cm", 9.7, "green"), ("vertical_oscillation_cm", 9.8, "orange"),
        ("vertical_oscillation_cm", 11.6, "red"),
        ("gct_balance_left_pct", 50.7, "green"), ("gct_balance_left_pct", 49.2, "orange"),
        ("gct_balance_left_pct", 52.3, "red"),
        ("impact_g", 2.0, "none"), ("cadence_spm", None, "none"), ("cadence_spm", float("nan"), "none"),
    ],
)
def test_band(metric, value, colour):
    assert band(metric, value) == colour


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError):
        evaluate_flags([], None)
    steps = make_steps()
    del steps["impact_g"]
    with pytest.raises(InputError, match="impact_g"):
        evaluate_flags(summarize(make_steps()), steps)


def test_disclaimer_says_not_a_diagnosis():
    assert "not a diagnosis" in FORM_CUE_DISCLAIMER


@pytest.mark.parametrize("profile, expected", [("easy", []), ("bouncy", ["jarring_gait"])])
def test_simulator_profiles_on_their_ground_truth(profile, expected):
    """The flags on firmware_sim's own per-step truth (no step detection involved)."""
    from runform.firmware_sim.session import simulate

    truth = simulate(profile, duration_s=120, rate_hz=100, seed=1, gyro=True).truth.steps
    n = truth["ic_s"].size
    steps = {
        "time_s": truth["ic_s"], "side": np.where(truth["is_left"], "L", "R"),
        "bout": truth["bout"], "bout_kind": np.where(truth["gait"] == "run", "run", "walk"),
        "step_time_s": truth["step_ms"] / 1000, "cadence_spm": truth["cadence_spm"],
        "vertical_oscillation_cm": truth["vo_sensor_cm"], "ground_contact_ms": truth["contact_ms"],
        "flight_ms": truth["flight_ms"], "duty_factor": truth["duty_factor"],
        "impact_g": truth["peak_g"], "impact_slope_g_per_s": np.full(n, np.nan),
        "trunk_rotation_deg": truth["yaw_range_deg"], "forward_lean_deg": np.zeros(n),
        "lateral_sway_cm": np.zeros(n),
    }
    flags = evaluate_flags(summarize(steps, has_gyro=True), steps)
    assert codes(flags)[:1] == expected


def _intervals(vo_last, n_runs=8, steps_per_run=150):
    """A Couch-to-5K week one: ``n_runs`` run intervals (60 s each) with walks between; bounce of the last one."""
    parts = []
    for i in range(n_runs):
        start = i * 150.0
        run = make_steps(n=steps_per_run, cadence=152.0, vo=vo_last if i == n_runs - 1 else 10.0, seed=i, start_s=start)
        run["bout"] = np.full(steps_per_run, 2 * i)
        walk = make_steps(n=150, cadence=110.0, kind="walk", seed=100 + i, start_s=start + 60.0)
        walk["bout"] = np.full(150, 2 * i + 1)
        parts += [run, walk]
    return concat(*parts)


def test_interval_session_compares_its_first_and_last_runs():
    steps = _intervals(vo_last=12.5)
    trend = session_trend(steps)
    assert trend["intervals"] == 8 and trend["window_s"] is None
    assert trend["first"]["end_s"] < 70.0 and trend["last"]["start_s"] > 1000.0
    fades = [f for f in evaluate_flags(summarize(steps), steps) if f["code"] == "form_fades"]
    assert fades and "first to the last of your 8 run intervals" in fades[0]["message"]
    assert "8 run intervals" in fades[0]["source"] and "own" in fades[0]["source"]
    steady = _intervals(vo_last=10.0)
    assert "form_fades" not in codes(evaluate_flags(summarize(steady), steady))
    # two intervals are not a series: the continuous-running rule (8 min of running) applies
    assert session_trend(_intervals(vo_last=12.5, n_runs=2)) is None


def _intervals_with_speed(speeds, cadences, vos, n_steps=150):
    """Run intervals of 60 s with walks between, each run at its own footpod speed (m/s), cadence and bounce;
    step length and vertical ratio per step as ``analysis.speed`` makes them."""
    from runform.analysis import speed as speed_mod

    parts = []
    for i, (v, cad, vo) in enumerate(zip(speeds, cadences, vos)):
        start = i * 150.0
        run = make_steps(n=n_steps, cadence=cad, vo=vo, seed=i, start_s=start)
        run["bout"] = np.full(n_steps, 2 * i)
        walk = make_steps(n=150, cadence=110.0, kind="walk", seed=100 + i, start_s=start + 60.0)
        walk["bout"] = np.full(150, 2 * i + 1)
        for part, value in ((run, v), (walk, np.nan)):
            part["speed_mps"] = np.full(part["time_s"].size, value)
            part["step_length_m"] = speed_mod.step_length_m(part["speed_mps"], part["step_time_s"])
            part["vertical_ratio_pct"] = speed_mod.vertical_ratio_pct(part["vertical_oscillation_cm"], part["step_length_m"])
        parts += [run, walk]
    return concat(*parts)


def _fade(steps):
    return [f for f in evaluate_flags(summarize(steps), steps) if f["code"] == "form_fades"]


def test_interval_fade_allows_for_the_speed():
    from runform.analysis.speed import cadence_change_spm

    # slower last interval, cadence down by exactly what the speed change predicts, bounce unchanged: no fade
    slow = 2.3
    expected = 152.0 + cadence_change_spm(2.6, slow)
    steps = _intervals_with_speed([2.6] * 7 + [slow], [152.0] * 7 + [expected], [10.0] * 8)
    trend = session_trend(steps)
    assert trend["speed_adjusted"] and trend["speed"]["first_mps"] == pytest.approx(2.6)
    assert trend["speed"]["cadence_expected_spm"] == pytest.approx(expected, abs=0.5)
    assert abs(trend["speed"]["speed_adjusted_change_pct"]["cadence_spm"]) < 1.0
    assert abs(trend["speed"]["speed_adjusted_change_pct"]["vertical_ratio_pct"]) < 2.0
    assert not _fade(steps)
    # the same slowdown with the cadence falling 8 % more than it explains: longer, tiring strides
    steps = _intervals_with_speed([2.6] * 7 + [slow], [152.0] * 7 + [expected - 0.08 * 152.0], [10.0] * 8)
    fades = _fade(steps)
    assert fades and fades[0]["metric"] == "cadence_fall_beyond_speed_pct" and fades[0]["severity"] == "mild"
    assert "more than the change in speed explains" in fades[0]["message"]
    assert "van Oeveren" in fades[0]["source"] and "9.4 to 8.3 km/h" in fades[0]["message"]
    # bounce up 15 % in the last interval at the same speed and cadence: vertical ratio beyond the speed
    steps = _intervals_with_speed([2.6] * 8, [152.0] * 8, [10.0] * 7 + [11.5])
    trend = session_trend(steps)
    assert trend["speed"]["speed_adjusted_change_pct"]["vertical_ratio_pct"] == pytest.approx(15.0, abs=2.0)
    assert _fade(steps)


def test_a_faster_last_interval_is_not_a_fade_of_cadence():
    """Cadence rising with speed as the relation predicts is no fade; without the speed the same session's
    comparison says it is not speed-adjusted."""
    from runform.analysis.trend import speed_adjustment_text
    from runform.analysis.speed import cadence_change_spm

    steps = _intervals_with_speed([2.4] * 7 + [2.9], [152.0] * 7 + [152.0 + cadence_change_spm(2.4, 2.9)], [10.0] * 8)
    assert not _fade(steps)
    assert "beyond what that change predicts: cadence" in speed_adjustment_text(session_trend(steps))
    no_speed = {k: v for k, v in steps.items() if k not in ("speed_mps", "step_length_m", "vertical_ratio_pct")}
    trend = session_trend(no_speed)
    assert trend["speed"] is None and not trend["speed_adjusted"]
    assert speed_adjustment_text(trend) == "not adjusted for speed (speed unknown)"


def test_interval_fade_without_speed_says_so():
    fades = _fade(_intervals(vo_last=12.5))
    assert "not adjusted for speed (speed unknown)" in fades[0]["source"]
    assert "not adjusted for speed" in fades[0]["message"]


def test_speed_outside_the_relation_is_not_speed_adjusted():
    from runform.analysis.trend import speed_adjustment_text

    steps = _intervals_with_speed([4.0] * 8, [175.0] * 8, [9.0] * 8)
    trend = session_trend(steps)
    assert trend["speed"]["in_range"] is False and trend["speed_adjusted"] is False
    assert "not adjusted for speed (outside 7.6-11.5 km/h" in speed_adjustment_text(trend)


#: words by which a flag's message says what it was compared with (issue 12, done-when)
COMPARED_WITH = ("compared with", "Garmin", "runform's limit", "beginners", "your own")


@pytest.mark.parametrize("context", [None, {"placement": "chest", "speed_mps": 2.46},
                                     {"placement": "waist"}, {"placement": "upper_back", "speed_mps": 2.9}])
def test_every_flag_message_says_what_it_was_compared_with(context):
    heavy = make_steps(cadence=138.0, vo=12.5, impact=3.6, gct=330.0, rotation=45.0, gct_left_extra=40.0)
    heavy["impact_transient_g"] = np.full(heavy["time_s"].size, 1.5)
    tables = [heavy, _intervals(vo_last=13.0)]
    limp = make_steps(cadence=160.0)
    limp["step_time_s"] = np.where(limp["side"] == "L", 0.42, 0.33)
    limp["time_s"] = np.cumsum(limp["step_time_s"])
    limp["cadence_spm"] = 60.0 / limp["step_time_s"]
    tables.append(limp)
    seen = set()
    for steps in tables:
        summary = summarize(steps, has_gyro=True)
        if steps is limp:
            summary["running"]["step_time_asymmetry_pct"] = 24.0
        summary["running"]["impact_transient_g"] = 1.5
        if context:
            summary["context"] = dict(context)
            if context.get("speed_mps"):
                r = summary["running"]
                r["step_length_m"] = context["speed_mps"] * 60.0 / r["cadence_spm"]
                r["vertical_ratio_pct"] = r["vertical_oscillation_cm"] / r["step_length_m"]
        for f in evaluate_flags(summary, steps):
            seen.add(f["code"])
            assert f["source"], f
            assert any(w in f["message"] for w in COMPARED_WITH), (f["code"], f["message"])
    expected = {"jarring_gait", "hard_landing", "low_cadence", "asymmetry", "excess_trunk_rotation", "form_fades"}
    assert expected <= seen, seen
