"""analysis: the numeric core (pure functions on arrays), per-step metrics, bouts, summary, flags,
the live analyzer and the plotly report. May import: the ``sensors`` data model, numpy, pandas, plotly,
threadpoolctl (SciPy only as ``_blas``'s fallback).

Public API: ``analyze(recording, preset=DEFAULT, *, stage_timer=...) -> Session``; ``Session``, ``Bout``,
``Cycle``, ``Signals``, ``Preset``, ``DEFAULT``, ``AnalysisError``; ``STEP_COLUMNS`` (the metric
catalogue: ``analysis.catalogue``); ``StageTimes`` and ``STAGES`` (the stage-timing hook);
``LiveAnalyzer`` (the live path: ``analysis.live``).
"""

from ._pipeline import SCHEMA, AnalysisError, analyze
from ._preset import DEFAULT, Preset
from ._session import Bout, Cycle, Session, Signals
from ._timing import STAGES, StageTimes
from .catalogue import STEP_COLUMNS

__all__ = ["analyze", "Session", "Bout", "Cycle", "Signals", "Preset", "DEFAULT", "AnalysisError", "SCHEMA",
           "STEP_COLUMNS", "StageTimes", "STAGES", "LiveAnalyzer"]


def __getattr__(name: str):
    """``LiveAnalyzer`` on first use (PEP 562): ``analyze()`` and the commands that only analyse a file
    (``runform analyze``, a cold process each) need not import the live path."""
    if name == "LiveAnalyzer":
        from .live import LiveAnalyzer

        return LiveAnalyzer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
