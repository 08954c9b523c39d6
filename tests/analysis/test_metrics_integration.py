"""Per-step metric kernels: periodic double integration, detrended ranges, window maxima."""

import numpy as np
import pytest

from runform.analysis import _metrics
from runform.sensors.units import STANDARD_GRAVITY


@pytest.mark.parametrize("amp_cm", [3.0, 8.0])
def test_periodic_integration_recovers_a_sine_displacement(amp_cm):
    fs, f = 100.0, 2.8
    t = np.arange(0, 10, 1 / fs)
    z = amp_cm / 100 / 2 * np.sin(2 * np.pi * f * t + 0.3)
    acc = -(2 * np.pi * f) ** 2 * z + 0.05  # plus an accelerometer bias (m/s²): removed per cycle
    T = 1 / f
    b0 = np.arange(1.3, 8, T) * fs
    b1 = b0 + T * fs
    disp = _metrics.periodic_displacement(_metrics.cycle_matrix(acc, b0, b1, 128), np.full(b0.size, T))
    vo = 100 * (disp.max(axis=1) - disp.min(axis=1))
    assert np.allclose(vo, amp_cm, atol=0.05)


def test_sine_model_vertical_oscillation_closed_form():
    """Integrating the half-sine spring-mass force gives the closed-form VO of the sine model (Morin et al. 2005)."""
    T, tc, g = 0.36, 0.25, STANDARD_GRAVITY
    fs = 1000.0
    t = np.arange(0, T, 1 / fs)
    sf = np.where(t < tc, np.pi * T / (2 * tc) * np.sin(np.pi * t / tc), 0.0)
    acc = (sf - 1) * g
    disp = _metrics.periodic_displacement(_metrics.cycle_matrix(np.tile(acc, 3), np.array([0.0]), np.array([T * fs]), 256),
                                          np.array([T]))
    expected = g * T * (tc / (2 * np.pi) + (T - 2 * tc) / 8)
    assert disp.max() - disp.min() == pytest.approx(expected, rel=0.01)


def test_detrended_range_removes_a_gyro_bias_ramp():
    u = np.linspace(0, 1, 128)
    y = 8 * np.sin(2 * np.pi * u)[None, :] + 3.0 * u[None, :]  # ±8 deg plus 3 deg of drift
    assert _metrics.detrended_range(y)[0] == pytest.approx(16.0, abs=0.05)


def test_window_max_and_slope():
    fs = 100.0
    x = np.sin(np.linspace(0, np.pi, 101))
    peak, idx = _metrics.window_max(x, np.array([10.0, np.nan]), np.array([90.0, 5.0]), 100)
    assert peak[0] == pytest.approx(1.0, abs=1e-3) and idx[0] == 50
    assert np.isnan(peak[1]) and idx[1] == -1
    slope = _metrics.max_slope(x, fs, np.array([0.0]), np.array([50.0]), 100)
    assert slope[0] == pytest.approx(np.pi, rel=0.02)  # d/dt sin(pi t) at t=0 with t in s


def _whole_cycle_matrix(x, b0, b1, n):
    """``cycle_matrix``'s definition on whole (K, n) arrays (what the block-wise version must equal)."""
    frac = np.linspace(0.0, 1.0, n)
    idx = np.clip(b0[:, None] + (b1 - b0)[:, None] * frac[None, :], 0, x.shape[0] - 1)
    i0 = np.minimum(idx.astype(np.int64), x.shape[0] - 2)
    f = idx - i0
    return x[i0] * (1.0 - f) + x[i0 + 1] * f


@pytest.fixture
def cycles_across_blocks(monkeypatch):
    """A signal and 2.5 blocks of cycles (small blocks, so that rows fall on both sides of block edges),
    some reaching past either end of the signal."""
    monkeypatch.setattr(_metrics, "ROWS_PER_BLOCK", 7)
    rng = np.random.default_rng(3)
    x = np.cumsum(rng.standard_normal(2000))
    b0 = np.sort(rng.uniform(-5.0, 1990.0, 18))
    b1 = b0 + rng.uniform(20.0, 80.0, b0.size)
    return x, b0, b1


def test_block_wise_kernels_equal_their_whole_matrix_definitions(cycles_across_blocks):
    x, b0, b1 = cycles_across_blocks
    n, period = 33, (b1 - b0) / 100.0
    assert len(_metrics.row_blocks(b0.size)) == 3
    whole = _whole_cycle_matrix(x, b0, b1, n)
    np.testing.assert_array_equal(_metrics.cycle_matrix(x, b0, b1, n), whole)
    reversed_view = np.ascontiguousarray(x[::-1])[::-1]  # what a zero-phase low-pass returns
    assert not reversed_view.flags.c_contiguous
    np.testing.assert_array_equal(_metrics.cycle_matrix(reversed_view, b0, b1, n), whole)
    z = _metrics.periodic_displacement(whole, period)
    # the integration as one matrix product: the same up to the order of the sums
    np.testing.assert_allclose(_metrics.cycle_displacement_range(x, b0, b1, n, period), z.max(axis=1) - z.min(axis=1),
                               rtol=1e-11, atol=0)
    np.testing.assert_array_equal(_metrics.cycle_detrended_range(x, b0, b1, n), _metrics.detrended_range(whole))
    running = None
    for rows in _metrics.row_blocks(whole.shape[0]):
        running = _metrics.fold_rows(whole[rows].copy(), running)
    np.testing.assert_array_equal(running, whole.sum(axis=0))


def test_block_wise_window_max_and_transient_do_not_depend_on_the_block_size(cycles_across_blocks, monkeypatch):
    x, b0, b1 = cycles_across_blocks
    b0[4], b1[9] = np.nan, np.nan  # undefined windows stay NaN in every block
    small = (_metrics.window_max(x, b0, b1, 90), _metrics.impact_transient(x, b0, b1, 12.0, 10.0, 64))
    monkeypatch.setattr(_metrics, "ROWS_PER_BLOCK", 1000)
    whole = (_metrics.window_max(x, b0, b1, 90), _metrics.impact_transient(x, b0, b1, 12.0, 10.0, 64))
    for got, want in zip((*small[0], small[1]), (*whole[0], whole[1])):
        np.testing.assert_array_equal(got, want)
    assert np.isnan(small[0][0][[4, 9]]).all() and np.isfinite(small[1]).sum() >= 10


@pytest.mark.parametrize("n", [33, 101, 128])
def test_the_displacement_operator_is_the_periodic_integration(n):
    rng = np.random.default_rng(n)
    acc = rng.standard_normal((50, n)) + 3.0  # with an offset: a constant is integrated away
    period = rng.uniform(0.2, 0.8, 50)
    want = _metrics.periodic_displacement(acc, period)
    got = (acc @ _metrics.displacement_operator(n)) * ((period / (n - 1)) ** 2)[:, None]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12 * np.abs(want).max())
    assert not _metrics.displacement_operator(n).flags.writeable


def test_window_max_per_block_width_gives_the_maxima_of_the_full_width(monkeypatch):
    """Each block of rows is only as wide as its own longest window: a long window elsewhere, windows
    starting on a sample, ending on one, and empty or undefined windows all give what full width gives."""
    rng = np.random.default_rng(11)
    x = rng.standard_normal(5000)
    start = np.sort(rng.uniform(0.0, 4800.0, 40))
    end = start + rng.uniform(3.0, 12.0, 40)
    start[3], end[5] = np.floor(start[3]), np.ceil(end[5])  # on a sample
    # the last block's longest windows have both ends on a sample and their maximum on the last one (11
    # samples in a window 10 long)
    end[34:] = start[34:] + 3.0
    start[32], end[32], start[33], end[33] = 1000.0, 1010.0, 2000.0 + 1e-10, 2010.0
    x[1010] = x[2010] = 50.0
    end[30] = start[30] + 150.0  # one long window, in the last block
    end[7], start[8] = start[7], np.nan  # empty and undefined
    monkeypatch.setattr(_metrics, "ROWS_PER_BLOCK", 8)
    assert _metrics._block_width(start[:8], end[:8], 400) <= 15
    got = _metrics.window_max(x, start, end, 400)
    want = _metrics._window_max_rows(x, start, end, 400, 0)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    assert np.isnan(got[0][[7, 8]]).all() and (got[1][[7, 8]] == -1).all()
    assert list(got[1][[32, 33]]) == [1010, 2010]
