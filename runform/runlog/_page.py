"""The progress and compare pages: one self-contained HTML file each, with the conventions of
``runform report`` (its CSS, palette, plotly layout and configuration, plotly.js embedded once,
every text from a file or the log HTML-escaped, nothing fetched from the network)."""

from __future__ import annotations

from datetime import timedelta, timezone
from html import escape
from importlib import metadata

import numpy as np
import plotly
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from runform.analysis.report._figures import PLOT_CONFIG, ROW_HEIGHT_PX, _base_layout
from runform.analysis.report._page import _plotly_js
from runform.analysis.report._style import ACCENT, CSS, INK, MUTED, SIDE_COLOURS
from runform.runlog._progress import DAYS_PER_WEEK, SERIES, Progress

PROGRESS_TITLE = "Running progress"
COMPARE_TITLE = "Two runs side by side"
#: colours of the earlier and the later week / session (the report's colour-blind-safe pair)
EARLY, LATE = SIDE_COLOURS["L"], SIDE_COLOURS["R"]


def _version() -> str:
    try:
        return metadata.version("runform")
    except metadata.PackageNotFoundError:
        return "(development)"


def page(title: str, subtitle: str, sections: list[str]) -> str:
    """The page shell shared by the progress and compare pages."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style>"
            f'<script type="text/javascript">{_plotly_js()}</script></head><body><main>'
            f'<header class="top"><h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p></header>'
            + "".join(sections)
            + f"<footer>Made by runform {escape(_version())} with plotly {escape(plotly.__version__)}. "
            "This file works offline and loads nothing from the internet.</footer></main></body></html>\n")


def figure_html(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, config=PLOT_CONFIG, div_id=div_id)


def _drawn(progress: Progress) -> list[tuple[str, str, str, int]]:
    return [s for s in SERIES if any(p.values.get(s[0]) is not None for p in progress.sessions)]


def _utc_times(times) -> np.ndarray:
    """Times (UTC, aware or naive) as NumPy datetimes to the second: what the plots draw."""
    return np.array([t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo else t for t in times],
                    "datetime64[s]")


def trend_figure(progress: Progress) -> go.Figure | None:
    """One row per measure: a dot per session, a line through the weekly medians (running minutes:
    the weekly total as bars)."""
    series = _drawn(progress)
    if not series or not progress.sessions:
        return None
    fig = make_subplots(rows=len(series), cols=1, shared_xaxes=True, vertical_spacing=0.035,
                        subplot_titles=[f"{label} ({unit})" + (" per week" if key == "running_min" else "")
                                        for key, label, unit, _ in series])
    first_day = min(p.start for p in progress.sessions).replace(hour=0, minute=0, second=0, microsecond=0)
    for row, (key, label, unit, dec) in enumerate(series, start=1):
        # NumPy arrays, not lists: plotly checks and copies a list element by element (most of the page's
        # time over a thousand sessions), an array at once
        pts = [p for p in progress.sessions if p.values.get(key) is not None]
        weeks = [w for w in progress.weeks if w.values.get(key) is not None]
        mid = _utc_times([first_day + timedelta(days=DAYS_PER_WEEK * (w.week - 1) + DAYS_PER_WEEK / 2) for w in weeks])
        week_values = np.array([w.values[key] for w in weeks], float)
        if key == "running_min":
            fig.add_trace(go.Bar(x=mid, y=week_values, marker_color="rgba(47, 111, 143, 0.35)",
                                 width=DAYS_PER_WEEK * 0.8 * 86400e3, name="running per week",
                                 customdata=np.array([[w.week, w.sessions] for w in weeks], np.int64).reshape(-1, 2),
                                 hovertemplate="week %{customdata[0]}: %{y:.0f} min in %{customdata[1]} runs"
                                               "<extra></extra>"), row=row, col=1)
        else:
            fig.add_trace(go.Scatter(x=mid, y=week_values, mode="lines+markers",
                                     line=dict(color=INK, width=1.8), marker=dict(size=5, color=INK),
                                     name=f"{label}, week median", customdata=np.array([w.week for w in weeks], np.int64),
                                     hovertemplate=f"week %{{customdata}} median: %{{y:.{dec}f}} {unit}"
                                                   "<extra></extra>"), row=row, col=1)
        fig.add_trace(go.Scatter(x=_utc_times([p.start for p in pts]), y=np.array([p.values[key] for p in pts], float),
                                 mode="markers", marker=dict(size=7, color=ACCENT, opacity=0.75), name=label,
                                 customdata=np.array([[p.id, p.week] for p in pts], np.int64).reshape(-1, 2),
                                 hovertemplate=f"session %{{customdata[0]}} (week %{{customdata[1]}}): "
                                               f"%{{y:.{dec}f}} {unit}<extra></extra>"), row=row, col=1)
    _base_layout(fig, ROW_HEIGHT_PX * len(series) + 70)
    fig.update_layout(hovermode="closest")
    fig.update_annotations(font=dict(size=13, color=MUTED), x=0, xanchor="left")
    return fig


def matched_figure(progress: Progress) -> go.Figure | None:
    """Bounce of every step in the matched cadence band, first week against the latest."""
    m = progress.matched
    if m is None:
        return None
    fig = go.Figure()
    for week, values, colour in ((m.first_week, m.first_steps, EARLY), (m.last_week, m.last_steps, LATE)):
        fig.add_trace(go.Box(y=np.asarray(values, np.float32), name=f"week {week}", marker_color=colour,
                             boxpoints="outliers", hovertemplate="%{y:.1f} cm<extra>week " + str(week) + "</extra>"))
    _base_layout(fig, 340)
    fig.update_yaxes(title_text=f"bounce per step (cm), steps at {m.band[0]}–{m.band[1]} spm")
    return fig


def _cell(v, dec: int) -> str:
    return "—" if v is None else f"{v:.{dec}f}"


def weeks_table(progress: Progress) -> str:
    series = _drawn(progress)
    head = "".join(f"<th>{escape(label)} ({escape(unit)})</th>" for _, label, unit, _ in series)
    rows = "".join(f"<tr class=\"run\"><td>week {w.week}</td><td>{w.sessions}</td>"
                   + "".join(f"<td>{_cell(w.values.get(k), d)}</td>" for k, _, _, d in series) + "</tr>"
                   for w in progress.weeks)
    return (f'<div class="table-wrap"><table><thead><tr><th class="text">Week</th><th>Runs</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def sessions_table(progress: Progress) -> str:
    series = _drawn(progress)
    head = "".join(f"<th>{escape(label)} ({escape(unit)})</th>" for _, label, unit, _ in series)
    rows = "".join(f"<tr><td>{p.id}</td><td class=\"text\">{escape(p.start.strftime('%d %b %Y %H:%M'))}</td>"
                   f"<td>{p.week}</td>" + "".join(f"<td>{_cell(p.values.get(k), d)}</td>" for k, _, _, d in series)
                   + f"<td class=\"text\">{escape(', '.join(p.flags) or '—')}</td></tr>"
                   for p in progress.sessions)
    return (f'<div class="table-wrap"><table><thead><tr><th>Id</th><th class="text">Date (UTC)</th><th>Week</th>'
            f'{head}<th class="text">Flags</th></tr></thead><tbody>{rows}</tbody></table></div>')


def progress_html(progress: Progress) -> str:
    """The whole progress page."""
    trend, matched = trend_figure(progress), matched_figure(progress)
    verdict = "".join(f"<p>{escape(line)}</p>" for line in progress.verdict)
    advice = "".join(f"<p><b>Next:</b> {escape(line)}</p>" for line in progress.advice)
    sections = [
        f'<section id="verdict"><h2>Is your running getting lighter?</h2><div class="flag" style="--sev:{ACCENT}">'
        f'{verdict}{advice}</div></section>',
    ]
    if matched is not None:
        sections.append(
            '<section id="matched"><h2>Bounce at the same cadence</h2><p class="lead">Every running step taken '
            "at the same step rate in the first week and in the latest week that has such steps: bounce "
            "depends on cadence, so only steps at the same cadence show whether you run lighter.</p>"
            f'<div class="panel">{figure_html(matched, "fig-matched")}</div></section>')
    if trend is not None:
        sections.append(
            '<section id="weeks"><h2>Week by week</h2><p class="lead">Every dot is one session; the line joins '
            "the weekly medians. Hover a dot for the session's id (<code>runform log show ID</code>).</p>"
            f'<div class="panel">{figure_html(trend, "fig-trend")}</div></section>')
    sections += [
        f'<section id="week-table"><h2>The weeks</h2><div class="panel">{weeks_table(progress)}</div></section>',
        f'<section id="session-table"><h2>The sessions</h2><div class="panel">{sessions_table(progress)}</div></section>',
        '<p class="disclaimer">These are form cues from a chest strap, compared with your own earlier running: '
        "they are not a diagnosis. If something hurts, see a physiotherapist or doctor.</p>",
    ]
    n = len(progress.sessions)
    weeks = len(progress.weeks)
    subtitle = f"{n} session{'s' if n != 1 else ''} over {weeks} week{'s' if weeks != 1 else ''} · log {progress.db}"
    return page(PROGRESS_TITLE, subtitle, sections)


#: per-bout measures drawn on the compare page: (key, label, unit, decimals)
BOUT_SERIES = (("cadence_spm", "cadence", "spm", 0), ("vertical_oscillation_cm", "bounce", "cm", 1),
               ("ground_contact_ms", "ground contact", "ms", 0), ("impact_g", "impact", "g", 2))


def bouts_figure(sides) -> go.Figure | None:
    """Each run interval of both sessions in order, one row per measure (A blue, B orange)."""
    runs = [[b for b in s.summary.get("bouts") or [] if b.get("kind") == "run"] for s in sides]
    if not any(runs):
        return None
    fig = make_subplots(rows=len(BOUT_SERIES), cols=1, shared_xaxes=True, vertical_spacing=0.05,
                        subplot_titles=[f"{label} ({unit})" for _, label, unit, _ in BOUT_SERIES])
    for side, bouts, colour, tag in zip(sides, runs, (EARLY, LATE), "AB"):
        for row, (key, label, unit, dec) in enumerate(BOUT_SERIES, start=1):
            fig.add_trace(go.Scatter(x=list(range(1, len(bouts) + 1)), y=[b.get(key) for b in bouts],
                                     mode="lines+markers", marker=dict(size=7, color=colour),
                                     line=dict(color=colour, width=1.6), name=f"{tag}: {side.label}",
                                     legendgroup=tag, showlegend=False,
                                     hovertemplate=f"{tag}, run interval %{{x}}: %{{y:.{dec}f}} {unit}<extra></extra>"),
                          row=row, col=1)
    _base_layout(fig, ROW_HEIGHT_PX * len(BOUT_SERIES) + 70)
    fig.update_annotations(font=dict(size=13, color=MUTED), x=0, xanchor="left")
    fig.update_xaxes(title_text="run interval", dtick=1, row=len(BOUT_SERIES), col=1)
    return fig


def compare_html(a, b, rows) -> str:
    """The compare page: the measures side by side with the change, and the run intervals of each."""
    def cell(v, fmt):
        return "—" if v is None else escape(fmt.format(v))

    body = "".join(f"<tr><td>{escape(label)}{f' ({escape(unit)})' if unit else ''}</td><td>{cell(x, fmt)}</td>"
                   f"<td>{cell(y, fmt)}</td><td>{cell(None if x is None or y is None else y - x, fmt.replace('+', ''))}"
                   "</td></tr>" for label, unit, x, y, fmt in rows)
    legend = "".join(f'<span><i style="background:{c};border-radius:50%"></i>{tag}: {escape(s.label)} '
                     f"({escape(s.start_utc)})</span>" for s, c, tag in ((a, EARLY, "A"), (b, LATE, "B")))
    flags = "".join(f"<p><b>{tag}</b>: {escape(', '.join(str(f.get('code')) for f in s.summary.get('flags') or []) or 'no flags')}</p>"
                    for s, tag in ((a, "A"), (b, "B")))
    sections = [f'<section id="table"><h2>The measures</h2><p class="key">{legend}</p><div class="panel">'
                f'<div class="table-wrap"><table><thead><tr><th class="text">Measure</th><th>A</th><th>B</th>'
                f"<th>B − A</th></tr></thead><tbody>{body}</tbody></table></div>{flags}</div></section>"]
    fig = bouts_figure((a, b))
    if fig is not None:
        sections.append('<section id="intervals"><h2>Run intervals</h2><p class="lead">Each run interval in order, '
                        f'A in blue and B in orange.</p><div class="panel">{figure_html(fig, "fig-bouts")}</div></section>')
    return page(COMPARE_TITLE, f"A: {a.label} · B: {b.label}", sections)
