"""The rooms of DESIGN.md / docs/ARCHITECTURE.md: which package may import which."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OLD_TOP_LEVEL = {"sensors", "analysis", "firmware_sim"}
#: folder -> the project packages (or modules) it may import; all live under ``runform.``
ALLOWED = {
    "sensors": {"runform.sensors"},
    "analysis": {"runform.analysis", "runform.sensors.errors", "runform.sensors.recording", "runform.sensors"},
    "firmware_sim": {"runform.firmware_sim", "runform.sensors.errors", "runform.sensors.recording",
                     "runform.sensors.units", "runform.sensors.protocols", "runform.sensors.atomic"},
}


def _sources(folder: Path):
    """The project's .py files under ``folder``: not those in hidden folders (benchmarks/.cache holds
    the peers' virtualenvs, .venv the project's own)."""
    return sorted(p for p in folder.rglob("*.py") if not any(part.startswith(".") for part in p.relative_to(ROOT).parts))


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from runform import analysis" imports runform.analysis
            yield from (f"{node.module}.{a.name}" for a in node.names)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_room_allows(package):
    bad = []
    for path in _sources(ROOT / package):
        for name in _imports(path):
            if name.split(".")[0] != "runform":
                continue
            if not any(name == a or name.startswith(a + ".") for a in ALLOWED[package]):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("folder", ["sensors", "analysis", "firmware_sim", "runform", "tests", "benchmarks",
                                    "examples"])
def test_nothing_imports_the_old_top_level_names(folder):
    """Everything is imported as ``runform.<package>``; a bare ``import analysis`` would pick up a
    user's own ``analysis.py`` instead."""
    bad = [f"{p.relative_to(ROOT)} imports {n}" for p in _sources(ROOT / folder)
           for n in _imports(p) if n.split(".")[0] in OLD_TOP_LEVEL]
    assert not bad, "\n".join(bad)


def test_numeric_core_has_no_pandas_or_io():
    """pandas stays at the edges: the private core modules of analysis never import it
    (``_session.py``, the result object, builds the user's DataFrame in ``steps_frame()``)."""
    edge = {"__init__.py", "_session.py"}
    bad = [p.name for p in (ROOT / "analysis").glob("_*.py") if p.name not in edge
           and any(n.split(".")[0] in {"pandas", "bleak", "plotly"} for n in _imports(p))]
    assert not bad
