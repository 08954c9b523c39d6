"""Sources in the code are papers, manuals and specifications, or the project's own docs/: never the
research notes outside the repository (``../shared/docs/research/*.md``, cited as "§x"), which a
reader of the package does not have."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("analysis", "sensors", "firmware_sim", "runform")
#: a citation of a research note: its file, its folder, or a "§" section of it
NOTE_CITATION = re.compile(
    r"§|research/|research notes?\b|\bresearch §|algorithms\.md|anchors-products\.md|ble-protocols\.md|peers\.md"
)
#: a pointer into the project's docs: docs/NAME.md, "Section title"
DOC_SECTION = re.compile(r'(docs/[\w.-]+\.md),\s*(?:\(|)\s*"([^"]+)"')


def _sources():
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if not any(part.startswith(".") for part in path.relative_to(ROOT).parts):
                yield path


def _note_citations(text: str):
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if NOTE_CITATION.search(line)]


@pytest.mark.parametrize(
    "line",
    [
        "heuristics from research/algorithms.md §6.1, §6.5 and §5.1",
        "bands for the chest strap and the waist pod, anchors-products.md §1.3).",
        "``research/ble-protocols.md`` section 1. Deviations from the SDK:",
        "(bleak 3.x custom-backend interface, research/peers.md §5).",
        "# seq restarts at 0 on every START (research §4.4)",
    ],
)
def test_the_check_catches_a_research_note_citation(line):
    assert _note_citations(line)


def test_the_check_passes_a_real_source():
    assert not _note_citations("sine-wave spring-mass model (Morin et al. 2005, J Appl Biomech 21(2):167–180)")


def test_no_module_cites_a_research_note():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line}" for path in _sources() for n, line in _note_citations(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "cite the paper, manual or specification, or docs/:\n" + "\n".join(offenders)


def test_sections_of_docs_named_in_the_code_exist():
    cited = {(doc, title) for path in _sources() for doc, title in DOC_SECTION.findall(path.read_text(encoding="utf-8"))}
    assert cited, "the pattern no longer finds the docs/ pointers"
    missing = []
    for doc, title in sorted(cited):
        headings = [line.lstrip("#").strip() for line in (ROOT / doc).read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        if not any(h.startswith(title) for h in headings):
            missing.append(f'{doc}, "{title}"')
    assert not missing, "no such heading: " + "; ".join(missing)
