"""Speed context and placement (issue 12, items 1 and 2): step length, vertical ratio, cadence judged for
the speed, bands and wording for where the sensor was worn."""

import numpy as np
import pytest

from runform import analysis
from runform.analysis import catalogue, placement, speed
from runform.analysis.flags import evaluate_flags
from runform.firmware_sim import simulate


@pytest.fixture(scope="module")
def easy():
    return simulate("easy", 60, rate_hz=100, seed=4, mount="back")


def test_step_length_and_vertical_ratio_follow_the_given_speed(easy):
    s = analysis.analyze(easy.recording, speed_mps=2.8)
    st = s.steps
    run = st["bout_kind"] == "run"
    np.testing.assert_allclose(st["step_length_m"][run], 2.8 * st["step_time_s"][run])
    np.testing.assert_allclose(st["vertical_ratio_pct"][run], st["vertical_oscillation_cm"][run] / st["step_length_m"][run])
    assert np.isnan(st["step_length_m"][~run]).all()
    r = s.summary["running"]
    assert r["speed_mps"] == 2.8
    assert r["step_length_m"] == pytest.approx(2.8 * 60.0 / r["cadence_spm"], rel=0.01)
    assert r["vertical_ratio_pct"] == pytest.approx(r["vertical_oscillation_cm"] / r["step_length_m"], rel=0.03)
    run_bout = next(b for b in s.summary["bouts"] if b["kind"] == "run")
    assert run_bout["speed_mps"] == 2.8 and run_bout["step_length_m"] > 0.8
    ctx = s.summary["context"]
    assert ctx["placement"] == "upper_back" and ctx["placement_source"] == "recording"  # simulator's "back"
    assert ctx["pace"] == "5:57 min/km" and ctx["expected_cadence_spm"] == pytest.approx(159.3, abs=0.1)


def test_without_speed_the_columns_are_null_and_the_summary_says_so(easy):
    s = analysis.analyze(easy.recording)
    r = s.summary["running"]
    assert r["step_length_m"] is None and r["vertical_ratio_pct"] is None and r["speed_mps"] is None
    assert any(n.startswith("running speed unknown") for n in s.summary["notes"])
    assert s.summary["context"]["speed_mps"] is None


def test_placement_given_wins_and_bad_values_are_one_line_errors(easy):
    assert analysis.analyze(easy.recording, placement="waist").summary["context"]["placement"] == "waist"
    with pytest.raises(analysis.AnalysisError, match="unknown placement"):
        analysis.analyze(easy.recording, placement="knee")
    with pytest.raises(analysis.AnalysisError, match="outside"):
        analysis.analyze(easy.recording, speed_mps=0.0)
    assert placement.normalise("back") == "upper_back" and placement.normalise("neck") == "neck_pouch"


def test_expected_cadence_is_the_published_relation():
    for v, spm in zip(speed.RELATION_SPEED_MPS, speed.RELATION_CADENCE_SPM):
        assert speed.expected_cadence_spm(v) == pytest.approx(spm, abs=1.5)  # a straight line through 3 means
    assert speed.expected_cadence_spm(2.4587) == pytest.approx(155.3, abs=0.1)  # 5.5 mph
    assert speed.expected_cadence_spm(5.0) is None  # outside the range the relation covers


def test_bands_hold_only_where_published():
    vo = catalogue.metric("vertical_oscillation_cm")
    assert vo.band_of(10.5, placement="chest") == "orange"  # HRM 9.8-11.5
    assert vo.band_of(10.5, placement="waist") == "green"  # RDP 9.0-10.9
    assert vo.band_of(10.5, placement="hip") == "none"
    assert catalogue.metric("cadence_spm").band_of(150.0, placement="neck_pouch") == "red"
    assert catalogue.metric("ground_contact_ms").band_of(300.0, placement="neck_pouch") == "none"
    assert catalogue.metric("vertical_ratio_pct").band_of(9.0, placement="sacrum") == "green"  # RDP 8.4-10.0


def _summary(cadence=154.0, vo=10.5, impact=2.2, gct=250.0, context=None):
    running = {"seconds": 120.0, "steps": 300, "cadence_spm": cadence, "vertical_oscillation_cm": vo,
               "ground_contact_ms": gct, "impact_g": impact, "gct_balance_left_pct": 50.0,
               "step_time_asymmetry_pct": 0.0}
    if context and context.get("speed_mps"):
        running["step_length_m"] = context["speed_mps"] * 60.0 / cadence
        running["vertical_ratio_pct"] = vo / running["step_length_m"]
    return {"running": running, "has_gyro": False, "context": context or {}}


def _codes(flags):
    return {f["code"]: f for f in flags}


def test_cadence_is_judged_for_the_speed():
    slow_jog = {"placement": "chest", "speed_mps": 2.4587}  # a Hexoskin treadmill jog
    assert "low_cadence" not in _codes(evaluate_flags(_summary(154.0, vo=8.0, context=slow_jog), None))
    flag = _codes(evaluate_flags(_summary(138.0, vo=8.0, context=slow_jog), None))["low_cadence"]
    assert flag["severity"] == "marked" and "for your speed of 8.85 km/h" in flag["message"]
    assert "van Oeveren" in flag["source"] and flag["threshold"] == pytest.approx(0.9 * 155.31, abs=0.05)
    unknown = _codes(evaluate_flags(_summary(140.0, vo=8.0), None))["low_cadence"]
    assert unknown["severity"] == "mild" and "does not know your speed" in unknown["message"]


def test_bounce_at_a_known_speed_is_judged_per_metre_and_names_the_placement():
    flags = _codes(evaluate_flags(_summary(160.0, vo=11.0, context={"placement": "chest", "speed_mps": 2.46}), None))
    assert flags["bouncy_gait"]["metric"] == "vertical_ratio_pct"
    assert flags["bouncy_gait"]["message"].startswith("Your chest rose and fell 11.0 cm for every")
    waist = _codes(evaluate_flags(_summary(170.0, vo=10.5, context={"placement": "waist"}), None))
    assert "bouncy_gait" not in waist  # 10.5 cm is green on Garmin's waist pod
    hip = _codes(evaluate_flags(_summary(170.0, vo=14.0, gct=330.0, context={"placement": "hip"}), None))
    assert "bouncy_gait" not in hip and "long_ground_contact" not in hip  # no band holds at the hip
    back = _codes(evaluate_flags(_summary(170.0, vo=12.0, context={"placement": "upper_back"}), None))
    assert "Your upper back moved up and down 12.0 cm" in back["bouncy_gait"]["message"]


def test_hexoskin_jogs_are_judged_for_their_speed(real_dir):
    from runform.sensors import load_recording

    for subject in ("003", "004", "008", "010", "012"):
        rec = load_recording(real_dir / "hexoskin_harlab" / f"hexoskin_{subject}_acc.csv")
        s = analysis.analyze(rec, speed_mps=5.5 * 0.44704)
        r = s.summary["running"]
        # consistent with its own cadence and bounce
        assert r["step_length_m"] == pytest.approx(2.4587 * 60.0 / r["cadence_spm"], rel=0.02)
        assert r["vertical_ratio_pct"] == pytest.approx(r["vertical_oscillation_cm"] / r["step_length_m"], rel=0.05)
        assert "low_cadence" not in {f["code"] for f in s.flags}  # 154-161 spm is what beginners choose at 8.85 km/h
