"""Orientation: gravity direction and the body frame recover known rotations."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from runform.analysis import _orientation


def _running_body(fs=100.0, dur=20.0, cadence=170.0, tc=0.24):
    t = np.arange(int(dur * fs)) / fs
    T = 60.0 / cadence
    ph = (t % T) / tc
    stance = ph < 1
    f = np.zeros((t.size, 3))
    f[:, 2] = np.where(stance, np.pi * T / (2 * tc) * np.sin(np.pi * np.clip(ph, 0, 1)), 0.0)
    f[:, 0] = np.where(stance, -0.35 * np.sin(2 * np.pi * np.clip(ph, 0, 1)), 0.0)
    side = np.where((t // T).astype(int) % 2 == 0, 1.0, -1.0)
    f[:, 1] = np.where(stance, side * 0.12 * np.sin(np.pi * np.clip(ph, 0, 1)), 0.0)
    return t, f, T


@pytest.mark.parametrize("euler", [(0, 0, 0), (25, -10, 40), (180, 0, 0), (90, 30, -120)])
def test_gravity_direction_recovers_mount_rotation_while_running(euler):
    fs = 100.0
    t, f, T = _running_body(fs)
    R = Rotation.from_euler("xyz", euler, degrees=True)
    acc = R.apply(f)
    up = _orientation.gravity_direction(acc, fs, None, lowpass_hz=0.25, order=2, tau_s=3.0)
    true_up = R.apply([0, 0, 1.0])
    mid = slice(int(3 * fs), int(17 * fs))  # away from the filter edges
    err_deg = np.degrees(np.arccos(np.clip(up[mid] @ true_up, -1, 1)))
    assert err_deg.max() < 1.0
    sf = _orientation.vertical(acc, up)
    assert abs(sf[mid].mean() - 1.0) < 0.01  # mean specific force over whole strides is 1 g


def test_gyro_complementary_filter_tracks_a_slow_tilt_change():
    """The strap tilts 20 deg about x in 0.5 s: the gyro path follows it, the 0.25 Hz low-pass lags."""
    fs = 100.0
    t = np.arange(int(20 * fs)) / fs
    ang = np.clip((t - 8.0) / 0.5, 0, 1) * 20.0  # deg
    rate = np.gradient(ang, 1 / fs)  # deg/s about sensor x
    R = Rotation.from_euler("x", ang[:, None], degrees=True)
    acc = R.inv().apply(np.tile([0, 0, 1.0], (t.size, 1)))  # gravity seen by the tilted sensor
    gyro = np.column_stack([rate, np.zeros_like(t), np.zeros_like(t)])
    up_g = _orientation.gravity_direction(acc, fs, gyro, lowpass_hz=0.25, order=2, tau_s=3.0)
    up_a = _orientation.gravity_direction(acc, fs, None, lowpass_hz=0.25, order=2, tau_s=3.0)
    i = int(8.6 * fs)  # just after the tilt
    err_g = np.degrees(np.arccos(np.clip(up_g[i] @ acc[i], -1, 1)))
    err_a = np.degrees(np.arccos(np.clip(up_a[i] @ acc[i], -1, 1)))
    assert err_g < 1.0
    assert err_a > 2.0 > err_g


def test_horizontal_axes_find_ap_from_step_periodicity():
    fs = 100.0
    t, f, T = _running_body(fs)
    R = Rotation.from_euler("xyz", (10, 5, 70), degrees=True)
    acc = R.apply(f)
    up = R.apply([0, 0, 1.0])
    ap, ml = _orientation.horizontal_axes(acc, up, int(round(T * fs)))
    true_ap, true_ml = R.apply([1.0, 0, 0]), R.apply([0, 1.0, 0])
    assert abs(abs(ap @ true_ap) - 1) < 1e-3  # the axis, sign resolved later from braking
    assert abs(ml @ true_ml - np.sign(ap @ true_ap)) < 1e-3  # ml = up x ap keeps the frame right-handed


def test_forward_lean_sign_and_size():
    up_ref = np.array([0, 0, 1.0])
    ap = np.array([1.0, 0, 0])
    lean = np.radians(8.0)
    up = np.array([[-np.sin(lean), 0, np.cos(lean)]])  # trunk pitched forward: world up tilts to the back
    assert _orientation.lean_deg(up, up_ref, ap)[0] == pytest.approx(8.0, abs=1e-6)


def test_yaw_angle_integrates_vertical_rate():
    fs = 200.0
    t = np.arange(int(4 * fs)) / fs
    yaw = 7.0 * np.sin(2 * np.pi * 1.4 * t)
    gyro = np.column_stack([np.zeros_like(t), np.zeros_like(t), np.gradient(yaw, 1 / fs)])
    up = np.tile([0, 0, 1.0], (t.size, 1))
    est = _orientation.yaw_angle_deg(gyro, up, fs)
    assert np.max(np.abs(est - yaw)) < 0.05


@pytest.mark.parametrize("with_gyro", [True, False])
def test_gravity_on_block_means_matches_the_full_rate_computation(monkeypatch, with_gyro):
    """At 200 Hz "up" is computed on 50 Hz block means and interpolated back: with the trunk pitching 3 deg
    at step frequency, within 0.25 deg of the same filter run on every sample (0.18 measured; 0.003 g of
    vertical specific force at 0.5 g horizontal), 0.05 deg without a gyro."""
    fs = 200.0
    t, f, T = _running_body(fs, dur=30.0)
    pitch = np.radians(3.0) * np.sin(2 * np.pi * t / T)
    R = Rotation.from_euler("xyz", (20, -15, 60), degrees=True) * Rotation.from_rotvec(pitch[:, None] * [0, 1.0, 0])
    acc = R.apply(f)
    gyro = np.column_stack([np.zeros_like(t), np.degrees(np.gradient(pitch, 1 / fs)), np.zeros_like(t)]) if with_gyro else None
    fast = _orientation.gravity_direction(acc, fs, gyro, lowpass_hz=0.25, order=2, tau_s=3.0)
    monkeypatch.setattr(_orientation, "block_factor", lambda fs: 1)
    full = _orientation.gravity_direction(acc, fs, gyro, lowpass_hz=0.25, order=2, tau_s=3.0)
    mid = slice(int(3 * fs), int(27 * fs))
    err = np.degrees(np.arccos(np.clip(np.einsum("ij,ij->i", fast[mid], full[mid]) / np.linalg.norm(fast[mid], axis=1), -1, 1)))
    assert err.max() < (0.25 if with_gyro else 0.05)


@pytest.mark.parametrize("n", [1, 2, 3, 17, 65_537])
def test_row_dot_gives_einsum_s_values_for_rows_stored_row_by_row_and_to_rounding_otherwise(n):
    rng = np.random.default_rng(n)
    a, b = rng.normal(size=(4 * n, 3)), rng.normal(size=(4 * n, 3))
    for x, y in ((a[:n], b[:n]), (a[::4], b[::4]), (a[::4], a[::4]), (a[1 : n + 1], b[3 : n + 3])):
        assert np.array_equal(_orientation.row_dot(x, y), np.einsum("ij,ij->i", x, y))
    x, y = np.asfortranarray(a), np.asfortranarray(b)
    np.testing.assert_allclose(_orientation.row_dot(x, y), np.einsum("ij,ij->i", x, y), rtol=0, atol=1e-14)


@pytest.mark.parametrize("fs", [50.0, 200.0])
@pytest.mark.parametrize("with_gyro", [True, False])
def test_gravity_blocks_up_is_row_major_and_independent_of_the_layouts_inside(fs, with_gyro):
    """The gyro path keeps its (n, 3) temporaries column-major (as the block means are) only for speed: "up"
    is the same, bit for bit, as the same arithmetic on row-major arrays, and it is row-major (a bout's mean
    "up" is a BLAS product whose kernel depends on the layout)."""
    from runform.analysis._filters import block_factor, block_means, lowpass

    rng = np.random.default_rng(7)
    n = int(60 * fs)
    acc = rng.normal([0.1, 0.2, 1.0], 0.3, (n, 3))
    gyro = rng.normal(0.0, 20.0, (n, 3)) if with_gyro else None
    blocks = _orientation.gravity_blocks(acc, fs, gyro, lowpass_hz=0.25, order=2, tau_s=3.0)
    assert blocks.up.flags.c_contiguous
    if not with_gyro:
        return
    d = block_factor(fs)
    fsb = fs / d
    f = np.ascontiguousarray(block_means(acc, d) if d > 1 else acc)
    w = np.ascontiguousarray(block_means(gyro, d) if d > 1 else gyro) * _orientation.DEG
    theta = np.concatenate([np.zeros((1, 3)), np.cumsum((w[1:] + w[:-1]) * (0.5 / fsb), axis=0)])
    fc = 1.0 / (2.0 * np.pi * 3.0)
    theta -= lowpass(theta, fsb, fc, 1)
    up_mean = _orientation._direction_lowpass(f + _orientation._cross(theta, f), fsb, fc, 1)
    assert np.array_equal(blocks.up, _orientation._unit(up_mean - _orientation._cross(theta, up_mean)))


@pytest.mark.parametrize("layout", ["strided", "C and F", "F and C", "F and F"])
def test_row_dot_on_strided_or_mixed_layouts_is_the_same_arithmetic(layout):
    """Column by column for a decimated view or mixed layouts: the values of (a_x b_x + a_z b_z) + a_y b_y
    computed on row-major copies, bit for bit."""
    rng = np.random.default_rng(11)
    big = rng.normal(0.0, 1.0, (4001, 3))
    other = rng.normal(0.0, 1.0, (4001, 3))
    a, b = {"strided": (big[::4], other[::4]), "C and F": (big, np.asfortranarray(other)),
            "F and C": (np.asfortranarray(big), other),
            "F and F": (np.asfortranarray(big), np.asfortranarray(other))}[layout]
    p = np.ascontiguousarray(a) * np.ascontiguousarray(b)
    expected = (p[:, 0] + p[:, 2]) + p[:, 1]
    assert np.array_equal(_orientation.row_dot(a, b), expected)
    out = np.empty(a.shape[0])
    assert _orientation.row_dot(a, b, out=out) is out and np.array_equal(out, expected)
