"""``sensors.tracks``: GPX (written with gpxpy), TCX (real TCX XML) and FIT (written by fit-tool, a
maintained encoder) tracks read into one ``Track``; speed from the file's field, its distance or its
positions, without GPS jumps becoming sprints; damaged files are one-line ``InputError``s."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from runform.sensors.errors import InputError
from runform.sensors.tracks import read_track

START = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.timezone.utc)
M_PER_DEG = 111_195.0


def _gpx(path, lat, lon, times, hr=None, cad=None):
    import xml.etree.ElementTree as ET

    import gpxpy.gpx

    ns = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
    gpx = gpxpy.gpx.GPX()
    gpx.nsmap["gpxtpx"] = ns
    trk, seg = gpxpy.gpx.GPXTrack(), gpxpy.gpx.GPXTrackSegment()
    gpx.tracks.append(trk)
    trk.segments.append(seg)
    for i, (la, lo, t) in enumerate(zip(lat, lon, times)):
        p = gpxpy.gpx.GPXTrackPoint(float(la), float(lo), time=t)
        if hr is not None:
            ext = ET.Element(f"{{{ns}}}TrackPointExtension")
            ET.SubElement(ext, f"{{{ns}}}hr").text = str(int(hr[i]))
            if cad is not None:
                ET.SubElement(ext, f"{{{ns}}}cad").text = str(int(cad[i]))
            p.extensions.append(ext)
        seg.points.append(p)
    path.write_text(gpx.to_xml(), encoding="utf-8")
    return path


def _line(n, speed, every_s=1.0, noise_m=0.0, seed=0):
    """Points heading north at ``speed`` m/s, with a slowly wandering GPS error (AR(1), 30 s)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) * every_s
    err = np.zeros(n)
    phi = np.exp(-every_s / 30.0)
    for i in range(1, n):
        err[i] = phi * err[i - 1] + rng.normal(0, noise_m * np.sqrt(1 - phi ** 2))
    lat = 52.0 + (speed * t + err) / M_PER_DEG
    lon = np.full(n, 4.0)
    times = [START + dt.timedelta(seconds=float(x)) for x in t]
    return lat, lon, times


def test_gpx_speed_from_positions_heart_rate_and_cadence(tmp_path):
    lat, lon, times = _line(300, 2.5, noise_m=3.0)
    path = _gpx(tmp_path / "run.gpx", lat, lon, times, hr=np.full(300, 150), cad=np.full(300, 80))
    track = read_track(path)
    assert track.kind == "GPX" and track.speed_from == "positions"
    assert track.time_utc_s[0] == START.timestamp() and track.time_utc_s.size == 300
    assert np.nanmedian(track.speed_mps) == pytest.approx(2.5, rel=0.03)
    assert np.nanpercentile(track.speed_mps, 95) < 2.5 * 1.25
    assert np.all(track.heart_rate_bpm == 150) and np.all(track.cadence_spm == 160)  # per-foot cad x 2


def test_a_gps_jump_is_not_a_sprint(tmp_path):
    lat, lon, times = _line(300, 2.5)
    lat = lat.copy()
    lat[100] += 150.0 / M_PER_DEG  # one fix 150 m off, and back
    lat[200:] += 80.0 / M_PER_DEG  # the fix re-acquires 80 m further on and stays there
    track = read_track(_gpx(tmp_path / "jumps.gpx", lat, lon, times))
    assert np.nanmax(track.speed_mps) < 3.0
    assert np.nanmedian(track.speed_mps) == pytest.approx(2.5, rel=0.02)


def test_tcx_with_distance_heart_rate_and_run_cadence(tmp_path):
    tpx = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
    rows = []
    for i in range(120):
        when = (START + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        rows.append(f"""<Trackpoint><Time>{when}</Time><DistanceMeters>{2.8 * i:.1f}</DistanceMeters>
          <HeartRateBpm><Value>{140 + i // 60}</Value></HeartRateBpm>
          <Extensions><TPX xmlns="{tpx}"><RunCadence>82</RunCadence></TPX></Extensions></Trackpoint>""")
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Activities><Activity Sport="Running"><Id>{START.isoformat()}</Id>
  <Lap StartTime="{START.isoformat()}"><TotalTimeSeconds>120</TotalTimeSeconds><Track>{''.join(rows)}</Track></Lap>
 </Activity></Activities></TrainingCenterDatabase>"""
    path = tmp_path / "run.tcx"
    path.write_text(xml, encoding="utf-8")
    track = read_track(path)
    assert track.kind == "TCX" and track.speed_from == "the file's distance field"
    assert np.nanmedian(track.speed_mps) == pytest.approx(2.8, rel=0.01)
    assert track.heart_rate_bpm[0] == 140 and track.heart_rate_bpm[-1] == 141
    assert np.all(track.cadence_spm == 164)


def _fit_bytes(n=90, speed=2.6):
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = round(START.timestamp() * 1000)
    builder.add(file_id)
    records = []
    for i in range(n):
        r = RecordMessage()
        r.timestamp = round((START.timestamp() + i) * 1000)
        r.position_lat = 52.0 + speed * i / M_PER_DEG
        r.position_long = 4.0
        r.speed = speed
        r.heart_rate = 150
        r.cadence = 79
        records.append(r)
    builder.add_all(records)
    return builder.build().to_bytes()


def test_fit_speed_heart_rate_and_cadence(tmp_path):
    pytest.importorskip("fit_tool")
    path = tmp_path / "run.fit"
    path.write_bytes(_fit_bytes())
    track = read_track(path)
    assert track.kind == "FIT" and track.speed_from == "the file's speed field"
    assert track.time_utc_s[0] == pytest.approx(START.timestamp())
    assert np.nanmedian(track.speed_mps) == pytest.approx(2.6, abs=0.01)
    assert np.all(track.heart_rate_bpm == 150) and np.all(track.cadence_spm == 158)


def test_a_truncated_fit_is_one_line(tmp_path):
    pytest.importorskip("fit_tool")
    data = _fit_bytes()
    path = tmp_path / "cut.fit"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(InputError, match="damaged or truncated FIT") as err:
        read_track(path)
    assert "\n" not in str(err.value)


def test_a_fit_with_a_damaged_byte_is_refused_whole(tmp_path):
    pytest.importorskip("fit_tool")
    data = bytearray(_fit_bytes())
    data[len(data) // 2] ^= 0x01  # a record's value changed, the length intact: only the CRC tells
    path = tmp_path / "damaged.fit"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged or truncated FIT") as err:
        read_track(path)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("content, message", [
    (b"<gpx version='1.1'><trk><trkseg><trkpt lat='1' lon='2'>", "not a readable GPX"),
    (b"<?xml version='1.0'?><gpx version='1.1' creator='x' xmlns='http://www.topografix.com/GPX/1/1'><trk><trkseg>"
     b"<trkpt lat='1' lon='2'></trkpt><trkpt lat='1.001' lon='2'></trkpt></trkseg></trk></gpx>", "no point with a timestamp"),
    (b"<TrainingCenterDatabase><Activities>", "not a readable TCX"),
    (b"time,lat,lon\n1,2,3\n", "not a GPX, TCX or FIT track"),
    (b"", "not a GPX, TCX or FIT track"),
])
def test_bad_track_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.gpx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_track(path)
    assert "\n" not in str(err.value)


def test_a_folder_a_fifo_and_an_oversized_file_are_one_line(tmp_path, monkeypatch):
    import os

    from runform.sensors import tracks

    fifo = tmp_path / "pipe.gpx"
    os.mkfifo(fifo)
    big = tmp_path / "big.gpx"
    big.write_bytes(b"<gpx>" + b" " * 2000)
    monkeypatch.setattr(tracks, "MAX_TRACK_BYTES", 1000)
    for path, message in ((tmp_path, "is a folder"), (fifo, "FIFO"), (big, "larger than")):
        with pytest.raises(InputError, match=message) as err:
            read_track(path)
        assert "\n" not in str(err.value)
