"""End-to-end check of the peer runners on a synthetic run and on real Hexoskin jogs.

Writes canonical CSVs under benchmarks/.cache/peer_traces/ (never into the repo), runs each
available peer on them through ``run_peer`` and prints one table: steps found vs expected,
IC bias against the synthetic truth, cadence vs reference, and the peer's time.

* synthetic: 120 s of running at 170 spm, 100 Hz, z up; vertical specific force is a half sine
  in contact (240 ms, peak from impulse balance) and 0 g in flight, plus 0.03 g noise (the
  spring-mass model of Morin et al. 2005). Truth: foot-strike times.
* Hexoskin jogs (../shared/data/real/hexoskin_harlab, MIT, Har-Lab 2023): the jog window of
  reference_bouts.csv, counts / 256 -> g, sensor frame as recorded; the peers are told the
  vertical axis found by gravity ("auto"). Reference: the README's jog cadence (device steps).

Usage: .venv/bin/python benchmarks/peers/check_peers.py [--skip-real] [--synthetic-seconds 3600]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.peers import PEERS, peer_status, run_peer  # noqa: E402
from runform.sensors.canonical_csv import write_canonical  # noqa: E402
from runform.sensors.recording import Metadata, Recording  # noqa: E402

TRACES = ROOT / "benchmarks" / ".cache" / "peer_traces"
HEXOSKIN = ROOT.parent / "shared" / "data" / "real" / "hexoskin_harlab"
HEXOSKIN_COUNTS_PER_G = 256.0
HEXOSKIN_RATE_HZ = 64.0
MATCH_TOLERANCE_S = 0.15
SYNTH_AP_AXIS = "y"  # the synthetic trace's braking/propulsion axis (x is sway)

SYNTH = {"fs": 100.0, "seconds": 120.0, "cadence_spm": 170.0, "contact_s": 0.24,
         "noise_g": 0.03, "seed": 7}


def synthetic_run(seconds: float) -> tuple[Path, np.ndarray, float]:
    """The synthetic trace's path, its true foot-strike times and cadence."""
    p = {**SYNTH, "seconds": seconds}
    rng = np.random.default_rng(p["seed"])
    t = np.arange(0.0, p["seconds"], 1.0 / p["fs"])
    step_t = 60.0 / p["cadence_spm"]
    ic = np.arange(0.5, p["seconds"] - step_t, step_t)
    phase = (t - ic[0]) % step_t
    peak = np.pi * step_t / (2.0 * p["contact_s"])  # mean specific force over a step = 1 g
    vertical = np.where((phase < p["contact_s"]) & (t >= ic[0]),
                        peak * np.sin(np.pi * phase / p["contact_s"]), 0.0)
    vertical[t < ic[0]] = 1.0
    acc = np.column_stack([0.1 * np.sin(np.pi * (t - ic[0]) / step_t),  # sway at stride rate
                           0.2 * np.sin(2 * np.pi * (t - ic[0]) / step_t),  # braking/propulsion
                           vertical]) + p["noise_g"] * rng.standard_normal((t.size, 3))
    path = TRACES / f"synthetic_run_170spm_100hz_{seconds:.0f}s.csv"
    meta = Metadata(device="check_peers synthetic", nominal_rate_hz=p["fs"], placement="chest")
    write_canonical(Recording(time=t, acc=acc, gyro=None, meta=meta), path)
    return path, ic, p["cadence_spm"]


def hexoskin_jogs() -> list[tuple[Path, float]]:
    """Canonical CSVs of each Hexoskin jog window, with the reference cadence."""
    out = []
    with open(HEXOSKIN / "reference_bouts.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["bout"] == "jog"]
    for row in rows:
        subject = row["subject"]
        data = np.loadtxt(HEXOSKIN / f"hexoskin_{int(subject):03d}_acc.csv", delimiter=",",
                          skiprows=1)
        keep = (data[:, 0] >= float(row["analysis_start_s"])) & (data[:, 0] <= float(row["analysis_end_s"]))
        # time_s in the file has 6 significant digits (README); the samples sit on k / 64 s
        ticks = np.round(data[keep, 0] * HEXOSKIN_RATE_HZ)
        t = (ticks - ticks[0]) / HEXOSKIN_RATE_HZ
        meta = Metadata(device="Hexoskin", nominal_rate_hz=HEXOSKIN_RATE_HZ, placement="chest")
        path = TRACES / f"hexoskin_{int(subject):03d}_jog.csv"
        write_canonical(Recording(time=t, acc=data[keep, 1:] / HEXOSKIN_COUNTS_PER_G,
                                  gyro=None, meta=meta), path)
        out.append((path, float(row["device_step_events_spm"])))
    return out


def ic_match(found: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """Recall %, median bias ms and SD ms of the nearest detected IC within tolerance."""
    if found.size == 0:
        return 0.0, float("nan"), float("nan")
    idx = np.clip(np.searchsorted(found, truth), 1, found.size - 1)
    nearest = np.where(np.abs(found[idx - 1] - truth) < np.abs(found[idx] - truth),
                       found[idx - 1], found[idx])
    err = nearest - truth
    hit = np.abs(err) <= MATCH_TOLERANCE_S
    return 100.0 * hit.mean(), 1000 * float(np.median(err[hit])), 1000 * float(np.std(err[hit]))


def row(trace: str, peer: str, result: dict | None, ref_cadence: float, truth=None) -> str:
    if result is None:
        return f"| {trace} | {peer} | unavailable: {peer_status(peer)} |"
    if "error" in result:
        return f"| {trace} | {peer} | error: {result['error'][:120]} |"
    found = np.asarray(result["ic_time_s"], float)
    match = "-"
    if truth is not None:
        recall, bias, sd = ic_match(found, truth)
        match = f"{recall:.1f} % / {bias:+.0f} ± {sd:.0f} ms"
    cadence = result["cadence_spm"]
    count_cadence = 60.0 * (found.size - 1) / (found[-1] - found[0]) if found.size > 1 else 0.0
    timing = result["timing"]
    duration = result["input"]["duration_s"]
    expected = f"{truth.size}" if truth is not None else f"≈{ref_cadence * duration / 60:.0f}"
    return (f"| {trace} | {peer} | {result['n_steps']} | {expected} | {match} | "
            f"{cadence:.1f} | {count_cadence:.1f} | {ref_cadence:.1f} | "
            f"{timing['peer_call_s']:.3f} | "
            f"{timing['total_s']:.2f} | {timing['process_wall_s']:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--synthetic-seconds", type=float, default=SYNTH["seconds"])
    args = parser.parse_args()
    TRACES.mkdir(parents=True, exist_ok=True)
    print("| trace | peer | steps found | true steps | IC recall / bias ± SD | "
          "peer cadence spm (median) | cadence from step count | reference spm | "
          "peer call s | total s (load+import+call) | process s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    path, truth, cadence = synthetic_run(args.synthetic_seconds)
    for peer in PEERS:
        result = run_peer(peer, path, vertical="z", ap=SYNTH_AP_AXIS)
        print(row(path.stem, peer, result, cadence, truth), flush=True)
    if not args.skip_real and HEXOSKIN.is_dir():
        for path, ref in hexoskin_jogs():
            for peer in PEERS:
                print(row(path.stem, peer, run_peer(peer, path, vertical="auto"), ref), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
