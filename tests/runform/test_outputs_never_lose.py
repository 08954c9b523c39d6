"""Nothing lost (issue 11, items 1 and 4): an output never overwrites an input, and every output
is written atomically (a failure leaves the previous file, and no temporary file, behind)."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

from runform.cli import main
from runform.firmware_sim import simulate
from runform.sensors.atomic import atomic_output, refuse_inputs, write_text_atomic
from runform.sensors.canonical_csv import sidecar_path, write_canonical
from runform.sensors.errors import OutputError


@pytest.fixture(scope="module")
def run_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("rec") / "a.csv"
    return write_canonical(simulate("bouncy", duration_s=40, rate_hz=52, seed=3).recording, path)


def _one_line_exit_2(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err and err.startswith("runform: error: ")
    return err


def _fingerprint(*paths):
    return [(p.read_bytes() if p.exists() else None) for p in paths]


@pytest.mark.parametrize("argv_tail", [
    ["report", "{csv}", "-o", "{csv}"],
    ["analyze", "{csv}", "--steps", "{csv}"],
    ["analyze", "{csv}", "--json", "{csv}"],
    ["analyze", "{csv}", "--json", "{meta}"],
    ["report", "{csv}", "-o", "{meta}"],
    ["analyze", "{csv}", "--steps", "{link}"],
    ["analyze", "{csv}", "--json", "{hard}"],
    ["report", "{link}", "-o", "{csv}"],
])
def test_an_output_onto_an_input_is_refused_and_nothing_changes(tmp_path, capsys, run_csv, argv_tail):
    csv = tmp_path / "a.csv"
    csv.write_bytes(run_csv.read_bytes())
    meta = sidecar_path(csv)
    meta.write_bytes(sidecar_path(run_csv).read_bytes())
    link = tmp_path / "link.csv"
    link.symlink_to(csv)
    hard = tmp_path / "hard.csv"
    os.link(csv, hard)
    before = _fingerprint(csv, meta)
    argv = [a.format(csv=csv, meta=meta, link=link, hard=hard) for a in argv_tail]
    err = _one_line_exit_2(capsys, argv)
    assert "would overwrite" in err and "choose another output path" in err
    assert _fingerprint(csv, meta) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.meta.json", "hard.csv", "link.csv"]


def test_the_same_path_for_two_outputs_is_refused(tmp_path, capsys, run_csv):
    out = tmp_path / "o.txt"
    err = _one_line_exit_2(capsys, ["analyze", str(run_csv), "--json", str(out), "--steps", str(out)])
    assert "given to both --json and --steps" in err and not out.exists()


def test_a_folder_input_protects_its_files(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    member = folder / "Accelerometer.csv"
    member.write_text("x\n")
    from runform.sensors.loading import input_files

    with pytest.raises(OutputError, match="would overwrite an input"):
        refuse_inputs({"-o": member}, input_files(folder))


def test_outputs_elsewhere_are_written(tmp_path, capsys, run_csv):
    j, s = tmp_path / "s.json", tmp_path / "steps.csv"
    assert main(["analyze", str(run_csv), "--json", str(j), "--steps", str(s)]) == 0
    assert j.read_text().startswith("{") and s.read_text().count("\n") > 10
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def _full_disk_after(monkeypatch, n_bytes_ok: int):
    """Make every write to a temporary output fail with ENOSPC after ``n_bytes_ok`` bytes."""
    real_fdopen = os.fdopen

    def fdopen(fd, mode="r", *a, **kw):
        fh = real_fdopen(fd, mode, *a, **kw)
        written = [0]
        real_write = fh.write

        def write(data):
            written[0] += len(data)
            if written[0] > n_bytes_ok:
                real_write(data[: max(0, n_bytes_ok - (written[0] - len(data)))])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(data)

        fh.write = write
        return fh

    monkeypatch.setattr("runform.sensors.atomic.os.fdopen", fdopen)


@pytest.mark.parametrize("argv_tail, target", [
    (["report", "{csv}", "-o", "{out}"], "r.html"),
    (["analyze", "{csv}", "--json", "{out}"], "s.json"),
    (["analyze", "{csv}", "--steps", "{out}"], "steps.csv"),
    (["simulate", "easy", "--duration", "30", "--overwrite", "-o", "{out}"], "sim.csv"),
])
def test_a_full_disk_keeps_the_previous_output_and_leaves_no_part(tmp_path, capsys, monkeypatch, run_csv,
                                                                 argv_tail, target):
    out = tmp_path / target
    out.write_text("the previous output\n")
    _full_disk_after(monkeypatch, 100)
    err = _one_line_exit_2(capsys, [a.format(csv=run_csv, out=out) for a in argv_tail])
    assert "the disk is full" in err and str(out) in err
    assert out.read_text() == "the previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target]


def test_simulate_into_a_missing_folder_is_one_line(tmp_path, capsys):
    err = _one_line_exit_2(capsys, ["simulate", "easy", "--duration", "20", "-o", str(tmp_path / "no" / "x.csv")])
    assert "the folder does not exist" in err


def test_simulate_into_a_read_only_folder_is_one_line(tmp_path, capsys, monkeypatch):
    """Root ignores permissions, so the refusal the kernel gives a user is injected."""
    def refuse(*a, **kw):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("runform.sensors.atomic.tempfile.mkstemp", refuse)
    err = _one_line_exit_2(capsys, ["simulate", "easy", "--duration", "20", "-o", str(tmp_path / "x.csv")])
    assert "Permission denied" in err and not list(tmp_path.iterdir())


def test_interrupted_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as fh:
            fh.write("half of a new report")
            raise KeyboardInterrupt
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_atomic_writes_use_unique_temporaries_and_normal_permissions(tmp_path):
    target = tmp_path / "x.meta.json"
    with atomic_output(target) as a, atomic_output(target) as b:
        assert a.name != b.name
        a.write("a")
        b.write("b")
    assert target.read_text() == "a"  # the last to finish wins, whole
    mask = os.umask(0)
    os.umask(mask)
    assert write_text_atomic(tmp_path / "m.txt", "x").stat().st_mode & 0o777 == 0o666 & ~mask


def test_an_output_that_is_a_folder_is_one_line(tmp_path, capsys, run_csv):
    err = _one_line_exit_2(capsys, ["analyze", str(run_csv), "--json", str(tmp_path)])
    assert "is a folder" in err


def test_json_onto_the_sidecar_name_is_refused_even_without_a_sidecar(tmp_path, capsys, run_csv):
    """``a.meta.json`` would be read as the recording's sidecar the next time."""
    csv = tmp_path / "a.csv"
    csv.write_bytes(run_csv.read_bytes())
    err = _one_line_exit_2(capsys, ["analyze", str(csv), "--json", str(tmp_path / "a.meta.json")])
    assert "would overwrite an input" in err and not (tmp_path / "a.meta.json").exists()


def test_simulate_never_replaces_a_recording_unasked(tmp_path, capsys, run_csv):
    rec = tmp_path / "tuesday.csv"
    rec.write_bytes(run_csv.read_bytes())
    err = _one_line_exit_2(capsys, ["simulate", "easy", "--duration", "20", "-o", str(rec)])
    assert "exists and is not a simulated session" in err and rec.read_bytes() == run_csv.read_bytes()
    sim = tmp_path / "sim.csv"
    for _ in range(2):  # an earlier simulated session (its truth file beside it) is replaced, same bytes
        assert main(["simulate", "easy", "--duration", "20", "-o", str(sim)]) == 0
    assert main(["simulate", "easy", "--duration", "20", "--overwrite", "-o", str(rec)]) == 0
    assert rec.read_bytes() == sim.read_bytes()


def test_devices_are_written_directly_and_links_through(tmp_path):
    """``--json /dev/null`` must not replace the device node with a file; an output link stays a link."""
    import stat

    write_text_atomic("/dev/null", "nothing\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new" and real.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_fifo_output_is_written_directly(tmp_path):
    import stat
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    write_text_atomic(fifo, "through the pipe")
    reader.join()
    assert got == ["through the pipe"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_companion_gyro_file_is_an_input_too(tmp_path, capsys):
    """A Polar Sensor Logger ACC file is read with its _GYRO file: neither may be an output."""
    header = "Phone timestamp;sensor timestamp [ns];X [{u}];Y [{u}];Z [{u}]\n"
    ticks = 757382400 * 10**9 + 5_000_000 * np.arange(400)
    acc = tmp_path / "Polar_H10_1A2B3C4D_20240101_000000_ACC.txt"
    gyro = tmp_path / "Polar_H10_1A2B3C4D_20240101_000000_GYRO.txt"
    acc.write_text(header.format(u="mg") + "".join(f"2024-01-01T00:00:00.000;{t};0;0;1000\n" for t in ticks))
    gyro.write_text(header.format(u="dps") + "".join(f"2024-01-01T00:00:00.000;{t};1;2;3\n" for t in ticks))
    before = gyro.read_bytes()
    err = _one_line_exit_2(capsys, ["analyze", str(acc), "--steps", str(gyro)])
    assert f"an input ({gyro})" in err and gyro.read_bytes() == before
