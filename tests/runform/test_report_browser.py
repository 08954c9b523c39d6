"""``runform report`` end to end, opened in a real headless chromium.

A simulated Couch-to-5K strap session (firmware_sim, bouncy runs) is written as canonical CSV with
a hostile device name in its sidecar, turned into a report by the CLI, and rendered: the plots
must be drawn (plotly's graph elements present), nothing may be fetched from the network, no
script error may occur, and the injected markup must not run. The strap's heart rate is in the
sidecar, so the heart-rate chart is drawn too. The screenshot is saved in the
test's temp dir (``report.png``).
"""

from __future__ import annotations

import shutil

import pytest

from runform.firmware_sim.session import simulate
from runform.cli import main
from runform.sensors.canonical_csv import write_canonical

pytestmark = pytest.mark.browser

#: 5 min walk + 3 run intervals of the c25k profile, at a Polar-H10-like rate
SIM_SECONDS, SIM_RATE_HZ = 660.0, 52.0
HOSTILE_DEVICE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
FIGURES = 4  # steps, heart rate, average step, balance


@pytest.fixture(scope="module")
def rendered(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report_browser")
    rec = simulate("c25k", duration_s=SIM_SECONDS, rate_hz=SIM_RATE_HZ, seed=2).recording
    rec.meta.device = HOSTILE_DEVICE
    seconds = list(range(int(SIM_SECONDS)))
    rec.meta.extra["heart_rate"] = {"time_s": seconds, "bpm": [100 + 40 * (s > 300) for s in seconds], "rr_ms": []}
    csv = tmp / "c25k.csv"
    write_canonical(rec, csv)
    assert main(["report", str(csv)]) == 0
    report = tmp / "c25k.report.html"
    return browser.open(report, tmp)


def test_plots_render(rendered):
    dom = rendered.dom
    assert dom.count('class="plot-container plotly"') == FIGURES
    assert dom.count("js-plotly-plot") >= FIGURES
    assert dom.count('class="main-svg"') >= 2 * FIGURES  # plotly draws two svg layers per figure
    assert dom.count('class="trace scatter') >= FIGURES  # data traces drawn, not just axes
    assert "Running form report" in dom
    heart = dom.split('id="heart"', 1)[1].split("</section>", 1)[0]
    assert 'class="trace scatter' in heart and "fig-heart" in heart  # the heart-rate line is drawn


def test_no_script_errors_and_no_network(rendered):
    assert rendered.errors == [], rendered.errors
    offsite = [u for u in rendered.resources if not u.startswith(("file:", "data:", "blob:"))]
    assert offsite == []


def test_device_name_from_the_file_does_not_run(rendered):
    assert rendered.pwned == 0
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in rendered.dom


def test_screenshot_saved(rendered):
    shot = rendered.screenshot
    assert shot.is_file()
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 50_000  # a blank page compresses to a few kB
    shutil.copy(shot, shot.with_name("report.png"))


#: a phone held upright (CSS pixels)
PHONE_WIDTH, PHONE_HEIGHT = 390, 3200


@pytest.fixture(scope="module")
def on_a_phone(browser, rendered, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report_phone")
    report = next(rendered.screenshot.parent.glob("c25k.report.html"))
    return browser.open(report, tmp, width=PHONE_WIDTH, height=PHONE_HEIGHT)


def test_layout_fits_a_desktop_window(rendered):
    assert rendered.layout["scrollWidth"] <= rendered.layout["width"], rendered.layout
    assert rendered.layout["spill"] == []


def test_layout_fits_a_phone_screen(on_a_phone):
    """Nothing scrolls sideways on a phone and no chart is drawn past its panel (tables may scroll inside
    their own box)."""
    assert on_a_phone.errors == []
    assert on_a_phone.layout["width"] == PHONE_WIDTH
    assert on_a_phone.layout["scrollWidth"] <= PHONE_WIDTH, on_a_phone.layout
    assert on_a_phone.layout["spill"] == []
