"""Per-step metric columns of one bout (vertical oscillation, sway, trunk rotation, impact and its slope,
bounce, forward lean, transient, side, L/R pulse shape) and the session's average step cycle, from the
events and axes that ``_bout_steps`` found. Vectorised over steps on (steps x points) matrices
(``_metrics``); no loop over steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import _bouts, _metrics, _orientation, _steps, _symmetry
from ._contact import local_range
from ._session import STEP_COLUMNS, Cycle, empty_steps
from ._timebase import overlaps_gap

if TYPE_CHECKING:
    from ._prepare import Prepared
    from ._preset import Preset

G = _metrics.G


class CycleAccumulator:
    """Running sums of the stride ("s"), left-step ("l") and right-step ("r") cycles for ``Session.cycle``."""

    def __init__(self, n: int):
        self.n = n
        self.sums = {k: np.zeros(n) for k in ("sd", "sa", "ld", "la", "rd", "ra")}
        self.counts = {"s": 0, "l": 0, "r": 0}

    def add(self, key: str, disp: np.ndarray, acc: np.ndarray) -> None:
        if disp.shape[0]:
            self.sums[key + "d"] += disp.sum(axis=0)
            self.sums[key + "a"] += acc.sum(axis=0)
            self.counts[key] += disp.shape[0]

    def result(self) -> Cycle | None:
        if self.counts["s"] == 0:
            return None
        mean = {k: v / self.counts[k[0]] if self.counts[k[0]] else np.full(self.n, np.nan) for k, v in self.sums.items()}
        return Cycle(np.linspace(0, 1, self.n), mean["sd"], mean["sa"], mean["ld"], mean["la"], mean["rd"], mean["ra"],
                     self.counts["s"], self.counts["l"], self.counts["r"])


def step_metrics(c: dict, pp: Prepared, p: Preset, u: int, fsu: float, signals: dict, up_ref, cyc) -> dict:
    """Per-step columns of one bout (``c``: its events and axes; ``signals``: upsampled by ``u``)."""
    seg, fs = pp.seg, pp.seg.fs
    ap, ml = c["ap"], c["ml"]
    av_u, sfi_u, sfb_u, sf_u, yaw = (signals[k] for k in ("av_u", "sfi_u", "sfb_u", "sf_u", "yaw"))
    bl = pp.blocks
    ic, to, tc, t_h, pk = c["ic"], c["to"], c["tc"], c["t_h"], c["pk"]
    k = ic.size
    running = c["kind"] == _bouts.RUN
    lo, hi = local_range(c["a"], c["b"], fs, seg.n)
    a_ml = seg.acc[lo:hi] @ ml  # only around this bout: per-bout work stays O(bout length)
    # side from the stance ML acceleration, parity re-derived after a missed/extra step
    if running:
        feat = _steps.interval_means(a_ml, ic * fs - lo, to * fs - lo)
    else:
        half = p.side_window_s * fs
        feat = _steps.interval_means(a_ml, pk - half - lo, pk + half - lo)
    # per-step measurement windows touching a bridged gap are NaN (nothing measured from filled samples)
    gaps, margin = seg.gaps, p.gap_margin_s * fs
    step_time = np.append(np.diff(ic), np.nan)
    step_gap = np.append(overlaps_gap(gaps, ic[:-1] * fs, ic[1:] * fs, 0.0), False)  # a strike may hide in it
    step_time[step_gap] = np.nan
    run_id = _steps.parity_runs(np.append(np.diff(pk), np.nan) / fs, p.step_time_tolerance)
    side = _steps.assign_sides(feat, run_id)
    # vertical oscillation: cycles between consecutive mid-stance peaks
    vo = np.full(k, np.nan)
    if k >= 2:
        per = np.diff(pk) / fs
        z = _metrics.periodic_displacement(_metrics.cycle_matrix(av_u, pk[:-1] * u, pk[1:] * u, p.cycle_points), per)
        vo[:-1] = np.where(overlaps_gap(gaps, pk[:-1], pk[1:], margin), np.nan, 100.0 * (z.max(axis=1) - z.min(axis=1)))
    # stride-long cycles: lateral sway and trunk rotation
    sway = np.full(k, np.nan)
    rot = np.full(k, np.nan)
    if k >= 3:
        per2 = (pk[2:] - pk[:-2]) / fs
        zml = _metrics.periodic_displacement(_metrics.cycle_matrix(a_ml * G, pk[:-2] - lo, pk[2:] - lo, p.cycle_points), per2)
        stride_gap = overlaps_gap(gaps, pk[:-2], pk[2:], margin)
        sway[:-2] = np.where(stride_gap, np.nan, 100.0 * (zml.max(axis=1) - zml.min(axis=1)))
        if yaw is not None:
            rot[:-2] = _metrics.detrended_range(_metrics.cycle_matrix(yaw, bl.index(pk[:-2]), bl.index(pk[2:]),
                                                                      p.cycle_points))
            rot[:-2][stride_gap] = np.nan
    # impact: stance window when running, else ±1/4 step around mid-stance
    if running:
        w0, w1 = ic * fsu, to * fsu
    else:
        w0, w1 = (pk / fs - 0.25 * c["step_s"]) * fsu, (pk / fs + 0.25 * c["step_s"]) * fsu
    stance_gap = overlaps_gap(gaps, w0 / u, w1 / u, margin)
    w0, w1 = np.where(stance_gap, np.nan, w0), np.where(stance_gap, np.nan, w1)
    width = int(np.ceil(np.nanmax(np.append(w1 - w0, 1.0)))) + 2 if np.isfinite(w1 - w0).any() else 2
    impact, ipk = _metrics.window_max(sfi_u, w0, w1, width)
    bounce, _ = _metrics.window_max(sfb_u, w0, w1, width)
    slope = _metrics.max_slope(sfi_u, fsu, w0, ipk.astype(float), width) if running else np.full(k, np.nan)
    # forward lean relative to the upright reference, from "up" averaged over the stride (with a gyro
    # "up" follows the trunk's pitch oscillation; one sample would pick a phase of it)
    lean = np.full(k, np.nan)
    if up_ref is not None and k >= 3:
        blo, bhi = lo // bl.d, hi // bl.d + 1
        up_loc = bl.up[blo:bhi]
        s0, s1 = bl.index(pk[:-2]) - blo, bl.index(pk[2:]) - blo
        mean_up = np.column_stack([_steps.interval_means(up_loc[:, j], s0, s1) for j in range(3)])
        lean[:-2] = _orientation.lean_deg(mean_up, up_ref, ap)
    if running and k >= 3:
        add_cycles(cyc, av_u, sf_u, ic * fsu, fsu, side, ~overlaps_gap(gaps, ic[:-1] * fs, ic[1:] * fs, margin))
    flight = step_time - tc
    # heel-strike transient (NaN below 100 Hz) and the left/right pulse-shape check; gapped stances excluded
    transient = (_metrics.bout_impact_transient(pp.sf, fs, lo, hi, w0 / fsu, w1 / fsu, p) if running
                 else np.full(k, np.nan))
    shape = _symmetry.side_shape_difference(sfi_u, w0, w1, side) if running else np.nan
    return {
        "time_s": seg.t0 + ic,
        "side": side,
        "bout": np.full(k, c["bout"], dtype=int),
        "bout_kind": np.full(k, _bouts.KINDS[c["kind"]], dtype="<U5"),
        "step_time_s": step_time,
        "cadence_spm": 60.0 / step_time,
        "vertical_oscillation_cm": vo,
        "ground_contact_ms": 1000.0 * tc,
        "flight_ms": 1000.0 * flight,
        "duty_factor": tc / (2.0 * step_time),
        "impact_g": impact,
        "impact_slope_g_per_s": slope,
        "impact_transient_g": transient,
        "bounce_g": bounce,
        "trunk_rotation_deg": rot,
        "forward_lean_deg": lean,
        "lateral_sway_cm": sway,
        "toe_off_s": seg.t0 + to,
        "time_above_half_g_ms": 1000.0 * t_h,
        "lr_pulse_shape_diff": np.full(k, shape),
    }


def add_cycles(cyc: CycleAccumulator, av_u, sf_u, icu, fsu, side, step_ok) -> None:
    """Average displacement and acceleration over strides starting at a left strike and over steps
    (``step_ok``: per step interval, False where it touches a bridged gap)."""
    n = cyc.n
    ok = np.isfinite(icu)
    step_ok = np.append(step_ok, False)
    for key, first, span in (("l", "L", 1), ("r", "R", 1), ("s", "L", 2)):
        clean = step_ok[:-span] if span == 1 else step_ok[:-2] & step_ok[1:-1]
        i = np.flatnonzero((side[:-span] == first) & ok[:-span] & ok[span:] & clean)
        if span == 2:
            i = i[side[i + 1] == "R"]
        if i.size == 0:
            continue
        b0, b1 = icu[i], icu[i + span]
        z = _metrics.periodic_displacement(_metrics.cycle_matrix(av_u, b0, b1, n), (b1 - b0) / fsu)
        cyc.add(key, 100.0 * (z - z.mean(axis=1, keepdims=True)), _metrics.cycle_matrix(sf_u, b0, b1, n))


def concat_steps(parts: list[dict]) -> dict[str, np.ndarray]:
    if not parts:
        return empty_steps()
    return {c: np.concatenate([pt[c] for pt in parts]) for c in STEP_COLUMNS}
