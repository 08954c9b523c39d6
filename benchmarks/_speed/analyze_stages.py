"""Where ``analysis.analyze()`` spends its time: wall seconds per pipeline stage, medians of repeats.

The stages are the pipeline's own functions, wrapped with a timer for the measurement only (the
wrappers are removed afterwards); nested stages are listed under their parent and the parent's
"other" row is what its listed children do not cover. Timer overhead: ~1 µs per call, a few thousand
calls per hour of data.
"""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager

#: (label, module path, attribute, parent label or None); the attribute may be "Class.method"
STAGES = (
    ("timebase (split, grid)", "runform.analysis._pipeline", "split_segments", None),
    ("prepare (per segment)", "runform.analysis._pipeline", "prepare", None),
    ("gravity frame", "runform.analysis._orientation", "gravity_blocks", "prepare (per segment)"),
    ("bout features (autocorrelation)", "runform.analysis._bouts", "window_features", "prepare (per segment)"),
    ("steps and metrics (per segment)", "runform.analysis._pipeline", "segment_steps", None),
    ("mid-stance peaks", "runform.analysis._bout_steps", "bout_peaks", "steps and metrics (per segment)"),
    ("run-edge trim (contact signal built here)", "runform.analysis._bout_steps", "trim_run_edges",
     "steps and metrics (per segment)"),
    ("contact crossings (step pass)", "runform.analysis._contact", "ContactSignal.crossings",
     "steps and metrics (per segment)"),
    ("per-step metrics", "runform.analysis._bout_steps", "step_metrics", "steps and metrics (per segment)"),
    ("summaries", "runform.analysis._pipeline", "_summarise", None),
    ("flags", "runform.analysis._pipeline", "_evaluate_flags", None),
    ("plot signals", "runform.analysis._pipeline", "_signals", None),
)


@contextmanager
def _timed(totals: dict):
    import importlib

    undo = []
    for label, module, attr, _ in STAGES:
        owner = importlib.import_module(module)
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)

        def wrapper(*args, _f=original, _label=label, **kwargs):
            t0 = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                totals[_label] = totals.get(_label, 0.0) + time.perf_counter() - t0

        setattr(owner, name, wrapper)
        undo.append((owner, name, original))
    try:
        yield
    finally:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


def analyze_stages(rec, repeats: int) -> dict:
    """{"total_s": median wall of analyze(), "stages": [(label, parent, median s)]} over ``repeats``."""
    from runform import analysis

    runs = []
    totals_all = []
    analysis.analyze(rec)  # warm-up: lazy imports, filter design caches
    for _ in range(repeats):
        totals: dict = {}
        with _timed(totals):
            t0 = time.perf_counter()
            analysis.analyze(rec)
            runs.append(time.perf_counter() - t0)
        totals_all.append(totals)
    stages = []
    for label, _, _, parent in STAGES:
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
