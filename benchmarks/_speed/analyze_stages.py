"""Where ``analysis.analyze()`` spends its time: wall seconds per pipeline stage, medians of repeats.

The stages are the pipeline's own (``analysis._timing.STAGES``), measured through its public
stage-timing hook (``analyze(rec, stage_timer=StageTimes())``); nested stages are listed under their
parent and the parent's "other" row is what its listed children do not cover.
"""

from __future__ import annotations

import statistics
import time


def analyze_stages(rec, repeats: int) -> dict:
    """{"total_s": median wall of analyze(), "stages": [(label, parent, median s)]} over ``repeats``."""
    from runform import analysis

    runs = []
    totals_all = []
    analysis.analyze(rec)  # warm-up: lazy imports, filter design caches
    for _ in range(repeats):
        times = analysis.StageTimes()
        t0 = time.perf_counter()
        analysis.analyze(rec, stage_timer=times)
        runs.append(time.perf_counter() - t0)
        totals_all.append(times.seconds)
    stages = []
    for label, parent in analysis.STAGES:
        stages.append((label, parent, statistics.median(t.get(label, 0.0) for t in totals_all)))
    return {"total_s": statistics.median(runs), "stages": stages}


def stage_rows(result: dict) -> list[tuple[str, float, float]]:
    """(indented label, seconds, share of analyze()) with an "other" row under each parent."""
    total = result["total_s"]
    rows = []
    stages = result["stages"]
    top = [(lab, s) for lab, parent, s in stages if parent is None]
    for label, s in top:
        rows.append((label, s, s / total))
        kids = [(lab, ks) for lab, parent, ks in stages if parent == label]
        for kl, ks in kids:
            rows.append(("· " + kl, ks, ks / total))
        if kids:
            other = s - sum(ks for _, ks in kids)
            rows.append(("· other", other, other / total))
    rest = total - sum(s for _, s in top)
    rows.append(("checks, clipping note, concatenation", rest, rest / total))
    return rows
