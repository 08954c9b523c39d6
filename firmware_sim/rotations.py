"""Elementary rotations on (n, 3) vector arrays, without building (n, 3, 3) matrices.

Convention: frames are right-handed; the trunk frame is x forward (AP), y left (ML), z up; attitude is
ZYX (yaw ψ about z, then pitch θ about y, then roll φ about x): ``R = Rz(ψ) Ry(θ) Rx(φ)`` maps trunk
coordinates to world coordinates. Positive pitch leans the trunk forward, positive roll tips it to the
right. Angles in radians.
"""

from __future__ import annotations

import numpy as np


def _rot(v, angle, i, j):
    """Rotate vectors ``v`` by ``angle`` in the (i, j) plane (i -> j positive)."""
    c, s = np.cos(angle), np.sin(angle)
    out = np.array(v, dtype=float, copy=True)
    vi, vj = v[..., i], v[..., j]
    out[..., i] = c * vi - s * vj
    out[..., j] = s * vi + c * vj
    return out


def rotate_x(v, a):
    return _rot(v, a, 1, 2)


def rotate_y(v, a):
    return _rot(v, a, 2, 0)


def rotate_z(v, a):
    return _rot(v, a, 0, 1)


def trunk_to_world(v, yaw, pitch, roll):
    """``Rz(yaw) Ry(pitch) Rx(roll) v``."""
    return rotate_z(rotate_y(rotate_x(v, roll), pitch), yaw)


def world_to_trunk(v, yaw, pitch, roll):
    """The inverse: ``Rx(-roll) Ry(-pitch) Rz(-yaw) v``."""
    return rotate_x(rotate_y(rotate_z(v, -yaw), -pitch), -roll)


def body_rates(yaw, pitch, roll, dyaw, dpitch, droll):
    """Angular velocity in the trunk frame (rad/s) from ZYX Euler angles and their rates."""
    sr, cr = np.sin(roll), np.cos(roll)
    sp, cp = np.sin(pitch), np.cos(pitch)
    p = droll - dyaw * sp
    q = dpitch * cr + dyaw * cp * sr
    r = -dpitch * sr + dyaw * cp * cr
    return np.stack([p, q, r], axis=-1)


def matrix_xyz(roll, pitch, yaw):
    """3×3 ``Rz(yaw) Ry(pitch) Rx(roll)`` for scalar angles (radians)."""
    return trunk_to_world(np.eye(3), yaw, pitch, roll).T
