"""Orientation: gravity direction in the sensor frame and the vertical / AP / ML body frame.

Sources (References below):
* accelerometer only: zero-phase 0.25 Hz low-pass of the raw specific force. Over whole strides
  the mean specific force is gravity (Moe-Nilssen 1998), so this works whichever way the strap is worn.
* with a gyroscope: a complementary filter on the gravity vector (the tilt part of Mahony /
  Madgwick; Madgwick 2010) with an UN-normalised accelerometer correction (normalising f/|f| is badly
  biased during flight, when the specific force is near zero). Deviation: instead of the sequential per-sample update we use a linearised,
  zero-phase form: θ = HP_τ(∫ω dt) is the sensor's small rotation away from its slow mean attitude;
  the specific force is turned back into that mean frame (f + θ × f), low-passed (corner 1/(2πτ),
  τ = 3 s) to the mean "up", and turned forward again (up − θ × up). It is exactly complementary
  (LP + HP = 1), needs no Python loop, and unlike plain averaging it is not biased by the product of
  the trunk's pitch oscillation and the vertical acceleration at step frequency (≈ 2° of apparent
  lean in firmware_sim, measured). Accelerometer-only keeps that bias (a forward-lean caveat).
* heading: the AP axis is the horizontal direction whose acceleration repeats every STEP (maximum of
  the step-lag cross-covariance), ML repeats every stride (Avvenuti et al. 2013, symmetry-based virtual
  alignment; deviation: solved in closed form as the top eigenvector of the symmetrised 2x2 lag
  covariance instead of an angle search). The AP sign is resolved later from the braking-then-
  propulsion pattern in stance (Lee et al. 2010), see ``_steps.braking_score``.
* speed: everything runs on block means at >= 50 Hz and "up" is interpolated back to the full rate
  (``gravity_direction``).
Conventions (DESIGN.md): vertical up +, ap forward +, ml left +; (ap, ml, up) is right-handed.

References
----------
.. [1] Moe-Nilssen R (1998). A new method for evaluating motor control in gait under real-life
   environmental conditions. Part 1: The instrument. Clinical Biomechanics 13:320–327.
.. [2] Madgwick SOH (2010). An efficient orientation filter for inertial and inertial/magnetic sensor
   arrays. Technical report, University of Bristol.
.. [3] Avvenuti M, et al. (2013). Using gait symmetry to virtually align a triaxial accelerometer during
   running and walking. Electronics Letters 49. doi:10.1049/el.2012.3763
.. [4] Lee JB, Mellifont RB, Burkett BJ (2010). The use of a single inertial sensor to identify stride,
   step, and stance durations of running gait. J Sci Med Sport 13:270–273.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _dsp
from ._filters import (_butter_sos, block_factor, block_means, centre_offsets, centre_span, from_block_means,
                       interval_lines, lowpass)

DEG = np.pi / 180.0
#: the gravity low-pass is padded with this many of its time constants of mirrored signal (or the
#: whole recording, if shorter). sosfiltfilt's default odd 3-period pad pins the output to the first
#: sample: on a 5 s running clip "up" started 50-80 deg off (a mid-flight or mid-stance sample), so the
#: first steps' vertical, strikes and contacts were wrong. A mirrored pad averages whole strides.
GRAVITY_PAD_TIME_CONSTANTS = 6.0


def _direction_lowpass(x: np.ndarray, fs: float, fc: float, order: int, like: np.ndarray | None = None) -> np.ndarray:
    """Direction (unit vectors) of a zero-phase Butterworth low-pass of a specific-force signal (n, 3),
    padded with ``GRAVITY_PAD_TIME_CONSTANTS`` time constants of mirrored signal; in the memory layout of
    ``like`` where given (``_same_layout``)."""
    pad = min(x.shape[0] - 1, int(GRAVITY_PAD_TIME_CONSTANTS * fs / (2.0 * np.pi * fc)))
    sos = _butter_sos(order, float(f"{fc:.9g}"), float(f"{fs:.9g}"))
    y = _dsp.sosfiltfilt(sos, x, padlen=pad, padtype="even")
    return _unit(y if like is None else _same_layout(y, like))


def _same_layout(a: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``a`` column-major when ``like`` is (the block means are, and the filters return row-major arrays):
    element-wise arithmetic between the two then runs on contiguous columns instead of NumPy's buffered
    transfers between layouts, which cost more than the arithmetic. The same values."""
    return np.asfortranarray(a) if like.flags.f_contiguous and not like.flags.c_contiguous else a


def row_dot(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Row-wise dot product of two (n, 3) arrays, summed (x + z) + y, from one contiguous product. einsum
    (``"ij,ij->i"``) loops over the rows with a call per 3-element row: this takes about half its instructions.
    For rows stored row by row the values are einsum's (it sums in this order); for a column-major array
    (a filter's output) einsum sums x + y + z, so those differ from it by rounding
    (tests/analysis/test_orientation.py). ``out``: an (n,) array to write into.

    Arrays that are not both row-major or both column-major (a decimated view, column-major block means
    against a row-major "up") are multiplied column by column, the same arithmetic: ``a * b`` would copy
    them through NumPy's buffers first (3.6 M instead of 0.8 M instructions for 30 000 strided rows)."""
    if not ((a.flags.c_contiguous and b.flags.c_contiguous) or (a.flags.f_contiguous and b.flags.f_contiguous)):
        p = a[:, 0] * b[:, 0]
        out = np.add(p, a[:, 2] * b[:, 2], out=out)
        out += np.multiply(a[:, 1], b[:, 1], out=p)
        return out
    p = a * b
    out = np.add(p[:, 0], p[:, 2], out=out)
    out += p[:, 1]
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    """``v`` scaled to unit length along the last axis (zero vectors unchanged)."""
    n = (np.sqrt(row_dot(v, v)) if v.ndim == 2 else np.asarray(np.sqrt(np.einsum("...j,...j->...", v, v))))[..., None]
    n[n == 0] = 1.0
    return v / n


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise a × b of (n, 3) arrays (``np.cross`` is ~3x slower on long arrays)."""
    out = np.empty_like(a)
    out[:, 0] = a[:, 1] * b[:, 2] - a[:, 2] * b[:, 1]
    out[:, 1] = a[:, 2] * b[:, 0] - a[:, 0] * b[:, 2]
    out[:, 2] = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    return out


@dataclass
class Blocks:
    """Means of blocks of ``d`` samples (rate ``fs / d`` >= 50 Hz; d = 1 below 100 Hz) of the angular rate
    (deg/s, or None), and "up" at that rate: the slow stages (gravity frame, heading, lean, the AP/ML axes)
    run on these. The specific force's block means are made again where a stretch needs them
    (``acc_means``), not kept for the whole recording."""

    d: int
    fs: float  # the block rate (Hz)
    gyro: np.ndarray | None
    up: np.ndarray

    def acc_means(self, acc_g: np.ndarray, ba: int, bb: int) -> np.ndarray:
        """Block means of the specific force ``acc_g`` (the full-rate (n, 3) array these blocks were made
        from) for blocks [ba, bb): the values ``gravity_blocks`` used."""
        d = self.d
        return block_means(acc_g[ba * d : bb * d], d) if d > 1 else acc_g[ba:bb]

    def index(self, i) -> np.ndarray:
        """Fractional block index of full-rate sample index ``i`` (block centres at (d - 1) / 2 + k d)."""
        return (np.asarray(i, dtype=float) - 0.5 * (self.d - 1)) / self.d

    def up_full(self, n: int) -> np.ndarray:
        """"up" interpolated back to ``n`` samples at the full rate."""
        return from_block_means(self.up, self.d, n) if self.d > 1 else self.up

    def up_at(self, lo: int, hi: int) -> np.ndarray:
        """"up" at full-rate samples [lo, hi): the same values as ``up_full(n)[lo:hi]``."""
        return from_block_means(self.up, self.d, hi, lo) if self.d > 1 else self.up[lo:hi]


def gravity_blocks(acc_g: np.ndarray, fs: float, gyro_dps: np.ndarray | None, *,
                   lowpass_hz: float, order: int, tau_s: float) -> Blocks:
    """Unit "up" vector in the sensor frame on block means (``Blocks``); ``gravity_direction`` for every
    sample. ``acc_g``: specific force in g (n, 3); ``gyro_dps``: angular rate in deg/s or None.

    "up" moves with the trunk's pitch and roll at step frequency (1-4 Hz) at most, and the rotation θ × f
    of a block mean differs from the block mean of θ × f only by their covariance inside 20 ms (θ is an
    integral: smooth there). With a 3 deg pitch at step frequency "up" is within 0.2 deg of the full-rate
    computation (tests/analysis/test_orientation.py)."""
    n = acc_g.shape[0]
    d = block_factor(fs)
    if n < 8 * d:
        d = 1
    fsb = fs / d
    f = block_means(acc_g, d) if d > 1 else acc_g
    g = None if gyro_dps is None else (block_means(gyro_dps, d) if d > 1 else gyro_dps)
    if g is None:
        up = _direction_lowpass(f, fsb, lowpass_hz, order)
    else:
        w = g * DEG
        theta = np.concatenate([np.zeros((1, 3)), np.cumsum((w[1:] + w[:-1]) * (0.5 / fsb), axis=0)])
        fc = 1.0 / (2.0 * np.pi * tau_s)
        theta -= _same_layout(lowpass(theta, fsb, fc, 1), theta)  # the sensor's rotation away from its slow mean (rad)
        # specific force turned back into the slowly moving mean frame, then averaged: this also removes
        # the bias of averaging f in a frame that oscillates with the gait (pitch x vertical acceleration)
        up_mean = _direction_lowpass(f + _cross(theta, f), fsb, fc, 1, like=theta)
        # row-major, as the stages after read it (a bout's mean "up" is a BLAS product: its layout picks the kernel)
        up = np.ascontiguousarray(_unit(up_mean - _cross(theta, up_mean)))
    return Blocks(d, fsb, g, up)


def gravity_direction(acc_g: np.ndarray, fs: float, gyro_dps: np.ndarray | None, *,
                      lowpass_hz: float, order: int, tau_s: float) -> np.ndarray:
    """Unit "up" vector in the sensor frame for every sample, (n, 3): ``gravity_blocks`` interpolated
    back (between two block centres the vector is shorter than 1 by < 1e-4; callers renormalise where it
    matters)."""
    blocks = gravity_blocks(acc_g, fs, gyro_dps, lowpass_hz=lowpass_hz, order=order, tau_s=tau_s)
    return blocks.up_full(acc_g.shape[0])


def vertical(acc_g: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Vertical specific force in g (≈ 1 standing, ≈ 0 in flight)."""
    return row_dot(acc_g, up)


#: ``vertical_from_blocks`` interpolates "up" back to the full rate this many samples at a time
UP_PIECE_SAMPLES = 65536


def vertical_from_blocks(acc_g: np.ndarray, blocks: Blocks) -> np.ndarray:
    """``vertical(acc_g, blocks.up_full(n))`` with "up" interpolated a piece at a time: the same values,
    without the full-rate (n, 3) "up" (17 MB for an hour at 200 Hz).

    Between the first and the last block centre (``_filters.from_block_means``' regular grid) the
    interpolation and the dot product are done offset by offset within the blocks, component by component
    (``_vertical_between_centres``): the same arithmetic per sample, on contiguous vectors."""
    n = acc_g.shape[0]
    out = np.empty(n)
    d, m = blocks.d, blocks.up.shape[0]
    first, last = centre_span(d, m)
    if d == 1 or last > n or last <= first:
        first = last = 0  # no regular grid inside: every piece through ``up_at``
    for lo, hi in ((0, first), (last, n)):
        for a in range(lo, hi, UP_PIECE_SAMPLES):
            b = min(hi, a + UP_PIECE_SAMPLES)
            row_dot(acc_g[a:b], blocks.up_at(a, b), out=out[a:b])  # vertical(), written in place
    up_t = np.ascontiguousarray(blocks.up.T) if last > first else None  # (3, m): each component contiguous
    blocks_per_piece = max(1, UP_PIECE_SAMPLES // d)
    for j0 in range(0, m - 1 if last > first else 0, blocks_per_piece):
        j1 = min(m - 1, j0 + blocks_per_piece)
        lo = first + j0 * d
        _vertical_between_centres(acc_g[lo : lo + (j1 - j0) * d], up_t, j0, j1, d, out[lo : lo + (j1 - j0) * d])
    return out


def _vertical_between_centres(acc: np.ndarray, up_t: np.ndarray, j0: int, j1: int, d: int, out: np.ndarray) -> None:
    """The vertical of the samples between block centres j0 and j1 (``acc``: their (k d, 3) specific force):
    "up" at offset t from a centre is slope × t + value (``_filters._between_centres``), then
    (a_x u_x + a_z u_z) + a_y u_y (``row_dot``), each step as those functions do it, bit for bit."""
    k = j1 - j0
    t = centre_offsets(d)
    base, slope = (a.T for a in interval_lines(up_t.T, j0, j1, d))  # (3, k), each component contiguous
    up = slope[None, :, :] * t[:, None, None]  # (d, 3, k): offset, component, block
    up += base[None, :, :]
    p = acc.reshape(k, d, 3).transpose(1, 2, 0) * up  # the products, (d, 3, k)
    v = np.add(p[:, 0], p[:, 2])  # (d, k)
    v += p[:, 1]
    out.reshape(k, d)[:] = v.T


def horizontal_axes(acc_g: np.ndarray, up_mean: np.ndarray, step_lag: int) -> tuple[np.ndarray, np.ndarray]:
    """AP and ML unit vectors (sensor frame) for a stretch of gait with mean up vector ``up_mean``.

    The AP sign is arbitrary here (see module docstring); ML = up × AP (left +)."""
    up = _unit(up_mean)
    e1 = _unit(np.cross(up, [1.0, 0.0, 0.0]) if abs(up[0]) < 0.9 else np.cross(up, [0.0, 1.0, 0.0]))
    e2 = np.cross(up, e1)
    h = acc_g @ np.column_stack([e1, e2])
    h = h - np.ones(h.shape[0]) @ h / max(1, h.shape[0])  # column means; BLAS: 20x faster than mean(axis=0)
    lag = int(np.clip(step_lag, 1, max(1, h.shape[0] // 2)))
    c = h[:-lag].T @ h[lag:] / max(1, h.shape[0] - lag)
    w, v = np.linalg.eigh(0.5 * (c + c.T))
    a = v[:, int(np.argmax(w))]
    ap = _unit(a[0] * e1 + a[1] * e2)
    return ap, np.cross(up, ap)


def lean_deg(up: np.ndarray, up_ref: np.ndarray, ap: np.ndarray) -> np.ndarray:
    """Forward trunk lean (deg, forward +) of each row of ``up`` relative to the upright reference.

    A forward pitch θ turns the world "up" towards the device's back: up·ap = −sin θ."""
    up_unit = _unit(up_ref)
    forward = _unit(ap - (ap @ up_unit) * up_unit)
    return np.degrees(np.arctan2(-(up @ forward), up @ up_unit))


def yaw_angle_deg(gyro_dps: np.ndarray, up: np.ndarray, fs: float) -> np.ndarray:
    """Heading angle (deg) from the vertical angular rate ω·up integrated over time."""
    wv = row_dot(gyro_dps, up)
    return np.concatenate([[0.0], np.cumsum((wv[1:] + wv[:-1]) * (0.5 / fs))])
