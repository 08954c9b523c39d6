"""Polar Sensor Logger's ``_HR.txt`` beside the ``_ACC.txt``: read into the heart-rate side channel on the
recording's clock (headers as the app writes them: ``Phone timestamp;HR [bpm]`` from a Verity Sense, obss/BIOBSS
sample_data; ``Phone timestamp;HR [bpm];HRV [ms];Breathing interval [rpm];`` from an H10)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from runform.sensors import load_recording
from runform.sensors.loading import input_files

ACC_HEADER = "Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]"
#: 2024-01-01T00:00:00 UTC in ns since the Polar epoch 2000-01-01
T0_POLAR_NS = 757382400 * 10**9
PHONE_T0 = dt.datetime(2024, 1, 1, 9, 30, 0)  # the phone's local time, no zone
#: phone times arrive this late (BLE delivery)
DELAY_S = 0.3


def _stamp(seconds: float) -> str:
    return (PHONE_T0 + dt.timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def _acc(tmp_path, seconds=120, rate=25.0, name="Polar_H10_1A2B3C4D_20240101_093000_ACC.txt"):
    n = int(seconds * rate)
    ticks = T0_POLAR_NS + (np.arange(n) * (1e9 / rate)).astype(np.int64)
    rows = [f"{_stamp(i / rate + DELAY_S)};{t};{i % 7};{-(i % 5)};1000" for i, t in enumerate(ticks)]
    path = tmp_path / name
    path.write_text(ACC_HEADER + "\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("header, row", [
    ("Phone timestamp;HR [bpm]", "{t};{bpm}"),
    ("Phone timestamp;HR [bpm];HRV [ms];Breathing interval [rpm];", "{t};{bpm};;;"),
])
def test_the_hr_file_beside_the_acc_file_is_the_heart_rate(tmp_path, header, row):
    acc = _acc(tmp_path)
    seconds = np.arange(0, 120, 1.0)
    bpm = np.where(seconds < 10, 0, 100 + seconds // 2).astype(int)  # 0: no reading yet
    lines = [row.format(t=_stamp(s + DELAY_S), bpm=b) for s, b in zip(seconds, bpm)]
    hr_path = tmp_path / acc.name.replace("_ACC", "_HR")
    hr_path.write_text(header + "\n" + "\n".join(lines) + "\n")
    rec = load_recording(acc)
    hr = rec.meta.extra["heart_rate"]
    assert hr["time_s"][0] == pytest.approx(10.0, abs=0.05)  # the zeros left out, on the recording's clock
    assert len(hr["bpm"]) == 110 and hr["bpm"][0] == 105 and hr["bpm"][-1] == 159
    assert hr_path in input_files(acc, rec)  # never overwritten by an output


def test_an_hr_file_of_another_device_is_not_taken(tmp_path):
    acc = _acc(tmp_path)
    (tmp_path / "Polar_H10_99999999_20240101_093000_HR.txt").write_text("Phone timestamp;HR [bpm]\n"
                                                                          f"{_stamp(1)};120\n{_stamp(2)};121\n")
    assert "heart_rate" not in load_recording(acc).meta.extra


def test_an_hr_file_of_the_session_started_separately_is_found_by_its_name_time(tmp_path):
    acc = _acc(tmp_path)
    (tmp_path / "Polar_H10_1A2B3C4D_20240101_093004_HR.txt").write_text(
        "Phone timestamp;HR [bpm]\n" + "\n".join(f"{_stamp(s)};{130}" for s in range(5, 60)) + "\n")
    rec = load_recording(acc)
    assert rec.meta.extra["heart_rate"]["bpm"][0] == 130
    assert rec.meta.extra["heart_rate"]["time_s"][0] == pytest.approx(5 - DELAY_S, abs=0.05)


def test_info_names_the_heart_rate_and_its_file(tmp_path, capsys):
    from runform.cli import main

    acc = _acc(tmp_path)
    (tmp_path / acc.name.replace("_ACC", "_HR")).write_text(
        "Phone timestamp;HR [bpm]\n" + "\n".join(f"{_stamp(s)};{120 + s % 5}" for s in range(120)) + "\n")
    assert main(["info", str(acc)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("heart rate"))
    assert "120 readings" in line and "120-124 bpm" in line and acc.name.replace("_ACC", "_HR") in line
