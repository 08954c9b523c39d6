"""Colour bands for the headline cards, from ``analysis.flags.band`` (Garmin Running Dynamics
percentile bands for a chest strap, anchors-products.md §1.3; GCT balance §1.4)."""

from __future__ import annotations

import math

from runform.analysis.report._style import BALANCE_WORDS, BAND_COLOURS, BAND_WORDS, NO_BAND_COLOUR


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def band_name(metric: str, value) -> str | None:
    """The band ("purple" .. "red") for ``metric`` at ``value``, or None when there is none
    (no value, or no published band for the metric)."""
    from runform.analysis.flags import band  # written alongside the flags, one source of thresholds

    if not is_number(value):
        return None
    name = band(metric, float(value))
    return name if name in BAND_COLOURS else None


def band_colour(name: str | None) -> str:
    return BAND_COLOURS.get(name or "", NO_BAND_COLOUR)


def band_words(metric: str, name: str | None) -> str | None:
    if name is None:
        return None
    if "balance" in metric:
        return BALANCE_WORDS.get(name, name)
    return BAND_WORDS.get(name, name)
