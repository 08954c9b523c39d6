"""Progress across weeks from the run log: per-session and per-week figures, and the verdict.

The verdict's main comparison is made **at matched cadence**: bounce (vertical oscillation) depends
on cadence (Heiderscheit et al. 2011, doi:10.1249/MSS.0b013e3181ebedf4: a 5-10 % higher step rate
lowers it), so "less bounce" only means "lighter running" when compared at the same step rate. It
takes the running steps of the first week and of the latest week that shares a 5-spm cadence band
with it (at least ``MIN_MATCHED_STEPS`` steps on each side), compares their median bounce and gives
a 95 % interval from a block bootstrap over steps (blocks of ``BLOCK_STEPS`` consecutive steps, as
neighbouring steps are not independent). The week-1-to-latest change of the session medians follows,
said to be unmatched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Any

import numpy as np

from runform.analysis import placement as _placement
from runform.analysis.catalogue import BY_KEY
from runform.runlog._store import RunLog

DAYS_PER_WEEK = 7
#: width of the matched cadence band (spm)
BAND_SPM = 5
#: fewest running steps on each side for a matched comparison
MIN_MATCHED_STEPS = 40
#: a later week is searched for matching steps when one of its sessions' cadences is this close to
#: one of week 1's (spm): steps vary by a few spm around the session median
CANDIDATE_SPM = 8.0
#: when every session of the two weeks has a speed, only sessions of the later week within this of a
#: first-week session's speed are compared (m/s): bounce rises with speed, as it does with cadence
SPEED_MATCH_MPS = 0.2
BLOCK_STEPS = 10
BOOTSTRAP_DRAWS = 400
#: a change whose 95 % interval stays on one side of zero is called a change ...
CONFIDENCE_PCT = 95
#: ... when it is at least this big (cm): our choice of the smallest bounce change worth telling a
#: runner about (a tenth of a typical 8-11 cm bounce would be 1 cm; half of that)
MIN_CHANGE_CM = 0.5

#: measures of the run log that are not in the metric catalogue: (label, unit, decimals)
_LOG_MEASURES = {
    "running_min": ("Running", "min", 1),
    "vertical_ratio_pct": ("Vertical ratio", "%", 1),
    "jarring_steps_pct": ("Jarring steps", "%", 0),
    "heart_rate_bpm": ("Heart rate", "bpm", 0),
    "speed_mps": ("Speed", "m/s", 2),
}


def _measure(key: str) -> tuple[str, str, str, int]:
    """(key, label, unit, decimals): the catalogue's entry where it has one (one definition)."""
    m = BY_KEY.get(key)
    return (key, m.label, m.unit, m.decimals) if m is not None else (key, *_LOG_MEASURES[key])


#: (column, label, unit, decimals) of the per-session figures, in the order drawn
SERIES = tuple(_measure(k) for k in (
    "running_min", "cadence_spm", "vertical_oscillation_cm", "vertical_ratio_pct", "ground_contact_ms",
    "impact_g", "jarring_steps_pct", "heart_rate_bpm", "speed_mps"))


@dataclass
class SessionPoint:
    """One session of the log as the progress report uses it."""

    id: int
    start: datetime
    week: int
    values: dict[str, float | None]  # SERIES columns
    flags: list[str]
    #: where the sensor was worn as the session was judged (``analysis.placement``'s name; a placement the
    #: log does not know, or none, was judged as ``placement.ASSUMED``)
    placement: str = _placement.ASSUMED


@dataclass
class WeekRow:
    week: int
    sessions: int
    values: dict[str, float | None]  # median over the week's sessions; running_min is the total


@dataclass
class Matched:
    """Bounce at matched cadence: week ``first_week`` against ``last_week`` over ``band`` (spm)."""

    band: tuple[int, int]
    first_week: int
    last_week: int
    first_cm: float
    last_cm: float
    change_cm: float
    interval_cm: tuple[float, float]
    n_first: int
    n_last: int
    first_steps: list[float] = field(default_factory=list)
    last_steps: list[float] = field(default_factory=list)
    speed_range: tuple[float, float] | None = None  # speeds of the sessions compared (m/s), when matched
    placement: str | None = None  # where the sessions compared were worn, when the log holds more than one
    left_out: int = 0  # sessions of the weeks compared left out for another placement


@dataclass
class Progress:
    sessions: list[SessionPoint]
    weeks: list[WeekRow]
    matched: Matched | None
    verdict: list[str]
    advice: list[str]
    db: str


def _week(start: datetime, first: datetime) -> int:
    return (start.date() - first.date()).days // DAYS_PER_WEEK + 1


def load_progress(log: RunLog) -> Progress:
    """The whole progress picture of ``log`` (an empty log gives no weeks and a verdict saying so)."""
    rows = log.sessions()
    points = []
    if rows:
        starts = [datetime.fromisoformat(r["start_utc"]) for r in rows]
        first = min(starts)
        for r, start in zip(rows, starts):
            values = {k: r.get(k) for k, *_ in SERIES if k != "running_min"}
            values["running_min"] = None if r.get("running_s") is None else r["running_s"] / 60.0
            points.append(SessionPoint(r["id"], start, _week(start, first), values,
                                       [f for f in (r.get("flags") or "").split(",") if f],
                                       _placement.normalise(r.get("placement")) or _placement.ASSUMED))
    weeks = weekly(points)
    matched = matched_bounce(log, points)
    verdict, advice = words(log, points, weeks, matched)
    return Progress(points, weeks, matched, verdict, advice, str(log.path))


def weekly(points: list[SessionPoint]) -> list[WeekRow]:
    out = []
    for week in sorted({p.week for p in points}):
        these = [p for p in points if p.week == week]
        values = {}
        for key, *_ in SERIES:
            xs = [p.values[key] for p in these if p.values.get(key) is not None]
            values[key] = (sum(xs) if key == "running_min" else median(xs)) if xs else None
        out.append(WeekRow(week, len(these), values))
    return out


def _running_weeks(points: list[SessionPoint]) -> dict[int, list[SessionPoint]]:
    out: dict[int, list[SessionPoint]] = {}
    for p in points:
        if p.values.get("cadence_spm") is not None and p.values.get("vertical_oscillation_cm") is not None:
            out.setdefault(p.week, []).append(p)
    return out


def _steps(log: RunLog, sessions: list[SessionPoint]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(session id, cadence, bounce) of the running steps of ``sessions`` that have both measures."""
    rows = log.step_values([p.id for p in sessions], ("cadence_spm", "vertical_oscillation_cm"))
    if not rows:
        return np.empty(0, int), np.empty(0), np.empty(0)
    arr = np.array(rows, float)  # a NULL (None) becomes NaN
    ok = np.isfinite(arr[:, 1]) & np.isfinite(arr[:, 2])
    return arr[ok, 0].astype(int), arr[ok, 1], arr[ok, 2]


def _best_band(c1: np.ndarray, c2: np.ndarray) -> tuple[int, int, int] | None:
    """(low, high, fewest steps on a side) of the BAND_SPM band with most steps on both sides."""
    lo = int(np.floor(max(c1.min(), c2.min()))) - BAND_SPM
    hi = int(np.ceil(min(c1.max(), c2.max())))
    best = None
    for a in range(lo, hi + 1):
        n = min(int(((c1 >= a) & (c1 < a + BAND_SPM)).sum()), int(((c2 >= a) & (c2 < a + BAND_SPM)).sum()))
        if best is None or n > best[2]:
            best = (a, a + BAND_SPM, n)
    return best if best and best[2] >= MIN_MATCHED_STEPS else None


def _blocks(session: np.ndarray) -> list[np.ndarray]:
    """Indices in blocks of BLOCK_STEPS consecutive steps, never across sessions."""
    out = []
    for s in np.unique(session):
        idx = np.flatnonzero(session == s)
        out += [idx[i:i + BLOCK_STEPS] for i in range(0, idx.size, BLOCK_STEPS)]
    return out


def _block_of(session: np.ndarray) -> tuple[np.ndarray, int]:
    """(the block of each step, number of blocks), blocks numbered as ``_blocks(session)`` lists them."""
    blocks = _blocks(session)
    block_of = np.empty(session.size, np.int64)
    for number, idx in enumerate(blocks):
        block_of[idx] = number
    return block_of, len(blocks)


def _resampled_medians(values: np.ndarray, block_of: np.ndarray, n_blocks: int, picks: np.ndarray) -> np.ndarray:
    """Median of each resample, all at once: resample ``i`` is the blocks ``picks[i]`` put together.

    A resample holds each step as many times as its block was picked, so with the steps sorted once,
    its k-th smallest value is the first step whose cumulative count exceeds k. The median is the
    middle one, or the mean of the middle two: the same number ``np.median`` gives for the resample."""
    order = np.argsort(values, kind="stable")
    ordered, blocks = values[order], block_of[order]
    draws = len(picks)
    offsets = (np.arange(draws) * n_blocks)[:, None]
    counts = np.bincount((picks + offsets).ravel(), minlength=draws * n_blocks).reshape(draws, n_blocks)
    # steps down, draws across: the running sum goes down the rows, all draws at once (32-bit: a
    # resample holds as many steps as the week, far below 2**31)
    cumulative = np.cumsum(np.ascontiguousarray(counts.T, np.int32)[blocks], axis=0, dtype=np.int32)
    total = cumulative[-1]
    low = (cumulative <= (total - 1) // 2).sum(axis=0)
    high = (cumulative <= total // 2).sum(axis=0)
    return (ordered[low] + ordered[high]) / 2.0


def bootstrap_change(a: np.ndarray, sa: np.ndarray, b: np.ndarray, sb: np.ndarray,
                     draws: int = BOOTSTRAP_DRAWS, seed: int = 0) -> tuple[float, float]:
    """95 % interval of median(b) − median(a) by a block bootstrap (blocks within a session): each
    draw resamples ``a``'s blocks, then ``b``'s, with replacement."""
    rng = np.random.default_rng(seed)
    (block_a, n_a), (block_b, n_b) = _block_of(sa), _block_of(sb)
    picks_a = np.empty((draws, n_a), np.int64)
    picks_b = np.empty((draws, n_b), np.int64)
    for i in range(draws):  # a's blocks, then b's, draw after draw: the random stream of one draw at a time
        picks_a[i] = rng.integers(0, n_a, n_a)
        picks_b[i] = rng.integers(0, n_b, n_b)
    diffs = _resampled_medians(b, block_b, n_b, picks_b) - _resampled_medians(a, block_a, n_a, picks_a)
    tail = (100 - CONFIDENCE_PCT) / 2
    lo, hi = np.percentile(diffs, [tail, 100 - tail])
    return float(lo), float(hi)


def matched_bounce(log: RunLog, points: list[SessionPoint]) -> Matched | None:
    """Bounce of the first running week against the latest week with enough steps at the same cadence."""
    all_weeks = _running_weeks(points)
    if len(all_weeks) < 2:
        return None
    order = sorted(all_weeks)
    first = order[0]
    # bounce differs between placements (a strap on the back moves less than one on the chest): only
    # sessions worn where the first week's mostly were are compared
    where = max(dict.fromkeys(p.placement for p in all_weeks[first]),
                key=lambda w: sum(p.placement == w for p in all_weeks[first]))
    weeks = {w: [p for p in ps if p.placement == where] for w, ps in all_weeks.items()}
    first_cadences = [p.values["cadence_spm"] for p in weeks[first]]
    s1, c1, v1 = _steps(log, weeks[first])
    if c1.size < MIN_MATCHED_STEPS:
        return None
    for week in reversed(order[1:]):
        later, speeds = _speed_matched(weeks[first], weeks[week])
        if not any(abs(p.values["cadence_spm"] - c) <= CANDIDATE_SPM for p in later for c in first_cadences):
            continue
        s2, c2, v2 = _steps(log, later)
        band = _best_band(c1, c2) if c2.size >= MIN_MATCHED_STEPS else None
        if band is None:
            continue
        lo, hi, _ = band
        m1, m2 = (c1 >= lo) & (c1 < hi), (c2 >= lo) & (c2 < hi)
        a, b = v1[m1], v2[m2]
        interval = bootstrap_change(a, s1[m1], b, s2[m2])
        left_out = len(all_weeks[first]) + len(all_weeks[week]) - len(weeks[first]) - len(weeks[week])
        return Matched((lo, hi), first, week, float(np.median(a)), float(np.median(b)),
                       float(np.median(b) - np.median(a)), interval, int(a.size), int(b.size),
                       a.tolist(), b.tolist(), speeds, where if _mixed_placements(points) else None, left_out)
    return None


def _mixed_placements(points: list[SessionPoint]) -> bool:
    return len({p.placement for p in points}) > 1


def _speed_matched(first: list[SessionPoint], later: list[SessionPoint]):
    """(the later week's sessions to compare, the speed range compared or None). With a speed for every
    session of both weeks, only later sessions within ``SPEED_MATCH_MPS`` of a first-week speed."""
    sp = [p.values.get("speed_mps") for p in first + later]
    if any(v is None for v in sp):
        return later, None
    f_speeds = [p.values["speed_mps"] for p in first]
    kept = [p for p in later if any(abs(p.values["speed_mps"] - v) <= SPEED_MATCH_MPS for v in f_speeds)]
    used = f_speeds + [p.values["speed_mps"] for p in kept]
    return kept, (min(used), max(used)) if kept else None


def _latest_flags(log: RunLog, points: list[SessionPoint]) -> list[dict[str, Any]]:
    if not points:
        return []
    latest = max(points, key=lambda p: (p.start, p.id))
    row = log.session(latest.id)
    flags = json.loads(row["summary_json"]).get("flags") if row else None
    return [f for f in flags or [] if isinstance(f, dict)]


def signed(v: float, decimals: int = 1) -> str:
    """``-0.23`` -> ``−0.2`` (a real minus sign), ``0.3`` -> ``+0.3``."""
    text = f"{v:+.{decimals}f}"
    return text.replace("-", "\u2212")


def matched_change(m: Matched) -> int:
    """−1 (less bounce), +1 (more) or 0 (no change worth telling): the interval on one side of zero
    and the change at least ``MIN_CHANGE_CM``."""
    if m.interval_cm[1] < 0 and m.change_cm <= -MIN_CHANGE_CM:
        return -1
    if m.interval_cm[0] > 0 and m.change_cm >= MIN_CHANGE_CM:
        return 1
    return 0


def matched_words(m: Matched) -> str:
    return {-1: "At the same cadence you bounce less than you did: you are running lighter.",
            1: "At the same cadence you bounce more than you did.",
            0: f"At the same cadence your bounce has not changed by {MIN_CHANGE_CM} cm or more."}[matched_change(m)]


def _fmt(v: float | None, decimals: int) -> str:
    return "n/a" if v is None else f"{v:.{decimals}f}"


def words(log: RunLog, points: list[SessionPoint], weeks: list[WeekRow], matched: Matched | None):
    """(verdict lines, advice lines) in plain language."""
    verdict: list[str] = []
    advice: list[str] = []
    running = [w for w in weeks if w.values.get("cadence_spm") is not None]
    if len(running) < 2:
        verdict.append(f"{len(points)} session{'s' if len(points) != 1 else ''} in the log"
                       + (f", all in week {weeks[0].week}" if weeks else "")
                       + ": progress needs running in at least two different weeks.")
    if matched:
        m = matched
        verdict.append(
            f"Bounce at {m.band[0]}–{m.band[1]} spm"
            + (f" and {m.speed_range[0]:.1f}–{m.speed_range[1]:.1f} m/s" if m.speed_range else "")
            + f": {m.first_cm:.1f} cm in week {m.first_week}, "
            f"{m.last_cm:.1f} cm in week {m.last_week} ({signed(m.change_cm)} cm; {CONFIDENCE_PCT} % interval "
            f"{signed(m.interval_cm[0])} to {signed(m.interval_cm[1])} cm, from {m.n_first} and {m.n_last} steps).")
        verdict.append(matched_words(m))
        if m.placement is not None:
            verdict.append(f"Bounce is compared only between sessions worn on the "
                           f"{_placement.WORDS.get(m.placement, m.placement)}"
                           + (f" ({m.left_out} session{'s' if m.left_out != 1 else ''} of those weeks worn "
                              "elsewhere left out)" if m.left_out else "")
                           + ": a strap moves differently at another place on the trunk.")
    elif len(running) >= 2:
        verdict.append("Your steps in the first and the latest weeks share no cadence band with enough steps, "
                       "so bounce cannot be compared at matched cadence.")
    if len(running) >= 2:
        a, b = running[0], running[-1]
        parts = []
        for key, label, unit, dec in SERIES:
            x, y = a.values.get(key), b.values.get(key)
            if x is None or y is None or key in ("speed_mps",):
                continue
            label = "running per week" if key == "running_min" else label.lower()
            parts.append(f"{label} {_fmt(x, dec)} → {_fmt(y, dec)} {unit}")
        unmatched = "cadence, speed or placement" if _mixed_placements(points) else "cadence or speed"
        verdict.append(f"Week {a.week} to week {b.week} (session medians, not matched for {unmatched}): "
                       + ", ".join(parts) + ".")
        if b.values.get("speed_mps") is not None and a.values.get("speed_mps") is not None:
            verdict.append(f"Speed: {a.values['speed_mps']:.2f} m/s in week {a.week}, "
                           f"{b.values['speed_mps']:.2f} m/s in week {b.week}.")
        cadence_up = (b.values["cadence_spm"] or 0) - (a.values["cadence_spm"] or 0)
        vo_a, vo_b = a.values.get("vertical_oscillation_cm"), b.values.get("vertical_oscillation_cm")
        if matched is not None and matched_change(matched) == 0 and vo_a is not None and vo_b is not None \
                and vo_a - vo_b >= MIN_CHANGE_CM and cadence_up > 0:
            verdict.append(f"Your bounce fell from {vo_a:.1f} to {vo_b:.1f} cm as your cadence rose from "
                           f"{a.values['cadence_spm']:.0f} to {b.values['cadence_spm']:.0f} spm: at the same "
                           "cadence it barely changed, so the quicker steps did it.")
        bounce_down = matched is not None and matched_change(matched) < 0 or (
            vo_a is not None and vo_b is not None and vo_a - vo_b >= MIN_CHANGE_CM and cadence_up > 0)
        if bounce_down:
            advice.append("Keep doing what you are doing: quick, light steps. Build running time gradually "
                          "(the plan's weeks), and check again in a week.")
        else:
            advice.append("Try quicker, shorter steps (5-10 % more steps per minute) at the same easy pace: "
                          "that lowers bounce and the load on each landing (Heiderscheit et al. 2011).")
    for f in _latest_flags(log, points):
        if f.get("advice"):
            advice.append(f"Your latest run: {f.get('message', '')} Try: {f['advice']}")
    return verdict, advice
