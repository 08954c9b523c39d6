"""Only running is running, on every shared real recording (issue 12, done-when; skipped without ../shared).

* No ``run`` bout without a flight phase: runform's own contact timing gives every run bout a flight of
  at least ``MIN_FLIGHT_MS`` and a contact below ``MAX_CONTACT_FRACTION`` of the step.
* The Hexoskin running summaries hold only the jog: every running step lies in the README's jog window,
  except in a bout that two measurements independent of runform's contact timing call running too —
  the Hexoskin firmware's own cadence (its 1 Hz cadence file) at a running rate, and a ballistic phase
  in the raw signal (the strap's |a| near free fall, below ``BALLISTIC_G``, in most steps: walking
  always has a foot on the ground). Hexoskin 003's 1415–1437 s is such a bout (docs/METRICS.md,
  "Only running is running"). The ActiGraph 028 running cadence against its jog is in
  ``test_run_physics.py``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from runform import analysis
from runform.sensors import load_recording

pytestmark = pytest.mark.real_data

MIN_FLIGHT_MS = 50.0
MAX_CONTACT_FRACTION = 0.9
#: the strap's |a| below this is near free fall (ballistic flight); walking stays well above it
BALLISTIC_G = 0.3
#: a bout outside the labelled jog counts as running when the device's own cadence is above this (spm;
#: walking cadence in these files is 85-125 spm, their jogs 153-162)
DEVICE_RUNNING_SPM = 140.0
HEXOSKIN = ("003", "004", "008", "010", "012")
#: the sacral trials are 4.96 s long: let shorter segments and bouts through
SHORT = analysis.DEFAULT.with_(min_segment_s=4.0, min_bout_s=2.0)

RECORDINGS = (
    *[f"hexoskin_harlab/hexoskin_{s}_acc.csv" for s in HEXOSKIN],
    "actigraph_waist_harlab/028waist.csv",
    "alcantara_sacral_treadmill/Sample_test_data.csv",
    "oxford_stepcounter_neckpouch/Pixel_Jamie_Hard_NeckPouch_1_accelerometer.csv",
    "oxford_stepcounter_neckpouch/Samsung_Carmelo_Hard_NeckPouch_1_accelerometer.csv",
    "oxford_stepcounter_neckpouch/Samsung_Dario_Hard_NeckPouch_1_accelerometer.csv",
    "oxford_stepcounter_neckpouch/user1_neckpouch_1506422851785.csv",
)
SACRAL_TRIALS = "alcantara_sacral_treadmill/Accelerometer_trials.csv"
N_SACRAL_TRIALS = 25


@lru_cache(maxsize=None)
def _analysed(path: str):
    """(recording, session) of one file, analysed once per test run (several tests read the same file)."""
    rec = load_recording(path)
    return rec, analysis.analyze(rec)


def _assert_runs_fly(session, name):
    for b in session.bouts:
        if b.kind != "run":
            continue
        step_ms = 60000.0 / b.cadence_spm
        where = f"{name} run {b.start_s:.1f}-{b.end_s:.1f} s"
        assert b.flight_ms is not None and b.flight_ms >= MIN_FLIGHT_MS, (where, b.flight_ms)
        assert b.ground_contact_ms < MAX_CONTACT_FRACTION * step_ms, (where, b.ground_contact_ms, step_ms)


@pytest.mark.parametrize("rel", RECORDINGS)
def test_no_run_bout_without_a_flight_phase(real_dir, rel):
    _assert_runs_fly(_analysed(str(real_dir / rel))[1], rel)


def test_no_run_bout_without_a_flight_phase_on_the_sacral_trials(real_dir):
    path = real_dir / SACRAL_TRIALS
    runs = 0
    for i in range(N_SACRAL_TRIALS):
        s = analysis.analyze(load_recording(f"{path}#trial={i}"), SHORT)
        _assert_runs_fly(s, f"trial {i}")
        runs += sum(b.kind == "run" for b in s.bouts)
    assert runs >= N_SACRAL_TRIALS  # treadmill running throughout: every trial has its run bout


def _ballistic_ms_per_step(rec, step_times):
    """Median time per step (ms) the strap's |a| spends below ``BALLISTIC_G`` (near free fall)."""
    a = np.linalg.norm(rec.acc, axis=1)
    low = np.concatenate([[0], np.cumsum(a < BALLISTIC_G)])
    idx = np.searchsorted(rec.time, step_times)
    per_step = np.diff(low[idx]) / rec.rate_hz * 1000.0
    return float(np.median(per_step)) if per_step.size else 0.0


@pytest.mark.parametrize("subject", HEXOSKIN)
def test_hexoskin_running_summary_holds_only_the_jog(real_dir, subject):
    d = real_dir / "hexoskin_harlab"
    ref = pd.read_csv(d / "reference_bouts.csv", dtype={"subject": str})
    jog = ref[(ref.subject == subject) & (ref.bout == "jog")].iloc[0]
    device = pd.read_csv(d / f"hexoskin_{subject}_cadence_1hz.csv")
    rec, s = _analysed(str(d / f"hexoskin_{subject}_acc.csv"))
    st = s.steps
    run = st["bout_kind"] == "run"
    inside = (st["time_s"] >= jog.bout_start_s - 5) & (st["time_s"] <= jog.bout_end_s + 5)
    for b in s.bouts:
        sel = run & (st["time_s"] >= b.start_s) & (st["time_s"] < b.end_s)
        if b.kind != "run" or not (sel & ~inside).any():
            continue
        # running outside the labelled jog: the device and the raw signal must both say running
        dev = device.cadence_spm[(device.time_s >= b.start_s + 3) & (device.time_s <= b.end_s - 3)]
        assert np.median(dev) >= DEVICE_RUNNING_SPM, (subject, b.start_s, b.end_s, float(np.median(dev)))
        assert _ballistic_ms_per_step(rec, st["time_s"][sel]) > 0.0, (subject, b.start_s, b.end_s)
    # the labelled jog itself is running, and the running cadence is the jog's
    assert np.all(st["bout_kind"][(st["time_s"] >= jog.analysis_start_s) & (st["time_s"] <= jog.analysis_end_s)] == "run")
    assert s.summary["running"]["cadence_spm"] == pytest.approx(jog.device_cadence_1hz_median_spm, abs=2.0)


def test_the_walking_in_the_hexoskin_files_has_no_ballistic_phase(real_dir):
    """The raw-signal check above can tell: walking steps never reach near free fall at the chest."""
    for subject in HEXOSKIN:
        rec, s = _analysed(str(real_dir / "hexoskin_harlab" / f"hexoskin_{subject}_acc.csv"))
        st = s.steps
        for b in s.bouts:
            sel = (st["time_s"] >= b.start_s) & (st["time_s"] < b.end_s)
            if b.kind == "walk" and sel.sum() >= 20:
                assert _ballistic_ms_per_step(rec, st["time_s"][sel]) == 0.0, (subject, b.start_s, b.end_s)
