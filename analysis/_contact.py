"""The contact-timing signal (Morin et al. 2005 sine model, see ``_steps``) of one segment, built only around its running bouts,
a minute at a time.

Ground contact is timed on running steps alone, so the signal is made per stretch (a run bout with
``STRETCH_PAD_S`` of context either side): the vertical specific force less the trunk-rotation terms of
the sensor's lever arm (gyro only, ``analysis._lever_arm``), low-passed at ``preset.contact_lowpass_hz``,
band-limited-upsampled to ``preset.event_rate_hz`` and opened (``_steps.remove_narrow_peaks``). Walking and
standing (most of a Couch-to-5K session) never pay for it; the pad is 20x the settling time of the 15 Hz
low-pass, so a stretch gives the values the whole segment would.

A stretch is built in chunks of ``CHUNK_S`` (each with the same pad of context either side, dropped after
use), never whole: at >= 500 Hz an hour of running made a 17 MB signal and ~90 MB of temporaries
(benchmarks/RESULTS.md, "Speed"), and a minute stays in the CPU's cache through the chain of filters.
The pad makes a chunk give the values the whole stretch would (to float rounding: the upsampling FIR is
exact away from the ends, the low-pass settles in well under the pad). The edge trim of
``analysis._stage2_events`` asks only whether a run bout's first and last steps have flight, so it builds
the chunks at the bout's ends (kept for the step pass) and stops once it has its answer, reading a short
bout's chunks from both ends but resolving each once; the step pass builds the rest, one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from . import _lever_arm, _steps
from ._filters import lowpass, upsample, upsample_factor
from ._timebase import overlaps_gap

#: context (s) either side of a run bout in its stretch, and of a chunk of it
STRETCH_PAD_S = 2.0
#: a stretch's contact signal is built this many seconds at a time (plus the pad either side)
CHUNK_S = 60.0


def local_range(a: int, b: int, fs: float, n: int, pad_s: float = STRETCH_PAD_S) -> tuple[int, int]:
    """Sample range of a bout with ``pad_s`` of context either side, clipped to the segment."""
    pad = int(pad_s * fs)
    return max(0, a - pad), min(n, b + pad)


class _Stretch:
    """One stretch [lo, hi) of the segment, cut into chunks of ``size`` samples from ``lo``; the opened
    upsampled signal of its first and last chunk, once built by the edge trim, is kept for the step pass."""

    def __init__(self, lo: int, hi: int, size: int):
        self.lo, self.hi, self.size = lo, hi, size
        self.count = max(1, -(-(hi - lo) // size))
        self.kept: dict[int, np.ndarray] = {}

    def chunk_of(self, i: np.ndarray) -> np.ndarray:
        """Chunk of each segment sample index ``i`` (rounded, clipped to the stretch's chunks)."""
        return np.clip((np.round(i).astype(int) - self.lo) // self.size, 0, self.count - 1)


class ContactSignal:
    """Contact timing of one segment. ``sf``: vertical specific force (g); ``acc`` (g) and ``gyro`` (deg/s,
    or None) in the sensor frame; ``blocks``: the segment's ``_orientation.Blocks`` ("up", the lever-arm
    fit); ``gaps``: ``Segment.gaps``."""

    def __init__(self, sf: np.ndarray, acc: np.ndarray, gyro: np.ndarray | None, fs: float, gaps: np.ndarray,
                 blocks, preset):
        self.sf, self.acc, self.gyro, self.fs, self.gaps, self.preset = sf, acc, gyro, fs, gaps, preset
        self.blocks = blocks
        self.up_factor = upsample_factor(fs, preset.event_rate_hz)
        self.fs_up = fs * self.up_factor
        self.corner = min(preset.contact_lowpass_hz, preset.contact_lowpass_max_frac * fs)
        self.pad = int(STRETCH_PAD_S * fs)
        self.chunk = max(1, int(CHUNK_S * fs))
        self.lever_arm: np.ndarray | None = None
        self._stretches: list[_Stretch] = []
        # per run bout, (a, b, step_s): (its peaks, what was found for them) (``_of_bout``)
        self._crossings: dict[tuple[int, int, float], tuple[np.ndarray, tuple]] = {}
        self._resolved: dict[tuple[int, int, float], tuple[np.ndarray, dict[int, np.ndarray]]] = {}

    def _stretch(self, a: int, b: int) -> _Stretch:
        """The kept stretch around [a, b) (one that covers it, else a new one)."""
        lo, hi = local_range(a, b, self.fs, self.sf.shape[0])
        for st in self._stretches:
            if st.lo <= lo and hi <= st.hi:
                return st
        st = _Stretch(lo, hi, self.chunk)
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

    def _built_range(self, st: _Stretch, k: int) -> tuple[int, int]:
        """Segment samples [s0, s1) chunk ``k`` of ``st`` is built from: its own and the pad either side."""
        a = st.lo + k * st.size
        return max(st.lo, a - self.pad), min(st.hi, a + st.size + self.pad)

    def _build(self, s0: int, s1: int) -> np.ndarray:
        """The opened, upsampled contact signal of segment samples [s0, s1) (sample ``i`` at ``(i - s0) *
        up_factor``)."""
        x = self.sf[s0:s1]
        if self.lever_arm is not None:
            w, alpha = _lever_arm.angular_rates(self.gyro[s0:s1], self.fs)
            x = x - _lever_arm.vertical_rotational_g(w, alpha, self.blocks.up_at(s0, s1), self.lever_arm)
        x = lowpass(x, self.fs, self.corner)
        return _steps.remove_narrow_peaks(upsample(x, self.up_factor), int(round(self.preset.contact_opening_s * self.fs_up)))

    def _opened(self, st: _Stretch, k: int, keep: bool) -> tuple[int, np.ndarray]:
        """(first segment sample, opened signal) of chunk ``k``; ``keep``: keep it if it is an end chunk,
        else hand over (and forget) a kept one."""
        s0, s1 = self._built_range(st, k)
        opened = st.kept.get(k) if keep else st.kept.pop(k, None)
        if opened is None:
            opened = self._build(s0, s1)
            if keep and k in (0, st.count - 1):
                st.kept[k] = opened
        return s0, opened

    def _half_and_bridge(self, step_s: float) -> tuple[int, int]:
        return (int(np.ceil(self.preset.contact_search_frac * step_s * self.fs_up)),
                int(round(self.preset.contact_bridge_s * self.fs_up)))

    @staticmethod
    def _spans(st: _Stretch, pk: np.ndarray, from_end: bool = False) -> Iterator[tuple[int, int, int]]:
        """``(k, i0, i1)`` for each chunk ``k`` of ``st`` that holds steps, ``pk[i0:i1]``, from the first
        (``from_end``: the last)."""
        bounds = np.searchsorted(st.chunk_of(pk), np.arange(st.count + 1))
        for k in (range(st.count - 1, -1, -1) if from_end else range(st.count)):
            i0, i1 = int(bounds[k]), int(bounds[k + 1])
            if i1 > i0:
                yield k, i0, i1

    @staticmethod
    def _of_bout(store: dict, pk: np.ndarray, step_s: float, a: int, b: int, new):
        """What ``store`` keeps for the run bout [a, b) with the mid-stance peaks ``pk`` (``new()`` the first
        time). The callers pass the array that ``_stage2_events.BoutPeaks`` found for (a, b) and keeps, so an
        entry is reused for that very array and made again for any other."""
        key = (a, b, step_s)
        hit = store.get(key)
        if hit is None or hit[0] is not pk:
            hit = store[key] = (pk, new())
        return hit[1]

    def resolved_chunks(self, pk: np.ndarray, step_s: float, a: int, b: int, from_end: bool = False
                        ) -> Iterator[tuple[int, int, np.ndarray]]:
        """``(i0, i1, ok)`` chunk by chunk from the first (``from_end``: the last) step of the run bout [a, b):
        ``ok`` True for the steps ``i0:i1`` whose stance pulse has both crossings (``crossings`` not NaN, save
        a pulse whose top cannot be found). A caller stops iterating once it has its answer; a chunk is
        resolved once per bout (the edge trim reads a short bout's chunks from both ends)."""
        st = self._stretch(a, b)
        half, bridge = self._half_and_bridge(step_s)
        resolved = self._of_bout(self._resolved, pk, step_s, a, b, dict)
        for k, i0, i1 in self._spans(st, pk, from_end):
            if k not in resolved:
                s0, opened = self._opened(st, k, keep=True)
                resolved[k] = _steps.contact_resolved(opened, (pk[i0:i1] - s0) * self.up_factor, half,
                                                      self.preset.contact_threshold_g, bridge)
            yield i0, i1, resolved[k]

    def crossings(self, pk: np.ndarray, step_s: float, a: int, b: int):
        """(up, down, centre) of each step's stance pulse, fractional indices at the event rate, and its
        maximum (g); ``pk``: mid-stance peaks (fractional samples) of the run bout [a, b). Found once per bout
        (the running-physics check and the step pass ask for the same one)."""
        return self._of_bout(self._crossings, pk, step_s, a, b, lambda: self._find_crossings(pk, step_s, a, b))

    def _find_crossings(self, pk: np.ndarray, step_s: float, a: int, b: int):
        st = self._stretch(a, b)
        half, bridge = self._half_and_bridge(step_s)
        out = tuple(np.full(pk.size, np.nan) for _ in range(4))
        f = self.up_factor
        for k, i0, i1 in self._spans(st, pk):
            s0, opened = self._opened(st, k, keep=False)
            found = _steps.contact_crossings(opened, (pk[i0:i1] - s0) * f, half, self.preset.contact_threshold_g,
                                             bridge, self.preset.contact_top_frac, with_peak=True)
            for o, v, shift in zip(out, found, (s0 * f, s0 * f, s0 * f, 0)):
                o[i0:i1] = v + shift
        return out
