"""What the report reads from a ``Session``, in one place.

The report draws from the session's per-step arrays (``session.steps``), its bouts, its summary
(schema ``runform.summary/1``) and its average stride (``session.cycle``). This module turns them
into plain Python/NumPy values so that the figure, card and table modules never touch the
session object directly: if the session changes a name, only this module changes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from runform.analysis.catalogue import metric

#: per-step metrics drawn in the time series, in display order (labels and units: the catalogue)
STEP_SERIES = tuple(metric(key) for key in (
    "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g", "trunk_rotation_deg"))

#: metadata fields shown in the report header, in order: (key, label)
META_FIELDS = (
    ("device", "Device"),
    ("placement", "Worn on"),
    ("start_utc", "Started"),
    ("nominal_rate_hz", "Sample rate"),
    ("firmware", "Firmware"),
    ("source_file", "File"),
)


@dataclass
class Cycle:
    """The average stride: phase 0..1 and per-side mean curves (cm and g)."""

    phase: np.ndarray
    displacement_cm: dict[str, np.ndarray] = field(default_factory=dict)  # side "L"/"R" -> curve
    acc_g: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class Trend:
    """First vs last running window: per metric (first, last, cadence-adjusted change in %)."""

    window_s: float | None
    first_span: tuple[float, float] | None  # session time (s) of the first window's steps
    last_span: tuple[float, float] | None
    rows: dict[str, tuple[float | None, float | None, float | None]]


def _finite(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if np.isfinite(f) else None


def read_trend(trend: Any) -> Trend | None:
    """Normalise ``summary["running"]["trend"]``. Two shapes are read:

    * ``analysis.flags.session_trend``: ``{"window_s", "first": {metric.., "start_s", "end_s"},
      "last": {...}, "cadence_adjusted_change_pct": {metric: %}}``;
    * per metric: ``{"window_s", metric: {"first", "last", "change_pct",
      "cadence_adjusted_change"}}`` (the adjusted change in the metric's unit, turned into %).
    """
    if not isinstance(trend, Mapping):
        return None
    window = _finite(trend.get("window_s"))
    if isinstance(trend.get("first"), Mapping) and isinstance(trend.get("last"), Mapping):
        first, last = trend["first"], trend["last"]
        change = trend.get("cadence_adjusted_change_pct") or {}
        keys = [k for k in first if k not in ("start_s", "end_s", "steps")]
        rows = {k: (_finite(first.get(k)), _finite(last.get(k)), _finite(change.get(k))) for k in keys}

        def span(w):
            a, b = _finite(w.get("start_s")), _finite(w.get("end_s"))
            return None if a is None or b is None else (a, b)

        return Trend(window, span(first), span(last), rows)
    rows = {}
    for key, value in trend.items():
        if not isinstance(value, Mapping) or "first" not in value:
            continue
        first, last = _finite(value.get("first")), _finite(value.get("last"))
        adjusted = _finite(value.get("cadence_adjusted_change"))
        pct = 100.0 * adjusted / first if adjusted is not None and first else _finite(value.get("change_pct"))
        rows[key] = (first, last, pct)
    return Trend(window, None, None, rows) if rows else None


@dataclass
class ReportData:
    """Everything the report shows, as plain values (no session object)."""

    steps: dict[str, np.ndarray]
    bouts: list[dict[str, Any]]
    summary: dict[str, Any]
    cycle: Cycle | None
    meta: dict[str, Any]

    @property
    def has_gyro(self) -> bool:
        return bool(self.summary.get("has_gyro"))

    @property
    def running(self) -> dict[str, Any]:
        return self.summary.get("running") or {}

    @property
    def flags(self) -> list[dict[str, Any]]:
        return list(self.summary.get("flags") or [])

    @property
    def trend(self) -> Trend | None:
        return read_trend(self.running.get("trend"))

    @property
    def n_steps(self) -> int:
        t = self.steps.get("time_s")
        return 0 if t is None else len(t)


def _as_dict(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    if isinstance(obj, Mapping):
        return dict(obj)
    if hasattr(obj, "to_dict"):
        return dict(obj.to_dict())
    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)
    return dict(vars(obj))


def _steps(session: Any) -> dict[str, np.ndarray]:
    raw = getattr(session, "steps", None) or {}
    return {k: np.asarray(v) for k, v in dict(raw).items()}


def _bouts(session: Any, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Bouts from the summary (JSON-ready dicts); the Bout objects only as a fallback."""
    if summary.get("bouts") is not None:
        return [dict(b) for b in summary["bouts"]]
    return [_as_dict(b) for b in getattr(session, "bouts", None) or []]


def _cycle(session: Any) -> Cycle | None:
    """Read ``session.cycle`` whether it is an object or a mapping.

    Accepted names: ``phase``; ``displacement_cm``/``vertical_displacement_cm`` and
    ``acc_g``/``vertical_acc_g`` as {side: curve} mappings, or as ``left_*``/``right_*`` arrays
    (``analysis.Cycle``: ``left_displacement_cm``, ``right_acc_g``, ...).
    """
    raw = getattr(session, "cycle", None)
    if raw is None:
        return None
    d = _as_dict(raw)
    phase = d.get("phase")
    if phase is None or len(phase) == 0:
        return None

    def sides(*names: str) -> dict[str, np.ndarray]:
        for name in names:
            value = d.get(name)
            if isinstance(value, Mapping):
                return {str(s): np.asarray(c, float) for s, c in value.items() if c is not None}
            left, right = d.get(f"left_{name}"), d.get(f"right_{name}")
            if left is not None or right is not None:
                pairs = (("L", left), ("R", right))
                return {s: np.asarray(c, float) for s, c in pairs if c is not None}
        return {}

    return Cycle(
        phase=np.asarray(phase, float),
        displacement_cm=sides("displacement_cm", "vertical_displacement_cm"),
        acc_g=sides("acc_g", "vertical_acc_g"),
    )


def collect(session: Any, recording_meta: Any = None) -> ReportData:
    """Gather what the report needs from ``session`` and the recording metadata.

    ``recording_meta`` may be a ``sensors.Metadata``, a dict, or None (then ``session.meta`` is
    used when the session carries one).
    """
    summary = _as_dict(getattr(session, "summary", None))
    meta_source = recording_meta if recording_meta is not None else getattr(session, "meta", None)
    return ReportData(
        steps=_steps(session),
        bouts=_bouts(session, summary),
        summary=summary,
        cycle=_cycle(session),
        meta=_as_dict(meta_source),
    )
