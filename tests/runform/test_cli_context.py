"""``--speed-kmh`` and ``--mount`` on ``analyze`` and ``report``: the speed context in the text, the JSON and
the report; bad values are one-line errors."""

from __future__ import annotations

import json

import pytest

from runform.cli import main
from runform.firmware_sim.session import simulate
from runform.sensors.canonical_csv import write_canonical


@pytest.fixture(scope="module")
def run_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli_context") / "treadmill.csv"
    write_canonical(simulate("bouncy", duration_s=70.0, rate_hz=52.0, seed=9).recording, path)
    return path


def test_analyze_with_speed_and_mount(run_csv, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["analyze", str(run_csv), "--speed-kmh", "9.36", "--mount", "waist", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "worn on: waist (given) · running speed: 9.36 km/h, 6:25 min/km" in text
    assert "Step length" in text and "Vertical ratio" in text
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["context"]["speed_mps"] == pytest.approx(2.6)
    assert summary["running"]["step_length_m"] == pytest.approx(2.6 * 60 / summary["running"]["cadence_spm"], rel=0.02)


def test_report_shows_the_speed_and_placement(run_csv, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(run_csv), "--speed-kmh", "9.36", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Running speed" in html and "9.36 km/h, 6:25 min/km (given)" in html
    assert 'data-metric="vertical_ratio_pct"' in html


@pytest.mark.parametrize("args, words", [(["--speed-kmh", "0"], "outside 0.5-12 m/s"),
                                         (["--mount", "knee"], "invalid choice")])
def test_bad_values_are_one_line_errors(run_csv, args, words, capsys):
    with pytest.raises(SystemExit) if args[0] == "--mount" else _no_raise():
        code = main(["analyze", str(run_csv), *args])
        assert code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


class _no_raise:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_text_summary_answers_did_my_form_fade():
    from runform.commands.analyze import fade_line

    assert "not enough running" in fade_line(None)
    trend = {"intervals": 8, "window_s": None,
             "cadence_adjusted_change_pct": {"vertical_oscillation_cm": 12.3, "ground_contact_ms": None}}
    assert fade_line(trend) == ("form over the session (first vs last of 8 run intervals, cadence-adjusted): "
                                "bounce +12.3 %; not adjusted for speed (speed unknown)")
    trend["speed_adjusted"] = True
    trend["speed"] = {"first_mps": 2.5, "last_mps": 2.25,
                      "speed_adjusted_change_pct": {"cadence_spm": -6.0, "vertical_ratio_pct": 3.0}}
    assert fade_line(trend).endswith("; speed 9.0 -> 8.1 km/h; beyond what that change predicts: cadence -6.0 %, "
                                     "vertical ratio +3.0 %")
