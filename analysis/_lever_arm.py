"""Rotational acceleration of a trunk-worn sensor about the trunk's centre of rotation (gyro only).

A sensor at lever arm r (m, sensor frame) from the point the trunk rotates about measures, besides the
specific force of that point, the tangential and centripetal accelerations α × r + ω × (ω × r)
(rigid-body kinematics). Trunk pitch at step frequency (1–4°, the range firmware_sim models) times a chest strap's
forward lever arm (~0.1 m) adds ~0.15 g at step frequency to the vertical signal and shifts the crossings
that time the ground contact (``_steps``): measured −23 ms of contact in firmware_sim with a 40 ms flight
(benchmarks/RESULTS.md, case 2 before this correction).

The lever arm is estimated from the flight phases, where the specific force of the trunk's centre of
rotation is zero (ballistic flight, air drag neglected): there the sensor reads only the rotational
terms, f = ([α]× + [ω]×²) r, three equations per sample, solved for r by least squares over all flight
centres of the segment. Added here (no published method for trunk IMU contact timing); its limit: soft
tissue or strap motion in flight is read as rotation, so the correction is applied only when the fit
explains a useful share of the flight signal (``MIN_EXPLAINED``) and the lever arm is physically
plausible (``MAX_LEVER_M``).
"""

from __future__ import annotations

import numpy as np

from runform.sensors.units import STANDARD_GRAVITY as G

#: a lever arm longer than this (m) is not a trunk strap's distance from the trunk's centre of rotation
MAX_LEVER_M = 0.6
#: the fitted rotational terms must explain at least this fraction of the flight signal's variance
MIN_EXPLAINED = 0.3
#: fewer flight centres than this: no estimate
MIN_FLIGHTS = 20


def angular_rates(gyro_dps: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """Angular velocity ω (rad/s) and acceleration α (rad/s², central differences) of every sample, not
    smoothed: the correction they feed is low-passed with the vertical signal (α × r is linear in α; the
    gyro noise in ω × (ω × r) is ~1e-5 g)."""
    w = np.deg2rad(gyro_dps)
    return w, np.gradient(w, 1.0 / fs, axis=0)


def angular_rates_at(gyro_blocks_dps: np.ndarray, fs_blocks: float, i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ω (rad/s) and α (rad/s²) at fractional block indices ``i`` from block means of the gyro at
    ``fs_blocks`` (>= 50 Hz; ``_orientation.Blocks``): linear interpolation of the block means and of their
    central differences (a 20 ms mean and a 40 ms difference: smooth enough to fit the lever arm on)."""
    w = np.deg2rad(gyro_blocks_dps)
    a = np.gradient(w, 1.0 / fs_blocks, axis=0)
    j = np.arange(w.shape[0])
    return (np.column_stack([np.interp(i, j, w[:, k]) for k in range(3)]),
            np.column_stack([np.interp(i, j, a[:, k]) for k in range(3)]))


def _rotation_matrices(w: np.ndarray, a: np.ndarray) -> np.ndarray:
    """(k, 3, 3) matrices M with M r = α × r + ω × (ω × r) = ([α]× + ω ωᵀ − |ω|² I) r."""
    k = w.shape[0]
    m = np.einsum("ki,kj->kij", w, w) - (w * w).sum(axis=1)[:, None, None] * np.eye(3)[None]
    m[:, 0, 1] -= a[:, 2]
    m[:, 0, 2] += a[:, 1]
    m[:, 1, 0] += a[:, 2]
    m[:, 1, 2] -= a[:, 0]
    m[:, 2, 0] -= a[:, 1]
    m[:, 2, 1] += a[:, 0]
    return m.reshape(k, 3, 3)


def lever_arm_from_flight(acc_g: np.ndarray, w: np.ndarray, a: np.ndarray, flight_idx: np.ndarray):
    """Lever arm r (m, sensor frame) from the specific force (g) at flight samples, or None when there are
    too few flights, the fit explains too little of the flight signal or r is implausibly long."""
    idx = np.asarray(flight_idx, dtype=int)
    if idx.size < MIN_FLIGHTS:
        return None
    m = _rotation_matrices(w[idx], a[idx]).reshape(-1, 3)
    y = (acc_g[idx] * G).reshape(-1)
    r, *_ = np.linalg.lstsq(m, y, rcond=1e-6)
    explained = 1.0 - float(np.sum((y - m @ r) ** 2)) / max(float(np.sum(y * y)), 1e-12)
    if explained < MIN_EXPLAINED or float(np.linalg.norm(r)) > MAX_LEVER_M:
        return None
    return r


def vertical_rotational_g(w: np.ndarray, a: np.ndarray, up: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Vertical component (g) of α × r + ω × (ω × r): up·(α × r) + (ω·up)(ω·r) − |ω|² (up·r)."""
    tangential = np.einsum("ij,ij->i", up, np.cross(a, r))
    centripetal = (w @ r) * np.einsum("ij,ij->i", w, up) - np.einsum("ij,ij->i", w, w) * (up @ r)
    return (tangential + centripetal) / G


def flight_centres(peaks: np.ndarray) -> np.ndarray:
    """Sample indices (rounded) halfway between consecutive mid-stance peaks (fractional sample indices):
    the flight centres of a running bout (symmetric stance pulses)."""
    return np.round(0.5 * (peaks[:-1] + peaks[1:])).astype(int)
