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
