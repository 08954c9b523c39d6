"""A real headless browser for the report tests: Debian's ``chromium`` run directly (no driver).

``browser.open(html, out_dir)`` renders the page twice: once to a PNG screenshot of the page as
the user sees it, once with a small probe script injected into a copy of the page (before any
other script) that records uncaught errors, ``console.error`` calls, every resource the page
fetched (``performance.getEntriesByType("resource")``) and a ``window.__pwned`` marker, and then
writes them into the DOM that ``--dump-dom`` prints. The fixture skips when no chromium is found.
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
    out.textContent = JSON.stringify({errors: errors, pwned: window.__pwned || 0,
      resources: performance.getEntriesByType("resource").map(function (r) { return r.name; })});
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
        html, out_dir = Path(html).resolve(), Path(out_dir)
        shot = out_dir / f"{html.stem}.png"
        shot_run = self._run(html.as_uri(), out_dir / "profile-shot", [f"--screenshot={shot}"], width, height)
        probe_copy = out_dir / f"{html.stem}.probe.html"
        page = html.read_text(encoding="utf-8")
        probe_copy.write_text(page.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
        dom_run = self._run(probe_copy.as_uri(), out_dir / "profile-dom", ["--dump-dom"], width, height)
        found = re.search(rf'<pre id="{PROBE_ID}">(.*?)</pre>', dom_run.stdout, re.S)
        probe = json.loads(_unescape(found.group(1))) if found else {"errors": ["probe did not run"], "resources": [], "pwned": 0}
        log = shot_run.stderr + dom_run.stderr
        errors = probe["errors"] + [line for line in log.splitlines() if CONSOLE_ERROR.search(line)]
        return RenderedPage(dom_run.stdout, errors, probe["resources"], int(probe["pwned"]), shot, log)


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
