"""The pipeline's public stage-timing hook (``analyze(rec, stage_timer=...)``)."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from runform import analysis
from runform.firmware_sim import simulate


def test_every_stage_is_timed_and_the_results_do_not_change():
    rec = simulate("bouncy", duration_s=40, rate_hz=100, seed=2).recording
    times = analysis.StageTimes()
    timed = analysis.analyze(rec, stage_timer=times)
    plain = analysis.analyze(rec)
    assert set(times.seconds) == {name for name, _ in analysis.STAGES}
    assert all(s >= 0.0 for s in times.seconds.values())
    assert timed.to_json() == plain.to_json()
    for column in analysis.STEP_COLUMNS:
        np.testing.assert_array_equal(timed.steps[column], plain.steps[column])


def test_stage_times_reads_the_clock_it_is_given():
    """``StageTimes(clock=time.process_time)`` sums CPU seconds (``benchmarks/stage_cost.py``); here a clock that
    ticks once per reading: every stage's sum is a whole number of ticks."""
    import itertools

    rec = simulate("bouncy", duration_s=20, rate_hz=50, seed=2).recording
    times = analysis.StageTimes(clock=itertools.count().__next__)
    analysis.analyze(rec, stage_timer=times)
    assert set(times.seconds) == {name for name, _ in analysis.STAGES}
    assert all(s >= 1 and float(s).is_integer() for s in times.seconds.values())


def test_nested_stages_run_inside_their_parent():
    """A timer sees each nested stage entered while its parent is open (what the benchmark's
    "other" rows rely on)."""
    parent_of = dict(analysis.STAGES)
    open_stages: list[str] = []
    seen = []

    @contextmanager
    def timer(stage):
        seen.append((stage, tuple(open_stages)))
        open_stages.append(stage)
        try:
            yield
        finally:
            open_stages.pop()

    analysis.analyze(simulate("easy", duration_s=30, rate_hz=100, seed=1).recording, stage_timer=timer)
    for stage, enclosing in seen:
        if parent_of[stage] is not None:
            assert parent_of[stage] in enclosing, stage
