"""The result of ``analyze()``: per-step columns, bouts, the JSON summary, the average cycle, signals."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .catalogue import STEP_COLUMNS, metric

#: the summary["running"] metrics shown (label, value and unit from the catalogue) when a Session is printed
_REPR_HEADLINES = ("cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g")


def empty_steps() -> dict[str, np.ndarray]:
    out = {c: np.empty(0) for c in STEP_COLUMNS}
    out["side"] = np.empty(0, dtype="<U1")
    out["bout_kind"] = np.empty(0, dtype="<U5")
    out["bout"] = np.empty(0, dtype=int)
    return out


@dataclass
class Bout:
    """One stretch of standing, walking or running (times in s from the recording start)."""

    kind: str
    start_s: float
    end_s: float
    steps: int = 0
    cadence_spm: float | None = None
    vertical_oscillation_cm: float | None = None
    ground_contact_ms: float | None = None
    flight_ms: float | None = None
    impact_g: float | None = None
    impact_transient_g: float | None = None
    trunk_rotation_deg: float | None = None
    gct_balance_left_pct: float | None = None
    speed_mps: float | None = None
    step_length_m: float | None = None
    vertical_ratio_pct: float | None = None
    heart_rate_bpm: float | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, Any]:
        return {k: _clean(v) for k, v in asdict(self).items()}


@dataclass
class Cycle:
    """The average running cycle for the report (running bouts only).

    ``phase``: 0..1. ``stride_*``: one stride starting at a left foot strike (left step, then right).
    ``left_*`` / ``right_*``: one step starting at that foot's strike. Displacement in cm (vertical,
    per-cycle periodic integration), acceleration as vertical specific force in g."""

    phase: np.ndarray
    stride_displacement_cm: np.ndarray
    stride_acc_g: np.ndarray
    left_displacement_cm: np.ndarray
    left_acc_g: np.ndarray
    right_displacement_cm: np.ndarray
    right_acc_g: np.ndarray
    n_strides: int
    n_left: int
    n_right: int


@dataclass
class Signals:
    """Decimated signals for plotting: NaN rows separate continuous segments."""

    time_s: np.ndarray
    vertical_g: np.ndarray
    bout_kind: np.ndarray  # "stand" / "walk" / "run" per sample ("" at a separator)
    rate_hz: float


@dataclass
class Session:
    """What ``analyze()`` returns.

    ``steps``: per-step columns (``STEP_COLUMNS``; numpy arrays of equal length, NaN where a value is
    not measurable, e.g. contact time when walking or trunk rotation without a gyro).
    ``bouts``: stand / walk / run ``Bout``s in time order (``steps["bout"]`` indexes this list).
    ``summary``: the ``runform.summary/1`` dict (``to_json()``), with ``notes`` for anything the user
    should know (no running, too short, clipping). ``flags``: ``summary["flags"]`` (analysis.flags).
    ``cycle``: the average running stride for the report. ``signals``: decimated plotting signals."""

    steps: dict[str, np.ndarray]
    bouts: list[Bout]
    summary: dict[str, Any]
    cycle: Cycle | None = None
    signals: Signals | None = None
    flags: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        """One line: duration, bouts by kind, steps, the running headline figures and the flag codes."""
        kinds = [b.kind for b in self.bouts]
        bouts = ", ".join(f"{kinds.count(k)} {k}" for k in ("run", "walk", "stand") if k in kinds) or "none"
        run = self.summary.get("running") or {}
        heads = [f"{metric(key).label.lower()} {metric(key).format(run[key])}" for key in _REPR_HEADLINES
                 if run.get(key) is not None]
        flags = ", ".join(f.get("code", "?") for f in self.flags) or "none"
        return (f"<Session {self.summary.get('duration_s', 0.0):.1f} s; bouts: {bouts}; "
                f"{len(self.steps.get('time_s', ()))} steps" + (f"; running {', '.join(heads)}" if heads else "")
                + f"; flags: {flags}>")

    def steps_frame(self):
        """The per-step table as a pandas DataFrame (pandas is used only here, at the edge)."""
        import pandas as pd

        return pd.DataFrame({c: self.steps[c] for c in STEP_COLUMNS if c in self.steps})

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(_clean(self.summary), indent=indent, allow_nan=False)


def _clean(v):
    """JSON-safe: NaN/inf -> None, numpy scalars -> Python, recursively."""
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_clean(x) for x in v.tolist()]
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    return v
