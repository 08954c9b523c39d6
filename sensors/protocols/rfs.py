"""RFS v1: the open reference strap protocol (nRF52/ESP32 + LSM6DSO/BMI270).

Specified in ``docs/reference-strap-protocol.md`` (this project's own protocol).
All multi-byte fields little-endian. Pure codecs plus :class:`SequenceTracker` (frame loss from
``seq`` with u16 wrap-around, firmware drops from ``fw_dropped``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from runform.sensors.protocols._bytes import as_bytes, need
from runform.sensors.protocols.errors import CodecError, DeviceCommandError, UnsupportedVersionError

SERVICE_UUID = "07cf0001-ae4d-4d3d-ad82-0a3dde220e25"
CONTROL_UUID = "07cf0002-ae4d-4d3d-ad82-0a3dde220e25"
DATA_UUID = "07cf0003-ae4d-4d3d-ad82-0a3dde220e25"
INFO_UUID = "07cf0004-ae4d-4d3d-ad82-0a3dde220e25"
NAME_PREFIX = "RFS-"

PROTOCOL_VERSION = 1
INFO_FORMAT = "<BBBBIHffH"  # 20 bytes
INFO_BYTES = struct.calcsize(INFO_FORMAT)
HEADER_FORMAT = "<BBHIBBH"  # version, type, seq, t_last, n, cfg_id, fw_dropped
HEADER_BYTES = struct.calcsize(HEADER_FORMAT)
ATT_HEADER_BYTES = 3
MIN_SAMPLES_PER_FRAME = 4  # fewer fit -> START answered with MTU_TOO_SMALL
MIN_ATT_MTU = ATT_HEADER_BYTES + HEADER_BYTES + MIN_SAMPLES_PER_FRAME * 12  # 63; 65 recommended
SEQ_MODULUS = 1 << 16
FW_DROPPED_MODULUS = 1 << 16
INFO_FLAG_GYRO = 0x01
RESPONSE_BIT = 0x80


class RfsImu(IntEnum):
    OTHER = 0xFF
    LSM6DSO = 1
    BMI270 = 2


class RfsFrameType(IntEnum):
    IMU6_I16 = 1  # ax ay az gx gy gz
    ACC_I16 = 2  # ax ay az


#: int16 channels per sample of each frame type
FRAME_CHANNELS = {RfsFrameType.IMU6_I16: 6, RfsFrameType.ACC_I16: 3}


class RfsCommand(IntEnum):
    START = 0x01
    STOP = 0x02
    TIME_SYNC = 0x04


class RfsStatus(IntEnum):
    OK = 0
    BAD_PARAMETER = 1
    BUSY = 2
    MTU_TOO_SMALL = 3
    IMU_ERROR = 4


def max_samples_per_frame(att_mtu: int, frame_type: int = RfsFrameType.IMU6_I16) -> int:
    """Samples that fit one notification (payload = ATT MTU - 3), capped at 255."""
    size = 2 * FRAME_CHANNELS[RfsFrameType(frame_type)]
    return max(0, min(255, (att_mtu - ATT_HEADER_BYTES - HEADER_BYTES) // size))


# --------------------------------------------------------------------------- info


@dataclass(frozen=True)
class RfsInfo:
    """Info characteristic (20 bytes). Scales: g per LSB and deg/s per LSB; tick_hz of t_last."""

    protocol_version: int
    imu_model: int
    cfg_id: int
    flags: int
    tick_hz: int
    odr_hz: int
    acc_g_per_lsb: float
    gyro_dps_per_lsb: float
    firmware_version: int

    @property
    def gyro_enabled(self) -> bool:
        return bool(self.flags & INFO_FLAG_GYRO)

    @property
    def firmware_version_str(self) -> str:
        return f"{self.firmware_version >> 8}.{self.firmware_version & 0xFF}"


def decode_info(data) -> RfsInfo:
    data = as_bytes(data, "RFS info")
    if len(data) < INFO_BYTES:
        raise CodecError(f"RFS info: truncated, {len(data)} bytes, need {INFO_BYTES}")
    if data[0] != PROTOCOL_VERSION:
        raise UnsupportedVersionError(f"RFS info: protocol version {data[0]} is not supported (host speaks {PROTOCOL_VERSION})")
    if len(data) > INFO_BYTES:
        raise CodecError(f"RFS info: {len(data)} bytes, v1 info is exactly {INFO_BYTES}")
    info = RfsInfo(*struct.unpack(INFO_FORMAT, data))
    if info.tick_hz == 0 or info.odr_hz == 0:
        raise CodecError("RFS info: tick_hz and odr_hz must be non-zero")
    if not (np.isfinite(info.acc_g_per_lsb) and info.acc_g_per_lsb > 0 and np.isfinite(info.gyro_dps_per_lsb)):
        raise CodecError("RFS info: scales must be finite and the acc scale positive")
    return info


def encode_info(info: RfsInfo) -> bytes:
    try:
        return struct.pack(INFO_FORMAT, *(getattr(info, f) for f in RfsInfo.__dataclass_fields__))
    except struct.error as exc:
        raise CodecError(f"RFS info: {exc}") from None


# --------------------------------------------------------------------------- control


def build_start(odr_hz: int, acc_range_g: int, gyro_range_dps: int) -> bytes:
    """START ``01 | odr u16 | acc_range_g u8 | gyro_range_dps u16``."""
    try:
        return struct.pack("<BHBH", RfsCommand.START, odr_hz, acc_range_g, gyro_range_dps)
    except struct.error as exc:
        raise CodecError(f"RFS start: {exc}") from None


def build_stop() -> bytes:
    return bytes([RfsCommand.STOP])


def build_time_sync(token: int) -> bytes:
    return struct.pack("<BI", RfsCommand.TIME_SYNC, token & 0xFFFFFFFF)


@dataclass(frozen=True)
class RfsControlCommand:
    """A decoded control write (what the firmware receives)."""

    command: int
    odr_hz: int | None = None
    acc_range_g: int | None = None
    gyro_range_dps: int | None = None
    token: int | None = None


_COMMAND_BYTES = {RfsCommand.START: 6, RfsCommand.STOP: 1, RfsCommand.TIME_SYNC: 5}


def parse_control_command(data) -> RfsControlCommand:
    data = as_bytes(data, "RFS control")
    need(data, 1, "RFS control")
    try:
        command = RfsCommand(data[0])
    except ValueError:
        raise CodecError(f"RFS control: unknown command {data[0]:#04x}") from None
    if len(data) != _COMMAND_BYTES[command]:
        raise CodecError(f"RFS {command.name}: {len(data)} bytes, expected {_COMMAND_BYTES[command]}")
    if command == RfsCommand.START:
        _, odr, acc, gyro = struct.unpack("<BHBH", data)
        return RfsControlCommand(command, odr_hz=odr, acc_range_g=acc, gyro_range_dps=gyro)
    if command == RfsCommand.TIME_SYNC:
        return RfsControlCommand(command, token=struct.unpack_from("<I", data, 1)[0])
    return RfsControlCommand(command)


@dataclass(frozen=True)
class RfsControlResponse:
    """Indication ``80|op, status[, payload]``; TIME_SYNC adds token u32 and sensor tick u32."""

    command: int
    status: int
    token: int | None = None
    sensor_tick: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == RfsStatus.OK

    @property
    def status_name(self) -> str:
        try:
            return RfsStatus(self.status).name
        except ValueError:
            return f"UNKNOWN_STATUS_{self.status}"

    def raise_for_status(self) -> "RfsControlResponse":
        if not self.ok:
            raise DeviceCommandError("rfs", RfsCommand(self.command).name, self.status, self.status_name)
        return self


def parse_control_response(data) -> RfsControlResponse:
    data = as_bytes(data, "RFS control response")
    need(data, 2, "RFS control response")
    if not data[0] & RESPONSE_BIT:
        raise CodecError(f"RFS control response: first byte {data[0]:#04x} lacks the response bit")
    try:
        command = RfsCommand(data[0] & ~RESPONSE_BIT)
    except ValueError:
        raise CodecError(f"RFS control response: unknown command {data[0] & ~RESPONSE_BIT:#04x}") from None
    status = data[1]
    if command == RfsCommand.TIME_SYNC and status == RfsStatus.OK:
        if len(data) != 10:
            raise CodecError(f"RFS TIME_SYNC response: {len(data)} bytes, expected 10")
        token, tick = struct.unpack_from("<II", data, 2)
        return RfsControlResponse(command, status, token, tick)
    if len(data) != 2:
        raise CodecError(f"RFS {command.name} response: {len(data)} bytes, expected 2")
    return RfsControlResponse(command, status)


def encode_control_response(command: int, status: int = 0, token: int | None = None, sensor_tick: int | None = None) -> bytes:
    out = bytes([RESPONSE_BIT | RfsCommand(command), status])
    if command == RfsCommand.TIME_SYNC and status == RfsStatus.OK:
        out += struct.pack("<II", token & 0xFFFFFFFF, sensor_tick & 0xFFFFFFFF)
    return out


# --------------------------------------------------------------------------- data frames


@dataclass(frozen=True)
class RfsFrame:
    """One data notification. ``samples`` (n, 6) or (n, 3) int16 raw sensor axes."""

    version: int
    frame_type: int
    seq: int
    t_last_ticks: int
    cfg_id: int
    fw_dropped: int
    samples: np.ndarray

    @property
    def n_samples(self) -> int:
        return int(self.samples.shape[0])

    @property
    def acc_raw(self) -> np.ndarray:
        return self.samples[:, :3]

    @property
    def gyro_raw(self) -> np.ndarray | None:
        return self.samples[:, 3:6] if self.samples.shape[1] == 6 else None

    def scaled(self, info: RfsInfo) -> tuple[np.ndarray, np.ndarray | None]:
        """(acc g, gyro deg/s or None) using the Info scales; CodecError if cfg_id differs."""
        if info.cfg_id != self.cfg_id:
            raise CodecError(f"RFS frame cfg_id {self.cfg_id} does not match info cfg_id {info.cfg_id}: re-read Info")
        acc = self.acc_raw.astype(np.float64) * info.acc_g_per_lsb
        gyro = self.gyro_raw
        return acc, (None if gyro is None else gyro.astype(np.float64) * info.gyro_dps_per_lsb)


def decode_data_frame(data) -> RfsFrame:
    """Decode a data notification. Bytes after the n samples are ignored (appended v1 fields)."""
    data = as_bytes(data, "RFS data frame")
    need(data, HEADER_BYTES, "RFS data frame header")
    version, frame_type, seq, t_last, n, cfg_id, fw_dropped = struct.unpack_from(HEADER_FORMAT, data)
    if version != PROTOCOL_VERSION:
        raise UnsupportedVersionError(f"RFS data frame: protocol version {version} is not supported")
    try:
        channels = FRAME_CHANNELS[RfsFrameType(frame_type)]
    except ValueError:
        raise CodecError(f"RFS data frame: unknown frame type {frame_type}") from None
    if n == 0:
        raise CodecError("RFS data frame: zero samples")
    need(data, HEADER_BYTES + n * channels * 2, f"RFS data frame with {n} samples")
    samples = np.frombuffer(data, dtype="<i2", count=n * channels, offset=HEADER_BYTES).reshape(n, channels)
    return RfsFrame(version, frame_type, seq, t_last, cfg_id, fw_dropped, samples.astype(np.int16))


def encode_data_frame(seq: int, t_last_ticks: int, cfg_id: int, fw_dropped: int, samples,
                      frame_type: int = RfsFrameType.IMU6_I16) -> bytes:
    channels = FRAME_CHANNELS[RfsFrameType(frame_type)]
    samples = np.asarray(samples)
    if samples.ndim != 2 or samples.shape[1] != channels or not 1 <= samples.shape[0] <= 255:
        raise CodecError(f"RFS: samples must be (1..255, {channels})")
    if samples.min() < -32768 or samples.max() > 32767:
        raise CodecError("RFS: samples exceed int16")
    header = struct.pack(HEADER_FORMAT, PROTOCOL_VERSION, frame_type, seq % SEQ_MODULUS,
                         t_last_ticks & 0xFFFFFFFF, samples.shape[0], cfg_id, fw_dropped % FW_DROPPED_MODULUS)
    return header + samples.astype("<i2").tobytes()


# --------------------------------------------------------------------------- loss tracking


@dataclass(frozen=True)
class SequenceStep:
    """What one frame reveals: frames lost before it, samples missing in that gap (estimate),
    samples the firmware discarded since the previous frame, and whether it was a duplicate."""

    lost_frames: int = 0
    missing_samples: int = 0
    firmware_dropped: int = 0
    duplicate: bool = False


class SequenceTracker:
    """Detects lost frames from RFS ``seq`` (u16, wraps) and firmware drops from ``fw_dropped``.

    lost = (seq - prev - 1) mod 65536. Missing samples in a gap are estimated from ``t_last``
    ticks when ``tick_hz`` and ``odr_hz`` are given (round(dt*odr/tick_hz) - n), else as lost
    frames x the previous frame's sample count. A ``seq`` equal to the previous one, or more
    than half the range behind, is a duplicate/stale frame (skip it). ``reset()`` on each START.
    """

    def __init__(self, tick_hz: float | None = None, odr_hz: float | None = None):
        self.tick_hz = tick_hz
        self.odr_hz = odr_hz
        self.reset()

    def reset(self) -> None:
        self._seq: int | None = None
        self._t_last: int | None = None
        self._n: int | None = None
        self._fw_dropped: int | None = None

    def update(self, seq: int, n: int, t_last_ticks: int | None = None, fw_dropped: int | None = None) -> SequenceStep:
        if self._seq is None:
            self._seq, self._n, self._t_last, self._fw_dropped = seq, n, t_last_ticks, fw_dropped
            return SequenceStep()
        lost = (seq - self._seq - 1) % SEQ_MODULUS
        if lost >= SEQ_MODULUS // 2:
            return SequenceStep(duplicate=True)
        missing = 0
        if lost:
            missing = lost * self._n
            if self.tick_hz and self.odr_hz and t_last_ticks is not None and self._t_last is not None:
                dt = (t_last_ticks - self._t_last) % (1 << 32)
                missing = max(int(round(dt * self.odr_hz / self.tick_hz)) - n, 0)
        dropped = 0
        if fw_dropped is not None and self._fw_dropped is not None:
            dropped = (fw_dropped - self._fw_dropped) % FW_DROPPED_MODULUS
        self._seq, self._n, self._t_last = seq, n, t_last_ticks
        if fw_dropped is not None:
            self._fw_dropped = fw_dropped
        return SequenceStep(lost, missing, dropped)

    def update_frame(self, frame: RfsFrame) -> SequenceStep:
        return self.update(frame.seq, frame.n_samples, frame.t_last_ticks, frame.fw_dropped)


def nominal_sample_ticks(t_last_ticks: int, n: int, tick_hz: float, odr_hz: float) -> np.ndarray:
    """Sensor ticks of a frame's samples at the nominal ODR, counted back from the last one.

    Only for a first frame or right after a gap; otherwise derive the spacing from consecutive
    ``t_last`` values (the IMU's ODR deviates from nominal by up to a few %).
    """
    return t_last_ticks - (n - 1 - np.arange(n, dtype=np.float64)) * (tick_hz / odr_hz)
