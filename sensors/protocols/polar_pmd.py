"""Polar Measurement Data (PMD) codec: control point and data frames (Polar H10, Verity Sense).

Byte layouts follow the official Polar BLE SDK (polarofficial/polar-ble-sdk, 2026, Android
``pmd/*.kt`` and their tests) and Polar's ``technical_documentation/online_measurement.pdf`` (2024),
github.com/polarofficial/polar-ble-sdk; the facts relied on are listed in docs/devices.md,
"Protocol sources". Deviations from the SDK:

- truncated delta blocks raise :class:`CodecError` (the SDK reads past the end);
- sample timing uses exact integer arithmetic with round-half-even (the SDK uses float64,
  which quantises 2019-era nanosecond values to 128 ns);
- :class:`PmdSampleTimer` detects lost notifications (spacing above ``gap_factor`` x nominal)
  instead of spreading the samples of one frame over two frames' worth of time.

All functions are pure; no I/O.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Mapping, Sequence

import numpy as np

from runform.sensors.protocols._bytes import (
    MAX_ATT_VALUE_BYTES,
    as_bytes,
    need,
    pack_bit_fields,
    read_le_ints,
    sign_extend,
    signed_bit_width,
    unpack_bit_fields,
    write_le_ints,
)
from runform.sensors.protocols.errors import CodecError, DeviceCommandError

SERVICE_UUID = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
CONTROL_POINT_UUID = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
DATA_UUID = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"

#: ATT MTU the H10 needs before any PMD command works (else INVALID_MTU).
MIN_ATT_MTU = 232
#: PMD timestamps count ns since 2000-01-01T00:00:00 (sensor clock); add this for Unix ns.
EPOCH_2000_UNIX_NS = 946_684_800_000_000_000
NS_PER_S = 1_000_000_000

HEADER_BYTES = 10  # type u8, timestamp u64, frame type u8
COMPRESSED_BIT = 0x80
MEASUREMENT_TYPE_MASK = 0x3F
OFFLINE_RECORDING_BIT = 0x80
MAX_DELTA_WIDTH_BITS = 32
MAX_BLOCK_SAMPLES = 255
#: timing arithmetic is int64; 2**62 ns is 146 years after 2000 (no real clock gets there)
MAX_TIMESTAMP_NS = 1 << 62


class PmdMeasurement(IntEnum):
    ECG = 0
    PPG = 1
    ACC = 2
    PPI = 3
    GYRO = 5
    MAG = 6
    SKIN_TEMP = 7
    SDK_MODE = 9
    LOCATION = 10
    PRESSURE = 11
    TEMPERATURE = 12
    OFFLINE_RECORDING = 13
    OFFLINE_HR = 14


class PmdOp(IntEnum):
    GET_MEASUREMENT_SETTINGS = 0x01
    REQUEST_MEASUREMENT_START = 0x02
    STOP_MEASUREMENT = 0x03
    GET_SDK_MODE_MEASUREMENT_SETTINGS = 0x04
    GET_MEASUREMENT_STATUS = 0x05
    GET_SDK_MODE_STATUS = 0x06


class PmdStatus(IntEnum):
    SUCCESS = 0
    INVALID_OP_CODE = 1
    INVALID_MEASUREMENT_TYPE = 2
    NOT_SUPPORTED = 3
    INVALID_LENGTH = 4
    INVALID_PARAMETER = 5
    ALREADY_IN_STATE = 6
    INVALID_RESOLUTION = 7
    INVALID_SAMPLE_RATE = 8
    INVALID_RANGE = 9
    INVALID_MTU = 10
    INVALID_NUMBER_OF_CHANNELS = 11
    INVALID_STATE = 12
    DEVICE_IN_CHARGER = 13
    DISK_FULL = 14


class PmdSetting(IntEnum):
    SAMPLE_RATE = 0
    RESOLUTION = 1
    RANGE = 2
    RANGE_MILLIUNIT = 3
    CHANNELS = 4
    FACTOR = 5
    SECURITY = 6


#: struct format of one value of each setting type (CHANNELS is 1 byte: Verity rejects 2).
SETTING_VALUE_FORMAT = {
    PmdSetting.SAMPLE_RATE: "<H",
    PmdSetting.RESOLUTION: "<H",
    PmdSetting.RANGE: "<H",
    PmdSetting.RANGE_MILLIUNIT: "<I",
    PmdSetting.CHANNELS: "<B",
    PmdSetting.FACTOR: "<f",
    PmdSetting.SECURITY: "<16s",
}

RESPONSE_CODE = 0xF0
FEATURES_CODE = 0x0F
MEASUREMENT_STOPPED_CODE = 0x01

#: feature-read bitmap (byte 1, byte 2) -> measurement names (SDK PmdMeasurementType.fromByteArray)
FEATURE_BITS = {
    (1, 0): "ECG", (1, 1): "PPG", (1, 2): "ACC", (1, 3): "PPI", (1, 5): "GYRO", (1, 6): "MAG",
    (1, 7): "SKIN_TEMP", (2, 1): "SDK_MODE", (2, 2): "LOCATION", (2, 3): "PRESSURE",
    (2, 4): "TEMPERATURE", (2, 5): "OFFLINE_RECORDING", (2, 6): "OFFLINE_HR",
}


# --------------------------------------------------------------------------- control point


def _type_byte(measurement: int, offline: bool = False) -> int:
    if not 0 <= int(measurement) <= MEASUREMENT_TYPE_MASK:
        raise CodecError(f"PMD: measurement type {measurement} out of range")
    return int(measurement) | (OFFLINE_RECORDING_BIT if offline else 0)


def encode_settings(settings: Mapping[int, int | float | Sequence]) -> bytes:
    """Settings TLVs ``[type][count][values]`` in the mapping's order (one value unless a list)."""
    out = bytearray()
    for setting, values in settings.items():
        setting = PmdSetting(setting)
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        if not 1 <= len(values) <= 255:
            raise CodecError(f"PMD: setting {setting.name} needs 1..255 values")
        out += bytes([setting, len(values)])
        try:
            for value in values:
                out += struct.pack(SETTING_VALUE_FORMAT[setting], value)
        except struct.error as exc:
            raise CodecError(f"PMD: setting {setting.name} value {values!r}: {exc}") from None
    return bytes(out)


def decode_settings(params: bytes) -> dict[PmdSetting, list]:
    """Parse settings TLVs into ``{PmdSetting: [values]}``; CodecError on unknown or short TLVs."""
    params = as_bytes(params, "PMD settings")
    settings: dict[PmdSetting, list] = {}
    pos = 0
    while pos < len(params):
        need(params, pos + 2, "PMD settings TLV header")
        try:
            setting = PmdSetting(params[pos])
        except ValueError:
            raise CodecError(f"PMD settings: unknown setting type {params[pos]:#04x}") from None
        count = params[pos + 1]
        fmt = SETTING_VALUE_FORMAT[setting]
        size = struct.calcsize(fmt)
        need(params, pos + 2 + count * size, f"PMD setting {setting.name}")
        values = [struct.unpack_from(fmt, params, pos + 2 + i * size)[0] for i in range(count)]
        settings.setdefault(setting, []).extend(values)
        pos += 2 + count * size
    return settings


def build_get_settings(measurement: int) -> bytes:
    """GET_MEASUREMENT_SETTINGS request, e.g. ``01 02`` for ACC."""
    return bytes([PmdOp.GET_MEASUREMENT_SETTINGS, _type_byte(measurement)])


def build_start(measurement: int, settings: Mapping[int, int | float | Sequence]) -> bytes:
    """REQUEST_MEASUREMENT_START with settings TLVs (send every setting the device offered)."""
    return bytes([PmdOp.REQUEST_MEASUREMENT_START, _type_byte(measurement)]) + encode_settings(settings)


def _start_settings(rate_hz: int, resolution_bits: int, range_value: int, channels: int | None) -> dict:
    settings = {
        PmdSetting.SAMPLE_RATE: rate_hz,
        PmdSetting.RESOLUTION: resolution_bits,
        PmdSetting.RANGE: range_value,
    }
    if channels is not None:
        settings[PmdSetting.CHANNELS] = channels
    return settings


def build_start_acc(rate_hz: int, range_g: int, resolution_bits: int = 16, channels: int | None = None) -> bytes:
    """Start ACC streaming; H10 needs RESOLUTION, Verity also CHANNELS (1 byte)."""
    return build_start(PmdMeasurement.ACC, _start_settings(rate_hz, resolution_bits, range_g, channels))


def build_start_gyro(rate_hz: int, range_dps: int, resolution_bits: int = 16, channels: int | None = None) -> bytes:
    """Start GYRO streaming (Verity Sense)."""
    return build_start(PmdMeasurement.GYRO, _start_settings(rate_hz, resolution_bits, range_dps, channels))


def build_stop(measurement: int) -> bytes:
    """STOP_MEASUREMENT request, e.g. ``03 02`` for ACC."""
    return bytes([PmdOp.STOP_MEASUREMENT, _type_byte(measurement)])


@dataclass(frozen=True)
class PmdRequest:
    """A control-point request as the device sees it (used by the simulated firmware)."""

    op: int
    measurement_type: int | None
    offline: bool
    settings: dict


def parse_request(data) -> PmdRequest:
    """Decode a control-point write (the inverse of the ``build_*`` functions)."""
    data = as_bytes(data, "PMD request")
    need(data, 1, "PMD request")
    op = data[0]
    if op in (PmdOp.GET_MEASUREMENT_STATUS, PmdOp.GET_SDK_MODE_STATUS):
        return PmdRequest(op, None, False, {})
    need(data, 2, "PMD request")
    settings = decode_settings(data[2:]) if op == PmdOp.REQUEST_MEASUREMENT_START else {}
    if op != PmdOp.REQUEST_MEASUREMENT_START and len(data) > 2:
        raise CodecError(f"PMD request op {op:#04x}: {len(data) - 2} unexpected parameter bytes")
    return PmdRequest(op, data[1] & MEASUREMENT_TYPE_MASK, bool(data[1] & OFFLINE_RECORDING_BIT), settings)


def status_name(status: int) -> str:
    try:
        return PmdStatus(status).name
    except ValueError:
        return f"UNKNOWN_STATUS_{status}"


@dataclass(frozen=True)
class PmdResponse:
    """Control-point response ``F0 | op | type | status | more | params``.

    ``more`` is None when the (error) response is only 4 bytes long.
    """

    op: int
    measurement_type: int
    status: int
    more: bool | None
    params: bytes

    @property
    def ok(self) -> bool:
        return self.status == PmdStatus.SUCCESS

    @property
    def status_name(self) -> str:
        return status_name(self.status)

    def settings(self) -> dict[PmdSetting, list]:
        """Settings offered in a GET_MEASUREMENT_SETTINGS answer."""
        return decode_settings(self.params)

    def factor(self) -> float:
        """FACTOR from a START answer (1.0 when absent; a lone trailing byte is 'reserved')."""
        if len(self.params) >= 6 and self.params[0] == PmdSetting.FACTOR:
            return float(decode_settings(self.params[:6])[PmdSetting.FACTOR][0])
        return 1.0

    def raise_for_status(self) -> "PmdResponse":
        """Return self on success, else raise DeviceCommandError naming the status."""
        if not self.ok:
            try:
                command = PmdOp(self.op).name
            except ValueError:
                command = f"op {self.op:#04x}"
            raise DeviceCommandError("polar-pmd", command, self.status, self.status_name)
        return self


@dataclass(frozen=True)
class PmdMeasurementStopped:
    """Device-initiated indication ``01 <types…>``: these streams were stopped by the device."""

    measurement_types: tuple[int, ...]


@dataclass(frozen=True)
class PmdFeatures:
    """Feature read of the control point (``0F`` + bitmap)."""

    supported: frozenset[str]


def parse_response(data) -> PmdResponse:
    """Decode a ``F0 …`` control-point indication."""
    data = as_bytes(data, "PMD response")
    need(data, 4, "PMD response")
    if data[0] != RESPONSE_CODE:
        raise CodecError(f"PMD response: first byte {data[0]:#04x} is not {RESPONSE_CODE:#04x}")
    more = bool(data[4]) if len(data) > 4 else None
    return PmdResponse(data[1], data[2] & MEASUREMENT_TYPE_MASK, data[3], more, data[5:])


def parse_features(data) -> PmdFeatures:
    data = as_bytes(data, "PMD features")
    need(data, 3, "PMD features")
    if data[0] != FEATURES_CODE:
        raise CodecError(f"PMD features: first byte {data[0]:#04x} is not {FEATURES_CODE:#04x}")
    names = frozenset(name for (byte, bit), name in FEATURE_BITS.items() if data[byte] >> bit & 1)
    return PmdFeatures(names)


def encode_features(supported) -> bytes:
    """Feature-read value (17 bytes like the H10) for a set of names from FEATURE_BITS."""
    out = bytearray(17)
    out[0] = FEATURES_CODE
    for (byte, bit), name in FEATURE_BITS.items():
        if name in supported:
            out[byte] |= 1 << bit
    return bytes(out)


def parse_control_point(data) -> PmdResponse | PmdFeatures | PmdMeasurementStopped:
    """Dispatch any control-point value (macOS delivers reads and indications together)."""
    data = as_bytes(data, "PMD control point")
    need(data, 1, "PMD control point")
    if data[0] == RESPONSE_CODE:
        return parse_response(data)
    if data[0] == FEATURES_CODE:
        return parse_features(data)
    if data[0] == MEASUREMENT_STOPPED_CODE:
        return PmdMeasurementStopped(tuple(b & MEASUREMENT_TYPE_MASK for b in data[1:]))
    raise CodecError(f"PMD control point: unknown first byte {data[0]:#04x}")


def encode_response(op: int, measurement: int, status: int = 0, more: bool = False, params: bytes = b"") -> bytes:
    """Control-point response bytes (short 4-byte form for errors without parameters)."""
    head = bytes([RESPONSE_CODE, op, _type_byte(measurement), status])
    if status != PmdStatus.SUCCESS and not params:
        return head
    return head + bytes([1 if more else 0]) + bytes(params)


# --------------------------------------------------------------------------- data frames


@dataclass(frozen=True)
class FrameFormat:
    """How one (measurement, frame type) pair is laid out and scaled.

    ``resolution_bits``: bits per value (uncompressed: value width; compressed: reference width
    and final sign extension). ``unit`` is the canonical unit after ``raw * factor * unit_per_factor``.
    """

    channels: int
    resolution_bits: int
    compressed: bool
    unit: str
    unit_per_factor: float
    float_bits: bool = False  # GYRO 0x81: 32-bit IEEE-754 words


#: Frame layouts (Polar BLE SDK, Android ``PmdDataFrame.kt``, ``AccData.kt``, ``GyrData.kt``). ACC is scaled to g, GYRO to deg/s.
FRAME_FORMATS: dict[tuple[int, int], FrameFormat] = {
    (PmdMeasurement.ECG, 0x00): FrameFormat(1, 24, False, "uV", 1.0),
    (PmdMeasurement.PPG, 0x00): FrameFormat(4, 24, False, "raw", 1.0),
    (PmdMeasurement.PPG, 0x80): FrameFormat(4, 22, True, "raw", 1.0),
    (PmdMeasurement.ACC, 0x00): FrameFormat(3, 8, False, "g", 1e-3),
    (PmdMeasurement.ACC, 0x01): FrameFormat(3, 16, False, "g", 1e-3),
    (PmdMeasurement.ACC, 0x02): FrameFormat(3, 24, False, "g", 1e-3),
    (PmdMeasurement.ACC, 0x80): FrameFormat(3, 16, True, "g", 1.0),  # raw*FACTOR = g
    (PmdMeasurement.ACC, 0x81): FrameFormat(3, 16, True, "g", 1e-3),  # raw*FACTOR = mG
    (PmdMeasurement.GYRO, 0x80): FrameFormat(3, 16, True, "deg/s", 1.0),
    (PmdMeasurement.GYRO, 0x81): FrameFormat(3, 32, True, "deg/s", 1.0, float_bits=True),
    (PmdMeasurement.MAG, 0x80): FrameFormat(3, 16, True, "gauss", 1.0),
    (PmdMeasurement.MAG, 0x81): FrameFormat(4, 16, True, "gauss", 1e-3),  # ch 4: calibration status
}


@dataclass(frozen=True)
class PmdFrame:
    """One decoded PMD data notification.

    ``samples``: (n, channels) int64 raw counts (float32 for GYRO frame 0x81).
    ``scale``: multiply ``samples`` by it to get ``unit`` (g for ACC, deg/s for GYRO).
    ``timestamp_ns``: sensor time of the LAST sample, ns since 2000-01-01.
    """

    measurement_type: int
    timestamp_ns: int
    frame_type: int
    samples: np.ndarray
    scale: float
    unit: str
    blocks: tuple[tuple[int, int], ...] = field(default=())

    @property
    def n_samples(self) -> int:
        return int(self.samples.shape[0])

    @property
    def compressed(self) -> bool:
        return bool(self.frame_type & COMPRESSED_BIT)

    def values(self) -> np.ndarray:
        """Samples in ``unit`` as float64."""
        return self.samples.astype(np.float64) * self.scale


def _format_for(measurement: int, frame_type: int) -> FrameFormat:
    try:
        return FRAME_FORMATS[(measurement, frame_type)]
    except KeyError:
        raise CodecError(
            f"PMD data: unsupported measurement {measurement} with frame type {frame_type:#04x}"
        ) from None


def _decode_reference(content: bytes, fmt: FrameFormat, resolution: int) -> tuple[np.ndarray, int]:
    width = (resolution + 7) // 8
    need(content, fmt.channels * width, "PMD delta frame reference sample")
    ref = read_le_ints(content, width, fmt.channels, signed=not fmt.float_bits)
    if not fmt.float_bits and resolution < 8 * width:
        negative = (ref >> (resolution - 1)) & 1
        ref = np.where(negative == 1, ref | -(np.int64(1) << resolution), ref)
    return ref, fmt.channels * width


def _decode_delta(content: bytes, fmt: FrameFormat, resolution: int, partial_ok: bool):
    ref, pos = _decode_reference(content, fmt, resolution)
    channels = fmt.channels
    chunks = [ref[None, :]]
    blocks = []
    while pos < len(content):
        need(content, pos + 2, "PMD delta block header")
        width, count = content[pos], content[pos + 1]
        if width > MAX_DELTA_WIDTH_BITS:
            raise CodecError(f"PMD delta block: bit width {width} exceeds {MAX_DELTA_WIDTH_BITS}")
        pos += 2
        n_bytes = (width * count * channels + 7) // 8
        if pos + n_bytes > len(content):
            if not partial_ok:
                raise CodecError(
                    f"PMD delta block ({width} bit x {count}): needs {n_bytes} bytes, "
                    f"{len(content) - pos} left"
                )
            count = ((len(content) - pos) * 8) // (width * channels) if width else count
            n_bytes = len(content) - pos
        deltas = unpack_bit_fields(content[pos : pos + n_bytes], width, count * channels)
        chunks.append(deltas.reshape(count, channels))
        blocks.append((width, count))
        pos += n_bytes
    samples = np.cumsum(np.concatenate(chunks), axis=0)
    if fmt.float_bits:
        samples = (samples & 0xFFFFFFFF).astype(np.uint32).view(np.float32)
    elif resolution < 64:
        # The device's values are `resolution`-bit integers: wrap as its arithmetic does.
        samples = sign_extend(samples & ((np.int64(1) << resolution) - 1), resolution)
    return samples, tuple(blocks)


def decode_data_frame(
    data, *, factor: float = 1.0, resolution_bits: int | None = None, partial_ok: bool = False
) -> PmdFrame:
    """Decode one notification of the PMD data characteristic.

    ``factor``: FACTOR from the START response (1.0 if absent). ``resolution_bits`` overrides the
    default resolution of compressed frames (from the settings). ``partial_ok`` keeps the
    complete samples of a truncated last delta block (forensics); by default it is a CodecError.
    """
    data = as_bytes(data, "PMD data frame")
    need(data, HEADER_BYTES + 1, "PMD data frame")
    measurement = data[0] & MEASUREMENT_TYPE_MASK
    timestamp_ns = int.from_bytes(data[1:9], "little")
    frame_type = data[9]
    fmt = _format_for(measurement, frame_type)
    content = data[HEADER_BYTES:]
    blocks: tuple = ()
    if fmt.compressed:
        resolution = resolution_bits or fmt.resolution_bits
        if not 1 <= resolution <= 32:
            raise CodecError(f"PMD data: resolution {resolution} bits out of range")
        samples, blocks = _decode_delta(content, fmt, resolution, partial_ok)
    else:
        width = fmt.resolution_bits // 8
        sample_bytes = width * fmt.channels
        if len(content) % sample_bytes:
            raise CodecError(
                f"PMD data: {len(content)} content bytes is not a multiple of the {sample_bytes}-byte sample"
            )
        n = len(content) // sample_bytes
        samples = read_le_ints(content, width, n * fmt.channels, signed=True).reshape(n, fmt.channels)
    return PmdFrame(measurement, timestamp_ns, frame_type, samples, float(factor) * fmt.unit_per_factor, fmt.unit, blocks)


def _header(measurement: int, timestamp_ns: int, frame_type: int) -> bytes:
    if not 0 <= timestamp_ns < 1 << 64:
        raise CodecError(f"PMD: timestamp {timestamp_ns} does not fit in u64")
    return bytes([_type_byte(measurement)]) + int(timestamp_ns).to_bytes(8, "little") + bytes([frame_type])


def encode_raw_frame(measurement: int, timestamp_ns: int, frame_type: int, samples) -> bytes:
    """Uncompressed frame (e.g. ACC 0x01 int16) from integer samples (n, channels)."""
    fmt = _format_for(measurement, frame_type)
    if fmt.compressed:
        raise CodecError(f"PMD: frame type {frame_type:#04x} is compressed; use encode_delta_frame")
    samples = np.asarray(samples, dtype=np.int64).reshape(-1, fmt.channels)
    limit = 1 << (fmt.resolution_bits - 1)
    if samples.size and (samples.min() < -limit or samples.max() >= limit):
        raise CodecError(f"PMD: sample values exceed int{fmt.resolution_bits}")
    return _checked_size(_header(measurement, timestamp_ns, frame_type) + write_le_ints(samples, fmt.resolution_bits // 8))


def encode_delta_frame(
    measurement: int,
    timestamp_ns: int,
    frame_type: int,
    samples,
    *,
    resolution_bits: int | None = None,
    max_block_samples: int = MAX_BLOCK_SAMPLES,
) -> bytes:
    """Delta-compressed frame (``frame_type & 0x80``) from integer samples (n >= 1, channels).

    Deltas are split into blocks of at most ``max_block_samples`` samples; each block uses the
    smallest bit width that holds its deltas (as Polar firmware does).
    """
    fmt = _format_for(measurement, frame_type)
    if not fmt.compressed or fmt.float_bits:
        raise CodecError(f"PMD: cannot delta-encode frame type {frame_type:#04x} of measurement {measurement}")
    resolution = resolution_bits or fmt.resolution_bits
    samples = np.asarray(samples, dtype=np.int64).reshape(-1, fmt.channels)
    if samples.shape[0] < 1:
        raise CodecError("PMD: a delta frame needs at least the reference sample")
    limit = 1 << (resolution - 1)
    if samples.min() < -limit or samples.max() >= limit:
        raise CodecError(f"PMD: sample values exceed {resolution}-bit range")
    if not 1 <= max_block_samples <= MAX_BLOCK_SAMPLES:
        raise CodecError(f"PMD: max_block_samples must be 1..{MAX_BLOCK_SAMPLES}")
    out = bytearray(_header(measurement, timestamp_ns, frame_type))
    out += write_le_ints(samples[0], (resolution + 7) // 8)
    deltas = np.diff(samples, axis=0)
    for start in range(0, deltas.shape[0], max_block_samples):
        block = deltas[start : start + max_block_samples]
        width = signed_bit_width(block)
        out += bytes([width, block.shape[0]]) + pack_bit_fields(block, width)
    return _checked_size(out)


def _checked_size(frame: bytes | bytearray) -> bytes:
    if len(frame) > MAX_ATT_VALUE_BYTES:
        raise CodecError(f"PMD: encoded frame of {len(frame)} bytes exceeds the ATT maximum {MAX_ATT_VALUE_BYTES}")
    return bytes(frame)


# --------------------------------------------------------------------------- sample timing


def _div_round_half_even(num: np.ndarray, den: int) -> np.ndarray:
    """Exact round-half-even of num/den for int64 arrays, den > 0."""
    q, r = np.divmod(num, den)
    twice = 2 * r
    up = (twice > den) | ((twice == den) & (q % 2 == 1))
    return q + up


def sample_timestamps_ns(prev_ts: int, ts: int, n: int, rate_hz: float | None = None) -> np.ndarray:
    """Per-sample sensor times (int64 ns) of a frame whose LAST sample is at ``ts``.

    Polar SDK rule (PmdTimeStampUtils): with a previous frame time ``prev_ts > 0`` the spacing is
    (ts - prev_ts)/n and sample i is at prev_ts + spacing*(i+1); for the first frame after
    start (``prev_ts == 0``) the spacing is 1e9/rate_hz counted back from ``ts``.
    Rounding is exact round-half-even. CodecError when no spacing can be derived or a time
    would fall before the clock's epoch.
    """
    if n < 1:
        raise CodecError("PMD timing: a frame must hold at least one sample")
    if not 0 <= prev_ts < MAX_TIMESTAMP_NS or not 0 <= ts < MAX_TIMESTAMP_NS:
        raise CodecError(f"PMD timing: timestamps must lie in 0..{MAX_TIMESTAMP_NS} ns")
    if prev_ts and (ts - prev_ts) > MAX_TIMESTAMP_NS // n:
        raise CodecError(f"PMD timing: {ts - prev_ts} ns between frames is implausible")
    steps = np.arange(1, n + 1, dtype=np.int64)
    if prev_ts:
        if ts <= prev_ts:
            raise CodecError(f"PMD timing: timestamp {ts} is not after the previous {prev_ts}")
        return prev_ts + _div_round_half_even((ts - prev_ts) * steps, n)
    if not rate_hz or rate_hz <= 0:
        raise CodecError("PMD timing: first frame needs a positive sample rate")
    back = n - steps
    rate = float(rate_hz)
    if rate.is_integer():
        offsets = _div_round_half_even(back * NS_PER_S, int(rate))
    else:
        offsets = np.rint(back * (NS_PER_S / rate)).astype(np.int64)
    times = ts - offsets
    if times[0] < 0:
        raise CodecError(f"PMD timing: first sample would be at {int(times[0])} ns, before the epoch")
    return times


@dataclass
class PmdSampleTimer:
    """Stateful per-sample timing over consecutive frames of one stream.

    ``assign(ts, n)`` returns (times_ns, missing_samples). When the spacing (ts - prev)/n exceeds
    ``gap_factor`` x the nominal period a notification was lost: the frame's samples are then
    spaced at the nominal period back from ``ts`` and ``missing_samples`` estimates how many
    samples fell into the gap (never filled in). Call ``reset()`` on STOP or disconnect.
    """

    rate_hz: float
    gap_factor: float = 1.5
    prev_ts: int = 0

    def reset(self) -> None:
        self.prev_ts = 0

    def assign(self, ts: int, n: int) -> tuple[np.ndarray, int]:
        period_ns = NS_PER_S / float(self.rate_hz)
        missing = 0
        prev = self.prev_ts
        if prev and ts > prev and (ts - prev) / n > self.gap_factor * period_ns:
            missing = max(int(round((ts - prev) / period_ns)) - n, 0)
            prev = 0
        times = sample_timestamps_ns(prev, ts, n, self.rate_hz)
        self.prev_ts = ts
        return times, missing
