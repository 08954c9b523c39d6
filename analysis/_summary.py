"""Per-bout and per-session summaries: medians, variability and left/right balance.

Cadence from the total time of n steps, not a median of quantised intervals; GCT balance =
t_c,L / (t_c,L + t_c,R) (Garmin's GCT balance) and the symmetry index SI = 100 (X_L − X_R) /
(0.5 (X_L + X_R)) on medians (Robinson, Herzog & Nigg 1987), both in ``analysis._symmetry``, which
reports them only where the two feet's stance pulses have the same shape. Medians leave out the first
and last ``trim_steps`` steps of each bout. The within-session trend (first vs last running minutes,
cadence-adjusted; Zandbergen MA, Buurke JH, Veltink PH, Reenalda J 2023, Front Sports Act Living
5:1085513) is ``analysis.trend.session_trend``, one definition
shared with the flags.
"""

from __future__ import annotations

import numpy as np

from ._symmetry import left_right
from .catalogue import SUMMARISED

VARIABILITY_METRICS = ("step_time_s", "vertical_oscillation_cm", "ground_contact_ms", "impact_g")


def nanmedian(x) -> float | None:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else None


def trimmed_mask(bout: np.ndarray, trim: int) -> np.ndarray:
    """True for steps that are not among the first/last ``trim`` of their bout."""
    if bout.size == 0:
        return np.zeros(0, bool)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(bout)) + 1])
    lengths = np.diff(np.concatenate([starts, [bout.size]]))
    pos = np.arange(bout.size) - np.repeat(starts, lengths)
    n = np.repeat(lengths, lengths)
    keep = (pos >= trim) & (pos < n - trim)
    return np.where(n > 2 * trim, keep, True)  # very short bouts: keep everything


#: a step interval longer than this many median intervals holds steps not seen (a strike lost in a
#: bridged gap, a missed detection): it counts as round(interval / median) steps
HIDDEN_STEP_FACTOR = 1.5


def cadence_total_time(time_s: np.ndarray, bout: np.ndarray) -> tuple[float, float]:
    """Σ steps and Σ(t_last − t_first) seconds over bouts (for 60·steps/seconds): n_b − 1 steps per bout,
    where an interval longer than ``HIDDEN_STEP_FACTOR`` median intervals counts as the whole number of
    median intervals it spans (a strike hidden in a short gap would otherwise lower the cadence)."""
    steps = 0.0
    secs = 0.0
    for b in np.unique(bout):
        t = time_s[bout == b]
        t = t[np.isfinite(t)]
        if t.size >= 2:
            dt = np.diff(t)
            med = np.median(dt)
            steps += float(np.where(dt > HIDDEN_STEP_FACTOR * med, np.round(dt / med), 1.0).sum())
            secs += t[-1] - t[0]
    return steps, secs


def cadence_of(time_s, bout) -> float | None:
    n, s = cadence_total_time(time_s, bout)
    return 60.0 * n / s if s > 0 else None


def cv_pct(x) -> float | None:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 3 or np.mean(x) == 0:
        return None
    return float(100.0 * np.std(x, ddof=1) / abs(np.mean(x)))


def resolved_span(steps: dict) -> np.ndarray:
    """True from the first to the last running step of each bout whose contact was resolved (all
    walking steps): the strikes outside carry an estimated time and bias short bouts' cadence."""
    ok = np.isfinite(steps["ground_contact_ms"]) | (steps["bout_kind"] != "run")
    bout = steps["bout"]
    out = np.zeros(bout.size, bool)
    if bout.size == 0:
        return out
    idx = np.arange(bout.size)
    first = np.full(bout.max() + 1, bout.size)
    last = np.full(bout.max() + 1, -1)
    np.minimum.at(first, bout[ok], idx[ok])
    np.maximum.at(last, bout[ok], idx[ok])
    return (idx >= first[bout]) & (idx <= last[bout])


def group_summary(steps: dict, sel: np.ndarray, trim_sel: np.ndarray) -> dict:
    """Medians of the per-step metrics over the selected steps (trimmed), balance, asymmetry."""
    m = sel & trim_sel
    # running strikes whose contact was not resolved carry an estimated time: leave them out of the
    # total-time cadence (they are the first/last steps of a bout, where they bias short bouts)
    timed = sel & resolved_span(steps)
    timed = timed if timed.sum() >= 2 else sel
    out = {
        "steps": int(sel.sum()),
        "cadence_spm": cadence_of(steps["time_s"][timed], steps["bout"][timed]),
    }
    for key in SUMMARISED:
        out[key] = nanmedian(steps[key][m])
    # a group's step length is its distance over its steps (speed x 60 / cadence), not a median of per-step
    # values: alternating left/right step times make that median one foot's (Hexoskin 003: 2.7 cm long)
    speed, cadence, vo = out.get("speed_mps"), out.get("cadence_spm"), out.get("vertical_oscillation_cm")
    if speed is not None and cadence:
        out["step_length_m"] = speed * 60.0 / cadence
        out["vertical_ratio_pct"] = None if vo is None else vo / out["step_length_m"]
    out.update(left_right(steps, m))  # balance and step-time asymmetry, where the side pulses match
    out["variability_cv_pct"] = {k: cv_pct(steps[k][m]) for k in VARIABILITY_METRICS}
    return out
