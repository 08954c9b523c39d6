"""Accuracy benchmark: runform's analysis against firmware_sim ground truth and the real recordings,
with the open-source peers (scikit-digital-health, mobgap) beside it, in one table.

    .venv/bin/python benchmarks/accuracy.py [--quick] [--no-peers] [--cases N] [--markdown OUT.md]

Targets: issue 3 "Accuracy" (per running bout on the simulator; per trial / per bout on real data).
Exit status 1 when any target is missed, 0 when all are met. ``--markdown`` writes (or replaces) the
``## Accuracy`` section of OUT.md and leaves its other sections alone.
Design, scoring rules and deviations: benchmarks/_accuracy/*.py docstrings.
"""

from __future__ import annotations

import argparse
import json
import datetime as _dt
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._accuracy import activities, peer_eval, real, sim_sweep  # noqa: E402
from benchmarks._accuracy.table import MAX, MAX_ABS, MIN, Row, Target, peer_text, render, stat_row  # noqa: E402

FULL_CASES = 192
QUICK_CASES = 16
FULL_FLAG_CASES = 16
QUICK_FLAG_CASES = 4
FULL_ACTIVITY_CASES = 16
QUICK_ACTIVITY_CASES = 4
QUICK_PEER_EVERY = 8
WORST_LISTED = 3
SACRAL_DIAG_MIN_SEGMENT_S = 4.0
CASES_JSON = ROOT / "benchmarks" / ".cache" / "accuracy_cases.json"  # every sweep case, for digging
SECTION_HEADING = "## Accuracy"

# issue 3 targets
T_RECALL = Target(MIN, 99.5, "%")
T_PRECISION = Target(MIN, 99.5, "%")
T_IC_BIAS = Target(MAX_ABS, 15.0, "ms")
T_IC_SD = Target(MAX, 20.0, "ms")
T_CADENCE = Target(MAX_ABS, 0.5, "spm")
T_VO = Target(MAX_ABS, 0.5, "cm")
T_CONTACT = Target(MAX_ABS, 15.0, "ms")
T_ROTATION = Target(MAX_ABS, 1.5, "deg")
T_LABEL = Target(MIN, 98.0, "% of time")
T_ALL_CASES = Target(MIN, 100.0, "% of sessions")
T_SACRAL_CONTACT_MAE = Target(MAX, 25.0, "ms")
T_SACRAL_CADENCE = Target(MAX_ABS, 1.0, "spm")
T_HEX_CADENCE = Target(MAX_ABS, 2.0, "spm")
T_HEX_BOUT = Target(MIN, 90.0, "% of window")  # our reading of "bouts found where the README places them"
T_OXFORD = Target(MAX_ABS, 2.0, "%")
T_NOT_RUN = Target(MAX, 0.0, "% of window")
# issue 12: with a given speed, step length follows from cadence (0.5 spm of 170 at 2.8 m/s: 0.3 cm) and vertical
# ratio from the bounce (0.5 cm over a 1 m step: 0.5 points); the targets carry the cadence and VO targets over
T_STEP_LENGTH = Target(MAX_ABS, 1.0, "cm")
T_VR = Target(MAX_ABS, 0.5, "points")
INFO_SPM = Target(MAX_ABS, float("inf"), "spm")
INFO_PCT = Target(MIN, 0.0, "%")
INFO_MS = Target(MAX_ABS, float("inf"), "ms")

SIM_METRICS = (  # (CaseResult attribute, table label, target, digits)
    ("recall_pct", "step recall", T_RECALL, 2),
    ("precision_pct", "step precision", T_PRECISION, 2),
    ("ic_bias_ms", "foot-strike bias", T_IC_BIAS, 1),
    ("ic_sd_ms", "foot-strike SD", T_IC_SD, 1),
    ("cadence_err_spm", "cadence error per bout", T_CADENCE, 2),
    ("vo_err_cm", "vertical oscillation error per bout (median vs sensor-point truth)", T_VO, 2),
    ("contact_err_ms", "ground contact error per bout (median)", T_CONTACT, 1),
    ("rotation_err_deg", "trunk rotation error per bout (gyro cases)", T_ROTATION, 2),
    ("label_pct", "stand/walk/run label agreement", T_LABEL, 1),
    ("step_length_err_cm", "step length error per bout, running speed given", T_STEP_LENGTH, 2),
    ("vertical_ratio_err_pct", "vertical ratio error per bout, running speed given (percentage points)", T_VR, 2),
)
PEER_SIM_KEYS = {"recall_pct", "precision_pct", "ic_bias_ms", "ic_sd_ms", "cadence_err_spm", "contact_err_ms"}


def sim_rows(results, peers: dict | None, flags) -> list[Row]:
    rows = []
    for key, label, target, digits in SIM_METRICS:
        values = [getattr(r, key) for r in results if key != "rotation_err_deg" or r.case.gyro]
        ptext = {}
        for name, per_case in (peers or {}).items():
            if key in PEER_SIM_KEYS:
                given = any(np.isfinite(c.get(key, np.nan)) for c in per_case)
                ptext[name] = peer_text([c.get(key, np.nan) for c in per_case], target, digits) if given else "not given"
        rows.append(stat_row("sim", label, values, target, digits, ptext))
    com = stat_row("sim", "VO error vs centre-of-mass truth (what a sensor-point VO misses)",
                   [r.vo_com_err_cm for r in results], T_VO, 2)
    com.passed, com.target = None, None
    rows.append(com)
    rows.append(stat_row("sim", "label agreement excluding ±2 s of transitions", [r.label_pct_excl for r in results],
                         Target(MIN, 98.0, "% of time"), 1))
    for profile, label in (("bouncy", "`bouncy` raises jarring_gait"), ("easy", "`easy` raises no running flag")):
        sel = [f for f in flags if f.profile == profile]
        share = 100.0 * sum(f.ok for f in sel) / len(sel) if sel else float("nan")
        rows.append(Row("sim", label, T_ALL_CASES, f"{sum(f.ok for f in sel)}/{len(sel)} sessions",
                        T_ALL_CASES.met(share)))
    return rows


ACTIVITY_LABELS = {"sit": "sitting labelled stand", "stairs_up": "stairs up labelled walk",
                   "stairs_down": "stairs down labelled walk", "sprint": "sprint finish (196 spm) labelled run"}


def activity_rows(cases) -> list[Row]:
    """Label agreement on the activities of a real session (``benchmarks/_accuracy/activities.py``)."""
    return [stat_row("sim, activities (`day`)", f"{label}, excluding ±2 s of transitions",
                     [c.label_pct[kind] for c in cases], T_LABEL, 1) for kind, label in ACTIVITY_LABELS.items()]


def activity_failures(cases) -> list[str]:
    return [f"- {ACTIVITY_LABELS[k]} = {c.label_pct[k]:.1f} %: `{c.reproduce()}`"
            for c in cases for k in ACTIVITY_LABELS if not T_LABEL.met(c.label_pct[k])][:WORST_LISTED]


def sacral_diagnostic_rows(diag) -> list[Row]:
    """Info rows: the sacral trials analysed with a shorter minimum segment (the 4.96 s trials are
    shorter than the default ``min_segment_s``), to show what the step and contact stages do there."""
    if not diag:
        return []
    pooled = np.concatenate([t.contact_abs_err_ms for t in diag] or [np.empty(0)])
    signed = np.concatenate([t.contact_err_ms for t in diag] or [np.empty(0)])
    cad = np.array([t.cadence_err_spm for t in diag])
    section = f"sacral, diagnostic: Preset(min_segment_s={SACRAL_DIAG_MIN_SEGMENT_S:g})"
    return [Row(section, "contact MAE / mean signed error; cadence error per trial; strike recall; strike bias", None,
                f"MAE {np.mean(pooled) if pooled.size else float('nan'):.1f} ms, signed {np.mean(signed) if signed.size else float('nan'):+.1f} ms "
                f"over {pooled.size} contacts · cadence worst {np.nanmax(np.abs(cad)) if np.isfinite(cad).any() else float('nan'):.2f}, "
                f"median {np.nanmedian(np.abs(cad)) if np.isfinite(cad).any() else float('nan'):.2f} spm · recall median "
                f"{np.nanmedian([t.recall_pct for t in diag]):.1f} % (worst {np.nanmin([t.recall_pct for t in diag]):.1f}) · "
                f"bias median {np.nanmedian([t.ic_bias_ms for t in diag]):+.1f} ms", None)]


def real_rows(sacral, hexo, oxf, acti, peers: dict, sacral_diag=None) -> list[Row]:
    rows = []
    pooled = np.concatenate([t.contact_abs_err_ms for t in sacral]) if sacral else np.empty(0)
    n_missing = sum(1 for t in sacral if t.contact_abs_err_ms.size == 0)
    mae = float(np.mean(pooled)) if pooled.size else float("nan")
    worst_trial = max((t.contact_mae_ms for t in sacral), default=float("nan"))
    measured = (f"MAE {mae:.1f} over {pooled.size} contacts · worst trial {worst_trial:.1f}"
                + (f" · {n_missing}/{len(sacral)} trials without contacts" if n_missing else ""))
    ptext = {}
    for name, trials in peers.get("sacral", {}).items():
        got = [t for t in trials if t is not None and t.contact_abs_err_ms.size]
        ptext[name] = (f"MAE {np.mean(np.concatenate([t.contact_abs_err_ms for t in got])):.0f}" if got else "none")
    rows.append(Row("sacral (25 trials, force plate)", "ground contact MAE", T_SACRAL_CONTACT_MAE, measured,
                    n_missing == 0 and T_SACRAL_CONTACT_MAE.met(mae), ptext))
    rows.append(stat_row("sacral (25 trials, force plate)", "cadence error per trial",
                         [t.cadence_err_spm for t in sacral], T_SACRAL_CADENCE, 2,
                         {n: peer_text([t.cadence_err_spm if t else np.nan for t in v], T_SACRAL_CADENCE, 2)
                          for n, v in peers.get("sacral", {}).items()}))
    rows.append(stat_row("sacral (25 trials, force plate)", "foot-strike recall vs force onsets",
                         [t.recall_pct for t in sacral], INFO_PCT, 1,
                         {n: peer_text([t.recall_pct if t else np.nan for t in v], INFO_PCT, 1)
                          for n, v in peers.get("sacral", {}).items()}))
    rows[-1].passed, rows[-1].target = None, None
    rows.append(stat_row("sacral (25 trials, force plate)", "foot-strike bias vs force onsets (ms)",
                         [t.ic_bias_ms for t in sacral], INFO_MS, 1,
                         {n: peer_text([t.ic_bias_ms if t else np.nan for t in v], INFO_MS, 0)
                          for n, v in peers.get("sacral", {}).items()}))
    rows[-1].passed, rows[-1].target = None, None
    rows += sacral_diagnostic_rows(sacral_diag)
    rows.append(stat_row("Hexoskin chest (5 jogs)", "jog cadence error vs device steps", [h.jog_err_spm for h in hexo],
                         T_HEX_CADENCE, 2, {n: peer_text([e for _, e in v], T_HEX_CADENCE, 2)
                                            for n, v in peers.get("hexoskin", {}).items()}))
    rows.append(stat_row("Hexoskin chest (5 jogs)", "jog window labelled run", [h.jog_run_pct for h in hexo], T_HEX_BOUT, 1))
    rows.append(stat_row("Hexoskin chest (5 jogs), 8.85 km/h given", "step length vs speed x device step time (cm)",
                         [h.step_length_err_cm for h in hexo], T_STEP_LENGTH, 2))
    rows.append(Row("Hexoskin chest (5 jogs), 8.85 km/h given", "vertical ratio (%) · flags judged for that speed",
                    None, " · ".join(f"{h.subject}: {h.vertical_ratio_pct:.1f} % [{', '.join(h.flags) or 'none'}]"
                                     for h in hexo), None))
    rows.append(Row("Hexoskin chest (5 jogs)", "running steps inside the jog bout (±3 s)", None,
                    " · ".join(f"{h.subject}: {h.running_in_jog_pct:.0f} %" + "".join(
                        f" (and {a:.0f}–{b:.0f} s, device cadence {spm:.0f} spm)" for a, b, spm in h.runs_outside_jog)
                        for h in hexo), None))
    rows.append(stat_row("Hexoskin chest (4 walks)", "walk-before-jog window labelled walk",
                         [h.walk_walk_pct for h in hexo if h.walk_walk_pct is not None], T_HEX_BOUT, 1))
    rows.append(stat_row("Oxford neck pouch (4 walks)", "total step count error", [o.err_pct for o in oxf], T_OXFORD, 2,
                         {n: peer_text([e for _, e in v], T_OXFORD, 2) for n, v in peers.get("oxford", {}).items()}))
    if acti:
        stairs, running = acti.pop("stairs"), acti.pop("running")
        rows.append(Row("ActiGraph waist", f"{stairs['window'][0]:.0f}–{stairs['window'][1]:.0f} s (walking/stairs, "
                        "no flight) labelled run", T_NOT_RUN, f"{stairs['run_pct']:.1f} %", T_NOT_RUN.met(stairs["run_pct"])))
        err = running["spm"] - running["ref_spm"] if running["spm"] is not None else float("nan")
        rows.append(Row("ActiGraph waist", "running summary cadence vs the jog's README estimate", T_HEX_CADENCE,
                        f"{running['spm']:.1f} vs {running['ref_spm']:.1f} spm", T_HEX_CADENCE.met(err)))
        for bout, a in acti.items():
            rows.append(Row("ActiGraph waist (estimates only)", f"{bout}: cadence vs README estimate / label",
                            None, f"{a['spm']:.1f} vs {a['ref_spm']:.1f} spm · {a['label_pct']:.0f} % labelled {a['kind']}",
                            None))
    return rows


def worst_cases(results, n: int = WORST_LISTED) -> list[str]:
    """For each missed sim target: the ``n`` worst cases with parameters and the call to rebuild them."""
    lines = []
    for key, label, target, digits in SIM_METRICS:
        rs = [r for r in results if key != "rotation_err_deg" or r.case.gyro]
        vals = np.array([getattr(r, key) for r in rs], float)
        bad = target.badness(vals)
        fails = [i for i in np.argsort(-bad, kind="stable") if not target.met(vals[i])][:n]
        for i in fails:
            r = rs[i]
            c = r.case
            lines.append(f"- {label} = {vals[i]:.{digits}f} (target {target.text()}): case {c.index}, "
                         f"{c.rate_hz:g} Hz, {c.mount}, gyro={c.gyro}, cadence {c.cadence_spm} spm, contact "
                         f"{c.contact_ms} ms, transient {c.transient_g} g, drift {c.drift_ppm} ppm"
                         + (f", error: {r.error}" if r.error else "")
                         + f"; truth {_fmt(r.truth)}; found {_fmt(r.found)}\n  `{c.reproduce()}`")
    return lines


def _fmt(d: dict) -> str:
    return "{" + ", ".join(f"{k}: {v:.1f}" if isinstance(v, float) else f"{k}: {v}" for k, v in d.items()) + "}"


def flag_failures(flags) -> list[str]:
    return [f"- `{f.profile}` raised {f.codes or 'no flag'}: `{f.reproduce()}`" for f in flags if not f.ok]


def write_section(path: Path, body: str) -> None:
    """Replace (or append) the ``## Accuracy`` section of ``path``; other sections stay."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = f"{SECTION_HEADING}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(SECTION_HEADING)}\b.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def machine() -> str:
    import os

    return f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()} · {platform.platform()}"


def code_state() -> str:
    """The commit and whether analysis/ or firmware_sim/ had uncommitted edits when measured."""
    import subprocess

    def git(*a):
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "analysis", "firmware_sim")
    return f"commit {head}" + (" with uncommitted edits in analysis/ or firmware_sim/ (working tree measured)" if dirty else "")


def run(args) -> int:
    t0 = time.perf_counter()
    n_cases = args.cases or (QUICK_CASES if args.quick else FULL_CASES)
    cases = sim_sweep.design(n_cases)
    print(f"sweep: {n_cases} sessions of {sum(d for _, d in sim_sweep.SCHEDULE_S):g} s", file=sys.stderr, flush=True)
    results = [sim_sweep.score_case(c) for c in cases]
    CASES_JSON.parent.mkdir(parents=True, exist_ok=True)
    CASES_JSON.write_text(json.dumps([r.row() for r in results], default=float, indent=1), encoding="utf-8")
    flags = [sim_sweep.score_flag_case(f) for f in sim_sweep.flag_cases(QUICK_FLAG_CASES if args.quick else FULL_FLAG_CASES)]
    acts = [activities.score(c) for c in activities.design(QUICK_ACTIVITY_CASES if args.quick else FULL_ACTIVITY_CASES)]
    t_sim = time.perf_counter() - t0

    peers: dict = {}
    skipped = []
    names: list[str] = []
    if not args.no_peers:
        st = peer_eval.status()
        names = [n for n, why in st.items() if why is None]
        skipped = [f"{n}: {why}" for n, why in st.items() if why is not None]
        for s in skipped:
            print(f"peer skipped: {s}", file=sys.stderr)
    have_real = real.available()
    sacral = hexo = oxf = diag = []
    acti = {}
    if have_real:
        from runform import analysis

        print("real recordings", file=sys.stderr, flush=True)
        sacral, hexo, oxf, acti = real.sacral_trials(), real.hexoskin(), real.oxford(), real.actigraph()
        diag = real.sacral_trials(analysis.DEFAULT.with_(min_segment_s=SACRAL_DIAG_MIN_SEGMENT_S))
    t_real = time.perf_counter() - t0 - t_sim
    if names:
        every = QUICK_PEER_EVERY if args.quick else peer_eval.PEER_EVERY
        print(f"peers {names} on every {every}th case and the real traces", file=sys.stderr, flush=True)
        peers["sim"] = peer_eval.sweep_cases(cases[::every], names)
        if have_real and not args.quick:  # 25 trials × 2 peers: the slowest part, full run only
            peers["sacral"] = peer_eval.sacral(names)
            peers["hexoskin"] = peer_eval.hexoskin(names)
            peers["oxford"] = peer_eval.oxford(names)
    t_peers = time.perf_counter() - t0 - t_sim - t_real

    rows = sim_rows(results, peers.get("sim"), flags) + activity_rows(acts)
    if have_real:
        rows += real_rows(sacral, hexo, oxf, acti, peers, diag)
    table_md = render(rows, names, markdown=True)
    print(render(rows, names, markdown=False))
    missed = [r for r in rows if r.passed is False]
    worst = worst_cases(results) + flag_failures(flags) + activity_failures(acts)
    if worst:
        print("\nWorst cases of the missed simulator targets (firmware_sim.simulate arguments; SCHEDULE = "
              f"{sim_sweep.SCHEDULE_S}):")
        print("\n".join(worst))
    if not have_real:
        print("real recordings skipped: ../shared/data/real is not present")
    print(f"\n{len(missed)} of {sum(r.passed is not None for r in rows)} targets missed; "
          f"time: sweep {t_sim:.0f} s, real {t_real:.0f} s, peers {t_peers:.0f} s")
    if args.markdown:
        cmd = "python benchmarks/accuracy.py" + (" --quick" if args.quick else "") + (" --no-peers" if args.no_peers else "") \
              + (f" --cases {args.cases}" if args.cases else "") + f" --markdown {args.markdown}"
        body = "\n".join([
            f"Command: `{cmd}` · date {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC · machine {machine()} · "
            f"run time {time.perf_counter() - t0:.0f} s (sweep {t_sim:.0f} s, real {t_real:.0f} s, peers {t_peers:.0f} s) · "
            f"code: {code_state()}.",
            "",
            f"Simulator: {n_cases} sessions ({sim_sweep.SCHEDULE_S}), Latin hypercube over cadence "
            f"{sim_sweep.CADENCE_SPM} spm, contact {sim_sweep.CONTACT_MS} ms (≤ {sim_sweep.MAX_DUTY:g} of the step), "
            f"transient {sim_sweep.TRANSIENT_G} g, drift {sim_sweep.DRIFT_PPM} ppm; rates {sim_sweep.RATES_HZ} Hz × "
            f"chest/back × gyro on/off crossed; random mount rotation, sensor noise on. Figures are per running bout; "
            f"'worst' is the worst case, p95 the 95th-percentile case. Peers: every "
            f"{QUICK_PEER_EVERY if args.quick else peer_eval.PEER_EVERY}th case, cells show worst; p95; median."
            + (f" Peers skipped: {'; '.join(skipped)}." if skipped else ""),
            "",
            table_md,
            "",
            f"**{len(missed)} of {sum(r.passed is not None for r in rows)} targets missed.**",
            "",
            "### Worst cases of the missed simulator targets",
            "",
            "\n".join(worst) if worst else "None.",
        ])
        write_section(Path(args.markdown), body)
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CASES} sweep cases, fewer flag and peer cases")
    parser.add_argument("--no-peers", action="store_true", help="do not run skdh / mobgap")
    parser.add_argument("--cases", type=int, default=None, help=f"sweep size (default {FULL_CASES}, quick {QUICK_CASES})")
    parser.add_argument("--markdown", default=None, help="write/replace the '## Accuracy' section of this Markdown file")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
