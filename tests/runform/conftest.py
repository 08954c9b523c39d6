"""A real headless browser for the report tests: Debian's ``chromium`` run directly (no driver).

``browser.open(html, out_dir)`` renders the page twice: once to a PNG screenshot of the page as
the user sees it, once with a small probe script injected into a copy of the page (before any
other script) that records uncaught errors, ``console.error`` calls, every resource the page
fetched (``performance.getEntriesByType("resource")``), a ``window.__pwned`` marker and the layout
(page width against its scroll width, anything drawn past its card or panel), and then writes them
into the DOM that ``--dump-dom`` prints. The fixture skips when no chromium is found.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
)
#: virtual time the page gets to run its scripts (ms): plotly draws well within it
VIRTUAL_TIME_MS = 10000
#: headless chromium does not make a window narrower than this (CSS pixels)
MIN_WINDOW_WIDTH = 500
#: wall-clock limit per chromium run (s)
RUN_TIMEOUT_S = 120
PROBE_ID = "__report_probe"
PROBE = """<script>(function () {
  var errors = [];
  window.addEventListener("error", function (e) { errors.push(String(e.message)); });
  window.addEventListener("unhandledrejection", function (e) { errors.push("Unhandled " + e.reason); });
  var original = console.error;
  console.error = function () { errors.push(Array.prototype.join.call(arguments, " ")); original.apply(console, arguments); };
  window.addEventListener("load", function () { setTimeout(function () {
    var out = document.createElement("pre"); out.id = "%s";
    var page = document.documentElement, spill = [];
    document.querySelectorAll(".panel, .card, .flag").forEach(function (box) {
      var b = box.getBoundingClientRect();
      if (b.right > page.clientWidth + 1) { spill.push((box.className || box.tagName) + " past the window"); }
      box.querySelectorAll(".js-plotly-plot, .main-svg, p, dl, h2, h3").forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (r.right > b.right + 1) { spill.push((el.className.baseVal || el.className || el.tagName) + " past its " + box.className); }
      });
    });
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      var P = plot.getBoundingClientRect(), labels = [];
      plot.querySelectorAll("text").forEach(function (t) {
        var r = t.getBoundingClientRect(), words = t.textContent.trim();
        if (!words || r.width === 0) { return; }
        if (r.left < P.left - 1 || r.right > P.right + 1) { spill.push("'" + words + "' cut off in " + plot.id); }
        var c = t.getAttribute("class") || "";
        if (/title|annotation/.test(c) || t.closest(".annotation")) { labels.push([words, r]); }
      });
      labels.forEach(function (a, i) { labels.slice(i + 1).forEach(function (b) {
        var x = Math.min(a[1].right, b[1].right) - Math.max(a[1].left, b[1].left);
        var y = Math.min(a[1].bottom, b[1].bottom) - Math.max(a[1].top, b[1].top);
        if (x > 1 && y > 1) { spill.push("'" + a[0] + "' overlaps '" + b[0] + "' in " + plot.id); }
      }); });
    });
    out.textContent = JSON.stringify({errors: errors, pwned: window.__pwned || 0,
      resources: performance.getEntriesByType("resource").map(function (r) { return r.name; }),
      layout: {width: page.clientWidth, scrollWidth: page.scrollWidth, spill: spill}});
    document.body.appendChild(out);
  }, 1000); });
})();</script>""" % PROBE_ID
#: chromium's own log lines for page console messages that are errors
CONSOLE_ERROR = re.compile(r"CONSOLE.*(Uncaught|Error)", re.I)


@dataclass
class RenderedPage:
    dom: str  # the DOM after the scripts ran (probe copy)
    errors: list[str]  # uncaught errors and console.error calls
    resources: list[str]  # every URL the page fetched
    pwned: int  # window.__pwned set by injected markup (0: nothing ran)
    layout: dict  # window width, page scroll width, "spill": elements drawn past their card or panel, chart
    #              text cut off at its chart's edge, chart titles and annotations drawn over each other
    screenshot: Path
    log: str  # chromium's stderr of both runs


class Browser:
    def __init__(self, executable: str):
        self.executable = executable

    def _run(self, url: str, profile: Path, extra: list[str], width: int, height: int) -> subprocess.CompletedProcess:
        cmd = [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--virtual-time-budget={VIRTUAL_TIME_MS}", *extra, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False)

    def open(self, html: Path, out_dir: Path, width: int = 1280, height: int = 2400) -> RenderedPage:
        """Render ``html`` in a window ``width`` x ``height`` CSS pixels. Headless chromium's window is at
        least ``MIN_WINDOW_WIDTH`` wide; a narrower width (a phone) renders the page in an iframe that
        wide, which lays it out as a viewport of that width (no media query or "vw" unit is used)."""
        html, out_dir = Path(html).resolve(), Path(out_dir)
        shot = out_dir / f"{html.stem}.png"
        page = html.read_text(encoding="utf-8")
        probed = page.replace("<head>", "<head>" + PROBE, 1)
        if width < MIN_WINDOW_WIDTH:
            html = out_dir / f"{html.stem}.framed.html"
            html.write_text(_framed(page, width, height), encoding="utf-8")
            probed = _framed(probed, width, height)
        shot_run = self._run(html.as_uri(), out_dir / "profile-shot", [f"--screenshot={shot}"],
                             max(width, MIN_WINDOW_WIDTH), height)
        probe_copy = out_dir / f"{html.stem}.probe.html"
        probe_copy.write_text(probed, encoding="utf-8")
        width = max(width, MIN_WINDOW_WIDTH)
        dom_run = self._run(probe_copy.as_uri(), out_dir / "profile-dom", ["--dump-dom"], width, height)
        found = re.search(rf'<pre id="{PROBE_ID}">(.*?)</pre>', dom_run.stdout, re.S)
        probe = json.loads(_unescape(found.group(1))) if found else {"errors": ["probe did not run"], "resources": [],
                                                                     "pwned": 0, "layout": {}}
        log = shot_run.stderr + dom_run.stderr
        errors = probe["errors"] + [line for line in log.splitlines() if CONSOLE_ERROR.search(line)]
        return RenderedPage(dom_run.stdout, errors, probe["resources"], int(probe["pwned"]), probe["layout"], shot, log)


def _framed(page: str, width: int, height: int) -> str:
    """A page that shows ``page`` in a ``width`` x ``height`` iframe (``srcdoc``: same origin, so the
    probe's result inside is copied out into the DOM that ``--dump-dom`` prints)."""
    src = page.replace("&", "&amp;").replace('"', "&quot;")
    copy = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
            "var p = document.querySelector('iframe').contentDocument.getElementById('%s');"
            "if (p) { document.body.appendChild(p.cloneNode(true)); } }, 1500); });</script>" % PROBE_ID)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8">{copy}</head><body style="margin:0">'
            f'<iframe srcdoc="{src}" width="{width}" height="{height}" style="border:0;display:block"></iframe>'
            "</body></html>")


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser() -> Browser:
    exe = find_chromium()
    if exe is None:
        pytest.skip("no headless chromium found (Debian: apt-get install chromium; .ci/run installs it)")
    return Browser(exe)
