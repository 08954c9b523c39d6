"""``simulate()``: one call from a profile name to a ``Recording`` with ground truth and raw counts.

Pipeline: profile + overrides -> step table (trajectory.build_steps) -> internal-rate kinematics
(trajectory.kinematics) -> IMU (imu: mount, anti-alias, drifting sample clock, errors, int16 counts)
-> ``Recording`` (counts × LSB, device-clock time) + ``Truth``. One ``numpy.random.Generator`` seeded
with ``seed`` drives everything, so the same arguments give the same bytes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from runform.firmware_sim import imu, trajectory
from runform.firmware_sim.profiles import Profile, ProfileError, apply_overrides, get_profile
from runform.firmware_sim.truth import Truth, build_truth
from runform.sensors.recording import Metadata, Recording

DEVICE_NAME = "runform virtual strap"
FIRMWARE = "firmware_sim 1"
#: simulated sessions start at a fixed instant so the same seed gives the same bytes
EPOCH = datetime(2026, 1, 1, 7, 0, 0, tzinfo=timezone.utc)


@dataclass
class SensorCounts:
    """The exact raw samples the virtual strap produced, for packetizers.

    ``acc`` / ``gyro``: (n, 3) int16 counts in device axes; physical value = counts × LSB
    (``acc_lsb_g`` g, ``gyro_lsb_dps`` deg/s). ``time_s``: device-clock sample times (s) = index / rate.
    """

    acc: np.ndarray
    gyro: np.ndarray | None
    acc_lsb_g: float
    gyro_lsb_dps: float
    acc_range_g: float
    gyro_range_dps: float
    time_s: np.ndarray
    rate_hz: float

    @property
    def sample_index(self) -> np.ndarray:
        return np.arange(self.acc.shape[0])


@dataclass
class SimResult:
    """``recording`` (what a real strap would give), ``truth`` (what really happened), ``counts`` (raw
    int16 samples), ``kinematics`` (internal-rate truth signals), ``profile`` (after overrides)."""

    recording: Recording
    truth: Truth
    counts: SensorCounts
    kinematics: trajectory.Kinematics
    profile: Profile
    mount_matrix: np.ndarray


#: the longest session simulated in one call (s): two hours. The peak memory grows by about 0.22 MB
#: per simulated second at any output rate (the trajectories run at >= 1 kHz): 1.7 GB for two hours
#: (benchmarks/RESULTS.md, "Reliability"); ``--duration 1e9`` used to be killed for memory
MAX_DURATION_S = 7200.0


def simulate(profile: "str | Profile", duration_s: float | None = None, rate_hz: float = 100, seed: int = 0,
             mount: str = "chest", gyro: bool = True, **overrides) -> SimResult:
    """Simulate a strap session. ``duration_s`` defaults to the profile's; ``rate_hz`` 25-416;
    ``mount`` "chest" or "back"; ``overrides`` replace profile fields (see ``profiles.apply_overrides``)."""
    prof = get_profile(profile)
    if overrides:
        prof = apply_overrides(prof, **overrides)
    duration = float(prof.duration_s if duration_s is None else duration_s)
    if not np.isfinite(duration) or duration <= 0:
        raise ProfileError(f"duration must be a positive number of seconds, not {duration_s!r}")
    if duration > MAX_DURATION_S:
        raise ProfileError(f"duration {duration:g} s is longer than the {MAX_DURATION_S:g} s the simulator runs "
                           "in one go (its 1 kHz trajectories need about 0.22 MB per second)")
    rate = float(rate_hz)
    imu.check_rate(rate)
    rng = np.random.default_rng(seed)
    rotation = imu.random_rotation_deg(rng) if prof.random_mount else prof.mount_rotation_deg
    m = imu.mount_matrix(mount, rotation)

    steps, spans = trajectory.build_steps(prof, duration, rng)
    fs = trajectory.internal_rate(rate)
    kin = trajectory.kinematics(prof, steps, spans, duration, fs, mount, rng)

    spec = prof.imu
    t_true, t_dev = imu.sample_times(duration, rate, spec.drift_ppm)
    f_strap = imu.strap_filter(kin.f_trunk_g, fs, prof.strap_hz, prof.strap_damping)
    acc_dev = imu.to_device(f_strap, mount, rotation, prof.mount_slip_deg)
    del f_strap
    acc_phys = imu.resample(kin.t, fs, acc_dev, t_true, rate, spec.antialias_fraction)
    del acc_dev
    acc_err = imu.ChannelErrors.draw(rng, spec, spec.scale_error, spec.acc_bias_mg / 1000.0, spec.acc_noise_ug_rthz * 1e-6, rate,
                                      spec.acc_bias_walk_mg_rts / 1000.0)
    acc_lsb = imu.lsb(spec.acc_range_g)
    acc_counts = imu.quantise(acc_err.apply(acc_phys, rng), acc_lsb)
    gyro_lsb = imu.lsb(spec.gyro_range_dps)
    gyro_counts = None
    if gyro:
        gyr_dev = imu.to_device(kin.omega_trunk_dps, mount, rotation, prof.mount_slip_deg)
        gyr_phys = imu.resample(kin.t, fs, gyr_dev, t_true, rate, spec.antialias_fraction)
        gyr_err = imu.ChannelErrors.draw(rng, spec, spec.scale_error, spec.gyro_bias_dps, spec.gyro_noise_dps_rthz, rate,
                                          spec.gyro_bias_walk_dps_rts)
        gyro_counts = imu.quantise(gyr_err.apply(gyr_phys, rng), gyro_lsb)

    params = {
        "profile": prof.name, "seed": seed, "rate_hz": rate, "mount": mount, "gyro": gyro,
        "mount_rotation_deg": [float(a) for a in rotation], "mount_matrix": m.round(9).tolist(),
        "device_up_axis": (m.T @ np.array([0.0, 0.0, 1.0])).round(9).tolist(),
        "lever_arm_m": list(trajectory.LEVER_ARM_M[mount]), "internal_rate_hz": fs,
        "overrides": _plain(overrides),
        "profile_params": _plain(dataclasses.asdict(prof)),
    }
    truth = build_truth(steps, spans, kin, spec.drift_ppm, prof.run.transient_hz, prof.run.transient_tau_ms / 1000.0, params)
    meta = Metadata(
        device=DEVICE_NAME, firmware=FIRMWARE, placement=mount, nominal_rate_hz=rate,
        start_utc=(EPOCH + timedelta(seconds=int(seed) % 86400)).isoformat(timespec="microseconds"),
        acc_range_g=spec.acc_range_g, source_format="firmware_sim",
        extra={"simulated": True, "profile": prof.name, "seed": seed, "gyro_range_dps": spec.gyro_range_dps},
    )
    rec = Recording(t_dev, acc_counts * acc_lsb, None if gyro_counts is None else gyro_counts * gyro_lsb, meta)
    counts = SensorCounts(acc_counts, gyro_counts, acc_lsb, gyro_lsb, spec.acc_range_g, spec.gyro_range_dps, t_dev, rate)
    return SimResult(rec, truth, counts, kin, prof, m)


def _plain(x):
    """JSON-ready copy: dataclasses to dicts, tuples to lists, NumPy scalars to Python numbers."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return _plain(dataclasses.asdict(x))
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x
