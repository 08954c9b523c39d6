"""Outputs written atomically, and never onto an input.

Every writer of a finished file (report, ``--json``, ``--steps``, ``simulate``'s CSV, sidecar and
truth, a recording's sidecar) goes through ``atomic_output``: the bytes go to a temporary file with
a unique name in the same folder, are flushed and fsync'ed, then ``os.replace``d onto the target. A
failure (full disk, Ctrl-C, a bug) removes the temporary file and leaves any previous file at the
target untouched; the reader of the target sees either the old or the whole new file, never a part.

``refuse_inputs`` stops an output that is one of the command's inputs (the same file, also through
a symbolic or hard link), before anything is computed.

Standard library only, so every package may use it (tests/test_layering.py).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from runform.sensors.errors import OutputError

TEMP_SUFFIX = ".part"


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "cannot write: the disk is full (nothing was written; any previous file is unchanged)"
    if exc.errno == errno.ENOENT:
        return "cannot write: the folder does not exist"
    return f"cannot write: {exc.strerror or exc}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """Yield a file object whose contents replace ``path`` only when the block completes.

    ``mode`` is ``"w"`` (text, ``encoding``/``newline`` apply) or ``"wb"``. Any ``OSError`` becomes a
    one-line ``OutputError`` naming ``path``; the temporary file is removed on every failure.

    A target that exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO) is written
    directly: it has no contents to keep, and replacing it would put a file where a device was. A
    symbolic link is written through (its target is replaced, the link kept); an existing file keeps
    its permission bits.
    """
    path = Path(path)
    binary = "b" in mode
    opts = {} if binary else {"encoding": encoding, "newline": newline}
    if path.is_dir():
        raise OutputError(path, "is a folder; give a file name")
    if path.exists() and not path.is_file():
        try:
            with open(path, mode, **opts) as fh:
                yield fh
        except OSError as exc:
            raise OutputError(path, _why(exc)) from None
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    perms = stat.S_IMODE(target.stat().st_mode) if target.is_file() else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(path, _why(exc)) from None
    try:
        with os.fdopen(fd, mode, **opts) as fh:
            os.fchmod(fh.fileno(), perms)  # what open() would have kept or given, not mkstemp's 0600
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(path, _why(exc)) from None
        raise


def write_text_atomic(path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically; returns the path."""
    with atomic_output(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    return Path(path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_inputs(outputs, inputs) -> None:
    """Raise ``OutputError`` when an output is an input, or two outputs are the same file.

    ``outputs``: ``{option label: path}`` (``None`` paths are skipped), e.g. ``{"-o": "r.html"}``;
    ``inputs``: the paths the command reads (the recording, its sidecar, its other files).
    """
    outs = [(label, Path(p)) for label, p in outputs.items() if p is not None]
    ins = [Path(p) for p in inputs]
    for i, (label, out) in enumerate(outs):
        for src in ins:
            if _same_file(out, src):
                what = "the input" if _same_file(src, ins[0]) else f"an input ({src})"
                raise OutputError(out, f"{label} would overwrite {what}; choose another output path")
        for other_label, other in outs[i + 1:]:
            if _same_file(out, other):
                raise OutputError(out, f"given to both {label} and {other_label}; choose two different paths")
