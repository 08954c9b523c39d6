"""``analysis.LiveAnalyzer``: the streamed results agree with ``analyze()`` on firmware_sim sessions
(Couch-to-5K walk/run switches and a gap), steps are emitted once, soon after the foot strike, and bad
blocks fail with one line."""

from __future__ import annotations

import numpy as np
import pytest

from runform import analysis
from runform.analysis.live import LiveAnalyzer, StepEvent
from runform.firmware_sim import simulate
from runform.firmware_sim.profiles import Segment
from runform.sensors.errors import InputError
from runform.sensors.live_panel import LinkStatus, LivePanel
from runform.sensors.recording import Recording, SampleBlock

#: a short Couch-to-5K-like schedule: stand, walk, run, walk, run, walk
SCHEDULE = (Segment("stand", 12.0), Segment("walk", 45.0), Segment("run", 60.0), Segment("walk", 40.0),
            Segment("run", 45.0), Segment("walk", 30.0))
GAP = (170.0, 172.0)  # s: samples removed in the middle of the second run
MATCH_S = 0.05  # running foot strikes of the same step, live vs batch
#: walking steps are timed at the mid-stance peak, which on a flat-topped walking pulse jumps between two
#: near-equal maxima 60-80 ms apart when the window's gravity estimate differs by a hair: the same step
#: is matched at the accuracy benchmark's strike tolerance
WALK_MATCH_S = 0.15


def _with_gap(rec: Recording, a: float, b: float) -> Recording:
    keep = (rec.time < a) | (rec.time >= b)
    return Recording(rec.time[keep], rec.acc[keep], None if rec.gyro is None else rec.gyro[keep], rec.meta)


@pytest.fixture(scope="module")
def c25k():
    sim = simulate("c25k", duration_s=sum(s.duration_s for s in SCHEDULE), rate_hz=100, seed=11, schedule=SCHEDULE)
    rec = _with_gap(sim.recording, *GAP)
    live = LiveAnalyzer(rate_hz=rec.meta.nominal_rate_hz)
    emitted = []
    for block in rec.blocks(0.1):
        emitted += live.feed(block)
    emitted += live.flush()
    return rec, analysis.analyze(rec), live, emitted


def _match(est: np.ndarray, ref: np.ndarray, tol: float):
    """Index of the nearest ``est`` for each ``ref`` and whether it lies within ``tol``."""
    j = np.clip(np.searchsorted(est, ref), 1, est.size - 1)
    near = np.where(np.abs(est[j - 1] - ref) < np.abs(est[j] - ref), j - 1, j)
    return near, np.abs(est[near] - ref) <= tol


def _tolerance(kind: np.ndarray) -> np.ndarray:
    return np.where(kind == "run", MATCH_S, WALK_MATCH_S)


def test_live_steps_agree_with_batch_recall_and_precision(c25k):
    _, batch, live, _ = c25k
    b, l = batch.steps, live.steps_so_far()
    assert b["time_s"].size > 300
    near, ok = _match(l["time_s"], b["time_s"], _tolerance(b["bout_kind"]))
    _, ok_rev = _match(b["time_s"], l["time_s"], _tolerance(l["bout_kind"]))
    assert ok.mean() >= 0.995  # recall
    assert ok_rev.mean() >= 0.995  # precision
    assert np.mean(l["bout_kind"][near[ok]] == b["bout_kind"][ok]) >= 0.995
    run = ok & (b["bout_kind"] == "run")
    assert run.sum() > 200 and np.all(np.abs(l["time_s"][near[run]] - b["time_s"][run]) <= MATCH_S)


def test_live_sides_agree_with_batch_also_in_windows_without_running(c25k):
    """Walking steps more than a live window after a run (no running in their window, e.g. 130-145 s
    and the walk before the first run) keep the direction of the last (first) running bout."""
    _, batch, live, _ = c25k
    b, l = batch.steps, live.steps_so_far()
    near, ok = _match(l["time_s"], b["time_s"], _tolerance(b["bout_kind"]))
    for kind in ("run", "walk"):
        sel = ok & (b["bout_kind"] == kind)
        assert sel.sum() > 150
        assert np.mean(l["side"][near[sel]] == b["side"][sel]) >= 0.99, kind


def test_live_summary_within_accuracy_targets(c25k):
    _, batch, live, _ = c25k
    lr, br = live.totals()["running"], batch.summary["running"]
    assert abs(lr["cadence_spm"] - br["cadence_spm"]) <= 0.5
    assert abs(lr["vertical_oscillation_cm"] - br["vertical_oscillation_cm"]) <= 0.5
    assert abs(lr["ground_contact_ms"] - br["ground_contact_ms"]) <= 15.0
    assert abs(lr["steps"] - br["steps"]) <= 0.005 * br["steps"] + 1
    assert abs(lr["seconds"] - br["seconds"]) <= 2.0


def test_emitted_steps_once_each_soon_after_the_strike_and_with_the_batch_values(c25k):
    _, batch, live, emitted = c25k
    assert all(isinstance(e, StepEvent) for e in emitted) and emitted == live.events
    t = np.array([e.time_s for e in emitted])
    assert np.unique(np.round(t, 2)).size == t.size  # never twice
    assert np.all(np.diff([e.emitted_at_s for e in emitted]) >= 0)
    lat = np.array([e.latency_s for e in emitted])
    assert np.all(lat >= 0)
    assert np.median(lat) < 1.0  # stream time, not wall time
    # the values as first emitted (before settling) already agree with the batch path
    b = batch.steps
    near, ok = _match(np.sort(t), b["time_s"], MATCH_S)
    ev = [emitted[i] for i in np.argsort(t)]
    run = ok & (b["bout_kind"] == "run")
    assert run.sum() > 200
    for key, tol, per_step in (("cadence_spm", 0.5, None), ("vertical_oscillation_cm", 0.5, 0.5),
                               ("ground_contact_ms", 15.0, 15.0)):
        live_v = np.array([ev[i][key] for i in near[run]], dtype=float)
        assert abs(np.nanmedian(live_v) - np.nanmedian(b[key][run])) <= tol, key
        if per_step is not None:
            d = np.abs(live_v - b[key][run])
            assert np.percentile(d[np.isfinite(d)], 90) <= per_step, key


def test_gap_splits_bouts_and_invents_no_step(c25k):
    _, batch, live, _ = c25k
    t = live.steps_so_far()["time_s"]
    in_gap = t[(t > GAP[0] - 1) & (t < GAP[1] + 1)]
    assert _match(batch.steps["time_s"], in_gap, MATCH_S)[1].all()  # as the batch path, no more
    runs = [b for b in live.bouts if b.kind == "run"]
    assert len(runs) == 3
    assert any(b.end_s <= GAP[0] + 0.5 for b in runs) and any(b.start_s >= GAP[1] - 0.5 for b in runs)


def test_block_size_does_not_change_the_settled_steps(c25k):
    rec, _, live, _ = c25k
    other = LiveAnalyzer(rate_hz=rec.meta.nominal_rate_hz)
    for block in rec.blocks(0.4):
        other.feed(block)
    other.flush()
    a, b = live.steps_so_far()["time_s"], other.steps_so_far()["time_s"]
    _, ok = _match(b, a, MATCH_S)
    assert ok.mean() >= 0.995 and abs(a.size - b.size) <= 0.005 * a.size + 1


def test_rolling_summary_and_panel_metrics(c25k):
    _, _, live, _ = c25k
    r = live.rolling
    assert r["bout_kind"] == "walk" and r["step_kind"] == "walk"
    assert 95 < r["cadence_spm"] < 130 and r["ground_contact_ms"] is None
    panel = LivePanel(stream=_Sink(), tty=False)
    panel.add_metric(live.panel_metrics)
    panel.update(LinkStatus(device="sim", state="streaming", elapsed_s=10.0, samples=1000), force=True)
    line = panel.stream.text
    assert "cadence" in line and "spm" in line and "bounce" in line and "impact" in line


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass

    def isatty(self):
        return False


def test_bad_blocks_fail_with_one_line():
    live = LiveAnalyzer(rate_hz=100)
    t = np.arange(10) / 100
    live.feed(SampleBlock(t, np.tile([0.0, 0.0, 1.0], (10, 1))))
    with pytest.raises(InputError, match="increase strictly"):
        live.feed(SampleBlock(t, np.tile([0.0, 0.0, 1.0], (10, 1))))
    acc = np.tile([0.0, 0.0, 1.0], (10, 1))
    acc[3, 1] = np.nan
    with pytest.raises(InputError, match="NaN"):
        live.feed(SampleBlock(t + 1, acc))


def test_standing_only_emits_nothing():
    rec = simulate("stand", duration_s=30, rate_hz=50, seed=2).recording
    live = LiveAnalyzer()
    out = [e for b in rec.blocks(0.5) for e in live.feed(b)] + live.flush()
    assert out == [] and live.totals()["steps"] == 0 and live.cue is None


def test_speed_context_in_the_live_panel():
    """Issue 12: with a speed (given, or a footpod's readings) the rolling running summary adds step length and
    vertical ratio as ``analyze()`` defines them, and the panel shows pace and the vertical ratio's band for
    the placement; without a speed it says the speed is unknown."""
    from runform.analysis.catalogue import metric
    from runform.analysis.speed import pace_text

    sim = simulate("easy", duration_s=40, rate_hz=100, seed=3)
    speed = 2.8

    def fed(**kwargs):
        live = LiveAnalyzer(rate_hz=100, **kwargs)
        for block in sim.recording.blocks(0.5):
            live.feed(block)
        return live

    given = fed(speed_mps=speed)
    r = given.rolling
    assert r["speed_mps"] == speed and r["speed_source"] == "given"
    assert r["step_length_m"] == pytest.approx(speed * 60.0 / r["cadence_spm"])
    assert r["vertical_ratio_pct"] == pytest.approx(r["vertical_oscillation_cm"] / r["step_length_m"])
    fields = given.panel_metrics()
    band = metric("vertical_ratio_pct").band_of(r["vertical_ratio_pct"], placement="chest")
    assert fields["pace"] == pace_text(speed) and fields["vertical ratio"].endswith(f"({band})")
    assert fields["step length"] == metric("step_length_m").format(r["step_length_m"])
    # at the hip no published band holds: the figure without a colour
    assert "(" not in fed(speed_mps=speed, placement="hip").panel_metrics()["vertical ratio"]
    assert fed().panel_metrics()["speed"] == "unknown"
    # a footpod: readings once a second, standing zeros ignored
    pod = LiveAnalyzer(rate_hz=100)
    for block in sim.recording.blocks(0.5):
        if block.time[0] % 1.0 < 0.5:
            pod.add_speed(float(block.time[0]), speed if block.time[0] > 5 else 0.0)
        pod.feed(block)
    assert pod.rolling["speed_source"] == "footpod" and pod.rolling["speed_mps"] == pytest.approx(speed)
    assert pod.panel_metrics()["vertical ratio"] == fields["vertical ratio"]
    with pytest.raises(ValueError, match="outside"):
        LiveAnalyzer(speed_mps=40.0)
