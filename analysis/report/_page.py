"""The HTML page: header, sections, plotly.js embedded once (offline, no network request)."""

from __future__ import annotations

from datetime import timezone
from functools import lru_cache
from pathlib import Path
from html import escape

import plotly
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from runform.analysis.report import _cards, _figures, _tables
from runform.analysis.report._bands import is_number
from runform.analysis.report._model import META_FIELDS, ReportData
from runform.analysis.placement import SOURCE_GIVEN, SOURCE_RECORDING, SOURCE_WORDS
from runform.analysis.report._style import BOUT_LABELS, BOUT_SHADES, CSS, SIDE_COLOURS, SIDE_NAMES
from runform.sensors.units import parse_utc

TITLE = "Running form report"
#: running/walking time below this (s) is left out of the subtitle (it would read "0:00")
MIN_SHOWN_S = 1.0


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    # the library itself never contains "</script>", which would end the tag early
    js = get_plotlyjs()
    return js.replace("</script", "<\\/script")


def _figure_html(fig: go.Figure | None, div_id: str, empty_note: str) -> str:
    if fig is None:
        return f'<p class="note">{escape(empty_note)}</p>'
    return fig.to_html(full_html=False, include_plotlyjs=False, config=_figures.PLOT_CONFIG, div_id=div_id)


def _start_words(value) -> str:
    """``2026-01-01T07:00:03+00:00`` -> ``1 Jan 2026, 07:00 UTC`` (``units.parse_utc``: naive is UTC); anything
    else as given."""
    t = parse_utc(value)
    if t is None:
        return str(value)
    t = t.astimezone(timezone.utc)
    return f"{t.day} {t:%b %Y, %H:%M} UTC"


def _meta_value(key: str, value) -> str:
    if key == "start_utc":
        return _start_words(value)
    if key == "nominal_rate_hz" and is_number(value):
        return f"{value:g} Hz"
    if key == "source_file":
        return Path(str(value)).name or str(value)
    return str(value)


def _context_items(data: ReportData) -> list[tuple[str, str]]:
    """("Worn on", "waist (from the recording)"), ("Running speed", "8.85 km/h, 6:47 min/km (given)"; or the track's or footpod's name), and where the
    heart rate came from when there is one."""
    ctx = data.context
    if not ctx:
        return []
    where = f"{str(ctx.get('placement', '')).replace('_', ' ')} ({SOURCE_WORDS.get(ctx.get('placement_source'), '')})"
    speed = ctx.get("speed_mps")
    source = {SOURCE_RECORDING: "given when recording"}.get(ctx.get("speed_source"), ctx.get("speed_source") or SOURCE_GIVEN)
    pace = "unknown" if not is_number(speed) else f"{round(3.6 * speed, 2):g} km/h, {ctx.get('pace')} ({source})"
    items = [("Worn on", where), ("Running speed", pace)]
    if ctx.get("heart_rate_source"):
        items.append(("Heart rate from", str(ctx["heart_rate_source"])))
    return items


def _meta_list(data: ReportData) -> str:
    items = []
    context = dict(_context_items(data))
    for label, value in context.items():
        items.append(f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>")
    for key, label in META_FIELDS:
        value = data.meta.get(key)
        if value is None or value == "" or label in context:
            continue
        items.append(f"<div><dt>{escape(label)}</dt><dd>{escape(_meta_value(key, value))}</dd></div>")
    return f'<dl class="meta">{"".join(items)}</dl>' if items else ""


def _subtitle(data: ReportData) -> str:
    s = data.summary
    parts = []
    if is_number(s.get("duration_s")):
        parts.append(f"{_tables.clock(s['duration_s'])} recorded")
    running = data.running
    if is_number(running.get("seconds")) and running["seconds"] >= MIN_SHOWN_S:
        parts.append(f"{_tables.clock(running['seconds'])} running ({running.get('steps', 0)} steps)")
    walking = s.get("walking") or {}
    if is_number(walking.get("seconds")) and walking["seconds"] >= MIN_SHOWN_S:
        parts.append(f"{_tables.clock(walking['seconds'])} walking")
    runs = sum(1 for b in data.bouts if b.get("kind") == "run")
    if runs > 1:
        parts.append(f"{runs} run intervals")
    return " · ".join(parts)


def _legend() -> str:
    swatches = [
        f'<span><i style="background:{SIDE_COLOURS[s]};border-radius:50%"></i>{SIDE_NAMES[s]} foot step</span>'
        for s in ("L", "R")
    ]
    swatches.append('<span><i style="background:#1f2933;height:2px"></i>typical over 15 steps</span>')
    swatches += [
        f'<span><i style="background:{BOUT_SHADES[k]};border:1px solid #d0d5dc"></i>{BOUT_LABELS[k]}</span>'
        for k in ("run", "walk", "stand")
    ]
    return '<p class="legend">' + "".join(swatches) + "</p>"


LEGEND_CSS = """
p.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0 0 6px; font-size: 0.85rem; color: #616e7c; }
p.legend span { display: inline-flex; align-items: center; gap: 6px; }
p.legend i { display: inline-block; width: 14px; height: 10px; }
"""


def _rotation_note(data: ReportData) -> str:
    if data.has_gyro:
        return ('<p class="note">Trunk rotation is measured from the strap\'s gyroscope, once per stride '
                "(two steps); see the trunk-rotation row in the step-by-step chart.</p>")
    return ('<p class="note"><b>No trunk rotation in this recording:</b> the strap has no gyroscope '
            "(for example a Polar H10), and rotation is not guessed from the accelerometer. A strap "
            "with a gyroscope (Movesense, Polar Verity Sense, the DIY strap) measures it.</p>")


def _heart_rate_section(data: ReportData, fig) -> str:
    """The heart-rate chart (only when there is heart rate), with the running median and drift in words."""
    r = data.running
    words = []
    if is_number(r.get("heart_rate_bpm")):
        words.append(f"median {r['heart_rate_bpm']:.0f} bpm while running")
    if is_number(r.get("heart_rate_drift_bpm")):
        words.append(f"{r['heart_rate_drift_bpm']:+.0f} bpm from the first run to the last")
    source = data.heart_rate[2] if data.heart_rate else ""
    return ('<section id="heart"><h2>Heart rate</h2>'
            f'<p class="lead">Your heart rate over the session (from the {escape(source)}), with the same '
            "running, walking and standing bands as above"
            + (f": {escape(', '.join(words))}" if words else "") + ".</p>"
            f'<div class="panel">{_figure_html(fig, "fig-heart", "")}</div></section>')


def render(data: ReportData, version: str) -> str:
    """The whole self-contained page for ``data``."""
    steps_fig = _figures.steps_figure(data)
    stride_fig = _figures.stride_figure(data)
    balance_fig = _figures.balance_figure(data)
    heart_fig = _figures.heart_rate_figure(data)
    sections = [
        '<section id="glance"><h2>Your running at a glance</h2>'
        '<p class="lead">Typical values over all your running steps (walking is left out). '
        "The colour shows how you compare with other runners.</p>"
        f"{_cards.headline_cards(data)}</section>",
        f'<section id="flags"><h2>What stands out</h2>{_cards.flags_block(data)}</section>',
        '<section id="steps"><h2>Step by step</h2>'
        '<p class="lead">Every dot is one step. Shaded bands show when you were running, walking or '
        "standing. Hover a dot to see that step's numbers; drag to zoom, double-click to reset.</p>"
        f'<div class="panel">{_legend()}'
        f'{_figure_html(steps_fig, "fig-steps", "No steps were found in this recording.")}</div></section>',
        *([_heart_rate_section(data, heart_fig)] if heart_fig is not None else []),
        '<section id="stride"><h2>Your average step</h2>'
        '<p class="lead">One step from foot strike to the next, averaged over all your running steps, '
        "left and right feet overlaid. A tall hump in the upper chart is a big bounce; a tall, narrow "
        "peak in the lower one is a hard landing. Left and right should look alike.</p>"
        f'<div class="panel">{_figure_html(stride_fig, "fig-stride", "Not enough running steps to average.")}'
        "</div></section>",
        '<section id="bouts"><h2>Interval by interval</h2>'
        '<p class="lead">Each run and walk in order, so the run intervals of a Couch-to-5K session '
        "can be compared side by side. Dots use the same colours as the cards.</p>"
        f'<div class="panel">{_tables.bouts_table(data)}</div></section>',
        f'<section id="trend"><h2>Did your form fade?</h2><div class="panel">{_tables.trend_table(data)}'
        "</div></section>",
        '<section id="balance"><h2>Left and right</h2>'
        '<p class="lead">How your ground-contact time splits between the feet, on Garmin\'s symmetry '
        "zones (green: good, orange: fair, red: poor). Grey dots are single run intervals.</p>"
        f'<div class="panel">{_figure_html(balance_fig, "fig-balance", "Balance needs running steps on both feet.")}'
        f"{_rotation_note(data)}</div></section>",
    ]
    start = data.meta.get("start_utc")
    title = f"{TITLE} · {_start_words(start)}" if start else TITLE
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(str(title))}</title><style>{CSS}{LEGEND_CSS}</style>"
        f'<script type="text/javascript">{_plotly_js()}</script></head><body><main>'
        f'<header class="top"><h1>{TITLE}</h1><p class="sub">{escape(_subtitle(data))}</p>'
        f"{_meta_list(data)}</header>"
        + "".join(sections)
        + f"<footer>Made by runform {escape(version)} with plotly {escape(plotly.__version__)}. "
        "This file works offline and loads nothing from the internet.</footer>"
        "</main></body></html>\n"
    )
