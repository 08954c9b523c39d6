"""``analyze(recording)``: the whole pipeline, one continuous segment at a time.

timebase (_timebase) -> orientation (_orientation) -> bouts (_bouts) -> steps and contacts (_steps)
-> per-step metrics (_metrics) -> summaries (_summary) -> flags (analysis.flags).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sensors.errors import RunformError
from sensors.recording import Recording

from . import _bouts, _metrics, _orientation, _steps, _summary, _symmetry
from ._contact import ContactSignal, local_range
from ._filters import lowpass, upsample, upsample_factor
from ._preset import DEFAULT, Preset
from ._session import STEP_COLUMNS, Bout, Cycle, Session, Signals, empty_steps
from ._timebase import Segment, overlaps_gap, sample_rate, split_segments

G = _metrics.G
SCHEMA = "runform.summary/1"


class AnalysisError(RunformError):
    """The recording cannot be analysed at all (no samples, non-finite values)."""


@dataclass
class _Prepared:
    seg: Segment
    up: np.ndarray
    blocks: _orientation.Blocks  # block means (>= 50 Hz) and "up" there: heading, lean, AP/ML axes
    sf: np.ndarray
    sf_bounce: np.ndarray  # 8 Hz low-pass of sf
    labels: np.ndarray
    cadence_win: np.ndarray
    centre_win: np.ndarray
    #: per bout id: (kind, AP axis in the sensor frame, where its sign came from: "run" its own braking
    #: pattern, "nearest run" / "carried" a running bout's, "own" its own walking braking pattern)
    bout_axes: dict = field(default_factory=dict)

    def last_run_ap(self) -> np.ndarray | None:
        """AP axis (sensor frame) of the last running bout of this segment, or None."""
        aps = [ap for kind, ap, _ in self.bout_axes.values() if kind == _bouts.RUN]
        return aps[-1] if aps else None


def _prepare(seg: Segment, p: Preset) -> _Prepared:
    blocks = _orientation.gravity_blocks(seg.acc, seg.fs, seg.gyro, lowpass_hz=p.gravity_lowpass_hz,
                                         order=p.gravity_lowpass_order, tau_s=p.cf_tau_s)
    up = blocks.up_full(seg.n)
    sf = _orientation.vertical(seg.acc, up)
    sf_bounce = lowpass(sf, seg.fs, p.feature_lowpass_hz)
    feats = _bouts.window_features(sf_bounce, seg.acc, seg.fs, p)
    wl = _bouts.classify_windows(feats, p)
    wl = _bouts.smooth_labels(wl, p.smooth_windows, int(round(p.min_bout_s / p.hop_s)),
                            int(round(p.min_stand_bout_s / p.hop_s)))
    labels = _bouts.sample_labels(wl, seg.n, seg.fs, p)
    flight = sf_bounce < p.flight_sf_g
    step_s = 60.0 / np.nanmedian(feats.cadence_spm[wl == _bouts.RUN]) if (wl == _bouts.RUN).any() else 0.35
    labels = _bouts.refine_run_edges(labels, flight, seg.fs, p.edge_search_s, p.edge_margin_steps * step_s)
    return _Prepared(seg, up, blocks, sf, sf_bounce, labels, feats.cadence_spm, feats.centre_s)


def _upright_reference(prep: list[_Prepared]) -> np.ndarray | None:
    """Mean "up" while standing (else walking): the upright posture for forward lean (§5.3)."""
    for kind in (_bouts.STAND, _bouts.WALK):
        acc = [pp.seg.acc[(pp.labels == kind) & pp.seg.observed()] for pp in prep]
        acc = np.concatenate([a for a in acc if a.size] or [np.empty((0, 3))])
        if acc.shape[0] >= 1:
            v = acc.mean(axis=0)
            n = np.linalg.norm(v)
            if n > 0:
                return v / n
    return None


class _CycleAccumulator:
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


def _bout_step_s(pp: _Prepared, a: int, b: int) -> float:
    fs = pp.seg.fs
    inwin = (pp.centre_win * fs >= a) & (pp.centre_win * fs < b)
    cad = np.nanmedian(pp.cadence_win[inwin]) if np.isfinite(pp.cadence_win[inwin]).any() else np.nan
    return 60.0 / cad if cad > 0 else np.nan


def _bout_peaks(sf6: np.ndarray, a: int, b: int, fs: float, step_s: float, p: Preset) -> np.ndarray:
    """Mid-stance peaks with their sample index in [a, b); searched with half a step of context either
    side so that a peak at the bout edge keeps its prominence."""
    if not np.isfinite(step_s):
        return np.empty(0)
    pad = int(0.5 * step_s * fs)
    lo, hi = max(0, a - pad), min(sf6.shape[0], b + pad)
    pk = _steps.midstance_peaks(sf6[lo:hi], fs, step_s, p) + lo
    return pk[(pk >= a) & (pk < b)]


def _trim_run_edges(pp: _Prepared, p: Preset, peaks, contact: ContactSignal) -> None:
    """Run bouts start at the first and end at the last step with a flight phase on both sides.
    ``peaks(a, b)``: (step time s, mid-stance peaks) of the bout [a, b).

    Steps at a run bout's edges without flight (a treadmill speeding up, the walk before) are walking:
    the samples up to the first "dense" flight step (``edge_dense_min`` of it and the next steps
    resolved) join the neighbouring bout, keeping the one step before it (the first running step after a
    walk has no flight before it, so its contact is never resolved). Modifies ``pp.labels`` in place."""
    fs = pp.seg.fs
    starts, ends, kinds = _bouts.runs(pp.labels)
    n_dense, need = p.edge_dense_steps, p.edge_dense_min
    for a, b, kind in zip(starts, ends, kinds):
        if kind != _bouts.RUN:
            continue
        step_s, pk = peaks(a, b)
        neighbour = pp.labels[a - 1] if a > 0 else (pp.labels[b] if b < pp.labels.size else _bouts.WALK)
        if pk.size < n_dense:
            pp.labels[a:b] = neighbour
            continue
        ok = contact.resolved(pk, step_s, a, b).astype(float)
        fwd = np.convolve(ok, np.ones(n_dense), "full")[n_dense - 1:]  # resolved among this and next n-1
        bwd = np.convolve(ok, np.ones(n_dense), "full")[: ok.size]  # ... this and previous n-1
        good_f = np.flatnonzero((ok > 0) & (fwd >= need))
        good_b = np.flatnonzero((ok > 0) & (bwd >= need))
        if good_f.size == 0:  # no stretch of steps with flight: not running after all
            pp.labels[a:b] = neighbour
            continue
        # the trimmed edge joins the neighbouring bout; at a segment edge (recording start/end, gap)
        # there is no neighbour and the partial step there stays in the run
        if a > 0:
            new_a = max(a, int(pk[good_f[0]] - p.edge_lead_steps * step_s * fs))
            pp.labels[a:new_a] = pp.labels[a - 1]
        if b < pp.labels.size:
            new_b = min(b, int(np.ceil(pk[good_b[-1]] + 0.5 * step_s * fs)))
            pp.labels[new_b:b] = pp.labels[b]
        run = pp.labels[a:b] == _bouts.RUN
        # what is left is too short to be a bout; a run filling the whole segment (a short treadmill
        # clip with flight phases) has no neighbour to join and stays a run
        whole = a == 0 and b == pp.labels.size
        if run.sum() < p.min_bout_s * fs and not whole:
            pp.labels[a:b][run] = neighbour


def _segment_steps(pp: _Prepared, p: Preset, up_ref, bout_offset: int, cyc: _CycleAccumulator,
                   ap_ref: np.ndarray | None = None):
    """Per-step columns and bouts of one segment. ``ap_ref``: the AP axis (sensor frame) of the last
    running bout seen before this segment (or live window), the walking direction when the segment has
    no running bout of its own."""
    seg, sf, fs = pp.seg, pp.sf, pp.seg.fs
    u = upsample_factor(fs, p.metric_rate_hz)
    fsu = fs * u
    lp_max = p.contact_lowpass_max_frac * fs
    sf6 = lowpass(sf, fs, p.step_lowpass_hz)
    found: dict[tuple[int, int], tuple[float, np.ndarray]] = {}

    def peaks(a: int, b: int) -> tuple[float, np.ndarray]:
        """(step time, mid-stance peaks) of the bout [a, b), found once (edge trim, lever arm, steps)."""
        if (a, b) not in found:
            step_s = _bout_step_s(pp, a, b)
            found[a, b] = step_s, _bout_peaks(sf6, a, b, fs, step_s, p)
        return found[a, b]

    contact = ContactSignal(sf, seg.acc, pp.up, seg.gyro, fs, seg.gaps, pp.blocks, p)
    contact.fit_lever_arm([(a, b, peaks(a, b)[1]) for a, b, kind in zip(*_bouts.runs(pp.labels)) if kind == _bouts.RUN])
    fsc = contact.fsc
    sfi_u = upsample(lowpass(sf, fs, min(p.impact_lowpass_hz, lp_max)), u)
    sfb_u = upsample(pp.sf_bounce if p.bounce_lowpass_hz == p.feature_lowpass_hz
                     else lowpass(sf, fs, min(p.bounce_lowpass_hz, lp_max)), u)
    sf_u = upsample(sf, u)
    av_u = (sf_u - 1.0) * G
    bl = pp.blocks
    yaw = None if bl.gyro is None else _orientation.yaw_angle_deg(bl.gyro, bl.up, bl.fs)  # at the block rate
    _trim_run_edges(pp, p, peaks, contact)
    starts, ends, kinds = _bouts.runs(pp.labels)
    cols: list[dict] = []
    bouts: list[Bout] = []
    for a, b, kind in zip(starts, ends, kinds):
        bout_id = bout_offset + len(bouts)
        bouts.append(Bout(_bouts.KINDS[kind], seg.t0 + a / fs, seg.t0 + b / fs))
        if kind == _bouts.STAND:
            continue
        step_s, pk = peaks(a, b)
        if pk.size < 2:
            continue
        k = pk.size
        T_loc = np.gradient(pk) / fs
        if kind == _bouts.RUN:
            up_i, down_i, mid_i, peak = contact.crossings(pk, step_s, a, b)
            if p.contact_halves == "shorter":
                # the side of the pulse that is longer over the bout carries a transient or a tail: time
                # the contact from the other half (a per-bout choice: a per-step min() would be biased low)
                left, right = mid_i - up_i, down_i - mid_i
                d = np.nanmedian(left - right) if np.isfinite(left - right).any() else 0.0
                t_h = 2.0 * (right if d > 0 else left) / fsc
                centre = mid_i / fsc
            else:
                t_h = (down_i - up_i) / fsc
                centre = 0.5 * (up_i + down_i) / fsc
            # a stance pulse touching a bridged gap is not timed from filled samples (strike from mid-stance)
            gapped = overlaps_gap(seg.gaps, up_i / contact.uc, down_i / contact.uc, p.gap_margin_s * fs)
            t_h = np.where(gapped, np.nan, t_h)
            tc = _steps.contact_from_peak(t_h, peak, p.contact_threshold_g, T_loc)
            ic = centre - 0.5 * tc
            # a step whose contact cannot be resolved (no flight on one side, e.g. the first step out of
            # a walk): strike = its mid-stance time minus the bout's median mid-stance-to-strike offset
            lead = np.nanmedian(pk / fs - ic) if np.isfinite(ic).any() else 0.0
            ic = np.where(np.isfinite(ic), ic, pk / fs - lead)
            to = ic + tc
            # a strike before the segment's first sample was not recorded (a clip that starts in stance)
            keep = ic >= 0.0
            if 2 <= keep.sum() < k:
                pk, ic, to, tc, t_h, T_loc = (v[keep] for v in (pk, ic, to, tc, t_h, T_loc))
                k = pk.size
        else:
            t_h = np.full(k, np.nan)
            tc = np.full(k, np.nan)
            ic = pk / fs
            to = np.full(k, np.nan)
        ba, bb = a // bl.d, max(a // bl.d + 1, b // bl.d)  # the bout's blocks
        up_mean = np.ones(bb - ba) @ bl.up[ba:bb] / (bb - ba)  # BLAS: 20x faster than .mean(axis=0) on (n, 3)
        ap, ml = _orientation.horizontal_axes(bl.acc[ba:bb], up_mean, int(round(step_s * bl.fs)))
        lo, hi = local_range(a, b, fs, seg.n)
        if kind == _bouts.RUN:
            a_ap = seg.acc[lo:hi] @ ap
            if _steps.braking_score(a_ap, ic * fs - lo, to * fs - lo) > 0:
                ap, ml = -ap, -ml
        cols.append(dict(ic=ic, to=to, tc=tc, t_h=t_h, pk=pk, kind=kind, bout=bout_id, a=a, b=b, step_s=step_s,
                         ap=ap, ml=ml))
    # walking bouts take their AP sign from the nearest running bout, else from the last one seen before
    # (``ap_ref``), else from their own braking pattern
    runs = [c for c in cols if c["kind"] == _bouts.RUN]
    for c in cols:
        if c["kind"] == _bouts.RUN:
            pp.bout_axes[c["bout"]] = (c["kind"], c["ap"], "run")
            continue
        if runs:
            ref = min(runs, key=lambda r: abs(r["ic"][0] - c["ic"][0]))["ap"]
            flip = float(c["ap"] @ ref) < 0
            source = "nearest run"
        elif ap_ref is not None:
            flip = float(c["ap"] @ ap_ref) < 0
            source = "carried"
        else:
            source = "own"
            half = p.side_window_s * fs
            lo, hi = local_range(c["a"], c["b"], fs, seg.n)
            flip = _steps.braking_score(seg.acc[lo:hi] @ c["ap"], c["pk"] - half - lo, c["pk"] + half - lo) > 0
        if flip:
            c["ap"], c["ml"] = -c["ap"], -c["ml"]
        pp.bout_axes[c["bout"]] = (c["kind"], c["ap"], source)
    signals = dict(av_u=av_u, sfi_u=sfi_u, sfb_u=sfb_u, sf_u=sf_u, yaw=yaw)
    return [_step_metrics(c, pp, p, u, fsu, signals, up_ref, cyc) for c in cols], bouts


def _step_metrics(c: dict, pp: _Prepared, p: Preset, u: int, fsu: float, signals: dict, up_ref, cyc) -> dict:
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
        _add_cycles(cyc, av_u, sf_u, ic * fsu, fsu, side, ~overlaps_gap(gaps, ic[:-1] * fs, ic[1:] * fs, margin))
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


def _add_cycles(cyc: _CycleAccumulator, av_u, sf_u, icu, fsu, side, step_ok) -> None:
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


def _concat_steps(parts: list[dict]) -> dict[str, np.ndarray]:
    if not parts:
        return empty_steps()
    return {c: np.concatenate([pt[c] for pt in parts]) for c in STEP_COLUMNS}


def _signals(prep: list[_Prepared], p: Preset) -> Signals:
    ts, vs, ks = [], [], []
    rate = p.signals_rate_hz
    for pp in prep:
        fs = pp.seg.fs
        d = max(1, int(round(fs / p.signals_rate_hz)))
        rate = fs / d
        v = np.where(pp.seg.observed(), pp.sf_bounce if d > 1 else pp.sf, np.nan)  # 8 Hz: anti-alias for ~25 Hz
        ts += [pp.seg.time[::d], [np.nan]]
        vs += [v[::d], [np.nan]]
        ks += [np.asarray(_bouts.KINDS)[pp.labels[::d]], [""]]
    if not ts:
        return Signals(np.empty(0), np.empty(0), np.empty(0, dtype="<U5"), rate)
    return Signals(np.concatenate(ts[:-1]), np.concatenate(vs[:-1]), np.concatenate(ks[:-1]).astype("<U5"), rate)


def _fill_bout(bout: Bout, steps: dict, idx: int, trim_sel: np.ndarray) -> None:
    sel = steps["bout"] == idx
    if not sel.any():
        return
    g = _summary.group_summary(steps, sel, trim_sel)
    bout.steps = g["steps"]
    for key in ("cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "flight_ms", "impact_g",
                "impact_transient_g", "trunk_rotation_deg", "gct_balance_left_pct"):
        setattr(bout, key, g[key])


RUNNING_KEYS = ("seconds", "steps", "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "flight_ms",
                "duty_factor", "impact_g", "impact_slope_g_per_s", "impact_transient_g", "bounce_g",
                "trunk_rotation_deg", "forward_lean_deg", "lateral_sway_cm", "gct_balance_left_pct",
                "step_time_asymmetry_pct", "step_time_reference", "lr_pulse_shape_diff", "variability_cv_pct")


def _reported_rate(rec: Recording) -> float | None:
    """``summary["sample_rate_hz"]``: the nominal rate when the metadata has one, else the timestamp
    rate over continuous stretches (``_timebase.sample_rate``; 1/median(dt) read 210 for Movesense's
    208 Hz with 1 ms timestamps)."""
    if rec.meta.nominal_rate_hz:
        return float(rec.meta.nominal_rate_hz)
    rate = sample_rate(rec.time)
    return rate if rate > 0 else None


def _summarise(rec: Recording, steps: dict, bouts: list[Bout], p: Preset, notes: list[str]) -> dict:
    trim_sel = _summary.trimmed_mask(steps["bout"], p.trim_steps)
    # steps come in bout order: each bout is summarised on its own slice (masks over every step per bout
    # made this O(bouts x steps): 6x from 1 h to 4 h)
    first = np.searchsorted(steps["bout"], np.arange(len(bouts)), "left")
    last = np.searchsorted(steps["bout"], np.arange(len(bouts)), "right")
    for i, b in enumerate(bouts):
        part = {k: v[first[i] : last[i]] for k, v in steps.items()}
        _fill_bout(b, part, i, trim_sel[first[i] : last[i]])
    run_sel = steps["bout_kind"] == "run"
    walk_sel = steps["bout_kind"] == "walk"
    run_s = float(sum(b.duration_s for b in bouts if b.kind == "run"))
    walk_s = float(sum(b.duration_s for b in bouts if b.kind == "walk"))
    if run_sel.any():
        g = _summary.group_summary(steps, run_sel, trim_sel)
        running = {k: g.get(k) for k in RUNNING_KEYS}
        running["seconds"] = run_s
        running["trend"] = _session_trend(steps)
        if g.get("lr_note"):
            notes.append(g["lr_note"])
    else:
        running = {k: None for k in RUNNING_KEYS}
        running.update(seconds=run_s, steps=0, trend=None)
        notes.append("no running found in this recording")
    walking = {"seconds": walk_s, "steps": int(walk_sel.sum()),
               "cadence_spm": _summary.cadence_of(steps["time_s"][walk_sel], steps["bout"][walk_sel])}
    if not walk_sel.any() and not run_sel.any():
        notes.append("no steps found")
    return {
        "schema": SCHEMA,
        "duration_s": rec.duration_s,
        "sample_rate_hz": _reported_rate(rec),
        "has_gyro": rec.has_gyro,
        "bouts": [b.to_dict() for b in bouts],
        "running": running,
        "walking": walking,
        "flags": [],
        "notes": notes,
        "disclaimer": _disclaimer(),
    }


def _disclaimer() -> str:
    """The one "form cues, not a diagnosis" text (``analysis.flags.FORM_CUE_DISCLAIMER``), carried in the
    summary so that every output (CLI, JSON, report) says the same."""
    from .flags import FORM_CUE_DISCLAIMER

    return FORM_CUE_DISCLAIMER


def _session_trend(steps: dict):
    """First vs last running minutes, cadence-adjusted: one definition, owned by ``analysis.flags``
    (its docstring has the schema), so the summary, the flags and the report agree."""
    try:
        from .flags import session_trend
    except ImportError:
        return None
    return session_trend(steps)


def _evaluate_flags(summary: dict, steps: dict) -> list[dict]:
    try:
        from .flags import evaluate_flags
    except ImportError:  # analysis/flags.py is written in parallel; absent -> no flags yet
        return []
    return list(evaluate_flags(summary, steps))


def _note_clipping(rec: Recording, p: Preset, notes: list[str]) -> None:
    """Say so when the accelerometer range clipped (impact peaks and VO then read low, §9.1)."""
    rng = rec.meta.acc_range_g
    if not rng:
        return
    level = p.clip_fraction * rng
    if rec.acc.max() < level and -rec.acc.min() < level:  # two reductions, no (n, 3) temporaries
        return
    clipped = float(np.mean(np.any(np.abs(rec.acc) >= level, axis=1)))
    if clipped >= p.clip_note_min:
        notes.append(f"the accelerometer clipped at its ±{rng:g} g range in {100 * clipped:.1f} % of samples: "
                     "impact and vertical oscillation read low")


def _check(rec: Recording) -> None:
    if len(rec) < 2:
        raise AnalysisError("the recording has fewer than 2 samples: nothing to analyse")
    if not np.all(np.isfinite(rec.acc)) or (rec.gyro is not None and not np.all(np.isfinite(rec.gyro))):
        raise AnalysisError("the recording contains NaN or infinite sensor values")
    if not np.all(np.diff(rec.time) > 0):
        raise AnalysisError("the recording's timestamps are not strictly increasing")


def analyze(recording: Recording, preset: Preset = DEFAULT) -> Session:
    """Analyse a recording: bouts, per-step running-form metrics, the summary and the flags.

    Raises ``AnalysisError`` only when nothing can be analysed; a recording that is too short or has no
    steps gives a Session whose summary says so (``summary["notes"]``)."""
    _check(recording)
    p = preset
    notes: list[str] = []
    _note_clipping(recording, p, notes)
    segments = split_segments(recording, p.min_segment_s, p.max_bridged_gap_s)
    if not segments:
        notes.append(f"too short: no continuous stretch of at least {p.min_segment_s:g} s")
    with np.errstate(invalid="ignore", divide="ignore"):
        prep = [_prepare(s, p) for s in segments]
        up_ref = _upright_reference(prep)
        cyc = _CycleAccumulator(p.cycle_grid_points)
        parts, bouts = [], []
        ap_ref = None
        for pp in prep:
            cols, bts = _segment_steps(pp, p, up_ref, len(bouts), cyc, ap_ref)
            parts += cols
            bouts += bts
            ap_ref = pp.last_run_ap() if pp.last_run_ap() is not None else ap_ref
        steps = _concat_steps(parts)
        summary = _summarise(recording, steps, bouts, p, notes)
    flags = _evaluate_flags(summary, steps)
    summary["flags"] = flags
    return Session(steps=steps, bouts=bouts, summary=summary, cycle=cyc.result(), signals=_signals(prep, p), flags=flags)
