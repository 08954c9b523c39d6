"""Load-independent costs of ``analyze()`` stage by stage, for before/after comparisons on a busy machine.

    .venv/bin/python benchmarks/stage_cost.py TRACE.csv              # CPU s per stage (medians of 5 calls)
    .venv/bin/python benchmarks/stage_cost.py TRACE.csv --memory     # traced memory peak during each stage
    valgrind --tool=callgrind .venv/bin/python benchmarks/stage_cost.py TRACE.csv --calls N
                                                                     # N more calls (plus one warm-up):
                                                                     # (Ir at N=2 − Ir at N=1) is one call

TRACE is a canonical CSV, e.g. one of the speed benchmark's cached traces
(``benchmarks/.cache/speed/easy_3600s_200hz_6ax_v1.csv``, made by ``speed.py``). CPU seconds come
from ``time.process_time`` around the pipeline's own stages (``analyze(rec, stage_timer=...)``):
steadier than wall time under load, but still moved by it (caches and memory bandwidth are shared);
instruction counts and memory peaks are not. Nested stages are included in their parent's figure.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

def stage_cpu(rec, repeats: int) -> dict[str, float]:
    """Median CPU seconds per stage (and "analyze() in all") over ``repeats`` calls after a warm-up."""
    from runform import analysis

    analysis.analyze(rec)
    runs = []
    for _ in range(repeats):
        timer = analysis.StageTimes(clock=time.process_time)
        start = time.process_time()
        analysis.analyze(rec, stage_timer=timer)
        timer.seconds["analyze() in all"] = time.process_time() - start
        runs.append(timer.seconds)
    return {stage: statistics.median(r.get(stage, 0.0) for r in runs) for stage in runs[0]}


def stage_memory(rec) -> dict[str, float]:
    """Largest memory (MB) traced by tracemalloc, started just before the call (the loaded recording is not
    counted), while each stage runs (a parent's includes its nested stages), in a call after a warm-up;
    "analyze() in all" is the peak over the call."""
    from runform import analysis

    analysis.analyze(rec)
    peaks: dict[str, float] = {}
    open_stages = ["analyze() in all"]

    def fold() -> None:
        """Charge the peak since the last reset to every stage open now, then reset it."""
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        for stage in open_stages:
            peaks[stage] = max(peaks.get(stage, 0.0), peak)
        tracemalloc.reset_peak()

    @contextmanager
    def timer(stage):
        fold()
        open_stages.append(stage)
        try:
            yield
        finally:
            fold()
            open_stages.pop()

    tracemalloc.start()
    try:
        analysis.analyze(rec, stage_timer=timer)
        fold()
    finally:
        tracemalloc.stop()
    return {stage: peaks[stage] for stage in [*peaks][1:] + ["analyze() in all"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace", type=Path, help="a canonical CSV")
    parser.add_argument("--memory", action="store_true", help="traced memory peak per stage instead of CPU")
    parser.add_argument("--calls", type=int, metavar="N", help="only call analyze() 1 + N times (for callgrind)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    from runform import analysis
    from runform.sensors import load_recording

    rec = load_recording(args.trace)
    if args.calls is not None:
        for _ in range(1 + args.calls):
            analysis.analyze(rec)
        return 0
    figures = stage_memory(rec) if args.memory else stage_cpu(rec, args.repeats)
    unit = "MB peak" if args.memory else "CPU s"
    for stage, value in figures.items():
        print(f"{stage:45s} {value:9.3f} {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
