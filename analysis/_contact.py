"""The contact-timing signal (Morin et al. 2005 sine model, see ``_steps``) of one segment, built only around its running bouts.

Ground contact is timed on running steps alone, so the signal is made per stretch (a run bout with
``STRETCH_PAD_S`` of context either side): the vertical specific force less the trunk-rotation terms of
the sensor's lever arm (gyro only, ``analysis._lever_arm``), low-passed at ``preset.contact_lowpass_hz``,
band-limited-upsampled to ``preset.event_rate_hz`` and opened (``_steps.remove_narrow_peaks``). The stretches
are kept: the edge trim and the step pass of ``analysis._stage2_events`` ask for the same run bout (the second
time trimmed, so inside the first), which is built only once. Walking and standing (most of a Couch-to-5K
session) never pay for it; the pad is 20x the settling time of the 15 Hz low-pass, so a stretch gives the
values the whole segment would.
"""

from __future__ import annotations

import numpy as np

from . import _lever_arm, _steps
from ._filters import lowpass, upsample, upsample_factor
from ._timebase import overlaps_gap

#: context (s) either side of a run bout in its stretch
STRETCH_PAD_S = 2.0


def local_range(a: int, b: int, fs: float, n: int, pad_s: float = STRETCH_PAD_S) -> tuple[int, int]:
    """Sample range of a bout with ``pad_s`` of context either side, clipped to the segment."""
    pad = int(pad_s * fs)
    return max(0, a - pad), min(n, b + pad)


class _Stretch:
    """One stretch [lo, hi) of the segment and its opened upsampled contact signal, once built."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi
        self.opened: np.ndarray | None = None


class ContactSignal:
    """Contact timing of one segment. ``sf``: vertical specific force (g); ``acc`` (g), ``up`` (unit
    vectors) and ``gyro`` (deg/s, or None) in the sensor frame; ``gaps``: ``Segment.gaps``."""

    def __init__(self, sf: np.ndarray, acc: np.ndarray, up: np.ndarray, gyro: np.ndarray | None, fs: float,
                 gaps: np.ndarray, blocks, preset):
        self.sf, self.acc, self.up, self.gyro, self.fs, self.gaps, self.preset = sf, acc, up, gyro, fs, gaps, preset
        self.blocks = blocks  # ``_orientation.Blocks`` of the segment (the lever arm is fitted on them)
        self.up_factor = upsample_factor(fs, preset.event_rate_hz)
        self.fs_up = fs * self.up_factor
        self.corner = min(preset.contact_lowpass_hz, preset.contact_lowpass_max_frac * fs)
        self.lever_arm: np.ndarray | None = None
        self._stretches: list[_Stretch] = []

    def _stretch(self, a: int, b: int) -> _Stretch:
        """The kept stretch around [a, b) (one that covers it, else a new one)."""
        lo, hi = local_range(a, b, self.fs, self.sf.shape[0])
        for st in self._stretches:
            if st.lo <= lo and hi <= st.hi:
                return st
        st = _Stretch(lo, hi)
        self._stretches.append(st)
        return st

    def fit_lever_arm(self, bouts: list[tuple[int, int, np.ndarray]]) -> None:
        """Fit the lever arm on the flight centres of the running bouts ``(a, b, mid-stance peaks)`` of the
        segment (``_lever_arm.lever_arm_from_flight``); no gyro or no plausible fit: no correction."""
        bl = self.blocks
        if bl.gyro is None or not bouts:
            return
        margin = self.preset.gap_margin_s * self.fs
        i = np.concatenate([_lever_arm.flight_centres(pk) for _, _, pk in bouts if pk.size >= 2] or [np.empty(0, int)])
        i = i[~overlaps_gap(self.gaps, i, i, margin)] if i.size else i
        w, alpha = _lever_arm.angular_rates_at(bl.gyro, bl.fs, bl.index(i))
        self.lever_arm = _lever_arm.lever_arm_from_flight(self.acc[i], w, alpha, np.arange(i.size))

    def _opened(self, a: int, b: int) -> tuple[int, np.ndarray]:
        st = self._stretch(a, b)
        if st.opened is None:
            x = self.sf[st.lo : st.hi]
            if self.lever_arm is not None:
                w, alpha = _lever_arm.angular_rates(self.gyro[st.lo : st.hi], self.fs)
                x = x - _lever_arm.vertical_rotational_g(w, alpha, self.up[st.lo : st.hi], self.lever_arm)
            x = lowpass(x, self.fs, self.corner)
            st.opened = _steps.remove_narrow_peaks(upsample(x, self.up_factor), int(round(self.preset.contact_opening_s * self.fs_up)))
        return st.lo, st.opened

    def _search(self, pk: np.ndarray, step_s: float, a: int, b: int):
        """(stretch start, opened signal, centres, half window, bridge) for the crossing searches."""
        preset, fs_up = self.preset, self.fs_up
        lo, local = self._opened(a, b)
        return (lo, local, (pk - lo) * self.up_factor, int(np.ceil(preset.contact_search_frac * step_s * fs_up)),
                int(round(preset.contact_bridge_s * fs_up)))

    def resolved(self, pk: np.ndarray, step_s: float, a: int, b: int) -> np.ndarray:
        """True for the steps of the run bout [a, b) whose stance pulse has both crossings (``crossings``
        not NaN, save a pulse whose top cannot be found)."""
        _, local, centres, half, bridge = self._search(pk, step_s, a, b)
        return _steps.contact_resolved(local, centres, half, self.preset.contact_threshold_g, bridge)

    def crossings(self, pk: np.ndarray, step_s: float, a: int, b: int):
        """(up, down, centre) of each step's stance pulse, fractional indices at the event rate, and its
        maximum (g); ``pk``: mid-stance peaks (fractional samples) of the run bout [a, b)."""
        lo, local, centres, half, bridge = self._search(pk, step_s, a, b)
        up, down, mid, peak = _steps.contact_crossings(local, centres, half, self.preset.contact_threshold_g, bridge,
                                                       self.preset.contact_top_frac, with_peak=True)
        up_factor = self.up_factor
        return up + lo * up_factor, down + lo * up_factor, mid + lo * up_factor, peak
