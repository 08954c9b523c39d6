"""Left/right balance and step-time asymmetry, reported only where the per-side timing can be trusted.

Sources: GCT balance = t_c,L / (t_c,L + t_c,R) (Garmin's "GCT balance"); symmetry index SI = 100
(X_L − X_R) / (0.5 (X_L + X_R)) on medians (Robinson RO, Herzog W, Nigg BM 1987, J Manipulative
Physiol Ther 10(4):172–176).

Deviation (added here): a trunk sensor times each foot's contact from the shape of its stance pulse
(sine-wave model of Morin et al. 2005). When the two feet give differently shaped pulses — on the
Hexoskin chest-shirt jogs one side has a higher impact peak, the other a longer unloading tail — the
per-side contact and strike times are biased by different amounts, and the "balance" read 43–55 % left
on runners whose pulse-centre step times differ by 0–6 %. So:

* **shape check**: each step's pulse is resampled from ``SHAPE_MARGIN`` × t_c before its measured strike to
  ``SHAPE_MARGIN`` × t_c after its measured toe-off and divided by its maximum; the per-side median pulses are
  compared (RMS difference, fraction of the peak). Normalising by each side's *own* measured contact makes
  this a self-consistency test: a genuinely longer contact with the same pulse shape (firmware_sim's
  ``asymmetric`` profile, +25 ms) gives matching pulses (≤ 0.025), a per-side timing bias does not
  (Hexoskin jogs: 0.07–0.12). ``SHAPE_MAX_DIFF`` sits between the two (heuristic, set on those data).
* **contact-time balance**: reported only when the pulses match, else None (and a note).
* **step-time asymmetry**: from the foot strikes (strike to next strike, as defined) when the pulses match;
  otherwise from the pulse centres (strike + t_c/2: the top of the pulse, the timing reference least moved
  by a transient or a tail), which assumes equal contact times, and marked as such
  (``step_time_reference`` = "pulse centre") so that flags do not treat it as a measured limp.
"""

from __future__ import annotations

import numpy as np

from ._metrics import cycle_matrix

SHAPE_POINTS = 64  # samples of the normalised stance pulse
SHAPE_MARGIN = 0.25  # pulse window: this fraction of the contact time before the strike and after toe-off
SHAPE_MIN_STEPS = 10  # per side, for a median pulse
#: largest RMS difference (fraction of the peak) of the left and right normalised pulses for which the
#: per-side contact timing is trusted. Heuristic: firmware_sim ≤ 0.025 (easy, bouncy, asymmetric; 25-200
#: Hz; chest and back), Hexoskin chest jogs 0.07-0.12 (../shared/data/real/hexoskin_harlab); no published
#: value.
SHAPE_MAX_DIFF = 0.05
STRIKE, CENTRE = "foot strike", "pulse centre"
NOTE_SHAPES_DIFFER = (
    "left and right stance pulses differ in shape ({diff:.2f} of the peak, limit {limit:.2f}): the per-side "
    "contact timing is biased, so contact-time balance is not reported and step-time asymmetry is timed "
    "from the pulse centres (assumes equal contact times)"
)
NOTE_UNCHECKED = (
    "fewer than {n} resolved running steps per side in a bout: left/right pulse shapes not checked, "
    "contact-time balance not reported"
)


def side_shape_difference(x: np.ndarray, strike: np.ndarray, toe_off: np.ndarray, side: np.ndarray) -> float:
    """RMS difference of the left and right median stance pulses of ``x`` (fraction of the peak).

    ``strike``/``toe_off``: fractional indices of ``x`` per step; ``side``: "L"/"R". NaN with fewer than
    ``SHAPE_MIN_STEPS`` resolved steps on either side."""
    pulses = SidePulses(strike, toe_off, side)
    if not pulses.checked:
        return float("nan")
    pulses.add(x, slice(0, strike.shape[0]))
    return pulses.difference()


def resolved(strike: np.ndarray, toe_off: np.ndarray) -> np.ndarray:
    """The steps whose stance pulse is defined (finite, positive contact)."""
    tc = toe_off - strike
    return np.isfinite(tc) & (tc > 0)


class SidePulses:
    """The left and the right steps' stance pulses (``SHAPE_POINTS`` each, divided by their maxima) for
    ``side_shape_difference``, taken a block of steps at a time (``add``) into one array per side (the
    medians then partition them in place: no other copy of them is made)."""

    def __init__(self, strike: np.ndarray, toe_off: np.ndarray, side: np.ndarray):
        """``strike``/``toe_off``: fractional indices of the signal per step; ``side``: "L"/"R"."""
        self.strike, self.toe_off, self.side = strike, toe_off, side
        self.ok = resolved(strike, toe_off)
        counts = [int((self.ok & (side == s)).sum()) for s in "LR"]
        self.checked = min(counts) >= SHAPE_MIN_STEPS  # else no shape check
        self.pulses = {s: np.empty((c if self.checked else 0, SHAPE_POINTS)) for s, c in zip("LR", counts)}
        self.filled = dict.fromkeys("LR", 0)

    def add(self, x: np.ndarray, steps: slice, origin: int = 0) -> None:
        """Take the pulses of ``steps`` from ``x`` (the signal from its sample ``origin``, as in
        ``_metrics.cycle_matrix``; covering them)."""
        ok = self.ok[steps]
        strike, toe_off, side = self.strike[steps][ok], self.toe_off[steps][ok], self.side[steps][ok]
        tc = toe_off - strike
        pulses = cycle_matrix(x, strike - SHAPE_MARGIN * tc, toe_off + SHAPE_MARGIN * tc, SHAPE_POINTS, origin)
        pulses /= np.max(pulses, axis=1, keepdims=True)
        for s in "LR":
            mine = pulses[side == s]
            self.pulses[s][self.filled[s] : self.filled[s] + mine.shape[0]] = mine
            self.filled[s] += mine.shape[0]

    def difference(self) -> float:
        """The RMS difference of the two sides' median pulses (fraction of the peak)."""
        left, right = (np.median(self.pulses[s], axis=0, overwrite_input=True) for s in "LR")
        diff = left - right
        return float(np.sqrt(np.mean(diff * diff)))


def _side_medians(x: np.ndarray, side: np.ndarray) -> tuple[float, float] | None:
    left, right = x[(side == "L") & np.isfinite(x)], x[(side == "R") & np.isfinite(x)]
    if not left.size or not right.size:
        return None
    ml, mr = float(np.median(left)), float(np.median(right))
    return (ml, mr) if ml + mr > 0 else None


def balance_left_pct(x: np.ndarray, side: np.ndarray) -> float | None:
    """100 · median(x_L) / (median(x_L) + median(x_R)); None without both sides."""
    m = _side_medians(x, side)
    return None if m is None else 100.0 * m[0] / (m[0] + m[1])


def asymmetry_pct(x: np.ndarray, side: np.ndarray) -> float | None:
    """Robinson symmetry index 100 (X_L − X_R) / (0.5 (X_L + X_R)) on medians; None without both sides."""
    m = _side_medians(x, side)
    return None if m is None else 100.0 * (m[0] - m[1]) / (0.5 * (m[0] + m[1]))


def centre_step_times(time_s: np.ndarray, contact_ms: np.ndarray, bout: np.ndarray) -> np.ndarray:
    """Pulse centre (strike + t_c/2) to the next step's pulse centre within a bout, s (NaN at bout ends)."""
    centre = time_s + 0.0005 * contact_ms
    out = np.full(time_s.shape[0], np.nan)
    if time_s.size > 1:
        out[:-1] = np.where(bout[1:] == bout[:-1], np.diff(centre), np.nan)
    return out


def left_right(steps: dict, sel: np.ndarray) -> dict:
    """Balance, step-time asymmetry and the shape check over the steps selected by ``sel``.

    Keys: ``gct_balance_left_pct``, ``step_time_asymmetry_pct``, ``step_time_reference`` (STRIKE or
    CENTRE), ``lr_pulse_shape_diff`` (median over the selected steps of their bout's shape difference;
    None when not measurable: then the balance is None too) and ``lr_note`` (None, or why the balance is
    missing). A step table without the ``lr_pulse_shape_diff`` column is not checked."""
    side = steps["side"][sel]
    checked = "lr_pulse_shape_diff" in steps  # step tables from before the check: balance unchecked
    shape = steps["lr_pulse_shape_diff"][sel] if checked else np.empty(0)
    shape = shape[np.isfinite(shape)]
    diff = float(np.median(shape)) if shape.size else None
    out = {"lr_pulse_shape_diff": diff, "lr_note": None, "step_time_reference": STRIKE,
           "gct_balance_left_pct": balance_left_pct(steps["ground_contact_ms"][sel], side),
           "step_time_asymmetry_pct": asymmetry_pct(steps["step_time_s"][sel], side)}
    if out["gct_balance_left_pct"] is None or not checked:
        return out
    if diff is None:
        out["gct_balance_left_pct"] = None
        out["lr_note"] = NOTE_UNCHECKED.format(n=SHAPE_MIN_STEPS)
    elif diff > SHAPE_MAX_DIFF:
        out["gct_balance_left_pct"] = None
        centre_t = centre_step_times(steps["time_s"], steps["ground_contact_ms"], steps["bout"])[sel]
        out["step_time_asymmetry_pct"] = asymmetry_pct(centre_t, side)
        out["step_time_reference"] = CENTRE
        out["lr_note"] = NOTE_SHAPES_DIFFER.format(diff=diff, limit=SHAPE_MAX_DIFF)
    return out
