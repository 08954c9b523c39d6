"""Contact time from the time above h with the pulse's measured maximum (``_steps.contact_from_peak``)."""

import numpy as np

from runform.analysis import DEFAULT, _steps
from runform.analysis._filters import lowpass, upsample


def test_peak_inversion_round_trip():
    tc = np.array([0.18, 0.24, 0.30])
    peak = np.array([2.6, 1.9, 1.3])
    h = 0.5
    t_h = tc * (1.0 - (2.0 / np.pi) * np.arcsin(h / peak))  # Morin et al. 2005 sine model
    assert np.allclose(_steps.contact_from_peak(t_h, peak, h, np.full(3, 0.4)), tc, atol=1e-9)


def test_peak_inversion_is_nan_outside_the_model():
    out = _steps.contact_from_peak(np.array([0.2, 0.2, 0.2, 0.0]), np.array([0.4, np.nan, 3.0, 2.0]), 0.5,
                                   np.array([0.35, 0.35, 0.21, 0.35]))
    assert np.isnan(out).all()  # peak below h, no peak, contact longer than the step, no time above h


def test_crossings_report_the_pulse_maximum():
    fs, T, tc = 1000.0, 0.35, 0.25
    t = np.arange(int(10 * T * fs)) / fs
    tau = t % T
    sf = np.where(tau < tc, 1.7 * np.sin(np.pi * np.clip(tau / tc, 0, 1)), 0.0)
    centres = (np.arange(2, 8) * T + tc / 2) * fs
    up, down, mid, peak = _steps.contact_crossings(sf, centres, int(0.6 * T * fs), 0.5, 1, 0.6, with_peak=True)
    assert np.allclose(peak, 1.7, atol=1e-3)
    assert np.allclose((down - up) / fs, tc * (1 - 2 / np.pi * np.arcsin(0.5 / 1.7)), atol=2e-3)


def _pulses_with_transient(fs, T, tc, amp_g, n=30, f_i=20.0, tau_i=0.012):
    """Half-sine stance pulses plus a heel-strike transient A e^(-t/τ) sin(2π f t) whose impulse is taken
    from the sine (the stance impulse stays m g T), sampled at ``fs`` after a 4th-order anti-alias at 0.4 fs
    (the firmware_sim signal chain, imu.py)."""
    from scipy.signal import butter, sosfiltfilt

    fi = 10000.0
    t = np.arange(int((n + 1) * T * fi)) / fi
    tau = t % T
    w, a = 2 * np.pi * f_i, 1 / tau_i
    impulse = amp_g * (w - np.exp(-a * tc) * (a * np.sin(w * tc) + w * np.cos(w * tc))) / (a * a + w * w)
    s = (T - impulse) * np.pi / (2 * tc)
    x = np.where(tau < tc, s * np.sin(np.pi * np.clip(tau / tc, 0, 1)) + amp_g * np.exp(-tau / tau_i) * np.sin(w * tau), 0.0)
    x = sosfiltfilt(butter(4, 0.4 * fs, fs=fi, output="sos"), x)
    ts = np.arange(0, t[-1], 1 / fs)
    return np.interp(ts, t, x)


def test_transient_at_52_hz_known_contact():
    """2.8 g transient at 52 Hz, t_c 280 ms of a 350 ms step (sweep case 129): the momentum-balance
    amplitude π T / (2 t_c) makes this contact ~10 ms short, the measured peak ~4 ms short (events at
    624 Hz; at 1040 Hz it was 14 and 7 ms)."""
    fs, T, tc, p = 52.0, 0.35, 0.28, DEFAULT
    sf = _pulses_with_transient(fs, T, tc, 2.8)
    uc = int(np.ceil(p.event_rate_hz / fs))
    fsc = fs * uc
    sfc = _steps.remove_narrow_peaks(upsample(lowpass(sf, fs, min(p.contact_lowpass_hz, 0.4 * fs)), uc),
                                     int(round(p.contact_opening_s * fsc)))
    centres = (np.arange(5, 25) * T + tc / 2) * fsc
    up, down, mid, peak = _steps.contact_crossings(sfc, centres, int(np.ceil(p.contact_search_frac * T * fsc)),
                                                   p.contact_threshold_g, int(round(p.contact_bridge_s * fsc)),
                                                   p.contact_top_frac, with_peak=True)
    t_h = 2 * (down - mid) / fsc  # the half without the transient
    T_all = np.full(t_h.size, T)
    by_peak = np.median(_steps.contact_from_peak(t_h, peak, p.contact_threshold_g, T_all))
    by_momentum = np.median(_steps.contact_from_time_above(t_h, T_all, p.contact_threshold_g))
    assert abs(by_peak - tc) < 0.006
    assert by_momentum - tc < -0.008  # the bias this replaces (fails if the scene no longer shows it)
    assert abs(by_momentum - tc) - abs(by_peak - tc) > 0.005
