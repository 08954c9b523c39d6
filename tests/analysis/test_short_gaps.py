"""Short gaps (lost BLE frames) are bridged: bouts and step detection carry across them, nothing is
measured from the filled samples, and long gaps still split. firmware_sim sessions with frames deleted
(5 % of 8-sample chunks plus bursts), compared with the ground truth."""

from __future__ import annotations

import numpy as np
import pytest

from runform.analysis import analyze
from runform.analysis._timebase import overlaps_gap, sample_rate
from runform.sensors.recording import Metadata, Recording, find_gaps

CHUNK = 8  # samples per lost frame (Movesense IMU6 notification at 208 Hz)
LOSS = 0.05
BURSTS = ((40.0, 5), (75.0, 12), (100.0, 20))  # (s, frames): 0.2, 0.5 and 0.8 s (the last one splits)


def _drop_frames(rec: Recording, rng: np.random.Generator, loss: float, bursts=()) -> Recording:
    """Delete ``loss`` of the CHUNK-sample frames at random and whole bursts of frames; the gaps go into
    the metadata as a recorder writes them."""
    n_frames = rec.time.size // CHUNK
    lost = rng.random(n_frames) < loss
    fs = rec.meta.nominal_rate_hz
    for t, frames in bursts:
        f0 = int(t * fs) // CHUNK
        lost[f0:f0 + frames] = True
    lost[:2] = lost[-2:] = False
    keep = np.ones(rec.time.size, bool)
    keep[: n_frames * CHUNK] = ~np.repeat(lost, CHUNK)
    meta = Metadata(**{**rec.meta.__dict__, "gaps": []})
    out = Recording(rec.time[keep], rec.acc[keep], None if rec.gyro is None else rec.gyro[keep], meta)
    out.meta.gaps = find_gaps(out.time, fs, reason="lost frames")
    return out


def _in_gaps(t: np.ndarray, rec: Recording) -> np.ndarray:
    g = np.array([[x.start_s, x.end_s] for x in rec.meta.gaps])
    j = np.searchsorted(g[:, 0], t) - 1
    return (j >= 0) & (t < g[np.maximum(j, 0), 1])


@pytest.fixture(scope="module")
def lossy():
    from runform import firmware_sim

    sim = firmware_sim.simulate("bouncy", 120, 200, 7, "chest", True)
    rec = _drop_frames(sim.recording, np.random.default_rng(3), LOSS, BURSTS)
    return sim, rec, analyze(rec)


def test_frame_loss_keeps_the_run_and_finds_the_observed_strikes(lossy, matcher):
    sim, rec, s = lossy
    assert len(rec.meta.gaps) > 80  # about one lost frame per second, plus the bursts
    runs = [b for b in s.bouts if b.kind == "run"]
    assert len(runs) == 2  # bridged everywhere except the 0.8 s burst
    assert any(b.end_s <= 100.0 + 0.1 and b.end_s > 90 for b in runs)
    tr = sim.truth.steps
    ic = tr["ic_device_s"][tr["gait"] == "run"]
    inner = (runs[0].start_s + 1, runs[-1].end_s - 1)
    ic = ic[(ic > inner[0]) & (ic < inner[1])]
    observed = ic[~_in_gaps(ic, rec)]  # a strike inside a gap is not observed
    t = s.steps["time_s"][s.steps["bout_kind"] == "run"]
    t = t[(t > inner[0]) & (t < inner[1])]
    recall, _, err = matcher(t, observed, 0.15)
    _, precision, _ = matcher(t, ic, 0.15)
    assert recall >= 0.995 and precision >= 0.995
    assert abs(np.mean(err)) <= 0.015 and np.std(err) <= 0.02
    r, run = s.summary["running"], tr["gait"] == "run"
    assert r["cadence_spm"] == pytest.approx(60.0 * run.sum() / (tr["step_ms"][run].sum() / 1000.0), abs=0.5)
    assert r["vertical_oscillation_cm"] == pytest.approx(np.median(tr["vo_sensor_cm"][run]), abs=0.5)
    assert r["ground_contact_ms"] == pytest.approx(np.median(tr["contact_ms"][run]), abs=15)
    assert r["trunk_rotation_deg"] == pytest.approx(np.nanmedian(tr["yaw_range_deg"][run]), abs=1.5)


def test_nothing_is_measured_across_a_gap(lossy):
    _, rec, s = lossy
    st = s.steps
    run = st["bout_kind"] == "run"
    ic, to = st["time_s"][run], st["toe_off_s"][run]
    g = np.array([[x.start_s, x.end_s] for x in rec.meta.gaps])
    # a gap strictly inside a measured stance or step interval would mean filled samples were measured
    stance = np.isfinite(st["ground_contact_ms"][run])
    hit = overlaps_gap(g, ic[stance], to[stance], 0.0)
    assert not hit.any()
    timed = np.isfinite(st["step_time_s"][run][:-1])
    assert not overlaps_gap(g, ic[:-1][timed], ic[1:][timed], 0.0).any()
    assert 0.5 < stance.mean() < 0.99  # some stances touch a gap, most do not


def test_a_long_gap_still_splits(synth):
    rec, _ = synth([("stand", 0, 8), ("run", 8, 200)], fs=50.0, gyro=False)
    keep = (rec.time < 60.0) | (rec.time >= 180.0)  # 2 min
    s = analyze(Recording(rec.time[keep], rec.acc[keep], None, Metadata(nominal_rate_hz=50)))
    runs = [b for b in s.bouts if b.kind == "run"]
    assert len(runs) == 2 and runs[0].end_s <= 60.0 and runs[1].start_s >= 180.0 - 0.01


def test_sample_rate_from_coarse_timestamps():
    t = np.floor(np.arange(20000) / 208.0 * 1000.0) / 1000.0  # Movesense: 1 ms timestamps at 208 Hz
    t = np.delete(t, np.arange(500, 20000, 1000))  # with a few gaps
    assert sample_rate(t) == pytest.approx(208.0, abs=0.2)


def test_overlaps_gap_intervals():
    gaps = np.array([[10.0, 18.0], [50.0, 51.0]])
    start = np.array([0.0, 0.0, 17.0, 30.0, 45.0, np.nan])
    end = np.array([5.0, 10.5, 25.0, 40.0, 49.5, 60.0])
    assert overlaps_gap(gaps, start, end, 0.0).tolist() == [False, True, True, False, False, False]
    assert overlaps_gap(gaps, start, end, 1.0).tolist() == [False, True, True, False, True, False]


def test_summary_sample_rate_is_nominal_else_estimated_over_continuous_stretches():
    t = np.floor(np.arange(208 * 20) / 208.0 * 1000.0) / 1000.0  # 20 s, 1 ms timestamps at 208 Hz
    acc = np.tile([0.0, 0.0, 1.0], (t.size, 1)) + 0.01 * np.random.default_rng(1).standard_normal((t.size, 3))
    assert 1.0 / np.median(np.diff(t)) != pytest.approx(208.0, abs=1.0)  # what the old estimate read
    est = analyze(Recording(t, acc, None, Metadata())).summary["sample_rate_hz"]
    assert est == pytest.approx(208.0, abs=0.2)
    assert analyze(Recording(t, acc, None, Metadata(nominal_rate_hz=208.0))).summary["sample_rate_hz"] == 208.0


def test_summary_carries_the_one_disclaimer(synth, capsys):
    from runform.analysis.flags import FORM_CUE_DISCLAIMER
    from runform.commands.analyze import summary_lines

    rec, _ = synth([("stand", 0, 8), ("run", 8, 30)], fs=50.0, gyro=False)
    summary = analyze(rec).summary
    assert summary["disclaimer"] == FORM_CUE_DISCLAIMER
    assert summary_lines(summary)[-1] == FORM_CUE_DISCLAIMER


def test_live_agrees_with_batch_across_short_gaps(lossy):
    from runform.analysis.live import LiveAnalyzer

    _, rec, s = lossy
    live = LiveAnalyzer(rate_hz=rec.meta.nominal_rate_hz)
    for block in rec.blocks(0.04):
        live.feed(block)
    live.flush()
    lt, bt = live.totals()["running"], s.summary["running"]
    assert abs(lt["steps"] - bt["steps"]) <= 0.005 * bt["steps"] + 1
    assert lt["cadence_spm"] == pytest.approx(bt["cadence_spm"], abs=0.5)
    assert lt["vertical_oscillation_cm"] == pytest.approx(bt["vertical_oscillation_cm"], abs=0.5)
    assert lt["ground_contact_ms"] == pytest.approx(bt["ground_contact_ms"], abs=15)
    assert [b.kind for b in live.bouts if b.kind == "run"] == ["run", "run"]  # split only at the 0.8 s burst


def test_one_rate_for_info_the_summary_and_the_grid():
    """208 Hz with 1 ms timestamps (steps of 4 and 5 ms) reads 208 Hz everywhere: the recording's
    measured rate (``runform info``), the analysis grid and the summary of a file without a nominal
    rate (1/median(dt) read 200)."""
    from runform import analysis
    from runform.analysis._timebase import split_segments

    rate = 208.0
    t = np.floor(np.arange(0, 20.0, 1 / rate) * 1000) / 1000
    acc = np.column_stack([np.zeros(t.size), np.zeros(t.size), np.ones(t.size)])
    rec = Recording(t, acc, None, Metadata())
    assert rec.measured_rate_hz == pytest.approx(rate, abs=0.2)
    assert split_segments(rec, 4.0)[0].fs == rec.measured_rate_hz
    assert analysis.analyze(rec).summary["sample_rate_hz"] == rec.measured_rate_hz
    assert find_gaps(t) == []  # coarse timestamps are not gaps
