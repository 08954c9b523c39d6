"""The two peer tables of issue 14, each saying what each side computes.

* Whole job: ``analyze()`` against scikit-digital-health's ``GaitLumbar`` and mobgap's
  ``MobilisedPipelineHealthy``, CPU seconds (medians; the peers' after a warm-up), on the same traces.
* Like for like: the stages of our ``analyze()`` that give the steps and their cadence, and those plus
  the running foot strikes, against mobgap's ``IcdIonescu + CadFromIc``. Our stage times are wall
  seconds (the stage timer, ``analyze_stages``, measures wall time), so this table compares wall time
  on both sides.
"""

from __future__ import annotations

from benchmarks._speed.markdown import fmt as _f
from benchmarks._speed.markdown import table as _table

#: what runform's analyze() computes
WE_COMPUTE = ("stand/walk/run bouts; per step: foot strike, toe-off, contact and flight time, vertical "
              "oscillation, impact, load rate, heel-strike transient, trunk rotation, lean, sway, left/right; "
              "summaries per bout and run, the average cycle, flags with advice")
#: what each peer call computes
PEER_COMPUTES = {
    "skdh GaitLumbar": "gait bouts (its walking classifier bypassed: gait_pred=True, the whole trace is one bout), "
                       "initial and final contacts, step/stride/stance/swing times, cadence, step length and "
                       "gait speed from height, vertical displacement (delta h), gait symmetry and regularity",
    "mobgap MobilisedPipelineHealthy": "gait sequences (GsdIluz), initial contacts (IcdIonescu), left/right "
                                       "(LrcUllrich), cadence (CadFromIcDetector with IcdShinImproved), stride "
                                       "length (SlZijlstra), walking speed, turns (TdElGohary), stride selection, "
                                       "walking bouts and their aggregation",
    "mobgap IcdIonescu + CadFromIc": "initial contacts from the vertical axis alone (resampled to 40 Hz inside), "
                                     "cadence per second",
}
#: the stages of our analyze() (labels of ``analyze_stages``) that give the steps (mid-stance times) and
#: their cadence; they also build the gravity frame and label stand/walk/run bouts. "mid-stance peaks"
#: includes the 6 Hz step low-pass its peaks are found on (made inside that stage since 2026-12-06; before,
#: it was timed under "steps and contacts" and this table left one full-rate low-pass out)
STEP_STAGES = ("timebase (split, grid)", "prepare (per segment)", "mid-stance peaks")
#: ... and those that time the running steps' foot strikes (mobgap's output is initial contacts)
STRIKE_STAGES = ("run-edge trim (contact signal at bout ends)", "contact crossings (step pass, builds the contact signal)")
LIKE_FOR_LIKE_PEER = "mobgap IcdIonescu + CadFromIc"


def _why(res: dict) -> str:
    """Why a peer has no figure, on one line (a failed script's last line of stderr says it best)."""
    text = str(res.get("error") or res.get("unavailable") or "not run")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[-1] if lines else text).replace("|", "/")[:160]


def whole_job_table(traces: list[dict]) -> list[str]:
    """``analyze()`` against each peer's whole pipeline, trace by trace (CPU s; wall s in brackets)."""
    head = ["trace", "runform analyze() CPU s (wall)", "runform steps", "peer", "peer CPU s (wall)",
            "peer steps", "peer cadence spm", "peer / runform (CPU)"]
    rows = []
    for t in traces:
        ours = t["analyze"]
        for label, res in (t.get("peers") or {}).items():
            if res.get("job") != "whole":
                continue
            lead = [t["trace"], f"{_f(ours['cpu_s'])} ({_f(ours['wall_s'])})", str(t["steps"]),
                    f"{label} {res.get('version') or ''}".strip()]
            if "timing" in res:
                tm = res["timing"]
                rows.append(lead + [f"{_f(tm.get('peer_call_cpu_s'))} ({_f(tm['peer_call_s'])})",
                                    str(res.get("n_steps")), _f(res.get("cadence_spm"), "{:.0f}"),
                                    _f(_ratio(tm.get("peer_call_cpu_s"), ours["cpu_s"]), "{:.1f}x")])
            else:
                rows.append(lead + ["n/a", "n/a", "n/a", _why(res)])
    if not rows:
        return []
    out = _table(head, rows) + ["", "What each side computes:", "", f"- runform `analyze()`: {WE_COMPUTE}."]
    out += [f"- {label}: {what}." for label, what in PEER_COMPUTES.items() if label != LIKE_FOR_LIKE_PEER]
    return out


def like_for_like_table(traces: list[dict]) -> list[str]:
    """Our step-and-cadence stages (and with the running foot strikes) against mobgap's call (wall s)."""
    head = ["trace", f"{LIKE_FOR_LIKE_PEER} s", "peer steps", "our steps + cadence s", "peer / ours",
            "… + running foot strikes s", "peer / ours"]
    rows = []
    for t in traces:
        res = (t.get("peers") or {}).get(LIKE_FOR_LIKE_PEER)
        if res is None:
            continue
        steps, strikes = like_for_like_seconds(t)
        if "timing" not in res:
            rows.append([t["trace"], "n/a", "n/a", _f(steps), "n/a", _f(strikes), _why(res)])
            continue
        theirs = res["timing"]["peer_call_s"]
        rows.append([t["trace"], _f(theirs), str(res.get("n_steps")), _f(steps),
                     _f(_ratio(theirs, steps), "{:.1f}x"), _f(strikes), _f(_ratio(theirs, strikes), "{:.1f}x")])
    if not rows:
        return []
    return _table(head, rows) + [
        "", "What each side computes:", "",
        f"- {LIKE_FOR_LIKE_PEER}: {PEER_COMPUTES[LIKE_FOR_LIKE_PEER]}.",
        f"- our steps + cadence: the stages of `analyze()` that give every step (mid-stance times) and its "
        f"cadence ({', '.join(STEP_STAGES)}, the last with the 6 Hz step low-pass its peaks are found on); they also "
        f"estimate the gravity frame and label stand/walk/run bouts.",
        f"- … + running foot strikes: those and the stages that time each running step's foot strike "
        f"({', '.join(STRIKE_STAGES)}), mobgap's output being initial contacts.",
        "Wall seconds on both sides (medians; mobgap's after a warm-up), as our stage timer measures wall time."]


def like_for_like_seconds(trace: dict) -> tuple[float | None, float | None]:
    """(steps + cadence, + running foot strikes) in wall s from the trace's ``analyze_stages``; None when a
    stage was not timed (a renamed stage must not be counted as free)."""
    stages = {label: s for label, _, s in (trace.get("analyze_stages") or {}).get("stages", [])}
    if not all(k in stages for k in STEP_STAGES + STRIKE_STAGES):
        return None, None
    steps = sum(stages[k] for k in STEP_STAGES)
    return steps, steps + sum(stages[k] for k in STRIKE_STAGES)


def _ratio(a, b) -> float | None:
    return a / b if a is not None and b else None
