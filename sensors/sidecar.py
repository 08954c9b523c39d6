"""The sidecar ``NAME.meta.json`` read defensively: a regular file of bounded size holding a JSON
object whose known fields have the types ``Metadata`` declares. Anything else is one ``InputError``
line naming the sidecar and the field (the sidecar is optional, but one that is present and wrong is
never silently ignored).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from runform.sensors.errors import InputError
from runform.sensors.files import check_small_file
from runform.sensors.recording import Metadata
from runform.sensors.units import RUNNING_SPEED_RANGE_MPS

#: the largest sidecar read; a sidecar of a 10-hour recording with a gap every second is ~5 MB
MAX_SIDECAR_BYTES = 32_000_000
#: sample rates a body-worn IMU can have (Hz); outside, the sidecar is wrong
RATE_RANGE_HZ = (0.5, 20_000.0)
#: accelerometer full-scale ranges that exist (g)
ACC_RANGE_G = (1.0, 1000.0)
TEXT_FIELDS = ("device", "firmware", "placement", "start_utc", "source_file", "source_format")
COUNT_FIELDS = ("lost_samples", "lost_frames")


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_fields(side, d: dict) -> None:
    for key in TEXT_FIELDS:
        if d.get(key) is not None and not isinstance(d[key], str):
            raise InputError(side, f"sidecar field {key!r} must be text, not {json.dumps(d[key])[:40]}")
    for key in COUNT_FIELDS:
        v = d.get(key, 0)
        if not (isinstance(v, int) and not isinstance(v, bool) and v >= 0):
            raise InputError(side, f"sidecar field {key!r} must be a count (0 or more), not {json.dumps(v)[:40]}")
    for key, (low, high), unit in (("nominal_rate_hz", RATE_RANGE_HZ, "Hz"), ("acc_range_g", ACC_RANGE_G, "g"),
                                   ("speed_mps", RUNNING_SPEED_RANGE_MPS, "m/s")):
        v = d.get(key)
        if v is None:
            continue
        if not _number(v):
            raise InputError(side, f"sidecar field {key!r} must be a number, not {json.dumps(v)[:40]}")
        if not low <= v <= high:
            raise InputError(side, f"sidecar field {key!r} is {v:g} {unit}, outside the physically possible "
                                   f"{low:g}-{high:g} {unit}")
    gaps = d.get("gaps") or []
    if not isinstance(gaps, list):
        raise InputError(side, "sidecar field 'gaps' must be a list")
    for i, g in enumerate(gaps):
        ok = (isinstance(g, dict) and _number(g.get("start_s")) and _number(g.get("end_s"))
              and isinstance(g.get("missing_samples"), int) and not isinstance(g.get("missing_samples"), bool)
              and g["missing_samples"] >= 0 and g["end_s"] >= g["start_s"])
        if not ok:
            raise InputError(side, f"sidecar gap {i} must have numbers start_s <= end_s and a count (0 or more) "
                                   "missing_samples")
    if d.get("extra") is not None and not isinstance(d["extra"], dict):
        raise InputError(side, "sidecar field 'extra' must be an object")


def read_sidecar(side) -> Metadata:
    """The ``Metadata`` in ``side``; ``InputError`` for a folder, FIFO, device, unreadable or
    oversized file, invalid or too deeply nested JSON, a top level that is not an object, or a field
    of the wrong type or an impossible value."""
    side = Path(side)
    check_small_file(side, "sidecar", MAX_SIDECAR_BYTES)
    try:
        with open(side, "rb") as fh:
            raw = fh.read(MAX_SIDECAR_BYTES + 1)
    except OSError as exc:
        raise InputError(side, f"cannot read the sidecar: {exc.strerror or exc}") from None
    if len(raw) > MAX_SIDECAR_BYTES:
        raise InputError(side, f"sidecar is larger than the {MAX_SIDECAR_BYTES:,} bytes runform reads")
    try:
        d = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise InputError(side, "unreadable sidecar: JSON nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(side, f"unreadable sidecar: {str(exc).splitlines()[0]}") from None
    if not isinstance(d, dict):
        raise InputError(side, f"unreadable sidecar: the top level must be a JSON object, not {type(d).__name__}")
    _check_fields(side, d)
    return Metadata.from_dict(d)


def check_rate_matches(side, meta: Metadata, measured_hz: float | None) -> None:
    """A sidecar rate far from the timestamps' rate (``recording.timestamp_rate_hz``; more than a factor
    of 2) is wrong: with it, every sample, or none, would be a gap."""
    nominal = meta.nominal_rate_hz
    if nominal and measured_hz and not 0.5 <= nominal / measured_hz <= 2.0:
        raise InputError(side, f"sidecar nominal_rate_hz {nominal:g} Hz does not match the timestamps "
                               f"({measured_hz:.4g} Hz); fix or remove the field")
