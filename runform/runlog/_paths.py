"""Where the run log lives: ``--db PATH``, else ``$RUNFORM_DB``, else the per-user data folder by the
platform's convention (``platformdirs``: ``~/.local/share/runform`` on Linux, ``~/Library/Application
Support/runform`` on macOS, ``%LOCALAPPDATA%\\runform`` on Windows)."""

from __future__ import annotations

import os
from pathlib import Path

#: environment variable naming the run log file (tests and CI set it: they never touch the real one)
DB_ENV = "RUNFORM_DB"
DB_FILENAME = "runlog.sqlite"
APP_NAME = "runform"


def default_db_path() -> Path:
    """The run log in the user's data folder (``platformdirs.user_data_path``)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / DB_FILENAME


def db_path(option: str | os.PathLike | None = None) -> Path:
    """The log to use: ``option`` (``--db``), ``$RUNFORM_DB``, or ``default_db_path()``."""
    if option:
        return Path(option).expanduser()
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return default_db_path()
