"""``load_recording`` / ``runform.load`` take a path, an open file object, or a pandas DataFrame."""

import io

import numpy as np
import pandas as pd
import pytest

import runform
from runform.firmware_sim import simulate
from runform.sensors import load_recording
from runform.sensors.canonical_csv import write_canonical
from runform.sensors.errors import InputError


@pytest.fixture(scope="module")
def sim():
    return simulate("easy", duration_s=20, rate_hz=100, seed=5).recording


@pytest.fixture(scope="module")
def csv(sim, tmp_path_factory):
    return write_canonical(sim, tmp_path_factory.mktemp("objects") / "chest_run.csv", write_sidecar=False)


def _same_samples(a, b, acc_tol=1e-6, gyro_tol=1e-4):
    assert len(a) == len(b)
    np.testing.assert_allclose(a.time, b.time, atol=1e-6)
    np.testing.assert_allclose(a.acc, b.acc, atol=acc_tol)
    assert (a.gyro is None) == (b.gyro is None)
    if a.gyro is not None:
        np.testing.assert_allclose(a.gyro, b.gyro, atol=gyro_tol)


def test_binary_and_text_file_objects_read_like_the_path(csv):
    from_path = load_recording(csv)
    with open(csv, "rb") as fh:
        from_binary = runform.load(fh)
    text = io.StringIO(csv.read_text())
    from_text = runform.load(text)
    _same_samples(from_binary, from_path)
    _same_samples(from_text, from_path)
    assert from_binary.meta.source_file == str(csv) and from_binary.meta.to_dict() == from_path.meta.to_dict()
    assert from_text.meta.source_file == "<stream>" and from_text.meta.source_format == "canonical"


def test_a_bad_stream_is_an_input_error_naming_the_stream_not_a_temporary_file():
    with pytest.raises(InputError) as err:
        load_recording(io.BytesIO(b"time_s,acc_x_g,acc_y_g,acc_z_g\n0,0,0,1\n0.01,0,zero,1\n"))
    assert str(err.value).startswith("<stream>: ") and "zero" in str(err.value) and "runform-stream" not in str(err.value)


def test_a_stream_with_a_column_mapping(tmp_path):
    text = "ms;ax;ay;az\n" + "\n".join(f"{i * 20};0;0;1000" for i in range(50)) + "\n"
    rec = load_recording(io.StringIO(text), columns="time=ms:ms,acc_x=ax:mg,acc_y=ay:mg,acc_z=az:mg")
    assert rec.meta.source_format == "generic" and len(rec) == 50 and rec.acc[0, 2] == pytest.approx(1.0)


def test_a_canonical_dataframe_with_time_and_gyro(sim):
    frame = pd.DataFrame({"time_s": sim.time, "acc_x_g": sim.acc[:, 0], "acc_y_g": sim.acc[:, 1],
                          "acc_z_g": sim.acc[:, 2], "gyro_x_dps": sim.gyro[:, 0], "gyro_y_dps": sim.gyro[:, 1],
                          "gyro_z_dps": sim.gyro[:, 2]})
    rec = runform.load(frame)
    _same_samples(rec, sim, acc_tol=0, gyro_tol=0)
    assert rec.meta.source_format == "dataframe" and rec.meta.source_file == "<DataFrame>"
    assert rec.meta.nominal_rate_hz is None and rec.measured_rate_hz == pytest.approx(100)


def test_a_dataframe_without_time_takes_its_rate(sim):
    frame = pd.DataFrame(sim.acc, columns=["acc_x_g", "acc_y_g", "acc_z_g"])
    rec = runform.load(frame, rate_hz=100)
    assert rec.gyro is None and rec.meta.nominal_rate_hz == 100
    np.testing.assert_allclose(rec.time, np.arange(len(sim)) / 100)
    session = runform.analyze(rec)
    assert session.summary["running"]["steps"] > 20


def test_a_dataframe_with_a_datetime_index_and_a_mapping_in_other_units(sim):
    index = pd.date_range("2026-11-28 09:00", periods=len(sim), freq="10ms", tz="Europe/Berlin")
    frame = pd.DataFrame(sim.acc * 9.80665, columns=["ax", "ay", "az"], index=index)
    rec = load_recording(frame, columns="acc_x=ax:m/s2,acc_y=ay:m/s2,acc_z=az:m/s2")
    np.testing.assert_allclose(rec.acc, sim.acc, atol=1e-9)
    np.testing.assert_allclose(rec.time, np.arange(len(sim)) * 0.01, atol=1e-9)
    assert rec.meta.start_utc.startswith("2026-11-28T08:00:00")


@pytest.mark.parametrize("frame, kwargs, words", [
    (pd.DataFrame({"acc_x_g": [0.0, 0.1], "acc_y_g": [0.0, 0.0], "acc_z_g": [1.0, 1.0]}), {}, "rate_hz"),
    (pd.DataFrame({"acc_x_g": [0.0, 0.1], "acc_y_g": [0.0, 0.0], "acc_z_g": [1.0, 1.0]}), {"rate_hz": -5}, "positive"),
    (pd.DataFrame({"ax": [0.0, 0.1], "ay": [0.0, 0.0], "az": [1.0, 1.0]}), {"rate_hz": 50}, "acc_x_g"),
    (pd.DataFrame({"acc_x_g": [0.0, 0.1], "acc_y_g": ["a", "b"], "acc_z_g": [1.0, 1.0]}), {"rate_hz": 50}, "'a'"),
    (pd.DataFrame({"time_s": [0.0, 0.0, 0.01], "acc_x_g": [0.0, 0.1, 0.2], "acc_y_g": [0.0] * 3, "acc_z_g": [1.0] * 3}),
     {}, "time"),
])
def test_a_bad_dataframe_is_one_input_error(frame, kwargs, words):
    with pytest.raises(InputError) as err:
        load_recording(frame, **kwargs)
    message = str(err.value)
    assert message.startswith("<DataFrame>: ") and words in message and "\n" not in message


def test_file_options_are_refused_for_a_dataframe(sim):
    frame = pd.DataFrame(sim.acc, columns=["acc_x_g", "acc_y_g", "acc_z_g"])
    with pytest.raises(TypeError, match="DataFrame"):
        load_recording(frame, format="canonical", rate_hz=100)


def test_a_dataframe_sample_index_with_a_rate_like_a_file(sim):
    frame = pd.DataFrame({"n": np.arange(len(sim)) + 7, "ax": sim.acc[:, 0], "ay": sim.acc[:, 1], "az": sim.acc[:, 2]})
    rec = load_recording(frame, columns="time=n,acc_x=ax,acc_y=ay,acc_z=az", rate_hz=50)
    np.testing.assert_allclose(rec.time, np.arange(len(sim)) / 50)
