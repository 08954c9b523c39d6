"""Run mobgap's IC detector and cadence on a canonical runform CSV; print one JSON.

Peer: mobgap 1.2.0 (Mobilise-D, Apache-2.0), in its own venv (benchmarks/peers/setup_venvs.sh).
Calls, as in research/peers.md §2 (the algorithm level: mobgap's full walking pipeline halves the
running cadence, so it is not what we compare against):

    ic = IcdIonescu().detect(df, sampling_rate_hz=fs).ic_list_        # samples, column "ic"
    cad = CadFromIc().calculate(df, initial_contacts=ic, sampling_rate_hz=fs).cadence_per_sec_

``df`` is mobgap's body frame in m/s^2: ``acc_is`` (up, +9.81 at rest) = our vertical,
``acc_pa``/``acc_ml`` = the two horizontal axes from ``_peer_io`` (IcdIonescu uses acc_is only).
Per-step outputs: IC times and step times (IC differences); cadence is per second.

Usage: benchmarks/.cache/venvs/mobgap/bin/python run_mobgap.py TRACE.csv [--vertical z] [--ap x]
"""

import time

_T0 = time.perf_counter()

import warnings  # noqa: E402

import numpy as np  # noqa: E402

from _peer_io import STANDARD_GRAVITY, Stopwatch, emit, input_summary, load_canonical, median_or_none, parse_args, to_body  # noqa: E402


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    watch = Stopwatch(_T0)
    with watch.lap("load_s"):
        run = to_body(load_canonical(args.csv), args.vertical, args.ap)
    with watch.lap("import_s"):
        import importlib.metadata

        import pandas as pd
        from mobgap.cadence import CadFromIc
        from mobgap.initial_contacts import IcdIonescu
    acc = run["acc_body_g"] * STANDARD_GRAVITY
    df = pd.DataFrame({"acc_is": acc[:, 0], "acc_pa": acc[:, 1], "acc_ml": acc[:, 2]})
    fs = run["fs"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with watch.lap("peer_call_s"):
            ic = IcdIonescu().detect(df, sampling_rate_hz=fs).ic_list_
            cad = CadFromIc().calculate(df, initial_contacts=ic, sampling_rate_hz=fs).cadence_per_sec_
    ic_samples = ic["ic"].to_numpy(dtype=np.int64)
    ic_time = run["time_s"][np.clip(ic_samples, 0, run["time_s"].size - 1)]
    cadence_per_sec = cad["cadence_spm"].to_numpy(dtype=float)
    emit({
        "peer": "mobgap", "version": importlib.metadata.version("mobgap"),
        "call": "IcdIonescu().detect(df, sampling_rate_hz=fs) + "
                "CadFromIc().calculate(df, initial_contacts=ic, sampling_rate_hz=fs)",
        "input": input_summary(args.csv, run, args.vertical, args.ap),
        "n_steps": int(ic_time.size),
        "ic_time_s": ic_time,
        "cadence_spm": median_or_none(cadence_per_sec),
        "per_step": {"step_time_s": np.diff(ic_time, prepend=np.nan)},
        "per_second": {"time_s": run["time_s"][0] + cad.index.to_numpy(dtype=float) / fs,
                       "cadence_spm": cadence_per_sec},
        "timing": {**watch.laps, "total_s": watch.total()},
    })


if __name__ == "__main__":
    main()
