"""``runform`` leaves the process without tearing the interpreter down (``cli.exit_now``), and still
does what an orderly exit does: every line of output arrives through a pipe, ``atexit`` handlers
run, the exit status is the command's."""

from __future__ import annotations

import os
import subprocess
import sys


def run_program(tmp_path, *argv: str) -> subprocess.CompletedProcess:
    """``runform ARGV`` through ``cli.run_program`` in a new process, stdout and stderr piped, with an
    ``atexit`` handler that writes a file when it runs."""
    marker = tmp_path / "atexit-ran"
    code = ("import atexit, pathlib, sys\n"
            f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
            f"sys.argv = ['runform', *{list(argv)!r}]\n"
            "from runform.cli import run_program\n"
            "run_program()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_output_through_a_pipe_is_whole_and_atexit_handlers_run(tmp_path):
    done = run_program(tmp_path, "log", "list", "--db", str(tmp_path / "log.sqlite"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 sessions in ") and done.stdout.endswith("\n")
    assert (tmp_path / "atexit-ran").read_text() == "yes"


def test_the_exit_status_is_the_commands(tmp_path):
    done = run_program(tmp_path, "info", str(tmp_path / "missing.csv"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("runform: error: ")
    assert (tmp_path / "atexit-ran").read_text() == "yes"


def test_python_dash_m_runform_exits_the_same_way(tmp_path):
    done = subprocess.run([sys.executable, "-m", "runform", "info", str(tmp_path / "missing.csv")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("runform: error: ")


def test_a_closed_stdout_is_no_traceback(tmp_path):
    """Started with stdout closed (``runform ... >&-``), Python has no ``sys.stdout``: the command runs
    and exits with its status, as with Python's own exit."""
    done = subprocess.run([sys.executable, "-m", "runform", "log", "list", "--db", str(tmp_path / "log.sqlite")],
                          stdout=None, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_without_atexits_private_runner_the_interpreters_own_exit_is_used(tmp_path):
    """``exit_now`` calls CPython's private ``atexit._run_exitfuncs``; a Python without it still runs the
    handlers and exits with the command's status."""
    marker = tmp_path / "atexit-ran"
    code = ("import atexit, pathlib, sys\n"
            "del atexit._run_exitfuncs\n"
            f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
            f"sys.argv = ['runform', 'info', {str(tmp_path / 'missing.csv')!r}]\n"
            "from runform.cli import run_program\n"
            "run_program()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("runform: error: ")
    assert marker.read_text() == "yes"
