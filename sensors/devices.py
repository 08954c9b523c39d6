"""Device profiles: every supported strap behind one interface, chosen from its advertisement.

A ``DeviceProfile`` knows how to recognise a strap (advertised name, service UUIDs), what it can
measure (``has_gyro``, rates, ranges: copied into the recording's metadata), how to start and stop
its stream over a ``GattIO`` (each vendor's control-point dialogue: Polar's PMD from the Polar BLE
SDK, Movesense's GSP, the reference strap's in docs/reference-strap-protocol.md), and
returns a ``StreamSpec``: the data characteristic(s), a ``FrameDecoder`` (bytes -> ``DecodedFrame``,
using the pure codecs in ``sensors.protocols``) and the clock parameters of its timestamps.

Profiles: Polar H10 (acc only + heart rate), Polar Verity Sense (acc + gyro), Movesense (IMU6 via
GSP), RFS reference strap (acc + gyro). The virtual straps of ``firmware_sim`` speak the same
bytes and are recognised by the same profiles (the metadata records the backend).
"""

from __future__ import annotations

import abc
import asyncio
from dataclasses import dataclass, field
from typing import Callable, Protocol

import numpy as np

from runform.sensors.errors import RunformError
from runform.sensors.protocols import ble_sig, movesense_gsp as gsp, polar_pmd as pmd, rfs
from runform.sensors.protocols.errors import CodecError


class ProfileError(RunformError):
    """A request the strap cannot fulfil (rate not offered, no data after subscribing)."""

#: seconds to wait for a control-point answer (the Polar SDK uses 30 s; our straps answer in ms)
COMMAND_TIMEOUT_S = 10.0
#: Movesense acknowledges a SUBSCRIBE only by sending data: wait this long for the first message
GSP_FIRST_DATA_TIMEOUT_S = 5.0
GSP_HELLO_REF = 1
GSP_IMU_REF = 2
#: ranges requested: the largest the strap offers up to these (running impacts reach 6–8 g)
PREFERRED_ACC_RANGE_G = 8
PREFERRED_GYRO_RANGE_DPS = 2000


class GattIO(Protocol):
    """What a profile needs from the link (implemented over ``bleak.BleakClient`` in ble_link)."""

    mtu: int

    async def read(self, uuid: str) -> bytes: ...

    async def write(self, uuid: str, data: bytes, response: bool = True) -> None: ...

    async def subscribe(self, uuid: str, data: bool = False) -> None:
        """Enable notifications/indications; ``data=True`` routes them to the sample decoder,
        otherwise to the control queue read by ``request``."""

    async def request(self, write_uuid: str, data: bytes, answer_uuid: str,
                      match: Callable[[bytes], bool], timeout: float = COMMAND_TIMEOUT_S) -> bytes: ...

    def expect_data(self) -> asyncio.Event:
        """An event set by the next notification on a data characteristic."""


@dataclass
class DecodedFrame:
    """Samples of one notification (or merged notifications) with the strap's own time stamp.

    ``ticks``: counter value of the anchor sample (see ``StreamSpec.anchor``); ``seq``: sequence
    number if the protocol has one; ``acc_g`` (n, 3) g; ``gyro_dps`` (n, 3) deg/s or None.
    """

    ticks: int
    acc_g: np.ndarray
    gyro_dps: np.ndarray | None = None
    seq: int | None = None
    fw_dropped: int | None = None

    @property
    def n(self) -> int:
        return int(self.acc_g.shape[0])


class FrameDecoder(abc.ABC):
    """Stateful bytes -> frames; raises ``CodecError`` for a bad notification (the link counts it)."""

    @abc.abstractmethod
    def feed(self, uuid: str, data: bytes) -> list[DecodedFrame]: ...

    def reset(self) -> None:
        """Forget partial state (called on reconnect)."""


@dataclass
class StreamSpec:
    """What the link needs to run a started stream."""

    data_uuids: list[str]
    decoder: FrameDecoder
    nominal_rate_hz: float
    tick_hz: float
    anchor: str  # "last" or "first": which sample the frame's time stamp belongs to
    wrap_ticks: int | None
    seq_modulus: int | None
    has_gyro: bool
    acc_range_g: float | None
    gyro_range_dps: float | None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Capabilities:
    has_gyro: bool
    rates_hz: tuple[int, ...]
    default_rate_hz: int
    acc_ranges_g: tuple[int, ...]
    gyro_ranges_dps: tuple[int, ...]
    heart_rate: bool
    min_mtu: int

    def to_dict(self) -> dict:
        return {
            "has_gyro": self.has_gyro, "rates_hz": list(self.rates_hz), "default_rate_hz": self.default_rate_hz,
            "acc_ranges_g": list(self.acc_ranges_g), "gyro_ranges_dps": list(self.gyro_ranges_dps),
            "heart_rate": self.heart_rate, "min_mtu": self.min_mtu,
        }


class DeviceProfile(abc.ABC):
    """One kind of strap. Subclasses set the class attributes and implement ``start``/``stop``."""

    kind: str  # "polar", "movesense", "rfs": the --kind the user types
    model: str
    protocol: str
    name_prefixes: tuple[str, ...]
    service_uuids: tuple[str, ...]  # any of these advertised identifies the profile
    caps: Capabilities

    @classmethod
    def matches(cls, name: str | None, service_uuids) -> bool:
        name = name or ""
        uuids = {u.lower() for u in (service_uuids or [])}
        if any(name.startswith(p) for p in cls.name_prefixes):
            return True
        return bool(uuids & set(cls.service_uuids)) and not cls._name_excluded(name)

    @classmethod
    def _name_excluded(cls, name: str) -> bool:
        return False

    def choose_rate(self, rate_hz: float | None) -> int:
        if rate_hz is None:
            return self.caps.default_rate_hz
        rate = int(round(rate_hz))
        if rate not in self.caps.rates_hz:
            raise ProfileError(f"{self.model} does not offer {rate_hz:g} Hz; choose one of "
                               f"{', '.join(map(str, self.caps.rates_hz))} Hz")
        return rate

    def metadata(self) -> dict:
        return {"kind": self.kind, "model": self.model, "protocol": self.protocol, "capabilities": self.caps.to_dict()}

    @abc.abstractmethod
    async def start(self, io: GattIO, rate_hz: float | None) -> StreamSpec: ...

    @abc.abstractmethod
    async def stop(self, io: GattIO) -> None: ...


# --------------------------------------------------------------------------------------- Polar PMD


class _PmdDecoder(FrameDecoder):
    """ACC frames (and GYRO frames, paired with ACC by sample time, for the Verity Sense)."""

    def __init__(self, rate_hz: float, factors: dict[int, float], gyro: bool) -> None:
        self.rate_hz = rate_hz
        self.factors = factors
        self.gyro = gyro
        self.reset()

    def reset(self) -> None:
        self._prev_ts: dict[int, int] = {}
        self._pending: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def feed(self, uuid: str, data: bytes) -> list[DecodedFrame]:
        frame = pmd.decode_data_frame(data, factor=self.factors.get(data[0] & pmd.MEASUREMENT_TYPE_MASK, 1.0))
        m = frame.measurement_type
        if m not in (pmd.PmdMeasurement.ACC, pmd.PmdMeasurement.GYRO):
            raise CodecError(f"PMD data: unexpected measurement {m} on the data characteristic")
        values = frame.values()
        if not self.gyro:
            return [DecodedFrame(frame.timestamp_ns, values)]
        return self._pair(m, frame.timestamp_ns, values)

    def _pair(self, m: int, ts: int, values: np.ndarray) -> list[DecodedFrame]:
        """Join ACC and GYRO samples measured at the same instant (±half a period)."""
        prev = self._prev_ts.get(m, 0)
        period_ns = 1e9 / self.rate_hz
        if prev and (ts - prev) / values.shape[0] > 1.5 * period_ns:
            prev = 0  # a lost frame: place this one at the nominal spacing back from ts
        times = pmd.sample_timestamps_ns(prev if prev < ts else 0, ts, values.shape[0], self.rate_hz)
        self._prev_ts[m] = ts
        old_t, old_v = self._pending.get(m, (np.zeros(0, np.int64), np.zeros((0, 3))))
        self._pending[m] = (np.concatenate([old_t, times]), np.vstack([old_v, values]))
        a = pmd.PmdMeasurement.ACC
        g = pmd.PmdMeasurement.GYRO
        if a not in self._pending or g not in self._pending:
            return []
        (ta, va), (tg, vg) = self._pending[a], self._pending[g]
        if not (ta.size and tg.size):
            return []
        # samples up to the older stream's newest one (+ half a period: stamps may differ by a few ns)
        horizon = min(ta[-1], tg[-1]) + period_ns / 2
        j = np.searchsorted(tg, ta)
        left, right = np.clip(j - 1, 0, tg.size - 1), np.clip(j, 0, tg.size - 1)
        j = np.where(np.abs(tg[right] - ta) < np.abs(tg[left] - ta), right, left)
        matched = (np.abs(tg[j] - ta) <= period_ns / 2) & (ta <= horizon)
        done_a = ta <= horizon
        done_g = tg <= horizon
        self._pending[a] = (ta[~done_a], va[~done_a])
        self._pending[g] = (tg[~done_g], vg[~done_g])
        if not matched.any():
            return []
        idx = np.flatnonzero(matched)
        return [DecodedFrame(int(ta[idx[-1]]), va[idx], vg[j[idx]])]


class PolarH10(DeviceProfile):
    kind = "polar"
    model = "Polar H10"
    protocol = "polar-pmd"
    name_prefixes = ("Polar H10",)
    service_uuids = (pmd.SERVICE_UUID,)
    caps = Capabilities(False, (25, 50, 100, 200), 200, (2, 4, 8), (), True, pmd.MIN_ATT_MTU)
    measurements = (pmd.PmdMeasurement.ACC,)

    @classmethod
    def _name_excluded(cls, name: str) -> bool:
        return any(name.startswith(p) for p in PolarVeritySense.name_prefixes)

    async def _command(self, io: GattIO, data: bytes) -> pmd.PmdResponse:
        op = data[0]

        def match(b: bytes) -> bool:
            return len(b) >= 2 and b[0] == pmd.RESPONSE_CODE and b[1] == op

        raw = await io.request(pmd.CONTROL_POINT_UUID, data, pmd.CONTROL_POINT_UUID, match)
        return pmd.parse_response(raw)

    async def start(self, io: GattIO, rate_hz: float | None) -> StreamSpec:
        rate = self.choose_rate(rate_hz)
        await io.subscribe(pmd.CONTROL_POINT_UUID)
        await io.subscribe(pmd.DATA_UUID, data=True)
        factors: dict[int, float] = {}
        ranges: dict[int, int] = {}
        for m in self.measurements:
            offered = (await self._command(io, pmd.build_get_settings(m))).raise_for_status().settings()
            if rate not in offered.get(pmd.PmdSetting.SAMPLE_RATE, []):
                raise ProfileError(f"{self.model} does not offer {m.name} at {rate} Hz "
                                   f"(offered: {offered.get(pmd.PmdSetting.SAMPLE_RATE)})")
            prefer = PREFERRED_GYRO_RANGE_DPS if m == pmd.PmdMeasurement.GYRO else PREFERRED_ACC_RANGE_G
            rngs = offered.get(pmd.PmdSetting.RANGE, [prefer])
            ranges[m] = max([r for r in rngs if r <= prefer] or [min(rngs)])
            # send exactly the settings the device offered, one value each (Polar BLE SDK, PMD start request)
            settings = {pmd.PmdSetting.SAMPLE_RATE: rate, pmd.PmdSetting.RANGE: ranges[m]}
            for s in (pmd.PmdSetting.RESOLUTION, pmd.PmdSetting.CHANNELS):
                if s in offered:
                    settings[s] = max(offered[s])
            resp = await self._command(io, pmd.build_start(m, settings))
            if resp.status != pmd.PmdStatus.ALREADY_IN_STATE:
                resp.raise_for_status()
                factors[m] = resp.factor()
        if self.caps.heart_rate:
            await io.subscribe(ble_sig.HEART_RATE_MEASUREMENT_UUID, data=True)
        gyro = pmd.PmdMeasurement.GYRO in self.measurements
        return StreamSpec(
            data_uuids=[pmd.DATA_UUID], decoder=_PmdDecoder(rate, factors, gyro), nominal_rate_hz=rate,
            tick_hz=1e9, anchor="last", wrap_ticks=None, seq_modulus=None, has_gyro=gyro,
            acc_range_g=ranges[pmd.PmdMeasurement.ACC], gyro_range_dps=ranges.get(pmd.PmdMeasurement.GYRO),
            extra={"pmd_factors": {int(k): v for k, v in factors.items()}},
        )

    async def stop(self, io: GattIO) -> None:
        # always stop: the H10 keeps streaming otherwise
        for m in self.measurements:
            await self._command(io, pmd.build_stop(m))


class PolarVeritySense(PolarH10):
    model = "Polar Verity Sense"
    name_prefixes = ("Polar Sense", "Polar Verity")
    caps = Capabilities(True, (26, 52, 104, 208, 416), 208, (2, 4, 8, 16), (250, 500, 1000, 2000), False, pmd.MIN_ATT_MTU)
    measurements = (pmd.PmdMeasurement.ACC, pmd.PmdMeasurement.GYRO)

    @classmethod
    def _name_excluded(cls, name: str) -> bool:
        return any(name.startswith(p) for p in PolarH10.name_prefixes)


# ------------------------------------------------------------------------------------ Movesense GSP


class _GspDecoder(FrameDecoder):
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._re = gsp.GspReassembler()

    def feed(self, uuid: str, data: bytes) -> list[DecodedFrame]:
        out = []
        for msg in self._re.feed(data):
            if msg.response != gsp.GspResponse.DATA or msg.reference != GSP_IMU_REF:
                continue  # command results (hello, unsubscribe) are not samples
            s = gsp.decode_imu_payload(msg.payload, "IMU6")
            out.append(DecodedFrame(s.timestamp_ms, s.acc.astype(np.float64) * gsp.ACC_G_PER_M_S2,
                                    s.gyro.astype(np.float64)))
        return out


class Movesense(DeviceProfile):
    kind = "movesense"
    model = "Movesense"
    protocol = "movesense-gsp"
    name_prefixes = (gsp.NAME_PREFIX,)
    service_uuids = (gsp.SERVICE_UUID,)
    caps = Capabilities(True, (13, 26, 52, 104, 208, 416), 208, (), (), False, 23)  # ranges: set in its firmware

    async def start(self, io: GattIO, rate_hz: float | None) -> StreamSpec:
        rate = self.choose_rate(rate_hz)
        await io.subscribe(gsp.DATA_UUID, data=True)
        path = gsp.imu_path("IMU6", rate)
        first_data = io.expect_data()
        await io.write(gsp.COMMAND_UUID, gsp.build_subscribe(GSP_IMU_REF, path), response=True)
        try:
            await asyncio.wait_for(first_data.wait(), GSP_FIRST_DATA_TIMEOUT_S)
        except asyncio.TimeoutError:
            raise ProfileError(f"{self.model}: no data within {GSP_FIRST_DATA_TIMEOUT_S:g} s after subscribing to "
                               f"{path} (is the GATT SensorData firmware installed?)") from None
        return StreamSpec(
            data_uuids=[gsp.DATA_UUID], decoder=_GspDecoder(), nominal_rate_hz=rate, tick_hz=1000.0,
            anchor="first", wrap_ticks=1 << 32, seq_modulus=None, has_gyro=True,
            acc_range_g=None, gyro_range_dps=None, extra={"gsp_path": path},
        )

    async def stop(self, io: GattIO) -> None:
        await io.write(gsp.COMMAND_UUID, gsp.build_unsubscribe(GSP_IMU_REF), response=True)


# ------------------------------------------------------------------------------------------------ RFS


class _RfsDecoder(FrameDecoder):
    def __init__(self, info: rfs.RfsInfo) -> None:
        self.info = info

    def feed(self, uuid: str, data: bytes) -> list[DecodedFrame]:
        frame = rfs.decode_data_frame(data)
        acc, gyro = frame.scaled(self.info)
        return [DecodedFrame(frame.t_last_ticks, acc, gyro, frame.seq, frame.fw_dropped)]


class RfsStrap(DeviceProfile):
    kind = "rfs"
    model = "RFS reference strap"
    protocol = "rfs-v1"
    name_prefixes = (rfs.NAME_PREFIX,)
    service_uuids = (rfs.SERVICE_UUID,)
    caps = Capabilities(True, (104, 208, 416), 208, (8,), (2000,), False, rfs.MIN_ATT_MTU)

    async def start(self, io: GattIO, rate_hz: float | None) -> StreamSpec:
        info = rfs.decode_info(await io.read(rfs.INFO_UUID))
        rate = self.choose_rate(rate_hz if rate_hz is not None else info.odr_hz)
        await io.subscribe(rfs.CONTROL_UUID)
        await io.subscribe(rfs.DATA_UUID, data=True)
        start = rfs.build_start(rate, PREFERRED_ACC_RANGE_G, PREFERRED_GYRO_RANGE_DPS)

        def match(b: bytes) -> bool:
            return len(b) >= 1 and b[0] == rfs.RESPONSE_BIT | rfs.RfsCommand.START

        rfs.parse_control_response(await io.request(rfs.CONTROL_UUID, start, rfs.CONTROL_UUID, match)).raise_for_status()
        return StreamSpec(
            data_uuids=[rfs.DATA_UUID], decoder=_RfsDecoder(info), nominal_rate_hz=rate, tick_hz=info.tick_hz,
            anchor="last", wrap_ticks=1 << 32, seq_modulus=rfs.SEQ_MODULUS, has_gyro=info.gyro_enabled,
            acc_range_g=PREFERRED_ACC_RANGE_G, gyro_range_dps=PREFERRED_GYRO_RANGE_DPS,
            extra={"imu_model": int(info.imu_model), "cfg_id": info.cfg_id, "firmware": info.firmware_version_str,
                   "acc_g_per_lsb": info.acc_g_per_lsb, "gyro_dps_per_lsb": info.gyro_dps_per_lsb},
        )

    async def stop(self, io: GattIO) -> None:
        def match(b: bytes) -> bool:
            return len(b) >= 1 and b[0] == rfs.RESPONSE_BIT | rfs.RfsCommand.STOP

        await io.request(rfs.CONTROL_UUID, rfs.build_stop(), rfs.CONTROL_UUID, match)


PROFILES: tuple[type[DeviceProfile], ...] = (PolarVeritySense, PolarH10, Movesense, RfsStrap)
KINDS = ("polar", "movesense", "rfs")
#: every service UUID that identifies a supported strap (scan filter)
SUPPORTED_SERVICE_UUIDS = sorted({u for p in PROFILES for u in p.service_uuids})


def profile_for(name: str | None, service_uuids, kind: str | None = None) -> DeviceProfile | None:
    """The profile of an advertised strap (None if unsupported or not of ``kind``)."""
    for cls in PROFILES:
        if (kind is None or cls.kind == kind) and cls.matches(name, service_uuids):
            return cls()
    return None
