"""Ground truth of a simulated session: per step, per bout, per session; JSON writer ``FILE.truth.json``.

Per step (one foot strike to the next): foot-strike time (true time and device-clock time), side,
step time, contact time (that foot's ground contact; in walking it overlaps the next step), flight
time (running; 0 in walking), cadence, vertical oscillation of the sensor point and of the centre of
mass (peak-to-peak within the step cycle, the definition in docs/METRICS.md), stride yaw range (trunk rotation
relative to the direction of travel, over the stride that starts at this step; deg), the impact
transient (``impact_transient_g``: peak of the heel-strike transient above the spring-mass bounce, the
"residual above the bounce component", docs/METRICS.md; its model amplitude is ``transient_g``), and the peak
world-vertical specific force at the sensor point over contact (``peak_g``, internal rate, before the
sensor's anti-alias filter), and the scheduled activity (``activity``: run, sprint, walk, stairs_up,
stairs_down; ``gait`` is its running or walking gait), and the forward speed (``speed_mps``: what a footpod
would report). Bouts: one per schedule segment (``kind`` one of
``profiles.KINDS``, ``label`` the stand / walk / run an analysis should give it) with start/end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from runform.firmware_sim import gait_running
from runform.firmware_sim.profiles import STILL_KINDS, expected_label
from runform.firmware_sim.trajectory import RUN, Kinematics, SegmentSpan, StepTable
from runform.sensors.atomic import write_text_atomic

SUMMARY_FIELDS = ("cadence_spm", "contact_ms", "flight_ms", "vo_sensor_cm", "vo_com_cm", "yaw_range_deg",
                  "impact_transient_g", "peak_g")


def truth_path(csv_path) -> Path:
    """``run.csv`` -> ``run.truth.json``."""
    p = Path(csv_path)
    return p.with_name(p.stem + ".truth.json") if p.suffix.lower() == ".csv" else p.with_name(p.name + ".truth.json")


@dataclass
class Truth:
    """Ground truth. ``steps`` maps a column name to a per-step array (units in the name)."""

    steps: dict[str, np.ndarray]
    bouts: list[dict[str, Any]]
    session: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_steps(self) -> int:
        return int(len(self.steps["ic_s"]))

    def to_dict(self) -> dict[str, Any]:
        def plain(v):
            if isinstance(v, np.ndarray):
                return [plain(x) for x in v.tolist()]
            if isinstance(v, float):
                return round(v, 6)
            return v

        return {
            "steps": {k: plain(v) for k, v in self.steps.items()},
            "bouts": [{k: plain(v) for k, v in b.items()} for b in self.bouts],
            "session": {k: plain(v) for k, v in self.session.items()},
            "params": self.params,
        }

    def write_json(self, path) -> Path:
        """Write the truth as JSON, atomically (``sensors.atomic``)."""
        return write_text_atomic(path, json.dumps(self.to_dict(), indent=1, sort_keys=True) + "\n")


def _reduce(signal: np.ndarray, start_idx: np.ndarray, end_idx: np.ndarray, fn) -> np.ndarray:
    """fn.reduceat over [start, end) windows (end > start), vectorised."""
    start_idx = np.minimum(start_idx, len(signal) - 1)
    end_idx = np.maximum(np.minimum(end_idx, len(signal)), start_idx + 1)
    bounds = np.stack([start_idx, end_idx], axis=1).ravel()
    ext = np.append(signal, signal[-1])
    return fn.reduceat(ext, bounds)[::2]


def _summary(rows: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {"n_steps": int(mask.sum())}
    for name in SUMMARY_FIELDS:
        v = rows[name][mask]
        out[name] = float(np.mean(v)) if v.size else None
    left, right = mask & rows["is_left"], mask & ~rows["is_left"]
    if left.any() and right.any():
        out["contact_left_ms"] = float(np.mean(rows["contact_ms"][left]))
        out["contact_right_ms"] = float(np.mean(rows["contact_ms"][right]))
        out["contact_balance_left_pct"] = 100.0 * out["contact_left_ms"] / (out["contact_left_ms"] + out["contact_right_ms"])
    return out


def build_truth(steps: StepTable, spans: list[SegmentSpan], kin: Kinematics, drift_ppm: float,
                transient_hz: float, transient_tau_s: float, params: dict[str, Any]) -> Truth:
    dt = 1.0 / kin.fs_hz
    i_ic = np.round(steps.ic_s / dt).astype(np.int64)
    i_end = np.round((steps.ic_s + steps.step_s) / dt).astype(np.int64)
    i_tc = np.round((steps.ic_s + steps.contact_s) / dt).astype(np.int64)
    if len(steps):
        vo_s = _reduce(kin.z_sensor_m, i_ic, i_end + 1, np.maximum) - _reduce(kin.z_sensor_m, i_ic, i_end + 1, np.minimum)
        vo_c = _reduce(kin.z_com_m, i_ic, i_end + 1, np.maximum) - _reduce(kin.z_com_m, i_ic, i_end + 1, np.minimum)
        peak = _reduce(kin.sf_world_g, i_ic, i_tc + 1, np.maximum)
        ymax = _reduce(kin.yaw_osc_deg, i_ic, i_end + 1, np.maximum)
        ymin = _reduce(kin.yaw_osc_deg, i_ic, i_end + 1, np.minimum)
        same_next = np.append(steps.segment[1:] == steps.segment[:-1], False)
        nxt = np.minimum(np.arange(len(steps)) + 1, len(steps) - 1)
        yaw_range = np.where(same_next, np.maximum(ymax, ymax[nxt]) - np.minimum(ymin, ymin[nxt]), np.nan)
    else:
        vo_s = vo_c = peak = yaw_range = np.zeros(0)
    run = steps.gait == RUN
    rows = {
        "ic_s": steps.ic_s,
        "ic_device_s": steps.ic_s * (1.0 + drift_ppm * 1e-6),
        "side": np.where(steps.is_left, "L", "R"),
        "is_left": steps.is_left,
        "gait": np.where(run, "run", "walk"),
        "activity": np.asarray([sp.kind for sp in spans] or [""])[steps.segment] if len(steps) else np.zeros(0, "<U11"),
        "bout": steps.segment,
        "step_ms": steps.step_s * 1000.0,
        "cadence_spm": 60.0 / steps.step_s,
        "contact_ms": steps.contact_s * 1000.0,
        "flight_ms": np.where(run, (steps.step_s - steps.contact_s) * 1000.0, 0.0),
        "duty_factor": steps.contact_s / (2.0 * steps.step_s),
        "vo_sensor_cm": vo_s * 100.0,
        "vo_com_cm": vo_c * 100.0,
        "yaw_range_deg": yaw_range,
        "impact_transient_g": gait_running.transient_peak_g(steps.transient_g, transient_hz, transient_tau_s),
        "peak_g": peak,
        "transient_g": steps.transient_g,
        # the forward speed the trajectory uses at this step (the gait's speed times the start/stop ramp)
        "speed_mps": steps.params["speed_mps"] * steps.ramp,
    }
    bouts = []
    for i, sp in enumerate(spans):
        b = {"index": i, "kind": sp.kind, "label": expected_label(sp.kind), "start_s": sp.start_s, "end_s": sp.end_s,
             "duration_s": sp.end_s - sp.start_s}
        if sp.kind not in STILL_KINDS:
            b.update(_summary(_finite(rows), steps.segment == i))
        bouts.append(b)
    session = {"duration_s": float(kin.t[-1]), "n_steps": int(len(steps)), "drift_ppm": drift_ppm,
               "run": _summary(_finite(rows), run), "walk": _summary(_finite(rows), ~run)}
    return Truth(steps={k: v for k, v in rows.items() if k != "is_left"} | {"is_left": steps.is_left}, bouts=bouts,
                 session=session, params=params)


def _finite(rows):
    """Rows with the NaN stride yaw (last step of a bout) replaced by the bout's neighbours' mean."""
    out = dict(rows)
    y = rows["yaw_range_deg"]
    if y.size and np.isnan(y).any():
        y = y.copy()
        good = ~np.isnan(y)
        y[~good] = np.interp(np.flatnonzero(~good), np.flatnonzero(good), y[good]) if good.any() else 0.0
        out["yaw_range_deg"] = y
    return out
