"""``runform progress [-o progress.html] [--open]``: am I running lighter than in week 1?

Reads the run log, prints the verdict (bounce compared at matched cadence, with its 95 % interval),
the advice and one line per week, and writes the offline HTML progress report.
"""

from __future__ import annotations

import webbrowser
from pathlib import Path

from runform.commands.log import add_db_argument

DEFAULT_OUTPUT = "progress.html"


def add_arguments(parser) -> None:
    parser.add_argument("-o", "--output", metavar="OUT.html", default=DEFAULT_OUTPUT,
                        help=f"where to write the report (default: ./{DEFAULT_OUTPUT})")
    parser.add_argument("--open", action="store_true", help="open the report in the web browser")
    add_db_argument(parser)


def week_lines(progress) -> list[str]:
    """One line per week: runs, running minutes, cadence, bounce, jarring share."""
    out = [f"{'week':>4}  {'runs':>4}  {'run min':>7}  {'cadence':>7}  {'bounce':>6}  {'jarring %':>9}"]
    for w in progress.weeks:
        v = w.values

        def f(key, fmt):
            return "-" if v.get(key) is None else fmt.format(v[key])

        out.append(f"{w.week:>4}  {w.sessions:>4}  {f('running_min', '{:.0f}'):>7}  {f('cadence_spm', '{:.0f}'):>7}  "
                   f"{f('vertical_oscillation_cm', '{:.1f}'):>6}  {f('jarring_steps_pct', '{:.0f}'):>9}")
    return out


def write_progress(log, output) -> tuple[Path, object]:
    """Compute the progress of ``log`` and write its HTML to ``output``; returns (path, progress)."""
    from runform.sensors.atomic import write_text_atomic
    from runform.runlog._page import progress_html
    from runform.runlog._progress import load_progress

    progress = load_progress(log)
    return write_text_atomic(output, progress_html(progress)), progress


def run(args) -> int:
    from runform.runlog import RunLog, db_path
    from runform.sensors.atomic import refuse_inputs

    path = db_path(args.db)
    refuse_inputs({"-o": args.output}, [path, f"{path}-wal", f"{path}-shm"])
    with RunLog(path) as log:
        out, progress = write_progress(log, args.output)
    print("\n".join(progress.verdict))
    for line in progress.advice:
        print(f"next: {line}")
    if progress.weeks:
        print()
        print("\n".join(week_lines(progress)))
    print(f"\nwrote {out} (log: {progress.db})")
    if args.open:
        webbrowser.open(Path(out).resolve().as_uri())
    return 0
