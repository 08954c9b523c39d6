"""The interactive form report: one self-contained HTML file (plotly.js embedded, works offline).

``build_report(session, recording_meta=None) -> str`` and ``write_report(session, meta, path)``.
``session`` is what ``analysis.analyze`` returns; ``recording_meta`` a ``sensors.Metadata`` (or
dict) for the header. Every text that comes from a file (device name, file name, ...) is
HTML-escaped. Sections: headline cards coloured by Garmin's published bands with the flags and
advice and the notes on the recording (``summary["notes"]``: a metric not measured and why, ...); per-step time series with run/walk/stand shading; the average step, left and right; the
bouts side by side and the first-vs-last trend; left/right balance and trunk rotation.
"""

from __future__ import annotations

from importlib import metadata as _metadata
from pathlib import Path
from typing import Any

from runform.analysis.report._model import collect
from runform.analysis.report._page import render
from runform.sensors.atomic import write_text_atomic

__all__ = ["build_report", "write_report"]


def _version() -> str:
    try:
        return _metadata.version("runform")
    except _metadata.PackageNotFoundError:
        return "(development)"


def build_report(session: Any, recording_meta: Any = None) -> str:
    """The report for ``session`` as one HTML string (UTF-8 text, plotly.js inside)."""
    return render(collect(session, recording_meta), _version())


def write_report(session: Any, meta: Any, path: str | Path) -> Path:
    """Write the report to ``path`` (UTF-8, atomically: ``sensors.atomic``) and return the path. A
    folder that does not exist or cannot be written, or a full disk, raises ``OutputError`` and
    leaves any previous report unchanged."""
    return write_text_atomic(path, build_report(session, meta))
