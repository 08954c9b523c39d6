"""Errors raised when input cannot be read. The CLI turns them into one line and exit code 2."""

from __future__ import annotations


class RunformError(Exception):
    """Base class for every error the CLI reports as one line (no traceback)."""


class InputError(RunformError):
    """A file (or stream) could not be read as a recording.

    ``str(err)`` is the one-line message: ``PATH: problem (row N)``.
    ``row`` is the 1-based line number in the file (header is line 1), where it applies.
    """

    def __init__(self, path, problem: str, row: int | None = None):
        self.path = str(path) if path is not None else "<input>"
        self.problem = problem
        self.row = row
        where = f" (row {row})" if row is not None else ""
        super().__init__(f"{self.path}: {problem}{where}")


class OutputError(RunformError):
    """An output could not be written, or would overwrite an input. ``str(err)`` is one line:
    ``PATH: problem``."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
