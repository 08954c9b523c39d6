"""One segment made ready for step detection: the gravity frame ("up", on 50 Hz block means), the
vertical specific force and its 8 Hz "bounce" low-pass, and stand/walk/run labels per sample (window
features, smoothing, run edges moved to the flight phases). Sources: algorithms.md §1, §7.1 (see
``_orientation`` and ``_bouts``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _bouts, _orientation
from ._filters import lowpass
from ._preset import Preset
from ._timebase import Segment


@dataclass
class Prepared:
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


def prepare(seg: Segment, p: Preset) -> Prepared:
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
    return Prepared(seg, up, blocks, sf, sf_bounce, labels, feats.cadence_spm, feats.centre_s)


def _unit(v: np.ndarray) -> np.ndarray | None:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else None


def _angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    return float(np.degrees(np.arccos(np.clip(u @ v, -1.0, 1.0))))


def recognise_upright(still: list[np.ndarray], walk: np.ndarray | None, run: np.ndarray | None,
                      p: Preset) -> tuple[np.ndarray | None, str | None]:
    """The upright posture for forward lean (algorithms.md §5.3), only from standing recognised as upright.

    ``still``: the summed specific force (g, sensor frame) of each still stretch; ``walk`` / ``run``: the
    summed specific force while walking / running (None: none). A still stretch is upright standing when
    its gravity direction is within ``p.upright_walk_tol_deg`` of the walking posture (the trunk is near
    upright when walking, a few degrees forward), or, without walking, within ``p.upright_run_tol_deg`` of
    the running posture (running lean is about 5-15°). Sitting, lying or a strap that slipped differ more.
    Returns (unit "up" in the sensor frame, None), or (None, the reason in one line)."""
    ups = [(u, v) for v in still if (u := _unit(v)) is not None]
    if not ups:
        return None, ("forward lean not measured: no standing still in the recording to take the upright posture "
                      "from (stand still for a few seconds before you start)")
    ref, tol, what = (walk, p.upright_walk_tol_deg, "walking") if walk is not None else (run, p.upright_run_tol_deg, "running")
    ref = _unit(ref) if ref is not None else None
    if ref is None:
        return _unit(sum(v for _, v in ups)), None
    angles = [_angle_deg(u, ref) for u, _ in ups]
    ok = [v for (_, v), a in zip(ups, angles) if a <= tol]
    if not ok:
        return None, (f"forward lean not measured: the still posture differs from {what} by {min(angles):.0f}° "
                      "(sitting, lying or a slipped strap), so it is not an upright standing reference")
    return _unit(sum(ok)), None


def upright_reference(prep: list[Prepared], p: Preset) -> tuple[np.ndarray | None, str | None]:
    """The upright posture (``recognise_upright``) from the standing of the recording, judged in pieces of
    ``p.hop_s`` (one still bout can hold sitting, then standing); the first and last piece of a still bout
    are left out (getting up or sitting down passes through upright)."""
    still, sums = [], {_bouts.WALK: np.zeros(3), _bouts.RUN: np.zeros(3)}
    for pp in prep:
        obs = pp.seg.observed()
        piece = max(1, int(round(p.hop_s * pp.seg.fs)))
        for a, b, kind in zip(*_bouts.runs(pp.labels)):
            for lo in range(a + piece, b - piece, piece) if kind == _bouts.STAND else (a,):
                hi = min(b, lo + piece) if kind == _bouts.STAND else b
                sel = obs[lo:hi]
                if not sel.any():
                    continue
                total = pp.seg.acc[lo:hi][sel].sum(axis=0)
                if kind == _bouts.STAND:
                    still.append(total)
                else:
                    sums[kind] = sums[kind] + total
    walk, run = (v if np.any(v) else None for v in (sums[_bouts.WALK], sums[_bouts.RUN]))
    return recognise_upright(still, walk, run, p)
