"""Per-trace measurements: CSV load, analyze(), report, ``runform analyze`` end to end, CLI start-up,
peak memory, and the peers on the same file.

In-process stages (load, analyze, report) run in this process with repeats (medians); the CLI and
the memory worker run as child processes; each peer call runs in the peer's own venv
(``benchmarks.peers.run_peer``), timed by the peer script around the peer call only.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._speed.analyze_stages import analyze_stages
from benchmarks._speed.timing import time_call, time_process
from benchmarks._speed.traces import TraceSpec, raw_array_bytes

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
#: the console script when installed in this venv, else the module
RUNFORM = [str(Path(PYTHON).with_name("runform"))] if Path(PYTHON).with_name("runform").exists() \
    else [PYTHON, "-m", "runform.cli"]
CLI_IMPORTS = [PYTHON, "-c", "import runform.cli as c; c.build_parser(); import runform.analysis"]
#: each peer call the benchmark times: (label, peer venv, the peer script's --call, job, repeats).
#: "whole": the peer's whole pipeline, against our analyze(); "like": the algorithm level, against our
#: step-and-cadence stages. A pipeline runs once per trace (it is slow); the fast call three times.
PEER_CALLS = (
    ("skdh GaitLumbar", "skdh", None, "whole", 1),
    ("mobgap MobilisedPipelineHealthy", "mobgap", "pipeline", "whole", 1),
    ("mobgap IcdIonescu + CadFromIc", "mobgap", "icd", "like", 3),
)
#: seconds of the trace each peer call first runs on untimed (lazy imports, JIT), as analyze() is warmed up
PEER_WARMUP_S = 60.0


#: the folders of runform's sources (installed as runform.*, pyproject's package-dir mapping)
SOURCE_DIRS = ("runform", "sensors", "analysis", "firmware_sim")


def compile_sources(root: Path = ROOT) -> None:
    """Byte-compile runform's sources into their ``__pycache__`` folders (gitignored), as installing a
    package does, so that a cold process measured here reads bytecode as a runner's installed runform
    does after its first run. Without it, an environment with ``PYTHONDONTWRITEBYTECODE`` set (the
    development machines') compiles every runform module it imports in every cold process (about 70
    for ``runform analyze``): ~490 M instructions of the CLI's and the analyze command's imports
    (1,099 M compiling, 614 M from bytecode; callgrind, 2026-12-06). Up-to-date files are left as
    they are."""
    import compileall

    for folder in SOURCE_DIRS:
        compileall.compile_dir(root / folder, quiet=1)


def child_env() -> dict:
    """The environment of the cold processes measured (the CLI, the memory worker), with runform's
    bytecode in place (``compile_sources``)."""
    compile_sources()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def measure_trace(spec: TraceSpec, path: Path, repeats: int, cli_repeats: int,
                  report_repeats: int) -> dict:
    """Every in-house stage on one cached trace."""
    from runform import analysis
    from runform.analysis.report import write_report
    from runform.sensors import load_recording

    from runform.sensors.canonical_csv import csv_engine

    engine = engine_cli = csv_engine(path)  # by the file's size: the same here and in a fresh `runform`
    load, rec = time_call(lambda: load_recording(str(path)), repeats, warmup=1)
    an, session = time_call(lambda: analysis.analyze(rec), repeats, warmup=1)
    stages = analyze_stages(rec, repeats)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "bench.report.html"
        report, _ = time_call(lambda: write_report(session, rec.meta, html), report_repeats)
        report_mb = html.stat().st_size / 1e6
    env = child_env()
    cli = time_process(RUNFORM + ["analyze", str(path)], cli_repeats, env=env, cwd=ROOT)
    imports = time_process(CLI_IMPORTS, cli_repeats, env=env, cwd=ROOT)
    mem = worker(["memory", str(path)], env)
    phase = cli_phases(path, env, cli_repeats)
    n = int(rec.time.size)
    hours = float(rec.time[-1] - rec.time[0]) / 3600.0
    return {"trace": spec.name, "file": str(path), "file_mb": path.stat().st_size / 1e6,
            "samples": n, "hours": hours, "steps": int(len(session.steps_frame())),
            "raw_array_mb": raw_array_bytes(spec) / 1e6,
            "load": load.to_dict(), "csv_engine": engine, "csv_engine_cli": engine_cli, "analyze": an.to_dict(), "analyze_stages": stages, "report": report.to_dict(),
            "report_mb": report_mb, "cli": cli.to_dict(), "cli_imports": imports.to_dict(),
            "memory": mem, "cli_phases": phase,
            "analyze_samples_per_s": n / an.wall_s, "analyze_s_per_hour": an.wall_s / hours,
            "cli_s_per_hour": cli.wall_s / hours}


def worker(args: list[str], env: dict) -> dict:
    """Run ``benchmarks._speed.worker ARGS`` in a fresh process; its JSON plus ``process_wall_s``."""
    w0, c0 = time.perf_counter(), os.times()
    proc = subprocess.run([PYTHON, "-m", "benchmarks._speed.worker", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    wall, c1 = time.perf_counter() - w0, os.times()
    if proc.returncode != 0:
        raise RuntimeError(f"worker {args[0]} failed: {proc.stderr.strip()[-400:]}")
    cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "process_wall_s": wall, "process_cpu_s": cpu}


def cli_phases(path: Path, env: dict, repeats: int) -> dict:
    """Median seconds per phase of ``runform analyze`` in cold processes; ``startup_s`` is the
    process wall time not spent in the phases (interpreter start, ``-m`` machinery, exit)."""
    from benchmarks._speed.worker import PHASES

    runs = [worker(["phases", str(path)], env) for _ in range(repeats)]
    for r in runs:
        r["startup_s"] = r["process_wall_s"] - r["in_process_s"]
        r["startup_cpu_s"] = r["process_cpu_s"] - r["in_process_cpu_s"]
    keys = ("startup_s", "startup_cpu_s", "process_wall_s", "process_cpu_s",
            *(f"{p}{unit}" for p in PHASES for unit in ("_s", "_cpu_s")))
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def measure_peers(path: Path, names: list[str]) -> dict:
    """{call label: result or {"error"/"unavailable": ...}} for every ``PEER_CALLS`` entry whose peer is
    in ``names``, on the same CSV; timings are the peer script's (after its warm-up, see peers)."""
    from benchmarks.peers import peer_status, run_peer

    out = {}
    for label, peer, call, job, repeats in PEER_CALLS:
        if peer not in names:
            continue
        result = run_peer(peer, path, vertical="auto", call=call, repeats=repeats, warmup_s=PEER_WARMUP_S)
        if result is None:
            out[label] = {"job": job, "unavailable": peer_status(peer)}
        elif "error" in result:
            out[label] = {"job": job, "error": result["error"]}
        else:
            out[label] = {"job": job, "peer": peer, "version": result.get("version"), "call": result.get("call"),
                          "n_steps": result.get("n_steps"), "cadence_spm": result.get("cadence_spm"),
                          "timing": result["timing"], "notes": result.get("notes", [])}
    return out


def csv_engines(path: Path, repeats: int) -> dict:
    """The CSV engine choice, measured: ``read_canonical`` with NumPy's C ``loadtxt`` against pandas'
    C ``read_csv`` on the same file (median wall and CPU s; both include the same checks), and pandas'
    import time in a fresh interpreter (a cost only the pandas route pays on ``runform analyze``)."""
    from runform.sensors.canonical_csv import read_canonical

    np_t, _ = time_call(lambda: read_canonical(path, engine="numpy"), repeats, warmup=1)
    pd_t, _ = time_call(lambda: read_canonical(path, engine="pandas"), repeats, warmup=1)
    return {"file": path.name, "numpy_loadtxt": np_t.to_dict(), "pandas_c": pd_t.to_dict(),
            "pandas_import_s": _pandas_import_s(repeats)}


def _pandas_import_s(repeats: int) -> float:
    """Median seconds to import pandas after numpy (which the analysis imports anyway; it imports no
    SciPy, which would load some of what pandas needs and hide part of its cost)."""
    code = ("import numpy, time; t = time.perf_counter(); import pandas; "
            "print(time.perf_counter() - t)")
    runs = []
    for _ in range(repeats):
        out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
        runs.append(float(out.stdout.strip()))
    return statistics.median(runs)


def import_profile(top: int = 6) -> list[tuple[str, float]]:
    """Self import time per top-level package (s) when the ``runform`` CLI builds its parser
    (``python -X importtime``), largest first."""
    import re
    from collections import Counter

    proc = subprocess.run([PYTHON, "-X", "importtime", "-c", "import runform.cli as c; c.build_parser()"],
                          capture_output=True, text=True, env=child_env(), cwd=ROOT)
    per = Counter()
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            per[m.group(2).split(".")[0]] += int(m.group(1)) / 1e6
    return per.most_common(top)
