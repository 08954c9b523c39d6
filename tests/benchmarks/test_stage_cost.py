"""benchmarks/stage_cost.py on a 30 s trace: every stage gets a CPU figure and a memory peak, nested
stages within their parent's peak. No timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import stage_cost  # noqa: E402
from benchmarks._speed.traces import TraceSpec, ensure_trace  # noqa: E402
from runform import analysis  # noqa: E402
from runform.sensors import load_recording  # noqa: E402


def test_every_stage_has_a_cpu_figure_and_a_memory_peak_within_its_parent(tmp_path, capsys):
    path = ensure_trace(TraceSpec("run 30 s 200 Hz 6-axis", 30, 200, True, profile="easy"), tmp_path, log=lambda _: None)
    rec = load_recording(path)
    stages = {name for name, _ in analysis.STAGES} | {"analyze() in all"}
    cpu = stage_cost.stage_cpu(rec, repeats=1)
    memory = stage_cost.stage_memory(rec)
    assert set(cpu) == stages and set(memory) == stages
    assert all(value >= 0.0 for value in cpu.values())
    assert memory["analyze() in all"] >= rec.acc.nbytes / 1e6  # the vertical signal alone is as large
    for name, parent in analysis.STAGES:
        assert memory[name] <= memory[parent or "analyze() in all"]
    assert stage_cost.main([str(path), "--calls", "0"]) == 0
    assert stage_cost.main([str(path), "--memory"]) == 0
    assert "per-step metrics" in capsys.readouterr().out
