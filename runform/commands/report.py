"""``runform report FILE [-o OUT.html] [--open]``: analyze a recording and write the HTML report."""

from __future__ import annotations

import re
import webbrowser
from pathlib import Path

from runform.commands import _context
from runform.commands._input import add_input_arguments, add_load_notes, input_path, load_input
from runform.runlog._hook import add_log_arguments, remember
from runform.sensors.atomic import refuse_inputs
from runform.sensors.loading import input_files, split_path_options

REPORT_SUFFIX = ".report.html"
BYTES_PER_MB = 1_000_000


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    parser.add_argument("-o", "--output", metavar="OUT.html",
                        help=f"where to write the report (default: next to FILE, as NAME{REPORT_SUFFIX})")
    parser.add_argument("--open", action="store_true", help="open the report in the web browser")
    add_log_arguments(parser)
    _context.add_arguments(parser)


def default_output(file: str) -> Path:
    """``run.csv`` -> ``run.report.html`` beside it; ``trials.csv#trial=3`` ->
    ``trials.trial-3.report.html``; a folder ``session/`` -> ``session.report.html`` beside it."""
    path, options = split_path_options(file)
    path = Path(str(path).rstrip("/\\") or ".")
    stem = path.name if path.is_dir() else path.stem
    tag = re.sub(r"[^\w.-]+", "_", "".join(f".{k}-{v}" for k, v in options.items()))
    return path.with_name(stem + tag + REPORT_SUFFIX)


def run(args) -> int:
    from runform.analysis.report import write_report  # plotly: imported when a report is written, not by every command

    _context.check_arguments(args)  # before the recording is read
    recording = load_input(args)
    out = Path(args.output) if args.output else default_output(input_path(args))
    refuse_inputs({"-o": out}, input_files(input_path(args), recording) + _context.track_files(args))
    analysed, session = _context.analyze(args, recording)
    add_load_notes(session.summary, recording)
    write_report(session, analysed.meta, out)
    flags = session.summary.get("flags") or []
    codes = ", ".join(f["code"] for f in flags) if flags else "none"
    for note in session.summary["notes"]:
        print(f"note: {note}")
    print(f"wrote {out} ({out.stat().st_size / BYTES_PER_MB:.1f} MB); flags: {codes}")
    remember(recording, session, input_path(args), args)
    if args.open:
        webbrowser.open(out.resolve().as_uri())
    return 0
