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
    """``runform analyze`` done step by step in a cold process: seconds spent importing the CLI
    (with every command module, as ``runform`` does), loading, analysing, and formatting the summary."""
    import time

    t0 = time.perf_counter()
    from runform import analysis, cli
    from runform.commands import analyze as analyze_cmd

    parser = cli.build_parser()
    t1 = time.perf_counter()
    rec = analyze_cmd.load_input(parser.parse_args(["analyze", csv_path]))
    t2 = time.perf_counter()
    session = analysis.analyze(rec)
    t3 = time.perf_counter()
    text = "\n".join(analyze_cmd.summary_lines(session.summary))
    t4 = time.perf_counter()
    return {"imports_s": t1 - t0, "load_s": t2 - t1, "analyze_s": t3 - t2, "summary_s": t4 - t3,
            "in_process_s": t4 - t0, "summary_chars": len(text)}


STAGES = {"memory": memory, "phases": phases}


def main(argv: list[str]) -> int:
    stage, csv_path = argv
    print(json.dumps(STAGES[stage](csv_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
