"""The CLI imports what the command it runs needs, nothing more: its parser comes from the table
``runform.commands.COMMANDS``, a command's module is imported when that command is chosen, and
pandas, plotly, scipy, the analysis, the simulator and the file importers only where a command
uses them (checked in fresh interpreters, through ``sys.modules``)."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import subprocess
import sys

import pytest

from runform import commands
from runform.cli import main
from runform.commands import COMMANDS
from runform.runlog import RunLog

HEAVY = ("pandas", "plotly", "scipy")


def imported_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; which heavy packages and command modules (``COMMANDS``'
    modules; the private helpers such as ``_context`` they share are light) it imported."""
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps({{'heavy': [m for m in {HEAVY!r} + ('runform.analysis', 'runform.firmware_sim', 'runform.sensors.importers') "
             "if m in sys.modules], 'commands': sorted(m for m in sys.modules if m.startswith('runform.commands.') "
             "and not m.startswith('runform.commands._'))}))")  # command modules, not their shared option helpers
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_command_module_is_in_the_table_and_defines_its_options_and_run():
    modules = {m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")}
    assert modules == set(COMMANDS)
    for name in COMMANDS:
        module = importlib.import_module(f"runform.commands.{name}")
        assert callable(module.add_arguments) and callable(module.run)
        assert not hasattr(module, "HELP")  # the one-line help has one definition: the table


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_shows_its_own_help_with_its_options(name, capsys):
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    # the same text as a parser given the module's options directly
    reference = argparse.ArgumentParser(prog=f"runform {name}", description=COMMANDS[name])
    importlib.import_module(f"runform.commands.{name}").add_arguments(reference)
    assert capsys.readouterr().out == reference.format_help()


def test_top_level_help_lists_every_command_without_importing_one(capsys):
    assert imported_after("import runform.cli as c; c.build_parser().format_help()") == {"heavy": [], "commands": []}
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(f"    {name}" in out for name in COMMANDS)


def test_importing_the_cli_imports_no_pandas_plotly_or_scipy():
    assert imported_after("import runform.cli")["heavy"] == []


def test_a_command_imports_only_its_own_module():
    got = imported_after("from runform.cli import build_parser; build_parser().parse_args(['log', 'list'])")
    assert got == {"heavy": [], "commands": ["runform.commands.log"]}


def test_log_list_and_progress_never_import_pandas_or_scipy(tmp_path):
    db, out = tmp_path / "log.sqlite", tmp_path / "progress.html"
    listed = imported_after(f"from runform.cli import main; assert main(['log', 'list', '--db', {str(db)!r}]) == 0")
    assert listed["heavy"] == []
    progress = imported_after("from runform.cli import main; "
                              f"assert main(['progress', '--db', {str(db)!r}, '-o', {str(out)!r}]) == 0")
    assert "pandas" not in progress["heavy"] and "scipy" not in progress["heavy"]
    assert out.is_file()


def test_analyze_of_a_csv_with_the_run_log_imports_no_scipy(tmp_path):
    """The whole ``runform analyze`` job (read, analyse, print, add to the run log) runs without SciPy
    (~0.3 s of a cold start: benchmarks/RESULTS.md). The recording is simulated in this process and
    written without its "simulated" mark, as a strap's own recording, so that the log adds it. Skipped where
    NumPy's BLAS is not an OpenBLAS: there the filters may fall back to ``scipy.linalg``."""
    from dataclasses import replace

    from runform.analysis import _blas
    from runform.firmware_sim import simulate

    if not any(lib.internal_api == "openblas" for lib in _blas._controller().lib_controllers):
        pytest.skip("NumPy's BLAS is not an OpenBLAS that threadpoolctl lists: the band solve may fall back")
    from runform.sensors.canonical_csv import write_canonical

    rec = simulate("easy", duration_s=40, rate_hz=100, seed=4).recording
    csv = write_canonical(replace(rec, meta=replace(rec.meta, extra={})), tmp_path / "run.csv")
    db = tmp_path / "log.sqlite"
    got = imported_after(f"from runform.cli import main; assert main(['analyze', {str(csv)!r}, '--db', {str(db)!r}]) == 0")
    assert "runform.analysis" in got["heavy"] and "scipy" not in got["heavy"]
    assert db.is_file()


def test_analyze_of_a_canonical_csv_imports_only_what_it_uses(tmp_path):
    """``runform analyze`` is one cold process per file: a canonical CSV below the pandas size
    (``canonical_csv.PANDAS_MIN_BYTES``) is read without pandas, and analysing it and adding it to the
    run log import no plotly, bleak, live analyzer, simulator, other command or multiprocessing (the
    run log's season writer). Written without its "simulated" mark, so that the log adds it."""
    from dataclasses import replace

    from runform.firmware_sim import simulate
    from runform.sensors.canonical_csv import PANDAS_MIN_BYTES, write_canonical

    rec = simulate("easy", duration_s=40, rate_hz=100, seed=4).recording
    csv = write_canonical(replace(rec, meta=replace(rec.meta, extra={})), tmp_path / "run.csv")
    assert csv.stat().st_size < PANDAS_MIN_BYTES
    db = tmp_path / "log.sqlite"
    unwanted = ("pandas", "plotly", "bleak", "multiprocessing", "runform.analysis.live", "runform.firmware_sim",
                *(f"runform.commands.{name}" for name in COMMANDS if name != "analyze"))
    code = (f"from runform.cli import main; assert main(['analyze', {str(csv)!r}, '--db', {str(db)!r}]) == 0\n"
            "import sys; assert 'runform.runlog._store' in sys.modules and 'runform.analysis' in sys.modules\n"
            f"print([m for m in {unwanted!r} if m in sys.modules])")
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert probe.stdout.strip().splitlines()[-1] == "[]"
    with RunLog(db) as log:  # the session went to the log: its code was imported and ran
        assert len(log.sessions()) == 1
