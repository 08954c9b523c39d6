"""``analysis.track_alignment.check``: a track's speed or cadence against the run/walk bouts, offsets searched
around the one used; no guess where the recording has no run/walk change."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from runform.analysis import track_alignment


def _bouts(pattern):
    """[(kind, seconds)] -> bouts with start_s/end_s."""
    out, t = [], 0.0
    for kind, seconds in pattern:
        out.append(SimpleNamespace(kind=kind, start_s=t, end_s=t + seconds))
        t += seconds
    return out, t


INTERVALS = [("walk", 300)] + [("run", 60), ("walk", 90)] * 4


def _track(bouts, shift_s, running_value, other_value, every_s=1.0):
    """A track that is ``running_value`` while running, whose clock is ``shift_s`` behind the recording."""
    t = np.arange(-200.0, bouts[-1].end_s + 200.0, every_s)
    v = np.full(t.size, other_value)
    for b in bouts:
        if b.kind == "run":
            v[(t >= b.start_s) & (t < b.end_s)] = running_value
    return t - shift_s, v


@pytest.mark.parametrize("signal, run_value, other", [("speed", 2.5, 1.4), ("cadence", 160.0, 110.0)])
def test_a_shifted_clock_is_found_and_suggested(signal, run_value, other):
    bouts, duration = _bouts(INTERVALS)
    t, v = _track(bouts, 45.0, run_value, other)
    result = track_alignment.check(t, v, signal, bouts, duration, 0.0)
    assert result.best_offset_s == pytest.approx(45.0, abs=1.0) and result.best_r > 0.95
    assert result.suggests_other_offset
    at_right = track_alignment.check(t, v, signal, bouts, duration, 45.0)
    assert not at_right.suggests_other_offset and at_right.used_r > 0.95


def test_running_throughout_cannot_be_checked():
    bouts, duration = _bouts([("run", 1200)])
    t, v = _track(bouts, 0.0, 2.5, 2.5)
    result = track_alignment.check(t, v, "speed", bouts, duration, 0.0)
    assert result.best_offset_s is None and "runs throughout" in result.reason
    assert not result.suggests_other_offset


def test_a_track_that_barely_overlaps_is_not_judged():
    bouts, duration = _bouts(INTERVALS)
    t = np.array([duration - 30.0, duration - 29.0])
    result = track_alignment.check(t, np.array([2.5, 2.5]), "speed", bouts, duration, 0.0, search_s=5)
    assert result.best_offset_s is None and "does not overlap" in result.reason
