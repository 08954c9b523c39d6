"""firmware_sim sweep: a seeded Latin-hypercube design of short sessions and their per-bout errors.

Each case is one session ``stand → walk → run → walk → stand`` (``SCHEDULE``) simulated by
``firmware_sim.simulate`` with noise and clock drift on and a random mount rotation, then analysed
by ``analysis.analyze``. Continuous factors (cadence, contact, transient, drift, walking cadence) are
Latin-hypercube stratified; discrete factors (rate, mount, gyro) are crossed evenly (case i takes
rate ``RATES_HZ[i % 4]``, mount ``i // 4 % 2``, gyro ``i // 8 % 2``), so every 16 consecutive cases
hold every rate × mount × gyro cell once.

Contact time is drawn in ``CONTACT_MS`` but capped at ``MAX_DUTY`` of the step time, because a
195 spm step (308 ms) cannot hold 320 ms of contact with a flight phase (the simulator's limit is
95 %, which leaves a 15 ms flight; runners at that cadence have 180–250 ms contacts).

Truth times are the device-clock times (``ic_device_s``; bouts scaled by 1 + drift), because the
recording's time axis is the sensor clock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from benchmarks._accuracy import scoring

RATES_HZ = (25.0, 52.0, 100.0, 200.0)
MOUNTS = ("chest", "back")
CADENCE_SPM = (140.0, 195.0)
CONTACT_MS = (180.0, 320.0)
MAX_DUTY = 0.85  # contact <= this fraction of the step time
TRANSIENT_G = (0.0, 3.0)
DRIFT_PPM = (-50.0, 50.0)
WALK_CADENCE_SPM = (95.0, 125.0)
SCHEDULE_S = (("stand", 8.0), ("walk", 20.0), ("run", 75.0), ("walk", 20.0), ("stand", 7.0))
LABEL_MARGIN_S = 2.0  # label accuracy excluding 2 s around transitions (heuristic of this project)
FLAG_CASES_DURATION_S = 120.0


@dataclass
class Case:
    """One simulated session: everything needed to reproduce it with ``simulate``."""

    index: int
    seed: int
    rate_hz: float
    mount: str
    gyro: bool
    cadence_spm: float
    contact_ms: float
    transient_g: float
    drift_ppm: float
    walk_cadence_spm: float

    def overrides(self) -> dict:
        from runform.firmware_sim.profiles import Segment

        return {"schedule": tuple(Segment(k, d) for k, d in SCHEDULE_S), "random_mount": True,
                "cadence_spm": self.cadence_spm, "contact_ms": self.contact_ms,
                "transient_g": self.transient_g, "drift_ppm": self.drift_ppm, "noise": True,
                "walk_cadence_spm": self.walk_cadence_spm}

    def reproduce(self) -> str:
        """A one-line Python call that rebuilds this case."""
        o = {k: v for k, v in self.overrides().items() if k != "schedule"}
        args = ", ".join(f"{k}={round(v, 1) if isinstance(v, float) else v!r}" for k, v in o.items())
        return (f"simulate('easy', duration_s={sum(d for _, d in SCHEDULE_S):g}, rate_hz={self.rate_hz:g}, "
                f"seed={self.seed}, mount={self.mount!r}, gyro={self.gyro}, schedule=SCHEDULE, {args})")


def design(n: int, seed: int = 2026) -> list[Case]:
    """``n`` cases: Latin hypercube over the continuous factors, discrete factors crossed evenly."""
    rng = np.random.default_rng(seed)
    k = 5
    u = (rng.permuted(np.tile(np.arange(n), (k, 1)), axis=1).T + rng.uniform(size=(n, k))) / n
    cases = []
    for i in range(n):
        cad = CADENCE_SPM[0] + u[i, 0] * (CADENCE_SPM[1] - CADENCE_SPM[0])
        hi = min(CONTACT_MS[1], MAX_DUTY * 60000.0 / cad)
        contact = CONTACT_MS[0] + u[i, 1] * (hi - CONTACT_MS[0])
        cases.append(Case(
            index=i, seed=1000 + i, rate_hz=RATES_HZ[i % 4], mount=MOUNTS[i // 4 % 2], gyro=bool(i // 8 % 2 == 0),
            cadence_spm=round(float(cad), 1), contact_ms=round(float(contact), 1),
            transient_g=round(float(TRANSIENT_G[0] + u[i, 2] * (TRANSIENT_G[1] - TRANSIENT_G[0])), 2),
            drift_ppm=round(float(DRIFT_PPM[0] + u[i, 3] * (DRIFT_PPM[1] - DRIFT_PPM[0])), 1),
            walk_cadence_spm=round(float(WALK_CADENCE_SPM[0] + u[i, 4] * (WALK_CADENCE_SPM[1] - WALK_CADENCE_SPM[0])), 1),
        ))
    return cases


@dataclass
class CaseResult:
    """Per-case errors for the (single) running bout; NaN where the analysis gave nothing."""

    case: Case
    recall_pct: float = float("nan")
    precision_pct: float = float("nan")
    ic_bias_ms: float = float("nan")
    ic_sd_ms: float = float("nan")
    cadence_err_spm: float = float("nan")
    vo_err_cm: float = float("nan")
    vo_com_err_cm: float = float("nan")
    contact_err_ms: float = float("nan")
    rotation_err_deg: float = float("nan")
    label_pct: float = float("nan")
    label_pct_excl: float = float("nan")
    step_length_err_cm: float = float("nan")
    vertical_ratio_err_pct: float = float("nan")
    truth: dict = field(default_factory=dict)
    found: dict = field(default_factory=dict)
    error: str | None = None

    def row(self) -> dict:
        d = asdict(self)
        d.update(d.pop("case"))
        return d


def simulate_case(case: Case):
    from runform.firmware_sim import simulate

    return simulate("easy", duration_s=sum(d for _, d in SCHEDULE_S), rate_hz=case.rate_hz, seed=case.seed,
                    mount=case.mount, gyro=case.gyro, **case.overrides())


def truth_run(truth) -> dict:
    """The true running bout (device clock): strikes, bounds, medians."""
    scale = 1.0 + truth.session["drift_ppm"] * 1e-6
    st = truth.steps
    run_bouts = [b for b in truth.bouts if b["kind"] == "run"]
    b = run_bouts[0]
    sel = st["bout"] == b["index"]
    step_s = st["step_ms"][sel] / 1000.0
    speed = float(truth.params["profile_params"]["run"]["speed_mps"])
    return {
        "start_s": b["start_s"] * scale, "end_s": b["end_s"] * scale,
        "ic_s": st["ic_device_s"][sel],
        "step_s": float(np.median(step_s)),
        "cadence_spm": 60.0 * step_s.size / float(step_s.sum()),
        "vo_cm": float(np.median(st["vo_sensor_cm"][sel])),
        "vo_com_cm": float(np.median(st["vo_com_cm"][sel])),
        # with the running speed given (as a treadmill's): step length and vertical ratio (analysis.speed)
        "speed_mps": speed,
        "step_length_m": speed * float(step_s.mean()),  # distance over steps
        "vertical_ratio_pct": float(np.median(st["vo_sensor_cm"][sel])) / (speed * float(step_s.mean())),
        "contact_ms": float(np.median(st["contact_ms"][sel])),
        "rotation_deg": float(np.nanmedian(st["yaw_range_deg"][sel])),
        "bounds": [(bb["start_s"] * scale, bb["end_s"] * scale, bb["label"]) for bb in truth.bouts],
    }


def overlapping_bout(bouts, kind: str, start_s: float, end_s: float):
    """The ``kind`` bout of the analysis that overlaps [start, end] most (None when none does)."""
    best, best_overlap = None, 0.0
    for b in bouts:
        if b.kind != kind:
            continue
        overlap = min(b.end_s, end_s) - max(b.start_s, start_s)
        if overlap > best_overlap:
            best, best_overlap = b, overlap
    return best


def label_agreement(bounds, bouts, duration_s: float) -> tuple[float, float]:
    """% of time with the right stand/walk/run label: all time, and excluding ±LABEL_MARGIN_S of transitions."""
    grid = np.arange(0.0, duration_s, 1.0 / scoring.LABEL_GRID_HZ)
    t0 = np.array([b[0] for b in bounds])
    true = scoring.interval_labels(grid, t0, np.array([b[1] for b in bounds]), [b[2] for b in bounds])
    # the gap between the last step of a bout and the next segment start belongs to the next segment
    gaps = true == ""
    if gaps.any():
        nxt = np.clip(np.searchsorted(t0, grid[gaps], side="right"), 0, len(bounds) - 1)
        true[gaps] = np.array([b[2] for b in bounds], dtype="<U5")[nxt]
    found = scoring.interval_labels(grid, np.array([b.start_s for b in bouts]), np.array([b.end_s for b in bouts]),
                                    [b.kind for b in bouts])
    ok = true == found
    keep = scoring.transition_mask(grid, t0[1:], LABEL_MARGIN_S)
    return 100.0 * float(ok.mean()), 100.0 * float(ok[keep].mean())


def score_case(case: Case, sim=None, session=None) -> CaseResult:
    """Simulate (unless given), analyse (unless given) and score one case."""
    from runform import analysis

    res = CaseResult(case)
    sim = sim if sim is not None else simulate_case(case)
    tr = truth_run(sim.truth)
    res.truth = {k: v for k, v in tr.items() if k not in ("ic_s", "bounds")}
    try:
        session = session if session is not None else analysis.analyze(sim.recording, speed_mps=sim.profile.run.speed_mps)
    except Exception as exc:  # noqa: BLE001 - a crash is a measured failure, not a benchmark stop
        res.error = f"{type(exc).__name__}: {exc}"
        return res
    steps = session.steps
    t = np.asarray(steps["time_s"], float)
    half = 0.5 * tr["step_s"]
    inside = (t >= tr["ic_s"][0] - half) & (t <= tr["ic_s"][-1] + half)
    m = scoring.match_strikes(tr["ic_s"], t[inside], tr["step_s"])
    res.recall_pct, res.precision_pct = m.recall_pct, m.precision_pct
    res.ic_bias_ms, res.ic_sd_ms = m.bias_ms, m.sd_ms
    missed = np.setdiff1d(np.arange(tr["ic_s"].size), m.truth_idx)
    res.found["missed_strikes"] = [f"#{i} of {tr['ic_s'].size} at {tr['ic_s'][i]:.2f} s" for i in missed[:5]]
    res.label_pct, res.label_pct_excl = label_agreement(tr["bounds"], session.bouts, sim.recording.time[-1])
    bout = overlapping_bout(session.bouts, "run", tr["start_s"], tr["end_s"])
    if bout is None:
        res.error = "no running bout found"
        return res
    res.found |= {"start_s": bout.start_s, "end_s": bout.end_s, "steps": bout.steps, "cadence_spm": bout.cadence_spm,
                 "vo_cm": bout.vertical_oscillation_cm, "contact_ms": bout.ground_contact_ms,
                 "rotation_deg": bout.trunk_rotation_deg}
    res.cadence_err_spm = _err(bout.cadence_spm, tr["cadence_spm"])
    res.vo_err_cm = _err(bout.vertical_oscillation_cm, tr["vo_cm"])
    res.vo_com_err_cm = _err(bout.vertical_oscillation_cm, tr["vo_com_cm"])
    res.contact_err_ms = _err(bout.ground_contact_ms, tr["contact_ms"])
    res.step_length_err_cm = 100.0 * _err(bout.step_length_m, tr["step_length_m"])
    res.vertical_ratio_err_pct = _err(bout.vertical_ratio_pct, tr["vertical_ratio_pct"])
    if case.gyro:
        res.rotation_err_deg = _err(bout.trunk_rotation_deg, tr["rotation_deg"])
    return res


def _err(found, true) -> float:
    """Signed error found − true (NaN when the analysis reported nothing)."""
    return float(found) - float(true) if found is not None and np.isfinite(found) else float("nan")


@dataclass
class FlagCase:
    profile: str
    seed: int
    rate_hz: float
    mount: str
    gyro: bool
    codes: list[str] = field(default_factory=list)
    ok: bool = False

    def reproduce(self) -> str:
        return (f"simulate({self.profile!r}, duration_s={FLAG_CASES_DURATION_S:g}, rate_hz={self.rate_hz:g}, "
                f"seed={self.seed}, mount={self.mount!r}, gyro={self.gyro})")


def flag_cases(n_per_profile: int) -> list[FlagCase]:
    """``bouncy`` and ``easy`` sessions across rates, mounts and gyro (profile mount rotation, noise on)."""
    out = []
    for profile in ("bouncy", "easy"):
        for i in range(n_per_profile):
            out.append(FlagCase(profile, 500 + i, RATES_HZ[i % 4], MOUNTS[(i + i // 4) % 2], bool(i // 2 % 2 == 0)))
    return out


def score_flag_case(fc: FlagCase) -> FlagCase:
    """``bouncy`` must raise ``jarring_gait``; ``easy`` must raise no flag at all."""
    from runform import analysis
    from runform.firmware_sim import simulate

    sim = simulate(fc.profile, duration_s=FLAG_CASES_DURATION_S, rate_hz=fc.rate_hz, seed=fc.seed, mount=fc.mount,
                   gyro=fc.gyro)
    fc.codes = [f["code"] for f in analysis.analyze(sim.recording).flags]
    fc.ok = ("jarring_gait" in fc.codes) if fc.profile == "bouncy" else not fc.codes
    return fc
