"""Repeat a callable and keep medians of wall time (perf_counter) and CPU time (process_time).

CPU time counts every thread of this process, so it can exceed wall time when BLAS threads run;
on a shared machine wall time also includes waiting for a core, hence both are kept.
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Median and spread (min, max) of ``repeats`` runs, in seconds."""

    wall_s: float
    cpu_s: float
    wall_min_s: float
    wall_max_s: float
    repeats: int

    @classmethod
    def of(cls, walls: list[float], cpus: list[float]) -> "Timing":
        return cls(statistics.median(walls), statistics.median(cpus), min(walls), max(walls), len(walls))

    def to_dict(self) -> dict:
        return {"wall_s": self.wall_s, "cpu_s": self.cpu_s, "wall_min_s": self.wall_min_s,
                "wall_max_s": self.wall_max_s, "repeats": self.repeats}


def time_call(fn, repeats: int, warmup: int = 0):
    """(Timing, last result) of ``fn()`` over ``repeats`` runs after ``warmup`` untimed runs.
    The garbage collector runs between repeats, not inside them."""
    result = None
    for _ in range(warmup):
        result = fn()
    walls, cpus = [], []
    for _ in range(repeats):
        result = None
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return Timing.of(walls, cpus), result


def time_process(cmd: list[str], repeats: int, env: dict | None = None, cwd=None) -> Timing:
    """Median wall time of a child process (start to exit) and its CPU time (user + sys, from
    ``resource.getrusage(RUSAGE_CHILDREN)`` differences). A failing command raises RuntimeError."""
    import resource

    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
        walls.append(time.perf_counter() - w0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return Timing.of(walls, cpus)
