"""Live-path budget (issue 5): CPU share of one core and step latency of ``LiveAnalyzer`` on a 10-minute
200 Hz 6-axis firmware_sim c25k session (walk/run intervals), fed in BLE-notification-sized blocks.

    .venv/bin/python benchmarks/live_bench.py [--seconds 600] [--rate 200]

Targets: CPU <= 2 % of one core (``cpu_per_stream_s`` <= 0.02), step latency <= 1 s (stream time from
the foot strike to the emitted ``StepEvent``; median and p95 reported). Measured, never asserted in
tests (shared machine). ``measure_live()`` is what ``benchmarks/speed.py`` can call.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks._speed.live import RFS_SAMPLES, live_cost  # noqa: E402

BENCH_S = 600.0
BENCH_RATE_HZ = 200.0
BENCH_SEED = 11
CPU_TARGET = 0.02  # CPU s per stream s (2 % of one core)
LATENCY_TARGET_S = 1.0


def measure_live(seconds: float = BENCH_S, rate_hz: float = BENCH_RATE_HZ, seed: int = BENCH_SEED,
                 block: int = RFS_SAMPLES) -> dict:
    """Simulate ``seconds`` of c25k at ``rate_hz`` (gyro on), stream it through ``LiveAnalyzer`` in
    blocks of ``block`` samples; returns ``live_cost``'s dict (cpu_per_stream_s, latency_median_s,
    latency_p95_s, latency_max_s, ...) plus the targets and whether they were met."""
    from runform import firmware_sim

    rec = firmware_sim.simulate("c25k", seconds, rate_hz=rate_hz, seed=seed, gyro=True).recording
    events: list = []
    out = live_cost(rec, block, events)
    out.update(latency_by_kind(events, rec.time[-1]))
    out.update(rate_hz=rate_hz, cpu_target=CPU_TARGET, latency_target_s=LATENCY_TARGET_S,
               cpu_ok=out["cpu_per_stream_s"] <= CPU_TARGET, latency_ok=out["latency_p95_s"] <= LATENCY_TARGET_S)
    return out


def latency_by_kind(events, stream_end_s: float, startup_s: float = 30.0) -> dict:
    """Median / p95 step latency (s) of running and walking steps after the start-up (the first
    ``startup_s``: bouts need a minimum length of data before the first step can be labelled)."""
    out = {}
    for kind in ("run", "walk"):
        lat = np.array([e.latency_s for e in events
                        if e["bout_kind"] == kind and startup_s < e.time_s and e.emitted_at_s < stream_end_s])
        out[f"latency_{kind}_median_s"] = float(np.median(lat)) if lat.size else float("nan")
        out[f"latency_{kind}_p95_s"] = float(np.percentile(lat, 95)) if lat.size else float("nan")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=BENCH_S)
    ap.add_argument("--rate", type=float, default=BENCH_RATE_HZ)
    args = ap.parse_args(argv)
    r = measure_live(args.seconds, args.rate)
    print(json.dumps(r, indent=1))
    print(f"CPU {100 * r['cpu_per_stream_s']:.2f} % of one core (target <= {100 * CPU_TARGET:g} %), "
          f"latency median {r['latency_median_s']:.2f} s, p95 {r['latency_p95_s']:.2f} s, "
          f"max {r['latency_max_s']:.2f} s (target <= {LATENCY_TARGET_S:g} s); after start-up: running median "
          f"{r['latency_run_median_s']:.2f} s, p95 {r['latency_run_p95_s']:.2f} s, walking median "
          f"{r['latency_walk_median_s']:.2f} s, p95 {r['latency_walk_p95_s']:.2f} s")
    return 0 if r["cpu_ok"] and r["latency_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
