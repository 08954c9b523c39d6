"""Steps and bouts of one segment: mid-stance peaks per bout, run bouts trimmed to their steps with
flight, foot strike / toe-off / contact of running steps (``_contact``), the AP/ML axes and their sign
per bout; then the per-step columns (``_step_metrics``). Sources: algorithms.md §2.3, §4.1, §4.5, §1.2
(see ``_steps``)."""

from __future__ import annotations

import numpy as np

from . import _bouts, _metrics, _orientation, _steps
from ._contact import ContactSignal, local_range
from ._filters import lowpass, upsample, upsample_factor
from ._prepare import Prepared
from ._preset import Preset
from ._session import Bout
from ._step_metrics import CycleAccumulator, step_metrics
from ._timebase import overlaps_gap

G = _metrics.G


def bout_step_s(pp: Prepared, a: int, b: int) -> float:
    fs = pp.seg.fs
    inwin = (pp.centre_win * fs >= a) & (pp.centre_win * fs < b)
    cad = np.nanmedian(pp.cadence_win[inwin]) if np.isfinite(pp.cadence_win[inwin]).any() else np.nan
    return 60.0 / cad if cad > 0 else np.nan


def bout_peaks(sf6: np.ndarray, a: int, b: int, fs: float, step_s: float, p: Preset) -> np.ndarray:
    """Mid-stance peaks with their sample index in [a, b); searched with half a step of context either
    side so that a peak at the bout edge keeps its prominence."""
    if not np.isfinite(step_s):
        return np.empty(0)
    pad = int(0.5 * step_s * fs)
    lo, hi = max(0, a - pad), min(sf6.shape[0], b + pad)
    pk = _steps.midstance_peaks(sf6[lo:hi], fs, step_s, p) + lo
    return pk[(pk >= a) & (pk < b)]


def run_contacts(contact: ContactSignal, pk: np.ndarray, step_s: float, a: int, b: int, T_loc: np.ndarray,
                 gaps: np.ndarray, p: Preset):
    """(foot strike s, toe-off s, contact s, time above h s, touches a gap) of each step of the run bout
    [a, b) from its mid-stance peaks ``pk`` (fractional samples) and local step times ``T_loc`` (s); contact
    and time above h are NaN where the stance pulse has no flight on one side or touches a bridged gap
    (algorithms.md §4.1, §4.5)."""
    fs, fsc = contact.fs, contact.fsc
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
    gapped = overlaps_gap(gaps, up_i / contact.uc, down_i / contact.uc, p.gap_margin_s * fs)
    t_h = np.where(gapped, np.nan, t_h)
    tc = _steps.contact_from_peak(t_h, peak, p.contact_threshold_g, T_loc)
    ic = centre - 0.5 * tc
    # a step whose contact cannot be resolved (no flight on one side, e.g. the first step out of
    # a walk): strike = its mid-stance time minus the bout's median mid-stance-to-strike offset
    lead = np.nanmedian(pk / fs - ic) if np.isfinite(ic).any() else 0.0
    ic = np.where(np.isfinite(ic), ic, pk / fs - lead)
    return ic, ic + tc, tc, t_h, gapped


def contact_fraction(contact: ContactSignal, pk: np.ndarray, step_s: float, a: int, b: int, p: Preset) -> float:
    """Median over the observed steps (not touching a bridged gap) of the run bout [a, b) of contact /
    step time, a step without a flight phase counting as 1. Running has a flight phase every step (duty
    factor t_c / 2T < 0.5, algorithms.md §4, §7.1; Novacheck 1998, doi:10.1016/S0966-6362(97)00038-6),
    which keeps it well below 1; stairs and brisk or downhill walking with a heavy landing (which can pass
    the bounce-level flight test of ``_bouts.classify_windows``) hold it near 1."""
    if pk.size < 2:
        return 1.0
    T = np.gradient(pk) / contact.fs
    _, _, tc, _, gapped = run_contacts(contact, pk, step_s, a, b, T, contact.gaps, p)
    if gapped.all():
        return 0.0  # nothing observed to judge by
    return float(np.median(np.where(np.isfinite(tc), np.minimum(tc / T, 1.0), 1.0)[~gapped]))


def trim_run_edges(pp: Prepared, p: Preset, peaks, contact: ContactSignal) -> None:
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
            continue
        # only running is running: at a cadence people also walk at, the steps of what is left must leave
        # the ground for a while (stairs and a heavy-landing walk have the odd "flight" but contact near
        # the whole step time); above it no walk or stair gait exists, and the cadence is the evidence (a
        # 234 spm uphill sprint's contact is resolved in only half its steps at the sacrum)
        ra = a + int(np.argmax(run))
        rb = a + run.size - int(np.argmax(run[::-1]))
        r_step_s, r_pk = peaks(ra, rb)
        if (60.0 / r_step_s < p.walk_max_cadence_spm
                and contact_fraction(contact, r_pk, r_step_s, ra, rb, p) > p.run_max_contact_frac):
            pp.labels[ra:rb] = _bouts.WALK


def segment_steps(pp: Prepared, p: Preset, up_ref, bout_offset: int, cyc: CycleAccumulator,
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
            step_s = bout_step_s(pp, a, b)
            found[a, b] = step_s, bout_peaks(sf6, a, b, fs, step_s, p)
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
    trim_run_edges(pp, p, peaks, contact)
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
            ic, to, tc, t_h, _ = run_contacts(contact, pk, step_s, a, b, T_loc, seg.gaps, p)
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
    return [step_metrics(c, pp, p, u, fsu, signals, up_ref, cyc) for c in cols], bouts
