"""Run scikit-digital-health's lumbar gait pipeline on a canonical runform CSV; print one JSON.

Peer: scikit-digital-health 0.17.18 (Pfizer, MIT), in its own venv
(benchmarks/peers/setup_venvs.sh). Call, as in skdh's gait documentation:

    GaitLumbar(day_window=None, gait_event_method="AP CWT").predict(
        time=unix_s, accel=acc_g, fs=fs, height=1.75, gait_pred=True, v_axis=0)

``gait_pred=True`` treats the whole trace as one gait bout (skdh's LightGBM walking classifier is
trained on walking, so it is bypassed, as in the survey). The accelerometer goes in as the body
frame from ``_peer_io`` (vertical first, ``v_axis=0``; AP estimated by skdh unless ``--ap``).
Deviations: no gyro is passed (skdh only uses it for turns), so skdh's time is its gait part.
Time is shifted to unix seconds by a fixed epoch (skdh wants unix time; day_window=None).

The call is timed (median of ``--repeats``) after an untimed warm-up on the first ``--warmup-s`` seconds.

Usage: benchmarks/.cache/venvs/skdh/bin/python run_skdh.py TRACE.csv [--repeats N] [--warmup-s S] [--vertical z] [--ap x]
"""

import time

_T0 = time.perf_counter()

import warnings  # noqa: E402

import numpy as np  # noqa: E402

from _peer_io import Stopwatch, emit, input_summary, load_canonical, median_or_none, parse_args, timed_call, to_body  # noqa: E402

EVENT_METHOD = "AP CWT"
HEIGHT_M = 1.75  # skdh scales step length with height; irrelevant for events and cadence
UNIX_EPOCH_S = 1_700_000_000.0


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    watch = Stopwatch(_T0)
    with watch.lap("load_s"):
        run = to_body(load_canonical(args.csv), args.vertical, args.ap)
    with watch.lap("import_s"):
        import skdh
        from skdh.gait import GaitLumbar

    def lumbar(stop):
        gait = GaitLumbar(day_window=None, gait_event_method=EVENT_METHOD)
        return gait.predict(time=run["time_s"][:stop] + UNIX_EPOCH_S, accel=run["acc_body_g"][:stop],
                            fs=run["fs"], height=HEIGHT_M, gait_pred=True, v_axis=0,
                            ap_axis=1 if args.ap else None)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = timed_call(watch, lumbar, run["time_s"].size, run["fs"], args.warmup_s, args.repeats)
    ic = np.asarray(res.get("IC Timestamp", []), float) - UNIX_EPOCH_S
    order = np.argsort(ic)

    def per_step(key, scale=1.0):
        values = np.asarray(res.get(key, np.full(ic.size, np.nan)), float)
        return (scale * values)[order]

    cadence = per_step("cadence")
    emit({
        "peer": "scikit-digital-health", "version": skdh.__version__,
        "call": f"GaitLumbar(day_window=None, gait_event_method={EVENT_METHOD!r}).predict("
                "time, accel_g, fs, height=1.75, gait_pred=True, v_axis=0)",
        "input": input_summary(args.csv, run, args.vertical, args.ap),
        "n_steps": int(ic.size),
        "ic_time_s": ic[order],
        "cadence_spm": median_or_none(cadence),
        "per_step": {
            "step_time_s": per_step("step time"),
            "cadence_spm": cadence,
            "stance_time_s": per_step("stance time"),
            "m1_delta_h_cm": per_step("m1 delta h", 100.0),
            "m2_delta_h_cm": per_step("m2 delta h", 100.0),
        },
        "outputs_per_step": sorted(str(k) for k in res),
        "timing": {**watch.laps, "total_s": watch.total()},
        "notes": watch.notes,
    })


if __name__ == "__main__":
    main()
