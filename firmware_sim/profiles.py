"""Named simulation presets: gait parameters, the session schedule, mounting and sensor model.

A ``Profile`` is plain data (frozen dataclasses). ``get_profile(name)`` returns a preset;
``apply_overrides(profile, **kw)`` returns a copy with fields replaced, so a benchmark can sweep
cadence, contact time, transient size, noise, clock drift or mount rotation without new presets.

Numbers are chosen with the closed forms of the sine-wave spring-mass model (Morin et al. 2005, J Appl
Biomech 21(2):167–180): ``VO = g T [t_c/(2π) + (T - 2 t_c)/8]`` for the centre of mass. Rotation amplitudes
(pitch 1-4° at step frequency, roll 2-5° and yaw 5-10° at stride frequency; the yaw size is an assumption
of this project) and the walking double-hump force: docs/METRICS.md, "Simulator model".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from runform.sensors.errors import RunformError


class ProfileError(RunformError):
    """An unknown profile name or override, or a parameter out of its physical range."""


@dataclass(frozen=True)
class RunGait:
    """Running (spring-mass, half-sine vertical force over contact, free fall in flight).

    Units: cadence steps/min, times ms, forces and accelerations g, angles deg, speed m/s.
    Variability is a coefficient of variation (fraction) per step; fatigue drifts are fractions per hour
    of elapsed session time (cadence falls, contact and transient grow).
    """

    cadence_spm: float = 170.0
    contact_ms: float = 245.0
    transient_g: float = 0.5  # heel-strike transient amplitude A (the "jarring")
    transient_hz: float = 20.0  # f_i, 15-25 Hz
    transient_tau_ms: float = 12.0  # decay time, 10-15 ms
    braking_g: float = 0.35  # AP: -B sin(2πu) over stance (braking then propulsion)
    sway_g: float = 0.12  # ML: ∓C sin(πu) over stance
    speed_mps: float = 2.7
    lean_deg: float = 8.0
    pitch_deg: float = 2.0  # amplitude at step frequency
    roll_deg: float = 3.0  # amplitude at stride frequency
    yaw_deg: float = 7.0  # amplitude at stride frequency (stride yaw range ≈ 2×)
    contact_asym_ms: float = 0.0  # left contact minus right contact
    step_asym_ms: float = 0.0  # left step time minus right step time
    step_cv: float = 0.015
    contact_cv: float = 0.02
    transient_cv: float = 0.15
    fatigue_cadence_per_h: float = 0.03
    fatigue_contact_per_h: float = 0.06
    fatigue_transient_per_h: float = 0.3


@dataclass(frozen=True)
class WalkGait:
    """Walking (inverted pendulum): per-foot double-hump force ``A1[sin(πu) + b sin(3πu)]``, no flight."""

    cadence_spm: float = 112.0
    duty: float = 1.18  # foot contact time / step time (> 1: double support)
    hump_b: float = 0.4
    braking_g: float = 0.15
    sway_g: float = 0.08
    speed_mps: float = 1.4
    lean_deg: float = 3.0
    pitch_deg: float = 1.5
    roll_deg: float = 2.0
    yaw_deg: float = 4.0
    step_cv: float = 0.02
    contact_cv: float = 0.02


#: scheduled activities: running gaits (a flight every step), walking gaits (double support), still postures
RUN_KINDS = ("run", "sprint")
WALK_KINDS = ("walk", "stairs_up", "stairs_down")
STILL_KINDS = ("stand", "sit")
KINDS = RUN_KINDS + WALK_KINDS + STILL_KINDS


def expected_label(kind: str) -> str:
    """The stand / walk / run label an analysis should give a scheduled activity (stairs are walking,
    sitting is still, a sprint is running)."""
    return "run" if kind in RUN_KINDS else "walk" if kind in WALK_KINDS else "stand"


#: stair gaits (the walking double-hump force, no flight): climbing is slow with long double support and
#: a forward trunk; descending is quicker with short double support and two sharp humps (b = 0.6, about
#: 0.45-1.65 g at the centre of mass, the range of this model for brisk walking; at the chest the trunk's rotation
#: takes the trough lower), which can pass the bounce-level "flight" test of the classifier
STAIRS_UP = WalkGait(cadence_spm=95.0, duty=1.3, hump_b=0.3, braking_g=0.1, sway_g=0.1, speed_mps=0.5,
                     lean_deg=12.0, pitch_deg=2.0)
STAIRS_DOWN = WalkGait(cadence_spm=120.0, duty=1.1, hump_b=0.6, braking_g=0.2, sway_g=0.1, speed_mps=0.6,
                       lean_deg=2.0, pitch_deg=2.0)
SPRINT = RunGait(cadence_spm=196.0, contact_ms=185.0, transient_g=0.8, speed_mps=5.0, lean_deg=10.0,
                 pitch_deg=2.5, fatigue_cadence_per_h=0.0, fatigue_contact_per_h=0.0, fatigue_transient_per_h=0.0)


@dataclass(frozen=True)
class Segment:
    """One scheduled piece of the session: ``kind`` is one of ``KINDS``; duration in s."""

    kind: str
    duration_s: float

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ProfileError(f"unknown activity {self.kind!r}; choose one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class ImuSpec:
    """Consumer 6-axis MEMS model (typical datasheet ranges: Bosch BMI270, BMI160, TDK
    ICM-20602; docs/METRICS.md).

    ``noise`` switches white noise, static bias, bias random walk and scale error together (False = ideal sensor that
    still quantises and clips). ``drift_ppm``: the sensor oscillator runs fast by this much, so
    sensor-clock time = true time × (1 + drift_ppm·1e-6).
    """

    acc_range_g: float = 8.0
    gyro_range_dps: float = 2000.0
    acc_noise_ug_rthz: float = 150.0
    gyro_noise_dps_rthz: float = 0.007
    acc_bias_mg: float = 20.0  # SD of the static offset per axis
    gyro_bias_dps: float = 0.5
    acc_bias_walk_mg_rts: float = 0.1  # bias random walk, mg/√s (≈ 2.5 mg after 10 min)
    gyro_bias_walk_dps_rts: float = 0.01  # deg/s/√s (≈ 0.25 deg/s after 10 min)
    scale_error: float = 0.01  # SD of the per-axis scale error (fraction)
    noise: bool = True
    drift_ppm: float = 30.0
    antialias_fraction: float = 0.4  # digital LPF corner as a fraction of the output rate


@dataclass(frozen=True)
class Profile:
    """A whole simulated session. ``schedule`` repeats cyclically to fill ``duration_s``."""

    name: str
    description: str
    schedule: tuple[Segment, ...]
    run: RunGait = field(default_factory=RunGait)
    walk: WalkGait = field(default_factory=WalkGait)
    #: a fast finish or strides: quick steps, short contact (sprinters 180-220 spm, 100-200 ms)
    sprint: RunGait = field(default_factory=lambda: SPRINT)
    stairs_up: WalkGait = field(default_factory=lambda: STAIRS_UP)
    stairs_down: WalkGait = field(default_factory=lambda: STAIRS_DOWN)
    #: trunk pitch while sitting (deg, + forward): a slumped or reclined chest is no upright reference
    sit_lean_deg: float = -15.0
    imu: ImuSpec = field(default_factory=ImuSpec)
    duration_s: float = 300.0
    mount_rotation_deg: tuple[float, float, float] = (0.0, 0.0, 0.0)  # extra (roll, pitch, yaw) about body axes
    random_mount: bool = False  # draw roll ±10°, pitch 0-30°, yaw ±15° (assumption, docs/METRICS.md)
    mount_slip_deg: float = 0.0  # strap pitch change over the session (slow slippage)
    strap_hz: float = 0.0  # strap compliance natural frequency (0: rigid), 15-40 Hz plausible (Edwards et al. 2019)
    strap_damping: float = 0.3
    turn_every_s: float = 90.0  # mean interval between heading turns (0: never turn)
    turn_deg: float = 90.0
    turn_duration_s: float = 4.0
    variability: bool = True  # step-to-step variability (False: every step of a gait identical)
    fatigue: bool = True

    @property
    def total_schedule_s(self) -> float:
        return sum(s.duration_s for s in self.schedule)


def _c25k_schedule() -> tuple[Segment, ...]:
    """NHS Couch to 5K week 1 style: 5 min brisk walk, 8 × (60 s run, 90 s walk), 5 min walk, with standing."""
    seg = [Segment("stand", 15.0), Segment("walk", 300.0)]
    for _ in range(8):
        seg += [Segment("run", 60.0), Segment("walk", 90.0)]
    seg += [Segment("walk", 210.0), Segment("stand", 15.0)]
    return tuple(seg)


_RUN_ONLY = (Segment("stand", 5.0), Segment("run", 3600.0))

PROFILES: dict[str, Profile] = {
    "easy": Profile(
        "easy",
        "light, quick steps: 178 spm, 230 ms contact, small transient (model VO ≈ 7 cm)",
        _RUN_ONLY,
        run=RunGait(cadence_spm=178.0, contact_ms=230.0, transient_g=0.3, speed_mps=2.8, pitch_deg=1.5),
    ),
    "bouncy": Profile(
        "bouncy",
        "the jarring gait: 148 spm, 265 ms contact, hard landing (2 g transient), model VO ≈ 10.6 cm",
        _RUN_ONLY,
        run=RunGait(cadence_spm=148.0, contact_ms=265.0, transient_g=2.0, speed_mps=2.6, lean_deg=5.0,
                    pitch_deg=2.5, roll_deg=3.5, yaw_deg=8.0),
    ),
    "c25k": Profile(
        "c25k",
        "Couch-to-5K week one: 5 min walk, 8 × (60 s run / 90 s walk), walk, standing; bouncy-ish runs",
        _c25k_schedule(),
        run=RunGait(cadence_spm=152.0, contact_ms=265.0, transient_g=1.5, speed_mps=2.4, lean_deg=5.0,
                    pitch_deg=2.5, yaw_deg=8.0),
        duration_s=sum(s.duration_s for s in _c25k_schedule()),
    ),
    "asymmetric": Profile(
        "asymmetric",
        "one side longer on the ground: left contact 25 ms longer than right (170 spm, 245 ms mean)",
        _RUN_ONLY,
        run=RunGait(contact_asym_ms=25.0, step_asym_ms=8.0),
    ),
    "walk": Profile("walk", "brisk walking, 112 spm, double-hump vertical force, no flight", (Segment("stand", 5.0), Segment("walk", 3600.0))),
    "stand": Profile("stand", "standing still", (Segment("stand", 3600.0),), duration_s=60.0),
    "day": Profile(
        "day",
        "a real session's other activities: sit, stand, walk, stairs up and down, an easy run with a sprint finish",
        (Segment("sit", 30.0), Segment("stand", 10.0), Segment("walk", 40.0), Segment("stairs_up", 30.0),
         Segment("walk", 15.0), Segment("stairs_down", 30.0), Segment("walk", 30.0), Segment("run", 120.0),
         Segment("sprint", 20.0), Segment("walk", 40.0), Segment("stand", 10.0), Segment("sit", 25.0)),
        run=RunGait(cadence_spm=162.0, contact_ms=255.0, transient_g=0.8, speed_mps=2.6),
        duration_s=400.0,
    ),
}


#: ``c25k-week3``: one session of week 3 of the simulated nine-week season (``c25k_week``)
SEASON_PREFIX = "c25k-week"


def profile_names() -> list[str]:
    return sorted(PROFILES)


def gait_of(profile: Profile, kind: str) -> "RunGait | WalkGait":
    """The gait a moving activity of the schedule uses."""
    return getattr(profile, kind)


def get_profile(profile: "str | Profile") -> Profile:
    """The preset called ``profile`` (or ``profile`` itself when it already is a ``Profile``)."""
    if isinstance(profile, Profile):
        return profile
    name = str(profile)
    if name.startswith(SEASON_PREFIX) and name[len(SEASON_PREFIX):].isdigit():
        return c25k_week(int(name[len(SEASON_PREFIX):]))
    try:
        return PROFILES[name]
    except KeyError:
        raise ProfileError(f"unknown profile {profile!r}; choose one of {', '.join(profile_names())}, "
                           f"or {SEASON_PREFIX}1 to {SEASON_PREFIX}{C25K_WEEKS}") from None


def _fields(obj) -> set[str]:
    return {f.name for f in dataclasses.fields(obj)}


def apply_overrides(profile: Profile, **overrides) -> Profile:
    """A copy of ``profile`` with fields replaced.

    Keys are looked up in order: ``Profile`` fields, ``ImuSpec`` fields, ``RunGait`` fields, then
    ``walk_<field>``, ``sprint_<field>``, ``stairs_up_<field>``, ``stairs_down_<field>`` for the other
    gaits. Example: ``cadence_spm=160, transient_g=0, noise=False,
    drift_ppm=100, mount_rotation_deg=(0, 20, 0), walk_cadence_spm=120``.
    """
    top, imu, run = {}, {}, {}
    prefixed = {name: {} for name in ("stairs_up", "stairs_down", "sprint", "walk")}
    for key, value in overrides.items():
        if key in _fields(profile):
            top[key] = value
        elif key in _fields(profile.imu):
            imu[key] = value
        elif key in _fields(profile.run):
            run[key] = value
        else:
            gait = next((g for g in prefixed if key.startswith(g + "_") and key[len(g) + 1:] in _fields(getattr(profile, g))), None)
            if gait is None:
                raise ProfileError(f"unknown simulation parameter {key!r}")
            prefixed[gait][key[len(gait) + 1:]] = value
    if "mount_rotation_deg" in top:
        top["mount_rotation_deg"] = tuple(float(a) for a in top["mount_rotation_deg"])
    out = dataclasses.replace(
        profile,
        imu=dataclasses.replace(profile.imu, **imu),
        run=dataclasses.replace(profile.run, **run),
        **{g: dataclasses.replace(getattr(profile, g), **kw) for g, kw in prefixed.items() if kw},
        **top,
    )
    check_profile(out)
    return out


def check_profile(p: Profile) -> None:
    """Reject parameters the model cannot represent (one-line ``ProfileError``)."""
    for r in (p.run, p.sprint):
        step_ms = 60000.0 / r.cadence_spm if r.cadence_spm > 0 else 0.0
        if not 60.0 <= r.cadence_spm <= 260.0:
            raise ProfileError(f"running cadence {r.cadence_spm} spm is outside 60-260")
        if not 0.0 < r.contact_ms < 0.95 * step_ms:
            raise ProfileError(f"running contact {r.contact_ms} ms must be positive and shorter than 95 % of the step ({step_ms:.0f} ms)")
        if abs(r.contact_asym_ms) / 2 + r.contact_ms >= 0.95 * step_ms:
            raise ProfileError("contact asymmetry leaves no flight phase")
        if r.transient_g < 0:
            raise ProfileError("transient_g must be >= 0")
    for w in (p.walk, p.stairs_up, p.stairs_down):
        if not 40.0 <= w.cadence_spm <= 160.0 or not 1.0 < w.duty < 1.6:
            raise ProfileError("walking cadence must be 40-160 spm and duty between 1 and 1.6")
    if p.imu.acc_range_g not in (2.0, 4.0, 8.0, 16.0):
        raise ProfileError(f"acc range must be 2, 4, 8 or 16 g, not {p.imu.acc_range_g}")
    if p.imu.gyro_range_dps not in (125.0, 250.0, 500.0, 1000.0, 2000.0):
        raise ProfileError(f"gyro range must be 125-2000 dps, not {p.imu.gyro_range_dps}")
    if len(p.mount_rotation_deg) != 3:
        raise ProfileError("mount_rotation_deg needs three angles (roll, pitch, yaw)")


# ---------------------------------------------------------------------------------------
# a nine-week Couch-to-5K season (the run log's demo and tests)
# ---------------------------------------------------------------------------------------
#: weeks in the NHS Couch to 5K plan
C25K_WEEKS = 9
#: the runner's gait in week 1 and week 9: cadence rises, contact shortens and the landing softens
#: (so the model's vertical oscillation falls from ≈ 10 cm to ≈ 8 cm); linear in between
C25K_WEEK1 = RunGait(cadence_spm=150.0, contact_ms=270.0, transient_g=1.6, speed_mps=2.3, lean_deg=5.0,
                     pitch_deg=2.5, yaw_deg=8.0)
C25K_WEEK9 = RunGait(cadence_spm=166.0, contact_ms=240.0, transient_g=0.5, speed_mps=2.7, lean_deg=7.0,
                     pitch_deg=1.8, yaw_deg=7.0)
#: (run minutes, walk minutes) pairs of one session of each week, NHS Couch to 5K (2024 plan)
C25K_PLAN = {
    1: ((1, 1.5),) * 8,
    2: ((1.5, 2),) * 6,
    3: ((1.5, 1.5), (3, 3)) * 2,
    4: ((3, 1.5), (5, 2.5), (3, 1.5), (5, 0)),
    5: ((5, 3),) * 3,
    6: ((5, 3), (8, 3), (5, 0)),
    7: ((25, 0),),
    8: ((28, 0),),
    9: ((30, 0),),
}


def c25k_week_gait(week: int) -> RunGait:
    """The running gait of ``week`` (1-9) of the simulated season: ``C25K_WEEK1`` and ``C25K_WEEK9``
    interpolated linearly (numeric fields), the rest from week 1."""
    if not 1 <= int(week) <= C25K_WEEKS:
        raise ProfileError(f"Couch-to-5K week must be 1-{C25K_WEEKS}, not {week}")
    f = (int(week) - 1) / (C25K_WEEKS - 1)
    mixed = {}
    for fld in dataclasses.fields(RunGait):
        a, b = getattr(C25K_WEEK1, fld.name), getattr(C25K_WEEK9, fld.name)
        mixed[fld.name] = a + f * (b - a)
    return RunGait(**mixed)


def c25k_week(week: int, warmup_s: float = 300.0) -> Profile:
    """One session of ``week`` (1-9) of a simulated nine-week Couch-to-5K season: ``warmup_s`` of
    brisk walking, the week's run/walk plan (``C25K_PLAN``), a 5 min walk to cool down. The ground
    truth of each step is in ``simulate(...).truth`` as for any profile."""
    gait = c25k_week_gait(week)
    seg = [Segment("stand", 10.0)] + ([Segment("walk", float(warmup_s))] if warmup_s > 0 else [])
    for run_min, walk_min in C25K_PLAN[int(week)]:
        seg.append(Segment("run", 60.0 * run_min))
        if walk_min:
            seg.append(Segment("walk", 60.0 * walk_min))
    seg += [Segment("walk", 300.0), Segment("stand", 10.0)]
    schedule = tuple(seg)
    profile = Profile(f"{SEASON_PREFIX}{int(week)}",
                      f"Couch-to-5K week {int(week)} of a nine-week season: {gait.cadence_spm:.0f} spm, "
                      f"{gait.contact_ms:.0f} ms contact, {gait.transient_g:.2f} g transient",
                      schedule, run=gait, duration_s=sum(s.duration_s for s in schedule))
    check_profile(profile)
    return profile
