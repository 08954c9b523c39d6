"""``runform report FILE [-o OUT.html] [--open]``: analyze a recording and write the HTML report."""

from __future__ import annotations

import re
import webbrowser
from pathlib import Path

from runform.analysis import analyze
from runform.sensors import format_names, load_recording
from runform.sensors.importers.generic import MAPPING_HELP
from runform.sensors.atomic import refuse_inputs
from runform.sensors.loading import input_files, split_path_options

NAME = "report"
HELP = "analyze a recording and write the interactive HTML form report (one file, works offline)"
REPORT_SUFFIX = ".report.html"
BYTES_PER_MB = 1_000_000


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="recording: a CSV/TXT file, a Sensor Logger folder or .zip; "
                             "multi-trial files take FILE#trial=N")
    parser.add_argument("-o", "--output", metavar="OUT.html",
                        help=f"where to write the report (default: next to FILE, as NAME{REPORT_SUFFIX})")
    parser.add_argument("--open", action="store_true", help="open the report in the web browser")
    parser.add_argument("--format", metavar="NAME",
                        help=f"skip detection and read as NAME ({', '.join(format_names())})")
    parser.add_argument("--columns", metavar="MAPPING", help=MAPPING_HELP)


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

    recording = load_recording(args.file, format=args.format, columns=args.columns)
    out = Path(args.output) if args.output else default_output(args.file)
    refuse_inputs({"-o": out}, input_files(args.file, recording))
    session = analyze(recording)
    write_report(session, recording.meta, out)
    flags = session.summary.get("flags") or []
    codes = ", ".join(f["code"] for f in flags) if flags else "none"
    print(f"wrote {out} ({out.stat().st_size / BYTES_PER_MB:.1f} MB); flags: {codes}")
    if args.open:
        webbrowser.open(out.resolve().as_uri())
    return 0
