"""Every recording in ../shared/data/real loads through load_recording with detection alone."""

import numpy as np
import pytest

from runform.sensors import load_recording

#: (relative path, expected format, expected nominal rate or None, placement)
REAL_RECORDINGS = [
    ("actigraph_waist_harlab/028waist.csv", "actigraph", 100.0, "waist"),
    ("alcantara_sacral_treadmill/Accelerometer_trials.csv", "sacral_trials", 500.0, "sacrum"),
    ("alcantara_sacral_treadmill/Accelerometer_trials.csv#trial=24", "sacral_trials", 500.0, "sacrum"),
    ("alcantara_sacral_treadmill/Sample_test_data.csv", "shimmer", 512.0, None),
    *[(f"hexoskin_harlab/hexoskin_{i}_acc.csv", "hexoskin", 64.0, "chest") for i in ("003", "004", "008", "010", "012")],
    *[(f"oxford_stepcounter_neckpouch/{n}_accelerometer.csv", "android_neckpouch", None, "neck")
      for n in ("Pixel_Jamie_Hard_NeckPouch_1", "Samsung_Carmelo_Hard_NeckPouch_1", "Samsung_Dario_Hard_NeckPouch_1")],
    ("oxford_stepcounter_neckpouch/user1_neckpouch_1506422851785.csv", "android_neckpouch", None, "neck"),
]


@pytest.mark.real_data
@pytest.mark.parametrize("rel, fmt, rate, placement", REAL_RECORDINGS, ids=[r[0] for r in REAL_RECORDINGS])
def test_real_recording_loads(real_dir, rel, fmt, rate, placement):
    rec = load_recording(f"{real_dir}/{rel}")
    assert rec.meta.source_format == fmt
    assert rec.meta.nominal_rate_hz == rate
    assert rec.meta.placement == placement
    assert len(rec) > 1000 and rec.time[0] == 0.0 and np.all(np.diff(rec.time) > 0)
    if rate:
        assert rec.measured_rate_hz == pytest.approx(rate, rel=0.01)
    # units are g: the mean magnitude over the recording is about 1 g (gravity), whatever the source unit
    assert 0.5 < np.median(np.linalg.norm(rec.acc, axis=1)) < 1.6


@pytest.mark.real_data
def test_every_real_folder_has_a_loaded_recording(real_dir):
    covered = {r[0].split("/")[0] for r in REAL_RECORDINGS}
    folders = {p.name for p in real_dir.iterdir() if p.is_dir()}
    # polar_pmd_acc_vectors holds BLE notification bytes (JSON), decoded by the PMD codec, not a file importer
    assert folders - covered <= {"polar_pmd_acc_vectors"}


@pytest.mark.real_data
def test_oxford_repeated_records_are_reported_not_hidden(real_dir):
    rec = load_recording(f"{real_dir}/oxford_stepcounter_neckpouch/user1_neckpouch_1506422851785.csv")
    assert rec.meta.extra["repeated_records"]["rows"] == [715, 6715]
    assert rec.meta.start_utc.startswith("2017-09-26T10:47:31")
    assert len(rec.meta.gaps) == 2  # the holes after the repeats stay holes


@pytest.mark.real_data
def test_hexoskin_counts_scaled_and_time_snapped(real_dir):
    rec = load_recording(f"{real_dir}/hexoskin_harlab/hexoskin_003_acc.csv")
    assert np.allclose(rec.acc[0], np.array([-58, -124, -217]) / 256.0)
    assert np.allclose(np.diff(rec.time), 1 / 64.0)


@pytest.mark.real_data
def test_sacral_trial_selection_and_subject_info(real_dir):
    path = f"{real_dir}/alcantara_sacral_treadmill/Accelerometer_trials.csv"
    a, b = load_recording(path + "#trial=0"), load_recording(path + "#trial=1")
    assert not np.array_equal(a.acc, b.acc)
    assert (a.meta.extra["speed_m_s"], a.meta.extra["slope_pct"]) == (2.5, 10.0)
    assert a.meta.extra["absent_channels"] == ["acc_y"] and not a.acc[:, 1].any()
