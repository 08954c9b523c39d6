"""Every vector in ../shared/data/ble-vectors/*.json (and the Polar ACC real-data vectors)
decodes to its recorded values. Skips when ../shared is absent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from runform.sensors.protocols import CodecError, DeviceCommandError
from runform.sensors.protocols import ble_sig, movesense_gsp, polar_pmd, rfs

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ble-vectors"


def _params(file_name: str):
    path = VECTORS / file_name
    if not path.is_file():
        return [pytest.param(None, id="absent")]
    entries = json.loads(path.read_text())
    return [pytest.param(i, id=f"{i}-{e['kind']}") for i, e in enumerate(entries)]


def _entry(vectors_dir, file_name: str, index):
    return json.loads((vectors_dir / file_name).read_text())[index]


def _number(text) -> int:
    """'ACC (0x02)' -> 2, 'SUCCESS (0)' -> 0, 'ACC (2)' -> 2, 7 -> 7, '0x81 (...)' -> 0x81."""
    if isinstance(text, int):
        return text
    match = re.search(r"\((0x[0-9a-fA-F]+|\d+)\)", text) or re.match(r"(0x[0-9a-fA-F]+|\d+)", text)
    if match is None:  # a bare name such as 'ACC'
        return polar_pmd.PmdMeasurement[text.strip()].value
    return int(match.group(1), 0)


def _status(text) -> int:
    if isinstance(text, int):
        return text
    if "(" in text:
        return _number(text)
    return polar_pmd.PmdStatus[text.replace("ERROR_", "")].value


SETTING_KEYS = {
    "SAMPLE_RATE_hz": polar_pmd.PmdSetting.SAMPLE_RATE,
    "RESOLUTION_bits": polar_pmd.PmdSetting.RESOLUTION,
    "RANGE_g": polar_pmd.PmdSetting.RANGE,
    "RANGE": polar_pmd.PmdSetting.RANGE,
    "CHANNELS": polar_pmd.PmdSetting.CHANNELS,
    "FACTOR": polar_pmd.PmdSetting.FACTOR,
}


def _settings(decoded: dict) -> dict:
    return {SETTING_KEYS[k]: v for k, v in decoded.items()}


# ----------------------------------------------------------------------------- Polar PMD

PMD = "polar_pmd_vectors.json"


def _check_pmd_data_frame(e: dict) -> None:
    d = e["decoded"]
    data = bytes.fromhex(e["hex"])
    well_formed = not ("block1" in d and not d["block1"].get("complete", True)) and "first_samples_raw" not in d
    if not well_formed:
        with pytest.raises(CodecError, match="needs"):
            polar_pmd.decode_data_frame(data)
    frame = polar_pmd.decode_data_frame(data, partial_ok=not well_formed)
    assert frame.measurement_type == _number(d["measurement_type"])
    assert frame.timestamp_ns == d["timestamp_ns"]
    assert frame.frame_type == _number(d["frame_type"])
    if "n_samples" in d:
        assert frame.n_samples == d["n_samples"]
    if "blocks" in d:
        assert [list(b) for b in frame.blocks] == [[b["width"], b["count"]] for b in d["blocks"]]
    if "block1" in d:
        assert frame.blocks[0][0] == d["block1"]["bit_width"]
    for key in ("samples_raw", "samples_mg", "samples_raw_ppg0_ppg1_ppg2_ambient", "samples_uint32_bits"):
        if key in d:
            expected = np.array(d[key])
            raw = frame.samples
            if key == "samples_uint32_bits":
                raw = raw.view(np.uint32)
            np.testing.assert_array_equal(raw, expected)
    if "samples_uv" in d:
        np.testing.assert_array_equal(frame.samples[:, 0], d["samples_uv"])
        assert frame.unit == "uV"
    for key in ("first_samples_raw",):
        if key in d:
            np.testing.assert_array_equal(frame.samples[: len(d[key])], d[key])
    for key in ("reference_sample_raw", "reference_sample_mg"):
        if key in d:
            np.testing.assert_array_equal(frame.samples[0], d[key])
    if "samples_dps" in d:
        np.testing.assert_allclose(frame.values(), d["samples_dps"], rtol=1e-6)
        assert frame.unit == "deg/s"
    if "samples_dps_with_factor_1" in d:
        np.testing.assert_allclose(frame.values(), d["samples_dps_with_factor_1"])
    if "samples_gauss" in d:
        np.testing.assert_allclose(frame.values()[:, :3], np.array(d["samples_gauss"])[:, :3])
        np.testing.assert_array_equal(frame.samples[:, 3], np.array(d["samples_gauss"])[:, 3])
    if "samples_mg_first2" in d:  # SDK: trunc(float32(raw * factor * 1000))
        factor = np.float32(d["factor_used_by_test"])
        mg = np.trunc(frame.samples[:2].astype(np.float32) * factor * np.float32(1000))
        np.testing.assert_array_equal(mg, d["samples_mg_first2"])
        scaled = polar_pmd.decode_data_frame(data, factor=d["factor_used_by_test"])
        np.testing.assert_allclose(scaled.values()[:2] * 1000, d["samples_mg_first2"], atol=1.0)
        assert scaled.unit == "g"
    if "sample_timestamps_ns_first_frame_52hz" in d:
        times = polar_pmd.sample_timestamps_ns(0, frame.timestamp_ns, frame.n_samples, 52)
        np.testing.assert_array_equal(times, d["sample_timestamps_ns_first_frame_52hz"])
    if "sample_timestamps_ns" in d:
        times = polar_pmd.sample_timestamps_ns(d["previous_frame_timestamp_ns"], frame.timestamp_ns, frame.n_samples)
        np.testing.assert_array_equal(times, d["sample_timestamps_ns"])
    published = e.get("hex_published_prefix")
    if published:  # the stored excerpt ends inside a block: strict rejects, partial keeps the prefix
        with pytest.raises(CodecError):
            polar_pmd.decode_data_frame(bytes.fromhex(published))
        longer = polar_pmd.decode_data_frame(bytes.fromhex(published), partial_ok=True)
        np.testing.assert_array_equal(longer.samples[: frame.n_samples], frame.samples)


@pytest.mark.parametrize("index", _params(PMD))
def test_polar_pmd_vector(vectors_dir, index):
    e = _entry(vectors_dir, PMD, index)
    kind, d = e["kind"], e["decoded"]
    data = bytes.fromhex(e["hex"]) if e["hex"] else None
    if kind == "cp_read_features":
        features = polar_pmd.parse_control_point(data)
        assert features.supported == set(d["supported"])
        assert polar_pmd.encode_features(features.supported) == data
    elif kind == "cp_request":
        request = polar_pmd.parse_request(data)
        assert request.op == _number(d["op"])
        measurement = _number(d.get("measurement_type", d.get("first_byte", "")))
        assert request.measurement_type == measurement and not request.offline
        if "settings" in d:
            expected = _settings(d["settings"])
            assert {k: v[0] for k, v in request.settings.items()} == expected
            assert polar_pmd.build_start(measurement, expected) == data
        elif request.op == polar_pmd.PmdOp.GET_MEASUREMENT_SETTINGS:
            assert polar_pmd.build_get_settings(measurement) == data
        else:
            assert polar_pmd.build_stop(measurement) == data
    elif kind == "cp_response":
        response = polar_pmd.parse_control_point(data)
        assert response.op == d["op"] and response.measurement_type == d["measurement_type"]
        assert response.status == _status(d["status"])
        assert response.more == d.get("more", False)
        if "parameters_hex" in d:
            assert response.params.hex() == d["parameters_hex"]
        settings = d.get("settings")
        if settings and response.op == polar_pmd.PmdOp.GET_MEASUREMENT_SETTINGS:
            assert response.settings() == _settings(settings)
        if response.op == polar_pmd.PmdOp.REQUEST_MEASUREMENT_START:
            expected = (settings or {}).get("FACTOR", 1.0)
            assert response.factor() == pytest.approx(expected, rel=1e-7)
        if response.ok:
            assert response.raise_for_status() is response
        else:
            with pytest.raises(DeviceCommandError, match=polar_pmd.status_name(response.status)):
                response.raise_for_status()
    elif kind == "cp_indication_from_device":
        stopped = polar_pmd.parse_control_point(data)
        assert [polar_pmd.PmdMeasurement(t).name for t in stopped.measurement_types] == d["measurement_types"]
    elif kind == "cp_settings_tlv":
        assert polar_pmd.decode_settings(data) == _settings(d)
        assert polar_pmd.encode_settings(_settings(d)) == data
    elif kind == "data_frame":
        _check_pmd_data_frame(e)
    elif kind == "timestamp_case":
        args = (d["previous_frame_timestamp_ns"], d["frame_timestamp_ns"], d["n_samples"], d["sample_rate_hz"])
        if "expected" in d:
            with pytest.raises(CodecError):
                polar_pmd.sample_timestamps_ns(*args)
        else:
            np.testing.assert_array_equal(polar_pmd.sample_timestamps_ns(*args), d["expected_sample_timestamps_ns"])
    else:
        pytest.fail(f"no check for vector kind {kind!r}")


def test_polar_h10_ecg_sequence_timing(vectors_dir):
    """Six consecutive real H10 ECG notifications: the timer reproduces the exact sample times."""
    entries = [e for e in json.loads((vectors_dir / PMD).read_text()) if e.get("sequence") == "h10_ecg_gatttool"]
    assert len(entries) == 6
    timer = polar_pmd.PmdSampleTimer(rate_hz=130)
    for e in entries:
        frame = polar_pmd.decode_data_frame(bytes.fromhex(e["hex"]))
        times, missing = timer.assign(frame.timestamp_ns, frame.n_samples)
        assert missing == 0 and times[-1] == frame.timestamp_ns
        d = e["decoded"]
        if "sample_timestamps_ns_first3_last" in d:
            expected = d["sample_timestamps_ns_first3_last"]
            np.testing.assert_array_equal(list(times[:3]) + [times[-1]], expected)
            rate = frame.n_samples * 1e9 / d["ns_since_previous_frame"]
            assert rate == pytest.approx(d["effective_rate_hz"], abs=1e-3)


REAL_ACC = "polar_pmd_acc_vectors/polar_pmd_acc_test_vectors.json"


def test_polar_acc_real_vectors(real_dir):
    """The Polar SDK AccDataTest vectors (real_dir/polar_pmd_acc_vectors)."""
    vectors = {v["name"]: v for v in json.loads((real_dir / REAL_ACC).read_text())["vectors"]}
    assert len(vectors) == 3
    for v in vectors.values():
        data = bytes.fromhex(v["notification_hex"])
        frame = polar_pmd.decode_data_frame(data, factor=v.get("factor", 1.0))
        assert frame.measurement_type == v["header"]["measurement_type"]
        assert frame.timestamp_ns == v["header"]["timestamp_ns"]
        assert frame.frame_type == int(v["header"]["frame_type_byte"], 16)
        assert frame.n_samples == v["n_samples"]
        assert frame.unit == "g"
    raw = vectors["acc_frame_type_1_uncompressed_int16"]
    frame = polar_pmd.decode_data_frame(bytes.fromhex(raw["notification_hex"]))
    np.testing.assert_array_equal(frame.samples, raw["samples_mg_xyz"])
    times = polar_pmd.sample_timestamps_ns(0, frame.timestamp_ns, frame.n_samples, raw["sample_rate_hz_used_by_test"])
    assert times[-1] == raw["last_sample_timestamp_ns"]

    delta = vectors["acc_frame_type_0x80_delta_compressed"]
    frame = polar_pmd.decode_data_frame(bytes.fromhex(delta["notification_hex"]), factor=delta["factor"])
    assert frame.blocks == ((delta["delta_bit_width"], delta["delta_sample_count"]),)
    np.testing.assert_array_equal(frame.samples[0], delta["reference_sample_raw_xyz"])
    np.testing.assert_array_equal(frame.samples[1], delta["second_sample_raw_xyz"])
    mg = np.trunc(frame.samples.astype(np.float32) * np.float32(delta["factor"]) * np.float32(1000))
    np.testing.assert_array_equal(mg[0], delta["expected_mg_sample0"])
    np.testing.assert_array_equal(mg[1], delta["expected_mg_sample1"])
    assert np.abs(mg).max() <= delta["range_g"] * 1000
    times = polar_pmd.sample_timestamps_ns(delta["previous_frame_timestamp_ns"], frame.timestamp_ns, frame.n_samples)
    assert times[-1] == delta["expected_last_sample_timestamp_ns"]

    short = vectors["acc_frame_type_0x81_delta_compressed_short"]
    frame = polar_pmd.decode_data_frame(bytes.fromhex(short["notification_hex"]))
    np.testing.assert_array_equal(frame.samples, short["expected_samples_xyz"])
    np.testing.assert_allclose(frame.values(), np.array(short["expected_samples_xyz"]) / 1000)
    times = polar_pmd.sample_timestamps_ns(short["previous_frame_timestamp_ns"], frame.timestamp_ns, frame.n_samples)
    np.testing.assert_array_equal(times, short["expected_timestamps_ns"])


# ----------------------------------------------------------------------------- SIG

SIG = "ble_sig_vectors.json"


@pytest.mark.parametrize("index", _params(SIG))
def test_ble_sig_vector(vectors_dir, index):
    e = _entry(vectors_dir, SIG, index)
    kind, d, data = e["kind"], e["decoded"], bytes.fromhex(e["hex"])
    if kind == "heart_rate_measurement_0x2A37":
        hr = ble_sig.decode_heart_rate(data)
        assert hr.hr_bpm == d["hr_bpm"]
        assert hr.uint16 == (d["hr_format"] == "uint16")
        assert hr.sensor_contact == d["sensor_contact"]
        assert hr.energy_expended_kj == d.get("energy_expended_kj")
        assert hr.rr_1024 == tuple(d.get("rr_1_1024_s", []))
        assert hr.rr_ms == tuple(d.get("rr_ms_rounded", []))
        again = ble_sig.encode_heart_rate(hr.hr_bpm, contact=hr.sensor_contact, energy_expended_kj=hr.energy_expended_kj,
                                          rr_1024=hr.rr_1024, uint16=hr.uint16)
        assert ble_sig.decode_heart_rate(again) == hr
    elif kind == "rsc_measurement_0x2A53":
        if "error" in d:
            with pytest.raises(CodecError, match="announce 10 bytes, got 9"):
                ble_sig.decode_rsc_measurement(data)
            return
        rsc = ble_sig.decode_rsc_measurement(data)
        assert rsc.running == (d["status"] == "running")
        assert rsc.speed_m_s == pytest.approx(d["instantaneous_speed_m_s"])
        assert rsc.cadence_per_min == d["instantaneous_cadence_per_min"]
        assert rsc.stride_length_m == pytest.approx(d.get("instantaneous_stride_length_m"))
        assert rsc.total_distance_m == pytest.approx(d.get("total_distance_m"))
        assert ble_sig.encode_rsc_measurement(rsc) == data
    elif kind == "battery_level_0x2A19":
        assert ble_sig.decode_battery_level(data) == d["battery_percent"]
        assert ble_sig.encode_battery_level(d["battery_percent"]) == data
    else:
        pytest.fail(f"no check for vector kind {kind!r}")


# ----------------------------------------------------------------------------- Movesense GSP

GSP = "movesense_gsp_vectors.json"


@pytest.mark.parametrize("index", _params(GSP))
def test_movesense_gsp_vector(vectors_dir, index):
    e = _entry(vectors_dir, GSP, index)
    kind, d, data = e["kind"], e["decoded"], bytes.fromhex(e["hex"])
    if kind == "gsp_command":
        command = movesense_gsp.parse_command(data)
        assert command.command == _number(d["command"]) and command.reference == d["reference"]
        assert command.path == d.get("path")
        build = {
            movesense_gsp.GspCommand.HELLO: lambda: movesense_gsp.build_hello(command.reference),
            movesense_gsp.GspCommand.SUBSCRIBE: lambda: movesense_gsp.build_subscribe(command.reference, command.path),
            movesense_gsp.GspCommand.UNSUBSCRIBE: lambda: movesense_gsp.build_unsubscribe(command.reference),
        }[command.command]
        assert build() == data
        if command.path:
            resource, rate = movesense_gsp.parse_path(command.path)
            assert movesense_gsp.imu_path(resource, rate) == command.path
    elif kind == "gsp_notification":
        message = movesense_gsp.parse_notification(data)
        assert message.response == _number(d["response"]) and message.reference == d["reference"]
        if message.response == movesense_gsp.GspResponse.COMMAND_RESULT:
            if "payload_ascii" in d:
                assert message.payload.decode() == d["payload_ascii"]
                assert movesense_gsp.command_status(message.payload) == 200
            else:
                expected = d.get("status") or int(re.match(r"(\d+)", d["meaning"]).group(1))
                assert movesense_gsp.command_status(message.payload) == expected
        else:
            samples = movesense_gsp.decode_imu_payload(message.payload, "IMU6")
            assert samples.timestamp_ms == d["timestamp_ms_first_sample"]
            assert samples.n_samples == d["n_samples"] == (len(data) - 6) // 24
            np.testing.assert_allclose(samples.acc, d["acc_m_s2"], rtol=1e-6)
            np.testing.assert_allclose(samples.gyro, d["gyro_dps"], rtol=1e-6)
            assert samples.magn is None
            again = movesense_gsp.encode_imu_notifications(message.reference, samples.timestamp_ms, samples.acc, samples.gyro)
            assert again == [data]
    elif kind == "gsp_notification_pair":
        part1, part2 = data, bytes.fromhex(e["part2_hex"])
        assert len(part1) == 2 + movesense_gsp.PART1_PAYLOAD_BYTES
        reassembler = movesense_gsp.GspReassembler()
        assert reassembler.feed(part1) == []
        (message,) = reassembler.feed(part2)
        assert message.reference == d["reference"] == 101
        r = e["reassembled_decoded"]
        samples = movesense_gsp.decode_imu_payload(message.payload, "IMU9")
        assert samples.timestamp_ms == r["timestamp_ms"]
        np.testing.assert_allclose(samples.acc, r["acc_m_s2"], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(samples.gyro, r["gyro_dps"], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(samples.magn, r["magn_uT"], rtol=1e-6)
        again = movesense_gsp.encode_imu_notifications(101, samples.timestamp_ms, samples.acc, samples.gyro, samples.magn)
        assert again == [part1, part2]
    else:
        pytest.fail(f"no check for vector kind {kind!r}")


# ----------------------------------------------------------------------------- RFS

RFS = "reference_firmware_vectors.json"


def _info0(vectors_dir) -> rfs.RfsInfo:
    return rfs.decode_info(bytes.fromhex(_entry(vectors_dir, RFS, 0)["hex"]))


@pytest.mark.parametrize("index", _params(RFS))
def test_reference_firmware_vector(vectors_dir, index):
    e = _entry(vectors_dir, RFS, index)
    kind, d = e["kind"], e["decoded"]
    data = bytes.fromhex(e["hex"]) if e["hex"] else None
    if kind == "info_read":
        info = rfs.decode_info(data)
        assert info.protocol_version == d["protocol_version"]
        assert info.imu_model == _number(d["imu_model"].split()[0])
        assert info.cfg_id == d["cfg_id"] and info.tick_hz == d["tick_hz"] and info.odr_hz == d["odr_hz_nominal"]
        assert info.acc_g_per_lsb == pytest.approx(d["acc_g_per_lsb"], rel=1e-7)
        assert info.gyro_dps_per_lsb == pytest.approx(d["gyro_dps_per_lsb"], rel=1e-7)
        assert info.firmware_version_str == d["fw_version"]
        if "flags" in d:
            assert info.flags == _number(d["flags"].split()[0]) and info.gyro_enabled
        assert rfs.encode_info(info) == data
    elif kind == "control_write":
        command = rfs.parse_control_command(data)
        assert command.command == _number(d["cmd"])
        if command.command == rfs.RfsCommand.START:
            assert (command.odr_hz, command.acc_range_g, command.gyro_range_dps) == (d["odr_hz"], d["acc_range_g"], d["gyro_range_dps"])
            assert rfs.build_start(command.odr_hz, command.acc_range_g, command.gyro_range_dps) == data
        elif command.command == rfs.RfsCommand.TIME_SYNC:
            assert command.token == d["host_token"] and rfs.build_time_sync(command.token) == data
        else:
            assert rfs.build_stop() == data
    elif kind == "control_indication":
        response = rfs.parse_control_response(data)
        assert rfs.RfsCommand(response.command).name == d["response_to"]
        assert response.status_name == d["status"].split()[0]
        if response.ok:
            response.raise_for_status()
        else:
            with pytest.raises(DeviceCommandError, match="MTU_TOO_SMALL"):
                response.raise_for_status()
        if "host_token" in d:
            assert (response.token, response.sensor_tick) == (d["host_token"], d["sensor_tick_at_rx"])
        assert rfs.encode_control_response(response.command, response.status, response.token, response.sensor_tick) == data
    elif kind == "data_frame":
        frame = rfs.decode_data_frame(data)
        assert frame.version == d.get("version", 1) and frame.frame_type == rfs.RfsFrameType.IMU6_I16
        assert (frame.seq, frame.t_last_ticks, frame.n_samples) == (d["seq"], d["t_last_ticks"], d["n"])
        assert (frame.cfg_id, frame.fw_dropped) == (d["cfg_id"], d["fw_dropped_samples_total"])
        np.testing.assert_array_equal(frame.samples, d["samples_raw"])
        if "length" in d:
            assert len(data) == d["length"] and frame.n_samples == rfs.max_samples_per_frame(247)
        if "samples_g_dps_with_info0" in d:
            acc, gyro = frame.scaled(_info0(vectors_dir))
            np.testing.assert_allclose(np.hstack([acc, gyro]), d["samples_g_dps_with_info0"], rtol=1e-6)
            info = _info0(vectors_dir)
            ticks = rfs.nominal_sample_ticks(frame.t_last_ticks, frame.n_samples, info.tick_hz, info.odr_hz)
            np.testing.assert_allclose(ticks, d["sample_ticks_nominal"], atol=1e-3)
            np.testing.assert_allclose(ticks / info.tick_hz, d["sample_times_s"], atol=1e-6)
        assert rfs.encode_data_frame(frame.seq, frame.t_last_ticks, frame.cfg_id, frame.fw_dropped, frame.samples) == data
    elif kind == "frame_sequence":
        frames = [rfs.decode_data_frame(bytes.fromhex(h)) for h in e["frames_hex"]]
        assert [f.seq for f in frames] == d["seq"]
        tracker = rfs.SequenceTracker()
        steps = [tracker.update_frame(f) for f in frames]
        assert [s.lost_frames for s in steps] == [0, 0, d["lost_frames_between_2nd_and_3rd"]]
        assert steps[2].missing_samples == frames[1].n_samples
    else:
        pytest.fail(f"no check for vector kind {kind!r}")
