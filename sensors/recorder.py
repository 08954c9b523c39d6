"""The crash-safe recorder: canonical CSV appended and flushed per block, sidecar rewritten atomically.

Guarantees (issues 4 and 11):
- every block is appended to ``FILE.csv`` with one ``os.write`` at once, so a killed process
  (SIGKILL) leaves a readable CSV missing at most the samples of the block in flight (a notification
  is 0.05–0.4 s of data); the data are fsync'ed and the sidecar ``FILE.meta.json`` is rewritten
  atomically (temp file + rename) every ``SIDECAR_EVERY_S`` seconds and at the end;
- the output is claimed for the recording's life (``OutputFile``): an existing recording is refused
  unless ``overwrite``, and a second recorder on the same path is refused while the first runs
  (an exclusive ``flock`` on the CSV, released when the process ends, however it ends);
- a write that fails (disk full, I/O error) cuts the file back to its last complete row and raises
  ``WriteFailed`` saying how much was kept; the recording stops cleanly and the file stays readable;
- a block that starts at or before the last written sample (a strap's timestamp jitter) loses only
  its overlapping samples, counted in ``overlapping_samples_dropped``; it never aborts a recording;
- ``check_output_path`` fails with one clear line BEFORE recording starts when the directory is
  missing or unwritable or the disk cannot hold the expected recording;
- ``on_block`` callbacks see every block as it is written (live analysis).
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from pathlib import Path
from typing import Callable

import numpy as np

from runform.sensors.canonical_csv import format_rows, header, sidecar_path, write_meta
from runform.sensors.errors import OutputError, RunformError
from runform.sensors.recording import Gap, Metadata, SampleBlock

#: seconds between sidecar rewrites and fsyncs of the CSV
SIDECAR_EVERY_S = 2.0
#: bytes one CSV row takes, upper bound (time + 3 acc + 3 gyro columns with their decimals)
BYTES_PER_ROW = 96
#: free space we insist on beyond the expected recording size
DISK_MARGIN_BYTES = 16 * 1024 * 1024


try:  # POSIX advisory locks; elsewhere the output is not locked (documented in OutputFile)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


class RecorderError(RunformError):
    """The output cannot be written (bad path, no permission, disk full)."""


class WriteFailed(RecorderError):
    """A write failed mid-recording (disk full, I/O error); the file was cut back to whole rows."""


class OutputFile:
    """The recording's CSV, claimed for the recording's life: created, or with ``overwrite``
    truncated, and exclusively locked (``flock``; not on Windows) until ``close()``.

    An overwritten file keeps its old content until the first ``write``; ``abandon()`` removes a file
    that nothing was written to. ``write(text)`` appends whole rows with ``os.write``; if that fails
    part way (``ENOSPC``), the file is cut back to its last complete row before ``WriteFailed``.
    """

    def __init__(self, path, overwrite: bool = False) -> None:
        self.path = Path(path)
        if not overwrite and sidecar_path(self.path).exists() and not self.path.exists():
            raise RecorderError(f"{self.path}: a sidecar {sidecar_path(self.path).name} of an earlier recording "
                                "exists; use --overwrite to replace it")
        created = True
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            created = False
            self._fd = self._open_existing()
        except OSError as exc:
            raise RecorderError(f"{self.path}: cannot create: {exc.strerror or exc}") from None
        if fcntl is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(self._fd)
                raise RecorderError(f"{self.path}: another recording is being written to this file right now; "
                                    "choose another name") from None
        if not created and not overwrite:
            os.close(self._fd)
            raise RecorderError(f"{self.path}: exists (an earlier recording?); use --overwrite to replace it")
        self.created = created
        self.size = 0  # bytes of complete rows written by us
        self._started = False

    def start(self) -> None:
        """The recording begins: an overwritten file is emptied now, not when it was claimed."""
        if not self._started:
            os.ftruncate(self._fd, 0)
            self._started = True

    def abandon(self) -> None:
        """Nothing was recorded (the strap was not found): remove the file if we made it, release it."""
        if self._fd >= 0 and self.created and self.size == 0:
            try:
                self.path.unlink()
            except OSError:
                pass
        self.close()

    def _open_existing(self) -> int:
        try:
            return os.open(self.path, os.O_WRONLY)
        except OSError as exc:
            raise RecorderError(f"{self.path}: cannot open: {exc.strerror or exc}") from None

    def write(self, text: str) -> None:
        self.start()
        data = text.encode("ascii")
        done = 0
        try:
            while done < len(data):
                done += os.write(self._fd, data[done:])
        except OSError as exc:
            self._cut_back()
            raise WriteFailed(_failure(self.path, exc)) from None
        self.size += len(data)

    def _cut_back(self) -> None:
        try:  # shrinking needs no space: the rows before the failed write stay whole
            os.ftruncate(self._fd, self.size)
            os.lseek(self._fd, self.size, os.SEEK_SET)
        except OSError:
            pass

    def sync(self) -> None:
        try:
            os.fsync(self._fd)
        except OSError as exc:
            raise WriteFailed(_failure(self.path, exc)) from None

    def close(self) -> None:
        """Release the file and its lock."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _failure(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"{path}: the disk is full"
    return f"{path}: write failed: {exc.strerror or exc}"


def check_output_path(path, expected_samples: int = 0, has_gyro: bool = True) -> Path:
    """Fail early (``RecorderError``, one line) if ``path`` cannot take a recording of that size.

    Checks: parent directory exists, is a directory, a test file can be created and removed there,
    the path is not a directory, and ``shutil.disk_usage`` shows room for ``expected_samples`` rows
    plus ``DISK_MARGIN_BYTES``.
    """
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise RecorderError(f"{p}: is a directory, give a file name such as run.csv")
    if not parent.exists():
        raise RecorderError(f"{p}: directory {parent} does not exist")
    if not parent.is_dir():
        raise RecorderError(f"{p}: {parent} is not a directory")
    probe = parent / f".{p.name}.write-test-{os.getpid()}"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"runform write test\n")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise RecorderError(f"{p}: cannot write in {parent}: {exc.strerror or exc}") from None
    finally:
        try:
            probe.unlink()
        except OSError:
            pass
    need = expected_samples * BYTES_PER_ROW * (1 if has_gyro else 0.6) + DISK_MARGIN_BYTES
    free = shutil.disk_usage(parent).free
    if free < need:
        raise RecorderError(
            f"{p}: only {free / 1e6:.1f} MB free in {parent}, the recording needs about {need / 1e6:.1f} MB"
        )
    return p


class Recorder:
    """Writes a recording while it happens.

    ``Recorder(output, meta, has_gyro, on_block=None)`` with ``output`` a claimed ``OutputFile`` (or a
    path, claimed here without overwriting); ``write(block)`` per decoded frame (recording seconds, g,
    deg/s), ``add_gap(gap)``, ``update_meta(**fields)``, ``close()`` to finalise. Use as a context
    manager: the files are finalised on any exit, including Ctrl-C.
    """

    def __init__(
        self,
        output,
        meta: Metadata,
        has_gyro: bool,
        on_block: Callable[[SampleBlock], None] | None = None,
        sidecar_every_s: float = SIDECAR_EVERY_S,
    ) -> None:
        self._out = output if isinstance(output, OutputFile) else OutputFile(output)
        self.path = self._out.path
        self.meta = meta
        self.has_gyro = has_gyro
        self.sidecar_every_s = sidecar_every_s
        self._callbacks: list[Callable[[SampleBlock], None]] = [on_block] if on_block else []
        self._before_sidecar: list[Callable[[], None]] = []
        self.samples = 0
        self.last_time: float | None = None
        self.overlap_dropped = 0  # samples of blocks that started at or before the last written one
        self.closed = False
        self._last_sidecar = 0.0
        self._out.write(",".join(header(has_gyro)) + "\n")
        self._write_sidecar()

    def on_block(self, callback: Callable[[SampleBlock], None]) -> None:
        """Register another callback called with every written block."""
        self._callbacks.append(callback)

    def before_sidecar(self, fn: Callable[[], None]) -> None:
        """Call ``fn()`` before each sidecar write (to refresh live metadata such as loss counts)."""
        self._before_sidecar.append(fn)

    def write(self, block: SampleBlock) -> None:
        """Append ``block``; raises ``WriteFailed`` (the file keeps every complete row) if the disk fails."""
        if np.any(np.diff(block.time) <= 0):
            raise ValueError("block times must increase strictly")
        block = self._after_last(block)
        if len(block) == 0:
            return
        t = block.time
        gyro = block.gyro if self.has_gyro else None
        if self.has_gyro and gyro is None:
            raise ValueError("recorder has gyro columns but the block has no gyro")
        self._out.write(format_rows(t, block.acc, gyro))
        self.samples += len(block)
        self.last_time = float(t[-1])
        for cb in self._callbacks:
            cb(block)
        self.maybe_checkpoint()

    def _after_last(self, block: SampleBlock) -> SampleBlock:
        """The part of ``block`` after the last written sample; the overlap (timestamp jitter of a
        strap, up to a few ms) is dropped and counted, never written twice or out of order."""
        if self.last_time is None or len(block) == 0 or block.time[0] > self.last_time:
            return block
        keep = int(np.searchsorted(block.time, self.last_time, side="right"))
        self.overlap_dropped += keep
        return SampleBlock(block.time[keep:], block.acc[keep:], block.gyro[keep:] if block.gyro is not None else None)

    def add_gap(self, gap: Gap) -> None:
        self.meta.gaps.append(gap)
        self.meta.lost_samples += int(gap.missing_samples)

    def update_meta(self, **fields) -> None:
        """Set Metadata fields (``extra`` is merged)."""
        extra = fields.pop("extra", None)
        for k, v in fields.items():
            setattr(self.meta, k, v)
        if extra:
            self.meta.extra.update(extra)

    def maybe_checkpoint(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_sidecar >= self.sidecar_every_s:
            self._out.sync()
            self._write_sidecar()

    def _write_sidecar(self) -> None:
        for fn in self._before_sidecar:
            fn()
        self.meta.extra["samples_written"] = self.samples
        self.meta.extra["overlapping_samples_dropped"] = self.overlap_dropped
        self.meta.extra["complete"] = self.closed
        try:
            write_meta(self.path, self.meta)
        except OutputError as exc:  # sensors.atomic removed its temporary file; the previous sidecar stays
            raise WriteFailed(str(exc)) from None
        self._last_sidecar = time.monotonic()

    def close(self) -> None:
        """Finalise: fsync the CSV, write the final sidecar (marked complete), release the file.

        If the disk has failed, the CSV keeps its complete rows and the last sidecar written stays
        (atomic: whole or the previous one); ``WriteFailed`` says so after the file is released."""
        if self.closed:
            return
        self.closed = True
        failed: list[WriteFailed] = []
        for step in (self._out.sync, self._write_sidecar):
            try:
                step()
            except WriteFailed as exc:
                failed.append(exc)
        self._out.close()
        if failed:
            raise failed[0]

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
