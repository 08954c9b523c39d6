"""Colour bands for the headline cards, from the metric catalogue (``analysis.catalogue``: Garmin
Running Dynamics percentile bands for its chest strap or waist pod, as holds where the sensor was worn
(``analysis.placement``), and Garmin's GCT balance; sources in ``analysis/_thresholds.py``)."""

from __future__ import annotations

import math

from runform.analysis.catalogue import BY_KEY
from runform.analysis.report._style import BALANCE_WORDS, BAND_COLOURS, BAND_WORDS, NO_BAND_COLOUR


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def band_name(metric: str, value, placement: str | None = None) -> str | None:
    """The band ("purple" .. "red") for ``metric`` at ``value`` for a sensor worn at ``placement`` (None:
    a chest strap), or None when there is none (no value, or no published band holds)."""
    entry = BY_KEY.get(metric)
    if entry is None or not is_number(value):
        return None
    name = entry.band_of(float(value), placement=placement)
    return name if name in BAND_COLOURS else None


def band_colour(name: str | None) -> str:
    return BAND_COLOURS.get(name or "", NO_BAND_COLOUR)


def band_words(metric: str, name: str | None) -> str | None:
    if name is None:
        return None
    if metric == "gct_balance_left_pct":
        return BALANCE_WORDS.get(name, name)
    return BAND_WORDS.get(name, name)
