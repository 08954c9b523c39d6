"""Record through the virtual strap (real bleak facade, simulated radio) and compare the recording with
what the strap's firmware produced: every delivered sample once, in order, to the codec's precision;
lost frames as gaps of the right length; one recording across a disconnect."""

from __future__ import annotations

import math

import numpy as np
import pytest

from runform.firmware_sim import simulate
from runform.firmware_sim.bleak_backend import Faults, VirtualStrap, VirtualWorld
from runform.firmware_sim.firmware import VERITY_GYRO_FACTOR, StrapSignal, make_firmware
from runform.sensors.ble_link import LinkError, RecordSettings, record
from runform.sensors.canonical_csv import read_canonical
from runform.sensors.units import STANDARD_GRAVITY

SPEED = 40.0
DURATION_S = 20.0
RATES = {"polar": 200, "verity": 208, "movesense": 208, "rfs": 208}
KIND_FLAG = {"polar": "polar", "verity": "polar", "movesense": "movesense", "rfs": "rfs"}


def run_virtual(tmp_path, kind, faults=None, duration=DURATION_S, rate=None, device=None, speed=SPEED, name=None):
    rate = rate or RATES[kind]
    sim = simulate("bouncy", duration + 15, rate_hz=rate, seed=7, gyro=kind != "polar")
    signal = StrapSignal.from_sim(sim)
    strap = VirtualStrap(make_firmware(kind, signal), faults or Faults())
    world = VirtualWorld([strap], speed=speed)
    out = tmp_path / f"{name or kind}.csv"
    result = record(out, RecordSettings(device=device, kind=KIND_FLAG[kind], rate_hz=rate, duration_s=duration),
                    backend=world.backends(), host=world.clock)
    return read_canonical(out), result, strap, signal


def expected_values(kind, signal):
    """What the codec delivers for every signal sample: (acc g, gyro dps or None, acc tol, gyro tol)."""
    csv_acc, csv_gyro = 5e-7, 5e-5  # canonical CSV precision
    if kind == "polar":
        return np.rint(signal.acc_g * 1000) / 1000, None, csv_acc + 1e-9, None
    if kind == "verity":
        gyro = np.rint(signal.gyro_dps / VERITY_GYRO_FACTOR) * VERITY_GYRO_FACTOR
        return np.rint(signal.acc_g * 1000) / 1000, gyro, csv_acc + 1e-9, csv_gyro + 1e-6
    if kind == "movesense":
        acc = (signal.acc_g * STANDARD_GRAVITY).astype(np.float32).astype(np.float64) / STANDARD_GRAVITY
        return acc, signal.gyro_dps.astype(np.float32), csv_acc + 1e-6, csv_gyro + 1e-4
    return signal.acc_g, signal.gyro_dps, csv_acc + 1e-7, csv_gyro + 1e-5


def sample_indices(rec, strap, signal):
    """Signal index of every recorded sample (time 0 = the first delivered sample)."""
    # ACC and GYRO (Verity) start one command apart: the recording starts where both have data
    i0 = max(min(f.first for f in strap.log if f.stream == key) for key in {f.stream for f in strap.log})
    idx = np.rint(rec.time * signal.rate_hz).astype(np.int64) + i0
    # the recording's times are the strap's own sample times, to well under half a period
    err = rec.time - (signal.time_s[idx] - signal.time_s[i0])
    assert np.max(np.abs(err)) < 0.25 / signal.rate_hz + 1.1e-3  # GSP stamps are whole ms
    return idx


@pytest.mark.parametrize("kind", ["rfs", "polar", "movesense", "verity"])
def test_clean_recording_matches_the_strap_sample_by_sample(tmp_path, kind):
    rec, result, strap, signal = run_virtual(tmp_path, kind)
    assert result.stopped_by == "duration" and result.lost_samples == 0 and not rec.meta.gaps
    idx = sample_indices(rec, strap, signal)
    assert np.all(np.diff(idx) == 1)  # every sample once, in order, none missing
    assert rec.duration_s == pytest.approx(DURATION_S, abs=2.0 / signal.rate_hz)
    acc, gyro, tol_acc, tol_gyro = expected_values(kind, signal)
    np.testing.assert_allclose(rec.acc, acc[idx], rtol=0, atol=tol_acc)
    if gyro is None:
        assert rec.gyro is None
        assert rec.meta.extra["capabilities"]["has_gyro"] is False
    else:
        np.testing.assert_allclose(rec.gyro, gyro[idx], rtol=0, atol=tol_gyro)
        assert rec.meta.extra["capabilities"]["has_gyro"] is True
    assert rec.meta.nominal_rate_hz == RATES[kind]
    assert rec.meta.extra["virtual"] is True
    assert "running_speed_cadence" not in rec.meta.extra  # not offered: nothing invented


@pytest.mark.parametrize("kind", ["rfs", "polar", "movesense"])
def test_loss_and_disconnect_keep_one_honest_recording(tmp_path, kind):
    """5 % frame loss + one disconnect: recorded + gap samples == samples the strap produced over the
    recording's span, nothing duplicated, each gap as long as the frames that never arrived."""
    faults = Faults(loss=0.05, disconnect_at=[8.0], seed=11)
    rec, result, strap, signal = run_virtual(tmp_path, kind, faults)
    assert result.reconnects == 1 and strap.disconnects == 1
    assert result.lost_samples > 0
    idx = sample_indices(rec, strap, signal)
    assert np.all(np.diff(idx) > 0)  # in order, nothing duplicated
    delivered = strap.produced("delivered")
    span = (delivered >= idx[0]) & (delivered <= idx[-1])
    np.testing.assert_array_equal(idx, delivered[span])  # exactly the delivered samples
    gap_samples = sum(g.missing_samples for g in rec.meta.gaps)
    assert len(rec) + gap_samples == idx[-1] - idx[0] + 1
    assert rec.meta.lost_samples == gap_samples
    # each gap covers exactly the missing indices between its neighbours
    holes = np.flatnonzero(np.diff(idx) > 1)
    assert len(holes) == len(rec.meta.gaps)
    np.testing.assert_array_equal(np.diff(idx)[holes] - 1, [g.missing_samples for g in rec.meta.gaps])
    assert "disconnect" in {g.reason for g in rec.meta.gaps}
    acc, _, tol_acc, _ = expected_values(kind, signal)
    np.testing.assert_allclose(rec.acc, acc[idx], rtol=0, atol=tol_acc)


def test_corrupted_frames_are_counted_skipped_and_become_gaps(tmp_path):
    rec, result, strap, signal = run_virtual(tmp_path, "rfs", Faults(corrupt=0.05, seed=3))
    corrupt = sum(1 for f in strap.log if f.fate == "corrupt" and f.last <= sample_indices(rec, strap, signal)[-1])
    assert corrupt > 0
    assert result.bad_frames >= corrupt
    idx = sample_indices(rec, strap, signal)
    assert len(rec) + rec.meta.lost_samples == idx[-1] - idx[0] + 1
    assert rec.meta.extra["bad_frames"] == result.bad_frames


def test_burst_loss_is_one_gap_of_the_burst_length(tmp_path):
    rec, result, strap, signal = run_virtual(tmp_path, "polar", Faults(bursts=[(5.0, 1.0)]))
    assert len(rec.meta.gaps) == 1
    gap = rec.meta.gaps[0]
    lost = strap.produced("lost")
    assert gap.missing_samples == lost.size
    assert gap.duration_s == pytest.approx((lost.size + 1) / signal.rate_hz, abs=1e-3)


def test_clock_drift_is_estimated_from_arrival_times(tmp_path):
    """A strap clock 2000 ppm fast (an uncalibrated RC clock): the fit finds it from the arrival times
    in simulated time, as exactly at 40x real time as at full speed."""
    for speed in (SPEED, math.inf):
        rec, result, strap, signal = run_virtual(tmp_path, "rfs", Faults(drift_ppm=2000.0), duration=60.0,
                                                 speed=speed, name=f"drift{speed}")
        drift = rec.meta.extra["clock"]["drift_ppm"]
        assert drift == pytest.approx((1 / 1.002 - 1) * 1e6, abs=1.0)  # host seconds per sensor second
        assert result.lost_samples == 0 and not rec.meta.gaps


def test_a_simulated_recording_is_the_same_at_any_speed(tmp_path):
    """Simulated time, not wall time: the same world gives the same bytes paced at 40x or unpaced,
    with losses and a disconnect (whose back-off and timeouts all run on the simulated clock)."""
    faults = dict(loss=0.05, disconnect_at=[6.0], seed=4)
    outs = []
    for speed in (SPEED, math.inf):
        _, result, _, _ = run_virtual(tmp_path, "polar", Faults(**faults), duration=12.0, speed=speed, name=f"s{speed}")
        outs.append((tmp_path / f"s{speed}.csv").read_bytes())
        assert result.reconnects == 1 and result.stopped_by == "duration"
    assert outs[0] == outs[1]


@pytest.mark.parametrize("kind, mtu", [("polar", 185), ("rfs", 50)])
def test_small_mtu_is_a_clear_error(tmp_path, kind, mtu):
    with pytest.raises(LinkError, match="MTU"):
        run_virtual(tmp_path, kind, Faults(mtu=mtu), duration=2.0)


def test_unknown_device_name_is_a_clear_error(tmp_path):
    sim = simulate("bouncy", 5, rate_hz=208, seed=1)
    world = VirtualWorld([VirtualStrap(make_firmware("rfs", StrapSignal.from_sim(sim)))], speed=SPEED)
    with pytest.raises(LinkError, match="no 'Nope 1' found"):
        record(tmp_path / "x.csv", RecordSettings(device="Nope 1", duration_s=1.0, scan_timeout_s=0.3),
               backend=world.backends(), host=world.clock)


def test_silent_strap_is_disconnected_and_reconnected(tmp_path):
    """The strap stops streaming but stays connected: after STALL_S the link reconnects and the
    recording goes on, the silence recorded as one gap of exactly the samples never sent."""
    rec, result, strap, signal = run_virtual(tmp_path, "rfs", Faults(stall_at=[5.0]), duration=25.0)
    assert result.reconnects == 1 and result.stopped_by == "duration"
    assert [g.reason for g in rec.meta.gaps] == ["disconnect"]
    idx = sample_indices(rec, strap, signal)
    assert len(rec) + rec.meta.gaps[0].missing_samples == idx[-1] - idx[0] + 1
    assert rec.meta.gaps[0].duration_s > 10.0


def test_heart_rate_of_the_h10_is_recorded_alongside(tmp_path):
    from runform.firmware_sim.firmware import HR_BPM

    rec, result, strap, signal = run_virtual(tmp_path, "polar")
    hr = rec.meta.extra["heart_rate"]
    assert len(hr["bpm"]) >= DURATION_S - 2 and set(hr["bpm"]) == {HR_BPM}
    assert np.all(np.diff(hr["time_s"]) > 0) and hr["time_s"][-1] <= DURATION_S + 1
    assert len(hr["rr_ms"]) == 2 * len(hr["bpm"])
    assert rec.meta.extra["battery_pct"] is not None


def test_running_speed_and_cadence_is_recorded_where_the_strap_offers_it(tmp_path):
    """The virtual footpod (BLE RSC) reports the simulated runner's speed and cadence: 0 standing, the walk's
    and the run's speed (ground truth ``speed_mps``), the running flag only while running."""
    from runform.firmware_sim.profiles import Segment

    schedule = (Segment("stand", 8.0), Segment("walk", 16.0), Segment("run", 24.0))
    sim = simulate("easy", 48, rate_hz=104, seed=1, schedule=schedule)
    strap = VirtualStrap(make_firmware("rfs", StrapSignal.from_sim(sim), rsc=True))
    world = VirtualWorld([strap], speed=SPEED)
    out = tmp_path / "rsc.csv"
    record(out, RecordSettings(kind="rfs", duration_s=46.0), backend=world.backends(), host=world.clock)
    rsc = read_canonical(out).meta.extra["running_speed_cadence"]
    t, v, cad = (np.asarray(rsc[k], float) for k in ("time_s", "speed_m_s", "cadence_per_min"))
    assert len(t) >= 40
    truth = sim.truth.steps
    run, walk = truth["gait"] == "run", truth["activity"] == "walk"
    assert np.all(v[t < 6.0] == 0.0) and np.all(cad[t < 6.0] == 0)
    mid_walk, mid_run = (t > 12.0) & (t < 20.0), (t > 30.0) & (t < 44.0)
    np.testing.assert_allclose(v[mid_walk], np.median(truth["speed_mps"][walk]), atol=1 / 256)
    np.testing.assert_allclose(v[mid_run], np.median(truth["speed_mps"][run]), atol=1 / 256)
    assert np.median(cad[mid_run]) == pytest.approx(np.median(truth["cadence_spm"][run]), abs=3)


def test_a_footpod_needs_the_runners_speed():
    sim = simulate("easy", 10, rate_hz=52, seed=1)
    with pytest.raises(ValueError, match="runner's speed"):
        make_firmware("rfs", StrapSignal.from_recording(sim.recording), rsc=True)


@pytest.mark.parametrize("seed", range(6))
def test_every_sample_is_recorded_or_a_gap_at_any_seed_speed_drift_and_jitter(tmp_path, seed):
    """Issue 11 item 5 over many runs: the README's Polar recording with frame loss, bursty arrival
    latency and strap clock drift, paced and unpaced. It never aborts, times always increase,
    recorded + gap samples are exactly the strap's samples over the span, and the drift fit is right
    to well within a crystal's tolerance."""
    drift = (0.0, 40.0, -3000.0)[seed % 3]
    speed = (math.inf, 20.0)[seed % 2]
    sim = simulate("bouncy", 60 + 15, rate_hz=200, seed=seed, gyro=False)
    signal = StrapSignal.from_sim(sim)
    strap = VirtualStrap(make_firmware("polar", signal),
                         Faults(loss=0.03, latency_jitter_s=0.03, drift_ppm=drift, seed=seed))
    world = VirtualWorld([strap], speed=speed)
    out = tmp_path / "run.csv"
    result = record(out, RecordSettings(kind="polar", duration_s=60.0), backend=world.backends(), host=world.clock)
    rec = read_canonical(out)
    assert result.stopped_by == "duration" and result.overlapping_samples_dropped == 0
    assert np.all(np.diff(rec.time) > 0)
    delivered = strap.produced("delivered")
    first = delivered[0]  # the recording starts with the first sample that arrived
    last = delivered[len(rec) - 1]
    acc, _, tol, _ = expected_values("polar", signal)
    np.testing.assert_allclose(rec.acc, acc[delivered[: len(rec)]], rtol=0, atol=tol)  # each delivered one, in order
    gap_samples = sum(g.missing_samples for g in rec.meta.gaps)
    assert len(rec) + gap_samples == last - first + 1 and rec.meta.lost_samples == gap_samples > 0
    expected_ppm = (1 / (1 + drift * 1e-6) - 1) * 1e6
    assert rec.meta.extra["clock"]["drift_ppm"] == pytest.approx(expected_ppm, abs=50.0)
