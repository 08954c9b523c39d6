"""The live path: CPU seconds per second of streamed 200 Hz data, for the BLE codecs and LiveAnalyzer.

Data: ``LIVE_S`` seconds of firmware_sim c25k (offset so that walking, a run and walking again
are in it) at 200 Hz with gyro, as int16 counts (what the strap sends) and as a ``Recording``.

* Codecs: the counts are encoded once with the ``sensors.protocols`` encoders as the devices send
  them (RFS v1 6-axis int16 frames at ATT MTU 247; Polar PMD delta-compressed ACC and GYRO frames
  of ``POLAR_SAMPLES_PER_FRAME``; Movesense GSP IMU6 float32 notifications split in two parts), then
  only the decode (bytes -> scaled arrays) is timed, as the recorder does per notification.
* LiveAnalyzer: the recording is fed in blocks of one RFS frame (``RFS_SAMPLES`` samples, the
  notification size) and ``flush()``ed; the CPU time of ``feed`` + ``flush`` over the stream length
  is the load on one core. Step emission latency (stream time from foot strike to emission) is
  reported from the emitted ``StepEvent``s.
"""

from __future__ import annotations

import time

import numpy as np

from runform.sensors.protocols import movesense_gsp as gsp
from runform.sensors.protocols import polar_pmd as pmd
from runform.sensors.protocols import rfs

LIVE_RATE_HZ = 200.0
LIVE_S = 180.0
LIVE_OFFSET_S = 240.0  # c25k: walk until 315 s, run 315-375 s, walk after
LIVE_SEED = 11
ATT_MTU = 247
RFS_SAMPLES = rfs.max_samples_per_frame(ATT_MTU)
POLAR_SAMPLES_PER_FRAME = 36
GSP_SAMPLES_PER_NOTIFICATION = 8
GSP_REFERENCE = 99


def live_data(seconds: float = LIVE_S):
    """(counts, recording) for ``seconds`` of 200 Hz 6-axis c25k, times starting at 0."""
    from runform import firmware_sim
    from runform.sensors.recording import Recording

    sim = firmware_sim.simulate("c25k", LIVE_OFFSET_S + seconds, rate_hz=LIVE_RATE_HZ,
                                seed=LIVE_SEED, gyro=True)
    first = int(LIVE_OFFSET_S * LIVE_RATE_HZ)
    rec = sim.recording
    sliced = Recording(rec.time[first:] - rec.time[first], rec.acc[first:], rec.gyro[first:], rec.meta)
    c = sim.counts
    return (c.acc[first:], c.gyro[first:], c.acc_lsb_g, c.gyro_lsb_dps), sliced


def _chunks(n: int, size: int):
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def encode_streams(acc, gyro, acc_lsb, gyro_lsb) -> dict[str, list[bytes]]:
    """Notifications per codec for the whole stream."""
    six = np.hstack([acc, gyro]).astype(np.int16)
    out = {"RFS v1 IMU6 int16": [rfs.encode_data_frame(k, 0, 1, 0, six[a:b])
                                 for k, (a, b) in enumerate(_chunks(len(six), RFS_SAMPLES))]}
    polar = []
    for a, b in _chunks(len(acc), POLAR_SAMPLES_PER_FRAME):
        ts = int(b * 1e9 / LIVE_RATE_HZ)
        polar.append(pmd.encode_delta_frame(pmd.PmdMeasurement.ACC, ts, 0x80, acc[a:b]))
        polar.append(pmd.encode_delta_frame(pmd.PmdMeasurement.GYRO, ts, 0x80, gyro[a:b]))
    out["Polar PMD ACC+GYRO delta"] = polar
    moves = []
    acc_ms2 = acc * acc_lsb / gsp.ACC_G_PER_M_S2  # GSP carries m/s^2
    for a, b in _chunks(len(acc), GSP_SAMPLES_PER_NOTIFICATION):
        moves += gsp.encode_imu_notifications(GSP_REFERENCE, int(a * 1000 / LIVE_RATE_HZ),
                                              acc=acc_ms2[a:b], gyro=gyro[a:b] * gyro_lsb)
    out["Movesense GSP IMU6 float32"] = moves
    return out


def _decode_rfs(frames, acc_lsb, gyro_lsb):
    for f in frames:
        fr = rfs.decode_data_frame(f)
        fr.acc_raw.astype(np.float64) * acc_lsb, fr.gyro_raw.astype(np.float64) * gyro_lsb


def _decode_polar(frames, acc_lsb, gyro_lsb):
    for f in frames:
        fr = pmd.decode_data_frame(f, factor=acc_lsb)
        fr.samples * fr.scale


def _decode_gsp(frames, acc_lsb, gyro_lsb):
    joiner = gsp.GspReassembler()
    for f in frames:
        for message in joiner.feed(f):
            gsp.decode_imu_payload(message.payload, "IMU6")


DECODERS = {"RFS v1 IMU6 int16": _decode_rfs, "Polar PMD ACC+GYRO delta": _decode_polar,
            "Movesense GSP IMU6 float32": _decode_gsp}


def codec_costs(counts, stream_s: float, repeats: int) -> list[dict]:
    """Per codec: notifications, bytes, median CPU s of decoding the stream, CPU s per stream s."""
    acc, gyro, acc_lsb, gyro_lsb = counts
    rows = []
    for name, frames in encode_streams(acc, gyro, acc_lsb, gyro_lsb).items():
        cpus = []
        for _ in range(repeats):
            c0 = time.process_time()
            DECODERS[name](frames, acc_lsb, gyro_lsb)
            cpus.append(time.process_time() - c0)
        cpu = float(np.median(cpus))
        rows.append({"codec": name, "notifications": len(frames), "bytes": sum(map(len, frames)),
                     "cpu_s": cpu, "cpu_per_stream_s": cpu / stream_s})
    return rows


def live_cost(recording, block: int = RFS_SAMPLES, events_out: list | None = None) -> dict:
    """Feed ``recording`` to a new LiveAnalyzer in blocks of ``block`` samples; CPU load and latency
    (the emitted ``StepEvent``s are appended to ``events_out`` when given)."""
    from runform.analysis.live import LiveAnalyzer
    from runform.sensors.recording import SampleBlock

    blocks = [SampleBlock(recording.time[a:b], recording.acc[a:b],
                          None if recording.gyro is None else recording.gyro[a:b])
              for a, b in _chunks(recording.time.size, block)]
    live = LiveAnalyzer(rate_hz=recording.meta.nominal_rate_hz or LIVE_RATE_HZ)
    events, per_feed = [], []
    c0, w0 = time.process_time(), time.perf_counter()
    for b in blocks:
        f0 = time.process_time()
        events += live.feed(b)
        per_feed.append(time.process_time() - f0)
    events += live.flush()
    if events_out is not None:
        events_out += events
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    stream_s = float(recording.time[-1] - recording.time[0])
    latency = np.array([e.latency_s for e in events if e.emitted_at_s < recording.time[-1]])
    return {"stream_s": stream_s, "blocks": len(blocks), "block_samples": block,
            "windows": getattr(live, "windows", None), "steps_emitted": len(events),
            "cpu_s": cpu, "wall_s": wall, "cpu_per_stream_s": cpu / stream_s,
            "max_feed_cpu_s": max(per_feed) if per_feed else float("nan"),
            "latency_median_s": float(np.median(latency)) if latency.size else float("nan"),
            "latency_p95_s": float(np.percentile(latency, 95)) if latency.size else float("nan"),
            "latency_max_s": float(latency.max()) if latency.size else float("nan")}
