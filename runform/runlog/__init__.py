"""The run log: every analysed session kept in one SQLite file, so progress can be seen across weeks.

``RunLog(path)`` opens (creating or migrating) a log; ``db_path(option)`` chooses the file
(``--db``, ``$RUNFORM_DB``, the per-user data folder); ``entry_from(recording, session)`` is the
typed record a session is stored from; ``add_files(paths, log)`` analyses files in parallel and adds
them. The layout is documented in ``docs/runlog.md``. App layer: imports anything of runform.
"""

from runform.runlog._paths import DB_ENV, db_path, default_db_path
from runform.runlog._records import Entry, content_hash, entry_from, recording_hash
from runform.runlog._schema import APPLICATION_ID, SCHEMA_VERSION
from runform.runlog._season import SeasonSpec, write_season
from runform.runlog._store import Added, RunLog, RunLogError

__all__ = ["APPLICATION_ID", "Added", "DB_ENV", "Entry", "RunLog", "RunLogError", "SCHEMA_VERSION", "SeasonSpec",
           "content_hash", "db_path", "default_db_path", "entry_from", "recording_hash", "write_season"]
