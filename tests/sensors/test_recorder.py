"""Recorder: append + flush per block, atomic sidecar, early errors for bad paths and full disks,
on_block hook; and in a real subprocess: SIGKILL leaves a readable CSV, SIGINT finalises cleanly."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import numpy as np
import pytest

from runform.sensors.atomic import TEMP_SUFFIX, atomic_output
from runform.sensors.canonical_csv import read_canonical, sidecar_path
from runform.sensors.recorder import OutputFile, Recorder, RecorderError, WriteFailed, check_output_path
from runform.sensors.recording import Gap, Metadata, SampleBlock

ROOT = Path(__file__).resolve().parents[2]


def block(t0, n=50, rate=100.0, gyro=True):
    t = t0 + np.arange(n) / rate
    acc = np.column_stack([np.sin(t), np.cos(t), np.ones(n)])
    return SampleBlock(t, acc, acc * 100 if gyro else None)


def test_blocks_are_on_disk_after_each_write_and_the_sidecar_is_final_after_close(tmp_path):
    out = tmp_path / "run.csv"
    seen = []
    rec = Recorder(out, Metadata(device="test strap", nominal_rate_hz=100.0), has_gyro=True, on_block=seen.append)
    rec.write(block(0.0))
    assert len(out.read_text().splitlines()) == 51  # header + 50 rows, before close
    assert json.loads(sidecar_path(out).read_text())["extra"]["complete"] is False
    rec.write(block(0.5))
    rec.add_gap(Gap(0.99, 1.5, 50, "sequence"))
    rec.write(block(1.5))
    rec.close()
    assert len(seen) == 3 and rec.samples == 150
    back = read_canonical(out)
    assert len(back) == 150 and back.meta.lost_samples == 50
    assert back.meta.gaps == [Gap(0.99, 1.5, 50, "sequence")]
    assert back.meta.extra["complete"] is True and back.meta.extra["samples_written"] == 150
    np.testing.assert_allclose(back.acc[:50], block(0.0).acc, atol=5e-7)
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))  # the sidecar was replaced atomically


def test_an_overlapping_block_loses_only_its_overlap_and_counts_it(tmp_path):
    """A strap's timestamps jitter: a block starting 1 ms before the last written sample is resolved
    (its overlapping samples dropped and counted), never an aborted recording."""
    out = tmp_path / "run.csv"
    with Recorder(out, Metadata(), has_gyro=False) as rec:
        rec.write(block(0.0, gyro=False))  # 0.00 .. 0.49 s
        rec.write(block(0.489, n=10, gyro=False))  # 0.489 is before 0.49: one sample overlaps
        assert rec.overlap_dropped == 1 and rec.samples == 59
    back = read_canonical(out)
    assert len(back) == 59 and np.all(np.diff(back.time) > 0)
    assert back.meta.extra["overlapping_samples_dropped"] == 1
    with Recorder(tmp_path / "other.csv", Metadata(), has_gyro=False) as rec:
        with pytest.raises(ValueError, match="increase strictly"):  # within a block it is a bug upstream
            rec.write(SampleBlock(np.array([0.0, 0.0]), np.ones((2, 3)), None))


def test_an_existing_recording_is_refused_unless_overwrite(tmp_path):
    out = tmp_path / "run.csv"
    with Recorder(out, Metadata(), has_gyro=False) as rec:
        rec.write(block(0.0, gyro=False))
    before = out.read_bytes(), sidecar_path(out).read_bytes()
    with pytest.raises(RecorderError, match="exists.*--overwrite"):
        OutputFile(out)
    assert (out.read_bytes(), sidecar_path(out).read_bytes()) == before  # untouched
    out.unlink()
    with pytest.raises(RecorderError, match="sidecar.*--overwrite"):  # the orphan sidecar of one
        OutputFile(out)
    with Recorder(OutputFile(out, overwrite=True), Metadata(), has_gyro=False) as rec:
        rec.write(block(5.0, n=3, gyro=False))
    assert len(read_canonical(out)) == 3


def test_a_second_recorder_on_the_same_path_is_refused_while_the_first_runs(tmp_path):
    """Even with --overwrite, in another process: the first recorder's file stays one valid recording."""
    out = tmp_path / "run.csv"
    code = ("import sys; from runform.sensors.recorder import OutputFile, RecorderError\n"
            "try:\n    OutputFile(sys.argv[1], overwrite=True)\nexcept RecorderError as e:\n"
            "    print(e); sys.exit(2)\n")
    with Recorder(out, Metadata(), has_gyro=False) as rec:
        rec.write(block(0.0, gyro=False))
        other = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, timeout=60)
        assert other.returncode == 2 and "another recording is being written" in other.stdout
        rec.write(block(0.5, gyro=False))
    assert len(read_canonical(out)) == 100
    # released when the recorder closes
    assert subprocess.run([sys.executable, "-c", code, str(out)], timeout=60).returncode == 0


class _FillingDisk:
    """``os.write`` on a disk with ``room`` bytes left: the write that does not fit writes what fits,
    then fails with ENOSPC (a row cut in the middle, as on a real full disk)."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.real_write = os.write

    def __call__(self, fd, data):
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = self.real_write(fd, bytes(data[: self.room]))
        self.room -= n
        return n


def _full_sidecar(csv_path, meta):
    """``write_meta`` on a full disk: the sidecar's temporary file (``sensors.atomic``) cannot be written."""
    with atomic_output(sidecar_path(csv_path)):
        raise OSError(errno.ENOSPC, "No space left on device")


def _released(path) -> bool:
    """No process holds ``path``'s recording lock (``OutputFile``'s ``flock``; True where there is none)."""
    fcntl = pytest.importorskip("fcntl")
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # flock locks belong to open files: ours is another
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_full_disk_keeps_every_complete_row_and_the_file_stays_readable(tmp_path, monkeypatch):
    out = tmp_path / "run.csv"
    rec = Recorder(out, Metadata(nominal_rate_hz=100.0), has_gyro=True)
    rec.write(block(0.0))
    rec.maybe_checkpoint(force=True)
    disk = _FillingDisk(room=2500)  # the next block fits about half way
    monkeypatch.setattr("runform.sensors.recorder.os.write", disk)
    monkeypatch.setattr("runform.sensors.recorder.write_meta", _full_sidecar)
    with pytest.raises(WriteFailed, match="the disk is full"):
        rec.write(block(0.5))
    with pytest.raises(WriteFailed, match="the disk is full"):
        rec.close()  # the final sidecar does not fit either: the last one stays
    monkeypatch.undo()
    assert _released(out)  # close() let go of the file although the sidecar failed
    text = out.read_text()
    assert text.endswith("\n") and rec.samples == 50
    back = read_canonical(out)  # whole rows, readable, the earlier sidecar intact
    assert len(back) == 50 and back.meta.extra["samples_written"] == 50
    np.testing.assert_allclose(back.acc, block(0.0).acc, atol=5e-7)
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))  # the failed sidecar's temporary file is gone


def test_missing_directory_is_a_clear_error_before_recording(tmp_path):
    with pytest.raises(RecorderError, match="does not exist"):
        check_output_path(tmp_path / "nope" / "run.csv")


def test_directory_as_output_is_a_clear_error(tmp_path):
    with pytest.raises(RecorderError, match="is a directory"):
        check_output_path(tmp_path)


def test_parent_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(RecorderError, match="not a directory"):
        check_output_path(tmp_path / "afile" / "run.csv")


def test_full_disk_is_a_clear_error_before_recording(tmp_path, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("runform.sensors.recorder.shutil.disk_usage", lambda p: usage(10**9, 10**9 - 10**6, 10**6))
    with pytest.raises(RecorderError, match=r"only 1\.0 MB free"):
        check_output_path(tmp_path / "run.csv", expected_samples=3600 * 416)


#: a guard against a hang only (a recording that never starts), never a measure of speed
START_GUARD_S = 300


def _rows_on_disk(out: Path) -> int:
    return out.read_bytes().count(b"\n") - 1 if out.exists() else 0


def _start_recording(tmp_path, rows: int = 1):
    """``runform record`` of the virtual strap paced at real time, in a subprocess, once ``rows``
    samples are on disk."""
    out = tmp_path / "live.csv"
    cmd = [sys.executable, "-m", "runform.cli", "record", "--simulate", "bouncy", "--kind", "rfs",
           "--duration", "600", "--speed", "1", "-o", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + START_GUARD_S
    while time.monotonic() < deadline and proc.poll() is None and _rows_on_disk(out) < rows:
        time.sleep(0.05)
    assert _rows_on_disk(out) >= rows, proc.communicate()[1] if proc.poll() is not None else "no data"
    return proc, out


def test_sigkill_keeps_every_row_on_disk_whole_and_readable(tmp_path):
    """SIGKILL runs no clean-up: every block written before stays, as whole rows (each block is one
    write as it arrives, so what is lost is at most the block in flight)."""
    proc, out = _start_recording(tmp_path, rows=3 * 208)
    rows_seen = _rows_on_disk(out)
    proc.kill()
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    rec = read_canonical(out)  # loads: whole rows only, increasing times, sidecar readable
    assert rec.meta.extra["complete"] is False
    assert len(rec) >= rows_seen and out.read_bytes().endswith(b"\n")
    assert len(rec) == pytest.approx(rec.time[-1] * 208, abs=2)  # no sample lost in between


def test_ctrl_c_stops_cleanly_finalises_and_exits_130(tmp_path):
    proc, out = _start_recording(tmp_path, rows=208)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=START_GUARD_S)
    assert proc.returncode == 130, stderr  # the shell's convention for Ctrl-C, the file finalised
    assert "stopped by user" in stdout
    rec = read_canonical(out)
    assert rec.meta.extra["complete"] is True
    assert rec.meta.extra["samples_written"] == len(rec) > 0
    assert os.path.getsize(out) > 0
