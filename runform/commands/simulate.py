"""``runform simulate PROFILE -o FILE.csv``: a simulated strap session with ground truth.

Writes the canonical CSV, its sidecar ``FILE.meta.json`` and ``FILE.truth.json``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from runform.commands._options import require_number
from runform.sensors.errors import OutputError



def add_arguments(parser: argparse.ArgumentParser) -> None:
    from runform.firmware_sim import profile_names

    parser.add_argument("profile", metavar="PROFILE", help=f"one of: {', '.join(profile_names())}")
    parser.add_argument("--duration", type=float, default=None, metavar="S", help="seconds (default: the profile's)")
    parser.add_argument("--rate", type=float, default=100.0, metavar="HZ", help="sample rate, 25-416 Hz (default 100)")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (same seed, same bytes)")
    parser.add_argument("--mount", choices=("chest", "back"), default="chest", help="strap position (default chest)")
    parser.add_argument("--no-gyro", action="store_true", help="accelerometer only (like a Polar H10)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.csv", help="output CSV path")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace FILE.csv even when it is not an earlier simulated session (a recording)")


def run(args) -> int:
    from runform.firmware_sim import simulate, truth_path
    from runform.firmware_sim.session import MAX_DURATION_S as MAX_SIM_DURATION_S
    from runform.sensors.canonical_csv import sidecar_path, write_canonical

    require_number(args.duration, "--duration", 0, MAX_SIM_DURATION_S, low_inclusive=False)
    out = Path(args.output)
    if out.is_file() and not truth_path(out).exists() and not args.overwrite:  # a recording: never replaced unasked
        raise OutputError(out, "exists and is not a simulated session (no truth file beside it); "
                               "choose another path, or add --overwrite")
    result = simulate(args.profile, duration_s=args.duration, rate_hz=args.rate, seed=args.seed,
                      mount=args.mount, gyro=not args.no_gyro)
    csv = write_canonical(result.recording, args.output)
    tpath = result.truth.write_json(truth_path(csv))
    rec, summ = result.recording, result.truth.session
    print(f"{csv}: {rec.n_samples} samples, {rec.duration_s:.1f} s at {rec.meta.nominal_rate_hz:g} Hz, "
          f"{summ['n_steps']} steps ({result.profile.name}, {args.mount})")
    for kind in ("run", "walk"):
        t = summ[kind]
        if t["n_steps"]:
            print(f"  truth ({kind}): {t['n_steps']} steps, {t['cadence_spm']:.1f} spm, contact {t['contact_ms']:.0f} ms, "
                  f"flight {t['flight_ms']:.0f} ms, VO {t['vo_sensor_cm']:.1f} cm, peak {t['peak_g']:.2f} g")
    print(f"{sidecar_path(csv)}")
    print(f"{tpath}")
    return 0
