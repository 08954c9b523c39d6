"""`runform demo` end to end on a shortened session: record through the virtual strap, analyze, report."""

import json

from runform.cli import main


def test_demo_records_analyzes_and_reports(tmp_path, capsys):
    # 5 min walk + first two run intervals: enough running for the jarring flag
    rc = main(["demo", "--dir", str(tmp_path / "demo"), "--duration", "600", "--season-seconds", "75"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "jarring_gait" in out and "not a diagnosis" in out
    summary = json.loads((tmp_path / "demo" / "c25k-session.summary.json").read_text())
    assert summary["running"]["steps"] > 200
    assert [b["kind"] for b in summary["bouts"]].count("run") == 2
    assert "jarring_gait" in [f["code"] for f in summary["flags"]]
    # the phone's simulated GPX gives the running speed and the heart rate (the simulator runs at 2.4 m/s)
    assert (tmp_path / "demo" / "c25k-session.gpx").is_file()
    assert summary["context"]["speed_source"] == "track (GPX)" and summary["context"]["heart_rate_source"] == "track (GPX)"
    assert 2.2 < summary["context"]["speed_mps"] < 2.6
    assert any(n.startswith("track c25k-session.gpx") and "alignment checked" in n for n in summary["notes"])
    html = (tmp_path / "demo" / "c25k-session.report.html").read_text()
    assert '<section id="heart">' in html
    assert "js-plotly" in html or "plotly" in html
    assert (tmp_path / "demo" / "c25k-session.csv").stat().st_size > 0
    # the nine-week season's progress report beside today's report, its verdict printed
    assert "Week 1 to week 9" in out and "cadence 150 → 166 spm" in out
    progress = (tmp_path / "demo" / "progress.html").read_text()
    assert "Is your running getting lighter?" in progress and "fig-trend" in progress


def test_demo_unwritable_folder_is_one_line_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rc = main(["demo", "--dir", str(blocker / "sub"), "--duration", "30"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "cannot create the demo folder" in err
