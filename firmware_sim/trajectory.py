"""Whole-session trunk kinematics: schedule -> per-step event table -> internal-rate kinematics.

1. ``build_steps`` turns the profile's schedule (run / walk / stand segments) into a step table: foot
   strike times, side, step and contact times with step-to-step variability, left/right differences
   and slow fatigue drift. Each moving segment holds a whole number of steps, so a bout ends on the
   step end nearest its scheduled end (the next bout starts there; the schedule does not drift); a
   session that ends mid-step ends with a short standing tail.
2. ``kinematics`` evaluates, on a uniform internal grid (≥ 1 kHz), the centre-of-mass accelerations
   from the per-step force pulses (gait_running / gait_walking / standing), the trunk attitude
   (lean + pitch at step frequency, roll and yaw at stride frequency, slow heading turns) and the
   sensor point ``p_s = p_com + R_trunk r`` (lever arm r). It returns the specific force at the sensor
   point in the trunk frame, ``f = p̈_s + g e_V`` (the mean specific force over strides is gravity: Moe-Nilssen 1998; model in
   docs/METRICS.md, "Simulator model"), and the trunk
   angular velocity.

All pulses are scattered onto the grid at once (``np.bincount``); smooth per-step quantities (speed,
lean, rotation amplitudes, gait phase) are joined by monotone C1 cubics (PCHIP) so the lever-arm
accelerations have no spikes. Velocity drift (each step's impulse is exact in continuous time, but
transitions and variability shift the mean) is removed by subtracting a smooth PCHIP of per-step mean
velocities, and the acceleration is corrected by that trend's derivative, so ``f`` stays the exact
second derivative of the position that ground truth reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from runform.firmware_sim import gait_running, gait_walking, standing
from runform.firmware_sim.profiles import RUN_KINDS, STILL_KINDS, WALK_KINDS, Profile, Segment, gait_of
from runform.firmware_sim.rotations import body_rates, trunk_to_world, world_to_trunk
from runform.sensors.units import STANDARD_GRAVITY as G

RUN, WALK = 0, 1
#: steps over which speed, lean and sway grow from/fall to standing
RAMP_STEPS = 4
#: seconds over which body weight passes between standing and the first/last steps
STAND_BLEND_S = 0.2
#: steps over which step time cross-fades at a walk<->run change
FADE_STEPS = 3
#: contact / step time of a running step at the very start of a walk->run fade
FADE_RUN_DUTY = 0.85
#: seconds over which the trunk's pitch passes between sitting and the neighbouring activity
SIT_TRANSITION_S = 1.5
#: internal grid: at least this rate, and at least this many times the output rate
MIN_INTERNAL_HZ = 1000.0
OVERSAMPLE = 2.5
#: attitude and lever arm are evaluated in chunks of this many samples (bounded memory)
CHUNK_SAMPLES = 200_000
CHUNK_MARGIN = 4
#: lever arm from the trunk rotation centre (near the centre of mass) to the sensor, trunk frame, m
LEVER_ARM_M = {"chest": (0.12, 0.0, 0.35), "back": (-0.10, 0.0, 0.35)}


#: per-step gait parameters the kinematics read (from the step's own gait: run, sprint, walk, stairs)
STEP_PARAMS = ("hump_b", "braking_g", "sway_g", "speed_mps", "lean_deg", "pitch_deg", "roll_deg", "yaw_deg")


@dataclass
class SegmentSpan:
    kind: str  # one of profiles.KINDS
    start_s: float
    end_s: float


@dataclass
class StepTable:
    """One row per step (foot strike to next foot strike). Times in s (true time), angles deg."""

    ic_s: np.ndarray
    step_s: np.ndarray
    contact_s: np.ndarray
    is_left: np.ndarray  # bool
    gait: np.ndarray  # RUN or WALK
    segment: np.ndarray  # index into the span list
    transient_g: np.ndarray
    ramp: np.ndarray  # 0..1, growth at the start/end of movement
    params: dict  # STEP_PARAMS name -> per-step array (hump_b is 0 for running steps)

    def __len__(self) -> int:
        return int(self.ic_s.shape[0])


def expand_schedule(profile: Profile, duration_s: float) -> list[Segment]:
    """The schedule repeated cyclically and cut at ``duration_s``."""
    out, total = [], 0.0
    if profile.total_schedule_s <= 0:
        return [Segment("stand", duration_s)]
    while total < duration_s - 1e-9:
        for seg in profile.schedule:
            d = min(seg.duration_s, duration_s - total)
            if d <= 0:
                break
            out.append(Segment(seg.kind, d))
            total += d
    return out


def _transition_fade(profile: Profile, spans: list[SegmentSpan], kind: str, t_nom: float, n: int):
    """Cross-fade over ``FADE_STEPS`` steps after a walk<->run change (heuristic of this project,
    docs/METRICS.md, "Simulator model").

    Returns (time factor, weight); ``weight`` runs from near 0 to 1 and is 1 outside the fade.
    Walking after running: the step time is multiplied by the factor (running step time -> walking).
    Running after walking: cadence is the running one at once (the first steps out of a walk are quick),
    and running steps use ``weight`` to blend their contact from ``FADE_RUN_DUTY`` of the step (hardly
    any flight, small bounce) to nominal.
    """
    factor, weight = np.ones(n), np.ones(n)
    prev = spans[-1].kind if spans else "stand"
    if prev not in STILL_KINDS and (prev in RUN_KINDS) != (kind in RUN_KINDS):
        prev_nom = 60.0 / gait_of(profile, prev).cadence_spm
        w = np.arange(1, FADE_STEPS + 1) / (FADE_STEPS + 1)
        m = min(FADE_STEPS, n)
        weight[:m] = w[:m]
        if kind in WALK_KINDS:
            factor[:m] = (w + (1.0 - w) * prev_nom / t_nom)[:m]
    return factor, weight


def build_steps(profile: Profile, duration_s: float, rng: np.random.Generator):
    """Per-step event table and the segment spans (see module doc)."""
    segments = expand_schedule(profile, duration_s)
    spans: list[SegmentSpan] = []
    cols: dict[str, list] = {k: [] for k in ("ic", "T", "tc", "left", "gait", "seg", "tr", "ramp") + STEP_PARAMS}
    start, planned_end = 0.0, 0.0
    left_next = bool(rng.integers(2))
    for si, seg in enumerate(segments):
        planned_end += seg.duration_s
        last = si == len(segments) - 1
        if seg.kind in STILL_KINDS or planned_end - start <= 0:
            if planned_end > start:
                spans.append(SegmentSpan(seg.kind if seg.kind in STILL_KINDS else "stand", start, planned_end))
                start = planned_end
            continue
        run = seg.kind in RUN_KINDS
        g = gait_of(profile, seg.kind)
        t_nom = 60.0 / g.cadence_spm
        n = int(np.ceil((planned_end - start) / t_nom)) + 8
        left = (np.arange(n) % 2 == 0) == left_next
        side = np.where(left, 1.0, -1.0)  # +1 left, -1 right
        hours = (start + np.arange(n) * t_nom) / 3600.0 if profile.fatigue else np.zeros(n)
        var = 1.0 if profile.variability else 0.0
        z = rng.standard_normal((3, n)) * var
        fade, weight = _transition_fade(profile, spans, seg.kind, t_nom, n)
        if run:
            T = fade * t_nom / (1.0 - g.fatigue_cadence_per_h * hours) * (1.0 + g.step_cv * z[0]) + side * g.step_asym_ms / 2000.0
            tc = (g.contact_ms / 1000.0) * (1.0 + g.fatigue_contact_per_h * hours) * (1.0 + g.contact_cv * z[1])
            tc = weight * tc + (1.0 - weight) * FADE_RUN_DUTY * T
            tc = np.minimum(tc + side * g.contact_asym_ms / 2000.0, 0.95 * T)
            tr = g.transient_g * (1.0 + g.fatigue_transient_per_h * hours) * np.clip(1.0 + g.transient_cv * z[2], 0.0, None)
        else:
            T = fade * t_nom * (1.0 + g.step_cv * z[0])
            tc = g.duty * T * (1.0 + g.contact_cv * z[1])
            tr = np.zeros(n)
        # whole steps: the bout ends on the step end nearest its planned end (never past the session end)
        ends = np.cumsum(T)
        slack = 0.0 if last else 0.5 * t_nom
        n = int(np.searchsorted(ends, planned_end - start + slack, side="right"))
        if n < 2:  # too short to hold a stride: stand instead
            spans.append(SegmentSpan("stand", start, planned_end))
            start = planned_end
            continue
        T, tc, tr, left = T[:n], tc[:n], tr[:n], left[:n]
        end = start + float(ends[n - 1])
        spans.append(SegmentSpan(seg.kind, start, end))
        prev_stand = si == 0 or spans[-2].kind in STILL_KINDS
        next_stand = last or segments[si + 1].kind in STILL_KINDS
        j = np.arange(n)
        ramp = np.ones(n)
        if prev_stand:
            ramp = np.minimum(ramp, (j + 1) / RAMP_STEPS)
        if next_stand:
            ramp = np.minimum(ramp, (n - j) / RAMP_STEPS)
        cols["ic"].append(start + np.concatenate([[0.0], ends[: n - 1]]))
        cols["T"].append(T)
        cols["tc"].append(tc)
        cols["left"].append(left)
        cols["gait"].append(np.full(n, RUN if run else WALK))
        cols["seg"].append(np.full(n, len(spans) - 1))
        cols["tr"].append(tr)
        cols["ramp"].append(ramp)
        for name in STEP_PARAMS:
            cols[name].append(np.full(n, float(getattr(g, name, 0.0))))
        left_next = not bool(left[-1])
        start = end
        if last and end < duration_s - 1e-9:
            spans.append(SegmentSpan("stand", end, duration_s))

    def cat(k, dtype=float):
        return np.concatenate(cols[k]).astype(dtype) if cols[k] else np.zeros(0, dtype=dtype)

    steps = StepTable(cat("ic"), cat("T"), cat("tc"), cat("left", bool), cat("gait", int), cat("seg", int), cat("tr"), cat("ramp"),
                      {name: cat(name) for name in STEP_PARAMS})
    return steps, spans


@dataclass
class Kinematics:
    """Internal-rate truth signals. ``t`` true time (s); ``f_trunk_g`` specific force at the sensor point
    in trunk axes (g); ``omega_trunk_dps`` trunk angular velocity in trunk axes (deg/s);
    ``sf_world_g`` specific force at the sensor point in world axes (g, z up); ``z_com_m``,
    ``z_sensor_m`` vertical positions (m); ``yaw_osc_deg`` trunk yaw relative to heading;
    ``heading_deg`` direction of travel; ``pitch_deg``, ``roll_deg`` trunk attitude."""

    t: np.ndarray
    fs_hz: float
    f_trunk_g: np.ndarray
    omega_trunk_dps: np.ndarray
    sf_world_g: np.ndarray
    z_com_m: np.ndarray
    z_sensor_m: np.ndarray
    yaw_osc_deg: np.ndarray
    heading_deg: np.ndarray
    pitch_deg: np.ndarray
    roll_deg: np.ndarray


def _scatter(t0_idx_time: np.ndarray, length_s: np.ndarray, dt: float, n: int):
    """(sample index, step index, time since the step's start) for every grid sample inside each pulse."""
    i0 = np.clip(np.ceil(t0_idx_time / dt - 1e-9).astype(np.int64), 0, n)
    i1 = np.clip(np.ceil((t0_idx_time + length_s) / dt - 1e-9).astype(np.int64), 0, n)
    counts = np.maximum(i1 - i0, 0)
    k = np.repeat(np.arange(len(counts)), counts)
    offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    idx = i0[k] + offs
    return idx, k, idx * dt - t0_idx_time[k]


def _knots(steps: StepTable, spans: list[SegmentSpan], per_step: np.ndarray, still_value: dict):
    """Knot times/values: one per step at its foot strike, two inside each still span (``still_value``:
    the value per still kind, "stand" / "sit")."""
    tk, vk = [steps.ic_s], [per_step]
    for sp in spans:
        if sp.kind in STILL_KINDS and sp.end_s > sp.start_s:
            d = sp.end_s - sp.start_s
            # getting up from or sitting down on a chair takes about a second, not a quarter of the sitting
            edge = min(0.25 * d, SIT_TRANSITION_S) if sp.kind == "sit" else 0.25 * d
            tk.append(np.array([sp.start_s + edge, sp.end_s - edge]))
            vk.append(np.full(2, still_value[sp.kind]))
    t, v = np.concatenate(tk), np.concatenate(vk)
    order = np.argsort(t, kind="stable")
    t, v = t[order], v[order]
    keep = np.concatenate([[True], np.diff(t) > 1e-6])
    return t[keep], v[keep]


def _cumtrapz(a, dt):
    out = np.empty_like(a)
    out[0] = 0.0
    np.cumsum((a[1:] + a[:-1]) * (0.5 * dt), out=out[1:])
    return out


def _detrend_velocity(t, v, starts_idx, ends_idx, flat):
    """Subtract a PCHIP through the mean velocity of each window; returns (v - trend, d trend/dt).

    A step window has one knot at its middle; a ``flat`` (standing) window has knots at both ends, so
    the correction is zero while standing and any change happens within the neighbouring steps."""
    ok = ends_idx > starts_idx
    s, e, flat = starts_idx[ok], ends_idx[ok], flat[ok]
    if s.size == 0:
        return v, np.zeros_like(v)
    c = np.concatenate([[0.0], np.cumsum(v)])
    means = (c[e] - c[s]) / (e - s)
    mid = np.concatenate([np.where(flat, t[s], 0.5 * (t[s] + t[e - 1])), t[e - 1][flat]])
    means = np.concatenate([means, means[flat]])
    order = np.argsort(mid, kind="stable")
    mid, means = mid[order], means[order]
    keep = np.concatenate([[True], np.diff(mid) > 1e-6])
    mid, means = mid[keep], means[keep]
    trend = _Curve(mid, means)
    return v - trend(t), trend.derivative(t)


def _windows(steps: StepTable, spans, dt, n, stride: bool):
    """Index windows for drift removal: each step (or each stride within one segment) and each standing
    span; returns (starts, ends, flat) with ``flat`` marking the standing spans."""
    ic = steps.ic_s
    if stride:
        same = steps.segment[1:] == steps.segment[:-1] if len(steps) > 1 else np.zeros(0, bool)
        a, b = ic[:-1][same], (ic[1:] + steps.step_s[1:])[same]
    else:
        a, b = ic, ic + steps.step_s
    flat = np.zeros(a.size, bool)
    st = [(sp.start_s, sp.end_s) for sp in spans if sp.kind in STILL_KINDS]
    if st:
        a = np.concatenate([a, [x for x, _ in st]])
        b = np.concatenate([b, [y for _, y in st]])
        flat = np.concatenate([flat, np.ones(len(st), bool)])
    return (np.clip(np.round(a / dt).astype(np.int64), 0, n), np.clip(np.round(b / dt).astype(np.int64), 0, n), flat)


def _heading(t, profile: Profile, rng: np.random.Generator):
    """Direction of travel (rad): smooth turns of ±``turn_deg`` (quintic smoothstep) at random times."""
    duration = float(t[-1]) if t.size else 0.0
    if profile.turn_every_s <= 0 or duration <= 0:
        return np.zeros_like(t)
    n_turns = rng.poisson(duration / profile.turn_every_s)
    starts = np.sort(rng.uniform(0.0, max(duration - profile.turn_duration_s, 0.0), n_turns))
    angles = np.deg2rad(profile.turn_deg) * rng.choice([-1.0, 1.0], n_turns)
    psi = np.zeros_like(t)
    dt = t[1] - t[0]
    span = max(int(round(profile.turn_duration_s / dt)), 1)
    ramp = np.linspace(0.0, 1.0, span + 1)
    shape = ramp ** 3 * (10.0 - 15.0 * ramp + 6.0 * ramp ** 2)
    step = np.zeros_like(t)
    for s, ang in zip(starts, angles):  # loop over turns (tens), each a vectorised slice
        i = int(round(s / dt))
        j = min(i + span + 1, t.size)
        psi[i:j] += ang * shape[: j - i]
        if i + span + 1 < t.size:
            step[i + span + 1] += ang
    return psi + np.cumsum(step)


def _standing_weight(spans: list[SegmentSpan], dt: float, n: int) -> np.ndarray:
    """Share of body weight carried by standing: 1 in standing spans, handed over to the first steps
    (raised-cosine fall) and taken back after the last (raised-cosine rise) over ``STAND_BLEND_S``, so
    the vertical force has no jump at a start or a stop. The small impulse this adds is absorbed by the
    velocity-drift correction like any other transition."""
    w = np.zeros(n)
    m = max(int(round(STAND_BLEND_S / dt)), 1)
    fall = 0.5 * (1.0 + np.cos(np.pi * np.arange(m) / m))
    for sp in spans:  # a handful of spans
        if sp.kind not in STILL_KINDS:
            continue
        a, b = int(round(sp.start_s / dt)), min(int(round(sp.end_s / dt)), n - 1)
        w[a: b + 1] = 1.0
        if b < n - 1:  # a moving segment follows
            j = min(b + m, n)
            w[b:j] = np.maximum(w[b:j], fall[: j - b])
        if a > 0:  # a moving segment precedes
            j = min(a + m, n)
            w[a:j] = np.minimum(w[a:j], fall[::-1][: j - a] if j - a == m else 1.0 - fall[: j - a])
    return w


def kinematics(profile: Profile, steps: StepTable, spans: list[SegmentSpan], duration_s: float,
               fs_hz: float, mount: str, rng: np.random.Generator) -> Kinematics:
    """Evaluate the trunk and sensor-point motion on a uniform grid of ``fs_hz`` (see module doc)."""
    dt = 1.0 / fs_hz
    n = int(np.floor(duration_s * fs_hz)) + 1
    t = np.arange(n) * dt
    run = steps.gait == RUN
    walk = ~run
    side = np.where(steps.is_left, -1.0, 1.0)  # ML force sign: right stance pushes left (+)

    # --- vertical specific force of the centre of mass (g) --------------------------------------
    rg, sp = profile.run, steps.params
    tau_tr = rg.transient_tau_ms / 1000.0
    sine_amp = np.where(run, gait_running.sine_amplitude(steps.step_s, steps.contact_s, steps.transient_g, rg.transient_hz, tau_tr), 0.0)
    hump_amp = np.where(walk, gait_walking.hump_amplitude(steps.step_s, steps.contact_s, sp["hump_b"]), 0.0)
    idx, k, tau = _scatter(steps.ic_s, steps.contact_s, dt, n)
    tc_k = steps.contact_s[k]
    is_run = run[k]
    v_run = gait_running.vertical_sf(tau, tc_k, sine_amp[k], steps.transient_g[k], rg.transient_hz, tau_tr)
    v_walk = gait_walking.vertical_sf(tau, tc_k, hump_amp[k], sp["hump_b"][k])
    sf_v = np.bincount(idx, weights=np.where(is_run, v_run, v_walk), minlength=n)
    standing_weight = _standing_weight(spans, dt, n)
    sf_v = sf_v + standing_weight * standing.STANDING_SF_G

    braking = sp["braking_g"] * steps.ramp
    sway = sp["sway_g"] * steps.ramp
    a_ap = np.bincount(idx, weights=gait_running.ap_acc(tau, tc_k, braking[k]), minlength=n) * G
    a_ml = np.bincount(idx, weights=gait_running.ml_acc(tau, tc_k, sway[k], side[k]), minlength=n) * G
    del idx, k, tau, tc_k, is_run, v_run, v_walk
    a_z = (sf_v - 1.0) * G

    ws, we, wf = _windows(steps, spans, dt, n, stride=False)
    v_z, dtrend = _detrend_velocity(t, _cumtrapz(a_z, dt), ws, we, wf)
    a_z = a_z - dtrend
    z_com = _cumtrapz(v_z, dt)
    v_ap, dtrend = _detrend_velocity(t, _cumtrapz(a_ap, dt), ws, we, wf)
    a_ap = a_ap - dtrend
    ss, se, sf = _windows(steps, spans, dt, n, stride=True)
    v_ml, dtrend = _detrend_velocity(t, _cumtrapz(a_ml, dt), ss, se, sf)
    a_ml = a_ml - dtrend

    # --- smooth per-step envelopes (PCHIP curves, built once) --------------------------------------
    def env(per_step, still=None):
        return _Curve(*_knots(steps, spans, per_step * steps.ramp, still or {"stand": 0.0, "sit": 0.0}))

    speed = env(sp["speed_mps"])
    lean = env(np.deg2rad(sp["lean_deg"]), {"stand": np.deg2rad(standing.STANDING_LEAN_DEG),
                                            "sit": np.deg2rad(profile.sit_lean_deg)})
    pitch_amp = env(np.deg2rad(sp["pitch_deg"]))
    roll_amp = env(np.deg2rad(sp["roll_deg"]))
    yaw_amp = env(np.deg2rad(sp["yaw_deg"]))
    # gait phase in steps: k at the k-th foot strike (C1, monotone)
    phase_of = PchipInterpolator(steps.ic_s, np.arange(len(steps), dtype=float), extrapolate=True) if len(steps) >= 2 else None
    first_left = 1.0 if len(steps) and steps.is_left[0] else -1.0
    heading = _heading(t, profile, rng)
    r = np.asarray(LEVER_ARM_M[mount], dtype=float)

    out = Kinematics(t=t, fs_hz=fs_hz, f_trunk_g=np.empty((n, 3)), omega_trunk_dps=np.empty((n, 3)),
                     sf_world_g=np.empty(n), z_com_m=z_com, z_sensor_m=np.empty(n), yaw_osc_deg=np.empty(n),
                     heading_deg=np.rad2deg(heading), pitch_deg=np.empty(n), roll_deg=np.empty(n))
    # attitude, lever arm and frame changes chunk by chunk (bounded memory); the margin keeps every
    # central difference inside the chunk, so the result equals a whole-array evaluation
    for a in range(0, n, CHUNK_SAMPLES):
        b = min(n, a + CHUNK_SAMPLES)
        lo, hi = max(0, a - CHUNK_MARGIN), min(n, b + CHUNK_MARGIN)
        keep = slice(a - lo, b - lo)
        tt, hd = t[lo:hi], heading[lo:hi]
        phase = phase_of(tt) if phase_of is not None else np.zeros_like(tt)
        pitch = lean(tt) + pitch_amp(tt) * np.sin(2.0 * np.pi * phase)  # forward flexion peaks in early-mid stance
        roll = -first_left * roll_amp(tt) * np.sin(np.pi * phase)  # lean toward the stance side
        yaw_osc = first_left * yaw_amp(tt) * np.cos(np.pi * phase)  # left strike: right shoulder forward (+yaw)
        yaw = hd + yaw_osc
        omega = body_rates(yaw, pitch, roll, *(np.gradient(x, dt) for x in (yaw, pitch, roll)))

        # centre of mass in the world frame: heading-frame velocity (forward, left) turned by the heading
        vx, vy = speed(tt) + v_ap[lo:hi], v_ml[lo:hi]
        dhead = np.gradient(hd, dt)
        ax_h = speed.derivative(tt) + a_ap[lo:hi] - dhead * vy  # rotating heading frame (turns)
        ay_h = a_ml[lo:hi] + dhead * vx
        ch, sh = np.cos(hd), np.sin(hd)
        f_world = np.stack([ch * ax_h - sh * ay_h, sh * ax_h + ch * ay_h, a_z[lo:hi]], axis=1)

        # sensor point: p_s = p_com + R_trunk r, so f = p̈_com + d²(R r)/dt² + g e_V
        q = trunk_to_world(np.broadcast_to(r, (hi - lo, 3)), yaw, pitch, roll)
        f_world += np.gradient(np.gradient(q, dt, axis=0), dt, axis=0)
        f_world[:, 2] += G
        f_world /= G
        out.f_trunk_g[a:b] = world_to_trunk(f_world, yaw, pitch, roll)[keep]
        out.omega_trunk_dps[a:b] = np.rad2deg(omega[keep])
        out.sf_world_g[a:b] = f_world[keep, 2]
        out.z_sensor_m[a:b] = z_com[a:b] + q[keep, 2] - r[2]
        out.yaw_osc_deg[a:b] = np.rad2deg(yaw_osc[keep])
        out.pitch_deg[a:b] = np.rad2deg(pitch[keep])
        out.roll_deg[a:b] = np.rad2deg(roll[keep])
    return out


def PchipInterpolator(*args, **kwargs):
    """``scipy.interpolate.PchipInterpolator``, imported on first use: ``import firmware_sim`` is part of
    every ``runform`` command's start-up (the CLI lists the simulator's profiles), and scipy.interpolate
    cost 0.14 s of it."""
    from scipy.interpolate import PchipInterpolator as pchip

    return pchip(*args, **kwargs)


class _Curve:
    """PCHIP through knots, held constant outside them (value and derivative)."""

    def __init__(self, knots_t: np.ndarray, knots_v: np.ndarray):
        self.t, self.v = knots_t, knots_v
        self.p = PchipInterpolator(knots_t, knots_v, extrapolate=False) if knots_t.size >= 2 else None
        self.dp = self.p.derivative() if self.p is not None else None

    def __call__(self, t):
        if self.p is None:
            return np.full_like(t, self.v[0] if self.v.size else 0.0)
        return self.p(np.clip(t, self.t[0], self.t[-1]))

    def derivative(self, t):
        if self.p is None:
            return np.zeros_like(t)
        d = self.dp(np.clip(t, self.t[0], self.t[-1]))
        d[(t < self.t[0]) | (t > self.t[-1])] = 0.0
        return d


def internal_rate(rate_hz: float) -> float:
    return max(MIN_INTERNAL_HZ, OVERSAMPLE * rate_hz)
