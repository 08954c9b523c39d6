"""The scripts in examples/ run as a user would run them (on simulated data, no radio)."""

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(script, *args, cwd):
    return subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=240, env={**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning"})


def test_analyze_csv_example_prints_steps_and_flags(tmp_path):
    r = _run("analyze_csv.py", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "running steps" in r.stdout and "jarring_gait" in r.stdout


def test_make_report_example_writes_html(tmp_path):
    from runform.firmware_sim import simulate
    from runform.sensors.canonical_csv import write_canonical

    csv = write_canonical(simulate("easy", duration_s=60, rate_hz=52, seed=2).recording, tmp_path / "e.csv")
    r = _run("make_report.py", str(csv), str(tmp_path / "e.html"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "e.html").stat().st_size > 100_000


def test_record_with_callback_example_on_the_virtual_strap(tmp_path):
    r = _run("record_with_callback.py", "--simulate", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "peak |acc|" in r.stdout and (tmp_path / "run.csv").exists()


def test_every_example_answers_help_without_doing_its_job(tmp_path):
    scripts = sorted(p.name for p in EXAMPLES.glob("*.py"))
    assert scripts, "no examples found"
    for script in scripts:
        r = _run(script, "--help", cwd=tmp_path)
        assert r.returncode == 0, f"{script}: {r.stderr}"
        assert r.stdout.startswith("usage:") and script in r.stdout, script
    assert list(tmp_path.iterdir()) == []  # nothing recorded, simulated or written
