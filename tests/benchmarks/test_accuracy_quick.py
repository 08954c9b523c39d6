"""A small, fast subset of benchmarks/accuracy.py: issue-3 targets on easy simulator conditions.

Easy = mid-range cadence and contact, a small heel-strike transient, 52-200 Hz, chest and back,
with and without gyro (noise, drift and a random mount rotation stay on). The full sweep with its
hard corners is ``python benchmarks/accuracy.py``; these cases must pass so regressions show in
``make test``.
"""

from __future__ import annotations

import pytest

from benchmarks._accuracy import scoring, sim_sweep
from benchmarks.accuracy import (T_CADENCE, T_CONTACT, T_IC_BIAS, T_IC_SD, T_LABEL, T_PRECISION, T_RECALL,
                                 T_ROTATION, T_VO)

EASY = [
    sim_sweep.Case(0, 11, 100.0, "chest", True, 170.0, 240.0, 0.5, 30.0, 112.0),
    sim_sweep.Case(1, 12, 52.0, "back", False, 160.0, 250.0, 0.8, -20.0, 105.0),
    sim_sweep.Case(2, 13, 200.0, "chest", False, 180.0, 220.0, 0.3, 10.0, 118.0),
]


@pytest.mark.parametrize("case", EASY, ids=lambda c: f"{c.rate_hz:g}Hz-{c.mount}-gyro{c.gyro}")
def test_easy_case_meets_targets(case):
    r = sim_sweep.score_case(case)
    assert r.error is None
    checks = {"recall_pct": T_RECALL, "precision_pct": T_PRECISION, "ic_bias_ms": T_IC_BIAS, "ic_sd_ms": T_IC_SD,
              "cadence_err_spm": T_CADENCE, "vo_err_cm": T_VO, "contact_err_ms": T_CONTACT, "label_pct": T_LABEL}
    if case.gyro:
        checks["rotation_err_deg"] = T_ROTATION
    missed = {k: getattr(r, k) for k, t in checks.items() if not t.met(getattr(r, k))}
    assert not missed, f"{missed} for {case.reproduce()}"


@pytest.mark.parametrize("profile", ["bouncy", "easy"])
def test_profile_flags(profile):
    fc = sim_sweep.score_flag_case(sim_sweep.FlagCase(profile, 500, 100.0, "chest", True))
    assert fc.ok, f"{profile} raised {fc.codes}"


def test_match_strikes_one_to_one():
    truth = [1.0, 1.35, 1.70, 2.05]
    found = [1.01, 1.02, 1.36, 1.79, 2.30]  # a double detection, a late one (90 ms), a spurious one
    m = scoring.match_strikes(truth, found, 0.35)
    assert sorted(m.truth_idx.tolist()) == [0, 1, 2]
    assert m.recall_pct == 75.0 and m.precision_pct == 60.0
    assert m.bias_ms == pytest.approx((10 + 10 + 90) / 3, abs=1e-6)


def test_label_agreement_counts_time():
    class B:
        def __init__(self, kind, a, b):
            self.kind, self.start_s, self.end_s = kind, a, b

    bounds = [(0.0, 10.0, "stand"), (10.0, 30.0, "run")]
    all_time, excl = sim_sweep.label_agreement(bounds, [B("stand", 0, 11), B("run", 11, 30)], 30.0)
    assert all_time == pytest.approx(100 * 29 / 30, abs=0.2)
    assert excl == 100.0
