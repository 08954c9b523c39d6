"""The rooms of DESIGN.md / docs/ARCHITECTURE.md: which package may import which."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = {"sensors", "analysis", "firmware_sim", "runform"}
#: package -> the project packages (or modules) it may import
ALLOWED = {
    "sensors": {"sensors"},
    "analysis": {"analysis", "sensors.errors", "sensors.recording", "sensors"},
    "firmware_sim": {"firmware_sim", "sensors.errors", "sensors.recording", "sensors.units", "sensors.protocols"},
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_room_allows(package):
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] not in PROJECT:
                continue
            if not any(name == a or name.startswith(a + ".") for a in ALLOWED[package]):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "\n".join(bad)


def test_numeric_core_has_no_pandas_or_io():
    """pandas stays at the edges: the private core modules of analysis never import it
    (``_session.py``, the result object, builds the user's DataFrame in ``steps_frame()``)."""
    edge = {"__init__.py", "_session.py"}
    bad = [p.name for p in (ROOT / "analysis").glob("_*.py") if p.name not in edge
           and any(n.split(".")[0] in {"pandas", "bleak", "plotly"} for n in _imports(p))]
    assert not bad
