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


def test_write_results_replaces_only_the_speed_block(tmp_path):
    md = tmp_path / "RESULTS.md"
    md.write_text("# Results\n\n## Accuracy\n\nkeep me\n\n## Speed\n\nprose stays\n", encoding="utf-8")
    speed.write_results("table one", md)
    speed.write_results("table two", md)
    text = md.read_text(encoding="utf-8")
    assert "keep me" in text and "prose stays" in text and "table two" in text
    assert "table one" not in text and text.count(speed.BEGIN_MARK) == 1


def test_a_running_trace_runs_on_across_chunk_joins(tmp_path, monkeypatch):
    from benchmarks._speed import traces
    from runform import analyze

    monkeypatch.setattr(traces, "CHUNK_S", 30.0)  # three chunks in 80 s
    spec = TraceSpec("run 80 s 100 Hz 6-axis", 80, 100, True, traces.RUN_PROFILE)
    rec = read_canonical(ensure_trace(spec, tmp_path, log=lambda _: None))
    assert rec.meta.gaps == [] and rec.meta.extra["benchmark_chunks"] == 3
    kinds = [(b.kind, round(b.start_s), round(b.end_s)) for b in analyze(rec).bouts]
    assert kinds == [("stand", 0, 5), ("run", 5, 80)]  # no standing at the joins (30 s, 60 s)


def _fake_trace(name, analyze_cpu_s, peers):
    from benchmarks._speed.peer_tables import STEP_STAGES, STRIKE_STAGES

    stages = [(label, None, 0.01) for label in STEP_STAGES + STRIKE_STAGES] + [("per-step metrics", None, 1.0)]
    return {"trace": name, "steps": 1000, "analyze": {"cpu_s": analyze_cpu_s, "wall_s": analyze_cpu_s * 1.1},
            "cli": {"cpu_s": 1.0, "wall_s": 1.2}, "analyze_stages": {"stages": stages}, "peers": peers,
            "memory": {"analyze_traced_peak_mb": 500.0, "raw_array_mb": 200.0}}


def _peer(job, cpu_s, wall_s, n_steps=990):
    return {"job": job, "version": "1.0", "n_steps": n_steps, "cadence_spm": 178.0,
            "timing": {"peer_call_s": wall_s, "peer_call_cpu_s": cpu_s}}


def test_peer_tables_compare_whole_job_and_like_for_like_and_say_what_each_computes():
    from benchmarks._speed.peer_tables import PEER_COMPUTES, WE_COMPUTE, like_for_like_table, whole_job_table
    from benchmarks._speed.table import TARGET_TRACE_1H, target_rows

    peers = {"skdh GaitLumbar": _peer("whole", 10.0, 11.0),
             "mobgap MobilisedPipelineHealthy": {"job": "whole", "error": "exit 1: boom"},
             "mobgap IcdIonescu + CadFromIc": _peer("like", 0.05, 0.06)}
    trace = _fake_trace(TARGET_TRACE_1H, 0.4, peers)
    whole = "\n".join(whole_job_table([trace]))
    assert "| 10.000 (11.000) | 990 | 178 | 25.0x |" in whole and "boom" in whole
    assert WE_COMPUTE in whole and PEER_COMPUTES["skdh GaitLumbar"] in whole
    assert "IcdIonescu" not in whole.split("What each side computes")[0]  # not a whole job
    like = "\n".join(like_for_like_table([trace]))
    assert "| 0.060 | 990 | 0.030 | 2.0x | 0.050 | 1.2x |" in like
    assert PEER_COMPUTES["mobgap IcdIonescu + CadFromIc"] in like and "mid-stance peaks" in like
    rows = {t: (m, ok) for t, m, ok in target_rows([trace], None)}
    assert rows["whole job >= 20x faster than skdh GaitLumbar (CPU)"] == ("25.0x", True)
    assert rows["like for like >= 2x faster than mobgap IcdIonescu + CadFromIc (wall)"] == ("2.0x", True)
    assert not any("MobilisedPipelineHealthy" in t for t in rows)  # it failed: no ratio is made up


def test_like_for_like_is_not_made_up_when_a_stage_was_not_timed():
    from benchmarks._speed.peer_tables import like_for_like_seconds, like_for_like_table

    trace = _fake_trace("x", 0.4, {"mobgap IcdIonescu + CadFromIc": _peer("like", 0.05, 0.06)})
    trace["analyze_stages"]["stages"] = trace["analyze_stages"]["stages"][1:]  # one stage renamed away
    assert like_for_like_seconds(trace) == (None, None)
    assert "| 0.060 | 990 | n/a | n/a | n/a | n/a |" in "\n".join(like_for_like_table([trace]))
    assert like_for_like_table([{**trace, "peers": {}}]) == []


def test_like_for_like_stages_are_stages_the_pipeline_times():
    from benchmarks._speed.peer_tables import STEP_STAGES, STRIKE_STAGES
    from runform.analysis import STAGES

    assert set(STEP_STAGES + STRIKE_STAGES) <= {label for label, _ in STAGES}


def test_peers_get_the_rate_the_file_holds_not_its_float_parse(tmp_path):
    """1 / 0.005 s as parsed is 199.99999999995 Hz; mobgap's pipeline then fails on 200 Hz hours."""
    from benchmarks.peers._peer_io import load_canonical

    path = write_canonical_rows(tmp_path / "t.csv", np.arange(2000) * 0.005)
    assert load_canonical(str(path))["fs"] == 200.0


def write_canonical_rows(path, time_s):
    from runform.sensors import Metadata, Recording
    from runform.sensors.canonical_csv import write_canonical

    acc = np.tile([0.0, 0.0, 1.0], (time_s.size, 1))
    return write_canonical(Recording(time_s, acc, None, Metadata()), path, write_sidecar=False)


def test_cold_processes_measured_read_bytecode(tmp_path):
    """The harness byte-compiles runform's sources before timing cold processes, as an install does:
    with PYTHONDONTWRITEBYTECODE set, each cold process would otherwise compile every module again."""
    import importlib.util

    from benchmarks._speed import stages

    assert set(stages.SOURCE_DIRS) == {"runform", "sensors", "analysis", "firmware_sim"}
    for folder in stages.SOURCE_DIRS:
        (tmp_path / folder / "inner").mkdir(parents=True)
        (tmp_path / folder / "inner" / "mod.py").write_text("X = 1\n")
    (tmp_path / "elsewhere.py").write_text("Y = 2\n")
    stages.compile_sources(tmp_path)
    for folder in stages.SOURCE_DIRS:
        assert Path(importlib.util.cache_from_source(str(tmp_path / folder / "inner" / "mod.py"))).is_file()
    assert not Path(importlib.util.cache_from_source(str(tmp_path / "elsewhere.py"))).exists()
