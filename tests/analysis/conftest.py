"""Small synthetic trunk signals with exactly known answers for the analysis tests.

A sine-wave spring-mass run (Morin et al. 2005): half-sine vertical specific force over contact, 0 g in
flight, AP braking/propulsion, ML sway (right stance -> +left), trunk yaw at stride frequency, all in the
body frame (ap, ml, up) and then rotated into the sensor frame by a known mount rotation. Generated at
1 kHz and decimated with an anti-alias filter, like a real IMU.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from scipy import signal
from scipy.spatial.transform import Rotation

from runform.sensors.recording import Metadata, Recording
from runform.sensors.units import STANDARD_GRAVITY

G = STANDARD_GRAVITY
BASE_HZ = 1000


@dataclass
class Truth:
    ic: np.ndarray  # foot-strike times (s)
    side: np.ndarray  # "L"/"R"
    step_s: float
    contact_s: float
    vo_cm: float
    yaw_range_deg: float
    kinds: list  # (kind, start_s, end_s)


def _body_signals(t, kinds, cadence, contact_s, yaw_deg, walk_cadence=110.0):
    """Body-frame specific force (ap, ml, up) in g at times t, and strike truth."""
    n = t.size
    f = np.zeros((n, 3))
    f[:, 2] = 1.0
    ics, sides = [], []
    yaw = np.zeros(n)
    for kind, a, b in kinds:
        sel = (t >= a) & (t < b)
        if kind == "stand":
            continue
        if kind == "run":
            T = 60.0 / cadence
            tc = contact_s
            peak = np.pi * T / (2 * tc)
            k0 = np.arange(a, b - T, T)
            for i, s in enumerate(k0):
                m = (t >= s) & (t < s + tc) & sel
                u = (t[m] - s) / tc
                f[m, 2] = peak * np.sin(np.pi * u)
                f[m, 0] = -0.35 * np.sin(2 * np.pi * u)
                side_sign = 1 if i % 2 == 0 else -1  # even steps: right stance
                f[m, 1] = side_sign * 0.12 * np.sin(np.pi * u)
                mf = (t >= s + tc) & (t < s + T) & sel
                f[mf, 2] = 0.0
                ics.append(s)
                sides.append("R" if side_sign > 0 else "L")
            yaw[sel] = yaw_deg * np.sin(np.pi * (t[sel] - a) / T)
        else:  # walking: smooth double-hump around 1 g, no flight
            T = 60.0 / walk_cadence
            ph = (t[sel] - a) / T
            f[sel, 2] = 1.0 + 0.25 * np.sin(2 * np.pi * ph - np.pi / 2) + 0.08 * np.sin(4 * np.pi * ph)
            f[sel, 0] = 0.1 * np.sin(2 * np.pi * ph)
            f[sel, 1] = 0.05 * np.sin(np.pi * ph)
            yaw[sel] = 3.0 * np.sin(np.pi * ph)
    return f, np.array(ics), np.array(sides), yaw


def make_recording(kinds, fs=100.0, cadence=170.0, contact_s=0.24, yaw_deg=7.0, rot_deg=(0, 0, 0),
                   noise_g=0.005, gyro=True, seed=1):
    """A Recording of the scheduled ``kinds`` [(kind, start, end)] and its Truth."""
    dur = kinds[-1][2]
    t = np.arange(int(dur * BASE_HZ)) / BASE_HZ
    f, ics, sides, yaw = _body_signals(t, kinds, cadence, contact_s, yaw_deg)
    # yaw rotation of the trunk (about up) applied to horizontal forces; gyro = d(yaw)/dt about up
    R_mount = Rotation.from_euler("xyz", rot_deg, degrees=True)
    yaw_rate = np.gradient(yaw, 1.0 / BASE_HZ)
    w_body = np.zeros((t.size, 3))
    w_body[:, 2] = yaw_rate
    acc = R_mount.apply(f)
    gyr = R_mount.apply(w_body)
    dec = int(BASE_HZ / fs)
    acc = signal.resample_poly(acc, 1, dec, axis=0)
    gyr = signal.resample_poly(gyr, 1, dec, axis=0)
    ts = np.arange(acc.shape[0]) / fs
    rng = np.random.default_rng(seed)
    acc = acc + noise_g * rng.standard_normal(acc.shape)
    T = 60.0 / cadence
    vo = 100 * G * T * (contact_s / (2 * np.pi) + (T - 2 * contact_s) / 8)
    truth = Truth(ics, sides, T, contact_s, vo, 2 * yaw_deg, kinds)
    rec = Recording(ts, acc, gyr if gyro else None, Metadata(nominal_rate_hz=fs))
    return rec, truth


@pytest.fixture
def synth():
    return make_recording


def match_events(est, ref, tol=0.15):
    """Nearest-neighbour matching of event times: (recall, precision, errors of matched)."""
    est = np.sort(np.asarray(est))
    ref = np.asarray(ref)
    if est.size == 0 or ref.size == 0:
        return 0.0, 0.0, np.empty(0)
    j = np.clip(np.searchsorted(est, ref), 1, est.size - 1)
    near = np.where(np.abs(est[j - 1] - ref) < np.abs(est[j] - ref), j - 1, j)
    err = est[near] - ref
    ok = np.abs(err) <= tol
    recall = ok.mean()
    precision = np.unique(near[ok]).size / est.size
    return recall, precision, err[ok]


@pytest.fixture
def matcher():
    return match_events
