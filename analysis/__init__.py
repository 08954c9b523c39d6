"""analysis: the numeric core (pure functions on arrays), per-step metrics, bouts, summary, flags,
the live analyzer and the plotly report. May import: the ``sensors`` data model, numpy, scipy,
pandas, plotly.

Public API: ``analyze(recording, preset=DEFAULT) -> Session``; ``Session``, ``Bout``, ``Cycle``,
``Signals``, ``Preset``, ``DEFAULT``, ``AnalysisError``.
"""

from ._pipeline import SCHEMA, AnalysisError, analyze
from ._preset import DEFAULT, Preset
from ._session import STEP_COLUMNS, Bout, Cycle, Session, Signals

__all__ = ["analyze", "Session", "Bout", "Cycle", "Signals", "Preset", "DEFAULT", "AnalysisError", "SCHEMA",
           "STEP_COLUMNS"]
