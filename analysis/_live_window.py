"""One live analysis window: the batch stage functions of ``_pipeline`` run on the buffered samples.

No second implementation: the window goes through exactly the batch path (``split_segments`` ->
``_stage1_prepare.prepare`` (orientation, bouts) -> ``_stage2_events.find_events`` (steps, contacts) ->
``_stage3_step_metrics.segment_step_metrics`` (per-step metrics)). Only the
upright reference for forward lean differs: the batch path averages every standing sample of the whole
session, a live stream knows only the past, so the caller passes the reference gathered so far (else
the window's own, see ``upright_from_window``), and likewise the AP axis of the last running bout seen
(``ap_ref``), which gives walking bouts their direction (and so their left/right) in a window that
holds no running (the batch path takes it from the nearest running bout).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from runform.sensors.recording import Metadata, Recording

from . import _bouts
from ._preset import Preset
from ._session import Bout
from ._stage1_prepare import Prepared, prepare, upright_reference
from ._stage2_events import SegmentEvents, find_events
from ._average_cycle import CycleAccumulator
from ._stage3_step_metrics import concat_steps, segment_step_metrics
from ._timebase import split_segments


@dataclass
class WindowResult:
    """Steps (``STEP_COLUMNS`` arrays, absolute stream times), bouts, and each segment's stage 1 and
    stage 2 records."""

    steps: dict[str, np.ndarray]
    bouts: list[Bout]
    prepared: list[Prepared]
    events: list[SegmentEvents]
    ap_ref: np.ndarray | None = None  # AP axis (sensor frame) of the window's last running bout, else the one passed in

    def bout_axes(self) -> dict:
        """Window bout id -> (kind, AP axis, source of its sign), see ``SegmentEvents.bout_axes``."""
        return {k: v for found in self.events for k, v in found.bout_axes().items()}

    def upright_sums(self, t_from: float, t_to: float) -> dict[int, tuple[np.ndarray, int]]:
        """Sum and count of the raw specific force (g, sensor frame) per bout kind over ``(t_from, t_to]``.

        Accumulated over settled stretches these give the live upright reference (standing recognised as
        upright against walking, else running: ``_stage1_prepare.recognise_upright``), the streaming
        counterpart of ``_stage1_prepare.upright_reference``."""
        out = {}
        for kind in (_bouts.STAND, _bouts.WALK, _bouts.RUN):
            total, count = np.zeros(3), 0
            for prepared, found in zip(self.prepared, self.events):
                t = prepared.seg.time
                sel = (found.labels == kind) & (t > t_from) & (t <= t_to) & prepared.seg.observed()
                if sel.any():
                    total += prepared.seg.acc[sel].sum(axis=0)
                    count += int(sel.sum())
            out[kind] = (total, count)
        return out


def analyse_window(time: np.ndarray, acc: np.ndarray, gyro: np.ndarray | None, nominal_rate_hz: float | None,
                   preset: Preset, up_ref: np.ndarray | None, ap_ref: np.ndarray | None = None) -> WindowResult:
    """Run the batch stages on one buffer window (times in s from the stream start); ``ap_ref``: AP axis
    of the last running bout seen in earlier windows (None: not yet known)."""
    rec = Recording(time, acc, gyro, Metadata(nominal_rate_hz=nominal_rate_hz))
    with np.errstate(invalid="ignore", divide="ignore"):
        prep = [prepare(s, preset) for s in split_segments(rec, preset.min_segment_s, preset.max_bridged_gap_s)]
        ref = up_ref if up_ref is not None else upright_reference(prep, preset)[0]
        cycles = CycleAccumulator(preset.cycle_grid_points)  # the average cycle is a batch-only product
        found: list[SegmentEvents] = []
        parts, bouts = [], []
        for prepared in prep:
            events = find_events(prepared, preset, len(bouts), ap_ref)
            parts += segment_step_metrics(prepared, events, preset, ref, cycles)
            found.append(events)
            bouts += events.bouts
            ap_ref = events.last_run_ap() if events.last_run_ap() is not None else ap_ref
    return WindowResult(concat_steps(parts), bouts, prep, found, ap_ref)
