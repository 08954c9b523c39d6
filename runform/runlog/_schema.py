"""The run log's SQLite schema, its version and the migrations between versions.

The file is marked as a runform run log by ``PRAGMA application_id`` (``APPLICATION_ID``) and
carries its layout version in ``PRAGMA user_version`` (``SCHEMA_VERSION``). ``MIGRATIONS[n]``
takes a log from version ``n`` to ``n + 1`` inside the caller's transaction. The tables are
documented for people writing their own SQL in ``docs/runlog.md``; keep the two in step.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Callable

#: "RFLG" as a big-endian integer: ``PRAGMA application_id`` of every runform run log
APPLICATION_ID = 0x52464C47
#: the layout this runform writes; older logs are migrated on open, newer ones are refused
SCHEMA_VERSION = 2

#: per-step columns stored in ``steps`` (``analysis.STEP_COLUMNS`` the log keeps; one a step)
STEP_COLUMNS = (
    "time_s", "side", "bout", "bout_kind", "step_time_s", "cadence_spm", "vertical_oscillation_cm",
    "ground_contact_ms", "flight_ms", "duty_factor", "impact_g", "impact_slope_g_per_s", "impact_transient_g",
    "bounce_g", "trunk_rotation_deg", "forward_lean_deg", "lateral_sway_cm",
)
STEP_TEXT_COLUMNS = ("side", "bout_kind")
#: per-bout columns stored in ``bouts`` (``analysis.Bout`` fields)
BOUT_COLUMNS = (
    "kind", "start_s", "end_s", "steps", "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms",
    "flight_ms", "impact_g", "impact_transient_g", "trunk_rotation_deg", "gct_balance_left_pct",
)
#: session columns filled from the summary's running figures (version 1 on)
SESSION_METRICS = ("cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g", "trunk_rotation_deg")
#: session columns added in version 2: speed and heart-rate context, where the recording knows them
CONTEXT_COLUMNS = ("speed_mps", "step_length_m", "vertical_ratio_pct", "heart_rate_bpm")


def _child_table(name: str, key: str, columns: tuple[str, ...], types: dict[str, str]) -> str:
    """A table of rows belonging to a session (deleted with it), keyed by (session_id, ``key``)."""
    cols = ",\n  ".join(f"{c} {types.get(c, 'REAL')}" for c in columns)
    return f"""CREATE TABLE {name} (
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  {key} INTEGER NOT NULL,
  {cols},
  PRIMARY KEY (session_id, {key})
) WITHOUT ROWID"""


#: version 1 exactly as it shipped: the starting point of every migration (and of the migration test)
SCHEMA_V1 = (
    """CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL UNIQUE,
  added_utc TEXT NOT NULL,
  start_utc TEXT NOT NULL,
  source_file TEXT,
  source_format TEXT,
  device TEXT,
  placement TEXT,
  duration_s REAL NOT NULL,
  sample_rate_hz REAL,
  has_gyro INTEGER NOT NULL,
  running_s REAL,
  walking_s REAL,
  running_steps INTEGER,
  cadence_spm REAL,
  vertical_oscillation_cm REAL,
  ground_contact_ms REAL,
  impact_g REAL,
  trunk_rotation_deg REAL,
  jarring_steps_pct REAL,
  flags TEXT NOT NULL DEFAULT '',
  summary_json TEXT NOT NULL,
  runform_version TEXT
)""",
    "CREATE INDEX sessions_by_start ON sessions(start_utc)",
    _child_table("bouts", "bout", BOUT_COLUMNS, {"kind": "TEXT NOT NULL", "steps": "INTEGER"}),
    _child_table("steps", "step", STEP_COLUMNS, {"bout": "INTEGER", **{c: "TEXT" for c in STEP_TEXT_COLUMNS}}),
)


def _to_v2(db: sqlite3.Connection) -> None:
    """Version 2: speed, step length, vertical ratio and heart rate per session, filled for the sessions
    already in the log from the summary JSON they were stored with."""
    from runform.runlog._records import context_columns

    for col in CONTEXT_COLUMNS:
        db.execute(f"ALTER TABLE sessions ADD COLUMN {col} REAL")
    rows = db.execute("SELECT id, summary_json FROM sessions").fetchall()
    for sid, text in rows:
        ctx = context_columns(json.loads(text))
        db.execute(f"UPDATE sessions SET {', '.join(f'{c} = ?' for c in CONTEXT_COLUMNS)} WHERE id = ?",
                   [ctx[c] for c in CONTEXT_COLUMNS] + [sid])


#: ``MIGRATIONS[n](db)`` turns version ``n`` into version ``n + 1``
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _to_v2}


def create(db: sqlite3.Connection) -> None:
    """Lay out an empty log at version 1 and migrate it to ``SCHEMA_VERSION`` (one path for new and
    old logs, so a migration is exercised by every new log)."""
    for statement in SCHEMA_V1:
        db.execute(statement)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    migrate(db, 1)


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Run the migrations from ``version`` to ``SCHEMA_VERSION`` and record the new version."""
    for v in range(version, SCHEMA_VERSION):
        MIGRATIONS[v](db)
        db.execute(f"PRAGMA user_version = {v + 1}")
