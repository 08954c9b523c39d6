"""Write the regression-snapshot recording (run once; the CSV is committed so that later changes to
the simulator do not move the snapshot): ``python tests/analysis/snapshots/make_recording.py``.

A short Couch-to-5K-like session at 100 Hz with a gyroscope: stand 4 s, walk 12 s, run 36 s (long
enough for the running flags), walk 10 s.
"""

from pathlib import Path

from runform.firmware_sim import simulate
from runform.firmware_sim.profiles import Segment
from runform.sensors.canonical_csv import write_canonical

HERE = Path(__file__).resolve().parent
SCHEDULE = (Segment("stand", 4.0), Segment("walk", 12.0), Segment("run", 36.0), Segment("walk", 10.0))

if __name__ == "__main__":
    result = simulate("c25k", duration_s=62.0, rate_hz=100, seed=7, schedule=SCHEDULE)
    write_canonical(result.recording, HERE / "c25k_62s.csv")
