"""Run-log benchmark (issue 13): adding a season on all cores against one, and ``log list`` and
``progress`` over a long history.

    .venv/bin/python benchmarks/runlog.py                # 100 sessions of 30 min at 200 Hz; 1000 sessions
    .venv/bin/python benchmarks/runlog.py --quick        # 6 sessions of 2 min at 52 Hz; 60 sessions (checks it runs)

1. **Adding a season.** ``SESSIONS`` simulated Couch-to-5K sessions (``runform.runlog._season``,
   weeks 1-9, ``MINUTES`` min each at ``RATE`` Hz, 6-axis) are written once as canonical CSV and
   cached under ``benchmarks/.cache/runlog/``; then ``runform log add --jobs 1`` and ``--jobs N``
   (N = all cores) each add the whole folder to a fresh log, as a user would run them (a new
   process, wall time from start to exit). Speed-up = time on 1 core / time on N.
2. **A long history.** The 1000-session log is *synthesised, not analysed*: the season's log is
   copied session by session (its sessions, bouts and steps rows, with a new content hash and the
   dates moved on by nine weeks per copy) until it holds ``LARGE`` sessions. Then
   ``runform log list`` and ``runform progress`` run on it as new processes (wall time, including
   Python's start-up and imports) and in this process (the command's own work).

Timings are medians of ``--repeats`` runs; nothing is asserted. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "runlog"
FULL = dict(sessions=100, minutes=30.0, rate=200.0, large=1000)
QUICK = dict(sessions=6, minutes=2.0, rate=52.0, large=60)
SEASON_START = date(2026, 1, 5)
WEEKS_PER_SEASON = 9


def _runform(*args: str) -> float:
    """Wall time (s) of ``runform ARGS`` in a new process; raises when it fails."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "runform", *args], capture_output=True, text=True)
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"runform {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return took


def season_files(sessions: int, minutes: float, rate: float) -> Path:
    from runform.runlog import SeasonSpec, write_season

    folder = CACHE / f"season-{sessions}x{minutes:g}min-{rate:g}hz"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        spec = SeasonSpec(SEASON_START, sessions=sessions, duration_s=60.0 * minutes, rate_hz=rate)
        print(f"simulating {sessions} sessions of {minutes:g} min at {rate:g} Hz into {folder} ...", flush=True)
        write_season(folder, spec)
        (folder / ".complete").write_text("ok\n")
    return folder


def time_adds(folder: Path, work: Path, repeats: int) -> dict[int, float]:
    """Median wall time of adding the folder to a fresh log with 1 process and with all cores."""
    cores = os.cpu_count() or 1
    out = {}
    for jobs in sorted({1, cores}):
        times = []
        for r in range(repeats):
            db = work / f"add-{jobs}-{r}.sqlite"
            times.append(_runform("log", "add", "--jobs", str(jobs), "--db", str(db), str(folder)))
        out[jobs] = statistics.median(times)
    return out


def synthesise(source_db: Path, target_db: Path, sessions: int) -> None:
    """Copy the sessions of ``source_db`` (with bouts and steps) into ``target_db`` until it holds
    ``sessions``: copy ``c`` gets ``content_hash || '-copy-c'`` and dates nine weeks later per copy."""
    shutil.copy(source_db, target_db)
    db = sqlite3.connect(target_db)
    ids = [r[0] for r in db.execute("SELECT id FROM sessions ORDER BY start_utc")]
    cols = [r[1] for r in db.execute("PRAGMA table_info(sessions)") if r[1] not in ("id", "content_hash", "start_utc")]
    step_cols = [r[1] for r in db.execute("PRAGMA table_info(steps)") if r[1] != "session_id"]
    bout_cols = [r[1] for r in db.execute("PRAGMA table_info(bouts)") if r[1] != "session_id"]
    have, copy = len(ids), 1
    while have < sessions:
        for sid in ids:
            if have >= sessions:
                break
            start = datetime.fromisoformat(db.execute("SELECT start_utc FROM sessions WHERE id = ?", (sid,)).fetchone()[0])
            moved = (start + timedelta(weeks=WEEKS_PER_SEASON * copy)).isoformat(timespec="seconds")
            new = db.execute(f"INSERT INTO sessions (content_hash, start_utc, {', '.join(cols)}) "
                             f"SELECT content_hash || '-copy-{copy}', ?, {', '.join(cols)} FROM sessions WHERE id = ?",
                             (moved, sid)).lastrowid
            db.execute(f"INSERT INTO steps (session_id, {', '.join(step_cols)}) "
                       f"SELECT ?, {', '.join(step_cols)} FROM steps WHERE session_id = ?", (new, sid))
            db.execute(f"INSERT INTO bouts (session_id, {', '.join(bout_cols)}) "
                       f"SELECT ?, {', '.join(bout_cols)} FROM bouts WHERE session_id = ?", (new, sid))
            have += 1
        copy += 1
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def in_process(db: Path, work: Path) -> dict[str, float]:
    """The commands' own work, imports excluded (second call; median of three)."""
    import contextlib
    import io

    from runform.cli import main

    out = {}
    for name, argv in (("log list", ["log", "list", "--db", str(db)]),
                       ("progress", ["progress", "--db", str(db), "-o", str(work / "progress-inproc.html")])):
        times = []
        for _ in range(4):
            t0 = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                assert main(argv) == 0
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times[1:])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small version, to check that it runs")
    ap.add_argument("--repeats", type=int, default=3, help="runs per timing (median)")
    ap.add_argument("--keep", metavar="DIR", help="keep the logs in DIR (default: a temporary folder)")
    args = ap.parse_args()
    p = QUICK if args.quick else FULL
    folder = season_files(p["sessions"], p["minutes"], p["rate"])
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="runform-bench-runlog-"))
    work.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    load = os.getloadavg() if hasattr(os, "getloadavg") else None

    adds = time_adds(folder, work, args.repeats)
    large = work / f"history-{p['large']}.sqlite"
    synthesise(work / "add-1-0.sqlite", large, p["large"])
    cli = {"log list": statistics.median(_runform("log", "list", "--db", str(large)) for _ in range(args.repeats)),
           "progress": statistics.median(_runform("progress", "--db", str(large), "-o", str(work / "progress.html"))
                                         for _ in range(args.repeats))}
    own = in_process(large, work)
    size_mb = large.stat().st_size / 1e6

    print(f"\nCommand: `python benchmarks/runlog.py{' --quick' if args.quick else ''}` · "
          f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {platform.machine()} · {cores} cores · "
          f"Python {platform.python_version()} · load average before {load[0]:.1f}" if load else "")
    print()
    print("| measure | target | measured |")
    print("|---|---|---|")
    label = f"{p['sessions']} sessions of {p['minutes']:g} min at {p['rate']:g} Hz"
    print(f"| `log add` of a season ({label}), 1 process | | {adds[1]:.1f} s |")
    if cores > 1:
        print(f"| the same on {cores} processes (`--jobs {cores}`) | | {adds[cores]:.1f} s |")
        print(f"| speed-up on {cores} cores | ≥ 1.7× | {adds[1] / adds[cores]:.2f}× |")
    for name in ("log list", "progress"):
        print(f"| `{name}` over {p['large']} sessions (synthesised log, {size_mb:.0f} MB), new process | ≤ 1 s | "
              f"{cli[name]:.2f} s |")
        print(f"| `{name}` over {p['large']} sessions, the command's own work (in process, imports done) | | "
              f"{own[name]:.2f} s |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
