"""``runform compare A B [--html OUT.html]``: two sessions side by side, from files or run-log ids.

An argument that names an existing file or folder is analysed; a whole number is a session id in
the run log (``runform log list``). Text on the terminal; ``--html`` also writes an offline page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from runform.commands.log import add_db_argument



def add_arguments(parser) -> None:
    parser.add_argument("a", metavar="A", help="a recording, or a session id from `runform log list`")
    parser.add_argument("b", metavar="B", help="a recording, or a session id from `runform log list`")
    parser.add_argument("--html", metavar="OUT.html", help="also write the comparison as an offline HTML page")
    add_db_argument(parser)


@dataclass
class Side:
    """One of the two sessions: its label (file name or "session N"), start time and summary."""

    label: str
    start_utc: str
    summary: dict


def _resolve(arg: str, db_option) -> Side:
    from runform.sensors.errors import RunformError

    path = Path(arg)
    if path.exists() or not arg.isdigit():
        from runform.analysis import analyze
        from runform.runlog import entry_from
        from runform.sensors import load_recording

        recording = load_recording(arg)
        entry = entry_from(recording, analyze(recording), str(path))
        return Side(path.name, entry.start_utc, entry.summary)
    from runform.runlog import RunLog, db_path

    with RunLog(db_path(db_option)) as log:
        row = log.session(int(arg))
        if row is None:
            raise RunformError(f"no session {arg} in {log.path} and no file called {arg!r}")
    return Side(f"session {arg}", row["start_utc"], json.loads(row["summary_json"]))


def rows(a: Side, b: Side) -> list[tuple[str, str, float | None, float | None, str]]:
    """(label, unit, A, B, format) of every measure either side has."""
    from runform.commands.analyze import RUNNING_ROWS
    from runform.runlog._records import context_columns, number

    out = []
    ra, rb = a.summary.get("running") or {}, b.summary.get("running") or {}
    minutes = [number(r.get("seconds")) for r in (ra, rb)]
    out.append(("running", "min", *(None if m is None else m / 60.0 for m in minutes), "{:.1f}"))
    for m in RUNNING_ROWS:  # the catalogue's metrics, labels, units and decimals
        fmt = f"{{:{'+' if m.signed else ''}.{m.decimals}f}}"
        out.append((m.label, m.unit, number(ra.get(m.key)), number(rb.get(m.key)), fmt))
    ca, cb = context_columns(a.summary), context_columns(b.summary)
    for key, label, unit, fmt in (("speed_mps", "speed", "m/s", "{:.2f}"), ("vertical_ratio_pct", "vertical ratio", "%", "{:.1f}"),
                                  ("heart_rate_bpm", "heart rate", "bpm", "{:.0f}")):
        out.append((label, unit, ca[key], cb[key], fmt))
    return [r for r in out if r[2] is not None or r[3] is not None]


def _cell(v, fmt) -> str:
    return "-" if v is None else fmt.format(v)


def _diff(x, y, fmt) -> str:
    if x is None or y is None:
        return ""
    shown = fmt.replace("+", "").format(y - x)
    return shown if shown.startswith("-") else "+" + shown


def text(a: Side, b: Side) -> list[str]:
    out = [f"A: {a.label} ({a.start_utc})", f"B: {b.label} ({b.start_utc})", "",
           f"  {'':<36}{'A':>10}{'B':>10}{'B - A':>10}"]
    for label, unit, x, y, fmt in rows(a, b):
        out.append(f"  {label + (f' ({unit})' if unit else ''):<36}{_cell(x, fmt):>10}{_cell(y, fmt):>10}"
                   f"{_diff(x, y, fmt):>10}")
    for side, tag in ((a, "A"), (b, "B")):
        codes = [f.get("code") for f in side.summary.get("flags") or []]
        out.append(f"  flags {tag}: {', '.join(codes) if codes else 'none'}")
    return out


def run(args) -> int:
    from runform.runlog import db_path
    from runform.sensors.atomic import refuse_inputs

    path = db_path(args.db)
    refuse_inputs({"--html": args.html}, [p for p in (args.a, args.b) if Path(p).exists()] + [path])
    a, b = _resolve(args.a, args.db), _resolve(args.b, args.db)
    print("\n".join(text(a, b)))
    if args.html:
        from runform.runlog._page import compare_html
        from runform.sensors.atomic import write_text_atomic

        out = write_text_atomic(args.html, compare_html(a, b, rows(a, b)))
        print(f"wrote {out}")
    return 0
