"""The Bluetooth LE link: scan, connect, start the strap's stream, decode, record, reconnect.

Everything goes through ``bleak.BleakScanner(backend=...)`` / ``bleak.BleakClient(..., backend=...)``:
``backend=None`` uses the platform's radio stack, the simulator passes its own backend classes
(``firmware_sim.bleak_backend``), and the code below does not know which (research/peers.md §5).

Practices from research/ble-protocols.md §5: pass ``BLEDevice`` objects, not addresses; notification
callbacks only copy ``(host time, bytes)`` into one queue, decoding happens in the consumer; every
write states ``response=``; on BlueZ the MTU is acquired explicitly (§5.5); the disconnect callback
only posts an event, and reconnecting uses a fresh scan and a new ``BleakClient`` with exponential
back-off; the stream is stopped before an intended disconnect (the H10 keeps streaming otherwise).
A notification that does not decode (``CodecError``) is counted and skipped; its samples show up
as a gap found from the strap's timestamps.
"""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass, field
from typing import Callable

from bleak import BleakClient, BleakScanner
from bleak.backends import BleakBackend
from bleak.exc import BleakBluetoothNotAvailableError, BleakError

from runform.sensors.clock import HostClock, SampleClock, UtcMapper, run_on
from runform.sensors.devices import (
    COMMAND_TIMEOUT_S, KINDS, DeviceProfile, StreamSpec, profile_for,
)
from runform.sensors.errors import RunformError
from runform.sensors.live_panel import LinkStatus
from runform.sensors.protocols import ble_sig
from runform.sensors.protocols.errors import CodecError, DeviceCommandError
from runform.sensors.recorder import Recorder, check_output_path
from runform.sensors.recording import Metadata, SampleBlock

#: seconds: scanning for the strap, connecting, waiting for it after a drop
SCAN_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 20.0
#: reconnect back-off (s, host clock) and how long to keep trying before finalising the recording
RECONNECT_BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0)
MAX_RECONNECT_S = 120.0
#: the recording stops if the duration has passed this long ago on the host clock without data
DURATION_GRACE_S = 30.0
#: a connected strap silent for this long (host s) is disconnected and reconnected; checked this often
STALL_S = 10.0
STALL_CHECK_S = 1.0
#: the largest rate any profile offers, for the disk-space estimate
MAX_RATE_HZ = 416
#: Polar / RFS errors that mean "the link's MTU is too small"
MTU_STATUSES = {("polar-pmd", 10), ("rfs", 3)}


class LinkError(RunformError):
    """The strap could not be found, reached or started (one line for the CLI)."""


@dataclass
class FoundStrap:
    name: str
    address: str
    kind: str
    model: str
    rssi: int | None
    device: object = field(repr=False, default=None)

    def as_tuple(self) -> tuple[str, str, str, int | None]:
        return (self.name, self.address, self.kind, self.rssi)


def _split_backend(backend) -> tuple[type | None, type | None]:
    if backend is None:
        return None, None
    if isinstance(backend, tuple):
        return backend
    return backend, None


def radio_error(exc: BaseException) -> LinkError:
    """One clear line for the ways a radio stack can be missing or refuse."""
    if isinstance(exc, BleakBluetoothNotAvailableError):
        return LinkError(f"Bluetooth is not available: {exc}")
    if isinstance(exc, (FileNotFoundError, ConnectionRefusedError)):
        return LinkError("no Bluetooth adapter: BlueZ / D-Bus is not available on this machine "
                         "(use --simulate PROFILE to record from the virtual strap)")
    if isinstance(exc, BleakError):
        return LinkError(f"Bluetooth error: {exc}")
    return LinkError(f"Bluetooth error: {type(exc).__name__}: {exc}")


async def scan_async(timeout: float = 5.0, backend=None, kind: str | None = None) -> list[FoundStrap]:
    """Supported straps advertising nearby (filtered on their service UUIDs and names)."""
    scanner_backend, _ = _split_backend(backend)
    try:
        found = await BleakScanner.discover(timeout=timeout, return_adv=True, backend=scanner_backend)
    except (BleakError, OSError) as exc:
        raise radio_error(exc) from None
    out = []
    for device, adv in found.values():
        name = adv.local_name or device.name
        profile = profile_for(name, adv.service_uuids, kind)
        if profile is not None:
            out.append(FoundStrap(name or "?", device.address, profile.kind, profile.model, adv.rssi, device))
    return sorted(out, key=lambda s: -(s.rssi if s.rssi is not None else -999))


def scan(timeout: float = 5.0, backend=None, kind: str | None = None,
         host: HostClock | None = None) -> list[tuple[str, str, str, int | None]]:
    """``[(name, address, kind, rssi), ...]`` of supported straps, strongest signal first (with the
    simulator pass its backends and its clock as ``host``)."""
    return [s.as_tuple() for s in run_on(host or HostClock(), scan_async(timeout, backend, kind))]


class _GattIO:
    """``devices.GattIO`` over a ``BleakClient``: control answers go to ``request``, data
    notifications into the link's queue as ``("data", host_s, uuid, bytes)``."""

    def __init__(self, client: BleakClient, queue: asyncio.Queue, host: HostClock, mtu: int) -> None:
        self.client = client
        self.queue = queue
        self.host = host
        self.mtu = mtu
        self._control: dict[str, asyncio.Queue] = {}
        self._data_event: asyncio.Event | None = None

    async def read(self, uuid: str) -> bytes:
        return bytes(await self.client.read_gatt_char(uuid))

    async def write(self, uuid: str, data: bytes, response: bool = True) -> None:
        await self.client.write_gatt_char(uuid, data, response=response)

    async def subscribe(self, uuid: str, data: bool = False) -> None:
        if data:
            def on_data(_char, payload: bytearray) -> None:
                self.queue.put_nowait(("data", self.host.now(), uuid, bytes(payload)))
                if self._data_event is not None:
                    self._data_event.set()

            await self.client.start_notify(uuid, on_data)
        else:
            q = self._control.setdefault(uuid, asyncio.Queue())
            await self.client.start_notify(uuid, lambda _c, payload: q.put_nowait(bytes(payload)))

    def expect_data(self) -> asyncio.Event:
        self._data_event = asyncio.Event()
        return self._data_event

    async def request(self, write_uuid: str, data: bytes, answer_uuid: str, match, timeout: float = COMMAND_TIMEOUT_S) -> bytes:
        q = self._control[answer_uuid]
        while not q.empty():  # drop stale answers
            q.get_nowait()
        await self.write(write_uuid, data, response=True)

        async def wait() -> bytes:
            while True:
                answer = await q.get()
                if match(answer):
                    return answer

        try:
            return await asyncio.wait_for(wait(), timeout)
        except asyncio.TimeoutError:
            raise LinkError(f"the strap did not answer command {data.hex(' ')} within {timeout:g} s") from None


@dataclass
class RecordSettings:
    """What to record: ``device`` name or address (None: the strongest supported strap), ``kind``
    (polar, movesense, rfs), ``rate_hz`` (None: the profile's default), ``duration_s`` (None: until
    Ctrl-C or the link is lost for good)."""

    device: str | None = None
    kind: str | None = None
    rate_hz: float | None = None
    duration_s: float | None = None
    scan_timeout_s: float = SCAN_TIMEOUT_S
    max_reconnect_s: float = MAX_RECONNECT_S
    placement: str | None = None


@dataclass
class RecordResult:
    path: str
    device: str
    samples: int
    lost_samples: int
    lost_frames: int
    bad_frames: int
    reconnects: int
    duration_s: float
    stopped_by: str  # duration, user, link-lost, no-data


class StrapLink:
    """One strap: find, connect, start, and reconnect after drops (a new BleakClient each time)."""

    def __init__(self, settings: RecordSettings, backend, host: HostClock, queue: asyncio.Queue) -> None:
        self.settings = settings
        self.scanner_backend, self.client_backend = _split_backend(backend)
        self.host = host
        self.queue = queue
        self.profile: DeviceProfile | None = None
        self.device = None
        self.name = ""
        self.client: BleakClient | None = None
        self.io: _GattIO | None = None
        self._intended = False

    def _wanted(self, device, adv) -> bool:
        name = adv.local_name or device.name
        want = self.settings.device
        if want and want.lower() not in (device.address.lower(), (name or "").lower()):
            return False
        return profile_for(name, adv.service_uuids, self.settings.kind) is not None

    async def find(self) -> None:
        found = []

        def keep(device, adv) -> bool:
            if self._wanted(device, adv):
                found.append((device, adv))
                return True
            return False

        device = await BleakScanner.find_device_by_filter(keep, timeout=self.settings.scan_timeout_s,
                                                          backend=self.scanner_backend)
        if device is None:
            what = f"'{self.settings.device}'" if self.settings.device else "supported strap"
            kind = f" of kind {self.settings.kind}" if self.settings.kind else ""
            raise LinkError(f"no {what}{kind} found within {self.settings.scan_timeout_s:g} s "
                            "(is it worn, charged and not connected to a phone?)")
        adv = found[-1][1]
        self.device = device
        self.name = adv.local_name or device.name or device.address
        self.profile = profile_for(self.name, adv.service_uuids, self.settings.kind)
        self.profile.choose_rate(self.settings.rate_hz)  # an impossible rate fails before connecting

    def _on_disconnect(self, client: BleakClient) -> None:
        if client is self.client and not self._intended:
            self.queue.put_nowait(("disconnected",))

    async def connect(self) -> StreamSpec:
        self._intended = False
        self.client = BleakClient(self.device, disconnected_callback=self._on_disconnect,
                                  timeout=CONNECT_TIMEOUT_S, backend=self.client_backend)
        await self.client.connect()
        if self.client.backend_id == BleakBackend.BLUEZ_DBUS:
            try:  # BlueZ reports 23 unless asked (bleak examples/mtu_size.py, research §5.5)
                await self.client._backend._acquire_mtu()
            except Exception:  # noqa: BLE001 - older BlueZ: keep the default, the strap will tell us
                pass
        mtu = self.client.mtu_size
        self.io = _GattIO(self.client, self.queue, self.host, mtu)
        try:
            spec = await self.profile.start(self.io, self.settings.rate_hz)
            if self.client.services.get_characteristic(ble_sig.RSC_MEASUREMENT_UUID) is not None:
                await self.io.subscribe(ble_sig.RSC_MEASUREMENT_UUID, data=True)  # recorded alongside
            return spec
        except DeviceCommandError as exc:
            await self.disconnect()
            if (exc.protocol, exc.status) in MTU_STATUSES:
                raise LinkError(f"{self.name}: the Bluetooth link's MTU ({mtu}) is too small for {self.profile.model} "
                                f"(needs {self.profile.caps.min_mtu}); try another adapter or OS") from None
            raise LinkError(f"{self.name}: {exc}") from None
        except RunformError:
            await self.disconnect()
            raise

    async def read_battery(self) -> int | None:
        try:
            return ble_sig.decode_battery_level(await self.io.read(ble_sig.BATTERY_LEVEL_UUID))
        except (BleakError, CodecError, KeyError, LinkError):
            return None

    async def stop_and_disconnect(self) -> None:
        if self.client is None or not self.client.is_connected:
            return
        try:
            await asyncio.wait_for(self.profile.stop(self.io), COMMAND_TIMEOUT_S)
        except (BleakError, LinkError, CodecError, asyncio.TimeoutError):
            pass
        await self.disconnect()

    async def disconnect(self) -> None:
        self._intended = True
        if self.client is not None:
            try:
                await self.client.disconnect()
            except BleakError:
                pass

    async def reconnect(self, stop: asyncio.Event) -> StreamSpec | None:
        """Fresh scan + new client with exponential back-off; None if it stays lost or the user stops."""
        t_lost = self.host.now()
        attempt = 0
        address = self.device.address
        while not stop.is_set() and self.host.now() - t_lost < self.settings.max_reconnect_s:
            await self.host.sleep(RECONNECT_BACKOFF_S[min(attempt, len(RECONNECT_BACKOFF_S) - 1)])
            attempt += 1
            try:
                device = await BleakScanner.find_device_by_filter(
                    lambda d, ad: d.address.lower() == address.lower(),
                    timeout=self.settings.scan_timeout_s, backend=self.scanner_backend)
                if device is None:
                    continue
                self.device = device
                return await self.connect()
            except (BleakError, LinkError, OSError, asyncio.TimeoutError):
                continue
        return None


def _metadata(link: StrapLink, spec: StreamSpec, settings: RecordSettings) -> Metadata:
    profile = link.profile
    backend = link.client.backend_id if link.client else None
    extra = {
        **profile.metadata(),
        "device_name": link.name,
        "address": link.device.address,
        "ble_backend": str(backend.value if isinstance(backend, BleakBackend) else backend),
        "virtual": not isinstance(backend, BleakBackend),
        "mtu": link.io.mtu if link.io else None,
        "gyro_range_dps": spec.gyro_range_dps,
        **spec.extra,
    }
    return Metadata(
        device=f"{profile.model} ({link.name})", firmware=spec.extra.get("firmware"), placement=settings.placement,
        nominal_rate_hz=float(spec.nominal_rate_hz), acc_range_g=spec.acc_range_g, source_format="runform-record",
        extra=extra,
    )


async def record_async(
    path,
    settings: RecordSettings,
    backend=None,
    host: HostClock | None = None,
    on_status: Callable[[LinkStatus], None] | None = None,
    on_block: Callable[[SampleBlock], None] | None = None,
    stop: asyncio.Event | None = None,
) -> RecordResult:
    """Record one strap into ``path`` (canonical CSV + sidecar) until the duration, ``stop`` or a
    lost link. ``backend``: None (radio) or ``(scanner_backend, client_backend)``."""
    host = host or HostClock()
    stop = stop or asyncio.Event()
    rate_for_size = settings.rate_hz or MAX_RATE_HZ
    check_output_path(path, int((settings.duration_s or 3600) * rate_for_size))
    queue: asyncio.Queue = asyncio.Queue()
    link = StrapLink(settings, backend, host, queue)
    status = LinkStatus(state="scanning")
    try:
        await link.find()
        status.device, status.state = link.name, "connecting"
        spec = await link.connect()
    except (BleakError, OSError) as exc:
        raise radio_error(exc) from None
    sclock = SampleClock(spec.nominal_rate_hz, spec.tick_hz, spec.anchor, spec.wrap_ticks, spec.seq_modulus)
    utc = UtcMapper(host.now())
    recorder = Recorder(path, _metadata(link, spec, settings), spec.has_gyro, on_block=on_block)
    recorder.before_sidecar(lambda: checkpoint())
    status.state = "streaming"
    status.battery_pct = await link.read_battery()
    stopped_by = "user"
    fw_dropped0: int | None = None

    async def stop_watch() -> None:
        await stop.wait()
        queue.put_nowait(("stop",))

    async def duration_watch() -> None:
        # the duration normally ends the recording by sample time; this only stops a recording whose
        # data stopped coming. Frames still waiting in the queue (a busy host, or the virtual strap
        # faster than real time) are data, not silence.
        await host.sleep(settings.duration_s + DURATION_GRACE_S)
        while queue.qsize() > 0 or host.now() - last_data[0] <= STALL_S:
            await host.sleep(STALL_CHECK_S)
        queue.put_nowait(("no-data",))

    last_data = [host.now()]
    first_host: list[float] = []  # host time of recording time 0 (for side channels such as HR)
    heart = {"time_s": [], "bpm": [], "rr_ms": []}
    rsc = {"time_s": [], "speed_m_s": [], "cadence_per_min": []}  # Running Speed and Cadence 0x2A53

    async def stall_watch() -> None:
        while True:
            await host.sleep(STALL_CHECK_S)
            if status.state == "streaming" and host.now() - last_data[0] > STALL_S:
                last_data[0] = host.now()
                await link.disconnect()  # intended: no callback; we post the event ourselves
                queue.put_nowait(("disconnected",))

    watchers = [asyncio.create_task(stop_watch()), asyncio.create_task(stall_watch())]
    if settings.duration_s:
        watchers.append(asyncio.create_task(duration_watch()))

    def checkpoint() -> None:
        first_host = sclock.host_time_of_first_sample()
        recorder.update_meta(
            start_utc=utc.iso(first_host) if first_host is not None else None,
            lost_frames=sclock.lost_frames,
            extra={"clock": sclock.summary(), "bad_frames": status.bad_frames, "reconnects": status.reconnects,
                   "battery_pct": status.battery_pct, "heart_rate_bpm_last": status.heart_rate_bpm,
                   "firmware_dropped_samples": status.extra.get("fw_dropped", 0),
                   **({"heart_rate": heart} if heart["bpm"] else {}),
                   **({"running_speed_cadence": rsc} if rsc["time_s"] else {})},
        )

    try:
        while True:
            item = await queue.get()
            if item[0] == "stop":
                stopped_by = "user"
                break
            if item[0] == "no-data":
                stopped_by = "no-data"
                break
            if item[0] == "disconnected":
                status.state, status.reconnects = "reconnecting", status.reconnects + 1
                if on_status:
                    on_status(status)
                sclock.new_segment("disconnect")
                new_spec = await link.reconnect(stop)
                if new_spec is None:
                    stopped_by = "user" if stop.is_set() else "link-lost"
                    break
                spec = new_spec
                status.state = "streaming"
                continue
            _, host_s, uuid, data = item
            if uuid == ble_sig.HEART_RATE_MEASUREMENT_UUID:
                try:
                    hr = ble_sig.decode_heart_rate(data)
                except CodecError:
                    status.bad_frames += 1
                    continue
                status.heart_rate_bpm = hr.hr_bpm
                if first_host:
                    heart["time_s"].append(round(host_s - first_host[0], 3))
                    heart["bpm"].append(hr.hr_bpm)
                    heart["rr_ms"].extend(float(v) for v in hr.rr_ms)
                continue
            if uuid == ble_sig.RSC_MEASUREMENT_UUID:
                try:
                    m = ble_sig.decode_rsc_measurement(data)
                except CodecError:
                    status.bad_frames += 1
                    continue
                if first_host:
                    rsc["time_s"].append(round(host_s - first_host[0], 3))
                    rsc["speed_m_s"].append(m.speed_m_s)
                    rsc["cadence_per_min"].append(m.cadence_per_min)
                continue
            last_data[0] = host_s
            try:
                frames = spec.decoder.feed(uuid, data)
            except CodecError:
                status.bad_frames += 1
                continue
            done = False
            for f in frames:
                placed = sclock.place(f.ticks, f.n, host_s, f.seq)
                if placed.gap is not None and (settings.duration_s is None or placed.gap.end_s < settings.duration_s):
                    recorder.add_gap(placed.gap)  # (a gap after the end of the recording is not in it)
                t = placed.time_s
                acc = f.acc_g[placed.keep]
                gyro = f.gyro_dps[placed.keep] if f.gyro_dps is not None else None
                if settings.duration_s is not None and t.size and t[-1] >= settings.duration_s:
                    inside = t < settings.duration_s
                    t, acc, gyro = t[inside], acc[inside], (gyro[inside] if gyro is not None else None)
                    done = True
                if f.fw_dropped is not None:
                    fw_dropped0 = f.fw_dropped if fw_dropped0 is None else fw_dropped0
                    status.extra["fw_dropped"] = (f.fw_dropped - fw_dropped0) % (1 << 16)
                if t.size:
                    if not first_host:
                        first_host.append(host_s - float(t[-1]))
                    recorder.write(SampleBlock(t, acc, gyro if spec.has_gyro else None))
                    status.elapsed_s = float(t[-1])
                status.samples = recorder.samples
                status.lost_samples = recorder.meta.lost_samples
                if done:
                    break
            if on_status:
                on_status(status)
            if done:
                stopped_by = "duration"
                break
    finally:
        for w in watchers:
            w.cancel()
        status.state = "stopped"
        try:
            await link.stop_and_disconnect()
        finally:
            checkpoint()
            recorder.close()
            if on_status:
                on_status(status)
    return RecordResult(str(path), link.name, recorder.samples, recorder.meta.lost_samples, sclock.lost_frames,
                        status.bad_frames, status.reconnects, status.elapsed_s, stopped_by)


def record(path, settings: RecordSettings, backend=None, host: HostClock | None = None,
           on_status=None, on_block=None) -> RecordResult:
    """Synchronous entry: one event loop for the whole recording; SIGINT/SIGTERM stop it cleanly
    (the files are finalised). With the simulator pass its backends and its clock as ``host``."""

    async def main() -> RecordResult:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError, ValueError):  # Windows / not the main thread
                pass
        return await record_async(path, settings, backend, host, on_status, on_block, stop)

    return run_on(host or HostClock(), main())


__all__ = ["KINDS", "FoundStrap", "LinkError", "RecordResult", "RecordSettings", "StrapLink",
           "record", "record_async", "scan", "scan_async"]
