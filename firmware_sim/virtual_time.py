"""Simulated world time for the virtual strap: an asyncio event loop whose clock jumps to its next
scheduled callback instead of waiting for it.

``SimulatedClock(speed)`` is what the virtual world hands to the recorder as its ``host`` clock: the
same interface as ``sensors.clock.HostClock`` (``now()``, ``sleep(s)``, ``new_event_loop()``), but
its event loop (``SimulatedTimeLoop``) keeps time itself. Whenever no callback is ready, the loop
sets its time to the moment of the next timer (a notification, a timeout, a back-off) and runs it.
Time never moves while code runs, so every arrival stamp, timeout and stall check happens at exactly
the simulated moment, however busy the machine is: a run is the same at any load and any speed.

``speed`` only paces the loop against the wall clock for people watching (``runform record
--simulate ... --speed 20``): the loop never lets simulated time run ahead of ``speed`` x the wall
time elapsed, and when the machine is too slow to keep up, simulated time simply falls behind (it
never skips). ``speed=math.inf`` runs as fast as the CPU allows.

Real input still wakes the loop (signal handlers such as Ctrl-C use the loop's self-pipe, which is
polled at every step), so a paced simulated recording can be stopped like a real one.
The technique is the one of virtual-clock test loops (e.g. ``aiotools.VirtualClock``, ``asynctest``'s
``ClockedTestCase``), written out here to also pace against the wall clock.
"""

from __future__ import annotations

import asyncio
import math
import selectors
import time


class SimulatedClock:
    """Simulated seconds since the clock was made; ``speed`` x real time at most (``inf``: no pacing).

    ``now()`` is the running simulated loop's time; ``new_event_loop()`` makes a loop that advances it.
    One clock may run several loops one after the other (a scan, then a recording): time carries on.
    """

    def __init__(self, speed: float = 1.0) -> None:
        if not speed > 0:  # nan and negative fail here; inf is "as fast as possible"
            raise ValueError(f"speed must be > 0, not {speed}")
        self.speed = float(speed)
        self.time_s = 0.0
        self._wall_origin: tuple[float, float] | None = None  # (wall s, simulated s) pacing anchor

    def now(self) -> float:
        return self.time_s

    async def sleep(self, seconds: float) -> None:
        self._check_loop()
        await asyncio.sleep(max(seconds, 0.0))

    async def sleep_until(self, t: float) -> None:
        await self.sleep(t - self.now())

    def new_event_loop(self) -> "SimulatedTimeLoop":
        self._wall_origin = None  # pacing restarts: time spent outside the loop is not owed
        return SimulatedTimeLoop(self)

    def _check_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if getattr(loop, "clock", None) is not self:
            raise RuntimeError("a SimulatedClock only runs in its own loop (clock.new_event_loop())")

    def wall_wait(self, target_s: float) -> float:
        """Real seconds to wait before simulated time may reach ``target_s`` (0 when not paced)."""
        if math.isinf(self.speed):
            return 0.0
        wall = time.monotonic()
        if self._wall_origin is None:
            self._wall_origin = (wall, self.time_s)
        wall0, sim0 = self._wall_origin
        wait = wall0 + (target_s - sim0) / self.speed - wall
        if wait < 0.0:  # the machine fell behind: re-anchor, so that it is not made up later at a rush
            self._wall_origin = (wall, self.time_s)
            return 0.0
        return wait


class _SimulatedSelector(selectors.DefaultSelector):
    """The loop's selector: polls real I/O without blocking; a wait for a timer advances simulated
    time to it instead (after the pacing wait, during which real I/O may still wake the loop)."""

    def __init__(self, clock: SimulatedClock) -> None:
        super().__init__()
        self._clock = clock

    def select(self, timeout: float | None = None):
        ready = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:  # nothing scheduled at all: only real I/O can wake the loop
            return super().select(None)
        target = self._clock.time_s + timeout
        wait = self._clock.wall_wait(target)
        if wait > 0:
            ready = super().select(wait)
            if ready:  # real input arrived first: simulated time stays where it was
                return ready
        self._clock.time_s = max(self._clock.time_s, target)
        return []


class SimulatedTimeLoop(asyncio.SelectorEventLoop):
    """An asyncio loop on ``clock``'s simulated time (see the module docstring)."""

    def __init__(self, clock: SimulatedClock) -> None:
        self.clock = clock
        super().__init__(_SimulatedSelector(clock))

    def time(self) -> float:
        return self.clock.time_s
