"""``runform info FILE``: what was loaded (format, device, duration, rates, channels, gaps, losses, start)."""

from __future__ import annotations

import json
from pathlib import Path

from runform.commands._input import add_input_arguments, load_input, load_notes
from runform.sensors.canonical_csv import ACC_COLS, GYRO_COLS
from runform.sensors.importers import FORMATS

#: how many of the longest gaps are listed
LONGEST_GAPS_SHOWN = 5
LABEL_WIDTH = 14
#: the schema name of ``runform info --json``
INFO_SCHEMA = "runform.info/1"


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--json", action="store_true",
                        help=f"print the same facts as JSON (schema {INFO_SCHEMA}) instead of text")


def _clock(seconds: float) -> str:
    h, rem = divmod(seconds, 3600.0)
    m, s = divmod(rem, 60.0)
    return f"{int(h):d}:{int(m):02d}:{s:06.3f}"


def _duration(seconds: float) -> str:
    return f"{seconds:.2f} s ({_clock(seconds)})"


def _rate(hz) -> str:
    return "unknown" if not hz else f"{hz:.6g} Hz"


def info_lines(rec) -> list[str]:
    """The ``info`` report as aligned ``label  value`` lines."""
    m = rec.meta
    fmt = FORMATS.get(m.source_format)
    rows = [
        ("file", m.source_file or "?"),
        ("format", f"{m.source_format}" + (f"  ({fmt.DESCRIPTION})" if fmt else "")),
        ("device", m.device or "unknown"),
        ("placement", m.placement or "unknown"),
        ("start (UTC)", m.start_utc or "unknown" + (f" (local start {m.extra['start_local']})" if "start_local" in m.extra else "")),
        ("duration", _duration(rec.duration_s)),
        ("samples", f"{rec.n_samples:,}"),
        ("sample rate", f"nominal {_rate(m.nominal_rate_hz)}, measured {_rate(rec.measured_rate_hz)} (samples per second over the continuous stretches)"),
        ("channels", "acc x, y, z [g]" + ("; gyro x, y, z [deg/s]" if rec.has_gyro else "; no gyro")),
    ]
    gaps = m.gaps
    if gaps:
        missing = sum(g.missing_samples for g in gaps)
        rows.append(("gaps", f"{len(gaps)} gap(s), {missing:,} missing samples, {sum(g.duration_s for g in gaps):.3f} s in total; nothing interpolated"))
        for g in sorted(gaps, key=lambda g: g.duration_s, reverse=True)[:LONGEST_GAPS_SHOWN]:
            rows.append(("", f"{g.duration_s:9.3f} s from {_clock(g.start_s)} to {_clock(g.end_s)} "
                             f"({g.missing_samples:,} samples, {g.reason})"))
    else:
        rows.append(("gaps", "none"))
    rows.append(("losses", f"{m.lost_samples:,} samples, {m.lost_frames:,} frames"))
    for name, unit, (t, v), where in _side_channels(rec):
        rows.append((name, f"{t.size:,} readings over {t[-1] - t[0]:.0f} s, {v.min():.3g}-{v.max():.3g} {unit}" + where))
    for i, note in enumerate(load_notes(rec)):
        rows.append(("notes" if i == 0 else "", note))
    return [f"{label:<{LABEL_WIDTH}}{value}" for label, value in rows]


def _side_channels(rec) -> list[tuple[str, str, tuple, str]]:
    """(name, unit, (time s, values), where from) of the heart rate and footpod speed beside the samples
    (``analysis.side_channels``: the strap's sidecar, a Polar Sensor Logger ``_HR.txt``)."""
    from runform.analysis import side_channels

    found = []
    hr = side_channels.heart_rate(rec.meta)
    if hr is not None:
        hr_file = rec.meta.extra.get("hr_file")
        found.append(("heart rate", "bpm", (hr.time_s, hr.values), f" (from {Path(hr_file).name})" if hr_file else ""))
    pod = side_channels.footpod_speed(rec.meta)
    if pod is not None:
        found.append(("footpod speed", "m/s", pod, ""))
    return found


def info_dict(rec) -> dict:
    """The ``info`` facts as a JSON-ready dict (times in s, rates in Hz; ``None`` where unknown)."""
    m = rec.meta
    return {
        "schema": INFO_SCHEMA,
        "file": m.source_file,
        "format": m.source_format,
        "device": m.device,
        "placement": m.placement,
        "start_utc": m.start_utc,
        "start_local": m.extra.get("start_local"),
        "duration_s": rec.duration_s,
        "samples": rec.n_samples,
        "nominal_rate_hz": m.nominal_rate_hz,
        "measured_rate_hz": rec.measured_rate_hz,
        "channels": list(ACC_COLS + (GYRO_COLS if rec.has_gyro else ())),
        "gaps": [g.to_dict() for g in m.gaps],
        "lost_samples": m.lost_samples,
        "lost_frames": m.lost_frames,
        "side_channels": {name.replace(" ", "_"): int(series[0].size) for name, _, series, _ in _side_channels(rec)},
        "notes": load_notes(rec),
    }


def run(args) -> int:
    rec = load_input(args)
    if args.json:
        print(json.dumps(info_dict(rec), indent=2))
    else:
        print("\n".join(info_lines(rec)))
    return 0
