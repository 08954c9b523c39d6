"""Smoke test of benchmarks/speed.py on a 30 s trace: every stage runs and the tables render.
No timing is asserted (shared, noisy machines); only that the harness measures what it says."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import speed  # noqa: E402
from benchmarks._speed.table import render  # noqa: E402
from benchmarks._speed.traces import TraceSpec, ensure_trace  # noqa: E402
from runform.sensors.canonical_csv import read_canonical  # noqa: E402

SPEC = TraceSpec("30 s 200 Hz 6-axis", 30, 200, True)


def test_cached_trace_is_a_gapless_canonical_csv(tmp_path):
    spec = TraceSpec("40 s 100 Hz acc-only", 40, 100, False)
    path = ensure_trace(spec, tmp_path, log=lambda _: None)
    rec = read_canonical(path)
    assert rec.gyro is None and abs(len(rec) - spec.samples) <= 1
    assert rec.meta.gaps == [] and np.all(np.diff(rec.time) > 0)
    assert ensure_trace(spec, tmp_path, log=lambda _: None) == path  # cached, not rebuilt


def test_harness_runs_every_stage_and_renders(tmp_path):
    result = speed.run_benchmark([SPEC], cache_dir=tmp_path, repeats=1, cli_repeats=1, report_repeats=1,
                                 live_s=20.0, codec_repeats=1, peers=[], log=lambda _: None)
    (trace,) = result["traces"]
    assert abs(trace["samples"] - SPEC.samples) <= 1 and trace["steps"] > 20
    for stage in ("load", "analyze", "report", "cli", "cli_imports"):
        assert trace[stage]["wall_s"] > 0 and trace[stage]["repeats"] == 1
    mem = trace["memory"]
    assert mem["samples"] == trace["samples"]
    assert mem["raw_array_mb"] == trace["samples"] * 7 * 8 / 1e6
    assert mem["peak_rss_mb"] >= mem["rss_after_load_mb"] > 0 and mem["analyze_traced_peak_mb"] > 0
    live = result["live"]
    assert {c["codec"] for c in live["codecs"]} == {"RFS v1 IMU6 int16", "Polar PMD ACC+GYRO delta",
                                                    "Movesense GSP IMU6 float32"}
    assert live["analyzer"]["steps_emitted"] > 10
    text = render(result)
    for heading in ("### Targets", "### Stages per trace", "### Inside analyze()", "### Live path", SPEC.name,
                    "LiveAnalyzer", "per-step metrics"):
        assert heading in text
    stages = dict((label, s) for label, _, s in trace["analyze_stages"]["stages"])
    assert stages["prepare (per segment)"] > stages["gravity frame"] > 0 and stages["per-step metrics"] > 0


def test_stage_timers_are_removed_after_the_measurement():
    from runform.analysis import _bout_steps, _contact, _pipeline
    from benchmarks._speed.analyze_stages import analyze_stages
    from runform.firmware_sim import simulate

    before = (_pipeline.prepare, _bout_steps.step_metrics, _contact.ContactSignal.__dict__["crossings"])
    analyze_stages(simulate("easy", duration_s=30, rate_hz=100, seed=3).recording, 1)
    assert (_pipeline.prepare, _bout_steps.step_metrics, _contact.ContactSignal.__dict__["crossings"]) == before


def test_write_results_replaces_only_the_speed_block(tmp_path):
    md = tmp_path / "RESULTS.md"
    md.write_text("# Results\n\n## Accuracy\n\nkeep me\n\n## Speed\n\nprose stays\n", encoding="utf-8")
    speed.write_results("table one", md)
    speed.write_results("table two", md)
    text = md.read_text(encoding="utf-8")
    assert "keep me" in text and "prose stays" in text and "table two" in text
    assert "table one" not in text and text.count(speed.BEGIN_MARK) == 1


def test_like_for_like_line_adds_the_named_stages():
    from benchmarks._speed.table import LIKE_FOR_LIKE_STAGES, STRIKE_STAGES, TARGET_TRACE_1H, like_for_like_lines

    stages = [(label, None, 0.01) for label in LIKE_FOR_LIKE_STAGES + STRIKE_STAGES] + [("per-step metrics", None, 1.0)]
    trace = {"trace": TARGET_TRACE_1H, "analyze_stages": {"stages": stages},
             "peers": {"mobgap": {"timing": {"peer_call_s": 0.06}}}}
    (line,) = like_for_like_lines([trace])
    assert "0.030 s (2.0x)" in line and "0.050 s (1.2x)" in line and "not the target" in line
    assert like_for_like_lines([{**trace, "peers": {}}]) == []
