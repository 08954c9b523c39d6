"""The activities of a real session on firmware_sim: sitting, standing, walking, stairs up and down, a run
with a sprint finish (profile ``day``), each scored for the stand / walk / run label the analysis gives it.

Cases cross the four rates × chest/back × gyro on/off (16 per round) with a random mount rotation and
sensor noise on; seeds ``SEED0 + i``. Per activity and case: % of its time with the expected label
(``firmware_sim.profiles.expected_label``: stairs are walking, sitting is still, a sprint is running),
excluding ``LABEL_MARGIN_S`` either side of every transition (heuristic of this project), as the main sweep.
Truth times are scaled to the device clock (1 + drift).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from benchmarks._accuracy import scoring
from benchmarks._accuracy.sim_sweep import LABEL_MARGIN_S, MOUNTS, RATES_HZ

PROFILE = "day"
SEED0 = 3000
#: the activities scored (the run, walk and stand of this profile are scored by the main sweep too)
SCORED = ("sit", "stairs_up", "stairs_down", "sprint")


@dataclass
class ActivityCase:
    index: int
    rate_hz: float
    mount: str
    gyro: bool
    seed: int
    #: activity -> % of its time (transitions excluded) with the expected label
    label_pct: dict = field(default_factory=dict)

    def reproduce(self) -> str:
        return (f"simulate({PROFILE!r}, rate_hz={self.rate_hz:g}, seed={self.seed}, mount={self.mount!r}, "
                f"gyro={self.gyro}, random_mount=True)")


def design(n: int) -> list[ActivityCase]:
    return [ActivityCase(i, RATES_HZ[i % 4], MOUNTS[i // 4 % 2], bool(i // 8 % 2 == 0), SEED0 + i) for i in range(n)]


def score(case: ActivityCase) -> ActivityCase:
    from runform import analysis
    from runform.firmware_sim import simulate

    sim = simulate(PROFILE, rate_hz=case.rate_hz, seed=case.seed, mount=case.mount, gyro=case.gyro, random_mount=True)
    session = analysis.analyze(sim.recording)
    scale = 1.0 + sim.truth.session["drift_ppm"] * 1e-6
    bouts = sim.truth.bouts
    grid = np.arange(0.0, float(sim.recording.time[-1]), 1.0 / scoring.LABEL_GRID_HZ)
    found = scoring.interval_labels(grid, np.array([b.start_s for b in session.bouts]),
                                    np.array([b.end_s for b in session.bouts]), [b.kind for b in session.bouts])
    keep = scoring.transition_mask(grid, [b["start_s"] * scale for b in bouts[1:]], LABEL_MARGIN_S)
    for kind in SCORED:
        sel = np.zeros(grid.size, bool)
        for b in bouts:
            if b["kind"] == kind:
                sel |= (grid >= b["start_s"] * scale) & (grid < b["end_s"] * scale)
        sel &= keep
        label = next(b["label"] for b in bouts if b["kind"] == kind)
        case.label_pct[kind] = 100.0 * float(np.mean(found[sel] == label)) if sel.any() else float("nan")
    return case
