"""``analyze(recording)``: the whole pipeline, one continuous segment at a time.

timebase (``_timebase``: segments on uniform grids) -> stage 1 (``_stage1_prepare``: gravity frame,
vertical signal, bout labels) -> stage 2 (``_stage2_events``: steps, contacts and axes per bout) ->
stage 3 (``_stage3_step_metrics``: per-step columns) -> summaries (``_summary``, here) -> flags
(``analysis.flags``). Each stage returns a typed record and changes nothing it was given.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from runform.sensors.errors import RunformError
from runform.sensors.recording import Recording
from runform.sensors.units import RUNNING_SPEED_RANGE_MPS

from . import _bouts, _summary, placement as _placement, side_channels as _side, speed as _speed
from ._blas import one_blas_thread
from ._preset import DEFAULT, Preset
from ._session import Bout, Session, Signals
from ._stage1_prepare import Prepared, prepare, upright_reference
from ._stage2_events import SegmentEvents, find_events
from ._average_cycle import CycleAccumulator
from ._stage3_step_metrics import concat_steps, segment_step_metrics
from ._timebase import split_segments
from ._timing import EVENTS, FLAGS, PLOT_SIGNALS, PREPARE, STEP_METRICS, SUMMARIES, TIMEBASE, no_timing
from .flags import FORM_CUE_DISCLAIMER, evaluate_flags
from .trend import session_trend


SCHEMA = "runform.summary/1"


class AnalysisError(RunformError):
    """The recording cannot be analysed at all (no samples, non-finite values)."""


def _signals(prep: list[Prepared], found: list[SegmentEvents], preset: Preset) -> Signals:
    """Plotting signals: the vertical specific force and the bout label (after the run-edge trim),
    decimated to about ``preset.signals_rate_hz``."""
    ts, vs, ks = [], [], []
    rate = preset.signals_rate_hz
    for prepared, events in zip(prep, found):
        fs = prepared.seg.fs
        d = max(1, int(round(fs / preset.signals_rate_hz)))
        rate = fs / d
        # 8 Hz: anti-alias for ~25 Hz; decimated before anything else (no full-rate temporaries)
        v = (prepared.bounce_g if d > 1 else prepared.vertical_g)[::d]
        ts += [prepared.seg.t0 + np.arange(0, prepared.seg.n, d) / fs, [np.nan]]
        vs += [np.where(prepared.seg.observed(d), v, np.nan), [np.nan]]
        ks += [np.asarray(_bouts.KINDS)[events.labels[::d]], [""]]
    if not ts:
        return Signals(np.empty(0), np.empty(0), np.empty(0, dtype="<U5"), rate)
    return Signals(np.concatenate(ts[:-1]), np.concatenate(vs[:-1]), np.concatenate(ks[:-1]).astype("<U5"), rate)


#: the ``Bout`` fields filled from its steps' group summary (all but kind, start and end, and the heart rate,
#: which comes from the strap's side channels: ``_heart_rate``)
BOUT_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(Bout)
                            if f.name not in ("kind", "start_s", "end_s", "heart_rate_bpm"))


def _summarised_bout(bout: Bout, steps: dict, idx: int, trim_sel: np.ndarray) -> Bout:
    """``bout`` with its steps' medians (unchanged when it has no steps)."""
    sel = steps["bout"] == idx
    if not sel.any():
        return bout
    g = _summary.group_summary(steps, sel, trim_sel)
    return dataclasses.replace(bout, **{key: g[key] for key in BOUT_SUMMARY_FIELDS})


RUNNING_KEYS = ("seconds", "steps", "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "flight_ms",
                "duty_factor", "impact_g", "impact_slope_g_per_s", "impact_transient_g", "bounce_g",
                "trunk_rotation_deg", "forward_lean_deg", "lateral_sway_cm", "gct_balance_left_pct",
                "step_time_asymmetry_pct", "step_time_reference", "lr_pulse_shape_diff", "variability_cv_pct",
                "speed_mps", "step_length_m", "vertical_ratio_pct", "heart_rate_bpm", "heart_rate_drift_bpm")


def context(rec: Recording, placement: str | None, speed_mps: float | None, has_track: bool) -> dict:
    """``summary["context"]``: where the sensor was worn (``analysis.placement``; ``placement_source``
    "given" (``--mount``), "recording" (its metadata) or "assumed") and the running speed (m/s, None:
    unknown; ``speed_source`` "given", "recording" (given to ``runform record``), the runner's track ("track (GPX)"), a footpod's, or None), with the
    pace and the cadence beginners choose at it. ``has_track``: the runner's track has a speed
    (``side_channels.track_speed``)."""
    given = _placement.normalise(placement)
    if placement and given is None:
        raise AnalysisError(f"unknown placement {placement!r}; choose one of {', '.join(_placement.PLACEMENTS)}")
    recorded = _placement.normalise(rec.meta.placement)
    where, source = ((given, _placement.SOURCE_GIVEN) if given else (recorded, _placement.SOURCE_RECORDING) if recorded
                     else (_placement.ASSUMED, _placement.SOURCE_ASSUMED))
    if speed_mps is not None and not (np.isfinite(speed_mps) and RUNNING_SPEED_RANGE_MPS[0] <= speed_mps <= RUNNING_SPEED_RANGE_MPS[1]):
        raise AnalysisError(f"running speed {speed_mps} m/s is outside 0.5-12 m/s (1.8-43 km/h)")
    speed_source = None if speed_mps is None else _placement.SOURCE_GIVEN
    if speed_mps is None and rec.meta.speed_mps is not None and not has_track:
        # given to `runform record` (a treadmill), kept in the sidecar; a track given now wins over it
        speed_mps, speed_source = rec.meta.speed_mps, _placement.SOURCE_RECORDING
    return {"placement": where, "placement_source": source,
            "speed_mps": None if speed_mps is None else float(speed_mps),
            "speed_source": speed_source,
            "pace": _speed.pace_text(speed_mps) if speed_mps is not None else None,
            "expected_cadence_spm": _speed.expected_cadence_spm(speed_mps)}


def _measured_speed(rec: Recording, steps: dict, ctx: dict, track: _side.Channel | None):
    """Per-step running speed from a side channel (the runner's track, else a footpod recorded with the
    session: ``side_channels.running_speed``) when no speed was given; ``ctx`` then names it as the source.
    Returns the per-step speed, or the given one."""
    channel = _side.running_speed(rec.meta, track) if ctx["speed_mps"] is None else None
    if channel is None or not steps["time_s"].size:
        return ctx["speed_mps"]
    v = _side.at(channel, steps["time_s"])
    run = steps["bout_kind"] == "run"
    if not np.isfinite(v[run]).any():
        return None
    median = float(np.nanmedian(v[run]))
    ctx.update(speed_mps=median, speed_source=channel.source, pace=_speed.pace_text(median),
               expected_cadence_spm=_speed.expected_cadence_spm(median))
    return v


def _heart_rate(rec: Recording, bouts: list[Bout], summary: dict) -> list[Bout]:
    """Heart rate per bout, for running and walking, and its drift over the running (``side_channels``);
    returns the bouts with theirs."""
    hr = _side.heart_rate(rec.meta)
    summary["context"]["heart_rate_source"] = None if hr is None else hr.source
    spans = {kind: [(b.start_s, b.end_s) for b in bouts if b.kind == kind] for kind in ("run", "walk")}
    bouts = [dataclasses.replace(b, heart_rate_bpm=_side.median_over(hr, [(b.start_s, b.end_s)])) for b in bouts]
    summary["bouts"] = [b.to_dict() for b in bouts]
    summary["running"]["heart_rate_bpm"] = _side.median_over(hr, spans["run"])
    summary["running"]["heart_rate_drift_bpm"] = _side.drift_bpm(hr, spans["run"])
    summary["walking"]["heart_rate_bpm"] = _side.median_over(hr, spans["walk"])
    return bouts


def _context_notes(ctx: dict, notes: list[str]) -> None:
    if ctx["placement_source"] == _placement.SOURCE_ASSUMED:
        notes.append("where the sensor was worn is unknown: judged as a chest strap (give --mount to change it)")
    if ctx["speed_mps"] is None:
        notes.append("running speed unknown: step length and vertical ratio are not reported, and cadence and bounce "
                     "are compared with all runners at any speed (give --speed-kmh for a treadmill run)")


def _summarise_bouts(steps: dict, bouts: list[Bout], preset: Preset) -> list[Bout]:
    trim_sel = _summary.trimmed_mask(steps["bout"], preset.trim_steps)
    # steps come in bout order: each bout is summarised on its own slice (masks over every step per bout
    # made this O(bouts x steps): 6x from 1 h to 4 h)
    first = np.searchsorted(steps["bout"], np.arange(len(bouts)), "left")
    last = np.searchsorted(steps["bout"], np.arange(len(bouts)), "right")
    return [_summarised_bout(b, {k: v[first[i]:last[i]] for k, v in steps.items()}, i, trim_sel[first[i]:last[i]])
            for i, b in enumerate(bouts)]


def _summarise(rec: Recording, steps: dict, bouts: list[Bout], preset: Preset, notes: list[str]) -> dict:
    trim_sel = _summary.trimmed_mask(steps["bout"], preset.trim_steps)
    run_sel = steps["bout_kind"] == "run"
    walk_sel = steps["bout_kind"] == "walk"
    run_s = float(sum(b.duration_s for b in bouts if b.kind == "run"))
    walk_s = float(sum(b.duration_s for b in bouts if b.kind == "walk"))
    if run_sel.any():
        g = _summary.group_summary(steps, run_sel, trim_sel)
        running = {k: g.get(k) for k in RUNNING_KEYS}
        running["seconds"] = run_s
        running["trend"] = session_trend(steps)  # one definition, owned by analysis.trend
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
        "sample_rate_hz": rec.rate_hz,  # nominal where the metadata has one, else measured
        "has_gyro": rec.has_gyro,
        "bouts": [b.to_dict() for b in bouts],
        "running": running,
        "walking": walking,
        "flags": [],
        "notes": notes,
        "disclaimer": FORM_CUE_DISCLAIMER,  # the same text in every output (CLI, JSON, report)
    }


def _note_clipping(rec: Recording, preset: Preset, notes: list[str]) -> None:
    """Say so when the accelerometer range clipped (impact peaks and VO then read low)."""
    rng = rec.meta.acc_range_g
    if not rng:
        return
    level = preset.clip_fraction * rng
    if rec.acc.max() < level and -rec.acc.min() < level:  # two reductions, no (n, 3) temporaries
        return
    clipped = float(np.mean(np.any(np.abs(rec.acc) >= level, axis=1)))
    if clipped >= preset.clip_note_min:
        notes.append(f"the accelerometer clipped at its ±{rng:g} g range in {100 * clipped:.1f} % of samples: "
                     "impact and vertical oscillation read low")


#: per-step columns that a low sample rate cannot resolve, by the preset field of their minimum rate
RATE_LIMITED = {
    "contact_min_rate_hz": ("ground contact, flight time, duty factor and contact balance",
                            ("ground_contact_ms", "flight_ms", "duty_factor", "toe_off_s", "time_above_half_g_ms")),
    "impact_min_rate_hz": ("impact and its rise slope", ("impact_g", "impact_slope_g_per_s")),
}


def _blank_unresolvable(steps: dict, rate_hz: float | None, preset: Preset, notes: list[str]) -> dict[str, str]:
    """Set to NaN the step columns the sample rate cannot resolve (``RATE_LIMITED``), so the summary,
    bouts, steps CSV and report show them as not measured; returns ``{summary key: reason}`` and adds a
    note per group."""
    reasons: dict[str, str] = {}
    if not rate_hz:
        return reasons
    for field_name, (what, columns) in RATE_LIMITED.items():
        need = getattr(preset, field_name)
        if rate_hz >= need:
            continue
        reason = f"needs at least {need:g} Hz; this recording is {rate_hz:.3g} Hz"
        for c in columns:
            steps[c] = np.full(len(steps[c]), np.nan)
            reasons[c] = reason
        if "ground_contact_ms" in columns:
            reasons["gct_balance_left_pct"] = reason
        notes.append(f"{what}: not reported; {reason}")
    return {k: v for k, v in reasons.items() if k in RUNNING_KEYS}


def _check(rec: Recording) -> None:
    if len(rec) < 2:
        raise AnalysisError("the recording has fewer than 2 samples: nothing to analyse")
    if not np.all(np.isfinite(rec.acc)) or (rec.gyro is not None and not np.all(np.isfinite(rec.gyro))):
        raise AnalysisError("the recording contains NaN or infinite sensor values")
    if not np.all(np.diff(rec.time) > 0):
        raise AnalysisError("the recording's timestamps are not strictly increasing")


def analyze(recording: Recording, preset: Preset = DEFAULT, *, placement=None, speed_mps=None, stage_timer=None):
    """Analyse a recording: bouts, per-step running-form metrics, the summary and the flags (a ``Session``).

    ``preset``: the analysis parameters (``Preset``; ``DEFAULT.with_(name=value)`` changes some).
    ``placement`` (str): where the sensor was worn (``analysis.placement.PLACEMENTS``; default: the
    recording's metadata, else assumed chest); ``speed_mps`` (float): the running speed (a treadmill),
    applied to the running bouts (default: the track's in ``recording.meta.extra["track"]``, else a footpod's
    recorded in the sidecar, else unknown).
    Raises ``AnalysisError`` only when nothing can be analysed or the placement or speed is invalid; a
    recording that is too short or has no steps gives a Session whose summary says so
    (``summary["notes"]``). ``stage_timer`` (``StageTimer``): a callable
    that takes a stage name and returns a context manager entered around that stage (``StageTimes``
    sums wall seconds per stage; stage names: ``analysis._timing.STAGES``). BLAS runs on one thread meanwhile
    (``_blas``)."""
    with one_blas_thread():
        return _analyze(recording, preset, placement, speed_mps, stage_timer)


def _analyze(recording: Recording, preset: Preset, placement, speed_mps, stage_timer) -> Session:
    _check(recording)
    timer = stage_timer or no_timing
    notes: list[str] = []
    track_speed = _side.track_speed(recording.meta)  # read once: context() and _measured_speed() ask
    ctx = context(recording, placement, speed_mps, track_speed is not None)
    _note_clipping(recording, preset, notes)
    with timer(TIMEBASE):
        segments = split_segments(recording, preset.min_segment_s, preset.max_bridged_gap_s)
    if not segments:
        notes.append(f"too short: no continuous stretch of at least {preset.min_segment_s:g} s")
    with np.errstate(invalid="ignore", divide="ignore"):
        with timer(PREPARE):
            prep = [prepare(s, preset, timer) for s in segments]
        up_ref, no_lean = upright_reference(prep, preset)
        if no_lean and any((prepared.labels == _bouts.RUN).any() for prepared in prep):
            notes.append(no_lean)
        cycles = CycleAccumulator(preset.cycle_grid_points)
        found: list[SegmentEvents] = []
        parts, bouts = [], []
        ap_ref = None
        for prepared in prep:
            with timer(EVENTS):
                events = find_events(prepared, preset, len(bouts), ap_ref, timer)
            with timer(STEP_METRICS):
                parts += segment_step_metrics(prepared, events, preset, up_ref, cycles)
            found.append(events)
            bouts += events.bouts
            ap_ref = events.last_run_ap() if events.last_run_ap() is not None else ap_ref
        steps = concat_steps(parts)
        not_measured = _blank_unresolvable(steps, recording.rate_hz, preset, notes)
        _speed.add_step_columns(steps, _measured_speed(recording, steps, ctx, track_speed))
        if (steps["bout_kind"] == "run").any():
            _context_notes(ctx, notes)
        with timer(SUMMARIES):
            bouts = _summarise_bouts(steps, bouts, preset)
            summary = _summarise(recording, steps, bouts, preset, notes)
            summary["not_measured"] = not_measured
            summary["context"] = ctx
            bouts = _heart_rate(recording, bouts, summary)
    with timer(FLAGS):
        flags = evaluate_flags(summary, steps)
    summary["flags"] = flags
    with timer(PLOT_SIGNALS):
        signals = _signals(prep, found, preset)
    return Session(steps=steps, bouts=bouts, summary=summary, cycle=cycles.result(), signals=signals, flags=flags)
