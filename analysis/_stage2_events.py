"""Stage 2 of the pipeline, per segment: bouts, steps and their events.

Run bouts are trimmed to their steps with flight; each walk/run bout gets its mid-stance peaks, and
each running step its foot strike, toe-off and contact time (the contact-timing signal of
``_contact``); every bout gets its AP/ML axes and their sign. The result is a ``SegmentEvents``
record; stage 1's ``Prepared`` is not modified. Methods and sources: ``_steps``, ``_contact``,
``_orientation``.

Next: ``_stage3_step_metrics`` (the per-step columns).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import _bouts, _orientation, _steps
from ._contact import ContactSignal, local_range
from ._filters import lowpass
from ._preset import Preset
from ._session import Bout
from ._stage1_prepare import Prepared
from ._timebase import overlaps_gap
from ._timing import CONTACT_CROSSINGS, MIDSTANCE_PEAKS, RUN_EDGE_TRIM, StageTimer, no_timing


@dataclass(frozen=True)
class BoutEvents:
    """The steps of one walk or run bout of a segment.

    Sample indices are on the segment's grid; times in s from the segment start. Walking steps have
    no toe-off or contact (NaN): their strike is the mid-stance peak."""

    bout: int  # index into the session's (or live window's) bouts
    kind: int  # _bouts.WALK or _bouts.RUN
    start: int  # the bout's samples [start, end)
    end: int
    step_s: float  # the bout's typical step time (window cadence)
    midstance: np.ndarray  # mid-stance peak per step (fractional sample index)
    strike_s: np.ndarray  # foot strike (initial contact)
    toe_off_s: np.ndarray
    contact_s: np.ndarray  # NaN where not resolved
    above_threshold_s: np.ndarray  # time the contact pulse spends above the contact threshold
    ap: np.ndarray  # unit forward axis, sensor frame
    ml: np.ndarray  # unit left axis, sensor frame
    #: where the AP sign came from: "run" its own braking pattern, "nearest run" / "carried" a running
    #: bout's, "own" its own walking braking pattern
    ap_source: str

    @property
    def running(self) -> bool:
        return self.kind == _bouts.RUN


@dataclass(frozen=True)
class SegmentEvents:
    """Stage 2's result for one segment: bout labels after the run-edge trim, the bouts, and the
    events of every walk/run bout with at least two steps."""

    labels: np.ndarray
    bouts: tuple[Bout, ...]
    events: tuple[BoutEvents, ...]

    def last_run_ap(self) -> np.ndarray | None:
        """AP axis (sensor frame) of the segment's last running bout, or None."""
        aps = [e.ap for e in self.events if e.running]
        return aps[-1] if aps else None

    def bout_axes(self) -> dict[int, tuple[int, np.ndarray, str]]:
        """Bout id -> (kind, AP axis, where its sign came from)."""
        return {e.bout: (e.kind, e.ap, e.ap_source) for e in self.events}


def bout_step_s(prepared: Prepared, a: int, b: int) -> float:
    """Typical step time (s) of the bout [a, b): 60 / the median window cadence inside it."""
    fs = prepared.seg.fs
    inside = (prepared.window_centre_s * fs >= a) & (prepared.window_centre_s * fs < b)
    cadence = prepared.window_cadence_spm[inside]
    median = np.nanmedian(cadence) if np.isfinite(cadence).any() else np.nan
    return 60.0 / median if median > 0 else np.nan


def bout_peaks(step_g: np.ndarray, a: int, b: int, fs: float, step_s: float, preset: Preset) -> np.ndarray:
    """Mid-stance peaks of ``step_g`` (the step-detection low-pass) with their sample index in [a, b);
    searched with half a step of context either side so that a peak at the bout edge keeps its prominence."""
    if not np.isfinite(step_s):
        return np.empty(0)
    pad = int(0.5 * step_s * fs)
    lo, hi = max(0, a - pad), min(step_g.shape[0], b + pad)
    pk = _steps.midstance_peaks(step_g[lo:hi], fs, step_s, preset) + lo
    return pk[(pk >= a) & (pk < b)]


class BoutPeaks:
    """(step time, mid-stance peaks) of a bout [a, b), found once: the edge trim, the lever-arm fit
    and the step pass ask for the same bouts. The step-detection low-pass of the segment's vertical signal
    is made on the first call, inside the "mid-stance peaks" stage it belongs to (a segment without walking
    or running never makes it)."""

    def __init__(self, prepared: Prepared, preset: Preset, timer: StageTimer):
        self.prepared, self.preset, self.timer = prepared, preset, timer
        self.step_g: np.ndarray | None = None
        self._found: dict[tuple[int, int], tuple[float, np.ndarray]] = {}

    def __call__(self, a: int, b: int) -> tuple[float, np.ndarray]:
        if (a, b) not in self._found:
            with self.timer(MIDSTANCE_PEAKS):
                if self.step_g is None:
                    self.step_g = lowpass(self.prepared.vertical_g, self.prepared.seg.fs, self.preset.step_lowpass_hz)
                step_s = bout_step_s(self.prepared, a, b)
                peaks = bout_peaks(self.step_g, a, b, self.prepared.seg.fs, step_s, self.preset)
                peaks.flags.writeable = False  # ContactSignal caches the bout's crossings by this array's identity
                self._found[a, b] = step_s, peaks
        return self._found[a, b]


def dense_flight_step(contact: ContactSignal, pk: np.ndarray, step_s: float, a: int, b: int, preset: Preset,
                      from_end: bool = False) -> int | None:
    """Index of the first (``from_end``: last) step of the run bout [a, b) with flight whose ``edge_dense_steps``
    window (it and the next ones; ``from_end``: the previous ones) holds at least ``edge_dense_min`` steps with
    flight (``ContactSignal.resolved_chunks``), or None. Reads the bout's chunks from that end only until
    the answer is certain."""
    n_dense, need, k = preset.edge_dense_steps, preset.edge_dense_min, pk.size
    ok = np.zeros(k)
    known = 0  # steps whose flight is known, counted from the start (from_end: from the end)
    for i0, i1, part in contact.resolved_chunks(pk, step_s, a, b, from_end):
        ok[i0:i1] = part
        known += i1 - i0
        if not from_end:
            fwd = np.convolve(ok, np.ones(n_dense), "full")[n_dense - 1:]  # flight among this and next n-1
            final = k if known == k else max(0, known - n_dense + 1)  # fwd[i] no longer changes
            good = np.flatnonzero((ok[:final] > 0) & (fwd[:final] >= need))
            if good.size:
                return int(good[0])
        else:
            bwd = np.convolve(ok, np.ones(n_dense), "full")[:k]  # ... this and previous n-1
            first = 0 if known == k else k - known + n_dense - 1
            good = np.flatnonzero((ok[first:] > 0) & (bwd[first:] >= need))
            if good.size:
                return int(first + good[-1])
    return None


def trim_run_edges(labels: np.ndarray, fs: float, preset: Preset, peaks: BoutPeaks, contact: ContactSignal) -> np.ndarray:
    """Run bouts start at the first and end at the last step with a flight phase on both sides; returns
    the new labels (``labels`` is not modified).

    Steps at a run bout's edges without flight (a treadmill speeding up, the walk before) are walking:
    the samples up to the first "dense" flight step (``dense_flight_step``) join the neighbouring bout,
    keeping the one step before it (the first running step after a walk has no flight before it, so its
    contact is never resolved)."""
    labels = labels.copy()
    starts, ends, kinds = _bouts.runs(labels)
    for a, b, kind in zip(starts, ends, kinds):
        if kind != _bouts.RUN:
            continue
        step_s, pk = peaks(a, b)
        neighbour = labels[a - 1] if a > 0 else (labels[b] if b < labels.size else _bouts.WALK)
        if pk.size < preset.edge_dense_steps:
            labels[a:b] = neighbour
            continue
        first = dense_flight_step(contact, pk, step_s, a, b, preset)
        if first is None:  # no stretch of steps with flight: not running after all
            labels[a:b] = neighbour
            continue
        # the trimmed edge joins the neighbouring bout; at a segment edge (recording start/end, gap)
        # there is no neighbour and the partial step there stays in the run
        if a > 0:
            new_a = max(a, int(pk[first] - preset.edge_lead_steps * step_s * fs))
            labels[a:new_a] = labels[a - 1]
        if b < labels.size:
            last = dense_flight_step(contact, pk, step_s, a, b, preset, from_end=True)  # exists when ``first`` does
            new_b = min(b, int(np.ceil(pk[last] + 0.5 * step_s * fs)))
            labels[new_b:b] = labels[b]
        run = labels[a:b] == _bouts.RUN
        # what is left is too short to be a bout; a run filling the whole segment (a short treadmill
        # clip with flight phases) has no neighbour to join and stays a run
        whole = a == 0 and b == labels.size
        if run.sum() < preset.min_bout_s * fs and not whole:
            labels[a:b][run] = neighbour
            continue
        # only running is running: at a cadence people also walk at, the steps of what is left must leave
        # the ground for a while (stairs and a heavy-landing walk have the odd "flight" but contact near
        # the whole step time); above it no walk or stair gait exists, and the cadence is the evidence (a
        # 234 spm uphill sprint's contact is resolved in only half its steps at the sacrum)
        ra = a + int(np.argmax(run))
        rb = a + run.size - int(np.argmax(run[::-1]))
        r_step_s, r_pk = peaks(ra, rb)
        if (60.0 / r_step_s < preset.walk_max_cadence_spm
                and contact_fraction(contact, r_pk, r_step_s, ra, rb, preset) > preset.run_max_contact_frac):
            labels[ra:rb] = _bouts.WALK
    return labels


def run_contacts(contact: ContactSignal, pk: np.ndarray, step_s: float, a: int, b: int, local_step_s: np.ndarray,
                 preset: Preset, timer: StageTimer = no_timing):
    """(foot strike s, toe-off s, contact s, time above threshold s, touches a gap) of each step of the run
    bout [a, b) from its mid-stance peaks ``pk`` (fractional samples) and local step times (s); contact
    and time above threshold are NaN where the stance pulse has no flight on one side or touches a
    bridged gap. The contact is timed from the pulse's shorter half around its centre and the sine model
    (``_steps``)."""
    fs, fs_up = contact.fs, contact.fs_up
    with timer(CONTACT_CROSSINGS):
        up_i, down_i, mid_i, peak = contact.crossings(pk, step_s, a, b)
    # the side of the pulse that is longer over the bout carries a transient or a tail: time the
    # contact from the other half (a per-bout choice: a per-step min() would be biased low)
    rising, falling = mid_i - up_i, down_i - mid_i
    longer_rise = np.nanmedian(rising - falling) if np.isfinite(rising - falling).any() else 0.0
    above = 2.0 * (falling if longer_rise > 0 else rising) / fs_up
    centre = mid_i / fs_up
    # a stance pulse touching a bridged gap is not timed from filled samples (strike from mid-stance)
    gapped = overlaps_gap(contact.gaps, up_i / contact.up_factor, down_i / contact.up_factor, preset.gap_margin_s * fs)
    above = np.where(gapped, np.nan, above)
    tc = _steps.contact_from_peak(above, peak, preset.contact_threshold_g, local_step_s)
    strike = centre - 0.5 * tc
    # a step whose contact cannot be resolved (no flight on one side, e.g. the first step out of a
    # walk): strike = its mid-stance time minus the bout's median mid-stance-to-strike offset
    lead = np.nanmedian(pk / fs - strike) if np.isfinite(strike).any() else 0.0
    strike = np.where(np.isfinite(strike), strike, pk / fs - lead)
    return strike, strike + tc, tc, above, gapped


def contact_fraction(contact: ContactSignal, pk: np.ndarray, step_s: float, a: int, b: int, preset: Preset) -> float:
    """Median over the observed steps (not touching a bridged gap) of the run bout [a, b) of contact /
    step time, a step without a flight phase counting as 1. Running has a flight phase every step (duty
    factor t_c / 2T < 0.5; Novacheck 1998, doi:10.1016/S0966-6362(97)00038-6), which keeps it well
    below 1; stairs and brisk or downhill walking with a heavy landing (which can pass the bounce-level
    flight test of ``_bouts.classify_windows``) hold it near 1."""
    if pk.size < 2:
        return 1.0
    local_step_s = np.gradient(pk) / contact.fs
    _, _, tc, _, gapped = run_contacts(contact, pk, step_s, a, b, local_step_s, preset)
    if gapped.all():
        return 0.0  # nothing observed to judge by
    return float(np.median(np.where(np.isfinite(tc), np.minimum(tc / local_step_s, 1.0), 1.0)[~gapped]))


def _running_steps(contact: ContactSignal, preset: Preset, pk: np.ndarray, step_s: float, a: int, b: int,
                   timer: StageTimer):
    """(midstance, strike, toe-off, contact, time above threshold) of a run bout's steps (s from the
    segment start); a strike before the segment's first sample was not recorded (a clip that starts in
    stance) and its step is dropped."""
    local_step_s = np.gradient(pk) / contact.fs
    strike, toe_off, tc, above, _ = run_contacts(contact, pk, step_s, a, b, local_step_s, preset, timer)
    keep = strike >= 0.0
    if 2 <= keep.sum() < pk.size:
        return tuple(v[keep] for v in (pk, strike, toe_off, tc, above))
    return pk, strike, toe_off, tc, above


def _bout_axes(prepared: Prepared, a: int, b: int, step_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Unsigned AP and ML axes of the bout [a, b) from its block means."""
    blocks = prepared.blocks
    ba, bb = a // blocks.d, max(a // blocks.d + 1, b // blocks.d)  # the bout's blocks
    up_mean = np.ones(bb - ba) @ blocks.up[ba:bb] / (bb - ba)  # BLAS: 20x faster than .mean(axis=0) on (n, 3)
    return _orientation.horizontal_axes(blocks.acc_means(prepared.seg.acc, ba, bb), up_mean, int(round(step_s * blocks.fs)))


def _bout_events(prepared: Prepared, preset: Preset, contact: ContactSignal, peaks: BoutPeaks, bout: int, kind: int,
                 a: int, b: int, timer: StageTimer) -> BoutEvents | None:
    """Events and axes of one walk/run bout (None with fewer than two steps); a run bout's AP sign is
    its own braking pattern, a walking bout's is settled by ``_orient_walking``."""
    seg, fs = prepared.seg, prepared.seg.fs
    step_s, pk = peaks(a, b)
    if pk.size < 2:
        return None
    ap, ml = _bout_axes(prepared, a, b, step_s)
    if kind == _bouts.RUN:
        pk, strike, toe_off, tc, above = _running_steps(contact, preset, pk, step_s, a, b, timer)
        lo, hi = local_range(a, b, fs, seg.n)
        if _steps.braking_score(seg.acc[lo:hi] @ ap, strike * fs - lo, toe_off * fs - lo) > 0:
            ap, ml = -ap, -ml
        return BoutEvents(bout, kind, a, b, step_s, pk, strike, toe_off, tc, above, ap, ml, "run")
    toe_off, contact_s, above = (np.full(pk.size, np.nan) for _ in range(3))
    return BoutEvents(bout, kind, a, b, step_s, pk, pk / fs, toe_off, contact_s, above, ap, ml, "")


def _orient_walking(events: list[BoutEvents], prepared: Prepared, preset: Preset,
                    ap_ref: np.ndarray | None) -> list[BoutEvents]:
    """Walking bouts take their AP sign from the nearest running bout, else from the last one seen before
    (``ap_ref``), else from their own braking pattern."""
    seg, fs = prepared.seg, prepared.seg.fs
    runs = [e for e in events if e.running]
    out = []
    for e in events:
        if e.running:
            out.append(e)
            continue
        if runs:
            ref = min(runs, key=lambda r: abs(r.strike_s[0] - e.strike_s[0])).ap
            flip, source = float(e.ap @ ref) < 0, "nearest run"
        elif ap_ref is not None:
            flip, source = float(e.ap @ ap_ref) < 0, "carried"
        else:
            half = preset.side_window_s * fs
            lo, hi = local_range(e.start, e.end, fs, seg.n)
            flip = _steps.braking_score(seg.acc[lo:hi] @ e.ap, e.midstance - half - lo, e.midstance + half - lo) > 0
            source = "own"
        out.append(replace(e, ap=-e.ap if flip else e.ap, ml=-e.ml if flip else e.ml, ap_source=source))
    return out


def find_events(prepared: Prepared, preset: Preset, bout_offset: int, ap_ref: np.ndarray | None = None,
                timer: StageTimer = no_timing) -> SegmentEvents:
    """Stage 2 of one segment. ``bout_offset``: bouts found in earlier segments; ``ap_ref``: the AP axis
    (sensor frame) of the last running bout seen before this segment (or live window), the walking
    direction when the segment has no running bout of its own."""
    seg, fs = prepared.seg, prepared.seg.fs
    peaks = BoutPeaks(prepared, preset, timer)
    contact = ContactSignal(prepared.vertical_g, seg.acc, seg.gyro, fs, seg.gaps, prepared.blocks, preset)
    runs = [(a, b, peaks(a, b)[1]) for a, b, kind in zip(*_bouts.runs(prepared.labels)) if kind == _bouts.RUN]
    contact.fit_lever_arm(runs)
    with timer(RUN_EDGE_TRIM):
        labels = trim_run_edges(prepared.labels, fs, preset, peaks, contact)
    bouts: list[Bout] = []
    events: list[BoutEvents] = []
    for a, b, kind in zip(*_bouts.runs(labels)):
        bout = bout_offset + len(bouts)
        bouts.append(Bout(_bouts.KINDS[kind], seg.t0 + a / fs, seg.t0 + b / fs))
        if kind != _bouts.STAND:
            found = _bout_events(prepared, preset, contact, peaks, bout, kind, a, b, timer)
            if found is not None:
                events.append(found)
    return SegmentEvents(labels, tuple(bouts), tuple(_orient_walking(events, prepared, preset, ap_ref)))
