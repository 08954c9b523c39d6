"""One measurement in a fresh process, so peak RSS belongs to that stage alone.

``python -m benchmarks._speed.worker memory CSV``: imports, loads the CSV the way the CLI does
(``sensors.load_recording``), runs ``analysis.analyze``; prints one JSON line with the RSS after
imports, after loading and the peak (``VmHWM`` of /proc/self/status: ``getrusage``'s ``ru_maxrss``
is not used because Linux carries it over from the parent across fork + exec), and, in a
second pass under ``tracemalloc``, the peak of Python-tracked allocations during ``analyze()``
alone (NumPy arrays are tracked), which is the figure to compare with the raw sample array.
"""

from __future__ import annotations

import json
import sys
import tracemalloc

MB = 1e6
KB = 1e3  # /proc/self/status sizes are in kB


def _status_mb(field: str) -> float:
    """``VmRSS`` (current) or ``VmHWM`` (peak) resident set size of this process, MB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * KB / MB
    raise OSError(f"no {field} in /proc/self/status")


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _peak_rss_mb() -> float:
    return _status_mb("VmHWM")


def memory(csv_path: str) -> dict:
    from runform import analysis
    from runform.sensors import load_recording

    rss_imports = _rss_mb()
    rec = load_recording(csv_path)
    rss_loaded = _rss_mb()
    peak_load = _peak_rss_mb()
    session = analysis.analyze(rec)
    peak_total = _peak_rss_mb()
    del session
    raw_bytes = rec.time.nbytes + rec.acc.nbytes + (rec.gyro.nbytes if rec.gyro is not None else 0)
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    analysis.analyze(rec)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rss_after_imports_mb": rss_imports, "rss_after_load_mb": rss_loaded,
            "peak_rss_load_mb": peak_load, "peak_rss_mb": peak_total,
            "analyze_traced_peak_mb": (peak - base) / MB, "raw_array_mb": raw_bytes / MB,
            "samples": int(rec.time.size)}


def phases(csv_path: str) -> dict:
    """``runform analyze`` done step by step in a cold process, as the CLI does it: importing the CLI
    and the analyze command (``runform`` imports only the command it runs), loading, analysing,
    formatting the summary, and adding the session to a fresh run log (what ``analyze`` does by
    default with a runner's own recording; the benchmark's traces are simulated, which ``analyze``
    itself leaves out of the log). Wall seconds (``*_s``) and CPU seconds (``*_cpu_s``) per phase."""
    import tempfile
    import time
    from pathlib import Path

    marks = [(time.perf_counter(), time.process_time())]
    from runform import analysis, cli
    from runform.commands import analyze as analyze_cmd

    args = cli.build_parser().parse_args(["analyze", csv_path])
    marks.append((time.perf_counter(), time.process_time()))
    rec = analyze_cmd.load_input(args)
    marks.append((time.perf_counter(), time.process_time()))
    session = analysis.analyze(rec)
    marks.append((time.perf_counter(), time.process_time()))
    text = "\n".join(analyze_cmd.summary_lines(session.summary))
    marks.append((time.perf_counter(), time.process_time()))
    with tempfile.TemporaryDirectory() as tmp:
        from runform.runlog import RunLog, entry_from  # what analyze's run-log hook does, without its line

        with RunLog(Path(tmp) / "runlog.sqlite") as log:
            log.add(entry_from(rec, session, csv_path))
        marks.append((time.perf_counter(), time.process_time()))
    out = {"in_process_s": marks[-1][0] - marks[0][0], "in_process_cpu_s": marks[-1][1] - marks[0][1],
           "summary_chars": len(text)}
    for i, name in enumerate(PHASES):
        out[f"{name}_s"] = marks[i + 1][0] - marks[i][0]
        out[f"{name}_cpu_s"] = marks[i + 1][1] - marks[i][1]
    return out


#: the phases ``phases`` times, in order
PHASES = ("imports", "load", "analyze", "summary", "runlog")

STAGES = {"memory": memory, "phases": phases}


def main(argv: list[str]) -> int:
    stage, csv_path = argv
    print(json.dumps(STAGES[stage](csv_path)), flush=True)
    if stage == "phases":  # leave as runform does (cli.exit_now), so start-up and exit are the CLI's
        from runform.cli import exit_now

        exit_now(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
