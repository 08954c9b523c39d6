"""One definition of ISO 8601 date-times (``sensors.units``): ``parse_utc`` for a start time (the recording's
``start_utc``, the run log, the track alignment, the simulator's GPX, the report) and ``iso_posix_seconds``
for a column of them (TCX tracks, the Polar Sensor Logger's phone times)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from runform.sensors.units import iso_posix_seconds, parse_utc

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, expected", [
    ("2026-11-28T09:00:00Z", T0),
    ("2026-11-28T09:00:00+00:00", T0),
    ("2026-11-28T10:30:00+01:30", T0),
    ("2026-11-28T09:00:00", T0),  # naive: UTC
    ("2026-11-28T09:00:00.250Z", T0 + timedelta(milliseconds=250)),
    ("2026-11-28T09:00:00.5Z", T0 + timedelta(milliseconds=500)),  # one fraction digit
    ("2026-11-28T10:00:00+0100", T0),  # an offset without a colon
    (" 2026-11-28T09:00:00Z ", T0),
    (None, None), ("", None), ("yesterday", None), ("2026-13-01T00:00:00", None),
])
def test_parse_utc_reads_a_start_time_with_a_zone_an_offset_or_none(text, expected):
    got = parse_utc(text)
    assert got == expected
    assert got is None or got.utcoffset() == timedelta(0)  # in UTC, whatever offset it was written with


def test_iso_posix_seconds_reads_a_column_naive_as_utc_blanks_ignored_and_nan_where_unreadable():
    texts = ["2026-11-28T09:00:00Z", " 2026-11-28T10:00:01+01:00 ", "2026-11-28T09:00:02.5", "not a time", None, ""]
    got = iso_posix_seconds(texts)
    t0 = T0.timestamp()
    np.testing.assert_array_equal(got[:3], [t0, t0 + 1.0, t0 + 2.5])
    assert np.isnan(got[3:]).all() and got.dtype == np.float64


def test_phone_times_without_a_zone_keep_their_differences():
    """The Polar Sensor Logger's phone times are local, without a zone: only their differences are used."""
    got = iso_posix_seconds(["2022-04-25T11:39:02.323", "2022-04-25T11:39:36.978"])
    assert got[1] - got[0] == pytest.approx(34.655, abs=1e-6)  # float64 at 1.65e9 s: 2.4e-7 s apart
