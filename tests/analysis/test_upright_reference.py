"""Forward lean only against a posture recognised as upright standing (issue 12, item 4)."""

import numpy as np
import pytest

from runform import analysis
from runform.analysis._stage1_prepare import recognise_upright
from runform.firmware_sim import simulate
from runform.firmware_sim.profiles import get_profile


def _up(pitch_deg):
    a = np.radians(pitch_deg)
    return 100.0 * np.array([-np.sin(a), 0.0, np.cos(a)])  # summed specific force of a still stretch


def test_sitting_is_not_the_reference_standing_is():
    p = analysis.DEFAULT
    ref, why = recognise_upright([_up(-15.0), _up(0.5)], walk=_up(3.0), run=None, preset=p)
    assert why is None and ref @ (_up(0.5) / 100.0) == pytest.approx(1.0)
    ref, why = recognise_upright([_up(-15.0), _up(25.0)], walk=_up(3.0), run=None, preset=p)
    assert ref is None and "differs from walking by 18°" in why
    ref, why = recognise_upright([_up(88.0)], walk=None, run=_up(8.0), preset=p)  # lying, then a run
    assert ref is None and "running" in why
    ref, why = recognise_upright([], walk=_up(3.0), run=_up(8.0), preset=p)
    assert ref is None and "no standing still" in why


@pytest.mark.parametrize("stand", [True, False])
def test_a_session_that_starts_seated(stand):
    prof = get_profile("day")
    schedule = prof.schedule if stand else tuple(s for s in prof.schedule if s.kind != "stand")
    sim = simulate("day", rate_hz=52, seed=8, mount="chest", schedule=schedule, duration_s=sum(s.duration_s for s in schedule))
    s = analysis.analyze(sim.recording)
    lean = s.summary["running"]["forward_lean_deg"]
    if stand:  # sitting at -15° is left out: the lean is the run's (8°; the sprint's 10°) against standing
        assert lean == pytest.approx(8.5, abs=1.5)
        assert not any("forward lean" in n for n in s.summary["notes"])
    else:
        assert lean is None
        assert any(n.startswith("forward lean not measured: the still posture differs from walking") for n in s.summary["notes"])
