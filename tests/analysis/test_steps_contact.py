"""Steps: the sine-model inversion, foot strikes on a half-sine train, peaks, sides."""

import numpy as np
import pytest

from runform.analysis import DEFAULT, _steps
from runform.analysis._filters import lowpass, upsample


def test_sine_model_inversion_round_trip():
    T = np.array([0.30, 0.35, 0.43])
    tc = np.array([0.18, 0.24, 0.32])
    for h in (0.5, 1.0):
        t_h = _steps.sine_model_time_above(tc / T, h) * T
        assert np.allclose(_steps.contact_from_time_above(t_h, T, h), tc, atol=1e-4)


def test_inversion_is_nan_outside_the_model():
    assert np.isnan(_steps.contact_from_time_above(np.array([0.5]), np.array([0.35]), 0.5))[0]


def _half_sine_train(fs, T, tc, n=40, t0=0.5, jitter=0.0, seed=0):
    rng = np.random.default_rng(seed)
    ics = t0 + np.cumsum(np.full(n, T) + jitter * rng.standard_normal(n)) - T
    base = 1000.0
    t = np.arange(int((ics[-1] + 1.0) * base)) / base
    sf = np.zeros_like(t)
    for s in ics:
        m = (t >= s) & (t < s + tc)
        sf[m] = np.pi * T / (2 * tc) * np.sin(np.pi * (t[m] - s) / tc)
    from scipy import signal
    dec = int(base / fs)
    return signal.resample_poly(sf, 1, dec), ics


@pytest.mark.parametrize("fs", [25.0, 100.0, 200.0])
def test_strikes_and_contact_on_a_half_sine_train(fs):
    T, tc = 0.35, 0.25
    sf, ics = _half_sine_train(fs, T, tc)
    p = DEFAULT
    pk = _steps.midstance_peaks(lowpass(sf, fs, p.step_lowpass_hz), fs, T, p)
    assert pk.size == ics.size
    uc = int(np.ceil(p.event_rate_hz / fs))
    sfc = _steps.remove_narrow_peaks(upsample(lowpass(sf, fs, min(p.contact_lowpass_hz, 0.4 * fs)), uc),
                                     int(round(p.contact_opening_s * fs * uc)))
    up, down, mid = _steps.contact_crossings(sfc, pk * uc, int(np.ceil(0.65 * T * fs * uc)), 0.5,
                                             int(round(p.contact_bridge_s * fs * uc)), p.contact_top_frac)
    fsc = fs * uc
    t_h = 2 * np.minimum(mid - up, down - mid) / fsc
    est_tc = _steps.contact_from_time_above(t_h, np.full(t_h.size, T), 0.5)
    ic = mid / fsc - est_tc / 2
    inner = slice(1, -1)
    assert np.all(np.abs(ic[inner] - ics[inner]) < 0.008)  # strike within 8 ms, even at 25 Hz
    assert np.all(np.abs(est_tc[inner] - tc) < 0.012)


def test_heel_strike_transient_does_not_pull_the_strike_early():
    fs, T, tc = 200.0, 0.40, 0.26
    sf, ics = _half_sine_train(fs, T, tc)
    t = np.arange(sf.size) / fs
    for s in ics:  # 2 g, 20 Hz, 12 ms transient after each strike
        m = (t >= s) & (t < s + tc)
        sf[m] += 2.0 * np.exp(-(t[m] - s) / 0.012) * np.sin(2 * np.pi * 20 * (t[m] - s))
    p = DEFAULT
    pk = _steps.midstance_peaks(lowpass(sf, fs, p.step_lowpass_hz), fs, T, p)
    uc = int(np.ceil(p.event_rate_hz / fs))
    sfc = _steps.remove_narrow_peaks(upsample(lowpass(sf, fs, p.contact_lowpass_hz), uc), int(round(0.04 * fs * uc)))
    up, down, mid = _steps.contact_crossings(sfc, pk * uc, int(np.ceil(0.65 * T * fs * uc)), 0.5,
                                             int(round(0.03 * fs * uc)), p.contact_top_frac)
    t_h = 2 * np.minimum(mid - up, down - mid) / (fs * uc)
    est_tc = _steps.contact_from_time_above(t_h, np.full(t_h.size, T), 0.5)
    ic = mid / (fs * uc) - est_tc / 2
    assert np.median(np.abs(ic[1:-1] - ics[1:-1])) < 0.008


def test_sides_alternate_and_follow_the_ml_sign():
    feat = np.array([0.1, -0.1, 0.12, -0.09, 0.1, -0.11])  # +left acceleration: right stance
    side = _steps.assign_sides(feat, np.zeros(6, int))
    assert list(side) == ["R", "L", "R", "L", "R", "L"]


def test_parity_restarts_after_a_missed_step():
    times = np.array([0.35, 0.35, 0.70, 0.35, 0.35, 0.35])
    run = _steps.parity_runs(times, 0.3)
    assert list(run) == [0, 0, 0, 1, 1, 1]
    # after the missed step the same foot strikes twice in a row
    feat = np.array([0.1, -0.1, 0.1, 0.1, -0.1, 0.1])
    assert list(_steps.assign_sides(feat, run)) == ["R", "L", "R", "R", "L", "R"]


def test_braking_score_sign():
    fs = 100.0
    a = np.zeros(1000)
    ic = np.arange(50, 950, 35.0)
    to = ic + 24
    for s in ic.astype(int):
        a[s : s + 24] = -0.3 * np.sin(2 * np.pi * np.arange(24) / 24)
    assert _steps.braking_score(a, ic, to) < 0
    assert _steps.braking_score(-a, ic, to) > 0
