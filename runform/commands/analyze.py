"""``runform analyze FILE``: bouts, running-form metrics and flags; optional JSON summary and steps CSV."""

from __future__ import annotations

from pathlib import Path

from runform.sensors import format_names, load_recording
from runform.sensors.errors import InputError
from runform.sensors.importers.generic import MAPPING_HELP

from runform import analysis

NAME = "analyze"
HELP = "analyze a recording: walk/run bouts, cadence, bounce, ground contact, impact, rotation, balance, flags"

#: (summary key, label, unit, format) of the running metrics printed
RUNNING_ROWS = (
    ("cadence_spm", "cadence", "spm", "{:.1f}"),
    ("vertical_oscillation_cm", "vertical oscillation (torso)", "cm", "{:.1f}"),
    ("ground_contact_ms", "ground contact time", "ms", "{:.0f}"),
    ("flight_ms", "flight time", "ms", "{:.0f}"),
    ("duty_factor", "duty factor", "", "{:.2f}"),
    ("impact_g", "impact (peak vertical)", "g", "{:.2f}"),
    ("impact_slope_g_per_s", "impact rise slope", "g/s", "{:.0f}"),
    ("impact_transient_g", "heel-strike transient", "g", "{:.2f}"),
    ("trunk_rotation_deg", "trunk rotation per stride", "deg", "{:.1f}"),
    ("forward_lean_deg", "forward lean", "deg", "{:.1f}"),
    ("lateral_sway_cm", "lateral sway per stride", "cm", "{:.1f}"),
    ("gct_balance_left_pct", "contact-time balance", "% left", "{:.1f}"),
    ("step_time_asymmetry_pct", "step-time asymmetry (L-R)", "%", "{:+.1f}"),
)


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="recording (any supported format; see `runform info`)")
    parser.add_argument("--format", metavar="NAME", help=f"skip detection and read as NAME ({', '.join(format_names())})")
    parser.add_argument("--columns", metavar="MAPPING", help=MAPPING_HELP)
    parser.add_argument("--json", metavar="OUT.json", help="write the summary (schema runform.summary/1)")
    parser.add_argument("--steps", metavar="OUT.csv", help="write one row per step")


def _fmt(v, fmt="{:.1f}", unit="") -> str:
    if v is None:
        return "n/a"
    return fmt.format(v) + (f" {unit}" if unit else "")


def summary_lines(summary: dict) -> list[str]:
    """The readable summary: bouts, running and walking metrics, flags, disclaimer."""
    out = [f"duration {summary['duration_s']:.1f} s at {_fmt(summary['sample_rate_hz'], '{:.0f}', 'Hz')}, "
           f"{'with' if summary['has_gyro'] else 'no'} gyroscope", "", "bouts:",
           f"  {'kind':<6}{'start':>9}{'end':>9}{'steps':>7}{'cadence':>9}{'VO cm':>7}{'GCT ms':>8}{'impact g':>9}"]
    for b in summary["bouts"]:
        out.append(f"  {b['kind']:<6}{b['start_s']:>9.1f}{b['end_s']:>9.1f}{b['steps']:>7d}"
                   f"{_fmt(b['cadence_spm'], '{:.0f}'):>9}{_fmt(b['vertical_oscillation_cm']):>7}"
                   f"{_fmt(b['ground_contact_ms'], '{:.0f}'):>8}{_fmt(b['impact_g'], '{:.2f}'):>9}")
    r = summary["running"]
    out += ["", f"running: {r['seconds']:.0f} s, {r['steps']} steps"]
    if r["steps"]:
        for key, label, unit, fmt in RUNNING_ROWS:
            out.append(f"  {label:<30}{_fmt(r.get(key), fmt, unit)}")
    w = summary["walking"]
    out += [f"walking: {w['seconds']:.0f} s, {w['steps']} steps, cadence {_fmt(w['cadence_spm'], '{:.0f}', 'spm')}"]
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


def run(args) -> int:
    rec = load_recording(args.file, format=args.format, columns=args.columns)
    session = analysis.analyze(rec)
    print("\n".join(summary_lines(session.summary)))
    if args.json:
        write_summary_json(session, args.json)
        print(f"wrote {args.json}")
    if args.steps:
        write_steps_csv(session, args.steps)
        print(f"wrote {args.steps}")
    return 0


def write_summary_json(session, path) -> None:
    """The summary (schema runform.summary/1) as JSON; an unwritable path is a one-line error."""
    _write(path, lambda p: Path(p).write_text(session.to_json() + "\n", encoding="utf-8"))


def write_steps_csv(session, path) -> None:
    """One row per step (``analysis.STEP_COLUMNS``); an unwritable path is a one-line error."""
    _write(path, lambda p: session.steps_frame().to_csv(p, index=False, float_format="%.6g"))


def _write(path, writer) -> None:
    try:
        writer(path)
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
