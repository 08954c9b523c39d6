"""encode -> decode round trips of every codec (hypothesis), loss tracking and sample timing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from runform.sensors.protocols import CodecError, ble_sig, movesense_gsp, polar_pmd, rfs
from runform.sensors.protocols._bytes import pack_bit_fields, signed_bit_width, unpack_bit_fields

ACC = polar_pmd.PmdMeasurement.ACC
GYRO = polar_pmd.PmdMeasurement.GYRO
PPG = polar_pmd.PmdMeasurement.PPG
timestamps = st.integers(0, (1 << 64) - 1)


def int_samples(bits: int, channels: int, max_n: int):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return hnp.arrays(np.int64, st.tuples(st.integers(1, max_n), st.just(channels)), elements=st.integers(lo, hi))


@settings(max_examples=60, deadline=None)
@given(width=st.integers(1, 32), data=st.data())
def test_bit_fields_round_trip_every_width(width, data):
    lo, hi = -(1 << (width - 1)), (1 << (width - 1)) - 1
    values = np.array(data.draw(st.lists(st.integers(lo, hi), min_size=1, max_size=60)), dtype=np.int64)
    packed = pack_bit_fields(values, width)
    assert len(packed) == (width * values.size + 7) // 8
    np.testing.assert_array_equal(unpack_bit_fields(packed, width, values.size), values)
    assert signed_bit_width(values) <= width


def test_bit_fields_are_lsb_first():
    # Polar BLE SDK delta frames (PmdDataFrame.kt, issue #187): first 10-bit field of BE 5C is the low 10 bits of 0x5CBE = +190
    assert unpack_bit_fields(bytes([0xBE, 0x5C]), 10, 1)[0] == 190
    assert pack_bit_fields(np.array([-1, 3, 3]), 3) == bytes([0xDF, 0x00])


@settings(max_examples=60, deadline=None)
@given(samples=int_samples(16, 3, 40), ts=timestamps)
def test_pmd_uncompressed_acc_round_trip(samples, ts):
    frame = polar_pmd.decode_data_frame(polar_pmd.encode_raw_frame(ACC, ts, 0x01, samples))
    assert (frame.measurement_type, frame.timestamp_ns, frame.frame_type) == (ACC, ts, 0x01)
    np.testing.assert_array_equal(frame.samples, samples)
    assert frame.unit == "g" and frame.scale == pytest.approx(1e-3)


@settings(max_examples=60, deadline=None)
@given(samples=int_samples(16, 3, 60), ts=timestamps, frame_type=st.sampled_from([0x80, 0x81]),
       block=st.integers(1, 255))
def test_pmd_delta_acc_round_trip(samples, ts, frame_type, block):
    data = polar_pmd.encode_delta_frame(ACC, ts, frame_type, samples, max_block_samples=block)
    frame = polar_pmd.decode_data_frame(data)
    np.testing.assert_array_equal(frame.samples, samples)
    assert frame.timestamp_ns == ts and frame.compressed
    assert sum(count for _, count in frame.blocks) == samples.shape[0] - 1
    assert all(width <= 17 for width, _ in frame.blocks)


@settings(max_examples=40, deadline=None)
@given(samples=int_samples(16, 3, 60), block=st.integers(1, 255))
def test_pmd_delta_gyro_round_trip(samples, block):
    data = polar_pmd.encode_delta_frame(GYRO, 5, 0x80, samples, max_block_samples=block)
    frame = polar_pmd.decode_data_frame(data, factor=0.07)
    np.testing.assert_array_equal(frame.samples, samples)
    assert frame.unit == "deg/s" and frame.scale == pytest.approx(0.07)


@settings(max_examples=40, deadline=None)
@given(samples=int_samples(22, 4, 30))
def test_pmd_delta_22_bit_ppg_round_trip(samples):
    frame = polar_pmd.decode_data_frame(polar_pmd.encode_delta_frame(PPG, 7, 0x80, samples))
    np.testing.assert_array_equal(frame.samples, samples)


@settings(max_examples=40, deadline=None)
@given(samples=int_samples(16, 3, 60), cut=st.integers(1, 400))
def test_pmd_truncated_delta_frame_is_a_codec_error_or_a_block_prefix(samples, cut):
    data = polar_pmd.encode_delta_frame(ACC, 1, 0x81, samples, max_block_samples=7)
    prefix = data[: max(len(data) - cut, 0)]
    try:
        frame = polar_pmd.decode_data_frame(prefix)
    except CodecError:
        return
    np.testing.assert_array_equal(frame.samples, samples[: frame.n_samples])  # cut at a block boundary


def test_pmd_encoders_refuse_frames_above_the_att_maximum():
    with pytest.raises(CodecError, match="exceeds"):
        polar_pmd.encode_raw_frame(ACC, 0, 0x01, np.zeros((90, 3), dtype=np.int64))


def test_pmd_start_builders_and_responses():
    assert polar_pmd.build_start_acc(52, 8, 16, channels=3).hex() == "0202000134000101100002010800040103"
    gyro = polar_pmd.parse_request(polar_pmd.build_start_gyro(52, 2000, 16, channels=3))
    assert gyro.measurement_type == GYRO and gyro.settings[polar_pmd.PmdSetting.RANGE] == [2000]
    error = polar_pmd.parse_response(polar_pmd.encode_response(2, ACC, polar_pmd.PmdStatus.INVALID_MTU))
    assert error.more is None and error.status_name == "INVALID_MTU"
    ok = polar_pmd.parse_response(polar_pmd.encode_response(2, ACC, 0, params=polar_pmd.encode_settings({5: 0.5})))
    assert ok.factor() == 0.5


def test_pmd_sample_timer_spaces_frames_and_reports_lost_notifications():
    rate, n = 200, 36
    period = 1e9 / rate
    last = [int(round((k + 1) * n * period)) + 10**15 for k in range(6)]
    timer = polar_pmd.PmdSampleTimer(rate)
    kept = [0, 1, 2, 4, 5]  # frame 3 lost
    out = [timer.assign(last[k], n) for k in kept]
    assert [missing for _, missing in out] == [0, 0, 0, n, 0]
    times = np.concatenate([t for t, _ in out])
    steps = np.diff(times)
    assert np.all(np.abs(steps[steps < 2 * period] - period) <= 1)
    assert np.count_nonzero(steps > 2 * period) == 1
    timer.reset()
    assert timer.assign(last[0], n)[0][0] == last[0] - round((n - 1) * period)
    with pytest.raises(CodecError):
        timer.assign(last[0], n)  # not after the previous frame


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 12), ts=st.integers(0, 2**32 - 1), groups=st.sampled_from(["Acc", "IMU6", "IMU6m", "IMU9"]),
       data=st.data())
def test_gsp_imu_round_trip_through_reassembler(n, ts, groups, data):
    count = len(movesense_gsp.RESOURCE_VECTORS[groups])
    floats = hnp.arrays(np.float32, (count, n, 3), elements=st.floats(-1e4, 1e4, width=32))
    values = data.draw(floats)
    kwargs = dict(zip(movesense_gsp.RESOURCE_VECTORS[groups], values))
    parts = movesense_gsp.encode_imu_notifications(42, ts, **kwargs)
    reassembler = movesense_gsp.GspReassembler()
    messages = [m for p in parts for m in reassembler.feed(p)] + reassembler.flush()
    assert len(messages) == 1 and messages[0].reference == 42
    decoded = movesense_gsp.decode_imu_payload(messages[0].payload, groups)
    assert decoded.timestamp_ms == ts and decoded.n_samples == n
    for name, array in kwargs.items():
        np.testing.assert_array_equal(getattr(decoded, name), array)


def test_gsp_reassembler_rejects_orphan_part2_and_releases_unsplit_messages():
    reassembler = movesense_gsp.GspReassembler()
    with pytest.raises(CodecError):
        reassembler.feed(bytes([3, 5, 1, 2]))
    full = bytes([2, 5]) + bytes(movesense_gsp.PART1_PAYLOAD_BYTES)
    assert reassembler.feed(full) == []
    released = reassembler.feed(bytes([1, 5, 0xC8, 0]))
    assert [m.response for m in released] == [2, 1]
    assert movesense_gsp.command_status(released[1].payload) == 200


@settings(max_examples=60, deadline=None)
@given(samples=int_samples(16, 6, 19), seq=st.integers(0, 65535), t_last=st.integers(0, 2**32 - 1),
       cfg=st.integers(0, 255), dropped=st.integers(0, 65535))
def test_rfs_frame_round_trip(samples, seq, t_last, cfg, dropped):
    frame = rfs.decode_data_frame(rfs.encode_data_frame(seq, t_last, cfg, dropped, samples))
    assert (frame.seq, frame.t_last_ticks, frame.cfg_id, frame.fw_dropped) == (seq, t_last, cfg, dropped)
    np.testing.assert_array_equal(frame.samples, samples)


@settings(max_examples=30, deadline=None)
@given(samples=int_samples(16, 3, 30))
def test_rfs_acc_only_frame_round_trip(samples):
    frame = rfs.decode_data_frame(rfs.encode_data_frame(1, 2, 3, 0, samples, frame_type=rfs.RfsFrameType.ACC_I16))
    np.testing.assert_array_equal(frame.acc_raw, samples)
    assert frame.gyro_raw is None


@settings(max_examples=60, deadline=None)
@given(start=st.integers(0, 65535), lost=st.lists(st.integers(0, 5), min_size=1, max_size=40), n=st.integers(1, 19))
def test_rfs_sequence_tracker_counts_lost_frames_across_wraparound(start, lost, n):
    tick_hz, odr = 32768, 416
    tracker = rfs.SequenceTracker(tick_hz=tick_hz, odr_hz=odr)
    def t_last(frame_index):  # tick of the last sample of frame k (n samples per frame)
        return round(((frame_index + 1) * n - 1) * tick_hz / odr) % 2**32

    seq, index = start, 0
    steps = [tracker.update(seq % 65536, n, t_last(0), 0)]
    for gap in lost:
        seq += gap + 1
        index += gap + 1
        steps.append(tracker.update(seq % 65536, n, t_last(index), 0))
    assert [s.lost_frames for s in steps[1:]] == lost
    assert [s.missing_samples for s in steps[1:]] == [g * n for g in lost]
    assert not any(s.duplicate for s in steps)
    assert tracker.update(seq % 65536, n, 0, 0).duplicate


def test_rfs_sequence_tracker_reports_firmware_drops_with_wrap():
    tracker = rfs.SequenceTracker()
    tracker.update(10, 4, fw_dropped=65534)
    step = tracker.update(11, 4, fw_dropped=3)
    assert (step.lost_frames, step.firmware_dropped) == (0, 5)
    assert tracker.update(13, 4, fw_dropped=3).missing_samples == 4  # no ticks: lost frames x n


def test_rfs_control_round_trips_and_mtu_rule():
    assert rfs.parse_control_command(rfs.build_stop()).command == rfs.RfsCommand.STOP
    assert rfs.max_samples_per_frame(23) == 0 and rfs.max_samples_per_frame(65) == 4
    assert rfs.max_samples_per_frame(185) == 14 and rfs.max_samples_per_frame(247) == 19


@settings(max_examples=60, deadline=None)
@given(hr=st.integers(0, 65535), energy=st.none() | st.integers(0, 65535),
       rr=st.lists(st.integers(0, 65535), max_size=8),
       contact=st.sampled_from([ble_sig.CONTACT_NOT_SUPPORTED, ble_sig.CONTACT_NOT_DETECTED, ble_sig.CONTACT_DETECTED]))
def test_heart_rate_round_trip(hr, energy, rr, contact):
    m = ble_sig.decode_heart_rate(ble_sig.encode_heart_rate(hr, contact=contact, energy_expended_kj=energy, rr_1024=rr))
    assert (m.hr_bpm, m.energy_expended_kj, m.rr_1024, m.sensor_contact) == (hr, energy, tuple(rr), contact)
    assert all(abs(ms - r * 1000 / 1024) <= 0.5 for ms, r in zip(m.rr_ms, rr))


@settings(max_examples=60, deadline=None)
@given(speed=st.integers(0, 65535), cadence=st.integers(0, 255), stride=st.none() | st.integers(0, 65535),
       distance=st.none() | st.integers(0, 2**32 - 1), running=st.booleans())
def test_rsc_round_trip(speed, cadence, stride, distance, running):
    m = ble_sig.RscMeasurement(speed / 256, cadence, None if stride is None else stride / 100,
                               None if distance is None else distance / 10, running)
    data = ble_sig.encode_rsc_measurement(m)
    assert ble_sig.encode_rsc_measurement(ble_sig.decode_rsc_measurement(data)) == data
