"""Input and output shared by the peer scripts (run inside the peers' own venvs: numpy only).

Input: a canonical runform CSV, ``time_s,acc_x_g,acc_y_g,acc_z_g[,gyro_x_dps,...]`` (the sidecar
meta is not needed). The peers are lower-back *walking* toolkits that want a body frame, so the
sensor frame is turned into ``vertical`` (up +) and two horizontal axes from an axis hint:

* ``--vertical x|-x|y|-y|z|-z``: that sensor axis points up (for a body-frame CSV: ``z``);
* ``--vertical auto`` (default): "up" is the direction of the mean specific force over the whole
  recording (gravity; fine for a strap that stays put, Moe-Nilssen 1998).

The horizontal axes are the remaining sensor axes made orthogonal to vertical (Gram-Schmidt);
which of them is antero-posterior is not known, so ``h1``/``h2`` are labels, not AP/ML. With
``--ap AXIS`` the named sensor axis (sign included) becomes ``h1`` = AP (forward +).

Output: one JSON document on stdout (NaN -> null).
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np

STANDARD_GRAVITY = 9.80665  # m/s^2 per g
AXES = {"x": 0, "y": 1, "z": 2}
HINTS = ("auto", "x", "-x", "y", "-y", "z", "-z")
#: decimals (Hz) the sample rate from the timestamps is rounded to
RATE_DECIMALS = 6



def parse_args(description: str, calls: tuple[str, ...] = ()) -> argparse.Namespace:
    """The peer scripts' command line; ``calls``: the script's named calls (``--call``, first is default)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("csv", help="canonical runform CSV (time_s,acc_x_g,acc_y_g,acc_z_g,...)")
    parser.add_argument("--vertical", default="auto", choices=HINTS,
                        help="sensor axis pointing up, or 'auto' (mean specific force)")
    parser.add_argument("--ap", default=None, choices=HINTS[1:],
                        help="sensor axis pointing forward (optional)")
    if calls:
        parser.add_argument("--call", default=calls[0], choices=calls, help=f"which call to time (default {calls[0]})")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs of the call (median; default 1)")
    parser.add_argument("--warmup-s", type=float, default=0.0,
                        help="first run the call untimed on this many seconds of the trace (lazy imports, "
                             "JIT, caches; default 0: none)")
    return parser.parse_args()


def load_canonical(path: str) -> dict:
    """time (n,) s, acc (n, 3) g, gyro (n, 3) deg/s or None, fs (Hz from the median interval)."""
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    col = {name: i for i, name in enumerate(header)}
    time_s = data[:, col["time_s"]]
    acc = data[:, [col["acc_x_g"], col["acc_y_g"], col["acc_z_g"]]]
    gyro_cols = ["gyro_x_dps", "gyro_y_dps", "gyro_z_dps"]
    gyro = data[:, [col[c] for c in gyro_cols]] if all(c in col for c in gyro_cols) else None
    # to the µs-resolution rate the file can hold: 1 / 0.005 s parsed is 199.99999999995 Hz, and
    # mobgap's resampling then asks for a time 5e-11 s outside its range (ValueError on 200 Hz hours)
    fs = round(1.0 / float(np.median(np.diff(time_s))), RATE_DECIMALS)
    return {"time_s": time_s, "acc_g": acc, "gyro_dps": gyro, "fs": fs}


def _unit_axis(hint: str) -> np.ndarray:
    vec = np.zeros(3)
    vec[AXES[hint[-1]]] = -1.0 if hint.startswith("-") else 1.0
    return vec


def body_rotation(acc_g: np.ndarray, vertical: str, ap: str | None) -> np.ndarray:
    """3x3 matrix whose rows are (up, h1, h2) in sensor coordinates (right-handed)."""
    if vertical == "auto":
        mean = acc_g.mean(axis=0)
        up = mean / np.linalg.norm(mean)
    else:
        up = _unit_axis(vertical)
    if ap is not None:
        h1 = _unit_axis(ap)
    else:  # the sensor axis least aligned with up
        h1 = np.eye(3)[int(np.argmin(np.abs(up)))]
    h1 = h1 - (h1 @ up) * up
    h1 /= np.linalg.norm(h1)
    h2 = np.cross(up, h1)
    return np.vstack([up, h1, h2])


def to_body(run: dict, vertical: str, ap: str | None) -> dict:
    """Adds acc_body_g (n, 3) = (up, h1, h2) and gyro_body_dps to ``run``."""
    rot = body_rotation(run["acc_g"], vertical, ap)
    run["rotation"] = rot
    run["acc_body_g"] = run["acc_g"] @ rot.T
    run["gyro_body_dps"] = None if run["gyro_dps"] is None else run["gyro_dps"] @ rot.T
    return run


def input_summary(path: str, run: dict, vertical: str, ap: str | None) -> dict:
    return {"csv": path, "samples": int(run["time_s"].size), "fs_hz": run["fs"],
            "duration_s": float(run["time_s"][-1] - run["time_s"][0]),
            "has_gyro": run["gyro_dps"] is not None, "vertical_hint": vertical, "ap_hint": ap,
            "up_in_sensor_frame": run["rotation"][0].round(4).tolist()}


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def emit(result: dict) -> None:
    print(json.dumps(_clean(result), allow_nan=False))


def median_or_none(values) -> float | None:
    arr = np.asarray(values, float)
    arr = arr[np.isfinite(arr)]
    return float(np.median(arr)) if arr.size else None


def timed_call(watch: "Stopwatch", call, n_samples: int, fs: float, warmup_s: float, repeats: int):
    """``call(stop)`` runs the peer on samples ``[0, stop)``. It first runs untimed on ``warmup_s`` of
    them (a failure there is recorded, not raised), then ``repeats`` times on all of them; the laps
    ``peer_call_s`` / ``peer_call_cpu_s`` are the medians. Returns the last result."""
    if warmup_s > 0:
        with watch.lap("warmup_s"):
            try:
                call(min(n_samples, int(round(warmup_s * fs))))
            except Exception as exc:  # noqa: BLE001  a short slice may hold no gait for a pipeline
                watch.notes.append(f"warm-up on {warmup_s:g} s failed: {type(exc).__name__}: {exc}"[:200])
    walls, cpus, result = [], [], None
    for _ in range(max(1, repeats)):
        result = None
        c0, w0 = time.process_time(), time.perf_counter()
        result = call(n_samples)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    watch.laps["peer_call_s"] = float(np.median(walls))
    watch.laps["peer_call_cpu_s"] = float(np.median(cpus))
    watch.laps["peer_call_repeats"] = len(walls)
    return result


class Stopwatch:
    """Laps: ``with sw.lap("name_s"): ...`` stores wall seconds (perf_counter) as ``name_s`` and CPU
    seconds of this process, every thread (process_time), as ``name_cpu_s`` in ``sw.laps``."""

    def __init__(self, start: float | None = None):
        self.start = time.perf_counter() if start is None else start
        self.laps: dict[str, float] = {}
        self.notes: list[str] = []

    def lap(self, name: str):
        watch = self
        cpu_name = name[:-2] + "_cpu_s" if name.endswith("_s") else name + "_cpu"

        class _Lap:
            def __enter__(self):
                self.t0, self.c0 = time.perf_counter(), time.process_time()

            def __exit__(self, *exc):
                watch.laps[name] = watch.laps.get(name, 0.0) + time.perf_counter() - self.t0
                watch.laps[cpu_name] = watch.laps.get(cpu_name, 0.0) + time.process_time() - self.c0
                return False

        return _Lap()

    def total(self) -> float:
        return time.perf_counter() - self.start
