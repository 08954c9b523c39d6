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


def upright_reference(prep: list[Prepared]) -> np.ndarray | None:
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
