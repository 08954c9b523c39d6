"""``--speed-kmh`` and ``--mount``: the running speed and where the sensor was worn, for ``analyze``,
``report`` and ``demo`` (``analysis.analyze(..., placement=, speed_mps=)``)."""

from __future__ import annotations

from runform.analysis.placement import PLACEMENTS

KMH_PER_MPS = 3.6


def add_arguments(parser) -> None:
    parser.add_argument("--speed-kmh", metavar="KMH", type=float, default=None,
                        help="running speed in km/h (a treadmill run): adds pace, step length and vertical ratio, "
                             "and judges cadence and bounce for that speed (default: unknown)")
    parser.add_argument("--mount", choices=PLACEMENTS, default=None,
                        help="where the sensor was worn (default: from the recording, else chest); bands and "
                             "wording follow it")


def analyze_kwargs(args) -> dict:
    """``placement`` and ``speed_mps`` for ``analysis.analyze`` from the parsed arguments."""
    speed = getattr(args, "speed_kmh", None)
    return {"placement": getattr(args, "mount", None),
            "speed_mps": None if speed is None else speed / KMH_PER_MPS}


def context_line(summary: dict) -> str | None:
    """"worn on: chest (from the recording) · running speed: 8.9 km/h, 6:47 min/km (beginners choose
    155 spm at it)" for the text summary; None for a summary without context."""
    ctx = summary.get("context")
    if not ctx:
        return None
    how = {"given": "given", "recording": "from the recording", "assumed": "assumed"}.get(ctx.get("placement_source"), "")
    text = f"worn on: {ctx['placement'].replace('_', ' ')} ({how})"
    speed = ctx.get("speed_mps")
    if speed is None:
        return text + " · running speed: unknown"
    text += f" · running speed: {round(KMH_PER_MPS * speed, 2):g} km/h, {ctx['pace']}"
    expected = ctx.get("expected_cadence_spm")
    return text + (f" (beginners choose about {expected:.0f} spm at it)" if expected is not None else "")
