"""The data model every part of runform shares: a ``Recording`` and its streaming piece, ``SampleBlock``.

Units (DESIGN.md): time in s (float64, from the recording start), acceleration as specific force in g
(+1 g along "up" at rest), angular rate in deg/s. Gaps are recorded, never interpolated over.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: a step in time larger than this many sample periods is a gap (recorded in ``Metadata.gaps``); up to
#: here it is timing jitter or one lost sample, which the analysis bridges
GAP_FACTOR = 2.5
#: a step longer than this many median steps has lost at least one sample: it ends a continuous
#: stretch for the rate estimate (``timestamp_rate_hz``), which must count only whole periods
CONTINUOUS_FACTOR = 1.5


def timestamp_rate_hz(time, steps: np.ndarray | None = None) -> float | None:
    """The sample rate of strictly increasing timestamps (Hz): samples per second over the continuous
    stretches, Σ(n_i − 1) / Σ span_i (stretches split where a step exceeds ``CONTINUOUS_FACTOR`` median
    steps); None with fewer than two samples. ``steps``: ``np.diff(time)`` where the caller has it already.

    The one definition of a measured rate (``Recording.measured_rate_hz``, the analysis' grid).
    Unlike 1/median(dt) it is not quantised by coarse timestamps (Movesense's 1 ms clock at 208 Hz:
    steps of 4 and 5 ms, median 5 ms -> "200"; the span gives 208)."""
    dt = np.diff(np.asarray(time, dtype=float)) if steps is None else steps
    positive = dt > 0
    if not positive.all():  # the selections copy only when they drop something (a long recording's dt: 6 MB/h)
        dt = dt[positive]
    if dt.size == 0:
        return None
    median = np.median(dt)
    short = dt <= CONTINUOUS_FACTOR * median
    continuous = dt if short.all() else dt[short]
    total = continuous.sum()
    return float(continuous.size / total) if total > 0 else float(1.0 / median)


@dataclass
class Gap:
    """A hole in the samples: no data between ``start_s`` (last sample before) and ``end_s`` (first after).

    ``missing_samples`` is the number of samples that would have been there at the nominal rate
    (or a count the device reported); ``reason`` says how it was found ("timestamps", "sequence",
    "disconnect", ...).
    """

    start_s: float
    end_s: float
    missing_samples: int
    reason: str = "timestamps"

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Gap":
        return cls(float(d["start_s"]), float(d["end_s"]), int(d["missing_samples"]), str(d.get("reason", "timestamps")))


@dataclass
class Metadata:
    """What is known about a recording beyond its samples (the sidecar ``NAME.meta.json``)."""

    device: str | None = None
    firmware: str | None = None
    placement: str | None = None  # "chest", "back", "waist", "sacrum", "neck", ... or None if unknown
    nominal_rate_hz: float | None = None
    start_utc: str | None = None  # ISO 8601, e.g. "2026-11-28T09:00:00.000000+00:00"
    gaps: list[Gap] = field(default_factory=list)
    lost_samples: int = 0  # samples known lost (sum of gap estimates or device counters)
    lost_frames: int = 0  # radio/firmware frames known lost
    source_file: str | None = None
    source_format: str | None = None  # importer name, e.g. "canonical", "polar_sensor_logger"
    acc_range_g: float | None = None
    speed_mps: float | None = None  # the running speed given when recording (a treadmill), m/s; None: not given
    extra: dict[str, Any] = field(default_factory=dict)  # anything else a format or device reports

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["gaps"] = [g.to_dict() for g in self.gaps]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Metadata":
        known = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in d.items() if k in known}
        kwargs["gaps"] = [Gap.from_dict(g) for g in d.get("gaps", []) or []]
        extra = dict(d.get("extra", {}) or {})
        extra.update({k: v for k, v in d.items() if k not in known})
        kwargs["extra"] = extra
        return cls(**kwargs)


def _as_xyz(name: str, a, n: int) -> np.ndarray:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(f"{name} must have shape (n, 3), got {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} rows but time has {n}")
    return arr


@dataclass
class SampleBlock:
    """A contiguous piece of samples as it arrives from a stream (same units as ``Recording``)."""

    time: np.ndarray
    acc: np.ndarray
    gyro: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.time = np.asarray(self.time, dtype=np.float64).reshape(-1)
        n = self.time.shape[0]
        self.acc = _as_xyz("acc", self.acc, n)
        if self.gyro is not None:
            self.gyro = _as_xyz("gyro", self.gyro, n)

    def __len__(self) -> int:
        return int(self.time.shape[0])


@dataclass
class Recording:
    """A whole session of samples.

    ``time``: (n,) float64 seconds from the recording start, strictly increasing.
    ``acc``: (n, 3) float64 specific force in g, sensor frame.
    ``gyro``: (n, 3) float64 deg/s, sensor frame, or ``None`` when the strap has no gyroscope.
    """

    time: np.ndarray
    acc: np.ndarray
    gyro: np.ndarray | None = None
    meta: Metadata = field(default_factory=Metadata)

    def __post_init__(self) -> None:
        self.time = np.asarray(self.time, dtype=np.float64).reshape(-1)
        n = self.time.shape[0]
        self.acc = _as_xyz("acc", self.acc, n)
        if self.gyro is not None:
            self.gyro = _as_xyz("gyro", self.gyro, n)

    # --- derived facts -------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.time.shape[0])

    @property
    def n_samples(self) -> int:
        return len(self)

    @property
    def has_gyro(self) -> bool:
        return self.gyro is not None

    @property
    def duration_s(self) -> float:
        return float(self.time[-1] - self.time[0]) if len(self) > 1 else 0.0

    @property
    def measured_rate_hz(self) -> float | None:
        """The sample rate of the timestamps (``timestamp_rate_hz``: robust to gaps and to coarse
        timestamps); None with fewer than two samples."""
        return timestamp_rate_hz(self.time)

    @property
    def rate_hz(self) -> float | None:
        """The nominal rate where known, else the measured one."""
        return self.meta.nominal_rate_hz or self.measured_rate_hz

    def blocks(self, block_s: float = 1.0):
        """Yield the recording as ``SampleBlock``s of about ``block_s`` seconds (for replay/live paths)."""
        if len(self) == 0:
            return
        edges = np.searchsorted(self.time, np.arange(self.time[0], self.time[-1] + block_s, block_s), side="left")
        edges = np.unique(np.append(edges, len(self)))
        for a, b in zip(edges[:-1], edges[1:]):
            if b > a:
                yield SampleBlock(self.time[a:b], self.acc[a:b], None if self.gyro is None else self.gyro[a:b])

    @classmethod
    def from_blocks(cls, blocks, meta: Metadata | None = None) -> "Recording":
        blocks = list(blocks)
        if not blocks:
            return cls(np.empty(0), np.empty((0, 3)), None, meta or Metadata())
        gyro = None
        if all(b.gyro is not None for b in blocks):
            gyro = np.concatenate([b.gyro for b in blocks])
        return cls(
            np.concatenate([b.time for b in blocks]),
            np.concatenate([b.acc for b in blocks]),
            gyro,
            meta or Metadata(),
        )


def find_gaps(time: np.ndarray, nominal_rate_hz: float | None = None, reason: str = "timestamps",
              steps: np.ndarray | None = None) -> list[Gap]:
    """Gaps in a strictly increasing time vector: steps longer than ``GAP_FACTOR`` sample periods.

    The period is ``1/nominal_rate_hz`` where given, else that of ``timestamp_rate_hz``.
    ``missing_samples`` is the number of sample slots the gap spans at that period. ``steps``:
    ``np.diff(time)`` where the caller has it already.
    """
    t = np.asarray(time, dtype=np.float64)
    if t.size < 2:
        return []
    dt = np.diff(t) if steps is None else steps
    rate = nominal_rate_hz or timestamp_rate_hz(t, dt)
    if not rate or rate <= 0:
        return []
    period = 1.0 / rate
    idx = np.flatnonzero(dt > GAP_FACTOR * period)
    return [
        Gap(float(t[i]), float(t[i + 1]), max(int(round(dt[i] / period)) - 1, 1), reason)
        for i in idx
    ]
