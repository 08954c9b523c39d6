"""analysis: the numeric core (pure functions on arrays), per-step metrics, bouts, summary, flags,
the live analyzer and the plotly report. May import: the ``sensors`` data model, numpy, scipy,
pandas, plotly."""
