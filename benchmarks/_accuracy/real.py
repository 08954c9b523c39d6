"""The real recordings in ../shared/data/real and their references (each folder's README).

* ``alcantara_sacral_treadmill`` (Alcantara et al. 2021/2022, Apache-2.0): 25 trials of 4.96 s at
  500 Hz; force-plate contacts (vGRF > 0.1 BW) in ``reference_contacts.csv``, cadence per trial in
  ``reference_per_trial.csv``. Our strikes are matched to force onsets (``scoring.match_strikes``),
  contact error = our ground contact − force-plate contact for each matched contact.
* ``hexoskin_harlab`` (Har-Lab 2023, MIT): jog cadence in the README's analysis window (from the
  strikes inside it) vs the device step events; bout placement = share of the jog window labelled
  ``run`` and of the walk-before-jog window labelled ``walk``.
* ``oxford_stepcounter_neckpouch`` (Oxford step-counter DataSet, CC BY 4.0): total steps vs the
  foot-contact device (0→1 transitions of either foot, as ``optimisation/stats.js``; user1: the
  cumulative ``steps_ground_truth`` column).
* ``actigraph_waist_harlab``: jog/walk cadence *estimates* only (no ground truth): reported, no target.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks._accuracy import scoring

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "real"
SACRAL = REAL / "alcantara_sacral_treadmill"
HEXOSKIN = REAL / "hexoskin_harlab"
OXFORD = REAL / "oxford_stepcounter_neckpouch"
ACTIGRAPH = REAL / "actigraph_waist_harlab"
OXFORD_TRIALS = ("Pixel_Jamie_Hard_NeckPouch_1", "Samsung_Carmelo_Hard_NeckPouch_1", "Samsung_Dario_Hard_NeckPouch_1")
OXFORD_USER1 = "user1_neckpouch_1506422851785.csv"
OXFORD_USER1_GT_COLUMN = 5  # timestamp_ns, ax, ay, az, steps_by_app, steps_ground_truth, steps_hw


def available() -> bool:
    return REAL.is_dir()


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def label_share(bouts, kind: str, start_s: float, end_s: float) -> float:
    """% of [start, end] covered by bouts of ``kind``."""
    covered = sum(max(0.0, min(b.end_s, end_s) - max(b.start_s, start_s)) for b in bouts if b.kind == kind)
    return 100.0 * covered / (end_s - start_s)


# --- sacral treadmill ------------------------------------------------------------------------

@dataclass
class SacralTrial:
    row: int
    speed_m_s: float
    slope_pct: float
    ref_cadence_spm: float
    ref_contact_ms: float
    n_ref: int
    n_found: int = 0
    recall_pct: float = float("nan")
    ic_bias_ms: float = float("nan")
    contact_abs_err_ms: np.ndarray = field(default_factory=lambda: np.empty(0))
    contact_err_ms: np.ndarray = field(default_factory=lambda: np.empty(0))
    cadence_spm: float = float("nan")
    notes: str = ""

    @property
    def cadence_err_spm(self) -> float:
        return self.cadence_spm - self.ref_cadence_spm

    @property
    def contact_mae_ms(self) -> float:
        return float(np.mean(self.contact_abs_err_ms)) if self.contact_abs_err_ms.size else float("nan")


def sacral_references() -> tuple[list[dict], dict[int, np.ndarray]]:
    trials = _rows(SACRAL / "reference_per_trial.csv")
    contacts: dict[int, list] = {}
    for r in _rows(SACRAL / "reference_contacts.csv"):
        if r["complete"] == "1":
            contacts.setdefault(int(r["row"]), []).append((float(r["onset_s"]), float(r["contact_time_s"])))
    return trials, {k: np.array(v) for k, v in contacts.items()}


def sacral_path(row: int) -> str:
    return f"{SACRAL / 'Accelerometer_trials.csv'}#trial={row}"


def score_sacral_steps(ref: dict, contacts: np.ndarray, time_s, contact_ms, notes: str = "") -> SacralTrial:
    """Score strike times (s) and per-strike contact (ms, may be NaN/absent) against one trial's force plate."""
    tr = SacralTrial(int(ref["row"]), float(ref["speed_m_s"]), float(ref["slope_pct"]), float(ref["cadence_spm"]),
                     1000.0 * float(ref["mean_contact_time_s"]), len(contacts), notes=notes)
    t = np.asarray(time_s, float)
    tr.n_found = int(t.size)
    m = scoring.match_strikes(contacts[:, 0], t, float(ref["mean_step_time_s"]))
    tr.recall_pct, tr.ic_bias_ms = m.recall_pct, m.bias_ms
    tr.cadence_spm = scoring.cadence_from_strikes(t)
    if contact_ms is not None and m.found_idx.size:
        err = _sorted(t, contact_ms)[m.found_idx] - 1000.0 * contacts[m.truth_idx, 1]
        err = err[np.isfinite(err)]
        tr.contact_err_ms, tr.contact_abs_err_ms = err, np.abs(err)
    return tr


def _sorted(t, values) -> np.ndarray:
    """``values`` in the order of sorted finite ``t`` (match_strikes indexes the sorted detections)."""
    t = np.asarray(t, float)
    keep = np.isfinite(t)
    order = np.argsort(t[keep])
    return np.asarray(values, float)[keep][order]


def sacral_trials(preset=None) -> list[SacralTrial]:
    """Analyse all 25 trials with ``analysis.analyze`` (``preset``: default unless given)."""
    from runform import analysis
    from runform.sensors import load_recording

    trials, contacts = sacral_references()
    out = []
    for ref in trials:
        rec = load_recording(sacral_path(int(ref["row"])))
        s = analysis.analyze(rec) if preset is None else analysis.analyze(rec, preset)
        notes = "; ".join(s.summary.get("notes", []))
        out.append(score_sacral_steps(ref, contacts[int(ref["row"])], s.steps["time_s"], s.steps["ground_contact_ms"], notes))
    return out


# --- Hexoskin -------------------------------------------------------------------------------

@dataclass
class HexoskinResult:
    subject: str
    ref_jog_spm: float
    jog_spm: float = float("nan")
    jog_run_pct: float = float("nan")
    walk_walk_pct: float | None = None
    walk_spm: float | None = None
    ref_walk_spm: float | None = None
    windows: dict = field(default_factory=dict)
    #: at the protocol's 5.5 mph (``HEXOSKIN_JOG_MPS``): step length (m) in the jog window and its reference
    #: (speed x the device's step time), vertical ratio (%), the running flags; share of running steps in the jog
    step_length_m: float = float("nan")
    ref_step_length_m: float = float("nan")
    vertical_ratio_pct: float = float("nan")
    flags: list = field(default_factory=list)
    running_in_jog_pct: float = float("nan")
    #: run bouts with steps outside the jog bout: (start s, end s, the device's own median cadence there, spm)
    runs_outside_jog: list = field(default_factory=list)

    @property
    def step_length_err_cm(self) -> float:
        return 100.0 * (self.step_length_m - self.ref_step_length_m)

    @property
    def jog_err_spm(self) -> float:
        return self.jog_spm - self.ref_jog_spm


def hexoskin_references() -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for r in _rows(HEXOSKIN / "reference_bouts.csv"):
        out.setdefault(r["subject"], {})["jog" if r["bout"] == "jog" else "walk"] = r
    return out


#: the protocol's treadmill jog, 5.5 mph (README), given as the running speed
HEXOSKIN_JOG_MPS = 5.5 * 0.44704


def hexoskin_path(subject: str) -> Path:
    return HEXOSKIN / f"hexoskin_{int(subject):03d}_acc.csv"


def hexoskin() -> list[HexoskinResult]:
    from runform import analysis
    from runform.sensors import load_recording

    out = []
    for subject, refs in sorted(hexoskin_references().items()):
        s = analysis.analyze(load_recording(hexoskin_path(subject)), speed_mps=HEXOSKIN_JOG_MPS)
        t = np.asarray(s.steps["time_s"], float)
        jog = refs["jog"]
        a, b = float(jog["analysis_start_s"]), float(jog["analysis_end_s"])
        res = HexoskinResult(subject, float(jog["device_step_events_spm"]), windows={"jog": (a, b)})
        inside = (t >= a) & (t <= b)
        res.jog_spm = scoring.cadence_from_strikes(t[inside])
        res.jog_run_pct = label_share(s.bouts, "run", a, b)
        res.step_length_m = HEXOSKIN_JOG_MPS * 60.0 / res.jog_spm  # distance over steps in the window
        res.ref_step_length_m = HEXOSKIN_JOG_MPS * 60.0 / res.ref_jog_spm
        res.vertical_ratio_pct = float(np.nanmedian(s.steps["vertical_ratio_pct"][inside]))
        res.flags = [f"{f['code']} ({f['severity']})" for f in s.flags]
        run = s.steps["bout_kind"] == "run"
        ja, jb = float(jog["bout_start_s"]), float(jog["bout_end_s"])
        res.running_in_jog_pct = 100.0 * float(np.mean((t[run] >= ja - 3) & (t[run] <= jb + 3))) if run.any() else float("nan")
        res.runs_outside_jog = _runs_outside(s, subject, ja - 3, jb + 3)
        if "walk" in refs:
            w = refs["walk"]
            wa, wb = float(w["analysis_start_s"]), float(w["analysis_end_s"])
            res.windows["walk"] = (wa, wb)
            res.walk_walk_pct = label_share(s.bouts, "walk", wa, wb)
            res.walk_spm = scoring.cadence_from_strikes(t[(t >= wa) & (t <= wb)])
            res.ref_walk_spm = float(w["our_fft_spm"])
        out.append(res)
    return out


def _runs_outside(session, subject: str, start_s: float, end_s: float) -> list[tuple[float, float, float]]:
    """Run bouts with steps outside [start_s, end_s], each with the Hexoskin's own median cadence over it
    (its 1 Hz cadence file: an independent check that it is running, not walking)."""
    device = _rows(HEXOSKIN / f"hexoskin_{int(subject):03d}_cadence_1hz.csv")
    dev_t = np.array([float(r["time_s"]) for r in device])
    dev_spm = np.array([float(r["cadence_spm"]) for r in device])
    t = np.asarray(session.steps["time_s"], float)
    out = []
    for b in session.bouts:
        steps = t[(t >= b.start_s) & (t < b.end_s)]
        if b.kind == "run" and ((steps < start_s) | (steps > end_s)).any():
            inside = (dev_t >= b.start_s) & (dev_t < b.end_s)
            out.append((b.start_s, b.end_s, float(np.median(dev_spm[inside])) if inside.any() else float("nan")))
    return out


# --- Oxford neck pouch -----------------------------------------------------------------------

@dataclass
class OxfordResult:
    trial: str
    true_steps: int
    steps: int

    @property
    def err_pct(self) -> float:
        return 100.0 * (self.steps - self.true_steps) / self.true_steps


def oxford_truth() -> dict[str, tuple[Path, int]]:
    """Recording path and true step count of each Oxford trial."""
    out = {}
    for name in OXFORD_TRIALS:
        feet = np.loadtxt(OXFORD / f"{name}_stepcounter.csv", delimiter=",", ndmin=2)[:, 1:]
        out[name] = (OXFORD / f"{name}_accelerometer.csv", int(((feet[1:] == 1) & (feet[:-1] == 0)).sum()))
    gt = np.loadtxt(OXFORD / OXFORD_USER1, delimiter=",", usecols=OXFORD_USER1_GT_COLUMN)
    out["user1"] = (OXFORD / OXFORD_USER1, int(gt[-1] - gt[0]))
    return out


def oxford() -> list[OxfordResult]:
    from runform import analysis
    from runform.sensors import load_recording

    return [OxfordResult(name, true, int(len(analysis.analyze(load_recording(path)).steps["time_s"])))
            for name, (path, true) in oxford_truth().items()]


# --- ActiGraph (estimates only) --------------------------------------------------------------

def actigraph() -> dict:
    """Our cadence and labels in the README's jog and walk windows (references are estimates)."""
    from runform import analysis
    from runform.sensors import load_recording

    s = analysis.analyze(load_recording(ACTIGRAPH / "028waist.csv"))
    t = np.asarray(s.steps["time_s"], float)
    out = {}
    for r in _rows(ACTIGRAPH / "reference_bouts.csv"):
        a, b = float(r["analysis_start_s"]), float(r["analysis_end_s"])
        kind = "run" if r["bout"] == "jog" else "walk"
        out[r["bout"]] = {"window": (a, b), "ref_spm": float(r["our_fft_spm"]),
                          "spm": scoring.cadence_from_strikes(t[(t >= a) & (t <= b)]),
                          "label_pct": label_share(s.bouts, kind, a, b), "kind": kind}
    # walking / stairs after the jog with ~450 ms contact at 123-125 spm (issue 12), and the running summary
    out["stairs"] = {"window": ACTIGRAPH_STAIRS_S, "run_pct": label_share(s.bouts, "run", *ACTIGRAPH_STAIRS_S)}
    out["running"] = {"spm": s.summary["running"]["cadence_spm"], "ref_spm": out["jog"]["ref_spm"]}
    return out


#: ActiGraph 028: walking or stairs (no flight phase) that was once labelled a run (issue 12)
ACTIGRAPH_STAIRS_S = (716.0, 770.0)
