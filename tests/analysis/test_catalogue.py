"""The metric catalogue: one definition per metric, read by the docs and every presenter."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from runform.analysis import STEP_COLUMNS, _thresholds
from runform.analysis.catalogue import BY_KEY, METRICS, markdown_table, metric

ROOT = Path(__file__).resolve().parents[2]


def test_metrics_md_table_is_generated_from_the_catalogue():
    text = (ROOT / "docs" / "METRICS.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- catalogue:[^\n]*-->\n(.*?)\n<!-- /catalogue -->", text, re.S)
    assert found, "docs/METRICS.md lost its catalogue markers"
    assert found.group(1) == markdown_table(), (
        "docs/METRICS.md is out of date: replace its table with `python -m runform.analysis.catalogue`")


def test_keys_are_unique_and_step_columns_follow_the_catalogue():
    assert len(BY_KEY) == len(METRICS)
    assert STEP_COLUMNS == tuple(m.key for m in METRICS if m.per_step)
    assert "gct_balance_left_pct" not in STEP_COLUMNS  # a summary figure, not a step column


def test_every_published_band_of_a_catalogued_metric_is_the_thresholds_one():
    for key, (edges, colours) in _thresholds.BANDS.items():
        if key in BY_KEY:
            assert BY_KEY[key].band.edges == tuple(edges) and BY_KEY[key].band.colours == tuple(colours)


@pytest.mark.parametrize("key, value, text", [
    ("cadence_spm", 163.46, "163 spm"), ("vertical_oscillation_cm", 9.75, "9.8 cm"),
    ("trunk_rotation_deg", 12.34, "12.3°"), ("duty_factor", 0.351, "0.35"),
    ("step_time_asymmetry_pct", 2.04, "+2.0 %"), ("impact_g", None, "n/a"), ("impact_g", math.nan, "n/a"),
])
def test_format_uses_the_display_precision_and_unit(key, value, text):
    assert metric(key).format(value) == text


def test_balance_is_banded_on_the_distance_from_even():
    balance = metric("gct_balance_left_pct")
    assert balance.band_of(50.7) == balance.band_of(49.3) == "green"
    assert balance.band_of(53.0) == balance.band_of(47.0) == "red"
    assert metric("impact_g").band_of(9.0) == _thresholds.NO_BAND
