"""What runform reads is a regular file or a folder, never a FIFO, a device or a socket (a read would
wait forever or never end), and what it reads whole (a sidecar, a track) is small. Shared by the
importers' source handling, the sidecar and the track readers; it imports nothing of the importers,
so a sidecar can be read without loading every file format."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from runform.sensors.errors import InputError


def check_regular_file(p: Path, what: str = "input") -> os.stat_result:
    """``os.stat`` of ``p`` (following links), or ``InputError`` for a FIFO, a device, a socket (a
    read would wait forever or never end) or a file that cannot be opened."""
    try:
        st = p.stat()
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
        return st
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
            or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
    raise InputError(p, f"is {kind}, not a file; save the recording to a file first" if kind.startswith("a ")
                     else f"{kind}; a recording is read from a file")


def check_small_file(p: Path, what: str, max_bytes: int) -> os.stat_result:
    """``check_regular_file``, and ``InputError`` for a folder or a file larger than ``max_bytes`` (a
    sidecar, a track: read whole into memory)."""
    st = check_regular_file(p, what)
    if not p.is_file():
        raise InputError(p, f"the {what} is a folder, not a file")
    if st.st_size > max_bytes:
        raise InputError(p, f"{what} of {st.st_size:,} bytes is larger than the {max_bytes:,} runform reads")
    return st
