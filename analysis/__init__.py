"""analysis: the numeric core (pure functions on arrays), per-step metrics, bouts, summary, flags,
the live analyzer and the plotly report. May import: the ``sensors`` data model, numpy, scipy,
pandas, plotly.

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
from .live import LiveAnalyzer

__all__ = ["analyze", "Session", "Bout", "Cycle", "Signals", "Preset", "DEFAULT", "AnalysisError", "SCHEMA",
           "STEP_COLUMNS", "StageTimes", "STAGES", "LiveAnalyzer"]
