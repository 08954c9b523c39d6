"""Step lag from the windowed autocorrelation: harmonic guard at fast cadence and low sample rate."""

import numpy as np
import pytest

from runform.analysis import _periodicity


def _running_like(fs: float, spm: float, seconds: float = 6.0) -> np.ndarray:
    """A stance-pulse train (half-wave sine, 35 % duty) with a stride-periodic left/right difference."""
    t = np.arange(0, seconds, 1 / fs)
    phase = (t * spm / 60.0) % 1.0
    pulse = np.where(phase < 0.7, np.sin(np.pi * phase / 0.7), 0.0)
    side = np.where(((t * spm / 60.0) // 1) % 2 == 0, 1.0, 0.9)
    return 2.5 * pulse * side


@pytest.mark.parametrize("fs", [25.0, 25.0000000000005, 52.0])
def test_step_lag_at_194_spm_is_the_step_not_the_stride_or_four_steps(fs):
    # at 25 Hz and 194 spm (7.7 samples per step) the 2- and 4-step lags correlate as well as the step
    x = _running_like(fs, 194.0)
    ad = _periodicity.window_autocorr(x, x.size, 1)
    lag, strength = _periodicity.step_lag(ad, fs, 0.25, 1.2, 0.7)
    assert 60 * fs / lag[0] == pytest.approx(194.0, abs=4.0)
    assert strength[0] > 0.5


def test_step_lag_keeps_the_stride_when_the_step_peak_is_weak():
    # a strongly asymmetric walk: the one-step lag correlates far less than the stride -> stride lag
    fs = 50.0
    t = np.arange(0, 6, 1 / fs)
    f_stride = 55 / 60
    x = np.sin(2 * np.pi * f_stride * t) + 0.25 * np.sin(4 * np.pi * f_stride * t)
    ad = _periodicity.window_autocorr(x, x.size, 1)
    lag, _ = _periodicity.step_lag(ad, fs, 0.25, 1.2, 0.7)
    assert 60 * fs / lag[0] == pytest.approx(55, abs=2.0)


def test_step_lag_without_any_peak_is_nan():
    ad = np.tile(np.linspace(1.0, -1.0, 100), (2, 1))  # monotone: no periodicity
    lag, _ = _periodicity.step_lag(ad, 50.0, 0.25, 1.2, 0.7)
    assert np.all(np.isnan(lag))


def test_step_lag_of_an_asymmetric_walk_is_the_step_when_its_peak_is_half_the_stride_peak():
    # step peak ≈ 0.5 of the stride peak (left/right differences): 98 spm, not 49 spm ("standing")
    fs = 52.0
    t = np.arange(0, 6, 1 / fs)
    f_step = 98 / 60
    x = np.sin(2 * np.pi * f_step * t) + 0.58 * np.sin(np.pi * f_step * t)
    ad = _periodicity.window_autocorr(x, x.size, 1)
    lag, _ = _periodicity.step_lag(ad, fs, 0.25, 1.2, 0.7)
    assert 60 * fs / lag[0] == pytest.approx(98, abs=2.0)


@pytest.mark.parametrize("fs, win", [(50.0, 300), (25.0, 150), (52.0, 40), (25.0000000000005, 150)])
def test_the_lags_step_lag_reads_are_the_full_autocorrelation_s_and_give_its_step_lag(fs, win):
    # the FFT is padded only for the lags asked for: those lags are the full autocorrelation's (to rounding),
    # and step_lag finds the same step lag in them as in all lags
    rng = np.random.default_rng(7)
    x = np.concatenate([_running_like(fs, spm, 20.0) for spm in (96.0, 150.0, 178.0)])
    x = x + rng.normal(0.0, 0.1, x.size)
    lags = _periodicity.lags_read(win, fs, 1.2)
    assert lags <= win
    full = _periodicity.window_autocorr(x, win, max(1, win // 6))
    some = _periodicity.window_autocorr(x, win, max(1, win // 6), lags)
    assert some.shape == (full.shape[0], lags)
    np.testing.assert_allclose(some, full[:, :lags], rtol=0, atol=1e-12)
    for got, want in zip(_periodicity.step_lag(some, fs, 0.25, 1.2, 0.7), _periodicity.step_lag(full, fs, 0.25, 1.2, 0.7)):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, equal_nan=True)
