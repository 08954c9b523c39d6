"""Targets, robust summaries across cases, and the one results table (text and Markdown).

A target is met only when the *worst* case meets it (issue 3 states the targets per running bout /
per trial); the table also gives a high percentile and the median so a single outlier is visible as
one. A case where the analysis reported nothing (NaN) counts as a miss and is shown as "missing".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

MIN, MAX_ABS, MAX = "min", "max_abs", "max"
HIGH_PERCENTILE = 95.0


@dataclass
class Target:
    """``kind``: MIN (value >= limit), MAX_ABS (|value| <= limit), MAX (value <= limit)."""

    kind: str
    limit: float
    unit: str

    def text(self) -> str:
        sym = {MIN: "≥", MAX_ABS: "|·| ≤", MAX: "≤"}[self.kind]
        return f"{sym} {self.limit:g} {self.unit}".strip()

    def badness(self, values: np.ndarray) -> np.ndarray:
        """Larger = worse, NaN -> +inf (a missing result is the worst)."""
        v = np.asarray(values, float)
        b = -v if self.kind == MIN else (np.abs(v) if self.kind == MAX_ABS else v)
        return np.where(np.isfinite(b), b, np.inf)

    def met(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.kind == MIN:
            return value >= self.limit
        return (abs(value) if self.kind == MAX_ABS else value) <= self.limit


@dataclass
class Stat:
    worst: float
    high: float
    median: float
    n: int
    missing: int

    def text(self, digits: int = 1) -> str:
        if self.n == 0:
            return "—"
        f = f"{{:.{digits}f}}"
        core = f"worst {f.format(self.worst)} · p{HIGH_PERCENTILE:g} {f.format(self.high)} · median {f.format(self.median)} (n={self.n})"
        return core + (f" · missing {self.missing}" if self.missing else "")


def summarise(values, target: Target) -> Stat:
    """Worst, high-percentile-worst and median of ``values`` in the target's sense (|x| for MAX_ABS)."""
    v = np.asarray(values, float)
    finite = v[np.isfinite(v)]
    missing = int(v.size - finite.size)
    if target.kind == MAX_ABS:
        finite = np.abs(finite)
    if not finite.size:
        return Stat(float("nan"), float("nan"), float("nan"), int(v.size), missing)
    q = 100.0 - HIGH_PERCENTILE if target.kind == MIN else HIGH_PERCENTILE
    worst = float(finite.min() if target.kind == MIN else finite.max())
    return Stat(worst, float(np.percentile(finite, q)), float(np.median(finite)), int(v.size), missing)


@dataclass
class Row:
    section: str
    metric: str
    target: Target | None
    measured: str
    passed: bool | None  # None: reported, no target
    peers: dict[str, str] = field(default_factory=dict)

    @property
    def pass_text(self) -> str:
        return "—" if self.passed is None else ("PASS" if self.passed else "FAIL")


def stat_row(section: str, metric: str, values, target: Target, digits: int = 1, peers=None) -> Row:
    s = summarise(values, target)
    passed = s.missing == 0 and s.n > 0 and target.met(s.worst)
    return Row(section, metric, target, s.text(digits), passed, peers or {})


def peer_text(values, target: Target, digits: int = 1) -> str:
    """A peer's figure in the same statistic, or why there is none."""
    if values is None:
        return "—"
    if isinstance(values, str):
        return values
    s = summarise(values, target)
    if s.n and s.missing == s.n:
        return "failed/none"
    return s.text(digits).replace(" · median", "; med").replace("worst ", "")


def render(rows: list[Row], peer_names: list[str], markdown: bool) -> str:
    head = ["section", "metric", "target", "runform (measured)", "pass"] + [f"{p}" for p in peer_names]
    body = [[r.section, r.metric, r.target.text() if r.target else "(info)", r.measured, r.pass_text]
            + [r.peers.get(p, "—") for p in peer_names] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
        return "\n".join(lines)
    widths = [max(len(str(x[i])) for x in [head] + body) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*head), fmt.format(*["-" * w for w in widths])] + [fmt.format(*row) for row in body])
