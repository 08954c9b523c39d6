"""The pipeline's stage-timing hook: ``analyze(recording, stage_timer=StageTimes())``.

A stage timer is any callable that takes a stage name and returns a context manager; the pipeline
enters it around each stage (``STAGES``: name and the stage it runs inside). ``StageTimes`` sums wall
seconds per stage; benchmarks read it instead of patching the pipeline's functions. Without a timer
the pipeline uses ``no_timing`` (a null context, nothing measured).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext

StageTimer = Callable[[str], AbstractContextManager]

TIMEBASE = "timebase (split, grid)"
PREPARE = "prepare (per segment)"
GRAVITY_FRAME = "gravity frame"
BOUT_FEATURES = "bout features (autocorrelation)"
EVENTS = "steps and contacts (per segment)"
MIDSTANCE_PEAKS = "mid-stance peaks"
RUN_EDGE_TRIM = "run-edge trim (contact signal at bout ends)"
CONTACT_CROSSINGS = "contact crossings (step pass, builds the contact signal)"
STEP_METRICS = "per-step metrics"
SUMMARIES = "summaries"
FLAGS = "flags"
PLOT_SIGNALS = "plot signals"

#: (stage, the stage it runs inside or None), in pipeline order
STAGES: tuple[tuple[str, str | None], ...] = (
    (TIMEBASE, None),
    (PREPARE, None),
    (GRAVITY_FRAME, PREPARE),
    (BOUT_FEATURES, PREPARE),
    (EVENTS, None),
    (MIDSTANCE_PEAKS, EVENTS),
    (RUN_EDGE_TRIM, EVENTS),
    (CONTACT_CROSSINGS, EVENTS),
    (STEP_METRICS, None),
    (SUMMARIES, None),
    (FLAGS, None),
    (PLOT_SIGNALS, None),
)


def no_timing(stage: str) -> AbstractContextManager:
    """The default stage timer: measures nothing."""
    return nullcontext()


class StageTimes:
    """A stage timer that sums seconds per stage over every call: ``seconds[stage]``; wall seconds, or those
    of ``clock`` (``time.process_time``: this process's CPU seconds)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.seconds: dict[str, float] = {}
        self.clock = clock

    @contextmanager
    def __call__(self, stage: str):
        start = self.clock()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + self.clock() - start
