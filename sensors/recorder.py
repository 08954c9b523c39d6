"""The crash-safe recorder: canonical CSV appended and flushed per block, sidecar rewritten atomically.

Guarantees (issue 4):
- every block is appended to ``FILE.csv`` and flushed to the OS at once, so a killed process
  (SIGKILL) leaves a readable CSV missing at most the samples of the block in flight (a notification
  is 0.05–0.4 s of data); the data are fsync'ed and the sidecar ``FILE.meta.json`` is rewritten
  atomically (temp file + rename) every ``SIDECAR_EVERY_S`` seconds and at the end;
- ``check_output_path`` fails with one clear line BEFORE recording starts when the directory is
  missing or unwritable or the disk cannot hold the expected recording;
- ``on_block`` callbacks see every block as it is written (live analysis).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

import numpy as np

from runform.sensors.canonical_csv import CanonicalCsvWriter, sidecar_path, write_meta
from runform.sensors.errors import RunformError
from runform.sensors.recording import Gap, Metadata, SampleBlock

#: seconds between sidecar rewrites and fsyncs of the CSV
SIDECAR_EVERY_S = 2.0
#: bytes one CSV row takes, upper bound (time + 3 acc + 3 gyro columns with their decimals)
BYTES_PER_ROW = 96
#: free space we insist on beyond the expected recording size
DISK_MARGIN_BYTES = 16 * 1024 * 1024


class RecorderError(RunformError):
    """The output cannot be written (bad path, no permission, disk full)."""


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

    ``Recorder(path, meta, has_gyro, on_block=None)``; ``write(block)`` per decoded frame (recording
    seconds, g, deg/s), ``add_gap(gap)``, ``update_meta(**fields)``, ``close()`` to finalise. Use as a
    context manager: the files are finalised on any exit, including Ctrl-C.
    """

    def __init__(
        self,
        path,
        meta: Metadata,
        has_gyro: bool,
        on_block: Callable[[SampleBlock], None] | None = None,
        sidecar_every_s: float = SIDECAR_EVERY_S,
    ) -> None:
        self.path = Path(path)
        self.meta = meta
        self.has_gyro = has_gyro
        self.sidecar_every_s = sidecar_every_s
        self._callbacks: list[Callable[[SampleBlock], None]] = [on_block] if on_block else []
        self._before_sidecar: list[Callable[[], None]] = []
        try:
            self._writer = CanonicalCsvWriter(self.path, has_gyro)
        except OSError as exc:
            raise RecorderError(f"{self.path}: cannot create: {exc.strerror or exc}") from None
        self.samples = 0
        self.last_time: float | None = None
        self.closed = False
        self._last_sidecar = 0.0
        self._write_sidecar()

    def on_block(self, callback: Callable[[SampleBlock], None]) -> None:
        """Register another callback called with every written block."""
        self._callbacks.append(callback)

    def before_sidecar(self, fn: Callable[[], None]) -> None:
        """Call ``fn()`` before each sidecar write (to refresh live metadata such as loss counts)."""
        self._before_sidecar.append(fn)

    def write(self, block: SampleBlock) -> None:
        if len(block) == 0:
            return
        t = block.time
        if self.last_time is not None and t[0] <= self.last_time:
            raise ValueError(f"block starts at {t[0]} s, not after the last written sample {self.last_time} s")
        if np.any(np.diff(t) <= 0):
            raise ValueError("block times must increase strictly")
        gyro = block.gyro if self.has_gyro else None
        if self.has_gyro and gyro is None:
            raise ValueError("recorder has gyro columns but the block has no gyro")
        try:
            self._writer.write(t, block.acc, gyro)
        except OSError as exc:
            raise RecorderError(f"{self.path}: write failed: {exc.strerror or exc}") from None
        self.samples += len(block)
        self.last_time = float(t[-1])
        for cb in self._callbacks:
            cb(block)
        self.maybe_checkpoint()

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
            try:
                self._writer.sync()
            except OSError as exc:
                raise RecorderError(f"{self.path}: write failed: {exc.strerror or exc}") from None
            self._write_sidecar()

    def _write_sidecar(self) -> None:
        for fn in self._before_sidecar:
            fn()
        self.meta.extra["samples_written"] = self.samples
        self.meta.extra["complete"] = self.closed
        try:
            write_meta(self.path, self.meta)
        except OSError as exc:
            raise RecorderError(f"{sidecar_path(self.path)}: write failed: {exc.strerror or exc}") from None
        self._last_sidecar = time.monotonic()

    def close(self) -> None:
        """Finalise: flush and fsync the CSV, write the final sidecar (marked complete)."""
        if self.closed:
            return
        self.closed = True
        self._writer.close()
        self._write_sidecar()

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
