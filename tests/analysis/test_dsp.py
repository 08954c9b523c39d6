"""runform's own Butterworth design, ``sosfiltfilt``, ``resample_poly`` and ``find_peaks`` (``analysis._dsp``)
give SciPy's results (SciPy is the reference here), and ``analyze()`` no longer imports ``scipy.signal``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.signal as ss

from runform.analysis import _dsp
from runform.analysis._filters import lowpass
from runform.firmware_sim import simulate
from runform.sensors.canonical_csv import write_canonical

RATES_HZ = (25.0, 50.0, 52.0, 100.0, 104.0, 200.0, 208.0)
#: corner as a fraction of the sampling rate, down to the gravity low-passes and up to the cap (0.45)
CORNER_FRACS = (0.001, 0.005, 0.03, 0.06, 0.1, 0.25, 0.3, 0.44, 0.449, 0.45)


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_butterworth_sections_equal_scipy(order):
    for fs in RATES_HZ:
        for frac in CORNER_FRACS:
            fc = float(f"{frac * fs:.9g}")
            ours = _dsp.butter_lowpass_sos(order, fc, fs)
            ref = ss.butter(order, fc, btype="low", fs=fs, output="sos")
            assert ours.shape == ref.shape
            scale = np.max(np.abs(ref), axis=1, keepdims=True)
            assert np.max(np.abs(ours - ref) / scale) <= 1e-13, (order, fc, fs)


def test_butterworth_rejects_a_corner_at_or_above_nyquist():
    with pytest.raises(ValueError):
        _dsp.butter_lowpass_sos(2, 50.0, 100.0)


def test_initial_states_equal_scipy():
    for order in (1, 2, 3, 4):
        sos = ss.butter(order, 3.0, fs=100.0, output="sos")
        np.testing.assert_allclose(_dsp.sosfilt_zi(sos), ss.sosfilt_zi(sos), rtol=1e-13, atol=0)


def _signals(rng, n):
    walk = rng.standard_normal((n, 3)).cumsum(axis=0)
    return walk[:, 0] + 9.81, walk  # a 1-D signal with an offset and an (n, 3) one


@pytest.mark.parametrize("padtype", ["odd", "even"])
@pytest.mark.parametrize("order", [1, 2])
def test_zero_phase_filter_equals_scipy(order, padtype):
    rng = np.random.default_rng(order)
    # lengths from 2 samples to more than two of the solver's blocks (the state carried across them)
    for n in (2, 3, 5, 17, 400, 2 * _dsp.SOLVE_BLOCK_ROWS + 123):
        for x in _signals(rng, n):
            for fs, fc in ((100.0, 6.0), (50.0, 0.25), (208.0, 93.6), (52.0, 0.05)):
                sos = ss.butter(order, fc, fs=fs, output="sos")
                for padlen in sorted({0, 1, min(n - 1, 30), min(n - 1, 500), n - 1}):
                    ours = _dsp.sosfiltfilt(sos, x, padlen=padlen, padtype=padtype)
                    ref = ss.sosfiltfilt(sos, x, axis=0, padlen=padlen, padtype=padtype)
                    assert ours.shape == ref.shape
                    # bound: 1e-12 of the signal's scale (measured: below 1e-14)
                    assert np.max(np.abs(ours - ref)) <= 1e-12 * np.max(np.abs(x)), (n, fs, fc, padlen)


def test_zero_phase_filter_rejects_a_pad_as_long_as_the_signal():
    sos = ss.butter(2, 5.0, fs=100.0, output="sos")
    with pytest.raises(ValueError):
        _dsp.sosfiltfilt(sos, np.zeros(10), padlen=10)


def test_lowpass_keeps_its_scipy_definition():
    x = _signals(np.random.default_rng(7), 3000)[1]
    sos = ss.butter(2, 15.0, fs=104.0, output="sos")
    ref = ss.sosfiltfilt(sos, x, axis=0, padlen=150)
    assert np.max(np.abs(lowpass(x, 104.0, 15.0) - ref)) <= 1e-12 * np.max(np.abs(x))


@pytest.mark.parametrize("up", [2, 3, 4, 5, 8, 10])
def test_upsampling_equals_scipy_resample_poly(up):
    rng = np.random.default_rng(up)
    for n in (2, 3, 4, 11, 21, 22, 250, 5001):
        for x in _signals(rng, n):
            ours = _dsp.upsample_poly(x, up)
            ref = ss.resample_poly(x, up, 1, axis=0, padtype="line")
            assert ours.shape == ref.shape
            assert np.max(np.abs(ours - ref)) <= 1e-13 * np.max(np.abs(x)), (n, up)


def test_upsampling_nothing_gives_nothing_as_scipy():
    for shape in ((0,), (0, 3)):
        ref = ss.resample_poly(np.ones(shape), 4, 1, axis=0, padtype="line")
        assert _dsp.upsample_poly(np.ones(shape), 4).shape == ref.shape


def test_the_fir_equals_scipy_firwin():
    for up in (2, 5, 10):
        ref = ss.firwin(20 * up + 1, 1.0 / up, window=("kaiser", 5.0))
        np.testing.assert_allclose(_dsp._kaiser_lowpass(20 * up + 1, 1.0 / up), ref, rtol=0, atol=1e-15)


def _peak_signals(rng):
    """Random walks, noisy periodic signals, plateaus and ties, rising and falling envelopes."""
    for n in (1, 2, 3, 4, 10, 300, 3000):
        t = np.arange(n, dtype=float)
        period = rng.uniform(6, 60)
        wave = np.sin(2 * np.pi * t / period)
        yield rng.standard_normal(n).cumsum()
        yield wave + 0.3 * rng.standard_normal(n)
        yield np.round(3 * rng.standard_normal(n).cumsum())  # plateaus of every width, equal heights
        yield rng.integers(0, 3, n).astype(float)  # many equal peaks next to each other
        yield np.round(4 * wave) / 4  # flat tops, each peak as high as the others
        yield wave * (1 + 5 * t / max(n, 1)) + 0.1 * rng.standard_normal(n)  # steadily rising peaks
        yield wave * (6 - 5 * t / max(n, 1)) + 0.1 * rng.standard_normal(n)  # steadily falling peaks
        yield t + 0.5 * wave  # every peak lower than the signal's end


def test_peaks_equal_scipy_find_peaks():
    rng = np.random.default_rng(3)
    for x in _peak_signals(rng):
        for distance in (1, 1.5, 2, 3, 8, 25, 70.5):
            for prominence in (0.0, 0.05, 0.5, 2.0):
                ours = _dsp.find_peaks(x, distance=distance, prominence=prominence)
                ref, _ = ss.find_peaks(x, distance=distance, prominence=prominence)
                assert ours.dtype == ref.dtype
                np.testing.assert_array_equal(ours, ref, err_msg=f"n={x.shape[0]} d={distance} p={prominence}")


def test_prominences_equal_scipy_on_every_local_maximum():
    rng = np.random.default_rng(5)
    for x in _peak_signals(rng):
        peaks = _dsp.local_maxima(x)
        np.testing.assert_array_equal(peaks, ss.find_peaks(x)[0])
        if peaks.size:
            np.testing.assert_array_equal(_dsp.peak_prominences(x, peaks), ss.peak_prominences(x, peaks)[0])


@pytest.mark.parametrize("preset_name", ["easy", "bouncy", "asymmetric", "walk"])
def test_peaks_on_simulated_step_signals_equal_scipy(preset_name):
    """The mid-stance peak search's inputs: the 6 Hz low-passed acceleration magnitude, distance 0.6 step,
    prominence 0.5 SD; and the same on the raw, noisy signal."""
    rec = simulate(preset_name, duration_s=60, rate_hz=100, seed=4).recording
    norm = np.sqrt(np.einsum("ij,ij->i", rec.acc, rec.acc))
    for sig in (lowpass(norm, 100.0, 6.0), norm):
        prom = 0.5 * float(np.std(sig))
        for distance in (20, 33, 45):
            ref, _ = ss.find_peaks(sig, distance=distance, prominence=prom)
            assert ref.size > 30
            np.testing.assert_array_equal(_dsp.find_peaks(sig, distance=distance, prominence=prom), ref)


def test_the_scipy_fallback_of_the_band_solve_gives_the_same_filter(monkeypatch):
    """Where NumPy's BLAS has no CBLAS ``dtbsv`` the band solve runs on SciPy's wrapper of the same routine:
    the filtered signal is the same, bit for bit."""
    from runform.analysis import _blas

    if not _numpy_uses_openblas():
        pytest.skip("NumPy's BLAS is not an OpenBLAS that threadpoolctl lists: only the fallback may run")
    assert _blas._cblas_dtbsv() is not None
    x = np.random.default_rng(5).normal(size=(40000, 3))
    sos = _dsp.butter_lowpass_sos(4, 6.0, 200.0)
    through_cblas = _dsp.sosfiltfilt(sos, x, padlen=150)
    monkeypatch.setattr(_blas, "_cblas_dtbsv", lambda: None)
    np.testing.assert_array_equal(_dsp.sosfiltfilt(sos, x, padlen=150), through_cblas)


def test_a_band_solve_that_does_not_solve_is_refused():
    """The one-off check that guards the ``ctypes`` call: a function that leaves its right-hand side alone,
    or one that is off by a rounding, is not taken for ``dtbsv``."""
    import ctypes

    from runform.analysis import _blas

    assert not _blas._solves_correctly(lambda *args: None, ctypes.c_int64)

    def slightly_off(*args):
        y = np.ctypeslib.as_array(ctypes.cast(args[8], ctypes.POINTER(ctypes.c_double)), shape=(5,))
        y[:] = [1.0, 1.5, 1.5, 1.375, 1.3125 + 1e-15]

    assert not _blas._solves_correctly(slightly_off, ctypes.c_int64)
    if _numpy_uses_openblas():
        assert _blas._solves_correctly(*_blas._cblas_dtbsv())


def _numpy_uses_openblas() -> bool:
    from runform.analysis import _blas

    return any(lib.internal_api == "openblas" for lib in _blas._controller().lib_controllers)


def test_fft_lengths_equal_scipy():
    from scipy.fft import next_fast_len

    assert [_dsp.next_fast_len(n) for n in range(1, 5000)] == [next_fast_len(n, real=True) for n in range(1, 5000)]
    with pytest.raises(ValueError):
        _dsp.next_fast_len(0)


def test_a_cold_analyze_never_imports_scipy(tmp_path):
    """A module-set check in a fresh interpreter (not a timing): reading a recording and analysing it (as
    ``runform analyze`` does) imports no SciPy module, and the IIR filters ran on the CBLAS band solve found
    in NumPy's BLAS, not on SciPy's fallback. (The simulator may use SciPy: the recording is simulated here,
    in the test's process.) Skipped where NumPy's BLAS is not an OpenBLAS (e.g. Accelerate): there the
    fallback may import ``scipy.linalg``; with OpenBLAS, a symbol ``_blas`` fails to find fails the test."""
    if not _numpy_uses_openblas():
        pytest.skip("NumPy's BLAS is not an OpenBLAS that threadpoolctl lists: the band solve may fall back")
    csv = write_canonical(simulate("easy", duration_s=40, rate_hz=100, seed=2).recording, tmp_path / "run.csv")
    probe = ("import sys\n"
             "import runform.analysis as a\n"
             "from runform.analysis import _blas\n"
             "from runform.sensors.canonical_csv import read_canonical\n"
             f"session = a.analyze(read_canonical({str(csv)!r}))\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
             "print(_blas._cblas_dtbsv.cache_info().currsize, _blas._cblas_dtbsv() is not None, len(session.steps) > 0)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    scipy_modules, ran = done.stdout.strip().splitlines()[-2:]
    assert scipy_modules == "[]"
    assert ran == "1 True True"  # the band solve was looked up and found, and the probe did find steps
