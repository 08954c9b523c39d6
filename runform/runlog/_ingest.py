"""Analyse recordings and add them to the run log, in parallel on all cores.

Worker processes each load a file, hash its samples, skip it when the log already holds that hash
(a read of the hashes taken when the pool starts), analyse it and send the ``Entry`` back; the
parent process alone writes, one transaction per session, in the order the analyses finish. A file
that cannot be read or analysed is reported and the rest still go in.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from runform.runlog._records import Entry, entry_from, recording_hash
from runform.runlog._store import RunLog
from runform.sensors.errors import RunformError

#: file endings read from a folder (recordings); helper files runform writes beside them are left out
RECORDING_SUFFIXES = (".csv", ".txt", ".zip")
NOT_RECORDINGS = (".steps.csv", "_GYRO.txt", "_gyro.txt")

ADDED, PRESENT, FAILED = "added", "present", "failed"


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: ``status`` is ADDED, PRESENT (already in the log) or FAILED."""

    path: str
    status: str
    session_id: int | None = None
    message: str = ""


def expand(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Files to add: each file as given; a folder that is one recording (a Sensor Logger or phyphox
    export) as itself; any other folder by the recordings inside it, sorted, sub-folders included."""
    out: list[str] = []
    for p in map(Path, paths):
        if p.is_dir() and not _is_export_folder(p):
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in RECORDING_SUFFIXES and not f.name.startswith(".") \
                        and not f.name.endswith(NOT_RECORDINGS):
                    out.append(str(f))
                elif f.is_dir() and _is_export_folder(f):
                    out.append(str(f))
        else:
            out.append(str(p))
    return list(dict.fromkeys(out))


def _is_export_folder(p: Path) -> bool:
    from runform.sensors.importers import detect, open_source

    try:
        detect(open_source(p, {}))
    except (RunformError, OSError):
        return False
    return True


# -- the worker ------------------------------------------------------------------------------------
_KNOWN: frozenset[str] = frozenset()


def _init_worker(known: frozenset[str]) -> None:
    global _KNOWN
    _KNOWN = known


def analyse_file(path: str, fmt: str | None = None, columns: str | None = None,
                 known: frozenset[str] | None = None, *, placement: str | None = None,
                 speed_mps: float | None = None) -> tuple[str, Entry | None, str]:
    """``(content hash, entry, "")`` for a new recording, ``(hash, None, "")`` for one whose hash is in
    ``known``, ``("", None, message)`` for a file that cannot be read or analysed. ``placement`` and
    ``speed_mps`` go to ``analysis.analyze`` (None: the recording's own, else unknown)."""
    from runform.analysis import analyze
    from runform.sensors import load_recording

    known = _KNOWN if known is None else known
    try:
        recording = load_recording(path, format=fmt, columns=columns)
        digest = recording_hash(recording)
        if digest in known:
            return digest, None, ""
        session = analyze(recording, placement=placement, speed_mps=speed_mps)
        mtime = datetime.fromtimestamp(os.stat(path.split("#")[0]).st_mtime, timezone.utc) \
            if os.path.exists(path.split("#")[0]) else None
        return digest, entry_from(recording, session, os.path.abspath(path), mtime), ""
    except RunformError as exc:
        return "", None, str(exc)
    except (MemoryError, OSError, ValueError) as exc:  # a file the importers and analysis did not foresee
        return "", None, f"{path}: {type(exc).__name__}: {exc}"


def add_files(paths: list[str], log: RunLog, jobs: int | None = None, fmt: str | None = None,
              columns: str | None = None, on_done: Callable[[Outcome], None] | None = None, *,
              placement: str | None = None, speed_mps: float | None = None) -> list[Outcome]:
    """Analyse ``paths`` on ``jobs`` processes (default: all cores; 1: in this process) and add them
    to ``log``, each judged for ``placement`` and ``speed_mps`` (``analyse_file``). ``on_done`` is called
    after each file (for a progress bar). Returns one ``Outcome`` per path, in the order given."""
    known = frozenset(r["content_hash"] for r in log.query("SELECT content_hash FROM sessions"))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    results: dict[str, Outcome] = {}

    def store(path: str, digest: str, entry: Entry | None, message: str) -> None:
        if message:
            outcome = Outcome(path, FAILED, None, message)
        elif entry is None:
            outcome = Outcome(path, PRESENT, log.has(digest))
        else:
            added = log.add(entry)
            outcome = Outcome(path, ADDED if added.new else PRESENT, added.session_id)
        results[path] = outcome
        if on_done:
            on_done(outcome)

    if jobs == 1:
        for path in paths:
            store(path, *analyse_file(path, fmt, columns, known, placement=placement, speed_mps=speed_mps))
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(known,))
        try:
            futures = {pool.submit(analyse_file, p, fmt, columns, placement=placement, speed_mps=speed_mps): p
                       for p in paths}
            for fut in as_completed(futures):
                store(futures[fut], *fut.result())
        finally:  # on Ctrl-C or an error, files not started are dropped (those added stay added)
            pool.shutdown(wait=True, cancel_futures=True)
    return [results[p] for p in paths]
