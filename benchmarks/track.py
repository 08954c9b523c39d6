"""Track benchmark (issue 12, ``--track``): how close the running speed from a phone's GPX comes to the
simulator's, and whether the alignment check finds a phone clock that is off.

    .venv/bin/python benchmarks/track.py            # 6 seeds of a 15 min Couch-to-5K start
    .venv/bin/python benchmarks/track.py --seeds 2  # quicker

Each seed simulates the Couch-to-5K profile's first 15 minutes (a 5 min walk, then 60 s runs at the
profile's 2.4 m/s between 90 s walks) and writes the GPX a phone would record (``firmware_sim.track``:
positions only, every 1 s, a GPS error wandering as an AR(1) process with standard deviation 3 m or 5 m
and a 30 s time constant). ``runform analyze FILE --track GPX --json`` then gives the running speed
(the median over the running steps); its error against 2.4 m/s is reported. For the alignment, the
phone's clock is put off by -180, +37 and +240 s, and ``analysis.track_alignment.check`` (the check
``--track`` runs) searches ±10 min: the found offset's error and how often it is suggested are reported.
Simulated, so this measures the speed from positions and the alignment search, not a real GPS.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
from pathlib import Path

import numpy as np

from runform.analysis import analyze, track_alignment
from runform.cli import main
from runform.firmware_sim import simulate
from runform.firmware_sim.track import write_gpx
from runform.sensors.canonical_csv import write_canonical
from runform.sensors.tracks import read_track
from runform.sensors.units import parse_utc

DURATION_S, RATE_HZ = 900.0, 52.0
NOISES_M = (3.0, 5.0)
SHIFTS_S = (-180.0, 37.0, 240.0)


def _speed_error_pct(csv: Path, gpx: Path, out: Path, true_mps: float) -> float:
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["analyze", str(csv), "--track", str(gpx), "--json", str(out), "--no-log"])
    if code != 0:  # not an assert: under python -O it would not run the analysis at all
        raise RuntimeError(f"runform analyze {csv.name} --track {gpx.name} exited {code}")
    got = json.loads(out.read_text(encoding="utf-8"))["context"]["speed_mps"]
    return 100.0 * (got - true_mps) / true_mps


def main_(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    args = parser.parse_args(argv)
    speed, found, suggested = {n: [] for n in NOISES_M}, [], 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for seed in range(args.seeds):
            sim = simulate("c25k", duration_s=DURATION_S, rate_hz=RATE_HZ, seed=seed)
            csv = write_canonical(sim.recording, tmp / f"s{seed}.csv")
            for noise in NOISES_M:
                gpx = write_gpx(sim, tmp / f"s{seed}_{noise:g}.gpx", seed=seed, noise_m=noise)
                speed[noise].append(_speed_error_pct(csv, gpx, tmp / "s.json", sim.profile.run.speed_mps))
            session = analyze(sim.recording)
            start = parse_utc(sim.recording.meta.start_utc)
            for shift in SHIFTS_S:
                track = read_track(write_gpx(sim, tmp / f"o{seed}.gpx", seed=seed, offset_s=shift))
                result = track_alignment.check(track.relative_times(start), track.speed_mps, "speed", session.bouts,
                                               sim.recording.duration_s, 0.0)
                found.append(result.best_offset_s - shift)
                suggested += result.suggests_other_offset
    for noise, errs in speed.items():
        e = np.asarray(errs)
        print(f"running speed from GPX positions, GPS error {noise:g} m: error median {np.median(e):+.2f} %, "
              f"worst {e[np.argmax(np.abs(e))]:+.2f} % (n = {e.size})")
    f = np.asarray(found)
    print(f"alignment, phone clock off by {', '.join(f'{s:+g}' for s in SHIFTS_S)} s: found offset error median "
          f"{np.median(f):+.1f} s, worst {f[np.argmax(np.abs(f))]:+.1f} s; --track-offset suggested in "
          f"{suggested} of {f.size}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
