"""Headline cards (one per metric, coloured by its published band) and the runner's flags."""

from __future__ import annotations

from html import escape

from runform.analysis.catalogue import BY_KEY, Metric, metric
from runform.analysis.flags import FORM_CUE_DISCLAIMER
from runform.analysis.report._bands import band_colour, band_name, band_words, is_number
from runform.analysis.report._model import ReportData
from runform.analysis.report._style import BAND_COLOURS, BAND_PERCENTILES, BAND_WORDS, NO_BAND_COLOUR, SEVERITY_COLOURS


#: one headline card per metric (title, unit, decimals and hint: the catalogue), then the balance card
CARDS = tuple(metric(key) for key in (
    "cadence_spm", "vertical_oscillation_cm", "vertical_ratio_pct", "ground_contact_ms", "impact_g",
    "trunk_rotation_deg"))
STEP_LENGTH = metric("step_length_m")
BALANCE = metric("gct_balance_left_pct")
ASYMMETRY = metric("step_time_asymmetry_pct")

NO_GYRO_HINT = "Needs a strap with a gyroscope; this recording has none, so it is not guessed."
NO_RUNNING_HINT = "No running was found in this recording."
NO_BAND_HINT = "no published band"
NO_SPEED_HINT = "Needs your running speed (runform analyze/report --speed-kmh KMH); not guessed."

BANDS_NOTE = (
    "The colours compare you with other runners (Garmin's published percentile bands for its chest "
    "strap or waist pod, as holds where the sensor was worn; none for a hip or neck pouch), not with "
    "what is safe for you."
)
DISCLAIMER = f"{FORM_CUE_DISCLAIMER} {BANDS_NOTE}"


def _card(title: str, value_html: str, band_metric: str, band: str | None, hint: str,
          value_class: str = "value") -> str:
    words = band_words(band_metric, band)
    colour = band_colour(band) if words else NO_BAND_COLOUR
    pill = f'<span class="band">{escape(words)}</span>' if words else ""
    return (
        f'<article class="card" style="--band: {colour}" data-metric="{escape(band_metric)}"'
        f' data-band="{escape(band or "none")}">'
        f'<h3>{escape(title)}</h3><p class="{value_class}">{value_html}</p>{pill}'
        f'<p class="hint">{escape(hint)}</p></article>'
    )


def _metric_card(m: Metric, data: ReportData) -> str:
    value = data.running.get(m.key)
    hint = m.hint
    if m.key == "trunk_rotation_deg" and not data.has_gyro:
        hint = NO_GYRO_HINT
    elif not data.running.get("steps"):
        hint = NO_RUNNING_HINT
    elif m.key == "vertical_ratio_pct":
        step = data.running.get(STEP_LENGTH.key)
        hint = (f"{hint} Step length {STEP_LENGTH.format(step)} at {data.context.get('pace')}."
                if is_number(value) and is_number(step) else NO_SPEED_HINT)
    band = band_name(m.key, value, data.placement)
    shown = f"{m.number(value)}<small>{escape(m.unit)}</small>" if is_number(value) else "—"
    if is_number(value) and band is None:
        hint = f"{hint} ({NO_BAND_HINT})"
    return _card(m.label, shown, m.key, band, hint)


def _balance_card(data: ReportData) -> str:
    left = data.running.get(BALANCE.key)
    band = band_name(BALANCE.key, left, data.placement)
    if is_number(left):
        shown = f"{BALANCE.number(left)}<small>% L</small> {BALANCE.number(100.0 - left)}<small>% R</small>"
    else:
        shown = "—"
    asym = data.running.get("step_time_asymmetry_pct")
    hint = BALANCE.hint if data.running.get("steps") else NO_RUNNING_HINT
    if is_number(asym):
        hint += f" Step-time difference between feet: {abs(asym):.{ASYMMETRY.decimals}f} %."
    return _card(BALANCE.label, shown, BALANCE.key, band, hint, value_class="value pair")


def band_key() -> str:
    """One line naming each band colour and the share of runners it stands for."""
    items = "".join(
        f'<span><i style="background:{BAND_COLOURS[b]}"></i>{escape(BAND_WORDS[b])}: {escape(BAND_PERCENTILES[b])}</span>'
        for b in BAND_COLOURS
    )
    return f'<p class="key">{items}<span>of runners (Garmin\'s data)</span></p>'


def headline_cards(data: ReportData) -> str:
    cards = [_metric_card(spec, data) for spec in CARDS] + [_balance_card(data)]
    return '<div class="cards">' + "".join(cards) + "</div>" + band_key()


def unit_of(key: str) -> str:
    """The unit written after a flag's value: the catalogue's, or " %" for a share or change in %
    (``jarring_steps_pct``, ``*_change_pct``), else none."""
    if key in BY_KEY:
        return BY_KEY[key].unit_suffix
    return " %" if key.endswith("_pct") else ""


def _flag_title(code: str) -> str:
    return code.replace("_", " ").strip().capitalize()


def _flag(flag: dict) -> str:
    severity = str(flag.get("severity") or "info")
    colour = SEVERITY_COLOURS.get(severity.lower(), SEVERITY_COLOURS["info"])
    parts = [
        f'<article class="flag" style="--sev: {colour}" data-code="{escape(str(flag.get("code", "")))}">',
        f'<span class="title">{escape(_flag_title(str(flag.get("code", ""))))}</span>',
        f'<span class="sev">{escape(severity)}</span>',
    ]
    if flag.get("message"):
        parts.append(f"<p>{escape(str(flag['message']))}</p>")
    if flag.get("advice"):
        parts.append(f'<p class="advice">{escape(str(flag["advice"]))}</p>')
    value, threshold = flag.get("value"), flag.get("threshold")
    unit = unit_of(str(flag.get("metric") or ""))
    if is_number(value) or flag.get("source"):
        measured = f"Measured {value:.4g}{unit}" if is_number(value) else ""
        limit = f" against a threshold of {threshold:.4g}{unit}" if is_number(threshold) else ""
        source = f" ({flag['source']})" if flag.get("source") else ""
        parts.append(f'<p class="source">{escape(measured + limit + source)}</p>')
    parts.append("</article>")
    return "".join(parts)


def notes_block(data: ReportData) -> str:
    """``summary["notes"]``: what reading and analysing this recording could not do or changed (a
    metric the sample rate cannot resolve, samples removed as out of range, which trial, ...)."""
    notes = [str(n) for n in data.summary.get("notes") or []]
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f'<div class="notes"><p class="note">About this recording:</p><ul>{items}</ul></div>'


def flags_block(data: ReportData) -> str:
    """The runner's flags in plain words with advice, the notes on the recording, then the disclaimer."""
    flags = data.flags
    if flags:
        body = '<div class="flags">' + "".join(_flag(f) for f in flags) + "</div>"
    elif data.running.get("steps"):
        body = '<p class="ok">No form flags were raised for your running in this session.</p>'
    else:
        body = f'<p class="note">{escape(NO_RUNNING_HINT)} Running form cues need running.</p>'
    return body + notes_block(data) + f'<p class="disclaimer">{escape(DISCLAIMER)}</p>'
