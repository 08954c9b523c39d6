"""What ``pip install .`` puts into site-packages: one top-level package, ``runform``, with every
folder of the repository inside it (the card's folders are mapped by ``[tool.setuptools.package-dir]``)."""

from __future__ import annotations

import os
import subprocess
import sys

import zipfile
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {"runform": "runform", "runform.sensors": "sensors", "runform.analysis": "analysis",
          "runform.firmware_sim": "firmware_sim"}


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_listed_for_installation():
    cfg = _pyproject()
    assert cfg["package-dir"] == MAPPED
    on_disk = set()
    for name, folder in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            on_disk.add(".".join((name, *rel)))
    assert set(cfg["packages"]) == on_disk


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                        "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=600,
                       cwd=out)
    assert r.returncode == 0, r.stderr
    (path,) = out.glob("runform-*.whl")
    return path


def test_the_wheel_installs_exactly_one_top_level_package(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
        assert top == {"runform"}
        for sub in ("sensors", "analysis", "firmware_sim", "analysis/report", "sensors/importers"):
            assert f"runform/{sub}/__init__.py" in names


def test_a_users_own_analysis_module_does_not_shadow_runform(tmp_path):
    """A notebook folder with its own analysis.py, sensors.py and firmware_sim.py."""
    for name in ("analysis", "sensors", "firmware_sim"):
        (tmp_path / f"{name}.py").write_text("raise ImportError('the user\\'s own module was imported')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    sim = subprocess.run([sys.executable, "-m", "runform", "simulate", "easy", "--duration", "60",
                          "-o", "e.csv"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert sim.returncode == 0, sim.stderr
    r = subprocess.run([sys.executable, "-m", "runform", "analyze", "e.csv"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "cadence" in r.stdout.lower()
    code = "import runform; s = runform.analyze(runform.simulate('easy', 60, 100).recording); print(len(s.steps))"
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) > 10


def test_an_example_copied_beside_a_users_analysis_module_still_runs(tmp_path):
    """The issue's case: examples/analyze_csv.py copied into a notebook folder that has its own
    analysis.py (the script's folder comes first on sys.path)."""
    for name in ("analysis", "sensors", "firmware_sim"):
        (tmp_path / f"{name}.py").write_text("raise ImportError('the user\\'s own module was imported')\n")
    script = tmp_path / "analyze_csv.py"
    script.write_text((ROOT / "examples" / "analyze_csv.py").read_text(encoding="utf-8"), encoding="utf-8")
    r = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "running steps" in r.stdout
