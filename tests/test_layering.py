"""The rooms of DESIGN.md / docs/ARCHITECTURE.md: which package may import which."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OLD_TOP_LEVEL = {"sensors", "analysis", "firmware_sim"}
#: the sensors data model: the recording and its errors and units (``runform.sensors`` re-exports it)
DATA_MODEL = {"runform.sensors.errors", "runform.sensors.recording", "runform.sensors.units"}
#: what ``from runform.sensors import NAME`` may take without leaving the data model
DATA_MODEL_NAMES = {"Gap", "Metadata", "Recording", "SampleBlock", "find_gaps", "InputError", "RunformError"}
#: folder -> the project modules it may import, each with everything under it; all live under ``runform.``
ALLOWED = {
    "sensors": {"runform.sensors"},
    "analysis": {"runform.analysis", *DATA_MODEL},
    # firmware_sim writes the simulated recording through the sensors' atomic writer
    "firmware_sim": {"runform.firmware_sim", *DATA_MODEL, "runform.sensors.protocols", "runform.sensors.atomic"},
}


def _sources(folder: Path):
    """The project's .py files under ``folder``: not those in hidden folders (benchmarks/.cache holds
    the peers' virtualenvs, .venv the project's own)."""
    return sorted(p for p in folder.rglob("*.py") if not any(part.startswith(".") for part in p.relative_to(ROOT).parts))


def _imports(path: Path):
    """Every project name a file imports, as a dotted path: ``from runform.sensors import Recording``
    gives ``runform.sensors.Recording`` (the name may be a module or an object in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from runform import analysis" imports runform.analysis
            yield from (f"{node.module}.{a.name}" for a in node.names)


def _allowed(name: str, allowed: set[str]) -> bool:
    if any(name == a or name.startswith(a + ".") for a in allowed):
        return True
    # the data model as re-exported by the sensors package itself
    return "runform.sensors.errors" in allowed and name.rpartition(".")[0] == "runform.sensors" \
        and name.rpartition(".")[2] in DATA_MODEL_NAMES


#: sub-folder -> what it may import besides its package's room: the report writes its HTML file through
#: the sensors' atomic writer (the numeric core stays on the data model alone)
ALSO_ALLOWED = {"analysis/report": {"runform.sensors.atomic"}}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_room_allows(package):
    bad = []
    for path in _sources(ROOT / package):
        folder = path.parent.relative_to(ROOT).as_posix()
        allowed = ALLOWED[package] | ALSO_ALLOWED.get(folder, set())
        for name in _imports(path):
            if name.split(".")[0] != "runform":
                continue
            if not _allowed(name, allowed):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "\n".join(bad)


def test_the_rule_catches_what_it_forbids():
    """The check itself: the data model passes, anything else of sensors does not."""
    analysis = ALLOWED["analysis"]
    assert _allowed("runform.sensors.Recording", analysis) and _allowed("runform.sensors.recording.Gap", analysis)
    assert not _allowed("runform.sensors.load_recording", analysis)
    assert not _allowed("runform.sensors.importers", analysis)
    assert not _allowed("runform.sensors.canonical_csv.read_canonical", analysis)
    assert not _allowed("runform.commands", analysis)


def test_benchmarks_use_only_public_names():
    """Benchmarks measure runform as a user runs it: no private module or name (``_x``), so a
    refactor of the internals cannot silently change what they measure (they time the pipeline's
    stages through its public hook, ``analyze(rec, stage_timer=...)``)."""
    bad = [f"{p.relative_to(ROOT)} imports {n}" for p in _sources(ROOT / "benchmarks")
           for n in _imports(p) if n.split(".")[0] == "runform" and any(part.startswith("_") for part in n.split("."))]
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


#: the one analysis module that may import SciPy: ``_blas``, as the fallback of its band solve
SCIPY_IN_ANALYSIS = {"analysis/_blas.py"}


def test_the_analysis_imports_scipy_only_as_the_band_solve_fallback():
    """``analyze()`` imports no SciPy (benchmarks/RESULTS.md: ~1 s of a cold start); a new ``import scipy...``
    anywhere in ``analysis/`` but ``_blas``'s fallback would bring it back."""
    bad = [f"{path.relative_to(ROOT).as_posix()}: {name}" for path in _sources(ROOT / "analysis")
           for name in _imports(path) if name.split(".")[0] == "scipy"
           and path.relative_to(ROOT).as_posix() not in SCIPY_IN_ANALYSIS]
    assert bad == []
