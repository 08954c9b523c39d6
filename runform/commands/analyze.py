"""``runform analyze FILE``: bouts, running-form metrics and flags; optional JSON summary and steps CSV."""

from __future__ import annotations

import sys

from runform.commands._input import add_input_arguments, add_load_notes, input_path, load_input
from runform.sensors.atomic import atomic_output, refuse_inputs, write_text_atomic
from runform.sensors.errors import RunformError
from runform.sensors.loading import input_files

from runform.analysis.catalogue import metric
from runform.analysis.trend import speed_adjustment_text
from runform.runlog._hook import add_log_arguments, remember
from runform.commands import _context


#: the output path that means standard output
STDOUT = "-"
#: the steps CSV's number format (6 significant digits)
STEPS_FLOAT_FORMAT = "%.6g"
#: the running metrics printed, in order (labels, units and decimals: the catalogue)
RUNNING_ROWS = tuple(metric(key) for key in (
    "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "flight_ms", "duty_factor", "impact_g",
    "impact_slope_g_per_s", "impact_transient_g", "trunk_rotation_deg", "forward_lean_deg", "lateral_sway_cm",
    "gct_balance_left_pct", "step_time_asymmetry_pct", "step_length_m", "vertical_ratio_pct", "heart_rate_bpm",
    "heart_rate_drift_bpm"))
#: the bout table's metric columns: (metric, header, width)
BOUT_ROWS = ((metric("cadence_spm"), "cadence", 9), (metric("vertical_oscillation_cm"), "VO cm", 7),
             (metric("ground_contact_ms"), "GCT ms", 8), (metric("impact_g"), "impact g", 9))


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--json", metavar="OUT.json",
                        help="write the summary (schema runform.summary/1); '-' writes it to stdout")
    parser.add_argument("--steps", metavar="OUT.csv", help="write one row per step; '-' writes them to stdout")
    add_log_arguments(parser)
    _context.add_arguments(parser)


def summary_lines(summary: dict) -> list[str]:
    """The readable summary: bouts, running and walking metrics, flags, disclaimer."""
    rate = summary["sample_rate_hz"]
    out = [f"duration {summary['duration_s']:.1f} s at {'n/a' if rate is None else f'{rate:.0f} Hz'}, "
           f"{'with' if summary['has_gyro'] else 'no'} gyroscope"]
    if _context.context_line(summary):
        out.append(_context.context_line(summary))
    out += ["", "bouts:",
           f"  {'kind':<6}{'start':>9}{'end':>9}{'steps':>7}" + "".join(f"{head:>{w}}" for _, head, w in BOUT_ROWS)]
    for b in summary["bouts"]:
        out.append(f"  {b['kind']:<6}{b['start_s']:>9.1f}{b['end_s']:>9.1f}{b['steps']:>7d}"
                   + "".join(f"{m.number(b[m.key]):>{w}}" for m, _, w in BOUT_ROWS))
    r = summary["running"]
    out += ["", f"running: {r['seconds']:.0f} s, {r['steps']} steps"]
    if r["steps"]:
        for m in RUNNING_ROWS:
            if m.key.startswith("heart_rate") and r.get(m.key) is None:
                continue  # no heart rate recorded: not a row of "n/a"
            out.append(f"  {m.label:<30}{m.format(r.get(m.key))}")
    if r["steps"]:
        out.append(fade_line(r.get("trend")))
    w = summary["walking"]
    cadence = metric("cadence_spm")
    out += [f"walking: {w['seconds']:.0f} s, {w['steps']} steps, cadence {cadence.format(w['cadence_spm'])}"]
    for note in summary.get("notes", []):
        out.append(f"note: {note}")
    flags = summary.get("flags") or []
    out += ["", "flags:" if flags else "flags: none"]
    for f in flags:
        out.append(f"  [{f.get('severity')}] {f.get('code')}: {f.get('message')}")
        if f.get("advice"):
            out.append(f"      advice: {f['advice']}")
    if summary.get("disclaimer"):
        out += ["", summary["disclaimer"]]
    return out


def fade_line(trend) -> str:
    """"did your form fade?": the cadence-adjusted change from the first to the last run interval (or
    running minutes), or why it cannot be told yet (``analysis.trend.session_trend``)."""
    if not isinstance(trend, dict) or not trend.get("cadence_adjusted_change_pct"):
        return ("form over the session: not enough running to compare its start and end (about 8 minutes of "
                "continuous running, or three run intervals)")
    span = (f"first vs last of {trend['intervals']} run intervals" if trend.get("intervals")
            else f"first vs last {trend['window_s'] / 60:.0f} minutes of running")
    parts = [f"{metric(k).label.lower()} {v:+.1f} %" for k, v in trend["cadence_adjusted_change_pct"].items()
             if v is not None]
    return f"form over the session ({span}, cadence-adjusted): {', '.join(parts)}; {speed_adjustment_text(trend)}"


def run(args) -> int:
    if args.json == STDOUT and args.steps == STDOUT:
        raise RunformError("--json - and --steps - cannot both write to stdout: send one of them to a file")
    # with an output on stdout, stdout carries only that output; the readable text goes to stderr
    text = sys.stderr if STDOUT in (args.json, args.steps) else sys.stdout
    _context.check_arguments(args)  # before the recording is read
    rec = load_input(args)
    files = {"--json": args.json, "--steps": args.steps}
    refuse_inputs({k: v for k, v in files.items() if v != STDOUT},
                  input_files(input_path(args), rec) + _context.track_files(args))
    _, session = _context.analyze(args, rec)
    add_load_notes(session.summary, rec)
    print("\n".join(summary_lines(session.summary)), file=text)
    if args.json:
        write_summary_json(session, args.json)
        if args.json != STDOUT:
            print(f"wrote {args.json}", file=text)
    if args.steps:
        write_steps_csv(session, args.steps)
        if args.steps != STDOUT:
            print(f"wrote {args.steps}", file=text)
    remember(rec, session, input_path(args), args, out=text)
    return 0


def write_summary_json(session, path) -> None:
    """The summary (schema runform.summary/1) as JSON to ``path`` (``-``: stdout), a file written
    atomically; an unwritable path or a full disk is a one-line ``OutputError`` and leaves any previous
    file unchanged."""
    if path == STDOUT:
        sys.stdout.write(session.to_json() + "\n")
        return
    write_text_atomic(path, session.to_json() + "\n")


def write_steps_csv(session, path) -> None:
    """One row per step (``analysis.STEP_COLUMNS``) to ``path`` (``-``: stdout), written like
    ``write_summary_json``."""
    if path == STDOUT:
        session.steps_frame().to_csv(sys.stdout, index=False, float_format=STEPS_FLOAT_FORMAT, lineterminator="\n")
        return
    with atomic_output(path, "w", encoding="utf-8", newline="") as fh:
        session.steps_frame().to_csv(fh, index=False, float_format=STEPS_FLOAT_FORMAT, lineterminator="\n")
