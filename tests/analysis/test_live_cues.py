"""``analysis.live_cues``: the cue text names the conditions met; the tracker shows a cue only after the
jarring pattern persists for ``persist_steps`` run steps and clears when running stops."""

import numpy as np

from runform.analysis.live_cues import CuePreset, CueTracker, cue_text


def _steps(n, vo, impact, cadence, kind="run", t0=0.0):
    t = t0 + np.arange(n) * 60.0 / cadence
    return {"time_s": t, "bout_kind": np.full(n, kind), "vertical_oscillation_cm": np.full(n, vo),
            "impact_g": np.full(n, impact), "cadence_spm": np.full(n, cadence)}


def test_cue_text_names_the_conditions_met():
    assert cue_text({"vertical_oscillation_cm": 8.0, "impact_g": 2.0, "cadence_spm": 170}) is None
    text = cue_text({"vertical_oscillation_cm": 11.2, "impact_g": 2.0, "cadence_spm": 150})
    assert text == "bouncing: 11 cm, slow steps: 150 spm — shorter, quicker steps"


def test_tracker_needs_persistence_and_clears():
    tr = CueTracker(CuePreset(persist_steps=8))
    few = _steps(5, 11.0, 2.9, 150)
    assert tr.update(few, few["time_s"][-1]) is None and tr.active is None
    many = _steps(12, 11.0, 2.9, 150)
    cue = tr.update(many, many["time_s"][-1])
    assert cue is not None and cue.text.startswith("bouncing: 11 cm, landing hard: 2.9 g")
    assert tr.update(many, many["time_s"][-1] + 0.5) is None and tr.active is not None  # shown, not re-announced
    assert tr.update(many, many["time_s"][-1] + 10.0) is None and tr.active is None  # no run step lately
    light = _steps(12, 7.0, 2.2, 178)
    assert tr.update(light, light["time_s"][-1]) is None and tr.active is None
    assert len(tr.history) == 1
