"""End to end through the virtual strap with BLE frame loss: ``runform record --loss 0.05`` then
``runform analyze`` still finds the run (short gaps are bridged, not split at) and reports the nominal rate."""

from __future__ import annotations

import json

import pytest

from runform.cli import main
from runform.sensors.canonical_csv import read_canonical


@pytest.mark.parametrize("kind", ["movesense", "rfs"])
def test_lossy_recording_still_has_its_run(tmp_path, capsys, kind):
    out = tmp_path / f"{kind}.csv"
    args = ["record", "--simulate", "bouncy", "--kind", kind, "--loss", "0.05", "--duration", "40", "--speed", "20",
            "--seed", "4", "-o", str(out)]
    assert main(args) == 0
    rec = read_canonical(out)
    assert rec.duration_s > 25 and len(rec.meta.gaps) > 8  # frames really were lost
    assert main(["analyze", str(out), "--json", str(tmp_path / "s.json")]) == 0
    capsys.readouterr()
    s = json.loads((tmp_path / "s.json").read_text())
    runs = [b for b in s["bouts"] if b["kind"] == "run"]
    # one run from the end of the stand at the start to the end of the recording: not split at the gaps
    assert len(runs) == 1 and runs[0]["start_s"] < 8 and runs[0]["end_s"] > rec.duration_s - 1
    r = s["running"]
    assert r["steps"] > 0.9 * 148 * (runs[0]["end_s"] - runs[0]["start_s"]) / 60  # bouncy: 148 spm
    assert r["cadence_spm"] == pytest.approx(148, abs=3)
    assert r["vertical_oscillation_cm"] is not None and r["ground_contact_ms"] is not None
    assert s["sample_rate_hz"] == pytest.approx(rec.meta.nominal_rate_hz)
