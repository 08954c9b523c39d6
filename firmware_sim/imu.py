"""The strap's IMU: mounting, anti-alias filter, sampling on a drifting clock, errors, int16 counts.

Mounting. Nominal device axes (a chest strap worn the usual way): device y = up, device z = out of
the body (chest: forward; back: backward), device x completes a right-handed frame (chest: left,
back: right). So at rest the strap reads +1 g on +y. An extra rotation (roll, pitch, yaw in degrees,
about the trunk's forward, left and up axes) tilts the device on the body, e.g. a strap pitched 20°.

Signal chain (docs/METRICS.md, "Simulator model"):
0. optional strap compliance: the sensor follows the trunk through a 2nd-order spring-damper
   (natural frequency ``strap_hz``, damping ``strap_damping``; 15-40 Hz, 0.1-0.4 is an
   assumption motivated by Edwards et al. 2019), i.e. acceleration filtered by
   ``H(s) = (2ζω s + ω²)/(s² + 2ζω s + ω²)`` (unity at DC, so gravity passes); causal;
1. rotate trunk-frame specific force / angular rate into device axes, with an optional slow slip of
   the strap (pitch change ``mount_slip_deg`` spread linearly over the session; the slip's own
   angular rate is neglected in the gyro);
2. anti-alias: 4th-order Butterworth at ``antialias_fraction × rate`` applied zero-phase on the internal
   grid (deviation: a real digital LPF is causal and adds a few ms of group delay; zero phase keeps
   the ground-truth event times aligned with the samples);
3. sample at the device's true sample instants: the oscillator runs fast by ``drift_ppm``, so sample n
   is taken at true time ``n / (rate (1 + ppm·1e-6))`` while the device stamps it ``n / rate``;
4. per-axis scale error and static bias (drawn once per session), white noise with SD
   ``density × √(rate/2)``;
5. quantise to int16 counts at the range (LSB = 2·range/65536) and clip at the int16 limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from runform.firmware_sim.profiles import ImuSpec, ProfileError
from runform.firmware_sim.rotations import matrix_xyz, world_to_trunk

INT16_MIN, INT16_MAX = -32768, 32767
COUNTS_SPAN = 65536
MIN_RATE_HZ, MAX_RATE_HZ = 25.0, 416.0
ANTIALIAS_ORDER = 4
#: device axes expressed in trunk axes (columns = device x, y, z)
NOMINAL_MOUNT = {
    "chest": np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
    "back": np.array([[0.0, 0.0, -1.0], [-1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
}
#: random mount (assumption of this project, docs/METRICS.md): roll ±10°, pitch 0-30°, yaw ±15°
RANDOM_MOUNT_LIMITS_DEG = ((-10.0, 10.0), (0.0, 30.0), (-15.0, 15.0))


def mount_matrix(mount: str, rotation_deg=(0.0, 0.0, 0.0)) -> np.ndarray:
    """3×3 matrix whose columns are the device axes in trunk coordinates (device -> trunk)."""
    if mount not in NOMINAL_MOUNT:
        raise ProfileError(f"unknown mount {mount!r}; choose chest or back")
    roll, pitch, yaw = np.deg2rad(np.asarray(rotation_deg, dtype=float))
    return matrix_xyz(roll, pitch, yaw) @ NOMINAL_MOUNT[mount]


def random_rotation_deg(rng: np.random.Generator) -> tuple[float, float, float]:
    return tuple(float(rng.uniform(lo, hi)) for lo, hi in RANDOM_MOUNT_LIMITS_DEG)


def strap_filter(x: np.ndarray, fs_hz: float, natural_hz: float, damping: float) -> np.ndarray:
    """Acceleration seen through a compliant strap (see module doc); ``natural_hz <= 0`` passes ``x``."""
    if natural_hz <= 0:
        return x
    from scipy.signal import bilinear, lfilter  # here, not at import: scipy.signal costs ~0.3-0.5 s to import

    w = 2.0 * np.pi * natural_hz
    b, a = bilinear([2.0 * damping * w, w * w], [1.0, 2.0 * damping * w, w * w], fs=fs_hz)
    return lfilter(b, a, x - x[0], axis=0) + x[0]  # at rest on the first sample: no start-up ringing


def to_device(x_trunk: np.ndarray, mount: str, rotation_deg, slip_deg: float = 0.0) -> np.ndarray:
    """Trunk-frame vectors (n, 3) into device axes for a mount with ``rotation_deg`` (+ a linear pitch slip)."""
    roll, pitch, yaw = np.deg2rad(np.asarray(rotation_deg, dtype=float))
    n = x_trunk.shape[0]
    pitch_t = pitch + np.deg2rad(slip_deg) * np.linspace(0.0, 1.0, n) if slip_deg else pitch
    return world_to_trunk(x_trunk, yaw, pitch_t, roll) @ NOMINAL_MOUNT[mount]


def lsb(range_value: float) -> float:
    """Size of one count for a symmetric ±range on 16 bits."""
    return 2.0 * range_value / COUNTS_SPAN


def quantise(values: np.ndarray, step: float) -> np.ndarray:
    """Round to counts of ``step`` and clip to int16."""
    return np.clip(np.rint(values / step), INT16_MIN, INT16_MAX).astype(np.int16)


def check_rate(rate_hz: float) -> None:
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        raise ProfileError(f"sample rate {rate_hz:g} Hz is outside {MIN_RATE_HZ:g}-{MAX_RATE_HZ:g} Hz")


def sample_times(duration_s: float, rate_hz: float, drift_ppm: float):
    """(true times, device-clock times) of every sample that falls within ``duration_s`` of true time."""
    true_rate = rate_hz * (1.0 + drift_ppm * 1e-6)
    n = int(np.floor(duration_s * true_rate + 1e-9)) + 1
    i = np.arange(n, dtype=np.float64)
    return i / true_rate, i / rate_hz


def resample(t_internal: np.ndarray, fs_internal: float, x: np.ndarray, t_out: np.ndarray, rate_hz: float, fraction: float) -> np.ndarray:
    """Anti-alias (zero-phase Butterworth) then linear interpolation at ``t_out``; x is (n, 3).
    One axis at a time, to keep the memory peak near one internal-rate signal."""
    from scipy.signal import butter, sosfiltfilt  # here: the CLI imports firmware_sim to list profiles

    corner = min(fraction * rate_hz, 0.45 * fs_internal)
    sos = butter(ANTIALIAS_ORDER, corner, fs=fs_internal, output="sos")
    long_enough = x.shape[0] > 3 * (2 * len(sos) + 1)
    out = np.empty((t_out.shape[0], 3))
    for j in range(3):
        y = sosfiltfilt(sos, x[:, j]) if long_enough else x[:, j]
        out[:, j] = np.interp(t_out, t_internal, y)
    return out


@dataclass
class ChannelErrors:
    """Per-session sensor errors of one 3-axis channel (units of the channel): scale, static bias, a
    slow bias random walk (SD per sample ``walk_sd``) and white noise (SD per sample ``noise_sd``)."""

    scale: np.ndarray
    bias: np.ndarray
    noise_sd: float
    walk_sd: float = 0.0

    @classmethod
    def draw(cls, rng, spec: ImuSpec, scale_sd: float, bias_sd: float, density: float, rate_hz: float,
             walk_per_rts: float = 0.0):
        if not spec.noise:
            return cls(np.ones(3), np.zeros(3), 0.0)
        return cls(1.0 + scale_sd * rng.standard_normal(3), bias_sd * rng.standard_normal(3),
                   density * np.sqrt(rate_hz / 2.0), walk_per_rts / np.sqrt(rate_hz))

    def apply(self, x: np.ndarray, rng) -> np.ndarray:
        y = x * self.scale + self.bias
        if self.walk_sd > 0:
            y = y + np.cumsum(self.walk_sd * rng.standard_normal(x.shape), axis=0)
        if self.noise_sd > 0:
            y = y + self.noise_sd * rng.standard_normal(x.shape)
        return y
