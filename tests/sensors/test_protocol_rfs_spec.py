"""docs/reference-strap-protocol.md: its worked example and byte examples decode as the text says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from runform.sensors.protocols import rfs

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "reference-strap-protocol.md"
MARKER = "<!-- rfs-worked-example -->"


def _worked_example() -> bytes:
    text = SPEC.read_text()
    block = text.split(MARKER, 1)[1].split("```")[1]
    return bytes.fromhex(block.strip())


def _example(label: str) -> bytes:
    """Hex of the first inline code span after ``label`` in the spec."""
    text = SPEC.read_text()
    match = re.search(re.escape(label) + r"[^`]*`([0-9A-Fa-f ]+)`", text)
    return bytes.fromhex(match.group(1))


def test_worked_example_decodes_to_the_documented_values():
    frame = rfs.decode_data_frame(_worked_example())
    assert (frame.version, frame.frame_type, frame.seq, frame.t_last_ticks) == (1, rfs.RfsFrameType.IMU6_I16, 258, 74565)
    assert (frame.n_samples, frame.cfg_id, frame.fw_dropped) == (2, 3, 0)
    np.testing.assert_array_equal(frame.samples, [[0, 0, 4096, 10, -20, 30], [16, -8, 4100, 11, -21, 29]])
    info = rfs.decode_info(_example("Example (LSM6DSO"))
    assert (info.imu_model, info.cfg_id, info.tick_hz, info.odr_hz, info.firmware_version_str) == (1, 3, 32768, 416, "1.0")
    acc, gyro = frame.scaled(info)
    np.testing.assert_allclose(acc, [[0, 0, 0.999424], [0.003904, -0.001952, 1.000400]], atol=1e-6)
    np.testing.assert_allclose(gyro, [[0.70, -1.40, 2.10], [0.77, -1.47, 2.03]], atol=1e-6)
    ticks = rfs.nominal_sample_ticks(frame.t_last_ticks, frame.n_samples, info.tick_hz, info.odr_hz)
    np.testing.assert_allclose(ticks, [74486.231, 74565], atol=1e-3)
    np.testing.assert_allclose(ticks / info.tick_hz, [2.273139, 2.275543], atol=1e-6)


def test_control_examples_in_the_spec():
    start = rfs.parse_control_command(_example("Example: "))
    assert (start.odr_hz, start.acc_range_g, start.gyro_range_dps) == (416, 8, 2000)
    sync = rfs.parse_control_response(_example("when the write was received. Example:"))
    assert (sync.token, sync.sensor_tick) == (0xDEADBEEF, 1234567)


def test_spec_table_of_samples_per_frame_matches_the_codec():
    for mtu, imu6, acc in [(23, 0, 1), (63, 4, 8), (185, 14, 28), (247, 19, 38)]:
        assert rfs.max_samples_per_frame(mtu) == imu6
        assert rfs.max_samples_per_frame(mtu, rfs.RfsFrameType.ACC_I16) == acc


def test_worked_example_is_the_conformance_vector(vectors_dir):
    vectors = json.loads((vectors_dir / "reference_firmware_vectors.json").read_text())
    frames = [v["hex"] for v in vectors if v["kind"] == "data_frame"]
    infos = [v["hex"] for v in vectors if v["kind"] == "info_read"]
    assert _worked_example().hex() in frames
    assert _example("Example (LSM6DSO").hex() in infos


def test_spec_uuids_match_the_codec():
    text = SPEC.read_text()
    for uuid in (rfs.SERVICE_UUID, rfs.CONTROL_UUID, rfs.DATA_UUID, rfs.INFO_UUID):
        assert uuid in text
