"""The session's average cycle (``_average_cycle.BoutCycles``, added a block of steps at a time) against its step-by-step definition:
each left step, right step and stride (left then right) resampled, periodically double-integrated, less
its mean, averaged."""

from __future__ import annotations

import numpy as np
import pytest

from runform.analysis import _metrics
from runform.analysis._average_cycle import BoutCycles, CycleAccumulator
from runform.sensors.units import STANDARD_GRAVITY as G


def _definition(vertical_g, b0, b1, rate_hz, n):
    acc = _metrics.cycle_matrix((vertical_g - 1.0) * G, b0, b1, n)
    z = _metrics.periodic_displacement(acc, (b1 - b0) / rate_hz)
    return (100.0 * (z - z.mean(axis=1, keepdims=True))).mean(axis=0), _metrics.cycle_matrix(vertical_g, b0, b1, n).mean(axis=0)


@pytest.mark.parametrize("rows_per_block", [5, 512])
@pytest.mark.parametrize("step_blocks", [(0, 41), (0, 13, 41)])
def test_bout_cycles_average_the_mean_free_displacement_of_each_step_and_stride(monkeypatch, rows_per_block,
                                                                                step_blocks):
    monkeypatch.setattr(_metrics, "ROWS_PER_BLOCK", rows_per_block)
    rate, n = 200.0, 101
    rng = np.random.default_rng(7)
    strikes = np.cumsum(rng.uniform(62.0, 72.0, 41)) + 10.0  # fractional sample indices
    t = np.arange(int(strikes[-1]) + 20)
    vertical_g = 1.0 + 1.5 * np.sin(np.pi * ((t / 67.0) % 1.0)) ** 2 - 0.75 + 0.05 * rng.standard_normal(t.size)
    side = np.where(np.arange(strikes.size) % 2 == 0, "L", "R")
    step_ok = np.ones(strikes.size - 1, bool)
    step_ok[17] = False  # a step over a bridged gap: neither it nor a stride over it counts
    cycles = CycleAccumulator(n)
    bout = BoutCycles(strikes, rate, side, step_ok, n)
    for a, b in zip(step_blocks[:-1], step_blocks[1:]):  # each block from a span starting at sample `origin`
        origin = int(strikes[a]) - 3
        bout.add(vertical_g[origin:], slice(a, b), origin)
    bout.finish(cycles)
    got = cycles.result()
    i = np.arange(strikes.size - 1)
    left = i[(side[:-1] == "L") & step_ok]
    right = i[(side[:-1] == "R") & step_ok]
    strides = i[:-1][(side[:-2] == "L") & step_ok[:-1] & step_ok[1:]]
    assert (got.n_left, got.n_right, got.n_strides) == (left.size, right.size, strides.size)
    for rows, span, disp, acc in ((left, 1, got.left_displacement_cm, got.left_acc_g),
                                  (right, 1, got.right_displacement_cm, got.right_acc_g),
                                  (strides, 2, got.stride_displacement_cm, got.stride_acc_g)):
        want_disp, want_acc = _definition(vertical_g, strikes[rows], strikes[rows + span], rate, n)
        np.testing.assert_allclose(disp, want_disp, rtol=0, atol=1e-9 * np.abs(want_disp).max())
        np.testing.assert_allclose(acc, want_acc, rtol=1e-13)
        assert np.ptp(want_disp) > 1.0  # a real bounce, in cm
