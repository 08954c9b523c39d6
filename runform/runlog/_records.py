"""Typed records between the analysis and the run log: one ``Entry`` per analysed recording.

``entry_from(recording, session)`` keeps what the log stores: the content hash of the samples, the
recording's metadata, the whole summary JSON, the flag codes, the jarring share, the bouts and the
per-step table. The speed and heart-rate context is read defensively from the summary (older
summaries do not carry it): ``context_columns``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

import numpy as np

from runform.runlog._schema import BOUT_COLUMNS, CONTEXT_COLUMNS, SESSION_METRICS, STEP_COLUMNS
from runform.sensors.units import parse_utc

#: what the hash covers, so a change of recipe cannot match an old hash by accident
HASH_RECIPE = b"runform.samples/1"


def content_hash(time: np.ndarray, acc: np.ndarray, gyro: np.ndarray | None) -> str:
    """SHA-256 of the samples (float64 time, acceleration, angular rate): the same recording read
    twice, from the same file or a copy, gives the same hash; a single changed sample does not."""
    h = hashlib.sha256(HASH_RECIPE)
    h.update(np.int64(len(time)).tobytes())
    for arr in (time, acc) + ((gyro,) if gyro is not None else ()):
        h.update(memoryview(np.ascontiguousarray(arr, dtype="<f8")).cast("B"))  # the array's bytes, not a copy
    h.update(b"gyro" if gyro is not None else b"no gyro")
    return h.hexdigest()


def recording_hash(recording) -> str:
    return content_hash(recording.time, recording.acc, recording.gyro)


@dataclass
class Entry:
    """One analysed recording as the log stores it (units as in ``runform.summary/1``)."""

    content_hash: str
    start_utc: str  # ISO 8601 in UTC
    duration_s: float
    has_gyro: bool
    summary: dict[str, Any]
    source_file: str | None = None
    source_format: str | None = None
    device: str | None = None
    placement: str | None = None
    sample_rate_hz: float | None = None
    jarring_steps_pct: float | None = None
    bouts: list[dict[str, Any]] = field(default_factory=list)
    steps: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def flags(self) -> list[str]:
        return [str(f.get("code")) for f in self.summary.get("flags") or [] if isinstance(f, Mapping)]

    def session_columns(self) -> dict[str, Any]:
        """The ``sessions`` row (without ``id`` and ``added_utc``)."""
        running = self.summary.get("running") or {}
        walking = self.summary.get("walking") or {}
        row = {
            "content_hash": self.content_hash, "start_utc": self.start_utc, "source_file": self.source_file,
            "source_format": self.source_format, "device": self.device, "placement": self.placement,
            "duration_s": self.duration_s, "sample_rate_hz": self.sample_rate_hz, "has_gyro": int(self.has_gyro),
            "running_s": number(running.get("seconds")), "walking_s": number(walking.get("seconds")),
            "running_steps": number(running.get("steps")), "jarring_steps_pct": self.jarring_steps_pct,
            "flags": ",".join(self.flags), "summary_json": json.dumps(self.summary, allow_nan=False),
        }
        row.update({k: number(running.get(k)) for k in SESSION_METRICS})
        row.update(context_columns(self.summary))
        return row

    def bout_rows(self) -> list[tuple]:
        return [tuple(number(b.get(c)) if c != "kind" else str(b.get("kind")) for c in BOUT_COLUMNS)
                for b in self.bouts]

    def step_columns(self) -> list[list]:
        """The steps as one list per ``STEP_COLUMNS`` column (None where a column is absent or a value
        NaN or infinite), converted a whole column at a time."""
        n = len(next(iter(self.steps.values()))) if self.steps else 0
        cols = []
        for c in STEP_COLUMNS:
            values = self.steps.get(c)
            if values is None:
                cols.append([None] * n)
            elif np.asarray(values).dtype.kind in "OUS":
                cols.append([str(v) for v in values])
            else:
                arr = np.asarray(values, dtype=float)
                column = arr.tolist()
                for i in np.flatnonzero(~np.isfinite(arr)).tolist():
                    column[i] = None
                cols.append(column)
        return cols


def number(v) -> float | None:
    """A finite float, or None (NaN, inf, missing, not a number)."""
    if isinstance(v, bool) or v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _first(summary: Mapping, keys) -> float | None:
    running = summary.get("running") if isinstance(summary.get("running"), Mapping) else {}
    for place in (running, summary):
        for key in keys:
            value = place.get(key)
            if isinstance(value, Mapping):  # {"mean": .., "median": ..}
                value = value.get("median", value.get("mean"))
            if number(value) is not None:
                return number(value)
    return None


def context_columns(summary: Mapping) -> dict[str, float | None]:
    """Speed (m/s), step length (m), vertical ratio (%) and heart rate (bpm) of the running, as the
    summary carries them (``analysis.analyze`` fills them from ``--speed-kmh``, a footpod or the
    strap's heart rate in the sidecar); step length and vertical ratio from speed, cadence and
    oscillation where a summary gives only the speed; None where it has none."""
    speed, step_length, ratio, heart = (_first(summary, (key,)) for key in CONTEXT_COLUMNS)
    running = summary.get("running") if isinstance(summary.get("running"), Mapping) else {}
    cadence, vo = number(running.get("cadence_spm")), number(running.get("vertical_oscillation_cm"))
    if step_length is None and speed is not None and cadence:
        step_length = speed * 60.0 / cadence
    if ratio is None and step_length and vo is not None:
        ratio = vo / step_length  # cm / (m * 100) * 100 %
    return dict(zip(CONTEXT_COLUMNS, (speed, step_length, ratio, heart)))


def utc_iso(value: str | None, fallback: datetime) -> str:
    """``value`` (ISO 8601, ``units.parse_utc``) normalised to UTC, or ``fallback`` (naive: UTC) when missing
    or unreadable."""
    t = parse_utc(value) or (fallback if fallback.tzinfo else fallback.replace(tzinfo=timezone.utc))
    return t.astimezone(timezone.utc).isoformat(timespec="seconds")


def judged_placement(summary: Mapping, recorded: str | None) -> str | None:
    """Where the sensor was worn as the summary's judgement took it (``--mount``, else the recording's
    metadata, by ``analysis.placement``'s name), else ``recorded`` (the metadata's own words, or None: a
    placement the analysis only assumed is not stored as known)."""
    context = summary.get("context") if isinstance(summary.get("context"), Mapping) else {}
    from runform.analysis.placement import SOURCE_GIVEN, SOURCE_RECORDING

    if context.get("placement_source") in (SOURCE_GIVEN, SOURCE_RECORDING) and context.get("placement"):
        return str(context["placement"])
    return recorded


def entry_from(recording, session, source_file: str | None = None, file_time: datetime | None = None) -> Entry:
    """The log's record of ``session`` (``analysis.analyze(recording)``). The start time is the
    recording's own; without one, ``file_time`` (the file's modification time), else now."""
    from runform.analysis.flags import jarring_steps_pct

    meta = recording.meta
    summary = json.loads(session.to_json(indent=None))
    bouts = [b.to_dict() for b in session.bouts]
    return Entry(
        content_hash=recording_hash(recording),
        start_utc=utc_iso(meta.start_utc, file_time or datetime.now(timezone.utc)),
        duration_s=float(summary.get("duration_s") or (recording.time[-1] - recording.time[0] if len(recording.time) else 0.0)),
        has_gyro=recording.gyro is not None,
        summary=summary,
        source_file=source_file or meta.source_file,
        source_format=meta.source_format,
        device=meta.device,
        placement=judged_placement(summary, meta.placement),
        sample_rate_hz=number(summary.get("sample_rate_hz")) or number(meta.nominal_rate_hz),
        jarring_steps_pct=jarring_steps_pct(session.steps, session.summary),
        bouts=bouts,
        steps={c: session.steps[c] for c in STEP_COLUMNS if c in session.steps},
    )
