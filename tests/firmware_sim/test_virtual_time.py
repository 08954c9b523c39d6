"""The simulated clock's event loop: time jumps to the next timer, never moves while code runs,
never runs ahead of ``speed`` x real time, and stays out of other loops."""

from __future__ import annotations

import asyncio
import math
import time

import pytest

from runform.firmware_sim.virtual_time import SimulatedClock
from runform.sensors.clock import run_on


def test_an_hour_of_timers_fires_at_exact_simulated_moments():
    clock = SimulatedClock(math.inf)
    fired = []

    async def tick(period):
        for _ in range(int(3600 / period)):
            await clock.sleep(period)
            fired.append((period, clock.now()))

    async def main():
        await asyncio.gather(tick(0.5), tick(7.0))
        return asyncio.get_running_loop().time()

    assert run_on(clock, main()) == clock.now() == pytest.approx(3600.0, abs=1e-9)
    halves = [t for p, t in fired if p == 0.5]
    assert halves == pytest.approx([0.5 * (k + 1) for k in range(7200)], abs=1e-9)
    assert [t for _, t in fired] == sorted(t for _, t in fired)  # in time order across both tasks


def test_time_stands_still_while_code_runs_and_timeouts_are_exact():
    clock = SimulatedClock(math.inf)

    async def main():
        t0 = clock.now()
        sum(range(2_000_000))  # CPU work: no simulated time passes
        assert clock.now() == t0
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.Event().wait(), 12.5)
        return clock.now() - t0

    assert run_on(clock, main()) == pytest.approx(12.5, abs=1e-9)


def test_time_carries_on_across_loops():
    clock = SimulatedClock(math.inf)
    run_on(clock, clock.sleep(3.0))
    run_on(clock, clock.sleep(4.0))
    assert clock.now() == pytest.approx(7.0)


def test_real_time_pacing_never_runs_ahead_of_the_wall_clock():
    """speed 1 is real time: 0.3 simulated seconds take at least 0.3 s of wall time (a lower bound
    only: a busy machine makes it longer, never shorter)."""
    clock = SimulatedClock(1.0)
    wall0 = time.monotonic()
    run_on(clock, clock.sleep(0.3))
    assert time.monotonic() - wall0 >= 0.3 - 1e-3
    assert clock.now() == pytest.approx(0.3)


def test_the_clock_refuses_a_loop_that_is_not_its_own():
    clock = SimulatedClock(math.inf)
    with pytest.raises(RuntimeError, match="its own loop"):
        asyncio.run(clock.sleep(1.0))


@pytest.mark.parametrize("speed", [0.0, -1.0, math.nan])
def test_speed_must_be_positive(speed):
    with pytest.raises(ValueError):
        SimulatedClock(speed)
