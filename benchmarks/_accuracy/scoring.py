"""Scoring helpers: foot-strike matching, per-interval labels, robust summaries (pure NumPy).

A detected step matches a true foot strike when it is the nearest detection, within
``min(MATCH_TOLERANCE_S, MATCH_HALF_STEP × step time)`` (issue 3: "±100 ms or half a step"; the
smaller of the two so that a detection can never be claimed by two neighbouring strikes), and each
detection is used at most once (greedy by distance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MATCH_TOLERANCE_S = 0.100
MATCH_HALF_STEP = 0.5
LABEL_GRID_HZ = 20.0  # label agreement is evaluated on this time grid
KINDS = ("stand", "walk", "run")


@dataclass
class Match:
    """``truth_idx`` / ``found_idx``: matched pairs; ``error_s`` = found − truth (s)."""

    truth_idx: np.ndarray
    found_idx: np.ndarray
    error_s: np.ndarray
    n_truth: int
    n_found: int

    @property
    def recall_pct(self) -> float:
        return 100.0 * self.truth_idx.size / self.n_truth if self.n_truth else float("nan")

    @property
    def precision_pct(self) -> float:
        return 100.0 * self.found_idx.size / self.n_found if self.n_found else float("nan")

    @property
    def bias_ms(self) -> float:
        return 1000.0 * float(np.mean(self.error_s)) if self.error_s.size else float("nan")

    @property
    def sd_ms(self) -> float:
        return 1000.0 * float(np.std(self.error_s)) if self.error_s.size > 1 else float("nan")


def match_strikes(truth_s: np.ndarray, found_s: np.ndarray, step_s: float) -> Match:
    """One-to-one matching of detections to true strikes (greedy by |error|, vectorised)."""
    truth_s = np.asarray(truth_s, float)
    found_s = np.sort(np.asarray(found_s, float)[np.isfinite(found_s)])
    tol = min(MATCH_TOLERANCE_S, MATCH_HALF_STEP * step_s) if np.isfinite(step_s) else MATCH_TOLERANCE_S
    empty = Match(np.empty(0, int), np.empty(0, int), np.empty(0), truth_s.size, found_s.size)
    if truth_s.size == 0 or found_s.size == 0:
        return empty
    # candidate pairs: each truth with its left and right neighbour detection
    right = np.clip(np.searchsorted(found_s, truth_s), 0, found_s.size - 1)
    left = np.clip(right - 1, 0, found_s.size - 1)
    ti = np.concatenate([np.arange(truth_s.size)] * 2)
    fi = np.concatenate([left, right])
    err = found_s[fi] - truth_s[ti]
    ok = np.abs(err) <= tol
    ti, fi, err = ti[ok], fi[ok], err[ok]
    order = np.argsort(np.abs(err), kind="stable")
    ti, fi, err = ti[order], fi[order], err[order]
    # greedy: keep a pair when neither side was used by a closer pair
    _, first_t = np.unique(ti, return_index=True)
    keep = np.zeros(ti.size, bool)
    keep[first_t] = True
    ti, fi, err = ti[keep], fi[keep], err[keep]
    order = np.argsort(np.abs(err), kind="stable")
    ti, fi, err = ti[order], fi[order], err[order]
    _, first_f = np.unique(fi, return_index=True)
    ti, fi, err = ti[first_f], fi[first_f], err[first_f]
    return Match(ti, fi, err, truth_s.size, found_s.size)


def interval_labels(grid_s: np.ndarray, starts: np.ndarray, ends: np.ndarray, kinds) -> np.ndarray:
    """The kind of the interval containing each grid time ("" where none)."""
    out = np.full(grid_s.shape, "", dtype="<U5")
    starts, ends = np.asarray(starts, float), np.asarray(ends, float)
    idx = np.searchsorted(starts, grid_s, side="right") - 1
    inside = (idx >= 0) & (grid_s < ends[np.clip(idx, 0, None)])
    out[inside] = np.asarray(kinds, dtype="<U5")[idx[inside]]
    return out


def transition_mask(grid_s: np.ndarray, boundaries_s, margin_s: float) -> np.ndarray:
    """True for grid times farther than ``margin_s`` from every boundary."""
    b = np.asarray(sorted(boundaries_s), float)
    if b.size == 0:
        return np.ones(grid_s.shape, bool)
    i = np.clip(np.searchsorted(b, grid_s), 1, b.size - 1) if b.size > 1 else np.zeros(grid_s.shape, int)
    d = np.minimum(np.abs(grid_s - b[i]), np.abs(grid_s - b[np.maximum(i - 1, 0)]))
    return d > margin_s


def cadence_from_strikes(times_s: np.ndarray) -> float:
    """Steps per minute from strike times: (n − 1) intervals over their span."""
    t = np.sort(np.asarray(times_s, float)[np.isfinite(times_s)])
    return 60.0 * (t.size - 1) / (t[-1] - t[0]) if t.size > 2 else float("nan")


def worst(values, higher_is_worse: bool = True) -> float:
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if not v.size:
        return float("nan")
    return float(v.max() if higher_is_worse else v.min())


def percentile(values, q: float) -> float:
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    return float(np.percentile(v, q)) if v.size else float("nan")
