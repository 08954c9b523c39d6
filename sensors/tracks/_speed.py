"""Running speed along a track: the file's own speed where it has one, else from its cumulative distance,
else from its positions (great-circle distance, haversine, mean Earth radius 6371.0088 km: Moritz 2000,
Geodetic Reference System 1980, J. Geodesy 74:128-133, doi:10.1007/s001900050278).

A GPS fix that jumps must not become a sprint, and a fix's scatter of a few metres must not add up to
speed: positions are first smoothed by a running median over ``SMOOTH_S`` (a lone bad fix is dropped by a
median), the track is cut wherever it still jumps faster than ``MAX_STEP_SPEED_MPS`` between two points
(no speed across a cut), and the speed at each point is the straight-line distance between the smoothed
positions ``CHORD_S / 2`` before and after it, over that time (not the sum of short noisy steps, which
grows with the scatter). Cumulative distance is differentiated over the same chord; a speed field is
taken as it is, values above 1.2 x ``MAX_STEP_SPEED_MPS`` dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EARTH_RADIUS_M = 6_371_008.8
#: faster than this between two points is a GPS jump, not running (m/s; ~36 km/h)
MAX_STEP_SPEED_MPS = 10.0
#: the speed is smoothed over this many seconds (centred running median)
SMOOTH_S = 5.0
#: the speed is the chord over this many seconds (centred)
CHORD_S = 10.0
#: a point's own speed field is used when at least this share of the points have one
MIN_SPEED_FIELD_SHARE = 0.5


def haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance (m) between points in degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _rolling_median(t: np.ndarray, x: np.ndarray, window_s: float) -> np.ndarray:
    index = pd.to_datetime(t, unit="s")
    return pd.Series(x, index=index).rolling(pd.Timedelta(seconds=window_s), center=True,
                                             min_periods=1).median().to_numpy(float)


def _pieces(t: np.ndarray, step_m: np.ndarray) -> np.ndarray:
    """Piece number of each point: a new piece after a step faster than ``MAX_STEP_SPEED_MPS`` or a gap
    longer than ``CHORD_S``."""
    dt = np.diff(t)
    cut = (step_m > MAX_STEP_SPEED_MPS * dt) | (dt > CHORD_S)
    return np.concatenate([[0], np.cumsum(cut)])


def _chord_speed(t: np.ndarray, pieces: np.ndarray, distance_between) -> np.ndarray:
    """Speed at each point: ``distance_between(piece, a_times, b_times)`` (``piece``: a slice of the points)
    over ``b - a``, with a and b ``CHORD_S/2`` either side, clamped to the point's piece; NaN where less than 2 s of a piece surrounds the point."""
    out = np.full(t.size, np.nan)
    edges = np.concatenate(([0], np.flatnonzero(np.diff(pieces)) + 1, [t.size]))  # pieces are contiguous runs
    for i0, i1 in zip(edges[:-1].tolist(), edges[1:].tolist()):
        sel = slice(i0, i1)
        tp = t[sel]
        a = np.maximum(tp - CHORD_S / 2, tp[0])
        b = np.minimum(tp + CHORD_S / 2, tp[-1])
        span = b - a
        with np.errstate(invalid="ignore", divide="ignore"):
            v = distance_between(sel, a, b) / span
        out[sel] = np.where(span >= 2.0, v, np.nan)
    return out


def from_positions(t: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Speed (m/s) at each point from positions (degrees): median-smoothed, cut at jumps, chord speed."""
    la, lo = _rolling_median(t, lat, SMOOTH_S), _rolling_median(t, lon, SMOOTH_S)
    pieces = _pieces(t, haversine_m(la[:-1], lo[:-1], la[1:], lo[1:]))

    def between(sel, a, b):
        tp, lap, lop = t[sel], la[sel], lo[sel]
        return haversine_m(np.interp(a, tp, lap), np.interp(a, tp, lop), np.interp(b, tp, lap), np.interp(b, tp, lop))

    return _chord_speed(t, pieces, between)


def from_distance(t: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """Speed (m/s) at each point from the cumulative distance (m): cut at jumps, chord speed."""
    pieces = _pieces(t, np.abs(np.diff(distance)))

    def between(sel, a, b):
        return np.interp(b, t[sel], distance[sel]) - np.interp(a, t[sel], distance[sel])

    return _chord_speed(t, pieces, between)


def speed_for(t, speed, distance, lat, lon) -> tuple[np.ndarray, str | None]:
    """(speed m/s per point, where it came from): the file's speed field, its distance field or its positions."""
    ok_speed = np.isfinite(speed) & (speed >= 0)
    if t.size and ok_speed.mean() >= MIN_SPEED_FIELD_SHARE:
        return np.where(ok_speed & (speed <= MAX_STEP_SPEED_MPS * 1.2), speed, np.nan), "the file's speed field"
    ok_dist = np.isfinite(distance)
    if t.size and ok_dist.mean() >= MIN_SPEED_FIELD_SHARE:
        d = np.interp(t, t[ok_dist], distance[ok_dist]) if ok_dist.sum() >= 2 else distance
        return from_distance(t, d), "the file's distance field"
    ok_pos = np.isfinite(lat) & np.isfinite(lon)
    if ok_pos.sum() >= 2:
        tt = t[ok_pos]
        v = from_positions(tt, lat[ok_pos], lon[ok_pos])
        good = np.isfinite(v)
        if not good.any():
            return np.full(t.size, np.nan), None
        out = np.interp(t, tt[good], v[good], left=np.nan, right=np.nan)
        return out, "positions"
    return np.full(t.size, np.nan), None
