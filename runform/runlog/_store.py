"""``RunLog``: the session store on one SQLite file (Python's own ``sqlite3``).

- WAL journal, so readers never block the writer; every add is one ``BEGIN IMMEDIATE``
  transaction with a long busy timeout, so two processes adding at once queue instead of failing,
  and a process killed half-way leaves the last committed state (SQLite's own atomic commit).
- ``sessions.content_hash`` is UNIQUE: the same recording is stored once, however many processes
  try (``add`` says which session already holds it).
- A file that is not SQLite, is damaged, belongs to another program or was written by a newer
  runform raises ``RunLogError``: one line, no traceback.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import count, repeat
from pathlib import Path
from typing import Any, Iterator

from runform import __version__
from runform.runlog import _schema
from runform.runlog._records import Entry
from runform.runlog._schema import APPLICATION_ID, BOUT_COLUMNS, SCHEMA_VERSION, STEP_COLUMNS
from runform.sensors.errors import RunformError

#: how long a writer waits for another process's transaction before giving up (s); an add of a long
#: session takes well under a second, so this is only reached when something is stuck
BUSY_TIMEOUT_S = 600.0
#: test hook: when set to "1" the process kills itself (SIGKILL) after writing a session's rows and
#: before committing, as a crash or a pulled plug would (tests/runform/test_runlog_store.py)
CRASH_BEFORE_COMMIT_ENV = "RUNFORM_TEST_CRASH_BEFORE_COMMIT"


class RunLogError(RunformError):
    """The run log cannot be opened or used (one line for the user)."""


@dataclass(frozen=True)
class Added:
    """What ``RunLog.add`` did: ``new`` is False when the recording was already there (``session_id``
    is then the session that holds it)."""

    session_id: int
    new: bool


class RunLog:
    """An open run log. Use as a context manager, or call ``close()``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunLogError(f"{self.path}: cannot create the run log's folder: {exc.strerror or exc}") from None
        if self.path.is_dir():
            raise RunLogError(f"{self.path}: is a folder, not a run log file")
        with self._errors():
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            with self._errors():
                self._open()
        except BaseException:
            self.db.close()
            raise

    # -- opening ---------------------------------------------------------------------------------
    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:  # includes OperationalError, "file is not a database", ...
            raise RunLogError(f"{self.path}: not a usable run log ({exc})") from None

    def _open(self) -> None:
        db = self.db
        app_id, version = self._identity()
        if app_id not in (0, APPLICATION_ID):
            raise RunLogError(f"{self.path}: not a runform run log (a SQLite file of another program)")
        if version > SCHEMA_VERSION:
            raise RunLogError(f"{self.path}: written by a newer runform (log layout {version}; this one "
                              f"reads up to {SCHEMA_VERSION}); update runform")
        if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
        if app_id == APPLICATION_ID and version == SCHEMA_VERSION:
            return
        with self._transaction():  # create or migrate, re-checked under the write lock
            app_id, version = self._identity()
            if app_id == 0:
                tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise RunLogError(f"{self.path}: not a runform run log (a SQLite file of another program)")
                _schema.create(db)
            elif version < SCHEMA_VERSION:
                _schema.migrate(db, version)

    def _identity(self) -> tuple[int, int]:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        return int(app_id), int(version)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "RunLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------
    def add(self, entry: Entry) -> Added:
        """Store ``entry`` with its bouts and steps in one transaction; a recording already in the log
        (same content hash) is not stored again."""
        row = entry.session_columns()
        row["added_utc"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        row["runform_version"] = __version__
        cols = list(row)
        with self._errors(), self._transaction() as db:
            found = db.execute("SELECT id FROM sessions WHERE content_hash = ?", (entry.content_hash,)).fetchone()
            if found:
                return Added(int(found[0]), False)
            sid = db.execute(f"INSERT INTO sessions ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                             [row[c] for c in cols]).lastrowid
            db.executemany(f"INSERT INTO bouts (session_id, bout, {', '.join(BOUT_COLUMNS)}) "
                           f"VALUES ({', '.join('?' * (len(BOUT_COLUMNS) + 2))})",
                           [(sid, i, *b) for i, b in enumerate(entry.bout_rows())])
            db.executemany(f"INSERT INTO steps (session_id, step, {', '.join(STEP_COLUMNS)}) "
                           f"VALUES ({', '.join('?' * (len(STEP_COLUMNS) + 2))})",
                           zip(repeat(sid), count(), *entry.step_columns()))
            if os.environ.get(CRASH_BEFORE_COMMIT_ENV) == "1":
                os.kill(os.getpid(), signal.SIGKILL)
        return Added(int(sid), True)

    def remove(self, session_id: int) -> bool:
        """Delete a session with its bouts and steps; False when there is no such session."""
        with self._errors(), self._transaction() as db:
            return db.execute("DELETE FROM sessions WHERE id = ?", (int(session_id),)).rowcount > 0

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        """Rows of a read-only query, as ``sqlite3.Row`` (by column name)."""
        with self._errors():
            cur = self.db.cursor()
            cur.row_factory = sqlite3.Row
            return cur.execute(sql, params).fetchall()

    def has(self, content_hash: str) -> int | None:
        """The id of the session holding ``content_hash``, or None."""
        rows = self.query("SELECT id FROM sessions WHERE content_hash = ?", (content_hash,))
        return int(rows[0]["id"]) if rows else None

    def sessions(self) -> list[dict[str, Any]]:
        """Every session's row without the summary JSON, oldest first."""
        cols = [r["name"] for r in self.query("PRAGMA table_info(sessions)") if r["name"] != "summary_json"]
        return [dict(r) for r in self.query(f"SELECT {', '.join(cols)} FROM sessions ORDER BY start_utc, id")]

    def session(self, session_id: int) -> dict[str, Any] | None:
        """One session's row (with ``summary_json``), or None."""
        rows = self.query("SELECT * FROM sessions WHERE id = ?", (int(session_id),))
        return dict(rows[0]) if rows else None

    def bouts(self, session_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self.query("SELECT * FROM bouts WHERE session_id = ? ORDER BY bout", (int(session_id),))]

    def step_values(self, session_ids: list[int], columns: tuple[str, ...], bout_kind: str = "run") -> list[tuple]:
        """``(session_id, *columns)`` of every ``bout_kind`` step of the given sessions, in time order."""
        unknown = [c for c in columns if c not in STEP_COLUMNS]
        if unknown:
            raise ValueError(f"not step columns: {unknown}")
        if not session_ids:
            return []
        marks = ", ".join("?" * len(session_ids))
        with self._errors():  # plain tuples: no ``sqlite3.Row`` per step (thousands of steps a session)
            return self.db.execute(f"SELECT session_id, {', '.join(columns)} FROM steps WHERE session_id IN ({marks}) "
                                   f"AND bout_kind = ? ORDER BY session_id, step",
                                   [*map(int, session_ids), bout_kind]).fetchall()

    def integrity(self) -> str:
        """``PRAGMA integrity_check``'s verdict ("ok" when the file is sound)."""
        return str(self.query("PRAGMA integrity_check")[0][0])
