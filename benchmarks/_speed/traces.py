"""Benchmark traces from firmware_sim, cached on disk as canonical CSVs (+ sidecar meta).

Two kinds of trace (issue 14): the Couch-to-5K session (``c25k``: 73 % walking and standing, the
reference every figure is also given against) and continuous running as a runner records it (the
``easy`` runner, 178 spm: 5 s standing, then running to the end).

Long traces are simulated in chunks of ``CHUNK_S`` (one full Couch-to-5K cycle), each with its own
seed, and appended with ``CanonicalCsvWriter``: memory stays that of one chunk (~1.2 GB peak for
the simulator's internal-rate kinematics at 200 Hz). c25k chunk joins fall on standing still; a
running trace's later chunks are running only (``chunk_profile``), so it runs on across the joins,
with one step cut at each join (every 29 min) and the simulated fatigue restarting. The device
clock runs on across chunks (next chunk starts one sample period after the previous one ends), so
the file has no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from runform.sensors.canonical_csv import CanonicalCsvWriter, write_meta

PROFILE = "c25k"
#: the continuous runner (issue 14 measured `simulate("easy", 3600, 200, gyro=True)`)
RUN_PROFILE = "easy"
CHUNK_S = 1740.0  # one c25k schedule cycle (firmware_sim.profiles)
BASE_SEED = 6
CACHE_VERSION = 1  # bump when the generation changes, so stale caches are rebuilt


@dataclass(frozen=True)
class TraceSpec:
    """``duration_s`` of ``profile`` at ``rate_hz``, with or without gyro."""

    name: str
    duration_s: float
    rate_hz: float
    gyro: bool
    profile: str = PROFILE

    @property
    def hours(self) -> float:
        return self.duration_s / 3600.0

    @property
    def samples(self) -> int:
        return int(round(self.duration_s * self.rate_hz))

    @property
    def channels(self) -> int:
        return 6 if self.gyro else 3

    @property
    def filename(self) -> str:
        kind = "6ax" if self.gyro else "acc"
        return f"{self.profile}_{self.duration_s:g}s_{self.rate_hz:g}hz_{kind}_v{CACHE_VERSION}.csv"


#: the c25k hour every figure is also given against (as a ratio, measured in the same run)
C25K_HOUR = TraceSpec("c25k 1 h 200 Hz 6-axis", 3600, 200, True)
#: issue 14: continuous running, 30 min and 1 h at 200 Hz 6-axis and 100 Hz accelerometer only, and 4 h
TRACES = (
    C25K_HOUR,
    TraceSpec("run 30 min 200 Hz 6-axis", 1800, 200, True, RUN_PROFILE),
    TraceSpec("run 1 h 200 Hz 6-axis", 3600, 200, True, RUN_PROFILE),
    TraceSpec("run 30 min 100 Hz acc-only", 1800, 100, False, RUN_PROFILE),
    TraceSpec("run 1 h 100 Hz acc-only", 3600, 100, False, RUN_PROFILE),
    TraceSpec("run 4 h 200 Hz 6-axis", 14400, 200, True, RUN_PROFILE),
)
#: ``--quick``: the harness end to end on short traces of both kinds (no target is judged on them)
QUICK_TRACES = (
    TraceSpec("c25k 10 min 200 Hz 6-axis", 600, 200, True),
    TraceSpec("run 10 min 200 Hz 6-axis", 600, 200, True, RUN_PROFILE),
)


def chunk_profile(spec: TraceSpec, chunk: int):
    """The profile chunk ``chunk`` of ``spec`` is simulated with: c25k's own schedule each time; for a
    continuous run, its own (standing, then running) first and running only after."""
    from runform.firmware_sim.profiles import Segment, apply_overrides, get_profile

    profile = get_profile(spec.profile)
    if chunk == 0 or spec.profile == PROFILE:
        return profile
    return apply_overrides(profile, schedule=(Segment("run", CHUNK_S),))


def ensure_trace(spec: TraceSpec, cache_dir: Path, log=print) -> Path:
    """The cached CSV for ``spec``, simulated and written first when missing."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / spec.filename
    if path.exists():
        return path
    from runform import firmware_sim  # only needed to build a trace

    tmp = path.with_name(path.name + ".partial")
    offset, first_meta, done = 0.0, None, 0.0
    with CanonicalCsvWriter(tmp, spec.gyro) as writer:
        chunk = 0
        while done < spec.duration_s - 1e-9:
            length = min(CHUNK_S, spec.duration_s - done)
            rec = firmware_sim.simulate(chunk_profile(spec, chunk), length, rate_hz=spec.rate_hz,
                                        seed=BASE_SEED + chunk, gyro=spec.gyro).recording
            writer.write(rec.time + offset, rec.acc, rec.gyro)
            offset += float(rec.time[-1]) + 1.0 / spec.rate_hz
            first_meta = first_meta or rec.meta
            done += length
            chunk += 1
            log(f"  {spec.name}: simulated {done:.0f}/{spec.duration_s:.0f} s")
    first_meta.extra = {**first_meta.extra, "benchmark_chunks": chunk, "chunk_s": CHUNK_S,
                        "base_seed": BASE_SEED}
    tmp.rename(path)
    write_meta(path, first_meta)
    return path


def raw_array_bytes(spec: TraceSpec) -> int:
    """Bytes of the raw sample array as loaded: time + channels, float64."""
    return spec.samples * (1 + spec.channels) * np.dtype(np.float64).itemsize
