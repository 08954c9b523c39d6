"""Only running is running: a run bout needs a flight phase; stairs and walking never become runs, and a
sprint finish is not a half-cadence walk (issue 12, item 3)."""

import numpy as np
import pytest

from runform import analysis
from runform.firmware_sim import simulate
from runform.sensors import load_recording


def _label_share(bouts, kind, start_s, end_s):
    got = sum(max(0.0, min(b.end_s, end_s) - max(b.start_s, start_s)) for b in bouts if b.kind == kind)
    return got / (end_s - start_s)


@pytest.mark.parametrize("rate_hz,mount", [(52, "chest"), (100, "back")])
def test_day_activities_get_their_labels(rate_hz, mount):
    sim = simulate("day", rate_hz=rate_hz, seed=21, mount=mount, random_mount=True)
    s = analysis.analyze(sim.recording)
    for b in sim.truth.bouts:
        if b["duration_s"] < 15:
            continue
        share = _label_share(s.bouts, b["label"], b["start_s"] + 2, b["end_s"] - 2)
        assert share > 0.98, (b["kind"], share, [(x.kind, x.start_s, x.end_s) for x in s.bouts])
    sprint = next(b for b in sim.truth.bouts if b["kind"] == "sprint")
    steps = s.steps
    sel = (steps["time_s"] > sprint["start_s"] + 2) & (steps["time_s"] < sprint["end_s"] - 2)
    assert np.median(steps["cadence_spm"][sel]) == pytest.approx(196.0, abs=4.0)


@pytest.fixture(scope="module")
def actigraph_028():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "actigraph_waist_harlab" / "028waist.csv"
    if not path.is_file():
        pytest.skip("../shared/data/real is not present (a user's clone has no ../shared)")
    return load_recording(path)


def test_actigraph_stairs_are_not_a_run(actigraph_028):
    s = analysis.analyze(actigraph_028)
    assert _label_share(s.bouts, "run", 716.0, 770.0) == 0.0
    assert _label_share(s.bouts, "walk", 716.0, 770.0) > 0.95
    # the running summary is the treadmill jog's (README estimate 162.7 spm)
    assert s.summary["running"]["cadence_spm"] == pytest.approx(162.7, abs=2.0)
    for b in s.bouts:
        if b.kind == "run":
            assert b.flight_ms > 50.0 and b.ground_contact_ms < 0.9 * 60000.0 / b.cadence_spm


def test_the_gate_is_what_demotes_them(actigraph_028):
    """Without the contact test (any contact fraction passes) the stairs come back as a run."""
    s = analysis.analyze(actigraph_028, analysis.DEFAULT.with_(run_max_contact_frac=2.0))
    assert _label_share(s.bouts, "run", 716.0, 770.0) > 0.5
