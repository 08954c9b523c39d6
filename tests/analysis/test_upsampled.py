"""Stage 3 reads its upsampled signals a span at a time (``_upsampled.Upsampled``): each span must equal
the same samples of the whole signal's ``upsample`` (the "line" extension at the ends is the whole
input's), and the per-step measures taken on a span (``origin``) must equal those on the whole array."""

from __future__ import annotations

import numpy as np
import pytest

from runform.analysis import _metrics, _symmetry
from runform.analysis._filters import upsample
from runform.analysis._upsampled import PAD, Upsampled


@pytest.mark.parametrize("factor", [1, 2, 3, 4])
@pytest.mark.parametrize("n", [2, 3, 9, 40, 3000])
def test_a_span_equals_those_samples_of_the_whole_upsampled_signal(factor, n):
    rng = np.random.default_rng(n * 10 + factor)
    x = np.cumsum(rng.standard_normal(n)) + 3.0 + 0.01 * np.arange(n)  # a trend: the line extension matters
    whole = upsample(x, factor)
    up = Upsampled(x, factor)
    assert up.length == whole.shape[0]
    np.testing.assert_allclose(up.whole(), whole, rtol=1e-13, atol=1e-13)
    firsts = np.concatenate([[-5.0, 0.0, 0.4, 7.3], rng.uniform(0, up.length, 60), [up.length - 3.5, up.length + 2.0]])
    for first in firsts:
        last = first + rng.uniform(0.0, 400.0)
        got, origin = up.span(first, last)
        if factor == 1:  # all of a contiguous source
            assert got is x and origin == 0
        else:
            assert origin == min(up.length, max(0, int(np.floor(first)) - PAD))
            assert origin + got.shape[0] == min(up.length, max(origin, int(np.ceil(last)) + PAD + 1))
        np.testing.assert_allclose(got, whole[origin : origin + got.shape[0]], rtol=1e-13, atol=1e-13)


def test_a_reversed_view_is_upsampled_like_its_copy():
    x = np.random.default_rng(1).standard_normal(500)[::-1]
    got, origin = Upsampled(x, 3).span(100.0, 900.0)
    np.testing.assert_allclose(got, upsample(np.ascontiguousarray(x), 3)[origin : origin + got.shape[0]], rtol=1e-13,
                               atol=1e-13)
    got, origin = Upsampled(x, 1).span(100.0, 300.0)  # factor 1: only the span of a strided source
    assert (origin, got.shape[0]) == (100 - PAD, 201 + 2 * PAD)
    np.testing.assert_array_equal(got, x[origin : origin + got.shape[0]])


def test_measures_on_a_span_equal_those_on_the_whole_signal_bit_for_bit():
    rng = np.random.default_rng(5)
    fs, n = 200.0, 40_000
    t = np.arange(n) / fs
    x = 1.0 + 1.2 * np.sin(2 * np.pi * 2.8 * t) ** 2 + 0.05 * rng.standard_normal(n)
    strike = np.sort(rng.uniform(20_000.0, 30_000.0, 300))
    toe_off = strike + rng.uniform(30.0, 60.0, 300)
    toe_off[[3, 40]] = np.nan  # undefined stances stay undefined
    origin = 19_000
    part = x[origin:31_000].copy()
    b0, b1 = strike[np.isfinite(toe_off)], toe_off[np.isfinite(toe_off)]
    np.testing.assert_array_equal(_metrics.cycle_matrix(part, b0, b1, 64, origin), _metrics.cycle_matrix(x, b0, b1, 64))
    peak, at = _metrics.window_max(part, strike, toe_off, 70, origin)
    whole_peak, whole_at = _metrics.window_max(x, strike, toe_off, 70)
    np.testing.assert_array_equal(peak, whole_peak)
    np.testing.assert_array_equal(at, whole_at)
    np.testing.assert_array_equal(_metrics.max_slope(part, fs, strike, at.astype(float), 70, origin),
                                  _metrics.max_slope(x, fs, strike, at.astype(float), 70))
    np.testing.assert_array_equal(_metrics.impact_transient(part, strike, toe_off, 12.0, 12.0, 64, origin),
                                  _metrics.impact_transient(x, strike, toe_off, 12.0, 12.0, 64))
    np.testing.assert_array_equal(
        _metrics.cycle_displacement_range(part, b0, b1, 64, (b1 - b0) / fs, 1.0, origin),
        _metrics.cycle_displacement_range(x, b0, b1, 64, (b1 - b0) / fs, 1.0))
    # the L/R pulses taken a block of steps at a time, each from its own span
    side = np.where(np.arange(strike.size) % 2 == 0, "L", "R")
    pulses = _symmetry.SidePulses(strike, toe_off, side)
    for rows in _metrics.row_blocks(strike.size, 64):
        lo = int(np.nanmin(strike[rows])) - 40
        pulses.add(x[lo : int(np.nanmax(toe_off[rows])) + 40], rows, lo)
    assert pulses.difference() == _symmetry.side_shape_difference(x, strike, toe_off, side)
