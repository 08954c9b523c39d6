"""One live analysis window: the batch stage functions of ``_pipeline`` run on the buffered samples.

No second implementation: the window goes through exactly the batch path (``split_segments`` ->
``_prepare.prepare`` (orientation, bouts) -> ``_bout_steps.segment_steps`` (steps, contacts, per-step
metrics)). Only the
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
from ._bout_steps import segment_steps
from ._prepare import Prepared, prepare, upright_reference
from ._step_metrics import CycleAccumulator, concat_steps
from ._preset import Preset
from ._session import Bout
from ._timebase import split_segments


@dataclass
class WindowResult:
    """Steps (``STEP_COLUMNS`` arrays, absolute stream times), bouts and the prepared segments."""

    steps: dict[str, np.ndarray]
    bouts: list[Bout]
    prepared: list[Prepared]
    ap_ref: np.ndarray | None = None  # AP axis (sensor frame) of the window's last running bout, else the one passed in

    def bout_axes(self) -> dict:
        """Window bout id -> (kind, AP axis, source of its sign), see ``_prepare.Prepared.bout_axes``."""
        return {k: v for pp in self.prepared for k, v in pp.bout_axes.items()}


def analyse_window(time: np.ndarray, acc: np.ndarray, gyro: np.ndarray | None, nominal_rate_hz: float | None,
                   preset: Preset, up_ref: np.ndarray | None, ap_ref: np.ndarray | None = None) -> WindowResult:
    """Run the batch stages on one buffer window (times in s from the stream start); ``ap_ref``: AP axis
    of the last running bout seen in earlier windows (None: not yet known)."""
    rec = Recording(time, acc, gyro, Metadata(nominal_rate_hz=nominal_rate_hz))
    with np.errstate(invalid="ignore", divide="ignore"):
        prep = [prepare(s, preset) for s in split_segments(rec, preset.min_segment_s, preset.max_bridged_gap_s)]
        ref = up_ref if up_ref is not None else upright_reference(prep, preset)[0]
        cycles = CycleAccumulator(preset.cycle_grid_points)  # the average cycle is a batch-only product
        parts, bouts = [], []
        for pp in prep:
            cols, bts = segment_steps(pp, preset, ref, len(bouts), cycles, ap_ref)
            parts += cols
            bouts += bts
            ap_ref = pp.last_run_ap() if pp.last_run_ap() is not None else ap_ref
    return WindowResult(concat_steps(parts), bouts, prep, ap_ref)


def upright_sums(prep: list[Prepared], t_from: float, t_to: float) -> dict[int, tuple[np.ndarray, int]]:
    """Sum and count of the raw specific force (g, sensor frame) per bout kind over ``(t_from, t_to]``.

    Accumulated over settled stretches these give the live upright reference (standing recognised as
    upright against walking, else running: ``_prepare.recognise_upright``), the streaming counterpart of
    ``_prepare.upright_reference``."""
    out = {}
    for kind in (_bouts.STAND, _bouts.WALK, _bouts.RUN):
        total, count = np.zeros(3), 0
        for pp in prep:
            t = pp.seg.time
            sel = (pp.labels == kind) & (t > t_from) & (t <= t_to) & pp.seg.observed()
            if sel.any():
                total += pp.seg.acc[sel].sum(axis=0)
                count += int(sel.sum())
        out[kind] = (total, count)
    return out
