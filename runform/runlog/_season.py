"""A simulated Couch-to-5K season as recordings on disk: the demo's log, the tests' and the benchmark's.

Week ``w`` session ``k`` is ``firmware_sim.profiles.c25k_week(w)`` (cadence rising from 150 to
166 spm, contact and landing softening, so bounce falls), seed ``100 w + k``, started on day
``7 (w - 1) + RUN_DAYS[k]`` of the season at 07:00 UTC (``SeasonSpec.plan``), written as canonical
CSV with its sidecar.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

#: the days of the week the runner runs (Monday, Wednesday, Friday when the season starts on a Monday)
RUN_DAYS = (0, 2, 4)
RUN_HOUR_UTC = 7


@dataclass(frozen=True)
class SeasonSpec:
    """``duration_s`` of each session (None: the whole plan, ~30-40 min), ``warmup_s`` of walking
    before the week's intervals, sample ``rate_hz``, ``first_day`` of week 1. ``per_week`` sessions in
    each of ``weeks`` on ``RUN_DAYS``; or, with ``sessions`` set, that many spread evenly over the
    weeks (the benchmark's season of 100)."""

    first_day: date
    weeks: tuple[int, ...] = tuple(range(1, 10))
    per_week: int = 3
    duration_s: float | None = None
    warmup_s: float = 300.0
    rate_hz: float = 52.0
    sessions: int | None = None

    def plan(self) -> list[tuple[int, int, datetime]]:
        """(week, index within the week, start in UTC) of every session, in date order."""
        if self.sessions is None:
            days = [(w, k, 7 * (w - 1) + RUN_DAYS[k % len(RUN_DAYS)] + 7 * (k // len(RUN_DAYS)))
                    for w in self.weeks for k in range(self.per_week)]
        else:
            weeks = [self.weeks[i * len(self.weeks) // self.sessions] for i in range(self.sessions)]
            days = [(w, weeks[:i].count(w), 7 * (w - 1) + 7 * weeks[:i].count(w) / weeks.count(w))
                    for i, w in enumerate(weeks)]
        start = datetime.combine(self.first_day, time(RUN_HOUR_UTC), timezone.utc)
        return [(w, k, start + timedelta(days=d)) for w, k, d in days]


def _one(args: tuple[SeasonSpec, int, int, datetime, str]) -> str:
    from runform.firmware_sim import simulate
    from runform.firmware_sim.profiles import c25k_week
    from runform.sensors.canonical_csv import write_canonical

    spec, week, k, start, path = args
    rec = simulate(c25k_week(week, spec.warmup_s), spec.duration_s, spec.rate_hz, seed=100 * week + k).recording
    rec.meta.start_utc = start.isoformat(timespec="seconds")
    write_canonical(rec, path)
    return path


def write_season(folder: str | os.PathLike, spec: SeasonSpec, jobs: int | None = None) -> list[str]:
    """Simulate the season into ``folder`` (``week01-run1.csv``, ...) on ``jobs`` processes; returns the
    CSV paths in date order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    work = [(spec, w, k, start, str(folder / f"week{w:02d}-run{k + 1}.csv")) for w, k, start in spec.plan()]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if jobs == 1:
        return [_one(a) for a in work]
    # imported here: the run log package is imported by every `runform analyze` (its run-log hook), which
    # never simulates a season and need not import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_one, work))
