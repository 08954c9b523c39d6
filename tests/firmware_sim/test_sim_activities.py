"""The activities of a real session in firmware_sim: sitting, stairs up and down, a sprint finish."""

import numpy as np
import pytest

from runform.firmware_sim import simulate
from runform.firmware_sim.profiles import ProfileError, Segment, apply_overrides, expected_label, get_profile


@pytest.fixture(scope="module")
def day():
    return simulate("day", rate_hz=52, seed=5)


def test_schedule_kinds_and_their_labels(day):
    kinds = [b["kind"] for b in day.truth.bouts]
    assert kinds == ["sit", "stand", "walk", "stairs_up", "walk", "stairs_down", "walk", "run", "sprint", "walk",
                     "stand", "sit"]
    assert {b["kind"]: b["label"] for b in day.truth.bouts} == {
        "sit": "stand", "stand": "stand", "walk": "walk", "stairs_up": "walk", "stairs_down": "walk",
        "run": "run", "sprint": "run"}


def test_stairs_have_double_support_and_the_sprint_flies(day):
    st = day.truth.steps
    for kind in ("stairs_up", "stairs_down"):
        sel = st["activity"] == kind
        assert sel.sum() > 20
        assert (st["contact_ms"][sel] > st["step_ms"][sel]).all()  # both feet down at some point of every step
        assert (st["gait"][sel] == "walk").all()
    sprint = st["activity"] == "sprint"
    assert np.median(st["cadence_spm"][sprint]) == pytest.approx(196.0, abs=3.0)
    assert (st["flight_ms"][sprint] > 0).all()
    run = st["activity"] == "run"
    assert np.median(st["cadence_spm"][sprint]) > np.median(st["cadence_spm"][run]) + 25


def test_sitting_tilts_the_trunk_and_is_still(day):
    k, profile = day.kinematics, day.profile
    sit = day.truth.bouts[0]
    mid = (k.t > sit["start_s"] + 5) & (k.t < sit["end_s"] - 5)
    assert np.median(k.pitch_deg[mid]) == pytest.approx(profile.sit_lean_deg, abs=0.5)
    assert np.std(k.sf_world_g[mid]) < 1e-3
    stand = day.truth.bouts[1]
    mid = (k.t > stand["start_s"] + 3) & (k.t < stand["end_s"] - 3)
    assert abs(np.median(k.pitch_deg[mid])) < 1.0


def test_overrides_reach_the_other_gaits_and_bad_kinds_are_refused():
    p = apply_overrides(get_profile("day"), stairs_down_cadence_spm=130.0, sprint_cadence_spm=205.0, sit_lean_deg=20.0)
    assert (p.stairs_down.cadence_spm, p.sprint.cadence_spm, p.sit_lean_deg) == (130.0, 205.0, 20.0)
    with pytest.raises(ProfileError):
        Segment("jump", 10.0)
    with pytest.raises(ProfileError):
        apply_overrides(get_profile("day"), sprint_contact_ms=400.0)  # no flight left at 196 spm
    assert expected_label("stairs_down") == "walk" and expected_label("sit") == "stand"
