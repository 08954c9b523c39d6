"""The HTML report, built from a constructed Couch-to-5K session (known values, no analysis run).

The session mimics what ``analysis.analyze`` returns (steps dict, bouts, summary, cycle); its
flags and trend come from the real ``analysis.flags`` so the report shows what a runner would see.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import numpy as np
import pytest

from runform.analysis import Cycle
from runform.analysis.flags import evaluate_flags
from runform.analysis.trend import session_trend
from runform.analysis.report import build_report, write_report
from runform.sensors import Metadata
from runform.sensors.errors import OutputError

WALK_SPM, RUN_SPM = 112.0, 156.0
RUN_VO_CM, RUN_GCT_MS, RUN_IMPACT_G = 11.8, 292.0, 2.9


def c25k_plan(warmup_s=300.0, runs=8, run_s=120.0, walk_s=60.0, cooldown_s=120.0):
    """[(kind, start_s, end_s)]: warm-up walk, run/walk intervals, cool-down walk."""
    plan, t = [("walk", 0.0, warmup_s)], warmup_s
    for i in range(runs):
        plan.append(("run", t, t + run_s))
        t += run_s
        plan.append(("walk", t, t + (walk_s if i < runs - 1 else cooldown_s)))
        t = plan[-1][2]
    return plan


def fake_session(plan=None, has_gyro=True, seed=1):
    """A Session-like object with per-step arrays, bouts, summary (with real flags) and cycle."""
    rng = np.random.default_rng(seed)
    plan = plan or c25k_plan()
    cols = {k: [] for k in ("time_s", "bout", "bout_kind", "cadence_spm")}
    for i, (kind, start, end) in enumerate(plan):
        spm = RUN_SPM if kind == "run" else WALK_SPM
        t = np.arange(start, end, 60.0 / spm)
        cols["time_s"].append(t)
        cols["bout"].append(np.full(len(t), i))
        cols["bout_kind"].append(np.full(len(t), kind))
        cols["cadence_spm"].append(spm + rng.normal(0, 2.5, len(t)))
    steps = {k: np.concatenate(v) for k, v in cols.items()}
    n = len(steps["time_s"])
    run = steps["bout_kind"] == "run"
    left = np.arange(n) % 2 == 0
    steps["side"] = np.where(left, "L", "R")
    steps["step_time_s"] = 60.0 / steps["cadence_spm"]
    fade = steps["time_s"] / steps["time_s"][-1]  # bounce grows a little over the session
    steps["vertical_oscillation_cm"] = np.where(run, RUN_VO_CM + 0.8 * fade, 3.5) + rng.normal(0, 0.6, n)
    steps["ground_contact_ms"] = np.where(run, RUN_GCT_MS + 6 * left, np.nan) + rng.normal(0, 9, n)
    steps["flight_ms"] = np.where(run, 1000 * steps["step_time_s"] - steps["ground_contact_ms"], np.nan)
    steps["duty_factor"] = steps["ground_contact_ms"] / (2000 * steps["step_time_s"])
    steps["impact_g"] = np.where(run, RUN_IMPACT_G, 1.4) + rng.normal(0, 0.15, n)
    steps["impact_slope_g_per_s"] = steps["impact_g"] * 20
    rot = np.where(run, 13.0, 8.0) + rng.normal(0, 1.0, n)
    steps["trunk_rotation_deg"] = rot if has_gyro else np.full(n, np.nan)
    steps["forward_lean_deg"] = 6 + rng.normal(0, 1, n)
    steps["lateral_sway_cm"] = 2 + rng.normal(0, 0.3, n)

    def med(key, mask):
        v = steps[key][mask]
        v = v[np.isfinite(v)]
        return float(np.median(v)) if v.size else None

    def balance(mask):
        gl, gr = med("ground_contact_ms", mask & left), med("ground_contact_ms", mask & ~left)
        return None if gl is None or gr is None else 100 * gl / (gl + gr)

    bouts = []
    for i, (kind, start, end) in enumerate(plan):
        m = steps["bout"] == i
        bouts.append({"kind": kind, "start_s": start, "end_s": end, "steps": int(m.sum()),
                      "cadence_spm": med("cadence_spm", m), "vertical_oscillation_cm": med("vertical_oscillation_cm", m),
                      "ground_contact_ms": med("ground_contact_ms", m), "flight_ms": med("flight_ms", m),
                      "impact_g": med("impact_g", m), "trunk_rotation_deg": med("trunk_rotation_deg", m),
                      "gct_balance_left_pct": balance(m)})
    running = {"seconds": float(sum(e - s for k, s, e in plan if k == "run")), "steps": int(run.sum()),
               "gct_balance_left_pct": balance(run), "step_time_asymmetry_pct": 1.2}
    for key in ("cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "flight_ms", "duty_factor",
                "impact_g", "trunk_rotation_deg", "forward_lean_deg"):
        running[key] = med(key, run)
    running["trend"] = session_trend(steps)
    walk = steps["bout_kind"] == "walk"
    summary = {"schema": "runform.summary/1", "duration_s": plan[-1][2], "sample_rate_hz": 200.0,
               "has_gyro": has_gyro, "bouts": bouts, "running": running,
               "walking": {"seconds": float(sum(e - s for k, s, e in plan if k == "walk")),
                           "steps": int(walk.sum()), "cadence_spm": med("cadence_spm", walk)}}
    summary["flags"] = evaluate_flags(summary, steps)
    phase = np.linspace(0, 1, 101)
    contact = np.clip(np.sin(np.pi * phase / 0.46), 0, None) * (phase < 0.46)
    acc = 0.05 + 2.8 * contact + 1.2 * np.exp(-(((phase - 0.03) / 0.012) ** 2))
    disp = -RUN_VO_CM / 2 * np.cos(2 * np.pi * (phase - 0.23))
    cycle = Cycle(phase, disp, acc, disp, acc, disp * 0.93, acc * 0.95, n_strides=100, n_left=100, n_right=100)
    return SimpleNamespace(steps=steps, bouts=bouts, summary=summary, cycle=cycle)


class _Tags(HTMLParser):
    """Collect start tags and the text of every element."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def session():
    return fake_session()


@pytest.fixture(scope="module")
def html(session):
    return build_report(session, Metadata(device="Polar H10 12345", placement="chest",
                                          start_utc="2026-11-28T07:30:00+00:00"))


def test_report_is_one_offline_file(html):
    tags = parse(html)
    scripts = [a for t, a in tags.tags if t == "script"]
    assert all("src" not in a for a in scripts), "no external script"
    assert not [a for t, a in tags.tags if t == "link"], "no external stylesheet or font"
    # outside the plotly.js bundle (whose strings hold its own links), nothing points at the web
    page = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
    assert not re.search(r"https?://", page), "nothing fetched from the web"
    assert "@import" not in html and "fonts.googleapis" not in html
    assert html.count("Plotly.newPlot") == 3  # steps, average step, balance
    # plotly.js embedded exactly once (its licence banner starts the bundle)
    assert html.count("plotly.js v") == 1


def test_cards_are_coloured_by_the_published_bands(html):
    cards = {a["data-metric"]: a["data-band"] for t, a in parse(html).tags if t == "article" and "data-metric" in a}
    assert cards["cadence_spm"] == "orange"  # 156 spm: Garmin 153-163
    assert cards["vertical_oscillation_cm"] == "red"  # > 11.5 cm
    assert cards["ground_contact_ms"] == "orange"  # 278-308 ms
    assert cards["impact_g"] == "none"  # no published band for trunk impact
    assert set(cards) == {"cadence_spm", "vertical_oscillation_cm", "vertical_ratio_pct", "ground_contact_ms", "impact_g",
                          "trunk_rotation_deg", "gct_balance_left_pct"}


def test_flags_in_plain_words_with_advice_and_the_disclaimer(html, session):
    codes = [a["data-code"] for t, a in parse(html).tags if t == "article" and "data-code" in a]
    assert codes and codes == [f["code"] for f in session.summary["flags"]]
    assert codes[0] == "jarring_gait"
    for flag in session.summary["flags"]:
        assert flag["advice"].replace("'", "&#x27;") in html
    assert "not a diagnosis" in html


def test_bout_table_lists_every_run_interval(html):
    text = " ".join(parse(html).text)
    for i in range(1, 9):
        assert f"run {i}" in text
    assert "run 9" not in text
    assert "Did your form fade?" in text and "cadence-adjusted" in text


def test_device_name_from_a_file_is_shown_as_text_not_run(session):
    evil = "<script>alert(1)</script>"
    out = build_report(session, {"device": evil, "source_file": "<img src=x onerror=alert(2)>.csv",
                                 "start_utc": "</title><script>alert(3)</script>"})
    tags = parse(out)
    assert all(a.get("src") is None and "onerror" not in a for t, a in tags.tags)
    scripts_with_alert = [s for s in re.findall(r"<script[^>]*>(.*?)</script>", out, re.S) if "alert(" in s]
    assert not scripts_with_alert
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert evil in "".join(tags.text)  # the browser shows it as plain text


def test_without_gyro_rotation_is_not_guessed_and_says_so():
    out = build_report(fake_session(has_gyro=False), None)
    cards = {a["data-metric"]: a for t, a in parse(out).tags if t == "article" and "data-metric" in a}
    assert cards["trunk_rotation_deg"]["data-band"] == "none"
    assert "No trunk rotation in this recording" in out
    # no empty time-series row: the subplot title (plotly's JSON escapes the degree sign) is there
    # with a gyroscope only
    title = '"text":"Trunk rotation (\\u00b0)"'
    assert title not in out
    assert title in build_report(fake_session(has_gyro=True), None)


def test_walking_only_session_says_there_is_no_running():
    s = fake_session(plan=[("walk", 0.0, 240.0), ("stand", 240.0, 300.0)], has_gyro=False)
    out = build_report(s, None)
    assert "No running was found in this recording" in out
    assert s.summary["flags"] == []


def test_write_report_and_unwritable_path(tmp_path, session):
    path = write_report(session, None, tmp_path / "r.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(OutputError, match="cannot write: the folder does not exist"):
        write_report(session, None, tmp_path / "missing" / "r.html")


def test_thirty_minute_session_stays_small():
    """30 min of a c25k session (about 4,000 steps): the file is well under 10 MB."""
    s = fake_session()
    assert s.summary["duration_s"] >= 1800 - 1
    size = len(build_report(s, None).encode("utf-8"))
    assert size < 7_000_000, size


def test_trend_reads_the_session_trend_shape():
    from runform.analysis.report._model import read_trend

    flags_shape = {"window_s": 120.0,
                   "first": {"start_s": 300.0, "end_s": 420.0, "steps": 300, "vertical_oscillation_cm": 10.0},
                   "last": {"start_s": 1500.0, "end_s": 1620.0, "steps": 300, "vertical_oscillation_cm": 11.0},
                   "cadence_adjusted_change_pct": {"vertical_oscillation_cm": 9.5}}
    t = read_trend(flags_shape)
    assert t.rows == {"vertical_oscillation_cm": (10.0, 11.0, 9.5)}
    assert t.first_span == (300.0, 420.0) and t.window_s == 120.0
    assert read_trend(None) is None and read_trend({"window_s": 120.0}) is None


def test_step_hover_shows_every_metric_of_that_step_and_bouts_are_shaded(session):
    from runform.analysis.report._figures import steps_figure
    from runform.analysis.report._model import collect

    fig = steps_figure(collect(session))
    dots = [t for t in fig.data if t.mode == "markers"]
    n_steps = len(session.steps["time_s"])
    assert sum(len(t.x) for t in dots) == 5 * n_steps  # every step in each of the five rows
    first = dots[0]
    for label in ("Cadence", "Bounce", "Ground contact", "Impact", "Trunk rotation"):
        assert label in first.hovertemplate
    # the hover values are the step's own values (float32 for drawing only)
    i = int(np.flatnonzero((session.steps["side"] == "L") & (session.steps["bout_kind"] == "run"))[0])
    run_left = next(t for t in dots if t.name == "left foot, running")
    assert run_left.customdata[0][0] == pytest.approx(session.steps["cadence_spm"][i], rel=1e-6)
    assert len(fig.layout.shapes) == len(session.bouts)
