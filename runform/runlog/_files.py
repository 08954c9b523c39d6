"""Writing the log's reports: atomically (a temporary file in the same folder, then ``os.replace``),
so a crash never leaves half a report, and an unwritable place is a one-line error."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from runform.sensors.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is an ordinary file
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    return path
