"""The peers (scikit-digital-health, mobgap: benchmarks/peers/) on the benchmark's traces.

Each trace is written as a canonical CSV under ``benchmarks/.cache/accuracy_traces/`` (never in the
repo) and run through ``benchmarks.peers.run_peer`` with ``vertical="auto"`` (mean specific force:
the peers are not told the mount). The peers' IC times are scored exactly like ours
(``scoring.match_strikes``). Deviations, all documented in RESULTS.md:

* Sweep: the peers run on every ``PEER_EVERY``-th sweep case (each rate × mount × gyro cell once per
  16 cases), the whole session (standing and walking included), scored on the running bout only.
  skdh is told ``gait_pred=True`` (whole trace is gait, as in the survey), so its steps in standing
  do not count against it.
* Cadence per bout: from the peer's strikes inside the true running bout ((n − 1) / span), the same
  rule as ours on the real data; contact: skdh's per-step "stance time" (mobgap gives none).
* Oxford phones sample irregularly: the peers get a linear resampling to ``OXFORD_PEER_RATE_HZ``.
* Hexoskin: the peers get the README's jog analysis window only (as benchmarks/peers/check_peers.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmarks._accuracy import real, scoring
from benchmarks._accuracy.sim_sweep import Case, simulate_case, truth_run

ROOT = Path(__file__).resolve().parents[2]
TRACES = ROOT / "benchmarks" / ".cache" / "accuracy_traces"
PEER_NAMES = ("skdh", "mobgap")
PEER_EVERY = 8
OXFORD_PEER_RATE_HZ = 100.0
PARALLEL_PEER_RUNS = 2  # peer subprocesses at once (the box has 2 cores)


def status() -> dict[str, str | None]:
    """Per peer: None when it can run, else why not (venv missing)."""
    from benchmarks.peers import peer_status

    return {name: peer_status(name) for name in PEER_NAMES}


def _write(rec, name: str) -> Path:
    from runform.sensors.canonical_csv import write_canonical

    TRACES.mkdir(parents=True, exist_ok=True)
    return write_canonical(rec, TRACES / f"{name}.csv", write_sidecar=False)


def _run(name: str, path: Path) -> dict | None:
    from benchmarks.peers import run_peer

    return run_peer(name, path, vertical="auto")


def _run_all(paths: list[Path], names: list[str]) -> dict[tuple[str, Path], dict | None]:
    """Every peer on every path, ``PARALLEL_PEER_RUNS`` subprocesses at a time."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = [(n, p) for p in paths for n in names]
    with ThreadPoolExecutor(PARALLEL_PEER_RUNS) as pool:
        return dict(zip(jobs, pool.map(lambda job: _run(*job), jobs)))


def _ics(result: dict | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(IC times s, stance ms or NaN) of a successful peer run, else None."""
    if result is None or "error" in result:
        return None
    ic = np.asarray(result.get("ic_time_s") or [], float)
    stance = np.asarray((result.get("per_step") or {}).get("stance_time_s") or [np.nan] * ic.size, float)
    stance = np.where(np.isfinite(stance), stance, np.nan) * 1000.0 if stance.size == ic.size else np.full(ic.size, np.nan)
    order = np.argsort(ic)
    return ic[order], stance[order]


def sweep_cases(cases: list[Case], names: list[str]) -> dict[str, list[dict]]:
    """Per peer, per case: recall, precision, IC bias/SD, cadence error, contact error (or error text)."""
    out: dict[str, list[dict]] = {n: [] for n in names}
    sims = [simulate_case(case) for case in cases]
    paths = [_write(sim.recording, f"sweep_{case.index:03d}") for case, sim in zip(cases, sims)]
    runs = _run_all(paths, names)
    for case, sim, path in zip(cases, sims, paths):
        tr = truth_run(sim.truth)
        for name in names:
            res = _ics(runs[name, path])
            if res is None:
                out[name].append({"case": case.index, "error": "peer failed"})
                continue
            ic, stance = res
            half = 0.5 * tr["step_s"]
            inside = (ic >= tr["ic_s"][0] - half) & (ic <= tr["ic_s"][-1] + half)
            m = scoring.match_strikes(tr["ic_s"], ic[inside], tr["step_s"])
            in_bout = (ic >= tr["start_s"]) & (ic <= tr["end_s"])
            contact = np.nanmedian(stance[in_bout]) if np.isfinite(stance[in_bout]).any() else np.nan
            out[name].append({"case": case.index, "recall_pct": m.recall_pct, "precision_pct": m.precision_pct,
                              "ic_bias_ms": m.bias_ms, "ic_sd_ms": m.sd_ms,
                              "cadence_err_spm": scoring.cadence_from_strikes(ic[in_bout]) - tr["cadence_spm"],
                              "contact_err_ms": contact - tr["contact_ms"]})
    return out


def sacral(names: list[str]) -> dict[str, list]:
    from runform.sensors import load_recording

    trials, contacts = real.sacral_references()
    out: dict[str, list] = {n: [] for n in names}
    paths = [_write(load_recording(real.sacral_path(int(ref["row"]))), f"sacral_{int(ref['row']):02d}") for ref in trials]
    runs = _run_all(paths, names)
    for ref, path in zip(trials, paths):
        row = int(ref["row"])
        for name in names:
            res = _ics(runs[name, path])
            if res is None:
                out[name].append(None)
                continue
            out[name].append(real.score_sacral_steps(ref, contacts[row], res[0], res[1]))
    return out


def hexoskin(names: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Per peer: (subject, jog cadence error spm) from the peer's strikes in the jog window."""
    from runform.sensors import load_recording
    from runform.sensors.recording import Recording

    out: dict[str, list] = {n: [] for n in names}
    refs_all = sorted(real.hexoskin_references().items())
    paths = []
    for subject, refs in refs_all:
        a, b = float(refs["jog"]["analysis_start_s"]), float(refs["jog"]["analysis_end_s"])
        rec = load_recording(real.hexoskin_path(subject))
        keep = (rec.time >= a) & (rec.time <= b)
        crop = Recording(rec.time[keep] - rec.time[keep][0], rec.acc[keep], None, rec.meta)
        paths.append(_write(crop, f"hexoskin_{subject}_jog"))
    runs = _run_all(paths, names)
    for (subject, refs), path in zip(refs_all, paths):
        jog = refs["jog"]
        for name in names:
            res = _ics(runs[name, path])
            err = scoring.cadence_from_strikes(res[0]) - float(jog["device_step_events_spm"]) if res else float("nan")
            out[name].append((subject, err))
    return out


def oxford(names: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Per peer: (trial, step-count error %) on the resampled phone traces."""
    from runform.sensors import load_recording
    from runform.sensors.recording import Metadata, Recording

    out: dict[str, list] = {n: [] for n in names}
    truth = real.oxford_truth()
    paths = []
    for trial, (path, _) in truth.items():
        rec = load_recording(path)
        t = np.arange(rec.time[0], rec.time[-1], 1.0 / OXFORD_PEER_RATE_HZ)
        acc = np.column_stack([np.interp(t, rec.time, rec.acc[:, i]) for i in range(3)])
        paths.append(_write(Recording(t - t[0], acc, None, Metadata(nominal_rate_hz=OXFORD_PEER_RATE_HZ)), f"oxford_{trial}"))
    runs = _run_all(paths, names)
    for (trial, (_, true)), csv_path in zip(truth.items(), paths):
        for name in names:
            res = _ics(runs[name, csv_path])
            out[name].append((trial, 100.0 * (res[0].size - true) / true if res else float("nan")))
    return out
