"""Sensor time: sample times from the strap's own timestamps, drift-corrected, with lost frames as gaps.

Every supported strap stamps its frames with its own free-running clock (Polar PMD: u64 ns of the
LAST sample; Movesense GSP: u32 ms of the FIRST sample; RFS: u32 ticks of the LAST sample plus a u16
sequence number), see docs/devices.md and docs/reference-strap-protocol.md. ``SampleClock`` turns one
frame at a time into sample times:

1. unwrap the counter (u32 ticks / ms wrap; u16 sequence numbers wrap);
2. compare the frame's anchor with where the previous frame left off: a jump of at least half a
   sample period (plus one tick of quantisation) is a gap of ``round(extra / period)`` missing
   samples (never filled in); a sequence-number jump counts lost frames;
3. place the samples: after a continuous frame, evenly between the previous last sample and this
   frame's last sample (the Polar SDK rule, ``PmdTimeStampUtils``); after a gap, back from the last
   sample at the running period estimate (mean of recent frame spacings; starts at nominal);
4. map sensor seconds to recording seconds with a continuous piecewise-linear map whose slope is the
   drift estimate of ``DriftEstimator`` (host seconds per sensor second).

Deviation from the SDK: the SDK spreads a lost frame's samples over two frames' time; we detect the
jump and mark a gap instead (a recording never invents samples: lost ones are a gap).

``DriftEstimator``: host arrival r_k of a frame = a + b·s_k + latency, latency >= 0 and bursty. Fit a
and b on the lower envelope: the minimum of (r − s) per ``ENVELOPE_BIN_S`` of sensor time, then a
least-squares line with residual trimming over the last ``DRIFT_WINDOW_S``: a lower-envelope fit, as
in NTP-style one-way delay filtering (Mills DL 1991, Internet time synchronization: the Network Time
Protocol, IEEE Transactions on Communications 39(10):1482–1493);
deviation: bins + trimmed least squares instead of a full convex-hull fit.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from runform.sensors.recording import Gap

#: a frame starting later than expected by more than this many periods (+ one tick) is a gap
GAP_THRESHOLD_PERIODS = 0.5
#: frame spacings kept for the running period estimate
PERIOD_HISTORY = 32
#: a per-frame period estimate further than this from nominal is not trusted (fraction)
PERIOD_TRUST = 0.05
#: drift fit: envelope bin width, window, minimum span before the slope is used, refit interval (s)
ENVELOPE_BIN_S = 1.0
DRIFT_WINDOW_S = 120.0
MIN_DRIFT_SPAN_S = 30.0
DRIFT_REFIT_S = 5.0
#: slopes further than this from 1 are rejected as implausible (crystal: ~±50 ppm; RC: ±3 %)
MAX_DRIFT = 0.05
#: residual trimming of the envelope fit: drop points beyond this many MADs, repeat this often
TRIM_MADS = 3.0
TRIM_ROUNDS = 3


class HostClock:
    """The host's monotonic clock in seconds, sleeping on it, and the event loop that keeps it.

    The virtual strap substitutes a clock with the same methods whose loop runs on simulated time
    (``firmware_sim.virtual_time.SimulatedClock``), so arrival stamps, timeouts and back-off all
    use the strap's time scale and a simulated run is exact at any load.
    """

    def now(self) -> float:
        return time.monotonic()  # what asyncio's default loop.time() returns

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0.0))

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.new_event_loop()


def run_on(clock, coro):
    """``asyncio.run(coro)`` on an event loop made by ``clock.new_event_loop()``."""
    if hasattr(asyncio, "Runner"):  # Python >= 3.11
        with asyncio.Runner(loop_factory=clock.new_event_loop) as runner:
            return runner.run(coro)
    loop = clock.new_event_loop()
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(coro)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()


@dataclass
class PlacedFrame:
    """One frame's samples placed in time: ``time_s`` (n,) recording seconds, and a gap before it."""

    time_s: np.ndarray
    gap: Gap | None
    keep: slice  # which of the frame's samples are kept (samples overlapping earlier ones are dropped)


class DriftEstimator:
    """Host-vs-sensor clock fit on the lower envelope of (sensor time, host arrival) pairs."""

    def __init__(self) -> None:
        self._bins: dict[int, tuple[float, float]] = {}  # bin -> (sensor_s, host_s) with min host - sensor
        self.slope = 1.0
        self.offset: float | None = None
        self.points_used = 0

    def add(self, sensor_s: float, host_s: float) -> None:
        k = int(np.floor(sensor_s / ENVELOPE_BIN_S))
        cur = self._bins.get(k)
        if cur is None or host_s - sensor_s < cur[1] - cur[0]:
            self._bins[k] = (sensor_s, host_s)

    def fit(self) -> bool:
        """Refit slope/offset; returns True when the slope was updated (enough span)."""
        if not self._bins:
            return False
        keys = sorted(self._bins)
        last = keys[-1]
        pts = np.array([self._bins[k] for k in keys if k > last - DRIFT_WINDOW_S / ENVELOPE_BIN_S])
        s, h = pts[:, 0], pts[:, 1]
        if s[-1] - s[0] < MIN_DRIFT_SPAN_S or len(s) < 3:
            self.offset = float(np.min(h - self.slope * s))
            self.points_used = len(s)
            return False
        mask = np.ones(len(s), bool)
        for _ in range(TRIM_ROUNDS):
            b, a = np.polyfit(s[mask] - s[0], h[mask], 1)
            res = h - (a + b * (s - s[0]))
            mad = np.median(np.abs(res[mask] - np.median(res[mask]))) + 1e-6
            new = np.abs(res) <= TRIM_MADS * 1.4826 * mad
            if new.sum() < 3 or np.array_equal(new, mask):
                break
            mask = new
        if abs(b - 1.0) > MAX_DRIFT:
            return False
        self.slope = float(b)
        self.offset = float(a - b * s[0])
        self.points_used = int(mask.sum())
        return True

    def host_at(self, sensor_s: float) -> float | None:
        if self.offset is None:
            return None
        return self.offset + self.slope * sensor_s


class SampleClock:
    """Turns frames ``(anchor ticks, n samples, seq)`` into recording times, gaps and a drift fit.

    ``tick_hz``: counter ticks per second (PMD 1e9, GSP 1e3, RFS from Info e.g. 32768).
    ``anchor``: "last" when the timestamp belongs to the frame's last sample, "first" otherwise.
    ``wrap_ticks``: counter modulus (2**32 for u32 counters) or None; ``seq_modulus``: 2**16 for RFS.
    """

    def __init__(
        self,
        nominal_rate_hz: float,
        tick_hz: float,
        anchor: str = "last",
        wrap_ticks: int | None = None,
        seq_modulus: int | None = None,
    ) -> None:
        if anchor not in ("first", "last"):
            raise ValueError("anchor must be 'first' or 'last'")
        self.nominal_rate_hz = float(nominal_rate_hz)
        self.tick_hz = float(tick_hz)
        self.anchor = anchor
        self.wrap_ticks = wrap_ticks
        self.seq_modulus = seq_modulus
        self.drift = DriftEstimator()
        self.samples_placed = 0
        self.lost_samples = 0
        self.lost_frames = 0
        self.dropped_overlap = 0
        self.gaps: list[Gap] = []
        self._periods: deque[float] = deque(maxlen=PERIOD_HISTORY)
        self._s0: float | None = None  # sensor seconds of the first sample
        self._prev_anchor: float | None = None
        self._prev_n = 0
        self._prev_end: float | None = None  # sensor seconds (from s0) of the last placed sample
        self._prev_raw: int | None = None
        self._wraps = 0
        self._tick0: int | None = None
        self._prev_seq: int | None = None
        self._pending_reason: str | None = None
        self._map_s = 0.0  # piecewise map anchor: sensor s -> recording t
        self._map_t = 0.0
        self._slope = 1.0
        self._last_fit_s = 0.0

    # --- state ------------------------------------------------------------------------------
    @property
    def period_s(self) -> float:
        """Current estimate of the sample period in sensor seconds."""
        if self._periods:
            return float(np.mean(self._periods))
        return 1.0 / self.nominal_rate_hz

    @property
    def drift_ppm(self) -> float:
        return (self.drift.slope - 1.0) * 1e6

    def new_segment(self, reason: str = "disconnect") -> None:
        """The stream restarted (reconnect, new START): sequence numbers start over; the next
        frame's jump in sensor time is recorded as a gap with this ``reason``."""
        self._prev_seq = None
        self._pending_reason = reason

    def _unwrap(self, raw: int) -> float:
        if self.wrap_ticks is not None and self._prev_raw is not None:
            if raw < self._prev_raw and self._prev_raw - raw > self.wrap_ticks // 2:
                self._wraps += 1
        self._prev_raw = raw
        unwrapped = raw + self._wraps * (self.wrap_ticks or 0)
        if self._tick0 is None:
            self._tick0 = unwrapped
        # integer difference first: PMD ns stamps (~6e17) would lose 0.1 µs as float64 seconds
        return (unwrapped - self._tick0) / self.tick_hz

    def _to_recording(self, s: np.ndarray) -> np.ndarray:
        return self._map_t + self._slope * (s - self._map_s)

    # --- the per-frame step ---------------------------------------------------------------------
    def place(self, ticks: int, n: int, host_s: float, seq: int | None = None) -> PlacedFrame:
        """Place a frame of ``n`` samples whose anchor sample was stamped ``ticks`` by the strap and
        which arrived at host time ``host_s``. Returns times for the kept samples and a gap (or None).

        First-sample anchors (GSP, whole-ms stamps) are turned into the last sample's time with the
        period estimate, so both conventions share one rule and coarse stamps never accumulate."""
        s_abs = self._unwrap(int(ticks))
        if self._s0 is None:
            self._s0 = s_abs - (n - 1) / self.nominal_rate_hz if self.anchor == "last" else s_abs
        s = s_abs - self._s0
        period = self.period_s
        s_last = s if self.anchor == "last" else s + (n - 1) * period
        lost_frames = 0
        if seq is not None and self.seq_modulus:
            if self._prev_seq is not None:
                lost_frames = (seq - self._prev_seq - 1) % self.seq_modulus
            self._prev_seq = seq
        gap = None
        if self._prev_end is None:
            times = s_last - period * np.arange(n - 1, -1, -1)
        else:
            extra = s_last - (self._prev_end + n * period)
            tick = 1.0 / self.tick_hz
            missing = int(round(extra / period)) if extra > GAP_THRESHOLD_PERIODS * period + tick else 0
            if missing == 0 and lost_frames == 0 and self._prev_anchor is not None:
                spacing = (s - self._prev_anchor) / (n if self.anchor == "last" else self._prev_n)
                if abs(spacing * self.nominal_rate_hz - 1.0) < PERIOD_TRUST:
                    self._periods.append(spacing)
            if missing > 0:
                reason = self._pending_reason or ("sequence" if lost_frames else "timestamps")
                times = s_last - period * np.arange(n - 1, -1, -1)
                start_t = float(self._to_recording(np.array([self._prev_end]))[0])
                end_t = float(self._to_recording(times[:1])[0])
                gap = Gap(start_t, end_t, missing, reason)
                self.gaps.append(gap)
                self.lost_samples += missing
                self.lost_frames += max(lost_frames, 1 if reason != "disconnect" else 0)
            else:
                step = (s_last - self._prev_end) / n
                times = self._prev_end + step * np.arange(1, n + 1)
        self._pending_reason = None
        # never go backwards: drop samples at or before the last placed one (duplicated frames)
        keep_from = 0
        if self._prev_end is not None:
            keep_from = int(np.searchsorted(times, self._prev_end + 0.5 * period, side="left"))
            self.dropped_overlap += keep_from
        times = times[keep_from:]
        self._prev_anchor = s
        self._prev_n = n
        # map with the fit in force before this frame: a refit below changes the slope from this
        # frame's last sample on, so recording times always increase (never an overlap between frames)
        recording_t = self._to_recording(times)
        if times.size:
            self._prev_end = float(times[-1])
            self.drift.add(self._prev_end, host_s)
            self._maybe_refit(self._prev_end)
        self.samples_placed += int(times.size)
        return PlacedFrame(recording_t, gap, slice(keep_from, n))

    def _maybe_refit(self, s_now: float) -> None:
        if s_now - self._last_fit_s < DRIFT_REFIT_S:
            return
        self._last_fit_s = s_now
        if self.drift.fit():
            # keep the map continuous at the newest sample, change only its slope
            self._map_t = float(self._to_recording(np.array([s_now]))[0])
            self._map_s = s_now
            self._slope = self.drift.slope

    def host_time_of_first_sample(self) -> float | None:
        """Host-clock seconds of the first sample (from the drift fit), for ``start_utc``."""
        return self.drift.host_at(0.0)

    def summary(self) -> dict:
        """Clock facts for the sidecar's ``extra``."""
        return {
            "period_s": self.period_s,
            "measured_rate_hz": 1.0 / self.period_s,
            "drift_ppm": self.drift_ppm,
            "drift_fit_points": self.drift.points_used,
            "dropped_overlapping_samples": self.dropped_overlap,
            "time_source": "sensor timestamps, drift-corrected to host",
        }


class UtcMapper:
    """Maps host-clock seconds to UTC, from one (host now, UTC now) pair taken at start."""

    def __init__(self, host_now: float, utc_now: datetime | None = None) -> None:
        self.host0 = host_now
        self.utc0 = utc_now or datetime.now(timezone.utc)

    def utc(self, host_s: float) -> datetime:
        return self.utc0 + timedelta(seconds=host_s - self.host0)

    def iso(self, host_s: float) -> str:
        return self.utc(host_s).isoformat(timespec="microseconds")
