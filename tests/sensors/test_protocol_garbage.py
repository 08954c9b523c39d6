"""Truncated, oversized and random garbage bytes: every decoder either decodes or raises
CodecError, never IndexError, struct.error, ValueError, ..."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runform.sensors.protocols import CodecError, ble_sig, movesense_gsp, polar_pmd, rfs
from runform.sensors.protocols._bytes import MAX_ATT_VALUE_BYTES


def _feed_gsp(data):
    reassembler = movesense_gsp.GspReassembler()
    reassembler.feed(data)
    reassembler.feed(b"\x03" + bytes(data or b"")[1:])
    reassembler.flush()


DECODERS = {
    "pmd.data": polar_pmd.decode_data_frame,
    "pmd.data.partial": lambda b: polar_pmd.decode_data_frame(b, partial_ok=True),
    "pmd.data.res22": lambda b: polar_pmd.decode_data_frame(b, resolution_bits=22),
    "pmd.control_point": polar_pmd.parse_control_point,
    "pmd.request": polar_pmd.parse_request,
    "pmd.settings": polar_pmd.decode_settings,
    "pmd.start_factor": lambda b: polar_pmd.parse_response(b).factor(),
    "gsp.command": movesense_gsp.parse_command,
    "gsp.notification": movesense_gsp.parse_notification,
    "gsp.status": movesense_gsp.command_status,
    "gsp.reassembler": _feed_gsp,
    **{f"gsp.{r}": (lambda r: lambda b: movesense_gsp.decode_imu_payload(b, r))(r) for r in movesense_gsp.RESOURCE_VECTORS},
    "rfs.info": rfs.decode_info,
    "rfs.data": rfs.decode_data_frame,
    "rfs.control": rfs.parse_control_command,
    "rfs.control_response": rfs.parse_control_response,
    "sig.heart_rate": ble_sig.decode_heart_rate,
    "sig.battery": ble_sig.decode_battery_level,
    "sig.rsc": ble_sig.decode_rsc_measurement,
}

#: plausible first bytes, so random tails reach deep into each decoder
PREFIXES = [b""] + [bytes([m]) + bytes(8) + bytes([f]) for m, f in polar_pmd.FRAME_FORMATS] + [
    b"\xf0\x02\x02\x00\x00", b"\x01\x01", b"\x02\x01", b"\x03\x01", b"\x01\x01\x00\x00\x00\x00\x00\x00",
]


@pytest.mark.parametrize("name", sorted(DECODERS))
@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=300))
def test_random_bytes_only_ever_raise_codec_error(name, prefix, tail):
    try:
        DECODERS[name](prefix + tail)
    except CodecError:
        pass


@pytest.mark.parametrize("name", sorted(DECODERS))
def test_oversized_values_are_codec_errors(name):
    with pytest.raises(CodecError):
        DECODERS[name](b"\x02" + bytes(MAX_ATT_VALUE_BYTES + 1000))


@pytest.mark.parametrize("name", sorted(DECODERS))
def test_empty_and_non_bytes_are_codec_errors(name):
    for bad in (b"", "text", None):
        try:
            DECODERS[name](bad)
        except CodecError:
            continue
        assert bad == b"" and name == "pmd.settings"  # an empty settings list is valid


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 8))
def test_corrupted_valid_frames_only_raise_codec_error(seed, flips):
    rng = np.random.default_rng(seed)
    samples = rng.integers(-2000, 2000, size=(30, 3))
    frames = [
        (polar_pmd.decode_data_frame, polar_pmd.encode_delta_frame(2, 123, 0x81, samples, max_block_samples=9)),
        (polar_pmd.decode_data_frame, polar_pmd.encode_raw_frame(2, 123, 0x01, samples)),
        (rfs.decode_data_frame, rfs.encode_data_frame(9, 99, 1, 0, np.hstack([samples[:19], samples[:19]]))),
        (lambda b: movesense_gsp.decode_imu_payload(b[2:], "IMU6"),
         movesense_gsp.encode_imu_notifications(3, 1000, samples[:6] / 100, samples[6:12])[0]),
    ]
    for decode, frame in frames:
        data = bytearray(frame)
        for position in rng.integers(0, len(data), flips):
            data[int(position)] = int(rng.integers(0, 256))
        cut = int(rng.integers(0, len(data) + 1))
        for candidate in (bytes(data), bytes(data[:cut])):
            try:
                decode(candidate)
            except CodecError:
                pass


def test_every_strict_prefix_of_an_rfs_frame_is_rejected():
    frame = rfs.encode_data_frame(1, 2, 3, 0, np.ones((5, 6), dtype=np.int64))
    for cut in range(len(frame)):
        with pytest.raises(CodecError):
            rfs.decode_data_frame(frame[:cut])


def test_every_truncation_of_an_uncompressed_pmd_frame_is_rejected_unless_whole_samples():
    frame = polar_pmd.encode_raw_frame(2, 7, 0x01, np.arange(30).reshape(10, 3))
    for cut in range(len(frame)):
        whole = cut > polar_pmd.HEADER_BYTES and (cut - polar_pmd.HEADER_BYTES) % 6 == 0
        if whole:
            assert polar_pmd.decode_data_frame(frame[:cut]).n_samples == (cut - 10) // 6
        else:
            with pytest.raises(CodecError):
                polar_pmd.decode_data_frame(frame[:cut])


def test_unknown_rfs_version_is_refused():
    frame = bytearray(rfs.encode_data_frame(1, 2, 3, 0, np.ones((2, 6), dtype=np.int64)))
    frame[0] = 2
    with pytest.raises(rfs.UnsupportedVersionError):
        rfs.decode_data_frame(bytes(frame))
