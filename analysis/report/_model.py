"""What the report reads from a ``Session``, in one place.

The report draws from an ``analysis.Session``: its per-step arrays (``session.steps``), its summary
(schema ``runform.summary/1``, with the bouts) and its average stride (``session.cycle``); the heart
rate over time comes from the recording's side channels. This
module turns them into plain Python/NumPy values so that the figure, card and table modules never
touch the session object directly: if the session changes a name, only this module changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np

from runform.analysis import side_channels
from runform.analysis.catalogue import metric
from runform.analysis.trend import speed_adjustment_text

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
    intervals: int | None = None  # an interval session: the first and the last of this many run bouts
    speed_text: str = ""  # how the comparison allows for speed (``analysis.trend.speed_adjustment_text``)


def _finite(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if np.isfinite(f) else None


def read_trend(trend: Any) -> Trend | None:
    """``summary["running"]["trend"]`` (``analysis.trend.session_trend``: ``{"window_s", "first":
    {metric.., "start_s", "end_s", "steps"}, "last": {...}, "cadence_adjusted_change_pct": {metric: %}}``)
    as a ``Trend``; None without one."""
    if not (isinstance(trend, Mapping) and isinstance(trend.get("first"), Mapping)
            and isinstance(trend.get("last"), Mapping)):
        return None
    first, last = trend["first"], trend["last"]
    change = trend.get("cadence_adjusted_change_pct") or {}
    keys = [k for k in first if k not in ("start_s", "end_s", "steps")]
    rows = {k: (_finite(first.get(k)), _finite(last.get(k)), _finite(change.get(k))) for k in keys}

    def span(window):
        a, b = _finite(window.get("start_s")), _finite(window.get("end_s"))
        return None if a is None or b is None else (a, b)

    n = trend.get("intervals")
    return Trend(_finite(trend.get("window_s")), span(first), span(last), rows,
                 int(n) if isinstance(n, (int, float)) and n else None, speed_adjustment_text(trend))


@dataclass
class ReportData:
    """Everything the report shows, as plain values (no session object)."""

    steps: dict[str, np.ndarray]
    bouts: list[dict[str, Any]]
    summary: dict[str, Any]
    cycle: Cycle | None
    meta: dict[str, Any]
    #: (minutes from the start, bpm) of the heart rate over the session, and where it came from; None without
    heart_rate: tuple[np.ndarray, np.ndarray, str] | None = None

    @property
    def has_gyro(self) -> bool:
        return bool(self.summary.get("has_gyro"))

    @property
    def context(self) -> dict[str, Any]:
        """Where the sensor was worn and the running speed (``summary["context"]``; {} when absent)."""
        return dict(self.summary.get("context") or {})

    @property
    def placement(self) -> str | None:
        return self.context.get("placement")

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


def _cycle(cycle) -> Cycle | None:
    """The per-side curves of ``analysis.Cycle`` (None without running strides)."""
    if cycle is None or len(cycle.phase) == 0:
        return None
    return Cycle(
        phase=np.asarray(cycle.phase, float),
        displacement_cm={"L": np.asarray(cycle.left_displacement_cm, float),
                         "R": np.asarray(cycle.right_displacement_cm, float)},
        acc_g={"L": np.asarray(cycle.left_acc_g, float), "R": np.asarray(cycle.right_acc_g, float)},
    )


def _meta(recording_meta: Any) -> dict[str, Any]:
    """The header's metadata: a ``sensors.Metadata``, a dict, or None (no header fields)."""
    if recording_meta is None:
        return {}
    if isinstance(recording_meta, Mapping):
        return dict(recording_meta)
    return recording_meta.to_dict()


def _heart_rate(meta: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, str] | None:
    """The heart rate over the session from the recording's side channels (``analysis.side_channels``:
    the strap's, else the track's), in minutes; None without."""
    channel = side_channels.heart_rate(SimpleNamespace(extra=meta.get("extra") or {}))
    if channel is None:
        return None
    return channel.time_s / 60.0, channel.values, channel.source


def collect(session: Any, recording_meta: Any = None) -> ReportData:
    """Gather what the report needs from ``session`` (an ``analysis.Session``) and the recording
    metadata (a ``sensors.Metadata``, a dict, or None; its side channels give the heart-rate chart)."""
    summary = dict(session.summary)
    meta = _meta(recording_meta)
    return ReportData(
        steps={k: np.asarray(v) for k, v in session.steps.items()},
        bouts=[dict(b) for b in summary.get("bouts") or []],
        summary=summary,
        cycle=_cycle(session.cycle),
        meta=meta,
        heart_rate=_heart_rate(meta),
    )
