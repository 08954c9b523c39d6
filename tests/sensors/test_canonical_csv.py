import numpy as np
import pytest

from runform.sensors import Gap, Metadata, Recording
from runform.sensors.canonical_csv import read_canonical, sidecar_path, write_canonical
from runform.sensors.errors import InputError


def _rec(n=500, gyro=True, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 100.0
    acc = rng.normal(0, 1, (n, 3))
    gy = rng.normal(0, 100, (n, 3)) if gyro else None
    meta = Metadata(device="test", placement="chest", nominal_rate_hz=100.0, start_utc="2026-11-28T09:00:00+00:00")
    return Recording(t, acc, gy, meta)


@pytest.mark.parametrize("gyro", [True, False])
def test_round_trip_exact_to_written_precision(tmp_path, gyro):
    rec = _rec(gyro=gyro)
    p = write_canonical(rec, tmp_path / "run.csv")
    back = read_canonical(p)
    assert np.array_equal(back.time, np.round(rec.time, 6))
    assert np.array_equal(back.acc, np.round(rec.acc, 6))
    if gyro:
        assert np.array_equal(back.gyro, np.round(rec.gyro, 4))
    else:
        assert back.gyro is None
    assert back.meta.device == "test" and back.meta.nominal_rate_hz == 100.0
    assert sidecar_path(p).name == "run.meta.json"


def test_csv_loads_without_sidecar_and_finds_gaps(tmp_path):
    rec = _rec(gyro=False)
    keep = np.r_[0:200, 260:500]  # 0.6 s hole
    rec = Recording(rec.time[keep], rec.acc[keep], None, rec.meta)
    p = write_canonical(rec, tmp_path / "g.csv", write_sidecar=False)
    back = read_canonical(p)
    assert back.meta.gaps == [Gap(1.99, 2.6, 60, "timestamps")]


def test_duplicate_timestamp_reported_with_row(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("time_s,acc_x_g,acc_y_g,acc_z_g\n0,0,0,1\n0.01,0,0,1\n0.01,0,0,1\n0.02,0,0,1\n")
    with pytest.raises(InputError, match=r"duplicate timestamp.*\(row 4\)"):
        read_canonical(p)
