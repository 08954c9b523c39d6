"""Importers on synthetic files that follow the layout of REAL exports found in public repositories.

Every fixture row below is written here (no third-party file is copied); the header, delimiter, number
style, timestamp kind and clock offsets follow the real files named in each section.
"""

from datetime import datetime, timezone

import numpy as np
import pytest

from runform.sensors import load_recording
from runform.sensors.errors import InputError
from runform.sensors.units import DEG_PER_RAD, STANDARD_GRAVITY

# --- Polar Sensor Logger -------------------------------------------------------------------------
# Layout of obss/BIOBSS sample_data/ik_d1_25042022_forearm_left/Polar_Sense_A40F6F28_20220425_113903_ACC.txt
# and sample_data/Polar_files/txt_files/sample_record/Polar_Sense_GYRO.txt (Verity Sense, 52 Hz):
# ISO phone time with ms, sensor ns since 2000-01-01, integer mg, gyro as float32 text, measured period
# 19 340 401 ns, gyro clock 31.6 us before the ACC clock, gyro phone times 0.38 s after the ACC ones.
PSL_ACC = "Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]"
PSL_GYRO = "Phone timestamp;sensor timestamp [ns];X [dps];Y [dps];Z [dps]"
VERITY_PERIOD_NS = 19_340_401
#: 2022-04-25T11:00:00 UTC in ns since the Polar epoch (2000-01-01)
T0_2022_NS = int((datetime(2022, 4, 25, 11, tzinfo=timezone.utc)
                  - datetime(2000, 1, 1, tzinfo=timezone.utc)).total_seconds()) * 10**9
GYRO_CLOCK_OFFSET_NS = -31_633
FLOAT32_TEXT = ("0.35", "0.42000002", "-2.8700001", "0.84000003", "-0.21000001", "1.6800001")


def _phone(i, period_s, start_s=0.0):
    s = start_s + i * period_s
    return f"2022-04-25T11:39:{36 + int(s):02d}.{int(round((s % 1) * 1000)) % 1000:03d}"


def _write_psl(tmp_path, n=300, acc_name="Polar_Sense_A40F6F28_20220425_113903_ACC.txt",
               gyro_name="Polar_Sense_A40F6F28_20220425_113903_GYRO.txt", gyro_skip=0, acc_header=PSL_ACC):
    ticks = T0_2022_NS + np.arange(n, dtype=np.int64) * VERITY_PERIOD_NS
    acc = np.column_stack([-770 + np.arange(n) % 9, 440 + np.arange(n) % 5, np.full(n, -500)])
    rows = [f"{_phone(i, 0.0193)};{t};{x};{y};{z}" for i, (t, (x, y, z)) in enumerate(zip(ticks, acc))]
    acc_path = tmp_path / acc_name
    acc_path.write_text(acc_header + "\n" + "\n".join(rows) + "\n")
    gyro_txt = [FLOAT32_TEXT[i % len(FLOAT32_TEXT)] for i in range(n)]
    if gyro_name:
        rows = [f"{_phone(i, 0.0193, 0.38)};{t + GYRO_CLOCK_OFFSET_NS};{g};0.0;{gyro_txt[-1 - i]}"
                for i, (t, g) in enumerate(zip(ticks, gyro_txt)) if i >= gyro_skip]
        (tmp_path / gyro_name).write_text(PSL_GYRO + "\n" + "\n".join(rows) + "\n")
    return acc_path, acc, np.array([float(g) for g in gyro_txt])


def test_polar_verity_sense_layout_merges_gyro_on_its_own_clock(tmp_path):
    path, acc_mg, gyro = _write_psl(tmp_path)
    rec = load_recording(path)
    assert rec.meta.source_format == "polar_sensor_logger"
    assert rec.meta.device == "Polar Verity Sense A40F6F28" and rec.meta.placement is None
    assert rec.meta.nominal_rate_hz == 52.0
    assert rec.meta.start_utc.startswith("2022-04-25T11:00:00")
    assert len(rec.time) == 300 and np.allclose(rec.acc, acc_mg / 1000.0)
    assert rec.has_gyro and np.allclose(rec.gyro[:, 0], gyro) and np.allclose(rec.gyro[:, 2], gyro[::-1])
    assert np.allclose(np.diff(rec.time), VERITY_PERIOD_NS * 1e-9)
    assert "gyro_not_merged" not in rec.meta.extra


def test_polar_gyro_file_named_a_second_later_and_started_later_is_still_merged(tmp_path):
    path, _, gyro = _write_psl(tmp_path, gyro_name="Polar_Sense_A40F6F28_20220425_113904_GYRO.txt", gyro_skip=10)
    rec = load_recording(path)
    assert rec.has_gyro and rec.meta.extra["gyro_file"].endswith("113904_GYRO.txt")
    assert rec.meta.extra["trimmed_to_gyro"] == 10 and len(rec.time) == 290
    assert np.allclose(rec.gyro[:, 0], gyro[10:])


def test_polar_gyro_of_another_session_is_not_taken(tmp_path):
    path, _, _ = _write_psl(tmp_path, gyro_name="Polar_Sense_A40F6F28_20220425_123903_GYRO.txt")
    assert not load_recording(path).has_gyro


def test_polar_sdk_example_header_with_trailing_space(tmp_path):
    # the Polar BLE SDK example app writes "...;Z [mg] \n" (e.g. polarofficial example code)
    path, acc_mg, _ = _write_psl(tmp_path, acc_name="Polar_H10_1A2B3C4D_20240101_000000_ACC.txt", gyro_name=None,
                                 acc_header=PSL_ACC + " ")
    rec = load_recording(path)
    assert rec.meta.device == "Polar H10 1A2B3C4D" and rec.meta.placement == "chest"
    assert np.allclose(rec.acc, acc_mg / 1000.0)


def test_polar_gyro_file_alone_and_hr_file_are_refused(tmp_path):
    _write_psl(tmp_path)
    with pytest.raises(InputError, match="gyro-only Polar Sensor Logger file"):
        load_recording(tmp_path / "Polar_Sense_A40F6F28_20220425_113903_GYRO.txt")
    hr = tmp_path / "Polar_H10_1A2B3C4D_20240101_000000_HR.txt"
    hr.write_text("Phone timestamp;HR [bpm];HRV [ms];Breathing interval [rpm];\n2024-01-01T00:00:01.000;61\n")
    with pytest.raises(InputError, match="unrecognised file format"):
        load_recording(hr)


# --- Sensor Logger (Kelvin Choi) -------------------------------------------------------------------
# Layout of Santollan/ML-Project---Driving TotalAcceleration.csv, Gyroscope.csv, Metadata.csv (Android,
# app 1.28) and malimsZen/APT3010-AI Metadata.csv (app 1.26.0): integer ns epoch `time`, plain decimals,
# a measured period of 16.846 ms (59.4 Hz) although sampleRateMs says 10, gyro events 3.46 ms after the
# accelerometer events.
SL_HEADER = "time,seconds_elapsed,z,y,x"
SL_META_V1 = ("version,device name,recording epoch time,recording time,recording timezone,platform,appVersion,"
              "device id,sensors,sampleRateMs\n"
              "3,SM-S926U1,1707663721288,2024-02-11_15-02-01,America/New_York,android,1.28,"
              "0a1b2c3d-0000-4000-8000-000000000000,Accelerometer|Gravity|Gyroscope|TotalAcceleration,10|10|10|10")
SL_PERIOD_NS = 16_846_300
SL_T0_NS = 1_707_663_721_345_109_200


def _sl_rows(n, t0, xyz, period_ns=SL_PERIOD_NS):
    t = t0 + np.arange(n, dtype=np.int64) * period_ns
    rows = [f"{ti},{(ti - SL_T0_NS + 57_109_200) / 1e9!r},{float(z)!r},{float(y)!r},{float(x)!r}"
            for ti, (x, y, z) in zip(t, xyz)]
    return SL_HEADER + "\n" + "\n".join(rows) + "\n"


def _sl_files(n=200):
    total = np.column_stack([np.full(n, 0.2360), np.linspace(6.9, 8.7, n), np.full(n, 7.5110)])
    gyro = np.column_stack([np.full(n, -1.1336), np.zeros(n), np.full(n, 0.8619)])
    return total, gyro, {
        "TotalAcceleration.csv": _sl_rows(n, SL_T0_NS, total),
        "Gyroscope.csv": _sl_rows(n, SL_T0_NS + 3_463_100, gyro),
        "Metadata.csv": SL_META_V1 + "\n",
    }


@pytest.mark.parametrize("as_zip", [False, True])
def test_sensor_logger_android_layout(write_export, as_zip):
    total, gyro, files = _sl_files()
    rec = load_recording(write_export("2024-02-11_15-02-01", files, as_zip))
    assert rec.meta.source_format == "sensor_logger"
    assert rec.meta.device == "SM-S926U1 (android)"
    assert rec.meta.start_utc.startswith("2024-02-11T15:02:01.345")
    assert rec.meta.extra["sensor_logger_recording_timezone"] == "America/New_York"
    assert rec.meta.extra["sensor_logger_sampleRateMs"] == "10|10|10|10"
    assert np.allclose(rec.acc, total / STANDARD_GRAVITY)
    assert rec.has_gyro and np.allclose(rec.gyro, gyro * DEG_PER_RAD) and len(rec.time) == 200
    assert np.allclose(np.diff(rec.time), SL_PERIOD_NS * 1e-9)


def test_sensor_logger_newer_metadata_columns(tmp_path):
    _, _, files = _sl_files()
    files["Metadata.csv"] = (
        "version,device name,recording epoch time,recording time,recording timezone,platform,appVersion,"
        "device id,sensors,sampleRateMs,standardisation,platform version\n"
        "3,iPhone 13,1707663721288,2024-02-11_15-02-01,Europe/London,ios,1.40,id,"
        "Accelerometer|Gyroscope,10|10,true,17.2\n")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    rec = load_recording(tmp_path)
    assert rec.meta.device == "iPhone 13 (ios)"
    assert rec.meta.extra["sensor_logger_standardisation"] == "True"
    assert rec.meta.extra["sensor_logger_platform_version"] == "17.2"


@pytest.mark.parametrize("standardised, sign", [("false", -1.0), ("true", 1.0)])
def test_sensor_logger_ios_sign_is_turned_into_specific_force(tmp_path, standardised, sign):
    # iOS writes Accelerometer.csv (no gravity) + Gravity.csv, same event times; without "Standardise
    # Units & Frames" a phone flat on a table has gravity on -z (awesome-sensor-logger COORDINATES.md)
    n = 100
    user = np.column_stack([np.full(n, 0.5), np.zeros(n), np.zeros(n)]) * sign
    grav = np.column_stack([np.zeros(n), np.zeros(n), np.full(n, STANDARD_GRAVITY)]) * sign
    (tmp_path / "Accelerometer.csv").write_text(_sl_rows(n, SL_T0_NS, user))
    (tmp_path / "Gravity.csv").write_text(_sl_rows(n, SL_T0_NS, grav))
    (tmp_path / "Metadata.csv").write_text(
        "version,device name,recording epoch time,recording time,recording timezone,platform,appVersion,"
        f"device id,sensors,sampleRateMs,standardisation,platform version\n3,iPhone 13,1707663721288,"
        f"2024-02-11_15-02-01,Europe/London,ios,1.40,id,Accelerometer|Gravity,10|10,{standardised},17.2\n")
    rec = load_recording(tmp_path)
    assert np.allclose(rec.acc, [0.5 / STANDARD_GRAVITY, 0.0, 1.0])
    assert ("axis_sign" in rec.meta.extra) == (standardised == "false")


def test_sensor_logger_ios_app_1_11_layout(tmp_path):
    # jmandzak/ActivityDetection (iPhone 13, app 1.11): 8-column Metadata.csv without epoch/timezone/
    # standardisation, Accelerometer.csv and Gravity.csv on identical timestamps, gravity near -9.6 on z
    n = 40
    t0 = 1_667_847_356_308_908_000
    grav = np.column_stack([np.full(n, -1.06), np.full(n, 1.62), np.full(n, -9.61)])
    user = np.column_stack([np.full(n, -0.66), np.full(n, -1.17), np.full(n, -1.81)])
    (tmp_path / "Accelerometer.csv").write_text(_sl_rows(n, t0, user, period_ns=1_002_153_000))
    (tmp_path / "Gravity.csv").write_text(_sl_rows(n, t0, grav, period_ns=1_002_153_000))
    (tmp_path / "Metadata.csv").write_text(
        "version,device name,recording time,platform,appVersion,device id,sensors,sampleRateMs\n"
        "3,iPhone 13,2022-11-07_21-41-08,ios,1.11,id,Accelerometer|Gravity|Gyroscope,10|10|10\n")
    rec = load_recording(tmp_path)
    assert rec.meta.device == "iPhone 13 (ios)" and rec.meta.extra["sensor_logger_appVersion"] == "1.11"
    assert np.allclose(rec.acc, -(user + grav) / STANDARD_GRAVITY) and rec.acc[0, 2] > 0.9
    assert rec.meta.start_utc.startswith("2022-11-07T18:55:56.308")


def test_sensor_logger_without_metadata_says_the_sign_is_assumed(tmp_path):
    _, _, files = _sl_files()
    (tmp_path / "TotalAcceleration.csv").write_text(files["TotalAcceleration.csv"])
    assert "platform unknown" in load_recording(tmp_path).meta.extra["axis_sign"]


@pytest.mark.parametrize("name, kind", [("Gyroscope.csv", "gyroscope"), ("Gravity.csv", "gravity")])
def test_sensor_logger_single_non_acceleration_file_is_refused(tmp_path, name, kind):
    _, gyro, _ = _sl_files()
    path = tmp_path / name
    path.write_text(_sl_rows(50, SL_T0_NS, gyro[:50]))
    with pytest.raises(InputError, match=f"Sensor Logger's {kind} file"):
        load_recording(path)


# --- phyphox ---------------------------------------------------------------------------------------
# iOS phyphox 1.1.16 (fileFormat 1.18), one CSV per sensor with axis-only headers and E notation:
# kartof0nix/AIR-math-tools Accelerometer.csv / Gyroscope.csv / meta/time.csv / meta/device.csv
# (semicolon flavour), sannatikk/walking-data-analysis "Linear Accelerometer.csv" (comma flavour).
# Android phyphox 1.2.0: Emz-oamk/FysiikanLP "Linear Acceleration.csv" with named columns.
IOS_ACC = '"Time (s)";"X (m/s^2)";"Y (m/s^2)";"Z (m/s^2)"'
IOS_GYRO = '"Time (s)";"X (rad/s)";"Y (rad/s)";"Z (rad/s)"'
IOS_TIME = ('"event";"experiment time";"system time";"system time text"\n'
            '"START";0.000000000000000E0;1.750385550551921E9;"2025-06-19 22:12:30.552 UTC-04:00"\n'
            '"PAUSE";4.191402833326720E0;1.750385554743303E9;"2025-06-19 22:12:34.743 UTC-04:00"\n')
IOS_DEVICE = ('"property";"value"\n"version";"1.1.16"\n"build";"11317"\n"fileFormat";"1.18"\n'
              '"deviceModel";"iPhone13,4"\n"deviceBrand";"Apple"\n"deviceBoard";""\n"deviceRelease";"18.5"\n')
PHYPHOX_PERIOD_S = 0.0099222


def _e(v: float, decimal=".") -> str:
    return f"{v:.9E}".replace("E+0", "E").replace("E-0", "E-").replace("E+", "E").replace(".", decimal)


def _phyphox_csv(header, t0, n, xyz, sep=";", decimal="."):
    rows = [sep.join(_e(v, decimal) for v in (t0 + i * PHYPHOX_PERIOD_S, *xyz[i])) for i in range(n)]
    return header.replace(";", sep) + "\n" + "\n".join(rows) + "\n"


def _ios_files(n=120):
    acc = np.column_stack([np.full(n, -0.9798), np.linspace(6.1, 6.2, n), np.full(n, 6.8954)])
    lin = acc * 0.01
    gyro = np.column_stack([np.full(n, 6.953e-3), np.full(n, -3.259e-3), np.zeros(n)])
    return acc, gyro, {
        "Accelerometer.csv": _phyphox_csv(IOS_ACC, 1.420416665e-3, n, acc),
        "Linear Accelerometer.csv": _phyphox_csv(IOS_ACC, 1.420416665e-3, n, lin),
        "Gyroscope.csv": _phyphox_csv(IOS_GYRO, 1.420416665e-3 + 0.0009, n, gyro),
        "meta/time.csv": IOS_TIME,
        "meta/device.csv": IOS_DEVICE,
    }


@pytest.mark.parametrize("as_zip", [False, True])
def test_phyphox_ios_per_sensor_export(write_export, as_zip):
    acc, gyro, files = _ios_files()
    rec = load_recording(write_export("Experiment 2025-06-19 22-12-30", files, as_zip))
    assert rec.meta.source_format == "phyphox"
    assert "gravity_removed" not in rec.meta.extra  # Accelerometer.csv (with g) wins over the linear file
    assert np.allclose(rec.acc, acc / STANDARD_GRAVITY)
    assert rec.has_gyro and np.allclose(rec.gyro, gyro * DEG_PER_RAD)
    assert rec.meta.device == "Apple iPhone13,4 (phyphox)" and rec.meta.extra["phyphox_version"] == "1.1.16"
    first = datetime.fromtimestamp(1.750385550551921e9 + 1.420416665e-3, tz=timezone.utc)
    assert abs((datetime.fromisoformat(rec.meta.start_utc) - first).total_seconds()) < 1e-3
    assert np.allclose(np.diff(rec.time), PHYPHOX_PERIOD_S)


def test_phyphox_ios_linear_file_alone_with_meta_folder(tmp_path):
    acc, _, files = _ios_files()
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "time.csv").write_text(files["meta/time.csv"])
    path = tmp_path / "Linear Accelerometer.csv"
    path.write_text(_phyphox_csv(IOS_ACC, 8.126000001e-3, 120, acc * 0.01, sep=","))
    rec = load_recording(path)
    assert rec.meta.source_format == "phyphox" and rec.meta.extra["gravity_removed"] is True
    assert rec.meta.start_utc.startswith("2025-06-20T02:12:30.5")


def test_phyphox_android_named_linear_acceleration_file_in_folder(tmp_path):
    n = 80
    lin = np.column_stack([np.full(n, 0.267), np.full(n, -0.188), np.linspace(0.25, 2.0, n)])
    header = '"Time (s)","Linear Acceleration x (m/s^2)","Linear Acceleration y (m/s^2)","Linear Acceleration z (m/s^2)"'
    (tmp_path / "Linear Acceleration.csv").write_text(_phyphox_csv(header, 7.3708824e-2, n, lin, sep=","))
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "device.csv").write_text(
        '"property","value"\n"version","1.2.0"\n"deviceModel","SM-A366B"\n"deviceBrand","samsung"\n'
        '"accelerometer Name","LSM6DSV Accelerometer"\n"pressure Name","null"\n')
    rec = load_recording(tmp_path)
    assert rec.meta.extra["gravity_removed"] is True and rec.meta.device == "samsung SM-A366B (phyphox)"
    assert np.allclose(rec.acc, lin / STANDARD_GRAVITY)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_phyphox_decimal_comma_with_exponent(tmp_path, sep):
    _, gyro, _ = _ios_files()
    acc = np.column_stack([np.full(60, 4.826846900e-2), np.full(60, -7.002162933e-2), np.full(60, 9.81)])
    path = tmp_path / "Accelerometer.csv"
    path.write_text(_phyphox_csv(IOS_ACC, 3.8228186e-2, 60, acc, sep=sep, decimal=","))
    rec = load_recording(path)
    assert np.allclose(rec.acc, acc / STANDARD_GRAVITY) and np.allclose(np.diff(rec.time), PHYPHOX_PERIOD_S)
