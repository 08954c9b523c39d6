"""``runform log add|list|show|remove``: the run log, every analysed session in one SQLite file.

The log is ``--db PATH``, else ``$RUNFORM_DB``, else ``runlog.sqlite`` in the per-user data folder
(``runform log list`` prints which). Its tables are documented in ``docs/runlog.md``.
"""

from __future__ import annotations

import argparse
import json
import sys

from runform.commands import _context


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help="the run log file (default: $RUNFORM_DB, else runlog.sqlite in your data folder)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="analyze recordings and add them (a folder: every recording in it)",
                         description="Analyze recordings and add them to the run log, in parallel on all cores. "
                                     "Recordings already in the log are skipped; a bad file is reported and "
                                     "the rest still go in. --speed-kmh and --mount hold for every file given.")
    add.add_argument("files", nargs="+", metavar="FILE", help="recordings or folders of recordings")
    add.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="processes (default: all cores)")
    add.add_argument("--format", metavar="NAME", help="skip detection and read every file as NAME")
    add.add_argument("--columns", metavar="MAPPING", help="column mapping for CSVs runform does not know")
    _context.add_speed_and_mount(add)
    lst = sub.add_parser("list", help="one line per session: date, running minutes, cadence, bounce, flags")
    lst.add_argument("--json", action="store_true", help="the sessions as JSON (one object per session)")
    show = sub.add_parser("show", help="one session in full")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="the stored summary JSON")
    rm = sub.add_parser("remove", help="delete a session with its bouts and steps")
    rm.add_argument("id", type=int, metavar="ID")
    rm.add_argument("-y", "--yes", action="store_true", help="do not ask")
    for p in (add, lst, show, rm):
        add_db_argument(p)


def run(args) -> int:
    from runform.runlog import RunLog, db_path

    path = db_path(args.db)
    with RunLog(path) as log:
        return {"add": _add, "list": _list, "show": _show, "remove": _remove}[args.log_command](args, log)


# -- add -------------------------------------------------------------------------------------------
def _add(args, log) -> int:
    from runform.runlog._ingest import expand
    from runform.sensors.errors import RunformError

    if args.jobs is not None and args.jobs < 1:
        raise RunformError(f"--jobs must be at least 1, not {args.jobs}")
    context = _context.analyze_kwargs(args)
    files = expand(args.files)
    if not files:
        raise RunformError("no recordings found in " + ", ".join(args.files))
    outcomes = add_with_progress(files, log, args.jobs, args.format, args.columns, context=context)
    return 2 if any(o.status == "failed" for o in outcomes) else 0


def add_with_progress(files, log, jobs=None, fmt=None, columns=None, quiet_added=False, context=None):
    """``runlog.add_files`` with a rich progress bar on a terminal and one line per file that was
    skipped or failed (and per file added unless ``quiet_added``); prints the totals. ``context``:
    ``placement`` and ``speed_mps`` for every file (``_context.analyze_kwargs``); a file already in the
    log keeps the judgement it was stored with, and its line says how to judge it again."""
    context = context or {}
    given = " and ".join(option for option, key in (("--mount", "placement"), ("--speed-kmh", "speed_mps"))
                         if context.get(key) is not None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from runform.runlog._ingest import ADDED, FAILED, PRESENT, add_files

    console = Console(stderr=True)
    progress = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=console, transient=True, disable=not console.is_terminal)

    def report(o) -> None:
        if o.status == ADDED and not quiet_added:
            progress.console.print(f"added    session {o.session_id}: {o.path}", highlight=False, soft_wrap=True)
        elif o.status == PRESENT:
            again = (f" (judged as it was then; `runform log remove {o.session_id}` and add it again to judge it "
                     f"with {given})") if given else ""
            progress.console.print(f"skipped  {o.path}: already in the log as session {o.session_id}{again}",
                                   highlight=False, soft_wrap=True, markup=False)
        elif o.status == FAILED:
            progress.console.print(f"failed   {o.message}", highlight=False, soft_wrap=True, markup=False)
        progress.advance(task)

    with progress:
        task = progress.add_task("add", total=len(files))
        outcomes = add_files(files, log, jobs, fmt, columns, on_done=report, **context)
    counts = {s: sum(o.status == s for o in outcomes) for s in (ADDED, PRESENT, FAILED)}
    print(f"{counts[ADDED]} added, {counts[PRESENT]} already in the log, {counts[FAILED]} could not be added; "
          f"log: {log.path}")
    return outcomes


# -- list ------------------------------------------------------------------------------------------
LIST_HEADER = f"{'id':>5}  {'date (UTC)':<16}  {'run min':>7}  {'cadence':>7}  {'bounce':>6}  {'VR %':>5}  flags"


def _num(v, fmt: str) -> str:
    return "-" if v is None else fmt.format(v)


def list_line(row: dict) -> str:
    """One session as a line of ``runform log list``."""
    date = str(row["start_utc"])[:16].replace("T", " ")
    run_min = None if row.get("running_s") is None else row["running_s"] / 60.0
    return (f"{row['id']:>5}  {date:<16}  {_num(run_min, '{:.1f}'):>7}  {_num(row.get('cadence_spm'), '{:.0f}'):>7}  "
            f"{_num(row.get('vertical_oscillation_cm'), '{:.1f}'):>6}  {_num(row.get('vertical_ratio_pct'), '{:.1f}'):>5}  "
            f"{(row.get('flags') or '').replace(',', ', ') or '-'}")


def _list(args, log) -> int:
    rows = log.sessions()
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
        return 0
    print(f"{len(rows)} session{'s' if len(rows) != 1 else ''} in {log.path}")
    if rows:
        print(LIST_HEADER)
        print("\n".join(list_line(r) for r in rows))
    return 0


# -- show / remove ---------------------------------------------------------------------------------
def _session_or_error(log, session_id: int) -> dict:
    from runform.sensors.errors import RunformError

    row = log.session(session_id)
    if row is None:
        raise RunformError(f"no session {session_id} in {log.path} (runform log list shows the ids)")
    return row


def _show(args, log) -> int:
    from runform.commands.analyze import summary_lines

    row = _session_or_error(log, args.id)
    summary = json.loads(row["summary_json"])
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"session {row['id']}: {row['start_utc']} · {row.get('device') or 'unknown device'} "
          f"({row.get('placement') or 'placement unknown'})")
    print(f"file: {row.get('source_file') or '-'} · added {row['added_utc']} · samples {row['content_hash'][:12]}")
    context = [f"{label} {row[key]:{fmt}}" for key, label, fmt in
               (("speed_mps", "speed m/s", ".2f"), ("vertical_ratio_pct", "vertical ratio %", ".1f"),
                ("heart_rate_bpm", "heart rate bpm", ".0f"), ("jarring_steps_pct", "jarring steps %", ".0f"))
               if row.get(key) is not None]
    if context:
        print(" · ".join(context))
    print()
    print("\n".join(summary_lines(summary)))
    return 0


def _remove(args, log) -> int:
    from runform.sensors.errors import RunformError

    row = _session_or_error(log, args.id)
    what = f"session {row['id']} ({row['start_utc']}, {row.get('source_file') or 'no file name'})"
    if not args.yes:
        if not sys.stdin.isatty():
            raise RunformError(f"not removed: {what}; add --yes to remove without asking")
        answer = input(f"remove {what} from {log.path}? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("kept")
            return 0
    log.remove(row["id"])
    print(f"removed {what}")
    return 0
