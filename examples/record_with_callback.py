"""Record from a strap with a callback that sees every block of samples as it arrives.

    python examples/record_with_callback.py            # a real strap nearby (Polar H10, Movesense, RFS)
    python examples/record_with_callback.py --simulate # the virtual strap, no radio needed

The recording is written to run.csv (+ run.meta.json; ``-o FILE.csv`` to choose) while it runs, as
`runform record` does.
"""

import argparse

import numpy as np

from runform.sensors import SampleBlock
from runform.sensors.ble_link import RecordSettings, record

seen = {"samples": 0, "peak_g": 0.0, "next_print_s": 5.0}


def on_block(block: SampleBlock) -> None:
    """Called for each decoded block: time (s), acc (n x 3, g), gyro (n x 3, deg/s or None)."""
    seen["samples"] += len(block)
    seen["peak_g"] = max(seen["peak_g"], float(np.linalg.norm(block.acc, axis=1).max()))
    if block.time[-1] >= seen["next_print_s"]:  # every 5 s of recording: the hardest landing so far
        print(f"t={block.time[-1]:6.1f} s  samples={seen['samples']:6d}  peak |acc| in the last 5 s={seen['peak_g']:.2f} g")
        seen["peak_g"], seen["next_print_s"] = 0.0, seen["next_print_s"] + 5.0


def main(simulate: bool, out: str = "run.csv") -> None:
    settings = RecordSettings(duration_s=30.0, placement="chest")
    backend = host = None
    if simulate:
        from runform.firmware_sim.bleak_backend import Faults, virtual_world

        world = virtual_world("bouncy", "movesense", 30.0, None, Faults(), speed=10.0)
        backend, host = world.backends(), world.clock
        settings.kind = "movesense"
    result = record(out, settings, backend=backend, host=host, on_block=on_block)
    print(f"{result.path}: {result.samples} samples from {result.device}, {result.lost_samples} lost")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Record 30 s from a strap, printing the hardest landing every 5 s.")
    parser.add_argument("--simulate", action="store_true", help="use the virtual strap instead of the radio")
    parser.add_argument("-o", "--output", default="run.csv", metavar="FILE.csv", help="default: run.csv")
    args = parser.parse_args()
    main(args.simulate, args.output)
