"""Timebase (gaps split segments, nothing interpolated across), step-frequency prior, bouts."""

import numpy as np
import pytest

from runform.analysis import DEFAULT, _bouts, _periodicity, analyze
from runform.analysis._timebase import split_segments
from runform.sensors.recording import Gap, Metadata, Recording


def test_segments_split_at_gaps_and_are_uniform():
    fs = 50.0
    t = np.concatenate([np.arange(0, 20, 1 / fs), np.arange(25, 40, 1 / fs)])
    t = t + 0.002 * np.sin(np.arange(t.size))  # timestamp jitter
    acc = np.column_stack([np.zeros_like(t), np.zeros_like(t), np.where(t < 22, 1.0, 2.0)])
    rec = Recording(t, acc, None, Metadata(nominal_rate_hz=fs, gaps=[Gap(t[999], t[1000], 249)]))
    segs = split_segments(rec, 6.0)
    assert len(segs) == 2
    assert segs[0].fs == pytest.approx(fs, rel=1e-3)
    assert segs[0].time[-1] <= 20.0 and segs[1].t0 >= 25.0 - 0.01
    assert np.all(segs[0].acc[:, 2] == 1.0) and np.all(segs[1].acc[:, 2] == 2.0)  # no value crosses the gap


def test_step_lag_from_autocorrelation_avoids_stride_and_harmonics():
    fs = 50.0
    t = np.arange(0, 6, 1 / fs)
    f_step = 170 / 60
    x = np.sin(2 * np.pi * f_step * t) + 0.3 * np.sin(np.pi * f_step * t)  # step + weaker stride component
    ad = _periodicity.window_autocorr(x, x.size, 1)
    lag, strength = _periodicity.step_lag(ad, fs, 0.25, 1.2, 0.7)
    assert 60 * fs / lag[0] == pytest.approx(170, abs=1.0)
    assert strength[0] > 0.5


def test_smoothing_removes_flicker_and_keeps_short_stands():
    lab = np.array([1] * 20 + [2] + [1] * 20 + [0] * 4 + [2] * 20)
    out = _bouts.smooth_labels(lab, 5, 8, 3)
    starts, ends, kinds = _bouts.runs(out)
    assert list(kinds) == [1, 0, 2]


def test_stitched_stand_walk_run_labels(synth):
    schedule = [("stand", 0, 12), ("walk", 12, 45), ("run", 45, 90), ("walk", 90, 120), ("stand", 120, 132)]
    rec, truth = synth(schedule, fs=50.0, rot_deg=(100, 20, -30))
    s = analyze(rec)
    tt = np.arange(0.05, 132, 0.1)
    est = np.full(tt.size, "", dtype="<U5")
    ref = np.full(tt.size, "", dtype="<U5")
    for b in s.bouts:
        est[(tt >= b.start_s) & (tt < b.end_s)] = b.kind
    for kind, a, e in schedule:
        ref[(tt >= a) & (tt < e)] = kind
    assert np.mean(est == ref) >= 0.98
    assert [b.kind for b in s.bouts] == [k for k, _, _ in schedule]


@pytest.mark.parametrize("bisect_from", [0, _bouts.BISECT_MIN_SAMPLES])
def test_sample_labels_are_the_nearest_window_s_label_at_every_sample(monkeypatch, bisect_from):
    # the labels are repeated between window boundaries found by bisection: the same as evaluating the
    # nearest-window formula at every sample, ties at half a hop (200 Hz: exact) included
    monkeypatch.setattr(_bouts, "BISECT_MIN_SAMPLES", bisect_from)
    rng = np.random.default_rng(11)
    for trial in range(600):
        fs = float(rng.choice([25.0, 25.0000000000005, 50.0, 52.0, 100.0, 200.0, 208.0, 12.5])) if trial % 3 else float(rng.uniform(5, 300))
        preset = DEFAULT if trial % 4 else DEFAULT.with_(window_s=float(rng.choice([1.0, 2.5, 3.0])), hop_s=float(rng.choice([0.25, 0.5, 1.0])))
        windows, n = int(rng.integers(0, 30)), int(rng.integers(0, 2500))
        labels = rng.integers(0, 3, windows)
        got = _bouts.sample_labels(labels, n, fs, preset)
        every = (labels.astype(_bouts.LABEL_DTYPE)[_bouts.window_of_sample(np.arange(n), fs, windows - 1, preset)]
                 if windows else np.zeros(n, _bouts.LABEL_DTYPE))
        assert got.dtype == _bouts.LABEL_DTYPE and np.array_equal(got, every), (fs, windows, n)


def test_runs_are_the_constant_stretches_of_the_labels():
    rng = np.random.default_rng(13)
    for lab in (np.repeat(rng.integers(0, 3, 40).astype(_bouts.LABEL_DTYPE), rng.integers(1, 50, 40)),
                np.array([2], _bouts.LABEL_DTYPE), np.array([0, 0, 1, 1, 1, 0, 2, 2]), np.empty(0, _bouts.LABEL_DTYPE)):
        starts, ends, kinds = _bouts.runs(lab)
        assert np.array_equal(np.repeat(kinds, ends - starts), lab)  # they tile the labels
        assert np.all(kinds[1:] != kinds[:-1])  # and each is a whole stretch
