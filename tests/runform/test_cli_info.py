"""``runform info``: what it prints for a canonical file with gyro and a gap, and for --columns."""

import numpy as np

from runform.cli import main
from runform.sensors import Metadata, Recording
from runform.sensors.canonical_csv import write_canonical


def _recording_with_gap():
    t = np.r_[np.arange(0, 10, 0.01), np.arange(70, 80, 0.01)]  # a one-minute hole after 9.99 s
    acc = np.tile([0.0, 0.0, 1.0], (t.size, 1))
    meta = Metadata(device="DIY strap", placement="chest", nominal_rate_hz=100.0, start_utc="2026-11-28T09:00:00+00:00",
                    lost_frames=3)
    return Recording(t, acc, np.zeros((t.size, 3)), meta)


def test_info_reports_format_rates_channels_gaps_and_start(tmp_path, capsys):
    path = write_canonical(_recording_with_gap(), tmp_path / "run.csv")
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    lines = {l.split(None, 1)[0]: l for l in out.splitlines() if l and not l.startswith(" ")}
    assert "canonical" in lines["format"] and "DIY strap" in lines["device"] and "chest" in lines["placement"]
    assert "2026-11-28T09:00:00+00:00" in lines["start"]
    assert "2,000" in lines["samples"]
    assert "nominal 100 Hz, measured 100 Hz" in lines["sample"]
    assert "gyro x, y, z [deg/s]" in lines["channels"]
    assert "1 gap(s), 6,000 missing samples" in lines["gaps"]
    assert "60.010 s from 0:00:09.990 to 0:01:10.000" in out
    assert "3 frames" in lines["losses"]
    assert "duration" in lines and "79.99 s" in lines["duration"]


def test_info_with_columns_mapping(tmp_path, capsys):
    path = tmp_path / "mine.csv"
    path.write_text("ms;ax;ay;az\n" + "\n".join(f"{i * 20};0;0;1000" for i in range(100)) + "\n")
    assert main(["info", str(path), "--columns", "time=ms:ms,acc_x=ax:mg,acc_y=ay:mg,acc_z=az:mg"]) == 0
    out = capsys.readouterr().out
    assert "generic" in out and "measured 50 Hz" in out and "no gyro" in out


def test_info_help_documents_the_mapping(capsys):
    try:
        main(["info", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "CHANNEL=COLUMN[:UNIT]" in out and "rad/s" in out and "sacral_trials" in out
