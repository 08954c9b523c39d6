"""The Bluetooth LE link: scan, connect, start the strap's stream, decode, record, reconnect.

Everything goes through ``bleak.BleakScanner(backend=...)`` / ``bleak.BleakClient(..., backend=...)``:
``backend=None`` uses the platform's radio stack, the simulator passes its own backend classes
(``firmware_sim.bleak_backend``), and the code below does not know which.

Practices from bleak's documentation and examples: pass ``BLEDevice`` objects, not addresses; notification
callbacks only copy ``(host time, bytes)`` into one queue, decoding happens in the consumer; every
write states ``response=``; on BlueZ the MTU is acquired explicitly; the disconnect callback
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
from runform.sensors.recorder import OutputFile, Recorder, WriteFailed, check_output_path
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
#: seconds: the canonical CSV's time resolution (a sample at duration - 1e-9 s is written as duration)
TIME_RESOLUTION_S = 1e-6
#: the largest rate any profile offers, for the disk-space estimate
MAX_RATE_HZ = 416
#: Polar / RFS errors that mean "the link's MTU is too small"
MTU_STATUSES = {("polar-pmd", 10), ("rfs", 3)}


class LinkError(RunformError):
    """The strap could not be found, reached or started (one line for the CLI)."""


class NoRadioError(LinkError):
    """This machine has no Bluetooth stack to use (the CLI adds how to use the virtual strap instead)."""


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
        return NoRadioError("no Bluetooth adapter: BlueZ / D-Bus is not available on this machine")
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


@dataclass(frozen=True)
class Notification:
    """A notification as it arrived: host-clock seconds, characteristic, payload (decoded later)."""

    host_s: float
    uuid: str
    data: bytes


@dataclass(frozen=True)
class LinkDropped:
    """The strap went away (an unsolicited disconnect, or a stall we cut ourselves)."""


@dataclass(frozen=True)
class StopRequest:
    """Stop recording: ``reason`` is ``user`` (Ctrl-C, ``stop``) or ``no-data``."""

    reason: str


class _GattIO:
    """``devices.GattIO`` over a ``BleakClient``: control answers go to ``request``, data
    notifications into the link's queue as ``Notification(host_s, uuid, bytes)``."""

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
                self.queue.put_nowait(Notification(self.host.now(), uuid, bytes(payload)))
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
    overwrite: bool = False
    speed_mps: float | None = None  # the running speed the runner gave (a treadmill), kept in the sidecar


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
    stopped_by: str  # duration, user, link-lost, no-data, write-failed
    overlapping_samples_dropped: int = 0
    failure: str | None = None  # why the output could not be written (disk full), the file kept


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
            self.queue.put_nowait(LinkDropped())

    async def connect(self) -> StreamSpec:
        self._intended = False
        self.client = BleakClient(self.device, disconnected_callback=self._on_disconnect,
                                  timeout=CONNECT_TIMEOUT_S, backend=self.client_backend)
        await self.client.connect()
        if self.client.backend_id == BleakBackend.BLUEZ_DBUS:
            try:  # BlueZ reports 23 unless asked (bleak examples/mtu_size.py)
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
        nominal_rate_hz=float(spec.nominal_rate_hz), acc_range_g=spec.acc_range_g, speed_mps=settings.speed_mps, source_format="runform-record",
        extra=extra,
    )


@dataclass
class SideChannels:
    """What a strap reports beside its samples, in recording seconds: heart rate with R-R intervals
    (0x2A37, the H10) and Running Speed and Cadence (0x2A53). Stored in the sidecar's ``extra``."""

    heart_time_s: list[float] = field(default_factory=list)
    heart_bpm: list[int] = field(default_factory=list)
    rr_ms: list[float] = field(default_factory=list)
    rsc_time_s: list[float] = field(default_factory=list)
    speed_m_s: list[float] = field(default_factory=list)
    cadence_per_min: list[float] = field(default_factory=list)

    def add_heart_rate(self, time_s: float, hr) -> None:
        self.heart_time_s.append(round(time_s, 3))
        self.heart_bpm.append(hr.hr_bpm)
        self.rr_ms.extend(float(v) for v in hr.rr_ms)

    def add_rsc(self, time_s: float, m) -> None:
        self.rsc_time_s.append(round(time_s, 3))
        self.speed_m_s.append(m.speed_m_s)
        self.cadence_per_min.append(m.cadence_per_min)

    def metadata(self) -> dict:
        out = {}
        if self.heart_bpm:
            out["heart_rate"] = {"time_s": self.heart_time_s, "bpm": self.heart_bpm, "rr_ms": self.rr_ms}
        if self.rsc_time_s:
            out["running_speed_cadence"] = {"time_s": self.rsc_time_s, "speed_m_s": self.speed_m_s,
                                            "cadence_per_min": self.cadence_per_min}
        return out


class RecordingSession:
    """One recording from a connected strap: the queue of notifications in, the recorder out.

    ``run()`` takes queue items one at a time until the duration, a stop, a lost link or a failed
    write; the watchers (``stop`` event, duration grace, stall) only post items to the queue.
    """

    def __init__(self, output: OutputFile, settings: RecordSettings, link: StrapLink, spec: StreamSpec,
                 status: LinkStatus, on_status: Callable[[LinkStatus], None] | None,
                 on_block: Callable[[SampleBlock], None] | None) -> None:
        self.settings = settings
        self.link = link
        self.host = link.host
        self.queue = link.queue
        self.spec = spec
        self.status = status
        self.on_status = on_status
        self.sclock = SampleClock(spec.nominal_rate_hz, spec.tick_hz, spec.anchor, spec.wrap_ticks, spec.seq_modulus)
        self.utc = UtcMapper(self.host.now())
        self.side = SideChannels()
        self.t0_host: float | None = None  # host time of recording time 0 (for the side channels)
        self.last_data_host = self.host.now()
        self.fw_dropped_at_start: int | None = None
        self.stopped_by = "user"
        self.failure: str | None = None  # what stopped a recording that could not be written
        self.recorder = Recorder(output, _metadata(link, spec, settings), spec.has_gyro, on_block=on_block)
        self.recorder.before_sidecar(self.checkpoint)

    # the loop ------------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        watchers = [asyncio.create_task(self._watch_stop(stop)), asyncio.create_task(self._watch_stall())]
        if self.settings.duration_s:
            watchers.append(asyncio.create_task(self._watch_duration()))
        try:
            while True:
                item = await self.queue.get()
                if isinstance(item, StopRequest):
                    self.stopped_by = item.reason
                    return
                if isinstance(item, LinkDropped):
                    if not await self._reconnect(stop):
                        return
                    continue
                if self._on_notification(item):
                    return
        finally:
            for w in watchers:
                w.cancel()

    async def _reconnect(self, stop: asyncio.Event) -> bool:
        self.status.state, self.status.reconnects = "reconnecting", self.status.reconnects + 1
        self._report()
        self.sclock.new_segment("disconnect")
        spec = await self.link.reconnect(stop)
        if spec is None:
            self.stopped_by = "user" if stop.is_set() else "link-lost"
            return False
        self.spec = spec
        self.status.state = "streaming"
        return True

    def _on_notification(self, n: Notification) -> bool:
        """Handle one notification; True when the recording is over (duration reached, write failed)."""
        if n.uuid == ble_sig.HEART_RATE_MEASUREMENT_UUID:
            self._on_heart_rate(n)
            return False
        if n.uuid == ble_sig.RSC_MEASUREMENT_UUID:
            self._on_rsc(n)
            return False
        self.last_data_host = n.host_s
        try:
            frames = self.spec.decoder.feed(n.uuid, n.data)
        except CodecError:
            self.status.bad_frames += 1
            return False
        done = False
        try:
            for frame in frames:
                done = self._write_frame(frame, n.host_s)
                if done:
                    self.stopped_by = "duration"
                    break
        except WriteFailed as exc:
            self.stopped_by, self.failure, done = "write-failed", str(exc), True
        self._report()
        return done

    def _on_heart_rate(self, n: Notification) -> None:
        try:
            hr = ble_sig.decode_heart_rate(n.data)
        except CodecError:
            self.status.bad_frames += 1
            return
        self.status.heart_rate_bpm = hr.hr_bpm
        if self.t0_host is not None:
            self.side.add_heart_rate(n.host_s - self.t0_host, hr)

    def _on_rsc(self, n: Notification) -> None:
        try:
            m = ble_sig.decode_rsc_measurement(n.data)
        except CodecError:
            self.status.bad_frames += 1
            return
        if self.t0_host is not None:
            self.side.add_rsc(n.host_s - self.t0_host, m)
            self.status.speed_m_s, self.status.speed_time_s = m.speed_m_s, n.host_s - self.t0_host

    def _write_frame(self, frame, host_s: float) -> bool:
        """Place one decoded frame in time and write it; True once the duration is reached."""
        duration = self.settings.duration_s
        placed = self.sclock.place(frame.ticks, frame.n, host_s, frame.seq)
        if placed.gap is not None and (duration is None or placed.gap.end_s < duration):
            self.recorder.add_gap(placed.gap)  # (a gap after the end of the recording is not in it)
        t = placed.time_s
        acc = frame.acc_g[placed.keep]
        gyro = frame.gyro_dps[placed.keep] if frame.gyro_dps is not None and self.spec.has_gyro else None
        done = duration is not None and t.size > 0 and t[-1] >= duration - TIME_RESOLUTION_S
        if done:
            inside = t < duration - TIME_RESOLUTION_S
            t, acc, gyro = t[inside], acc[inside], (gyro[inside] if gyro is not None else None)
        if frame.fw_dropped is not None:
            if self.fw_dropped_at_start is None:
                self.fw_dropped_at_start = frame.fw_dropped
            self.status.extra["fw_dropped"] = (frame.fw_dropped - self.fw_dropped_at_start) % (1 << 16)
        if t.size:
            if self.t0_host is None:
                self.t0_host = host_s - float(t[-1])
            self.recorder.write(SampleBlock(t, acc, gyro))
            self.status.elapsed_s = float(t[-1])
        self.status.samples = self.recorder.samples
        self.status.lost_samples = self.recorder.meta.lost_samples
        return done

    def _report(self) -> None:
        if self.on_status:
            self.on_status(self.status)

    # watchers: they only post to the queue -----------------------------------------------------
    async def _watch_stop(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self.queue.put_nowait(StopRequest("user"))

    async def _watch_duration(self) -> None:
        # the duration normally ends the recording by sample time; this only stops a recording whose
        # data stopped coming. Frames still waiting in the queue are data, not silence.
        await self.host.sleep(self.settings.duration_s + DURATION_GRACE_S)
        while self.queue.qsize() > 0 or self.host.now() - self.last_data_host <= STALL_S:
            await self.host.sleep(STALL_CHECK_S)
        self.queue.put_nowait(StopRequest("no-data"))

    async def _watch_stall(self) -> None:
        while True:
            await self.host.sleep(STALL_CHECK_S)
            if self.status.state == "streaming" and self.host.now() - self.last_data_host > STALL_S:
                self.last_data_host = self.host.now()
                await self.link.disconnect()  # intended: no callback; we post the event ourselves
                self.queue.put_nowait(LinkDropped())

    # the end -------------------------------------------------------------------------------------
    def checkpoint(self) -> None:
        """Refresh the live metadata (called before each sidecar write)."""
        st = self.status
        first_host = self.sclock.host_time_of_first_sample()
        self.recorder.update_meta(
            start_utc=self.utc.iso(first_host) if first_host is not None else None,
            lost_frames=self.sclock.lost_frames,
            extra={"clock": self.sclock.summary(), "bad_frames": st.bad_frames, "reconnects": st.reconnects,
                   "battery_pct": st.battery_pct, "heart_rate_bpm_last": st.heart_rate_bpm,
                   "firmware_dropped_samples": st.extra.get("fw_dropped", 0),
                   **({"stopped_by": self.failure} if self.failure else {}),
                   **self.side.metadata()},
        )

    async def finish(self) -> RecordResult:
        """Stop the strap, finalise the files (a failed final write is reported, the file kept)."""
        self.status.state = "stopped"
        try:
            await self.link.stop_and_disconnect()
        finally:
            try:
                self.recorder.close()
            except WriteFailed as exc:
                self.stopped_by, self.failure = "write-failed", self.failure or str(exc)
            self._report()
        rec = self.recorder
        return RecordResult(str(rec.path), self.link.name, rec.samples, rec.meta.lost_samples, self.sclock.lost_frames,
                            self.status.bad_frames, self.status.reconnects, self.status.elapsed_s, self.stopped_by,
                            rec.overlap_dropped, self.failure)


async def _connect(link: StrapLink, status: LinkStatus) -> StreamSpec:
    try:
        await link.find()
        status.device, status.state = link.name, "connecting"
        return await link.connect()
    except (BleakError, OSError) as exc:
        raise radio_error(exc) from None


async def record_async(
    path,
    settings: RecordSettings,
    backend=None,
    host: HostClock | None = None,
    on_status: Callable[[LinkStatus], None] | None = None,
    on_block: Callable[[SampleBlock], None] | None = None,
    stop: asyncio.Event | None = None,
) -> RecordResult:
    """Record one strap into ``path`` (canonical CSV + sidecar) until the duration, ``stop``, a lost
    link or a failed write (``RecordResult.failure``). ``backend``: None (radio) or
    ``(scanner_backend, client_backend)``. The output is claimed (and locked) before scanning: an
    existing recording is refused unless ``settings.overwrite``."""
    host = host or HostClock()
    stop = stop or asyncio.Event()
    check_output_path(path, int((settings.duration_s or 3600) * (settings.rate_hz or MAX_RATE_HZ)))
    output = OutputFile(path, overwrite=settings.overwrite)
    link = StrapLink(settings, backend, host, asyncio.Queue())
    status = LinkStatus(state="scanning")
    try:
        spec = await _connect(link, status)
        session = RecordingSession(output, settings, link, spec, status, on_status, on_block)
    except BaseException:
        output.abandon()  # nothing recorded: the file we made goes, an existing one is untouched
        await link.disconnect()
        raise
    status.state = "streaming"
    try:
        status.battery_pct = await link.read_battery()
        await session.run(stop)
    finally:
        result = await session.finish()
    return result


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


__all__ = ["KINDS", "FoundStrap", "LinkError", "NoRadioError", "RecordResult", "RecordSettings", "RecordingSession",
           "StrapLink", "record", "record_async", "scan", "scan_async"]
