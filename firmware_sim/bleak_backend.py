"""Virtual straps served to the unchanged bleak code path: ``BleakScanner(backend=...)`` and
``BleakClient(..., backend=...)`` (bleak 3.x custom-backend interface: ``bleak.backends.client.BaseBleakClient``,
``bleak.backends.scanner.BaseBleakScanner``; bleak docs ``docs/backends/index.rst``).

``VirtualWorld(straps, speed)`` holds the virtual devices and their simulated clock
(``firmware_sim.virtual_time``: an event loop whose time jumps to the next scheduled notification,
paced at ``speed`` x real time at most, so runs are exact at any load; pass ``world.clock`` as the
recorder's ``host``); ``world.backends()`` returns the ``(VirtualScanner, VirtualClient)`` classes bound to it, to
pass as ``backend=``. A ``VirtualStrap`` wraps one firmware (``firmware_sim.firmware``) and plays the
radio: advertising, connection, MTU, GATT reads/writes, indications, and notifications scheduled on
the asyncio loop at the device's timing (each FIFO batch when its last sample has been measured,
plus a link latency). ``Faults`` injects what goes wrong on real links: frame loss (independent and
bursts), a disconnect at a given time, corrupted (truncated) frames, a small MTU, clock drift.

Every data frame the strap produces while streaming is logged in ``strap.log`` with its fate
("delivered", "lost", "corrupt") so tests can compare the recording with what was sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakCharacteristicNotFoundError, BleakDeviceNotFoundError, BleakError

from runform.firmware_sim.firmware import HOST_MTU, Indicate, StartStream, StopStream, VirtualFirmware
from runform.firmware_sim.virtual_time import SimulatedClock

#: world seconds between advertisements, to connect, and from a frame's last sample to its arrival
ADVERTISING_INTERVAL_S = 0.1
CONNECT_DELAY_S = 0.3
LINK_LATENCY_S = 0.012
#: how long a strap stays unreachable after an injected disconnect (world s)
REAPPEAR_AFTER_S = 1.5
#: a corrupted frame loses this many bytes from its end (coprime with every sample size: 6, 12, 24)
CORRUPT_TRUNCATE_BYTES = 5
SIM_RSSI_DBM = -58


@dataclass
class Faults:
    """What goes wrong on the link. Times are world seconds since the strap first started streaming.

    ``loss``: probability that a data frame is lost; ``bursts``: (start, duration) windows in which
    every frame is lost; ``disconnect_at``: times at which the link drops (the strap is unreachable
    for ``reappear_after_s``); ``stall_at``: times at which the strap silently stops streaming while
    staying connected (a firmware hang, an H10 taken off the chest); ``corrupt``: probability that a frame arrives truncated; ``mtu``: the
    largest ATT MTU the strap accepts (None: its normal one); ``drift_ppm``: the strap's clock runs
    this much fast against the host; ``latency_jitter_s``: mean of an exponential extra delay per frame
(a busy radio; notifications still arrive in order); ``seed`` for the random faults.
    """

    loss: float = 0.0
    bursts: list[tuple[float, float]] = field(default_factory=list)
    disconnect_at: list[float] = field(default_factory=list)
    stall_at: list[float] = field(default_factory=list)
    reappear_after_s: float = REAPPEAR_AFTER_S
    corrupt: float = 0.0
    mtu: int | None = None
    drift_ppm: float = 0.0
    latency_jitter_s: float = 0.0
    seed: int = 0


@dataclass
class FrameLog:
    """One produced data frame: signal sample indices ``first..last`` and what happened to it."""

    first: int
    last: int
    fate: str  # delivered, lost, corrupt
    stream: str


class VirtualStrap:
    """One virtual device: firmware + radio behaviour + fault injection."""

    def __init__(self, firmware: VirtualFirmware, faults: Faults | None = None, rssi: int = SIM_RSSI_DBM) -> None:
        self.firmware = firmware
        self.faults = faults or Faults()
        self.rssi = rssi
        self.log: list[FrameLog] = []
        self.disconnects = 0
        self._rng = np.random.default_rng(self.faults.seed)
        self._client: "VirtualClient | None" = None
        self._tasks: dict[str, asyncio.Task] = {}
        self._fault_tasks: list[asyncio.Task] = []
        self._hidden_until = -1.0
        self._stream_t0: float | None = None
        self.world: "VirtualWorld | None" = None

    # identity ------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.firmware.name

    @property
    def address(self) -> str:
        return self.firmware.address

    @property
    def max_mtu(self) -> int:
        return self.faults.mtu if self.faults.mtu is not None else self.firmware.max_mtu

    @property
    def clock(self) -> SimulatedClock:
        return self.world.clock

    # sensor clock: runs (1 + drift) times as fast as the world clock ---------------------------
    def sensor_s(self, world_s: float) -> float:
        return world_s * (1.0 + self.faults.drift_ppm * 1e-6)

    def world_s(self, sensor_s: float) -> float:
        return sensor_s / (1.0 + self.faults.drift_ppm * 1e-6)

    def advertising(self) -> bool:
        return self._client is None and self.clock.now() >= self._hidden_until

    def advertisement(self) -> AdvertisementData:
        return AdvertisementData(
            local_name=self.name, manufacturer_data={}, service_data={},
            service_uuids=list(self.firmware.advertised_uuids()), tx_power=None, rssi=self.rssi, platform_data=(),
        )

    # link ------------------------------------------------------------------------------------------
    def attach(self, client: "VirtualClient") -> None:
        if not self.advertising():
            raise BleakDeviceNotFoundError(self.address, f"virtual strap {self.name} is not reachable")
        self._client = client

    def detach(self) -> None:
        """The link is gone (either side): streams stop, the firmware forgets its subscriptions."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        self.firmware.on_disconnect()
        self._client = None

    def write(self, uuid: str, data: bytes, mtu: int) -> None:
        now = self.clock.now()
        self.firmware.sensor_now_s = self.sensor_s(now)
        for action in self.firmware.write(uuid, data, mtu):
            if isinstance(action, Indicate):
                asyncio.get_running_loop().call_soon(self._send, action.char_uuid, action.data)
            elif isinstance(action, StartStream):
                if self._stream_t0 is None:
                    self._stream_t0 = now
                    self._fault_tasks = [asyncio.create_task(self._scheduled_disconnects()),
                                         asyncio.create_task(self._scheduled_stalls())]
                self._start_periodic()
                key = action.stream.key
                if key in self._tasks:
                    self._tasks[key].cancel()
                self._tasks[key] = asyncio.create_task(self._run_stream(action.stream))
            elif isinstance(action, StopStream):
                task = self._tasks.pop(action.key, None)
                if task:
                    task.cancel()

    def _send(self, uuid: str, data: bytes) -> None:
        if self._client is not None:
            self._client.deliver(uuid, data)

    def _jitter(self) -> float:
        return float(self._rng.exponential(self.faults.latency_jitter_s)) if self.faults.latency_jitter_s > 0 else 0.0

    def _fate(self, world_s: float) -> str:
        rel = world_s - (self._stream_t0 or 0.0)
        if any(a <= rel < a + d for a, d in self.faults.bursts):
            return "lost"
        u = self._rng.random()
        if u < self.faults.loss:
            return "lost"
        if u < self.faults.loss + self.faults.corrupt:
            return "corrupt"
        return "delivered"

    async def _run_stream(self, stream) -> None:
        arrives = float("-inf")
        for frame in stream.frames():
            due = self.world_s(frame.due_sensor_s) + LINK_LATENCY_S
            arrives = max(arrives, due + self._jitter())  # in order, as BLE notifications are
            await self.clock.sleep_until(arrives)
            if self._client is None:
                return
            fate = self._fate(due)
            self.log.append(FrameLog(frame.first, frame.last, fate, stream.key))
            if fate == "lost":
                continue
            for payload in frame.payloads:
                if fate == "corrupt":
                    payload = payload[:-CORRUPT_TRUNCATE_BYTES]
                self._send(frame.char_uuid, payload)

    def _start_periodic(self) -> None:
        for k, (period, uuid, make) in enumerate(self.firmware.periodic()):
            key = f"periodic{k}"
            if key not in self._tasks:
                self._tasks[key] = asyncio.create_task(self._run_periodic(period, uuid, make))

    async def _run_periodic(self, period: float, uuid: str, make: Callable[[float], bytes]) -> None:
        while self._client is not None:
            await self.clock.sleep(period)
            self._send(uuid, make(self.sensor_s(self.clock.now())))

    async def _scheduled_disconnects(self) -> None:
        for at in sorted(self.faults.disconnect_at):
            await self.clock.sleep_until(self._stream_t0 + at)
            while self._client is None:  # not connected right now: drop the next link instead
                await self.clock.sleep(ADVERTISING_INTERVAL_S)
            self.drop_link()

    async def _scheduled_stalls(self) -> None:
        for at in sorted(self.faults.stall_at):
            await self.clock.sleep_until(self._stream_t0 + at)
            for task in self._tasks.values():  # streams stop, the connection stays up
                task.cancel()
            self._tasks.clear()
            self.firmware.on_disconnect()

    def drop_link(self) -> None:
        """Injected link loss (supervision timeout): the host sees an unsolicited disconnect."""
        client = self._client
        self.detach()
        self.disconnects += 1
        self._hidden_until = self.clock.now() + self.faults.reappear_after_s
        if client is not None:
            client.link_lost()

    # facts for tests ---------------------------------------------------------------------------------
    def produced(self, fate: str | None = None) -> np.ndarray:
        """Signal sample indices of the frames produced while streaming (optionally of one fate)."""
        parts = [np.arange(f.first, f.last + 1) for f in self.log if fate is None or f.fate == fate]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


class VirtualWorld:
    """The virtual straps within radio range, and the world's simulated clock (``speed`` x real time
    at most; ``math.inf``: as fast as the machine goes)."""

    def __init__(self, straps: list[VirtualStrap], speed: float = 1.0) -> None:
        self.straps = list(straps)
        self.clock = SimulatedClock(speed)
        self.sim = None  # the firmware_sim.SimResult the strap plays, when built by virtual_world()
        for s in self.straps:
            s.world = self

    def find(self, address: str) -> VirtualStrap | None:
        for s in self.straps:
            if s.address.lower() == address.lower():
                return s
        return None

    def backends(self) -> tuple[type["VirtualScanner"], type["VirtualClient"]]:
        """Scanner and client backend classes bound to this world (pass them as ``backend=``)."""
        scanner = type("VirtualScanner", (VirtualScanner,), {"world": self})
        client = type("VirtualClient", (VirtualClient,), {"world": self})
        return scanner, client


class VirtualScanner(BaseBleakScanner):
    """Scanner backend: every ``ADVERTISING_INTERVAL_S`` each reachable strap advertises its name and
    service UUIDs (re-advertising matters: ``find_device_by_filter`` registers its callback after
    ``start()``)."""

    world: VirtualWorld

    def __init__(self, detection_callback=None, service_uuids=None, scanning_mode="active", **kwargs: Any) -> None:
        super().__init__(detection_callback, service_uuids)
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self.seen_devices = {}
        self._task = asyncio.create_task(self._advertise())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            self._task = None

    async def _advertise(self) -> None:
        while True:
            for strap in self.world.straps:
                if strap.advertising():
                    adv = strap.advertisement()
                    if self.is_allowed_uuid(adv.service_uuids):
                        dev = self.create_or_update_device(strap.address, strap.address, strap.name, strap, adv)
                        self.call_detection_callbacks(dev, adv)
            await self.world.clock.sleep(ADVERTISING_INTERVAL_S)


class VirtualClient(BaseBleakClient):
    """Client backend: GATT table from the firmware, writes answered by the firmware, notifications
    delivered to the callbacks bleak registered."""

    world: VirtualWorld

    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        super().__init__(
            address_or_ble_device,
            disconnected_callback=kwargs.get("disconnected_callback"),
            timeout=kwargs.get("timeout", 30.0),
        )
        self._strap: VirtualStrap | None = None
        self._mtu = 23
        self._callbacks: dict[str, Callable[[bytearray], None]] = {}
        self._chars: dict[str, BleakGATTCharacteristic] = {}

    @property
    def name(self) -> str:
        return self._strap.name if self._strap else self.address

    @property
    def mtu_size(self) -> int:
        return self._mtu

    @property
    def is_connected(self) -> bool:
        return self._strap is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        strap = self.world.find(self.address)
        if strap is None:
            raise BleakDeviceNotFoundError(self.address, f"Device with address {self.address} was not found.")
        await self.world.clock.sleep(CONNECT_DELAY_S)
        strap.attach(self)
        self._strap = strap
        self._mtu = min(HOST_MTU, strap.max_mtu)
        self.services = self._build_services(strap.firmware)

    def _build_services(self, fw: VirtualFirmware) -> BleakGATTServiceCollection:
        coll = BleakGATTServiceCollection()
        handle = 1
        for suuid, chars in fw.gatt().items():
            service = BleakGATTService(None, handle, suuid)
            coll.add_service(service)
            handle += 1
            for ch in chars:
                c = BleakGATTCharacteristic(None, handle, ch.uuid, list(ch.properties), lambda: self._mtu - 3, service)
                coll.add_characteristic(c)
                self._chars[ch.uuid] = c
                handle += 2
        return coll

    async def disconnect(self) -> None:
        if self._strap is not None:
            self._strap.detach()
            self._strap = None
            self._callbacks.clear()
            # like BlueZ, the callback also fires after our own disconnect (bleak's BlueZ backend
            # reacts to Connected=False; docs/devices.md)
            if self._disconnected_callback is not None:
                asyncio.get_running_loop().call_soon(self._disconnected_callback)

    def link_lost(self) -> None:
        self._strap = None
        self._callbacks.clear()
        if self._disconnected_callback is not None:
            asyncio.get_running_loop().call_soon(self._disconnected_callback)

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def unpair(self) -> None:
        return None

    def _need(self) -> VirtualStrap:
        if self._strap is None:
            raise BleakError("Not connected")
        return self._strap

    async def read_gatt_char(self, characteristic: BleakGATTCharacteristic, **kwargs: Any) -> bytearray:
        strap = self._need()
        try:
            return bytearray(strap.firmware.read(characteristic.uuid))
        except KeyError:
            raise BleakCharacteristicNotFoundError(characteristic.uuid) from None

    async def read_gatt_descriptor(self, descriptor: BleakGATTDescriptor, **kwargs: Any) -> bytearray:
        raise BleakError("the virtual strap has no readable descriptors")

    async def write_gatt_char(self, characteristic: BleakGATTCharacteristic, data, response: bool) -> None:
        self._need().write(characteristic.uuid, bytes(data), self._mtu)

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data) -> None:
        raise BleakError("the virtual strap has no writable descriptors")

    async def start_notify(self, characteristic: BleakGATTCharacteristic, callback, **kwargs: Any) -> None:
        self._need()
        self._callbacks[characteristic.uuid] = callback

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        self._callbacks.pop(characteristic.uuid, None)

    def deliver(self, uuid: str, data: bytes) -> None:
        cb = self._callbacks.get(uuid)
        if cb is not None:
            cb(bytearray(data))


#: strap kinds the simulator can serve (polar = Polar H10) and their default rates (Hz)
SIM_DEFAULT_RATE_HZ = {"polar": 200, "verity": 208, "movesense": 208, "rfs": 208}
#: extra simulated seconds beyond the requested duration (connection set-up, reconnects)
SIM_MARGIN_S = 30.0


def virtual_world(profile: str, kind: str, duration_s: float, rate_hz: float | None = None,
                  faults: Faults | None = None, speed: float = 1.0, seed: int = 0,
                  mount: str = "chest", footpod: bool = False) -> VirtualWorld:
    """One virtual strap of ``kind`` wearing the simulated runner ``profile`` (firmware_sim.simulate),
    with ``faults``, in a world paced at ``speed`` times real time (simulated time: exact at any speed).
    ``footpod``: the strap also offers BLE Running Speed and Cadence with the runner's speed."""
    from runform.firmware_sim.firmware import StrapSignal, make_firmware
    from runform.firmware_sim.session import simulate

    rate = float(rate_hz or SIM_DEFAULT_RATE_HZ[kind])
    sim = simulate(profile, duration_s=duration_s + SIM_MARGIN_S, rate_hz=rate, seed=seed, mount=mount,
                   gyro=kind != "polar")
    strap = VirtualStrap(make_firmware(kind, StrapSignal.from_sim(sim), rsc=footpod), faults)
    world = VirtualWorld([strap], speed=speed)
    world.sim = sim
    return world
