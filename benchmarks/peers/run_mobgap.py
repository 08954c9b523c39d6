"""Run mobgap on a canonical runform CSV, one of two calls; print one JSON.

Peer: mobgap 1.2.0 (Mobilise-D, Apache-2.0), in its own venv (benchmarks/peers/setup_venvs.sh).

``--call icd`` (default), the algorithm level, like for like with our step and cadence stages
(the call mobgap's own examples make):

    ic = IcdIonescu().detect(df, sampling_rate_hz=fs).ic_list_        # samples, column "ic"
    cad = CadFromIc().calculate(df, initial_contacts=ic, sampling_rate_hz=fs).cadence_per_sec_

``df`` is mobgap's body frame in m/s^2: ``acc_is`` (up, +9.81 at rest) = our vertical,
``acc_pa``/``acc_ml`` = the two horizontal axes from ``_peer_io`` (IcdIonescu uses acc_is only).

``--call pipeline``, the whole job (Micó-Amigo et al. 2023, doi:10.1186/s12984-023-01198-5):

    ds = GaitDatasetFromData({key: {"LowerBack": df_sensor}}, fs, {key: PARTICIPANT}, {key: CONDITION})
    pipe = MobilisedPipelineHealthy().safe_run(ds[0])

gait sequences (GsdIluz), initial contacts (IcdIonescu), left/right (LrcUllrich), cadence
(CadFromIcDetector with IcdShinImproved), stride length (SlZijlstra), walking speed, turns
(TdElGohary), stride selection, walking bouts and their aggregation. ``df_sensor`` is mobgap's
sensor frame (x up, y medio-lateral, z antero-posterior; m/s^2 and deg/s) from the same axes; a
trace without gyro gets gyro columns of zeros (mobgap needs them; laterality and turns then see
no rotation). The pipeline is made for walking: on running it halves the cadence (measured for this project:
87 instead of 172 spm).

The call is timed (median of ``--repeats``) after an untimed warm-up on the first ``--warmup-s`` seconds.

Usage: benchmarks/.cache/venvs/mobgap/bin/python run_mobgap.py TRACE.csv [--call icd|pipeline]
       [--repeats N] [--warmup-s S] [--vertical z] [--ap x]
"""

import time

_T0 = time.perf_counter()

import warnings  # noqa: E402

import numpy as np  # noqa: E402

from _peer_io import (STANDARD_GRAVITY, Stopwatch, emit, input_summary, load_canonical, median_or_none,  # noqa: E402
                      parse_args, timed_call, to_body)

CALLS = ("icd", "pipeline")
#: the participant the pipeline's stride length and thresholds need (a healthy adult; the strap sits at
#: the chest, not the lower back, so the sensor height is the lower-back convention 0.53 x height)
PARTICIPANT = {"height_m": 1.75, "sensor_height_m": 0.93, "cohort": "HA"}
CONDITION = {"measurement_condition": "free_living"}


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], CALLS)
    watch = Stopwatch(_T0)
    with watch.lap("load_s"):
        run = to_body(load_canonical(args.csv), args.vertical, args.ap)
    with watch.lap("import_s"):
        import importlib.metadata

        import pandas as pd
        from mobgap.cadence import CadFromIc
        from mobgap.initial_contacts import IcdIonescu

        if args.call == "pipeline":
            from mobgap.data import GaitDatasetFromData
            from mobgap.pipeline import MobilisedPipelineHealthy
    acc = run["acc_body_g"] * STANDARD_GRAVITY
    fs = run["fs"]
    n = run["time_s"].size
    common = {"peer": "mobgap", "version": importlib.metadata.version("mobgap"),
              "input": input_summary(args.csv, run, args.vertical, args.ap)}
    if args.call == "icd":
        df = pd.DataFrame({"acc_is": acc[:, 0], "acc_pa": acc[:, 1], "acc_ml": acc[:, 2]})

        def icd(stop):
            part = df.iloc[:stop]
            ic = IcdIonescu().detect(part, sampling_rate_hz=fs).ic_list_
            return ic, CadFromIc().calculate(part, initial_contacts=ic, sampling_rate_hz=fs).cadence_per_sec_

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ic, cad = timed_call(watch, icd, n, fs, args.warmup_s, args.repeats)
        ic_time = _times(run, ic["ic"])
        cadence_per_sec = cad["cadence_spm"].to_numpy(dtype=float)
        emit({**common,
              "call": "IcdIonescu().detect(df, sampling_rate_hz=fs) + "
                      "CadFromIc().calculate(df, initial_contacts=ic, sampling_rate_hz=fs)",
              "n_steps": int(ic_time.size), "ic_time_s": ic_time, "cadence_spm": median_or_none(cadence_per_sec),
              "per_step": {"step_time_s": np.diff(ic_time, prepend=np.nan)},
              "per_second": {"time_s": run["time_s"][0] + cad.index.to_numpy(dtype=float) / fs,
                             "cadence_spm": cadence_per_sec},
              "timing": {**watch.laps, "total_s": watch.total()}, "notes": watch.notes})
        return
    gyro = run["gyro_body_dps"] if run["gyro_body_dps"] is not None else np.zeros_like(acc)
    # mobgap's sensor frame: x up (is), y medio-lateral, z antero-posterior
    df = pd.DataFrame({"acc_x": acc[:, 0], "acc_y": acc[:, 2], "acc_z": acc[:, 1],
                       "gyr_x": gyro[:, 0], "gyr_y": gyro[:, 2], "gyr_z": gyro[:, 1]})
    key = ("runform-trace",)

    def pipeline(stop):
        dataset = GaitDatasetFromData({key: {"LowerBack": df.iloc[:stop]}}, fs, {key: PARTICIPANT}, {key: CONDITION})
        return MobilisedPipelineHealthy().safe_run(dataset[0])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe = timed_call(watch, pipeline, n, fs, args.warmup_s, args.repeats)
    ic_time = _times(run, pipe.raw_ic_list_["ic"]) if len(pipe.raw_ic_list_) else np.empty(0)
    strides = pipe.per_stride_parameters_
    stride_cadence = strides["cadence_spm"].to_numpy(dtype=float) if "cadence_spm" in strides else np.empty(0)
    emit({**common,
          "call": "MobilisedPipelineHealthy().safe_run(GaitDatasetFromData(...)[0])",
          "gyro": "from the trace" if run["gyro_body_dps"] is not None else "absent: zeros",
          "n_steps": int(ic_time.size), "ic_time_s": np.sort(ic_time),
          "cadence_spm": median_or_none(stride_cadence),
          "n_gait_sequences": int(len(pipe.gs_list_)), "n_strides": int(len(strides)),
          "n_walking_bouts": int(len(pipe.per_wb_parameters_)),
          "stride_columns": sorted(map(str, strides.columns)),
          "timing": {**watch.laps, "total_s": watch.total()}, "notes": watch.notes})


def _times(run: dict, samples) -> np.ndarray:
    """Sample indices (any index offset already applied by mobgap) as times in s."""
    idx = np.asarray(samples, dtype=np.int64)
    return run["time_s"][np.clip(idx, 0, run["time_s"].size - 1)]


if __name__ == "__main__":
    main()
