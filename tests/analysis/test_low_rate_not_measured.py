"""Issue 11, item 7: metrics a sample rate cannot resolve are null with a reason, not guessed."""

from __future__ import annotations

from runform.analysis import analyze
from runform.firmware_sim import simulate
from runform.sensors import Recording


def _decimated(rate_hz: float):
    r = simulate("easy", duration_s=90, rate_hz=100, seed=1).recording
    k = int(round(100 / rate_hz))
    rec = Recording(r.time[::k], r.acc[::k], r.gyro[::k], r.meta)
    rec.meta.nominal_rate_hz = 100.0 / k
    return rec


def test_a_10_hz_recording_reports_cadence_but_not_contact_or_impact():
    s = analyze(_decimated(10)).summary
    run = s["running"]
    assert run["steps"] > 100 and 150 < run["cadence_spm"] < 200
    for key in ("ground_contact_ms", "flight_ms", "duty_factor", "gct_balance_left_pct", "impact_g", "impact_slope_g_per_s"):
        assert run[key] is None, key
        assert s["not_measured"][key] == "needs at least 20 Hz; this recording is 10 Hz"
    assert any(n.startswith("ground contact, flight time") and "not reported" in n for n in s["notes"])
    assert all(b["ground_contact_ms"] is None and b["impact_g"] is None for b in s["bouts"])


def test_a_25_hz_recording_keeps_them():
    s = analyze(_decimated(25)).summary
    assert s["running"]["ground_contact_ms"] is not None and s["running"]["impact_g"] is not None
    assert s["not_measured"] == {}


def test_the_report_says_why_a_metric_is_missing():
    from runform.analysis.report import build_report

    html = build_report(analyze(_decimated(10)), None)
    assert "About this recording:" in html
    assert "ground contact, flight time, duty factor and contact balance: not reported; needs at least 20 Hz" in html


def test_analyze_json_and_text_carry_what_reading_changed(tmp_path, capsys):
    import json

    from runform.cli import main
    from runform.sensors.canonical_csv import write_canonical

    rec = simulate("easy", duration_s=60, rate_hz=100, seed=2).recording
    rec.acc[3000, 1] = 1e10
    path = write_canonical(rec, tmp_path / "spike.csv", write_sidecar=False)
    out = tmp_path / "s.json"
    assert main(["analyze", str(path), "--json", str(out)]) == 0
    note = "1 sample(s) beyond the sensor's range (|acc| > 400 g) removed and recorded as gaps"
    assert f"note: {note}" in capsys.readouterr().out
    assert note in json.loads(out.read_text())["notes"]
