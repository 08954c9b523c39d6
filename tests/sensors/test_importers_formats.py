"""Importers on small synthetic files written from each format's documented layout."""


import numpy as np
import pytest

from runform.sensors import load_recording
from runform.sensors.errors import InputError
from runform.sensors.units import DEG_PER_RAD, STANDARD_GRAVITY

POLAR_ACC_HEADER = "Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]"
POLAR_GYRO_HEADER = "Phone timestamp;sensor timestamp [ns];X [dps];Y [dps];Z [dps]"
#: 2024-01-01T00:00:00 UTC in ns since the Polar epoch 2000-01-01
T0_POLAR_NS = 757382400 * 10**9


def _polar(tmp_path, n=400, rate=200.0, gyro=True, gyro_offset_ns=0):
    ticks = T0_POLAR_NS + (np.arange(n) * (1e9 / rate)).astype(np.int64)
    acc = np.column_stack([np.arange(n) % 7, -np.arange(n) % 5, np.full(n, 1000)])
    rows = [f"2024-01-01T00:00:{i / rate:06.3f};{t};{x};{y};{z}" for i, (t, (x, y, z)) in enumerate(zip(ticks, acc))]
    acc_path = tmp_path / "Polar_H10_1A2B3C4D_20240101_000000_ACC.txt"
    acc_path.write_text(POLAR_ACC_HEADER + "\n" + "\n".join(rows) + "\n")
    if gyro:
        g = np.column_stack([np.full(n, 10.5), np.zeros(n), -np.arange(n) * 0.5])
        rows = [f"2024-01-01T00:00:00.000;{t + gyro_offset_ns};{a};{b};{c}" for t, (a, b, c) in zip(ticks, g)]
        (tmp_path / acc_path.name.replace("_ACC", "_GYRO")).write_text(POLAR_GYRO_HEADER + "\n" + "\n".join(rows) + "\n")
    return acc_path, acc, ticks


def test_polar_sensor_logger_acc_and_gyro_merged_by_sensor_time(tmp_path):
    path, acc_mg, _ = _polar(tmp_path, gyro_offset_ns=300_000)  # gyro 0.3 ms later: still the same sample
    rec = load_recording(path)
    assert rec.meta.source_format == "polar_sensor_logger"
    assert rec.meta.device == "Polar H10 1A2B3C4D" and rec.meta.placement == "chest"
    assert rec.meta.nominal_rate_hz == 200.0
    assert rec.meta.start_utc.startswith("2024-01-01T00:00:00")
    assert np.allclose(rec.acc, acc_mg / 1000.0)
    assert rec.has_gyro and np.allclose(rec.gyro[:, 2], -np.arange(400) * 0.5)
    assert np.allclose(np.diff(rec.time), 1 / 200.0)


def test_polar_without_gyro_file_and_detection_ignores_name(tmp_path):
    path, _, _ = _polar(tmp_path, gyro=False)
    other = path.rename(tmp_path / "whatever.dat")
    rec = load_recording(other)
    assert rec.meta.source_format == "polar_sensor_logger" and not rec.has_gyro


def test_polar_sensor_time_wins_over_phone_time(tmp_path):
    path, _, ticks = _polar(tmp_path, gyro=False, n=50)
    text = path.read_text().splitlines()
    # phone arrival times bunch up (BLE batches); sensor times stay regular
    text = [text[0]] + [f"2024-01-01T00:00:01.000;{l.split(';', 2)[1]};{l.split(';', 2)[2]}" for l in text[1:]]
    path.write_text("\n".join(text) + "\n")
    rec = load_recording(path)
    assert np.allclose(rec.time, (ticks - ticks[0]) * 1e-9)


def _sensor_logger_rows(n, t0_ns, rate, xyz):
    t = t0_ns + (np.arange(n) * (1e9 / rate)).astype(np.int64)
    lines = ["time,seconds_elapsed,z,y,x"]
    lines += [f"{ti},{i / rate},{z},{y},{x}" for i, (ti, (x, y, z)) in enumerate(zip(t, xyz))]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("as_zip", [False, True])
def test_sensor_logger_folder_or_zip(write_export, as_zip):
    n, rate, t0 = 300, 100.0, 1_700_000_000 * 10**9
    total = np.column_stack([np.zeros(n), np.full(n, STANDARD_GRAVITY), np.linspace(0, 1, n)])
    gyro = np.column_stack([np.full(n, np.pi), np.zeros(n), np.zeros(n)])
    files = {
        "TotalAcceleration.csv": _sensor_logger_rows(n, t0, rate, total),
        "Accelerometer.csv": _sensor_logger_rows(n, t0, rate, total * 0),
        "Gyroscope.csv": _sensor_logger_rows(n, t0 + 1000, rate, gyro),
        "Metadata.csv": "version,device name,recording time,platform\n3,Pixel 7,2023-11-14_22-13-20,android\n",
    }
    rec = load_recording(write_export("run-2023", files, as_zip, zip_prefix="run-2023/"))
    assert rec.meta.source_format == "sensor_logger"
    assert rec.meta.device == "Pixel 7 (android)"
    assert rec.meta.start_utc.startswith("2023-11-14T22:13:20")
    assert np.allclose(rec.acc[:, 1], 1.0) and np.allclose(rec.acc[:, 2], np.linspace(0, 1, n) / STANDARD_GRAVITY)
    assert np.allclose(rec.gyro[:, 0], 180.0)
    assert "gravity_removed" not in rec.meta.extra


def test_sensor_logger_ios_adds_gravity_back(tmp_path):
    n, t0 = 100, 1_700_000_000 * 10**9
    user = np.column_stack([np.full(n, 1.0), np.zeros(n), np.zeros(n)])
    grav = np.column_stack([np.zeros(n), np.zeros(n), np.full(n, -STANDARD_GRAVITY)])
    (tmp_path / "Accelerometer.csv").write_text(_sensor_logger_rows(n, t0, 100.0, user))
    (tmp_path / "Gravity.csv").write_text(_sensor_logger_rows(n, t0, 100.0, grav))
    rec = load_recording(tmp_path)
    assert np.allclose(rec.acc, [1.0 / STANDARD_GRAVITY, 0.0, -1.0]) and not rec.has_gyro


PHYPHOX_ACC = '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)","Absolute acceleration (m/s^2)"'


@pytest.mark.parametrize("sep, decimal", [(",", "."), (";", ","), ("\t", "."), ("\t", ",")])
def test_phyphox_csv_flavours(tmp_path, sep, decimal):
    header = PHYPHOX_ACC.replace(",", sep)
    rows = [sep.join(f"{v:.6f}".replace(".", decimal) for v in (i * 0.01, 0.1 * i, 0.0, 9.80665, 9.9)) for i in range(50)]
    path = tmp_path / "Raw Data.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    rec = load_recording(path)
    assert rec.meta.source_format == "phyphox"
    assert np.allclose(rec.acc[:, 2], 1.0) and np.allclose(rec.acc[:, 0], 0.1 * np.arange(50) / STANDARD_GRAVITY)
    assert np.allclose(np.diff(rec.time), 0.01)


def test_phyphox_linear_acceleration_flagged_and_gyro_folder(tmp_path):
    lin = '"Time (s)","Linear Acceleration x (m/s^2)","Linear Acceleration y (m/s^2)","Linear Acceleration z (m/s^2)"'
    (tmp_path / "Accelerometer.csv").write_text(lin + "\n" + "\n".join(f"{i * 0.01},0,0,0.5" for i in range(40)) + "\n")
    gy = '"Time (s)","Gyroscope x (rad/s)","Gyroscope y (rad/s)","Gyroscope z (rad/s)"'
    (tmp_path / "Gyroscope.csv").write_text(gy + "\n" + "\n".join(f"{i * 0.01 + 0.001},1,0,0" for i in range(40)) + "\n")
    rec = load_recording(tmp_path)
    assert rec.meta.extra["gravity_removed"] is True
    assert np.allclose(rec.gyro[:, 0], DEG_PER_RAD)


def test_generic_mapping_units_and_sniffed_delimiter(tmp_path):
    path = tmp_path / "mine.tsv"
    rows = [f"{1000 + 5 * i}\t{0.0}\t{STANDARD_GRAVITY}\t0\t{np.pi}\t0\t0" for i in range(30)]
    path.write_text("ts\tax\tay\taz\tgx\tgy\tgz\n" + "\n".join(rows) + "\n")
    cols = "time=ts:ms,acc_x=ax:m/s2,acc_y=ay:m/s2,acc_z=az:m/s2,gyro_x=gx:rad/s,gyro_y=gy:rad/s,gyro_z=gz:rad/s"
    rec = load_recording(path, columns=cols)
    assert rec.meta.source_format == "generic"
    assert np.allclose(np.diff(rec.time), 0.005) and np.allclose(rec.acc[:, 1], 1.0)
    assert np.allclose(rec.gyro[:, 0], 180.0)


def test_generic_mapping_by_column_number_without_header(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text("\n".join(f"{i},{i * 0.02},0,1000" for i in range(10)) + "\n")
    rec = load_recording(path, columns="time=1,acc_x=2:mg,acc_y=2:mg,acc_z=3:mg")
    assert np.allclose(rec.acc[:, 2], 1.0) and rec.duration_s == pytest.approx(0.18)


@pytest.mark.parametrize("mapping, problem", [
    ("time=ts,acc_x=ax", "needs acc_y, acc_z"),
    ("time=ts,acc_x=ax,acc_y=ay,acc_z=az:furlongs", "unknown unit 'furlongs'"),
    ("time=ts,acc_x=ax,acc_y=ay,acc_z=az,gyro_x=gx", "all of gyro_x"),
    ("tim=ts,acc_x=ax,acc_y=ay,acc_z=az", "unknown channel 'tim'"),
    ("time=nope,acc_x=ax,acc_y=ay,acc_z=az", "column 'nope' (for time) not found"),
])
def test_generic_mapping_errors(tmp_path, mapping, problem):
    path = tmp_path / "m.csv"
    path.write_text("ts,ax,ay,az\n0,0,0,1\n1,0,0,1\n")
    with pytest.raises(InputError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_recording(path, columns=mapping)


def test_actigraph_header_block(tmp_path):
    head = ["------------ Data File Created By ActiGraph GT3X+ ActiLife v6.13.4 Firmware v1.7.2 date format M/d/yyyy at 30 Hz  Filter Normal -----------",
            "Serial Number: ABC123", "Start Time 10:00:00", "Start Date 1/2/2024", "Epoch Period (hh:mm:ss) 00:00:00",
            "Download Time 10:10:00", "Download Date 1/2/2024", "Current Memory Address: 0",
            "Current Battery Voltage: 4.18     Mode = 12", "-" * 50, "Timestamp,Accelerometer X,Accelerometer Y,Accelerometer Z"]
    rows = [f"1/2/2024 10:00:{i / 30:06.3f},0.1,-0.9,0.2" for i in range(60)]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(head + rows) + "\n")
    rec = load_recording(path)
    assert rec.meta.device == "ActiGraph ABC123" and rec.meta.nominal_rate_hz == 30.0
    assert rec.meta.extra["start_local"].startswith("2024-01-02 10:00:00")
    assert rec.duration_s == pytest.approx(59 / 30, abs=1e-3)


def test_forced_format_that_does_not_fit(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("ts,ax,ay,az\n0,0,0,1\n1,0,0,1\n")
    with pytest.raises(InputError, match="missing column"):
        load_recording(path, format="polar_sensor_logger")
