"""``analyze``, ``report`` and ``record`` keep their session in the run log, as a runner expects, and
say where it went and how to leave it out (``--no-log``). A simulated session is not added on its
own (it is not the runner's run): ``runform log add FILE`` adds it on purpose."""

from __future__ import annotations

import sys

from runform.runlog._paths import db_path
from runform.runlog._records import entry_from
from runform.runlog._store import RunLog
from runform.sensors.errors import RunformError


def add_log_arguments(parser) -> None:
    parser.add_argument("--no-log", action="store_true", help="do not add this session to the run log")
    parser.add_argument("--db", metavar="PATH",
                        help="the run log file (default: $RUNFORM_DB, else runlog.sqlite in your data folder)")


def is_simulated(recording) -> bool:
    return bool((recording.meta.extra or {}).get("simulated"))


def remember(recording, session, source_file: str, args, simulated: bool | None = None, out=None) -> int | None:
    """Add ``session`` to the run log unless ``args.no_log`` or simulated; prints one line saying what
    happened to ``out`` (default stdout; stderr when stdout carries an output). A log that cannot be
    used is reported on stderr and does not fail the command (its main output is already written).
    Returns the session id, or None."""
    out = out or sys.stdout
    if getattr(args, "no_log", False):
        return None
    if is_simulated(recording) if simulated is None else simulated:
        print(f"run log: a simulated session is not added on its own; `runform log add {source_file}` adds it",
              file=out)
        return None
    path = db_path(getattr(args, "db", None))
    try:
        with RunLog(path) as log:
            added = log.add(entry_from(recording, session, source_file))
    except RunformError as exc:
        print(f"run log: not added: {exc}", file=sys.stderr)
        return None
    verb = "added to your run log as" if added.new else "already in your run log as"
    print(f"run log: {verb} session {added.session_id} ({path}); --no-log leaves it out", file=out)
    return added.session_id
