"""The session's average step cycle (``Session.cycle``): each bout's left steps, right steps and strides
(left then right strike to the next of the same kind) resampled to ``n`` points and summed, the
acceleration (g) and the mean-free vertical displacement (cm, by the periodic double integration of
``_metrics.displacement_operator``), then averaged over the session. Run by stage 3
(``_stage3_step_metrics``) a block of steps at a time."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from runform.sensors.units import STANDARD_GRAVITY as G

from . import _metrics
from ._session import Cycle


class CycleAccumulator:
    """Running sums of the stride ("s"), left-step ("l") and right-step ("r") cycles for ``Session.cycle``."""

    def __init__(self, n: int):
        self.n = n
        self.sums = {k: np.zeros(n) for k in ("sd", "sa", "ld", "la", "rd", "ra")}
        self.counts = {"s": 0, "l": 0, "r": 0}

    def add(self, key: str, disp_sum: np.ndarray, acc_sum: np.ndarray, count: int) -> None:
        """Add the sums over ``count`` cycles of the displacement (cm) and the acceleration (g) rows."""
        if count:
            self.sums[key + "d"] += disp_sum
            self.sums[key + "a"] += acc_sum
            self.counts[key] += count

    def result(self) -> Cycle | None:
        if self.counts["s"] == 0:
            return None
        mean = {k: v / self.counts[k[0]] if self.counts[k[0]] else np.full(self.n, np.nan) for k, v in self.sums.items()}
        return Cycle(np.linspace(0, 1, self.n), mean["sd"], mean["sa"], mean["ld"], mean["la"], mean["rd"], mean["ra"],
                     self.counts["s"], self.counts["l"], self.counts["r"])


class BoutCycles:
    """One bout's left steps, right steps and strides (left then right) for the average cycle, summed a
    block of starting steps at a time (``add``), then added to a ``CycleAccumulator`` (``finish``)."""

    def __init__(self, strike_idx: np.ndarray, rate_hz: float, side: np.ndarray, step_ok: np.ndarray, n: int):
        """``strike_idx``: strikes as fractional indices into the upsampled vertical specific force (``rate_hz``);
        ``step_ok``: per step interval, False where it touches a bridged gap; ``n``: points per cycle."""
        self.strike_idx, self.rate_hz, self.n = strike_idx, rate_hz, n
        # per key: Σ dt² a over the cycles a of the vertical specific force, Σ dt², Σ a (rows folded in order)
        self.weighted = {key: np.zeros(n) for key in ("l", "r", "s")}
        self.dt2_sum = dict.fromkeys(("l", "r", "s"), 0.0)
        self.acc_sum: dict[str, np.ndarray | None] = dict.fromkeys(("l", "r", "s"))
        ok = np.isfinite(strike_idx)
        step_ok = np.append(step_ok, False)
        self.starts = {}  # per key, its first steps: ascending
        for key, first, span in (("l", "L", 1), ("r", "R", 1), ("s", "L", 2)):
            clean = step_ok[:-span] if span == 1 else step_ok[:-2] & step_ok[1:-1]
            i = np.flatnonzero((side[:-span] == first) & ok[:-span] & ok[span:] & clean)
            if span == 2:
                i = i[side[i + 1] == "R"]
            self.starts[key] = (i, span)

    def add(self, vertical_g: np.ndarray, steps: slice, origin: int = 0) -> None:
        """Sum the steps and strides that start at ``steps`` (``vertical_g``: from its sample ``origin``, a span
        covering them)."""
        n = self.n
        for key, (starts, span) in self.starts.items():
            i = starts[np.searchsorted(starts, steps.start) : np.searchsorted(starts, steps.stop)]
            if i.size == 0:
                continue
            b0, b1 = self.strike_idx[i], self.strike_idx[i + span]
            dt = (b1 - b0) / self.rate_hz / (n - 1)
            dt2 = dt * dt
            for rows in _metrics.row_blocks(i.size):  # block by block: no whole (steps x n) matrix
                a = _metrics.cycle_matrix(vertical_g, b0[rows], b1[rows], n, origin)
                self.weighted[key] += dt2[rows] @ a
                self.acc_sum[key] = _metrics.fold_rows(a, self.acc_sum[key])
            self.dt2_sum[key] += dt2.sum()

    def finish(self, cycles: CycleAccumulator) -> None:
        """Add the bout's sums to ``cycles``."""
        for key, (starts, _) in self.starts.items():
            if starts.size:
                # the displacement is linear in the acceleration (m/s², (a − 1) G): the sum of the cycles'
                # mean-free displacements is one product with the mean-free displacement operator
                disp_sum = 100.0 * G * ((self.weighted[key] - self.dt2_sum[key]) @ _mean_free_operator(self.n))
                cycles.add(key, disp_sum, self.acc_sum[key], starts.size)


@lru_cache(maxsize=4)
def _mean_free_operator(n: int) -> np.ndarray:
    """``_metrics.displacement_operator(n)`` less each row's mean: (a @ it) is a cycle's displacement
    minus its mean, as the average cycle shows it."""
    op = _metrics.displacement_operator(n)
    out = op - op.mean(axis=1, keepdims=True)
    out.flags.writeable = False
    return out
