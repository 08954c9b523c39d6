"""Simulated strap firmware: the same GATT table and bytes as each real device, from simulated samples.

One class per device (``PolarH10Firmware``, ``VeritySenseFirmware``, ``MovesenseFirmware``,
``RfsFirmware``). Each answers control-point writes like the real firmware (Polar BLE
SDK, Movesense GSP specification, docs/reference-strap-protocol.md; docs/devices.md, "Protocol sources"), and on START hands out a ``FrameStream``: the FIFO batches of the device (frames
of ``n`` samples, each due when its last sample has been measured) encoded with the project's codecs
(``sensors.protocols``). Timing, transport and faults live in ``firmware_sim.bleak_backend``.

Per-device packing (what the real devices do):
- Polar H10: ACC frame 0x01, int16 mG, as many samples as fit ATT MTU − 3 (36 at MTU 232);
  HR 0x2A37 with RR once per second. Needs MTU >= 232 (``INVALID_MTU`` otherwise).
- Verity Sense: ACC frame 0x81 (delta, mG, FACTOR 1.0) and GYRO 0x80 (delta, FACTOR deg/s per LSB),
  same sample instants, each frame filled up to the MTU.
- Movesense: ``/Meas/IMU6/<rate>`` float32 m/s² + deg/s, 8 samples per message, split in two
  notifications (DATA + DATA_PART2), u32 ms timestamp of the FIRST sample.
- RFS: IMU6_I16 frames (12-byte header, n × 12 bytes, n = min(19, fit)), u16 seq from START,
  u32 ticks (32768 Hz) of the LAST sample; MTU_TOO_SMALL below 4 samples per frame.
"""

from __future__ import annotations

import abc
import zlib
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from runform.sensors.protocols import ble_sig, movesense_gsp as gsp, polar_pmd as pmd, rfs
from runform.sensors.protocols.errors import CodecError
from runform.sensors.recording import Recording
from runform.sensors.units import STANDARD_GRAVITY

#: ATT MTU a modern laptop stack negotiates when the peripheral allows it
HOST_MTU = 247
#: Polar PMD: the H10 grants 232
POLAR_MTU = 232
#: Movesense: sensor-side MTU limit ("Using Movesense CustomGATTService", Movesense 2018; docs/devices.md)
MOVESENSE_MTU = 161
#: samples per Movesense IMU6 message (payload 4 + 24·8 = 196 bytes -> two notifications)
MOVESENSE_SAMPLES_PER_MESSAGE = 8
#: RFS: tick rate of the sensor clock and frame size cap
RFS_TICK_HZ = 32768
RFS_MAX_SAMPLES = 19
#: LSM6DSO at ±8 g / ±2000 dps (datasheet sensitivities, as float32 like the Info characteristic)
RFS_ACC_G_PER_LSB = float(np.float32(0.000244))
RFS_GYRO_DPS_PER_LSB = float(np.float32(0.070))
#: Verity gyro FACTOR (deg/s per LSB at ±2000 dps, 16 bit), float32 as sent in the START response
VERITY_GYRO_FACTOR = float(np.float32(2000.0 / 32768.0))
#: heart-rate notifications: period (s) and the simulated heart rate (bpm)
HR_PERIOD_S = 1.0
HR_BPM = 150
BATTERY_PCT = 87
#: optional Running Speed and Cadence service (0x1814) of a strap or footpod: notified once per second
RSC_PERIOD_S = 1.0
#: Polar epoch offset: the H10 clock restarts at 2019-01-01 when never set (ns since 2000-01-01)
POLAR_DEFAULT_CLOCK_NS = 599_616_000 * 1_000_000_000


@dataclass
class SpeedTrack:
    """What a footpod measures, per step on the sensor clock: ``time_s`` each foot strike, ``step_s`` the
    step's duration, ``speed_mps`` the forward speed, ``cadence_spm`` steps/min, ``running`` (bool)."""

    time_s: np.ndarray
    step_s: np.ndarray
    speed_mps: np.ndarray
    cadence_spm: np.ndarray
    running: np.ndarray

    def measurement(self, sensor_s: float) -> ble_sig.RscMeasurement:
        """The RSC measurement at ``sensor_s``: the step in progress, or standing (speed and cadence 0)
        when no step is (``docs/devices.md``, Running Speed and Cadence)."""
        i = int(np.searchsorted(self.time_s, sensor_s, side="right")) - 1
        if i < 0 or sensor_s > self.time_s[i] + self.step_s[i]:
            return ble_sig.RscMeasurement(0.0, 0, None, None, False)
        return ble_sig.RscMeasurement(float(self.speed_mps[i]), int(round(self.cadence_spm[i])), None, None,
                                      bool(self.running[i]))


@dataclass
class StrapSignal:
    """What the strap's IMU measured: ``time_s`` (n,) sensor-clock seconds of each sample, ``acc_g``
    (n, 3) specific force in g, ``gyro_dps`` (n, 3) or None, at nominal ``rate_hz``; optionally the
    IMU's raw int16 ``counts`` (n, 6 or 3) with their LSB scales (used as-is by the RFS firmware), and the
    runner's ``speed`` (``SpeedTrack``, for the Running Speed and Cadence service; a simulated runner's)."""

    time_s: np.ndarray
    acc_g: np.ndarray
    gyro_dps: np.ndarray | None
    rate_hz: float
    counts: np.ndarray | None = None
    acc_lsb_g: float | None = None
    gyro_lsb_dps: float | None = None
    speed: SpeedTrack | None = None

    @classmethod
    def from_recording(cls, rec: Recording) -> "StrapSignal":
        return cls(rec.time - rec.time[0], rec.acc, rec.gyro, float(rec.rate_hz))

    @classmethod
    def from_sim(cls, sim) -> "StrapSignal":
        """From ``firmware_sim.simulate(...)``: device-clock sample times and raw counts × LSB."""
        c = sim.counts
        raw = c.acc if c.gyro is None else np.hstack([c.acc, c.gyro])
        st = sim.truth.steps
        speed = SpeedTrack(np.asarray(st["ic_device_s"], float), np.asarray(st["step_ms"], float) / 1000.0,
                           np.asarray(st["speed_mps"], float), np.asarray(st["cadence_spm"], float),
                           np.asarray(st["gait"]) == "run")
        return cls(np.asarray(c.time_s, dtype=np.float64), sim.recording.acc, sim.recording.gyro, float(c.rate_hz),
                   raw.astype(np.int64), float(c.acc_lsb_g), float(c.gyro_lsb_dps), speed)

    def __len__(self) -> int:
        return int(self.time_s.shape[0])


@dataclass
class Frame:
    """One FIFO batch: samples ``first``..``last`` (inclusive indices into the signal), due at the
    sensor time of its last sample, sent as one or more notifications on ``char_uuid``."""

    first: int
    last: int
    due_sensor_s: float
    char_uuid: str
    payloads: list[bytes]


@dataclass
class FrameStream:
    """Frames of one stream from sample ``start`` on, ``samples_per_frame`` each (the FIFO watermark);
    ``encode(first, last, k)`` makes the k-th frame's notifications."""

    key: str
    char_uuid: str
    signal: StrapSignal
    start: int
    samples_per_frame: int
    encode: callable

    def frames(self) -> Iterator[Frame]:
        n = self.samples_per_frame
        k = 0
        for first in range(self.start, len(self.signal) - n + 1, n):
            last = first + n - 1
            yield Frame(first, last, float(self.signal.time_s[last]), self.char_uuid, self.encode(first, last, k))
            k += 1


@dataclass
class Indicate:
    """Send ``data`` on ``char_uuid`` (an indication/notification in answer to a write)."""

    char_uuid: str
    data: bytes


@dataclass
class StartStream:
    stream: FrameStream


@dataclass
class StopStream:
    key: str


@dataclass
class GattChar:
    uuid: str
    properties: list[str]


@dataclass
class VirtualFirmware(abc.ABC):
    """Common part: identity, GATT table, battery, the sensor clock (``sensor_now_s`` set by the
    transport before each write) and the signal."""

    signal: StrapSignal
    serial: str = "0001"
    max_mtu: int = HOST_MTU
    sensor_now_s: float = 0.0
    rsc: bool = False  # also offer Running Speed and Cadence (0x1814) with the runner's speed, as footpods do
    kind: str = field(default="", init=False)
    model: str = field(default="", init=False)

    # identity and GATT table ---------------------------------------------------------------------
    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The advertised device name, as the real device forms it."""

    @property
    def address(self) -> str:
        digits = f"{zlib.crc32(f'{self.model}/{self.serial}'.encode()) << 8 | len(self.serial):010X}"
        return "F0:" + ":".join(digits[i : i + 2] for i in range(0, 10, 2))

    @abc.abstractmethod
    def advertised_uuids(self) -> list[str]:
        """Service UUIDs in the advertisement."""

    @abc.abstractmethod
    def gatt(self) -> dict[str, list[GattChar]]:
        """The GATT table: service UUID -> characteristics."""

    def _battery(self) -> dict[str, list[GattChar]]:
        """Battery service, plus the RSC service when ``rsc`` is set."""
        out = {ble_sig.BATTERY_SERVICE_UUID: [GattChar(ble_sig.BATTERY_LEVEL_UUID, ["read", "notify"])]}
        if self.rsc:
            out[ble_sig.RSC_SERVICE_UUID] = [GattChar(ble_sig.RSC_MEASUREMENT_UUID, ["notify"])]
        return out

    # behaviour -------------------------------------------------------------------------------------
    def read(self, uuid: str) -> bytes:
        if uuid == ble_sig.BATTERY_LEVEL_UUID:
            return ble_sig.encode_battery_level(BATTERY_PCT)
        raise KeyError(uuid)

    @abc.abstractmethod
    def write(self, uuid: str, data: bytes, mtu: int) -> list:
        """Handle a write from the host; return the notifications it causes."""

    def on_disconnect(self) -> None:
        """The link dropped: real firmware stops its streams (the clock keeps running)."""

    def periodic(self) -> list[tuple[float, str, callable]]:
        """Extra notifications while streaming: (period s, char uuid, fn(sensor_s) -> bytes)."""
        if not self.rsc:
            return []
        track = self.signal.speed
        return [(RSC_PERIOD_S, ble_sig.RSC_MEASUREMENT_UUID,
                 lambda s: ble_sig.encode_rsc_measurement(track.measurement(s)))]

    def first_index_at(self, sensor_s: float) -> int:
        return int(np.searchsorted(self.signal.time_s, sensor_s, side="left"))


# ---------------------------------------------------------------------------------------------- Polar


def _mg(acc_g: np.ndarray, range_g: int) -> np.ndarray:
    lim = range_g * 1000
    return np.clip(np.rint(acc_g * 1000.0), -lim, lim).astype(np.int64)


@dataclass
class PolarH10Firmware(VirtualFirmware):
    """Polar H10: PMD ACC (25/50/100/200 Hz, ±2/4/8 g, frame 0x01 int16 mG) + heart rate."""

    max_mtu: int = POLAR_MTU
    rates = (25, 50, 100, 200)
    ranges = (2, 4, 8)
    features = ("ECG", "ACC")

    def __post_init__(self) -> None:
        self.kind, self.model = "polar", "Polar H10"
        self._streaming: dict[int, dict] = {}

    @property
    def name(self) -> str:
        return f"Polar H10 {self.serial}"

    def advertised_uuids(self) -> list[str]:
        return [ble_sig.HEART_RATE_SERVICE_UUID, pmd.SERVICE_UUID]

    def gatt(self) -> dict[str, list[GattChar]]:
        return {
            ble_sig.HEART_RATE_SERVICE_UUID: [GattChar(ble_sig.HEART_RATE_MEASUREMENT_UUID, ["notify"])],
            pmd.SERVICE_UUID: [
                GattChar(pmd.CONTROL_POINT_UUID, ["read", "write", "indicate"]),
                GattChar(pmd.DATA_UUID, ["notify"]),
            ],
            **self._battery(),
        }

    def read(self, uuid: str) -> bytes:
        if uuid == pmd.CONTROL_POINT_UUID:
            return pmd.encode_features(self.features)
        return super().read(uuid)

    def _settings(self, measurement: int) -> dict:
        return {
            pmd.PmdSetting.SAMPLE_RATE: list(self.rates),
            pmd.PmdSetting.RESOLUTION: [16],
            pmd.PmdSetting.RANGE: list(self.ranges),
        }

    def _measurements(self) -> tuple[int, ...]:
        return (pmd.PmdMeasurement.ACC,)

    def write(self, uuid: str, data: bytes, mtu: int) -> list:
        if uuid != pmd.CONTROL_POINT_UUID:
            return []
        try:
            req = pmd.parse_request(data)
        except CodecError:
            return [Indicate(uuid, pmd.encode_response(data[0] if data else 0, 0, pmd.PmdStatus.INVALID_LENGTH))]
        m = req.measurement_type or 0
        reply = lambda status, params=b"": [Indicate(uuid, pmd.encode_response(req.op, m, status, params=params))]
        if mtu < pmd.MIN_ATT_MTU:
            return reply(pmd.PmdStatus.INVALID_MTU)
        if m not in self._measurements():
            return reply(pmd.PmdStatus.NOT_SUPPORTED)
        if req.op == pmd.PmdOp.GET_MEASUREMENT_SETTINGS:
            return reply(pmd.PmdStatus.SUCCESS, pmd.encode_settings(self._settings(m)))
        if req.op == pmd.PmdOp.STOP_MEASUREMENT:
            self._streaming.pop(m, None)
            return reply(pmd.PmdStatus.SUCCESS) + [StopStream(f"pmd{m}")]
        if req.op == pmd.PmdOp.REQUEST_MEASUREMENT_START:
            s = req.settings
            offered = self._settings(m)
            if pmd.PmdSetting.RESOLUTION not in s:
                return reply(pmd.PmdStatus.INVALID_PARAMETER)
            rate = s.get(pmd.PmdSetting.SAMPLE_RATE, [0])[0]
            rng = s.get(pmd.PmdSetting.RANGE, [0])[0]
            if rate not in offered[pmd.PmdSetting.SAMPLE_RATE] or abs(rate - self.signal.rate_hz) > 0.5:
                return reply(pmd.PmdStatus.INVALID_SAMPLE_RATE)
            if rng not in offered[pmd.PmdSetting.RANGE]:
                return reply(pmd.PmdStatus.INVALID_RANGE)
            if m in self._streaming:
                return reply(pmd.PmdStatus.ALREADY_IN_STATE)
            self._streaming[m] = {"range": rng}
            start = self.first_index_at(self.sensor_now_s)
            return [Indicate(uuid, self._start_response(m)), StartStream(self._stream(m, rng, start, mtu))]
        return reply(pmd.PmdStatus.INVALID_OP_CODE)

    def _start_response(self, m: int) -> bytes:
        # the H10 answers START-ACC with a trailing reserved byte (Polar Measurement Data
        # Specification, polar-ble-sdk commit 39c809ab; docs/devices.md)
        return pmd.encode_response(pmd.PmdOp.REQUEST_MEASUREMENT_START, m, 0, params=b"\x01")

    def _timestamp_ns(self, sample: int) -> int:
        return POLAR_DEFAULT_CLOCK_NS + int(round(self.signal.time_s[sample] * 1e9))

    def _stream(self, m: int, rng: int, start: int, mtu: int) -> FrameStream:
        per_frame = (mtu - 3 - pmd.HEADER_BYTES) // 6
        acc = _mg(self.signal.acc_g, rng)

        def encode(first: int, last: int, k: int) -> list[bytes]:
            return [pmd.encode_raw_frame(m, self._timestamp_ns(last), 0x01, acc[first : last + 1])]

        return FrameStream(f"pmd{m}", pmd.DATA_UUID, self.signal, start, per_frame, encode)

    def on_disconnect(self) -> None:
        self._streaming.clear()

    def periodic(self):
        rr = int(round(ble_sig.RR_UNITS_PER_S * 60.0 / HR_BPM))
        return [(HR_PERIOD_S, ble_sig.HEART_RATE_MEASUREMENT_UUID,
                 lambda s: ble_sig.encode_heart_rate(HR_BPM, contact=ble_sig.CONTACT_DETECTED, rr_1024=[rr, rr])),
                *super().periodic()]


@dataclass
class VeritySenseFirmware(PolarH10Firmware):
    """Polar Verity Sense in SDK mode: ACC (frame 0x81, delta, mG) + GYRO (frame 0x80, delta,
    FACTOR deg/s per LSB), 26–416 Hz; frames filled up to the MTU."""

    rates = (26, 52, 104, 208, 416)
    ranges = (2, 4, 8, 16)
    gyro_ranges = (250, 500, 1000, 2000)
    features = ("PPG", "ACC", "PPI", "GYRO", "MAG")

    def __post_init__(self) -> None:
        super().__post_init__()
        self.model = "Polar Verity Sense"

    @property
    def name(self) -> str:
        return f"Polar Sense {self.serial}"

    def advertised_uuids(self) -> list[str]:
        return [ble_sig.HEART_RATE_SERVICE_UUID, pmd.SERVICE_UUID]

    def _measurements(self) -> tuple[int, ...]:
        return (pmd.PmdMeasurement.ACC, pmd.PmdMeasurement.GYRO)

    def _settings(self, measurement: int) -> dict:
        gyro = measurement == pmd.PmdMeasurement.GYRO
        return {
            pmd.PmdSetting.SAMPLE_RATE: list(self.rates),
            pmd.PmdSetting.RESOLUTION: [16],
            pmd.PmdSetting.RANGE: list(self.gyro_ranges if gyro else self.ranges),
            pmd.PmdSetting.CHANNELS: [3],
        }

    def _start_response(self, m: int) -> bytes:
        if m == pmd.PmdMeasurement.GYRO:
            factor = pmd.encode_settings({pmd.PmdSetting.FACTOR: VERITY_GYRO_FACTOR})
            return pmd.encode_response(pmd.PmdOp.REQUEST_MEASUREMENT_START, m, 0, params=factor)
        return pmd.encode_response(pmd.PmdOp.REQUEST_MEASUREMENT_START, m, 0)

    def _stream(self, m: int, rng: int, start: int, mtu: int) -> FrameStream:
        if m == pmd.PmdMeasurement.GYRO:
            if self.signal.gyro_dps is None:
                raise ValueError("the simulated signal has no gyro")
            raw = np.clip(np.rint(self.signal.gyro_dps / VERITY_GYRO_FACTOR), -32768, 32767).astype(np.int64)
            frame_type = 0x80
        else:
            raw = _mg(self.signal.acc_g, rng)
            frame_type = 0x81
        # fill the frame up to the MTU: reference (6 bytes) + one block of deltas of the width this
        # signal needs (worst case over the recording; the real firmware packs adaptively)
        width = max(1, int(np.max(np.abs(np.diff(raw, axis=0)))).bit_length() + 1) if len(raw) > 1 else 16
        room_bits = (mtu - 3 - pmd.HEADER_BYTES - 6 - 2) * 8
        per_frame = max(2, min(pmd.MAX_BLOCK_SAMPLES, room_bits // (3 * width)) + 1)

        def encode(first: int, last: int, k: int) -> list[bytes]:
            return [pmd.encode_delta_frame(m, self._timestamp_ns(last), frame_type, raw[first : last + 1])]

        return FrameStream(f"pmd{m}", pmd.DATA_UUID, self.signal, start, per_frame, encode)

    def periodic(self):
        return VirtualFirmware.periodic(self)  # no heart-rate notifications from the Verity here


# ------------------------------------------------------------------------------------------ Movesense


@dataclass
class MovesenseFirmware(VirtualFirmware):
    """Movesense with the GATT SensorData Protocol: ``/Meas/IMU6/<rate>`` (acc m/s², gyro deg/s)."""

    max_mtu: int = MOVESENSE_MTU
    rates = (13, 26, 52, 104, 208, 416, 833)

    def __post_init__(self) -> None:
        self.kind, self.model = "movesense", "Movesense"
        self._subs: dict[int, str] = {}

    @property
    def name(self) -> str:
        return f"Movesense {self.serial}"

    def advertised_uuids(self) -> list[str]:
        return [gsp.SERVICE_UUID]

    def gatt(self):
        return {
            gsp.SERVICE_UUID: [GattChar(gsp.COMMAND_UUID, ["write"]), GattChar(gsp.DATA_UUID, ["notify"])],
            **self._battery(),
        }

    def write(self, uuid: str, data: bytes, mtu: int) -> list:
        if uuid != gsp.COMMAND_UUID:
            return []
        try:
            cmd = gsp.parse_command(data)
        except CodecError:
            return []
        ref = cmd.reference
        if cmd.command == gsp.GspCommand.HELLO:
            return [Indicate(gsp.DATA_UUID, bytes([gsp.GspResponse.COMMAND_RESULT, ref]) + gsp.HELLO_PAYLOAD)]
        if cmd.command == gsp.GspCommand.UNSUBSCRIBE:
            self._subs.pop(ref, None)
            return [Indicate(gsp.DATA_UUID, gsp.encode_command_result(ref, 200)), StopStream(f"gsp{ref}")]
        try:
            resource, rate = gsp.parse_path(cmd.path or "")
        except CodecError:
            return [Indicate(gsp.DATA_UUID, gsp.encode_command_result(ref, 404))]
        if resource != "IMU6" or rate not in self.rates or abs(rate - self.signal.rate_hz) > 0.5:
            return [Indicate(gsp.DATA_UUID, gsp.encode_command_result(ref, 400))]
        if len(self._subs) >= gsp.MAX_SUBSCRIPTIONS:
            return [Indicate(gsp.DATA_UUID, bytes([gsp.GspResponse.COMMAND_RESULT, ref]) + gsp.NO_FREE_SLOT_BIG_ENDIAN)]
        if self.signal.gyro_dps is None:
            raise ValueError("the simulated signal has no gyro")
        self._subs[ref] = cmd.path
        acc = (self.signal.acc_g * STANDARD_GRAVITY).astype("<f4")
        gyro = self.signal.gyro_dps.astype("<f4")
        t_ms = np.floor(self.signal.time_s * 1000.0).astype(np.int64)

        def encode(first: int, last: int, k: int) -> list[bytes]:
            sl = slice(first, last + 1)
            return gsp.encode_imu_notifications(ref, int(t_ms[first]), acc=acc[sl], gyro=gyro[sl])

        start = self.first_index_at(self.sensor_now_s)
        # the sample firmware sends no result for a successful SUBSCRIBE: the data is the answer
        return [StartStream(FrameStream(f"gsp{ref}", gsp.DATA_UUID, self.signal, start,
                                        MOVESENSE_SAMPLES_PER_MESSAGE, encode))]

    def on_disconnect(self) -> None:
        self._subs.clear()


# ------------------------------------------------------------------------------------------------ RFS


@dataclass
class RfsFirmware(VirtualFirmware):
    """The open reference strap (RFS v1, docs/reference-strap-protocol.md): LSM6DSO ±8 g/±2000 dps."""

    rates = (104, 208, 416)
    cfg_id: int = 3

    def __post_init__(self) -> None:
        self.kind, self.model = "rfs", "RFS reference strap"
        self._seq = 0

    @property
    def name(self) -> str:
        return f"{rfs.NAME_PREFIX}{self.serial}"

    def advertised_uuids(self) -> list[str]:
        return [rfs.SERVICE_UUID]

    def gatt(self):
        return {
            rfs.SERVICE_UUID: [
                GattChar(rfs.CONTROL_UUID, ["write", "indicate"]),
                GattChar(rfs.DATA_UUID, ["notify"]),
                GattChar(rfs.INFO_UUID, ["read"]),
            ],
            **self._battery(),
        }

    def scales(self) -> tuple[float, float]:
        """(g per LSB, deg/s per LSB): the IMU's own when the signal carries raw counts."""
        sig = self.signal
        if sig.counts is not None and sig.acc_lsb_g and sig.gyro_lsb_dps:
            return float(np.float32(sig.acc_lsb_g)), float(np.float32(sig.gyro_lsb_dps))
        return RFS_ACC_G_PER_LSB, RFS_GYRO_DPS_PER_LSB

    def info(self) -> rfs.RfsInfo:
        acc_lsb, gyro_lsb = self.scales()
        return rfs.RfsInfo(rfs.PROTOCOL_VERSION, rfs.RfsImu.LSM6DSO, self.cfg_id, rfs.INFO_FLAG_GYRO,
                           RFS_TICK_HZ, int(round(self.signal.rate_hz)), acc_lsb, gyro_lsb, 0x0100)

    def read(self, uuid: str) -> bytes:
        if uuid == rfs.INFO_UUID:
            return rfs.encode_info(self.info())
        return super().read(uuid)

    def counts(self) -> np.ndarray:
        """(n, 6) int16 raw counts the IMU reports (acc then gyro)."""
        sig = self.signal
        if sig.counts is not None and sig.counts.shape[1] == 6 and sig.acc_lsb_g and sig.gyro_lsb_dps:
            return sig.counts
        acc_lsb, gyro_lsb = self.scales()
        raw = np.hstack([np.rint(sig.acc_g / acc_lsb), np.rint(sig.gyro_dps / gyro_lsb)])
        return np.clip(raw, -32768, 32767).astype(np.int64)

    def write(self, uuid: str, data: bytes, mtu: int) -> list:
        if uuid != rfs.CONTROL_UUID:
            return []
        try:
            cmd = rfs.parse_control_command(data)
        except CodecError:
            return [Indicate(uuid, rfs.encode_control_response(rfs.RfsCommand.START, rfs.RfsStatus.BAD_PARAMETER))]
        if cmd.command == rfs.RfsCommand.STOP:
            return [Indicate(uuid, rfs.encode_control_response(cmd.command)), StopStream("rfs")]
        if cmd.command == rfs.RfsCommand.TIME_SYNC:
            tick = int(round(self.sensor_now_s * RFS_TICK_HZ)) & 0xFFFFFFFF
            return [Indicate(uuid, rfs.encode_control_response(cmd.command, 0, cmd.token, tick))]
        per_frame = min(RFS_MAX_SAMPLES, rfs.max_samples_per_frame(mtu))
        if per_frame < rfs.MIN_SAMPLES_PER_FRAME:
            return [Indicate(uuid, rfs.encode_control_response(cmd.command, rfs.RfsStatus.MTU_TOO_SMALL))]
        if cmd.odr_hz not in self.rates or abs(cmd.odr_hz - self.signal.rate_hz) > 0.5 or self.signal.gyro_dps is None:
            return [Indicate(uuid, rfs.encode_control_response(cmd.command, rfs.RfsStatus.BAD_PARAMETER))]
        counts = self.counts()
        ticks = np.rint(self.signal.time_s * RFS_TICK_HZ).astype(np.int64)

        def encode(first: int, last: int, k: int) -> list[bytes]:
            # seq restarts at 0 on every START (docs/reference-strap-protocol.md, section 5.1)
            return [rfs.encode_data_frame(k, int(ticks[last]), self.cfg_id, 0, counts[first : last + 1])]

        start = self.first_index_at(self.sensor_now_s)
        return [Indicate(uuid, rfs.encode_control_response(cmd.command)),
                StartStream(FrameStream("rfs", rfs.DATA_UUID, self.signal, start, per_frame, encode))]


FIRMWARE_BY_KIND = {
    "polar": PolarH10Firmware,
    "verity": VeritySenseFirmware,
    "movesense": MovesenseFirmware,
    "rfs": RfsFirmware,
}


def make_firmware(kind: str, signal: StrapSignal, serial: str = "0001", **kwargs) -> VirtualFirmware:
    """The virtual strap firmware for ``kind`` (polar = H10, verity, movesense, rfs)."""
    try:
        cls = FIRMWARE_BY_KIND[kind]
    except KeyError:
        raise ValueError(f"unknown strap kind {kind!r}; choose from {', '.join(FIRMWARE_BY_KIND)}") from None
    if kwargs.get("rsc") and signal.speed is None:
        raise ValueError("a Running Speed and Cadence service needs the runner's speed (StrapSignal.from_sim)")
    return cls(signal, serial, **kwargs)
