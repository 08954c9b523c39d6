"""Analyze a recording from Python and work with the per-step table.

    python examples/analyze_csv.py [FILE]

Without FILE it first simulates a short bouncy run (firmware_sim) so the example runs anywhere.
"""

import argparse
import tempfile
from pathlib import Path

import runform


def main(path: str | None = None) -> None:
    if path is None:  # make a 3-minute simulated run to look at
        from runform.sensors.canonical_csv import write_canonical

        path = str(Path(tempfile.mkdtemp()) / "bouncy.csv")
        write_canonical(runform.simulate("bouncy", duration_s=180, rate_hz=100, seed=1).recording, path)

    recording = runform.load(path)             # any supported format, detected from the content
    session = runform.analyze(recording)       # bouts, per-step metrics, summary, flags

    steps = session.steps_frame()              # one row per step (pandas DataFrame)
    running = steps[steps.bout_kind == "run"]
    print(f"{len(running)} running steps out of {len(steps)}")

    # per-minute medians of the running steps: does the bounce grow as you tire?
    per_minute = running.groupby((running.time_s // 60).astype(int))[
        ["cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g"]].median()
    print(per_minute.round(1).to_string())

    # left vs right contact time
    print(running.groupby("side").ground_contact_ms.median().round(1).to_string())

    for flag in session.summary["flags"]:
        print(f"[{flag['severity']}] {flag['code']}: {flag['advice']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Analyze a recording and look at its per-step table.")
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="any recording runform reads (default: a 3-minute simulated bouncy run)")
    main(parser.parse_args().file)
