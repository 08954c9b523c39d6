"""``runform progress`` opened in a real headless chromium: plots drawn, the verdict shown, no
script error, nothing fetched from the network."""

from __future__ import annotations

from datetime import date

import pytest

from runform.cli import main
from runform.runlog._season import SeasonSpec, write_season

pytestmark = pytest.mark.browser

SEASON = SeasonSpec(date(2026, 1, 5), weeks=(1, 4, 9), per_week=2, duration_s=75.0, warmup_s=10.0)
FIGURES = 2  # bounce at matched cadence, week by week


@pytest.fixture(scope="module")
def rendered(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("progress_browser")
    files = write_season(tmp / "runs", SEASON, jobs=1)
    db = tmp / "log.sqlite"
    assert main(["log", "add", "--db", str(db), *files]) == 0
    assert main(["progress", "--db", str(db), "-o", str(tmp / "progress.html")]) == 0
    return browser.open(tmp / "progress.html", tmp)


def test_plots_and_verdict_render(rendered):
    dom = rendered.dom
    assert dom.count('class="plot-container plotly"') == FIGURES
    assert dom.count('class="main-svg"') >= 2 * FIGURES
    assert dom.count('class="trace scatter') >= 1 and dom.count('class="trace boxes') >= 1
    assert "Is your running getting lighter?" in dom
    assert "Bounce at 15" in dom and "in week 1" in dom


def test_no_script_errors_and_no_network(rendered):
    assert rendered.errors == [], rendered.errors
    assert [u for u in rendered.resources if not u.startswith(("file:", "data:", "blob:"))] == []


def test_layout_fits_the_window(rendered):
    assert rendered.layout["scrollWidth"] <= rendered.layout["width"], rendered.layout
    assert rendered.layout["spill"] == []
