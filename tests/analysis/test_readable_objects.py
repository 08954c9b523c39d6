"""What a user sees in a REPL: ``help(analyze)`` fits on a screen, a printed Session or Preset is one line."""

import pydoc

import pytest

import runform
from runform import analysis
from runform.analysis.live import LIVE_DEFAULT, LiveAnalyzer, LivePreset
from runform.analysis.live_cues import CUE_DEFAULT, CuePreset
from runform.analysis._session import Session
from runform.analysis.catalogue import metric

#: a signature line longer than this does not fit an ordinary terminal
SIGNATURE_MAX_CHARS = 120


@pytest.mark.parametrize("func", [runform.analyze, analysis.analyze, LiveAnalyzer.__init__])
def test_help_shows_a_short_signature(func):
    text = pydoc.render_doc(func, renderer=pydoc.plaintext)
    signature = next(line for line in text.splitlines() if "preset" in line)
    assert "preset: 'Preset' = Preset()" in signature
    assert "min_segment_s" not in text  # the preset's fields are not spelled out
    if func is not LiveAnalyzer.__init__:
        assert len(signature) <= SIGNATURE_MAX_CHARS


def test_preset_repr_names_only_what_differs_and_evaluates_back():
    changed = analysis.DEFAULT.with_(min_segment_s=6.0, cf_tau_s=2.5)
    assert repr(analysis.DEFAULT) == "Preset()"
    assert repr(changed) == "Preset(min_segment_s=6.0, cf_tau_s=2.5)"
    assert eval(repr(changed), {"Preset": analysis.Preset}) == changed
    assert repr(LIVE_DEFAULT) == "LivePreset()" and repr(CUE_DEFAULT) == "CuePreset()"
    assert isinstance(LIVE_DEFAULT, LivePreset) and isinstance(CUE_DEFAULT, CuePreset)


def test_a_printed_session_is_one_short_line_with_the_headlines():
    session = runform.analyze(runform.simulate("c25k", duration_s=600, rate_hz=50, seed=4).recording)
    text = repr(session)
    assert str(session) == text and "\n" not in text and len(text) < 400
    n_run = sum(b.kind == "run" for b in session.bouts)
    assert text.startswith(f"<Session {session.summary['duration_s']:.1f} s; bouts: {n_run} run")
    assert f"{len(session.steps['time_s'])} steps" in text
    cadence = metric("cadence_spm")
    assert f"{cadence.label.lower()} {cadence.format(session.summary['running']['cadence_spm'])}" in text
    assert all(f["code"] in text for f in session.flags)


def test_a_session_without_running_prints_no_running_figures():
    empty = Session(steps={}, bouts=[], summary={"duration_s": 3.0, "running": {"steps": 0, "cadence_spm": None}})
    assert repr(empty) == "<Session 3.0 s; bouts: none; 0 steps; flags: none>"
