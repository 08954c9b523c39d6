"""Stage 3 of the pipeline, per segment: the per-step metric columns of each bout (vertical
oscillation, sway, trunk rotation, impact and its slope, bounce, forward lean, transient, side, L/R
pulse shape) and the sums of the session's average step cycle (``_average_cycle``), from the events
and axes of stage 2 (``_stage2_events.SegmentEvents``). Vectorised over steps on (steps x points) matrices (``_metrics``);
no loop over steps.

Next: the summaries (``_summary``, run by ``_pipeline``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from runform.sensors.units import STANDARD_GRAVITY as G

from . import _bouts, _metrics, _orientation, _steps, _symmetry
from ._average_cycle import BoutCycles, CycleAccumulator
from ._contact import local_range
from ._filters import lowpass, upsample_factor
from ._preset import Preset
from ._session import STEP_COLUMNS, empty_steps
from ._stage1_prepare import Prepared
from ._stage2_events import BoutEvents, SegmentEvents
from ._timebase import overlaps_gap
from ._upsampled import Upsampled


@dataclass(frozen=True)
class UpsampledSignals:
    """One segment's signals for the per-step metrics, band-limited-upsampled by ``factor`` to about
    ``preset.metric_rate_hz`` (``rate_hz``) so that peaks and cycle boundaries fall between samples; made a
    span at a time (``Upsampled``: a block of steps reads only what its windows cover, so no whole-segment
    upsampled copy is ever held: at 100 Hz each would be 2n samples)."""

    factor: int
    rate_hz: float
    impact_g: Upsampled  # vertical specific force low-passed for the impact peak
    bounce_g: Upsampled  # ... at the bounce corner (8 Hz)
    vertical_g: Upsampled  # unfiltered; less 1 g and times G, the vertical acceleration for displacement
    yaw_deg: np.ndarray | None  # heading angle at the block rate (not upsampled); None without a gyro


def upsampled_signals(prepared: Prepared, preset: Preset) -> UpsampledSignals:
    seg, fs = prepared.seg, prepared.seg.fs
    factor = upsample_factor(fs, preset.metric_rate_hz)
    corner_max = preset.contact_lowpass_max_frac * fs
    impact = Upsampled(lowpass(prepared.vertical_g, fs, min(preset.impact_lowpass_hz, corner_max)), factor)
    bounce = Upsampled(prepared.bounce_g if preset.bounce_lowpass_hz == preset.feature_lowpass_hz
                       else lowpass(prepared.vertical_g, fs, min(preset.bounce_lowpass_hz, corner_max)), factor)
    vertical = Upsampled(prepared.vertical_g, factor)
    blocks = prepared.blocks
    yaw = None if blocks.gyro is None else _orientation.yaw_angle_deg(blocks.gyro, blocks.up, blocks.fs)
    return UpsampledSignals(factor, fs * factor, impact, bounce, vertical, yaw)


@dataclass(frozen=True)
class _Spans:
    """The spans of a segment's ``UpsampledSignals`` that one block of steps reads, from sample ``origin``."""

    origin: int
    impact_g: np.ndarray
    bounce_g: np.ndarray
    vertical_g: np.ndarray


def _spans(signals: UpsampledSignals, *indices: np.ndarray) -> _Spans | None:
    """The spans covering the finite fractional upsampled ``indices`` (None if there are none)."""
    both = np.concatenate([np.ravel(i) for i in indices])
    both = both[np.isfinite(both)]
    if both.size == 0:
        return None
    first, last = float(both.min()), float(both.max())
    impact, origin = signals.impact_g.span(first, last)
    return _Spans(origin, impact, signals.bounce_g.span(first, last)[0], signals.vertical_g.span(first, last)[0])


def segment_step_metrics(prepared: Prepared, found: SegmentEvents, preset: Preset, up_ref: np.ndarray | None,
                         cycles: CycleAccumulator) -> list[dict[str, np.ndarray]]:
    """Stage 3 of one segment: the per-step columns (``STEP_COLUMNS``) of each bout's steps, in bout
    order; running strides are added to ``cycles`` (the session's average cycle)."""
    if not found.events:
        return []
    signals = upsampled_signals(prepared, preset)
    return [step_metrics(events, prepared, preset, signals, up_ref, cycles) for events in found.events]


def _vertical_oscillation(spans: _Spans, factor: int, pk: np.ndarray, rows: slice, fs: float, gap: np.ndarray,
                          preset: Preset) -> np.ndarray:
    """Peak-to-peak vertical displacement (cm) over the cycles from the mid-stance peaks ``pk[rows]`` to the
    next ones (``gap``: per cycle, True where it comes near a bridged gap)."""
    a, b = rows.start, min(rows.stop, pk.size - 1)
    if b <= a:
        return np.full(0, np.nan)
    # the displacement is linear in the acceleration: gravity off and g to m/s² per cycle block and on
    # the ranges, not as a whole upsampled copy of the segment
    z_range = _metrics.cycle_displacement_range(spans.vertical_g, pk[a:b] * factor, pk[a + 1 : b + 1] * factor,
                                                preset.cycle_points, np.diff(pk[a : b + 1]) / fs, offset=1.0,
                                                origin=spans.origin)
    return np.where(gap[a:b], np.nan, 100.0 * G * z_range)


def _stride_measures(acc_ml_g: np.ndarray, lo: int, signals: UpsampledSignals, blocks, pk: np.ndarray, fs: float,
                     gaps, margin: float, preset: Preset) -> tuple[np.ndarray, np.ndarray]:
    """Lateral sway (cm) and trunk rotation (deg) over the stride starting at each step."""
    sway, rotation = np.full(pk.size, np.nan), np.full(pk.size, np.nan)
    if pk.size >= 3:
        stride_s = (pk[2:] - pk[:-2]) / fs
        # the displacement is linear in the acceleration: g to m/s² on the ranges, not on the bout's samples
        z_range = _metrics.cycle_displacement_range(acc_ml_g, pk[:-2] - lo, pk[2:] - lo, preset.cycle_points, stride_s)
        stride_gap = overlaps_gap(gaps, pk[:-2], pk[2:], margin)
        sway[:-2] = np.where(stride_gap, np.nan, 100.0 * G * z_range)
        if signals.yaw_deg is not None:
            rotation[:-2] = _metrics.cycle_detrended_range(signals.yaw_deg, blocks.index(pk[:-2]),
                                                           blocks.index(pk[2:]), preset.cycle_points)
            rotation[:-2][stride_gap] = np.nan
    return sway, rotation


def _lateral_measures(events: BoutEvents, prepared: Prepared, preset: Preset, signals: UpsampledSignals, lo: int,
                      hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Side ("L"/"R"), lateral sway (cm) and trunk rotation (deg) of each step of one bout, from its
    mediolateral acceleration over the bout's samples [lo, hi) (made here and dropped on return: it is not
    held while the upsampled measures run)."""
    seg, fs = prepared.seg, prepared.seg.fs
    strike, pk = events.strike_s, events.midstance
    acc_ml = seg.acc[lo:hi] @ events.ml  # only around this bout: per-bout work stays O(bout length)
    # side from the stance ML acceleration, parity re-derived after a missed/extra step
    if events.running:
        stance_ml = _steps.interval_means(acc_ml, strike * fs - lo, events.toe_off_s * fs - lo)
    else:
        half = preset.side_window_s * fs
        stance_ml = _steps.interval_means(acc_ml, pk - half - lo, pk + half - lo)
    run_id = _steps.parity_runs(np.append(np.diff(pk), np.nan) / fs, preset.step_time_tolerance)
    side = _steps.assign_sides(stance_ml, run_id)
    sway, rotation = _stride_measures(acc_ml, lo, signals, prepared.blocks, pk, fs, seg.gaps,
                                      preset.gap_margin_s * fs, preset)
    return side, sway, rotation


def _forward_lean(blocks, lo: int, hi: int, pk: np.ndarray, up_ref: np.ndarray | None, ap: np.ndarray) -> np.ndarray:
    """Forward lean (deg) relative to the upright reference, from "up" averaged over the stride (with a
    gyro "up" follows the trunk's pitch oscillation; one sample would pick a phase of it)."""
    lean = np.full(pk.size, np.nan)
    if up_ref is not None and pk.size >= 3:
        first, last = lo // blocks.d, hi // blocks.d + 1
        up_local = blocks.up[first:last]
        s0, s1 = blocks.index(pk[:-2]) - first, blocks.index(pk[2:]) - first
        mean_up = np.column_stack([_steps.interval_means(up_local[:, j], s0, s1) for j in range(3)])
        lean[:-2] = _orientation.lean_deg(mean_up, up_ref, ap)
    return lean


def step_metrics(events: BoutEvents, prepared: Prepared, preset: Preset, signals: UpsampledSignals,
                 up_ref: np.ndarray | None, cycles: CycleAccumulator) -> dict[str, np.ndarray]:
    """Per-step columns of one bout (``STEP_COLUMNS``)."""
    seg, fs = prepared.seg, prepared.seg.fs
    factor, rate_u = signals.factor, signals.rate_hz
    strike, toe_off, tc, pk = events.strike_s, events.toe_off_s, events.contact_s, events.midstance
    k = strike.size
    running = events.running
    lo, hi = local_range(events.start, events.end, fs, seg.n)
    # per-step measurement windows touching a bridged gap are NaN (nothing measured from filled samples)
    gaps, margin = seg.gaps, preset.gap_margin_s * fs
    step_time = np.append(np.diff(strike), np.nan)
    step_gap = np.append(overlaps_gap(gaps, strike[:-1] * fs, strike[1:] * fs, 0.0), False)  # a strike may hide in it
    step_time[step_gap] = np.nan
    side, sway, rotation = _lateral_measures(events, prepared, preset, signals, lo, hi)
    # impact: stance window when running, else ±1/4 step around mid-stance
    if running:
        w0, w1 = strike * rate_u, toe_off * rate_u
    else:
        w0, w1 = (pk / fs - 0.25 * events.step_s) * rate_u, (pk / fs + 0.25 * events.step_s) * rate_u
    stance_gap = overlaps_gap(gaps, w0 / factor, w1 / factor, margin)
    w0, w1 = np.where(stance_gap, np.nan, w0), np.where(stance_gap, np.nan, w1)
    width = int(np.ceil(np.nanmax(np.append(w1 - w0, 1.0)))) + 2 if np.isfinite(w1 - w0).any() else 2
    lean = _forward_lean(prepared.blocks, lo, hi, pk, up_ref, events.ap)
    measured = _upsampled_measures(events, prepared, preset, signals, w0, w1, width, side, cycles)
    return {
        "time_s": seg.t0 + strike,
        "side": side,
        "bout": np.full(k, events.bout, dtype=int),
        "bout_kind": np.full(k, _bouts.KINDS[events.kind], dtype="<U5"),
        "step_time_s": step_time,
        "cadence_spm": 60.0 / step_time,
        "vertical_oscillation_cm": measured["vo"],
        "ground_contact_ms": 1000.0 * tc,
        "flight_ms": 1000.0 * (step_time - tc),
        "duty_factor": tc / (2.0 * step_time),
        "impact_g": measured["impact"],
        "impact_slope_g_per_s": measured["slope"],
        "impact_transient_g": measured["transient"],
        "bounce_g": measured["bounce"],
        "trunk_rotation_deg": rotation,
        "forward_lean_deg": lean,
        "lateral_sway_cm": sway,
        "toe_off_s": seg.t0 + toe_off,
        "time_above_half_g_ms": 1000.0 * events.above_threshold_s,
        "lr_pulse_shape_diff": np.full(k, measured["shape"]),
        # speed context (``analysis.speed``), filled by ``analyze`` when a running speed is known
        "speed_mps": np.full(k, np.nan),
        "step_length_m": np.full(k, np.nan),
        "vertical_ratio_pct": np.full(k, np.nan),
    }


def _upsampled_measures(events: BoutEvents, prepared: Prepared, preset: Preset, signals: UpsampledSignals,
                        w0: np.ndarray, w1: np.ndarray, width: int, side: np.ndarray,
                        cycles: CycleAccumulator) -> dict[str, np.ndarray | float]:
    """The measures of one bout read from the upsampled signals (vertical oscillation, impact, its slope
    and transient, bounce, the L/R pulse shapes; running strides into ``cycles``), a block of
    ``_metrics.ROWS_PER_BLOCK`` steps at a time on the spans of the signals that the block's cycles and
    stance windows (``w0``-``w1``, fractional upsampled indices; NaN near a gap) cover. Every row is
    computed from the same samples at the same indices as from whole-segment signals (bit for bit; the
    average cycle's block sums are grouped by step block, so it moves by rounding only)."""
    seg, fs = prepared.seg, prepared.seg.fs
    factor, rate_u = signals.factor, signals.rate_hz
    strike, pk, running = events.strike_s, events.midstance, events.running
    k = strike.size
    gaps, margin = seg.gaps, preset.gap_margin_s * fs
    lo, hi = local_range(events.start, events.end, fs, seg.n)
    vo_gap = overlaps_gap(gaps, pk[:-1], pk[1:], margin)
    out = {"vo": np.full(k, np.nan), "impact": np.empty(k), "bounce": np.empty(k), "slope": np.full(k, np.nan),
           "transient": np.full(k, np.nan)}
    impact_at = np.empty(k, dtype=np.int64)
    transient = _metrics.transient_signal(prepared.vertical_g, fs, lo, hi, preset) if running else None
    pulses = _symmetry.SidePulses(w0, w1, side) if running else None
    bout_cycles = None
    if running and k >= 3:
        bout_cycles = BoutCycles(strike * rate_u, rate_u, side, ~overlaps_gap(gaps, strike[:-1] * fs, strike[1:] * fs, margin),
                                 cycles.n)
    tc = w1 - w0
    for rows in _metrics.row_blocks(k):
        ahead = slice(rows.start, min(k, rows.stop + 2))  # the block's steps and the two after: its cycles and strides end there
        spans = _spans(signals, pk[ahead] * factor, strike[ahead] * rate_u if bout_cycles else [],
                       w0[rows] - _symmetry.SHAPE_MARGIN * tc[rows], w1[rows] + _symmetry.SHAPE_MARGIN * tc[rows],
                       w0[rows], w1[rows])
        if spans is None:
            out["impact"][rows], out["bounce"][rows], impact_at[rows] = np.nan, np.nan, -1
            continue
        vo = _vertical_oscillation(spans, factor, pk, rows, fs, vo_gap, preset)
        out["vo"][rows.start : rows.start + vo.size] = vo
        out["impact"][rows], impact_at[rows] = _metrics.window_max(spans.impact_g, w0[rows], w1[rows], width, spans.origin)
        out["bounce"][rows] = _metrics.window_max(spans.bounce_g, w0[rows], w1[rows], width, spans.origin)[0]
        if not running:
            continue
        out["slope"][rows] = _metrics.max_slope(spans.impact_g, rate_u, w0[rows], impact_at[rows].astype(float), width,
                                                spans.origin)
        if bout_cycles is not None:
            bout_cycles.add(spans.vertical_g, rows, spans.origin)
        # heel-strike transient (NaN below 100 Hz); gapped stances excluded
        out["transient"][rows] = _metrics.steps_impact_transient(transient, fs, lo, w0[rows] / rate_u, w1[rows] / rate_u,
                                                                 preset)
        if pulses.checked:
            pulses.add(spans.impact_g, rows, spans.origin)
    if bout_cycles is not None:
        bout_cycles.finish(cycles)
    # the left/right pulse-shape check
    out["shape"] = pulses.difference() if pulses is not None and pulses.checked else np.nan
    return out


def concat_steps(parts: list[dict]) -> dict[str, np.ndarray]:
    if not parts:
        return empty_steps()
    return {c: np.concatenate([pt[c] for pt in parts]) for c in STEP_COLUMNS}
