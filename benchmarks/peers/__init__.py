"""Run the open-source peers (scikit-digital-health, mobgap) on a canonical runform CSV.

Each peer runs in its own virtualenv (``benchmarks/peers/setup_venvs.sh`` builds them under
``benchmarks/.cache/venvs/``; the peers pin incompatible numpy/pandas/tpcp versions), through its
script ``run_<peer>.py``, which prints one JSON document:

    {"peer", "version", "call", "input": {...}, "n_steps", "ic_time_s": [...], "cadence_spm",
     "per_step": {"step_time_s": [...], ...}, "timing": {"load_s", "import_s", "peer_call_s",
     "total_s"}}

``timing.peer_call_s`` is time.perf_counter around the peer's own call only, median of ``repeats``,
after an untimed warm-up on the trace's first ``warmup_s`` (``peer_call_cpu_s``: its CPU time);
``total_s`` adds CSV loading, the peer's import and the warm-up; ``run_peer`` adds ``process_wall_s``
(interpreter start included).

    from benchmarks.peers import run_peer          # or: from peers import run_peer
    result = run_peer("skdh", "trace.csv", vertical="z")
    if result is None: print(peer_status("skdh"))  # venv missing
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_ROOT = Path(os.environ.get("RUNFORM_PEER_VENVS", HERE.parent / ".cache" / "venvs"))
PEERS = {"skdh": "run_skdh.py", "mobgap": "run_mobgap.py"}
SETUP_HINT = "run benchmarks/peers/setup_venvs.sh"
DEFAULT_TIMEOUT_S = 3600.0
STDERR_TAIL_CHARS = 600


def peer_python(name: str) -> Path:
    return VENV_ROOT / name / "bin" / "python"


def peer_status(name: str) -> str | None:
    """None when the peer can run, else the reason it cannot."""
    if name not in PEERS:
        return f"unknown peer {name!r} (known: {', '.join(PEERS)})"
    if not peer_python(name).exists():
        return f"no venv for {name} at {VENV_ROOT / name}: {SETUP_HINT}"
    return None


def run_peer(name: str, csv_path: str | os.PathLike, *, vertical: str = "auto",
             ap: str | None = None, call: str | None = None, repeats: int = 1, warmup_s: float = 0.0,
             timeout_s: float = DEFAULT_TIMEOUT_S) -> dict | None:
    """The peer's JSON result for ``csv_path``; None when its venv is missing (see peer_status).

    ``vertical``: sensor axis pointing up (``x``, ``-x``, ..., ``z`` for a body-frame CSV) or
    ``auto`` (mean specific force). A failed peer run returns ``{"peer": name, "error": ...}``
    so one bad trace does not stop a benchmark.
    """
    reason = peer_status(name)
    if reason is not None:
        if name not in PEERS:
            raise ValueError(reason)
        return None
    cmd = [str(peer_python(name)), str(HERE / PEERS[name]), str(Path(csv_path).resolve()),
           "--vertical", vertical]
    if ap is not None:
        cmd += ["--ap", ap]
    if call is not None:  # a peer script with several calls (run_mobgap.py: icd, pipeline)
        cmd += ["--call", call]
    cmd += ["--repeats", str(repeats), "--warmup-s", f"{warmup_s:g}"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, env=env,
                              cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"peer": name, "error": f"timed out after {timeout_s:.0f} s"}
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"peer": name, "error": f"exit {proc.returncode}: "
                                       f"{proc.stderr.strip()[-STDERR_TAIL_CHARS:]}"}
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        return {"peer": name, "error": f"output is not JSON ({err}): {proc.stdout[:200]!r}"}
    result.setdefault("timing", {})["process_wall_s"] = wall
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.peers PEER CSV [--vertical AXIS]``: print the peer's JSON."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.peers")
    parser.add_argument("peer", choices=sorted(PEERS))
    parser.add_argument("csv")
    parser.add_argument("--vertical", default="auto")
    parser.add_argument("--ap", default=None)
    parser.add_argument("--call", default=None, help="the peer script's call (mobgap: icd or pipeline)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--warmup-s", type=float, default=0.0)
    args = parser.parse_args(argv)
    result = run_peer(args.peer, args.csv, vertical=args.vertical, ap=args.ap, call=args.call, repeats=args.repeats,
                      warmup_s=args.warmup_s)
    if result is None:
        print(peer_status(args.peer), file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 1 if "error" in result else 0
