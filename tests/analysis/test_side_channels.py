"""Heart rate and footpod speed from the strap's side channels (the sidecar's ``extra``, issue 12 items 1, 5)."""

import numpy as np
import pytest

from runform import analysis
from runform.firmware_sim import simulate


@pytest.fixture(scope="module")
def intervals():
    """The first 9.5 minutes of a Couch-to-5K week one (a 5 min walk, then run / walk intervals)."""
    return simulate("c25k", 570, rate_hz=52, seed=6).recording


def _with(rec, **extra):
    rec.meta.extra = dict(extra)
    return rec


def test_heart_rate_per_bout_and_its_drift(intervals):
    t = np.arange(0.0, 570.0, 1.0)
    bpm = np.where(t < 300, 100.0, 140.0 + 0.05 * (t - 300))  # walking, then a slow rise while running
    rec = _with(intervals, heart_rate={"time_s": t.tolist(), "bpm": bpm.tolist(), "rr_ms": []})
    s = analysis.analyze(rec)
    runs = [b for b in s.bouts if b.kind == "run"]
    assert len(runs) >= 2 and all(140 <= b.heart_rate_bpm <= 155 for b in runs)
    assert s.summary["walking"]["heart_rate_bpm"] == pytest.approx(100.0, abs=8.0)
    first, last = runs[0], runs[-1]
    expected = 0.05 * ((last.start_s + last.end_s) / 2 - (first.start_s + first.end_s) / 2)
    assert s.summary["running"]["heart_rate_drift_bpm"] == pytest.approx(expected, abs=1.0)
    assert s.summary["bouts"][0]["heart_rate_bpm"] is not None or s.bouts[0].kind == "stand"


def test_without_heart_rate_the_fields_are_null(intervals):
    s = analysis.analyze(_with(intervals))
    assert s.summary["running"]["heart_rate_bpm"] is None and s.summary["running"]["heart_rate_drift_bpm"] is None
    assert all(b["heart_rate_bpm"] is None for b in s.summary["bouts"])


def test_a_footpod_gives_the_running_speed(intervals):
    t = np.arange(0.0, 570.0, 1.0)
    rec = _with(intervals, running_speed_cadence={"time_s": t.tolist(), "speed_m_s": np.full(t.size, 2.4).tolist(),
                                                  "cadence_per_min": np.full(t.size, 76.0).tolist()})
    s = analysis.analyze(rec)
    ctx = s.summary["context"]
    assert ctx["speed_source"] == "footpod (BLE RSC)" and ctx["speed_mps"] == pytest.approx(2.4)
    r = s.summary["running"]
    assert r["step_length_m"] == pytest.approx(2.4 * 60.0 / r["cadence_spm"], rel=0.02)
    # a given speed wins over the footpod
    assert analysis.analyze(rec, speed_mps=3.0).summary["context"]["speed_source"] == "given"


def test_the_interval_fade_is_speed_adjusted_with_a_footpod():
    """Three run intervals of a Couch-to-5K week one with a footpod: the trend compares the first and the last
    interval with what the footpod's change of speed predicts (analysis.flags, van Oeveren et al. 2017)."""
    from runform.analysis.trend import speed_adjustment_text
    from runform.analysis.speed import cadence_change_spm

    rec = simulate("c25k", 690, rate_hz=52, seed=6).recording
    t = np.arange(0.0, 690.0, 1.0)
    v = np.where(t > 600.0, 2.2, 2.4)  # the third run interval slower
    s = analysis.analyze(_with(rec, running_speed_cadence={"time_s": t.tolist(), "speed_m_s": v.tolist(),
                                                           "cadence_per_min": np.full(t.size, 76.0).tolist()}))
    trend = s.summary["running"]["trend"]
    assert trend["intervals"] >= 3 and trend["speed_adjusted"]
    sp = trend["speed"]
    assert sp["first_mps"] == pytest.approx(2.4) and sp["last_mps"] == pytest.approx(2.2)
    expected = trend["first"]["cadence_spm"] + cadence_change_spm(2.4, 2.2)
    assert sp["cadence_expected_spm"] == pytest.approx(expected)
    beyond = sp["speed_adjusted_change_pct"]["cadence_spm"]
    assert beyond == pytest.approx(100 * (trend["last"]["cadence_spm"] - expected) / trend["first"]["cadence_spm"])
    assert "8.6 -> 7.9 km/h" in speed_adjustment_text(trend)
    # without the footpod the same session's comparison says it is not speed-adjusted
    plain = analysis.analyze(_with(rec)).summary["running"]["trend"]
    assert plain["speed"] is None and speed_adjustment_text(plain) == "not adjusted for speed (speed unknown)"
