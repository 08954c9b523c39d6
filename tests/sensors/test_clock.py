"""SampleClock: sample times from strap timestamps, gaps from sequence numbers and timestamp jumps,
counter wrap, and the lower-envelope drift fit on synthetic arrivals."""

from __future__ import annotations

import numpy as np
import pytest

from runform.sensors.clock import DriftEstimator, SampleClock

RATE = 208.0
TICK_HZ = 32768


def frames(n_frames, per_frame, rate=RATE, tick_hz=TICK_HZ, drift_ppm=0.0, t0_ticks=1000, anchor="last"):
    """(ticks, n, host_s) per frame of a strap whose clock runs ``drift_ppm`` fast, sample k at k/rate."""
    k_last = np.arange(1, n_frames + 1) * per_frame - 1
    k_anchor = k_last if anchor == "last" else k_last - (per_frame - 1)
    ticks = t0_ticks + np.rint(k_anchor / rate * tick_hz).astype(np.int64)
    host = (k_last / rate) / (1 + drift_ppm * 1e-6) + 0.02
    return ticks, host


def test_continuous_frames_give_uniform_times_and_no_gap():
    clock = SampleClock(RATE, TICK_HZ, "last", 1 << 32, 1 << 16)
    ticks, host = frames(50, 19)
    times = np.concatenate([clock.place(int(t), 19, h, seq=i).time_s for i, (t, h) in enumerate(zip(ticks, host))])
    assert times.size == 50 * 19 and not clock.gaps
    np.testing.assert_allclose(times, np.arange(times.size) / RATE, atol=1.0 / TICK_HZ)


def test_lost_frame_by_sequence_number_is_a_gap_of_its_samples():
    clock = SampleClock(RATE, TICK_HZ, "last", 1 << 32, 1 << 16)
    ticks, host = frames(10, 19)
    placed = [clock.place(int(ticks[i]), 19, host[i], seq=i) for i in range(10) if i not in (4, 5)]
    assert len(clock.gaps) == 1
    gap = clock.gaps[0]
    assert gap.missing_samples == 38 and gap.reason == "sequence"
    assert gap.start_s == pytest.approx(76 / RATE - 1 / RATE, abs=1e-4)
    assert gap.end_s == pytest.approx(114 / RATE, abs=1e-4)
    assert sum(p.time_s.size for p in placed) + gap.missing_samples == 190


def test_timestamp_jump_without_sequence_numbers_is_a_gap():
    clock = SampleClock(200.0, 1e9, "last")
    ts = (np.arange(1, 11) * 36 - 1) * 5_000_000 + 599_616_000 * 10**9
    for i in [0, 1, 2, 4, 5, 6, 7, 8, 9]:
        clock.place(int(ts[i]), 36, float(i))
    assert [(g.missing_samples, g.reason) for g in clock.gaps] == [(36, "timestamps")]


def test_first_sample_stamps_in_whole_ms_do_not_accumulate_error():
    """Movesense: u32 ms of the FIRST sample; 8 samples per message at 416 Hz for 10 minutes."""
    rate, n = 416.0, 8
    clock = SampleClock(rate, 1000.0, "first", 1 << 32)
    k_first = np.arange(0, 416 * 600, n)
    stamps = np.floor(k_first / rate * 1000).astype(np.int64) + 5
    times = np.concatenate([clock.place(int(s), n, k / rate).time_s for k, s in zip(k_first, stamps)])
    assert not clock.gaps and clock.dropped_overlap == 0
    assert np.all(np.diff(times) > 0)
    assert np.max(np.abs(times - np.arange(times.size) / rate)) < 1.5e-3  # the stamps' 1 ms resolution


def test_u32_tick_counter_wrap_is_unwrapped():
    clock = SampleClock(RATE, TICK_HZ, "last", 1 << 32, 1 << 16)
    ticks, host = frames(40, 19, t0_ticks=(1 << 32) - 20 * 19 * 158)
    times = np.concatenate([clock.place(int(t) & 0xFFFFFFFF, 19, h, seq=i).time_s
                            for i, (t, h) in enumerate(zip(ticks, host))])
    assert not clock.gaps and np.all(np.diff(times) > 0)
    assert times[-1] == pytest.approx((40 * 19 - 1) / RATE, abs=1e-4)


def test_duplicated_frame_is_dropped_not_recorded_twice():
    clock = SampleClock(RATE, TICK_HZ, "last")
    ticks, host = frames(5, 19)
    kept = [clock.place(int(ticks[i]), 19, host[i]).time_s.size for i in (0, 1, 1, 2)]
    assert kept == [19, 19, 0, 19] and clock.dropped_overlap == 19


def test_reconnect_gap_is_marked_disconnect_and_sequence_restarts():
    clock = SampleClock(RATE, TICK_HZ, "last", 1 << 32, 1 << 16)
    ticks, host = frames(30, 19)
    for i in range(10):
        clock.place(int(ticks[i]), 19, host[i], seq=i)
    clock.new_segment("disconnect")
    for j, i in enumerate(range(20, 30)):  # seq restarts at 0 after START
        clock.place(int(ticks[i]), 19, host[i], seq=j)
    assert [(g.missing_samples, g.reason) for g in clock.gaps] == [(190, "disconnect")]


@pytest.mark.parametrize("drift_ppm", [-300.0, 40.0, 3000.0])
def test_drift_fit_on_the_lower_envelope_of_bursty_latency(drift_ppm):
    """10 min of frames with exponential latency (mean 20 ms, as BLE connection events + OS): the
    fitted slope recovers the drift to a few ppm despite latency 10^3 times larger than the drift."""
    rng = np.random.default_rng(1)
    est = DriftEstimator()
    sensor = np.arange(0, 600, 19 / RATE)
    host = 5.0 + sensor / (1 + drift_ppm * 1e-6) + rng.exponential(0.02, sensor.size)
    for s, h in zip(sensor, host):
        est.add(s, h)
    assert est.fit()
    expected_ppm = (1 / (1 + drift_ppm * 1e-6) - 1) * 1e6
    assert (est.slope - 1) * 1e6 == pytest.approx(expected_ppm, abs=5.0)
    assert est.host_at(0.0) == pytest.approx(5.0, abs=0.002)


def test_clock_applies_the_drift_to_recording_time_continuously():
    clock = SampleClock(RATE, TICK_HZ, "last", 1 << 32, 1 << 16)
    ticks, host = frames(int(300 * RATE / 19), 19, drift_ppm=500.0)
    times = np.concatenate([clock.place(int(t), 19, h, seq=i % 65536).time_s for i, (t, h) in enumerate(zip(ticks, host))])
    assert np.all(np.diff(times) > 0)
    assert clock.drift_ppm == pytest.approx((1 / 1.0005 - 1) * 1e6, abs=5.0)
    # recording seconds follow host seconds: 300 sensor-s of samples last 300/1.0005 host-s
    assert times[-1] == pytest.approx(host[-1] - host[0] + 18 / RATE / 1.0005, abs=0.02)


@pytest.mark.parametrize("seed", range(6))
def test_recording_times_always_increase_when_the_drift_fit_jumps(seed):
    """A strap clock 4.5 % slow (an RC clock, within what the fit accepts): the first fit moves the
    slope from 1 to 1.045 at once, which must never place a frame's first sample at or before the
    previous frame's last one (issue 11 item 5: "block starts at 45.199 s, not after the last
    written sample 45.200 s"), with or without bursty arrival latency."""
    rng = np.random.default_rng(seed)
    rate, per_frame = 200.0, 36  # Polar H10 ACC: PMD ns stamps of the last sample
    clock = SampleClock(rate, 1e9, "last")
    k_last = np.arange(1, 600) * per_frame - 1
    sensor_s = k_last / rate
    host = sensor_s * 1.045 + 0.012 + rng.exponential(0.004, sensor_s.size) * (seed % 2)
    times = [clock.place(int(round(s * 1e9)), per_frame, h).time_s for s, h in zip(sensor_s, host)]
    edges = np.array([[t[0], t[-1]] for t in times])
    assert np.all(edges[1:, 0] > edges[:-1, 1])
    assert np.all(np.diff(np.concatenate(times)) > 0)
    assert clock.drift_ppm == pytest.approx(45000, abs=200)
