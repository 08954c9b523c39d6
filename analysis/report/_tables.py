"""HTML tables: the bouts side by side, and the within-session trend (first vs last minutes)."""

from __future__ import annotations

from html import escape

from runform.analysis.catalogue import Metric, metric
from runform.analysis.report._bands import band_colour, band_name, is_number
from runform.analysis.report._model import ReportData
from runform.analysis.report._style import BOUT_LABELS

#: bout table metric columns after the step count (headers, units, decimals: the catalogue); a
#: coloured dot shows the band where one exists
BOUT_COLUMNS = tuple(metric(key) for key in (
    "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "flight_ms", "impact_g", "trunk_rotation_deg",
    "gct_balance_left_pct", "step_length_m", "vertical_ratio_pct", "heart_rate_bpm"))
#: trend rows, in order
TREND_ROWS = tuple(metric(key) for key in ("cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g"))


def clock(seconds) -> str:
    """``m:ss`` (or ``h:mm:ss``) from seconds."""
    if not is_number(seconds):
        return "—"
    total = int(round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _cell(m: Metric, value, banded: bool = True, placement: str | None = None) -> str:
    """A number cell; with ``banded`` a dot in the metric's band colour at ``placement`` (running values
    only: the bands are for running, a walking cadence is not a "red" cadence)."""
    if not is_number(value):
        return "<td>—</td>"
    band = band_name(m.key, value, placement) if banded else None
    dot = f'<span class="dot" style="background:{band_colour(band)}"></span>' if band else ""
    return f"<td>{dot}{m.number(value)}</td>"


def bouts_table(data: ReportData) -> str:
    """One row per bout (run rows bold, walk/stand muted); run intervals are numbered."""
    if not data.bouts:
        return '<p class="note">No bouts were found.</p>'
    head = "<th>Steps</th>" + "".join(f"<th>{escape(m.label)} ({escape(m.unit)})</th>" for m in BOUT_COLUMNS)
    rows = []
    run_number = 0
    for bout in data.bouts:
        kind = str(bout.get("kind", ""))
        label = BOUT_LABELS.get(kind, kind)
        if kind == "run":
            run_number += 1
            label = f"run {run_number}"
        start, end = bout.get("start_s"), bout.get("end_s")
        duration = end - start if is_number(start) and is_number(end) else None
        steps = bout.get("steps")
        cells = f"<td>{steps:d}</td>" if isinstance(steps, int) else "<td>—</td>"
        cells += "".join(_cell(m, bout.get(m.key), banded=kind == "run", placement=data.placement)
                         for m in BOUT_COLUMNS)
        rows.append(
            f'<tr class="{escape(kind)}"><td class="text">{escape(label)}</td>'
            f'<td class="text">{clock(bout.get("start_s"))}</td><td>{clock(duration)}</td>{cells}</tr>'
        )
    return (
        '<div class="table-wrap"><table class="bouts"><thead><tr><th>Bout</th><th class="text">Starts at</th>'
        f"<th>Lasts</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _change_words(pct) -> str:
    if not is_number(pct):
        return "—"
    return f"{pct:+.1f} %"


def trend_table(data: ReportData) -> str:
    """First vs last running window, with the cadence-adjusted change (in %)."""
    trend = data.trend
    rows = [m for m in TREND_ROWS if trend and m.key in trend.rows]
    if not rows:
        return ('<p class="note">Not enough running to compare the first and last minutes '
                "(about eight minutes of continuous running, or three run intervals, are needed).</p>")
    body = []
    for m in rows:
        first, last, change = trend.rows[m.key]
        adjusted = "—" if m.key == "cadence_spm" else _change_words(change)
        body.append(f'<tr><td class="text">{escape(m.label)} ({escape(m.unit)})</td>'
                    f"{_cell(m, first, placement=data.placement)}"
                    f"{_cell(m, last, placement=data.placement)}<td>{adjusted}</td></tr>")

    def head(name, span):
        return f"<th>{name} ({clock(span[0])}–{clock(span[1])})</th>" if span else f"<th>{name}</th>"

    window = trend.window_s
    window_words = (f"first and last of {trend.intervals} run intervals" if trend.intervals
                    else f"first and last {window / 60:.0f} minutes of running" if is_number(window)
                    else "first and last minutes of running")
    return (
        f'<p class="lead">Your {escape(window_words)} (walk breaks not counted). The change allows for '
        "any change in cadence, so it shows form fading rather than just slowing down. "
        f"{escape(trend.speed_text[:1].upper() + trend.speed_text[1:])}.</p>"
        '<div class="table-wrap"><table class="trend"><thead><tr><th>Metric</th>'
        f'{head("First", trend.first_span)}{head("Last", trend.last_span)}'
        f"<th>Change, cadence-adjusted</th></tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
