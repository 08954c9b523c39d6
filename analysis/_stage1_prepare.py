"""Stage 1 of the pipeline, per segment: the gravity frame ("up", on 50 Hz block means), the vertical
specific force and its 8 Hz "bounce" low-pass, and stand/walk/run labels per sample (window features,
smoothing, run edges moved to the flight phases). Methods and sources: ``_orientation`` and ``_bouts``.

Next: ``_stage2_events`` (steps, contacts and axes per bout)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _bouts, _orientation
from ._filters import lowpass
from ._preset import Preset
from ._timebase import Segment
from ._timing import BOUT_FEATURES, GRAVITY_FRAME, StageTimer, no_timing


@dataclass(frozen=True)
class Prepared:
    """One segment ready for step detection (arrays per grid sample unless stated)."""

    seg: Segment
    blocks: _orientation.Blocks  # block means (>= 50 Hz) and "up" there (at a sample: ``up_at``): heading, lean, AP/ML axes
    vertical_g: np.ndarray  # vertical specific force (g)
    bounce_g: np.ndarray  # its 8 Hz low-pass
    labels: np.ndarray  # _bouts.STAND / WALK / RUN; run edges at the flight phases, before stage 2's trim
    window_cadence_spm: np.ndarray  # per 2 s feature window
    window_centre_s: np.ndarray  # its centre, s from the segment start


def prepare(seg: Segment, preset: Preset, timer: StageTimer = no_timing) -> Prepared:
    """Stage 1 of one segment: gravity frame, vertical signal, bout labels."""
    with timer(GRAVITY_FRAME):
        blocks = _orientation.gravity_blocks(seg.acc, seg.fs, seg.gyro, lowpass_hz=preset.gravity_lowpass_hz,
                                             order=preset.gravity_lowpass_order, tau_s=preset.cf_tau_s)
    vertical_g = _orientation.vertical_from_blocks(seg.acc, blocks)
    bounce_g = lowpass(vertical_g, seg.fs, preset.feature_lowpass_hz)
    with timer(BOUT_FEATURES):
        feats = _bouts.window_features(bounce_g, seg.acc, seg.fs, preset)
    window_labels = _bouts.classify_windows(feats, preset)
    window_labels = _bouts.smooth_labels(window_labels, preset.smooth_windows, int(round(preset.min_bout_s / preset.hop_s)),
                                         int(round(preset.min_stand_bout_s / preset.hop_s)))
    labels = _bouts.sample_labels(window_labels, seg.n, seg.fs, preset)
    running = window_labels == _bouts.RUN
    if running.any():  # without running windows there is no run edge to move
        step_s = 60.0 / np.nanmedian(feats.cadence_spm[running])
        labels = _bouts.refine_run_edges(labels, bounce_g < preset.flight_sf_g, seg.fs, preset.edge_search_s,
                                         preset.edge_margin_steps * step_s)
    return Prepared(seg, blocks, vertical_g, bounce_g, labels, feats.cadence_spm, feats.centre_s)


def _unit(v: np.ndarray) -> np.ndarray | None:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else None


def _angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    return float(np.degrees(np.arccos(np.clip(u @ v, -1.0, 1.0))))


def recognise_upright(still: list[np.ndarray], walk: np.ndarray | None, run: np.ndarray | None,
                      preset: Preset) -> tuple[np.ndarray | None, str | None]:
    """The upright posture for forward lean, only from standing recognised as upright.

    ``still``: the summed specific force (g, sensor frame) of each still stretch; ``walk`` / ``run``: the
    summed specific force while walking / running (None: none). A still stretch is upright standing when
    its gravity direction is within ``preset.upright_walk_tol_deg`` of the walking posture (the trunk is near
    upright when walking, a few degrees forward), or, without walking, within ``preset.upright_run_tol_deg`` of
    the running posture (running lean is about 5-15°). Sitting, lying or a strap that slipped differ more.
    Returns (unit "up" in the sensor frame, None), or (None, the reason in one line)."""
    ups = [(u, v) for v in still if (u := _unit(v)) is not None]
    if not ups:
        return None, ("forward lean not measured: no standing still in the recording to take the upright posture "
                      "from (stand still for a few seconds before you start)")
    ref, tol, what = (walk, preset.upright_walk_tol_deg, "walking") if walk is not None else (run, preset.upright_run_tol_deg, "running")
    ref = _unit(ref) if ref is not None else None
    if ref is None:
        return _unit(sum(v for _, v in ups)), None
    angles = [_angle_deg(u, ref) for u, _ in ups]
    ok = [v for (_, v), a in zip(ups, angles) if a <= tol]
    if not ok:
        return None, (f"forward lean not measured: the still posture differs from {what} by {min(angles):.0f}° "
                      "(sitting, lying or a slipped strap), so it is not an upright standing reference")
    return _unit(sum(ok)), None


def upright_reference(prep: list[Prepared], preset: Preset) -> tuple[np.ndarray | None, str | None]:
    """The upright posture (``recognise_upright``) from the standing of the recording, judged in pieces of
    ``preset.hop_s`` (one still bout can hold sitting, then standing); the first and last piece of a still bout
    are left out (getting up or sitting down passes through upright)."""
    still, sums = [], {_bouts.WALK: np.zeros(3), _bouts.RUN: np.zeros(3)}
    for part in prep:
        obs = part.seg.observed()
        piece = max(1, int(round(preset.hop_s * part.seg.fs)))
        for a, b, kind in zip(*_bouts.runs(part.labels)):
            for lo in range(a + piece, b - piece, piece) if kind == _bouts.STAND else (a,):
                hi = min(b, lo + piece) if kind == _bouts.STAND else b
                sel = obs[lo:hi]
                if not sel.any():
                    continue
                # the same sum; a whole run bout's (n, 3) copy only when some of it is filled
                total = (part.seg.acc[lo:hi] if sel.all() else part.seg.acc[lo:hi][sel]).sum(axis=0)
                if kind == _bouts.STAND:
                    still.append(total)
                else:
                    sums[kind] = sums[kind] + total
    walk, run = (v if np.any(v) else None for v in (sums[_bouts.WALK], sums[_bouts.RUN]))
    return recognise_upright(still, walk, run, preset)
