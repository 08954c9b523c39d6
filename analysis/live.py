"""``LiveAnalyzer``: the batch analysis, step by step, on a stream of ``SampleBlock``s.

How (no second implementation): the last ``window_s`` seconds of samples are buffered and, every
time the next step should be complete (``_next_due``), run through the batch stages (``_live_window.analyse_window``: the
same timebase, orientation, bouts, steps and per-step metrics as ``analyze()``). Out of each window:

* a step is EMITTED (``feed`` returns it) as soon as it is complete: the next step's toe-off (its
  mid-stance when walking) lies ``guard_s`` before the newest sample, so its step time, VO, contact
  and impact are measured; a step with no successor (end of a bout before a gap) goes after
  ``max_wait_s``. Steps already emitted are recognised by time (``match_s``) and never emitted twice.
* a step is SETTLED once ``settle_s`` of data follow it: its values are then taken from a window in
  which it sits in the middle (bout labels need ``min_bout_s`` plus smoothing on both sides), and no
  longer change. ``steps_so_far()`` holds settled steps plus the newest window's view of the rest.
  Stride metrics (trunk rotation, lateral sway) need two more steps: they are NaN in the emitted event
  and filled in the table.
* walking direction: the AP axis of the last running bout seen is carried into later windows (batch:
  the nearest running bout), so walking steps in a window without running keep their left/right; the
  settled walking steps from before the first running bout are re-sided once it is seen.
* rolling summaries (``rolling``) over the last ``rolling_steps`` steps of the newest bout, the current
  bout kind, and the jarring cue (``analysis.live_cues``).
* speed context: with a running speed (``speed_mps``, a treadmill's) or a footpod's readings
  (``add_speed``: BLE RSC, as the recorder receives them) the rolling summary of a running bout adds the
  speed, pace, step length and vertical ratio (``analysis.speed``, as ``analyze()`` computes them per
  step), and the panel shows them with the vertical ratio's band for the ``placement``
  (``catalogue.Metric.band_of``); without either, the panel says the speed is unknown.

Deviations from ``analyze()``: bout edges and step values near the newest sample are provisional
(settled ones agree with the batch path, see tests/analysis/test_live.py); the upright reference for
forward lean is the mean posture while standing (else walking) seen so far, not over the whole session;
the average cycle and the plotting signals are batch-only.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from runform.sensors.errors import InputError
from runform.sensors.recording import SampleBlock
from runform.sensors.units import RUNNING_SPEED_RANGE_MPS

from . import _bouts, _summary, placement as _placement, speed as _speed
from ._live_window import WindowResult, analyse_window
from ._preset import DEFAULT, Preset, ShortRepr
from ._stage1_prepare import recognise_upright
from ._session import STEP_COLUMNS, empty_steps
from ._thresholds import NO_BAND, RUN_KIND
from .catalogue import metric
from .live_cues import CUE_DEFAULT, Cue, CuePreset, CueTracker

STREAM = "live stream"


@dataclass(frozen=True, repr=False)
class LivePreset(ShortRepr):
    window_s: float = 24.0  # samples analysed each time (>= 2 x settle_s: a settled step has settle_s either side)
    min_interval_s: float = 0.1  # analyse at most this often (s of stream time) ...
    max_interval_s: float = 1.0  # ... and at least this often
    guard_s: float = 0.1  # filter edge: the next step's toe-off must be this far from the newest sample
    due_margin_s: float = 0.02  # the next analysis is due this long after the predicted completion
    max_wait_s: float = 1.5  # a step without a successor is emitted once this old
    # steps this old are final: a bout edge just before them needs min_bout_s (8 s) of the next bout, plus
    # half the majority filter (2.5 windows x 1 s hop) and half a classification window (1 s) = 11.5 s,
    # to be placed as the whole recording places it (10 s left run ends 0.1-0.5 s late, issue 5)
    settle_s: float = 12.0
    match_s: float = 0.15  # two windows' foot strikes closer than this are the same step
    rolling_steps: int = 20  # steps in the rolling summary
    pause_s: float = 2.5  # no step for this long (standing): the next step starts a new bout


LIVE_DEFAULT = LivePreset()
ROLLING_METRICS = ("vertical_oscillation_cm", "ground_contact_ms", "impact_g", "bounce_g")
#: the figures the live panel shows, in order (labels, units, decimals: the catalogue)
PANEL_METRICS = tuple(metric(key) for key in ("cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g"))
#: with a running speed: step length and vertical ratio (after the pace)
SPEED_METRICS = tuple(metric(key) for key in ("step_length_m", "vertical_ratio_pct"))
#: a footpod reading stands for the running within this many seconds of it (``side_channels.MAX_GAP_S``)
FOOTPOD_MAX_AGE_S = 5.0


@dataclass
class StepEvent:
    """One emitted step: ``values`` (one value per ``STEP_COLUMNS`` column, as in ``Session.steps``;
    ``bout`` is the live bout number) and ``emitted_at_s``, the stream time of the newest sample when it
    was emitted. ``event["cadence_spm"]`` reads a value."""

    values: dict[str, Any]
    emitted_at_s: float

    @property
    def time_s(self) -> float:
        return float(self.values["time_s"])

    @property
    def latency_s(self) -> float:
        """Stream time from the foot strike to the emission (s)."""
        return self.emitted_at_s - self.time_s

    def __getitem__(self, key: str):
        return self.values[key]


@dataclass
class LiveBout:
    kind: str
    start_s: float
    end_s: float
    segment_t0: float = -np.inf  # first sample after the gap this bout starts at (-inf: none seen)


@dataclass
class _BoutState:
    """Live bout numbering: the newest bout and the time of its newest step."""

    bouts: list[LiveBout] = field(default_factory=list)
    last_t: float = -np.inf

    def copy(self) -> "_BoutState":
        return _BoutState([LiveBout(b.kind, b.start_s, b.end_s, b.segment_t0) for b in self.bouts], self.last_t)

    def assign(self, kinds: np.ndarray, times: np.ndarray, wb_start: np.ndarray, wb_end: np.ndarray,
               seg_t0: np.ndarray, pause_s: float) -> np.ndarray:
        """Bout numbers for steps in time order: a new bout when the kind changes, when the step's segment
        starts after a gap not yet seen (``seg_t0``, -inf when unknown), or after a pause without steps
        longer than ``pause_s`` (a stand bout in between)."""
        out = np.empty(times.size, dtype=int)
        for i in range(times.size):  # loop bound: steps settled by one analysis (one or two)
            cur = self.bouts[-1] if self.bouts else None
            if (cur is None or kinds[i] != cur.kind or seg_t0[i] > cur.segment_t0 + 1e-6
                    or times[i] - self.last_t > pause_s):
                self.bouts.append(LiveBout(str(kinds[i]), float(wb_start[i]), float(wb_end[i]), float(seg_t0[i])))
            else:
                cur.end_s = float(wb_end[i])  # the newest window's view of where this bout ends
            out[i] = len(self.bouts) - 1
            self.last_t = float(times[i])
        return out


def _take(steps: dict[str, np.ndarray], sel) -> dict[str, np.ndarray]:
    return {k: v[sel] for k, v in steps.items()}


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    parts = [part for part in parts if part["time_s"].size]
    if not parts:
        return empty_steps()
    return {c: np.concatenate([part[c] for part in parts]) for c in STEP_COLUMNS}


def _near(t: np.ndarray, ref: np.ndarray, tol: float) -> np.ndarray:
    """True where ``t`` lies within ``tol`` of some value of the sorted array ``ref``."""
    if ref.size == 0 or t.size == 0:
        return np.zeros(t.shape, bool)
    j = np.clip(np.searchsorted(ref, t), 1, max(1, ref.size - 1)) if ref.size > 1 else np.zeros(t.size, int)
    d = np.abs(ref[j] - t)
    if ref.size > 1:
        d = np.minimum(d, np.abs(ref[j - 1] - t))
    return d <= tol


class LiveAnalyzer:
    """Streaming analysis of one session.

    ``LiveAnalyzer(rate_hz=None, has_gyro=None, preset=DEFAULT, live=LIVE_DEFAULT, cues=CUE_DEFAULT)``:
    ``rate_hz`` the nominal sample rate (gap detection; None: from the timestamps), ``has_gyro`` None:
    as the first block has; ``speed_mps`` the running speed when known (a treadmill's; None: unknown, or a
    footpod's through ``add_speed``); ``placement`` where the sensor is worn (``analysis.placement``; None:
    judged as a chest strap). ``feed(block) -> list[StepEvent]``, ``flush() -> list[StepEvent]`` at the end
    of the stream, ``add_speed(time_s, speed_mps)`` a footpod reading, ``rolling`` (dict), ``cue`` (the
    active ``Cue`` or None), ``cues`` (announced), ``steps_so_far()``, ``totals()``, ``panel_metrics()`` for
    ``sensors.live_panel.LivePanel.add_metric``.
    """

    def __init__(self, rate_hz: float | None = None, has_gyro: bool | None = None, preset: Preset = DEFAULT,
                 live: LivePreset = LIVE_DEFAULT, cues: CuePreset = CUE_DEFAULT, *,
                 speed_mps: float | None = None, placement: str | None = None) -> None:
        if live.window_s < 2 * live.settle_s:
            raise ValueError("live window_s must be at least 2 x settle_s")
        if speed_mps is not None and not (np.isfinite(speed_mps) and
                                          RUNNING_SPEED_RANGE_MPS[0] <= speed_mps <= RUNNING_SPEED_RANGE_MPS[1]):
            raise ValueError(f"running speed {speed_mps} m/s is outside 0.5-12 m/s")
        self.speed_mps = speed_mps
        self.placement = _placement.normalise(placement) or _placement.ASSUMED
        self._footpod_t: list[float] = []  # footpod readings (stream s, m/s), in time order
        self._footpod_v: list[float] = []
        self.rate_hz = rate_hz
        self.has_gyro = has_gyro
        self.preset = preset
        self.live = live
        self._t = np.empty(0)
        self._acc = np.empty((0, 3))
        self._gyro: np.ndarray | None = None
        self._due = -np.inf  # stream time at which the next step is predicted to be complete
        self._settled_parts: list[dict[str, np.ndarray]] = []
        self._settled_cache: dict[str, np.ndarray] | None = None
        self._provisional = empty_steps()
        self._bouts = _BoutState()
        self._settle_t = -np.inf
        self._emitted_recent = np.empty(0)  # emitted foot strikes of the last window, sorted
        self._upright = {k: (np.zeros(3), 0) for k in (_bouts.STAND, _bouts.WALK, _bouts.RUN)}
        self._ap_ref: np.ndarray | None = None  # AP axis (sensor frame) of the last running bout seen
        self._unreferenced: list[tuple[np.ndarray, np.ndarray]] = []  # (settled walking strikes, their AP)
        self._kind_now: str | None = None
        self._tracker = CueTracker(cues)
        self.events: list[StepEvent] = []
        self.rolling: dict[str, Any] = self._rolling(empty_steps(), None)
        self.samples = 0
        self.windows = 0
        self.error: str | None = None  # set by on_block when the live analysis had to stop

    # --- input ---------------------------------------------------------------------------------
    def feed(self, block: SampleBlock) -> list[StepEvent]:
        """Add a block of samples (stream seconds, g, deg/s); returns the steps completed by it."""
        if len(block) == 0:
            return []
        self._append(block)
        if self._t[-1] < self._due:
            return []
        return self._analyse(final=False)

    def on_block(self, block: SampleBlock) -> None:
        """``feed`` for a recorder callback (``Recorder.on_block``): a bad block stops the live analysis
        (the reason goes to ``error``) and never the recording."""
        if self.error is None:
            try:
                self.feed(block)
            except (InputError, ValueError) as exc:
                self.error = str(exc)

    def add_speed(self, time_s: float, speed_mps: float) -> None:
        """A footpod's speed reading (stream seconds, m/s; BLE RSC). Readings not newer than the last one are
        ignored (the recorder reports the newest reading with every status); only those of the last window
        are kept (memory stays bounded over a long run)."""
        if not (np.isfinite(time_s) and np.isfinite(speed_mps)):
            return
        if self._footpod_t and time_s <= self._footpod_t[-1]:
            return
        self._footpod_t.append(float(time_s))
        self._footpod_v.append(float(speed_mps))
        old = bisect_left(self._footpod_t, time_s - self.live.window_s - FOOTPOD_MAX_AGE_S)
        if old:
            del self._footpod_t[:old], self._footpod_v[:old]

    def _running_speed(self, start_s: float, end_s: float) -> tuple[float | None, str | None]:
        """(m/s, its source) over [start_s, end_s] of running: the given speed, else the median footpod
        reading in that span (or the newest within ``FOOTPOD_MAX_AGE_S`` of its end); (None, None) unknown."""
        if self.speed_mps is not None:
            return self.speed_mps, _placement.SOURCE_GIVEN
        if not self._footpod_t:
            return None, None
        t, v = np.asarray(self._footpod_t), np.asarray(self._footpod_v)
        ok = (v >= RUNNING_SPEED_RANGE_MPS[0]) & (v <= RUNNING_SPEED_RANGE_MPS[1])
        inside = ok & (t >= start_s) & (t <= end_s + FOOTPOD_MAX_AGE_S)
        if inside.any():
            return float(np.median(v[inside])), "footpod"
        recent = ok & (np.abs(t - end_s) <= FOOTPOD_MAX_AGE_S)
        return (float(v[recent][-1]), "footpod") if recent.any() else (None, None)

    def flush(self) -> list[StepEvent]:
        """End of stream: analyse what is buffered, settle and emit every remaining step."""
        if self._t.size == 0:
            return []
        return self._analyse(final=True)

    def _append(self, b: SampleBlock) -> None:
        t = b.time
        if not (np.all(np.isfinite(t)) and np.all(np.isfinite(b.acc))) or (
                b.gyro is not None and not np.all(np.isfinite(b.gyro))):
            raise InputError(STREAM, "block contains NaN or infinite values")
        last = self._t[-1] if self._t.size else -np.inf
        if t[0] <= last or np.any(np.diff(t) <= 0):
            raise InputError(STREAM, f"block times must increase strictly (block starts at {t[0]:.3f} s, "
                                     f"last sample {last:.3f} s)")
        if self.has_gyro is None:
            self.has_gyro = b.gyro is not None
        if self.has_gyro and b.gyro is None:
            raise InputError(STREAM, "a block without gyroscope data in a stream that has it")
        keep = self._t >= t[-1] - self.live.window_s if self._t.size else slice(None)
        self._t = np.concatenate([self._t[keep], t])
        self._acc = np.concatenate([self._acc[keep], b.acc])
        if self.has_gyro:
            self._gyro = b.gyro.copy() if self._gyro is None else np.concatenate([self._gyro[keep], b.gyro])
        self.samples += len(b)

    # --- analysis ------------------------------------------------------------------------------
    def _up_ref(self) -> np.ndarray | None:
        """Standing seen so far, when recognised as upright (``_stage1_prepare.recognise_upright``)."""
        (stand, n_stand), (walk, n_walk), (run, n_run) = (self._upright[k] for k in (_bouts.STAND, _bouts.WALK, _bouts.RUN))
        return recognise_upright([stand] if n_stand else [], walk if n_walk else None, run if n_run else None,
                                 self.preset)[0]

    def _analyse(self, final: bool) -> list[StepEvent]:
        self.windows += 1
        end = float(self._t[-1])
        win = analyse_window(self._t, self._acc, self._gyro, self.rate_hz, self.preset, self._up_ref(), self._ap_ref)
        self._kind_now = win.bouts[-1].kind if win.bouts else None
        steps = win.steps
        n = steps["time_s"].size
        times = steps["time_s"]
        wb_start = np.array([win.bouts[i].start_s for i in steps["bout"]]) if n else np.empty(0)
        wb_end = np.array([win.bouts[i].end_s for i in steps["bout"]]) if n else np.empty(0)
        seg_starts = np.array([prepared.seg.t0 for prepared in win.prepared])
        # start of the segment of each step's bout when a gap precedes it inside this window, else -inf
        # (a segment's first strike may be extrapolated to just before the segment's first sample)
        seg_i = np.searchsorted(seg_starts, wb_start + 1e-9, side="right") - 1 if n else np.empty(0, int)
        seg_t0 = np.where(seg_i > 0, seg_starts[np.maximum(seg_i, 0)], -np.inf) if n else np.empty(0)
        pause = self.live.pause_s
        # settle
        settle_t = np.inf if final else end - self.live.settle_s
        self._accumulate_upright(win, settle_t)
        fresh = times > self._bouts.last_t + self.live.match_s
        settle = fresh & (times <= settle_t)
        if settle.any():
            part = _take(steps, settle)
            part["bout"] = self._bouts.assign(part["bout_kind"], part["time_s"], wb_start[settle], wb_end[settle],
                                              seg_t0[settle], pause)
            self._settled_parts.append(part)
            self._settled_cache = None
            self._note_unreferenced(win, steps, settle)
        if win.ap_ref is not None and self._ap_ref is None:
            self._ap_ref = win.ap_ref
            self._reside_unreferenced()
        prov_sel = fresh & ~settle
        prov = _take(steps, prov_sel)
        prov["bout"] = self._bouts.copy().assign(prov["bout_kind"], prov["time_s"], wb_start[prov_sel], wb_end[prov_sel],
                                                 seg_t0[prov_sel], pause)
        # emit
        ready = np.where(np.isfinite(steps["toe_off_s"]), steps["toe_off_s"], times)
        next_ready = np.append(ready[1:], np.inf)
        complete = (next_ready <= end - self.live.guard_s) | (times <= end - self.live.max_wait_s) | final
        new = complete & fresh & ~_near(times, self._emitted_recent, self.live.match_s)
        self._due = self._next_due(end, times, ready, next_ready, ~complete & fresh)
        # bout numbers of the emitted steps: as settled now, else as provisional
        bout_no = np.full(n, -1)
        if settle.any():
            bout_no[settle] = part["bout"]
        bout_no[prov_sel] = prov["bout"]
        events = []
        for i in np.flatnonzero(new):  # loop bound: steps completed since the last window (one or two)
            vals = {c: steps[c][i].item() for c in STEP_COLUMNS}
            vals["bout"] = int(bout_no[i])
            events.append(StepEvent(vals, end))
        if events:
            recent = self._emitted_recent[self._emitted_recent >= end - self.live.window_s]
            self._emitted_recent = np.sort(np.concatenate([recent, times[new]]))
            self.events += events
        self._provisional = prov
        table = self._recent_table()
        self.rolling = self._rolling(table, end)
        if events or final:
            self._tracker.update(table, end)
        self.rolling["cue"] = self.cue.text if self.cue else None
        return events

    def _note_unreferenced(self, win: WindowResult, steps, settle) -> None:
        """Remember settled walking steps whose direction came from their own braking pattern (no running
        bout seen yet), to re-side them from the first running bout (as the batch path does)."""
        axes = win.bout_axes()
        for bout_id in np.unique(steps["bout"][settle]):
            kind, ap, source = axes.get(int(bout_id), (None, None, None))
            if source == "own":
                sel = settle & (steps["bout"] == bout_id)
                self._unreferenced.append((steps["time_s"][sel].copy(), ap))

    def _reside_unreferenced(self) -> None:
        """Swap L/R of the remembered walking steps whose AP axis points against the running bout's."""
        table = self._settled()
        for times, ap in self._unreferenced:
            if float(ap @ self._ap_ref) < 0:
                hit = np.isin(table["time_s"], times)
                side = table["side"][hit]
                table["side"][hit] = np.where(side == "L", "R", np.where(side == "R", "L", side))
        self._unreferenced = []

    def _next_due(self, end: float, times, ready, next_ready, pending) -> float:
        """When to analyse next: when the first pending step should be complete (its successor's
        toe-off + guard, the successor predicted one step time after the last step when not yet seen),
        within [min_interval_s, max_interval_s] from now. Analysing once per step instead of on a fixed
        stride keeps the latency near its floor (next toe-off + guard) at the lowest CPU cost."""
        lv = self.live
        n = times.size
        step_s = float(np.median(np.diff(times[-6:]))) if n >= 2 else lv.max_interval_s
        idx = np.flatnonzero(pending)
        if idx.size:
            i = idx[0]
            due = next_ready[i] if i + 1 < n else ready[i] + step_s
            due = min(due + lv.guard_s, times[i] + lv.max_wait_s)
        elif n:
            due = ready[-1] + 2 * step_s + lv.guard_s
        else:
            due = end + lv.max_interval_s
        return float(np.clip(due + lv.due_margin_s, end + lv.min_interval_s, end + lv.max_interval_s))

    def _accumulate_upright(self, win: WindowResult, settle_t: float) -> None:
        if settle_t > self._settle_t:
            for kind, (total, count) in win.upright_sums(self._settle_t, settle_t).items():
                old_total, old_count = self._upright[kind]
                self._upright[kind] = (old_total + total, old_count + count)
            self._settle_t = settle_t

    # --- results -------------------------------------------------------------------------------
    def _settled(self) -> dict[str, np.ndarray]:
        if self._settled_cache is None:
            self._settled_cache = _concat(self._settled_parts)
            self._settled_parts = [self._settled_cache] if self._settled_cache["time_s"].size else []
        return self._settled_cache

    def steps_so_far(self) -> dict[str, np.ndarray]:
        """Per-step table (``STEP_COLUMNS``): settled steps, then the newest window's provisional ones."""
        return _concat([self._settled(), self._provisional])

    def _recent_table(self) -> dict[str, np.ndarray]:
        """The last few dozen steps (settled tail + provisional), for rolling values and cues."""
        keep = self.live.rolling_steps + self._tracker.preset.persist_steps + 8
        tail = [_take(part, slice(-keep, None)) for part in self._settled_parts[-keep:]]
        return _take(_concat(tail + [self._provisional]), slice(-keep, None))

    def _rolling(self, table: dict[str, np.ndarray], end: float | None) -> dict[str, Any]:
        out: dict[str, Any] = {"time_s": end, "bout_kind": self._kind_now, "steps": 0, "cadence_spm": None}
        out.update({k: None for k in ROLLING_METRICS})
        if table["time_s"].size:
            last_bout = table["bout"] == table["bout"][-1]
            idx = np.flatnonzero(last_bout)[-self.live.rolling_steps:]
            t = table["time_s"][idx]
            out["steps"] = int(idx.size)
            out["step_kind"] = str(table["bout_kind"][idx[-1]])
            out["cadence_spm"] = _summary.cadence_of(t, np.zeros(t.size, int))
            for k in ROLLING_METRICS:
                out[k] = _summary.nanmedian(table[k][idx])
            if out["step_kind"] == RUN_KIND:
                out.update(self._speed_context(float(t[0]), float(t[-1]), out["cadence_spm"],
                                               out["vertical_oscillation_cm"]))
        out["total_steps"] = len(self.events)
        return out

    def _speed_context(self, start_s: float, end_s: float, cadence_spm, vo_cm) -> dict[str, Any]:
        """Speed, its source, step length (m) and vertical ratio (%) of the rolling running steps, as
        ``analyze()`` defines them (``analysis.speed``); nothing without a speed."""
        speed, source = self._running_speed(start_s, end_s)
        if speed is None or cadence_spm is None:
            return {}
        length = float(_speed.step_length_m(speed, 60.0 / cadence_spm))
        ratio = float(_speed.vertical_ratio_pct(vo_cm, length)) if vo_cm is not None else None
        return {"speed_mps": speed, "speed_source": source, "step_length_m": length,
                "vertical_ratio_pct": ratio if ratio is not None and np.isfinite(ratio) else None}

    @property
    def cue(self) -> Cue | None:
        """The cue shown now (jarring pattern persisting), or None."""
        return self._tracker.active

    @property
    def cues(self) -> list[Cue]:
        """Every cue announced so far (a new one, or the same again after ``repeat_s``)."""
        return self._tracker.history

    @property
    def bouts(self) -> list[LiveBout]:
        return list(self._bouts.bouts)

    def totals(self) -> dict[str, Any]:
        """Session summary of the live table, as ``analyze()`` computes it (``_summary.group_summary`` over
        run steps, trimmed per bout), with ``seconds`` of running and the flags (``analysis.flags``)."""
        steps = self.steps_so_far()
        trim = _summary.trimmed_mask(steps["bout"], self.preset.trim_steps)
        run_sel = steps["bout_kind"] == "run"
        running = _summary.group_summary(steps, run_sel, trim)
        running["seconds"] = float(sum(b.end_s - b.start_s for b in self._bouts.bouts if b.kind == "run"))
        walk_sel = steps["bout_kind"] == "walk"
        out = {"steps": int(steps["time_s"].size), "running": running,
               "walking": {"steps": int(walk_sel.sum()),
                           "cadence_spm": _summary.cadence_of(steps["time_s"][walk_sel], steps["bout"][walk_sel])},
               "has_gyro": bool(self.has_gyro), "cues": len(self.cues)}
        from .flags import evaluate_flags

        out["flags"] = evaluate_flags(out, steps)
        return out

    def _speed_fields(self, r: dict[str, Any]) -> dict[str, str]:
        """Pace, step length and vertical ratio (with its band where one holds for the placement) while
        running with a known speed; "speed unknown" without one."""
        if r.get("speed_mps") is None:
            if self.speed_mps is None and not self._footpod_t:
                return {"speed": "unknown"}
            return {}  # a speed is on its way (footpod) or the newest steps are not running
        out = {"pace": _speed.pace_text(r["speed_mps"])}
        for m in SPEED_METRICS:
            value = r.get(m.key)
            band = m.band_of(value, placement=self.placement)
            text = m.format(value) if value is not None else "--"
            out[m.label.lower()] = text if band == NO_BAND else f"{text} ({band})"
        return out

    def panel_metrics(self) -> dict[str, str]:
        """``{label: text}`` for ``LivePanel.add_metric``: cadence, bounce, contact, impact, with a speed
        pace, step length and vertical ratio (or "speed unknown"), cue."""
        r = self.rolling
        # the newest steps' kind; the label of the last second or two of samples is still provisional
        out = {"now": "stand" if r.get("bout_kind") == "stand" else r.get("step_kind") or r.get("bout_kind") or "--"}
        for m in PANEL_METRICS:
            out[m.label.lower()] = m.format(r[m.key]) if r.get(m.key) is not None else "--"
        out.update(self._speed_fields(r))
        if self.cue is not None:
            out["CUE"] = self.cue.text
        return out
