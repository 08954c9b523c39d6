"""``--speed-kmh``, ``--track`` and ``--mount``: the running speed (given, or from the runner's GPX, TCX
or FIT track) and where the sensor was worn, for ``analyze``, ``report`` and ``demo`` (``log add`` takes
``--speed-kmh`` and ``--mount``, one for all its files)
(``analysis.analyze(..., placement=, speed_mps=)``; a track goes in as the recording's side channel,
``sensors.tracks``, and its alignment is checked after the analysis, ``analysis.track_alignment``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from runform.commands._options import MAX_SPEED_KMH, MIN_SPEED_KMH, require_number
from runform.sensors.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from runform.sensors.tracks import Track

KMH_PER_MPS = 3.6
#: the largest clock difference --track-offset takes (s): two days, more than any time zone mix-up
MAX_TRACK_OFFSET_S = 172_800.0


class PlacementNames(Sequence):
    """``analysis.placement.PLACEMENTS``, the choices of ``--mount``, imported when argparse first reads them
    (a ``--mount`` given, a help shown; hence ``--mount``'s metavar, which argparse would otherwise make of the
    choices when the option is defined): ``log``'s parser defines ``--mount`` for ``log add``, and ``log list``
    must not import the analysis to parse its arguments (``tests/runform/test_cli_imports.py``)."""

    @staticmethod
    def _names() -> tuple[str, ...]:
        from runform.analysis.placement import PLACEMENTS

        return PLACEMENTS

    def __getitem__(self, index):
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())


def add_arguments(parser) -> None:
    """``--speed-kmh``, ``--mount``, ``--track`` and ``--track-offset``."""
    add_speed_and_mount(parser)
    parser.add_argument("--track", metavar="TRACK", default=None,
                        help="a GPX, TCX or FIT file from your phone or watch for the same run: its speed (and "
                             "heart rate, where it has one) over time, aligned by absolute time (UTC)")
    parser.add_argument("--track-offset", metavar="S", type=float, default=0.0,
                        help="seconds to add to the track's times where its clock differs from the "
                             "recording's (default 0); the alignment is checked and a better offset suggested")


def add_speed_and_mount(parser) -> None:
    """``--speed-kmh`` and ``--mount``, read by ``analyze_kwargs``."""
    parser.add_argument("--speed-kmh", metavar="KMH", type=float, default=None,
                        help="running speed in km/h (a treadmill run): adds pace, step length and vertical ratio, "
                             "and judges cadence and bounce for that speed (default: unknown)")
    parser.add_argument("--mount", choices=PlacementNames(), default=None, metavar="PLACE",
                        help="where the sensor was worn: %(choices)s (default: from the recording, else chest); "
                             "bands and wording follow it")


def track_files(args) -> list[Path]:
    """The track file given (an input no output may overwrite), or []."""
    return [Path(args.track)] if getattr(args, "track", None) else []


class PlacedTrack(NamedTuple):
    """A track read for a recording: the ``Track`` and its points' seconds from the recording's start, before
    ``--track-offset`` (``Track.relative_times``), found once for the overlap check and the alignment note."""

    track: Track
    relative_s: np.ndarray


def with_track(rec, track_path, offset: float = 0.0) -> tuple:
    """``(recording, PlacedTrack)``: ``rec`` with the track file's speed, heart rate and cadence in its
    ``meta.extra["track"]`` (the recording's clock: track time - recording start + ``offset``), or
    ``(rec, None)`` without a track. ``InputError`` (one line) for a bad track file, a recording
    without a start time, or a track that does not overlap the recording."""
    if not track_path:
        return rec, None
    from runform.sensors.tracks import read_track
    from runform.sensors.units import parse_utc

    _check_track_offset(offset)
    track = read_track(track_path)
    start = parse_utc(rec.meta.start_utc)
    if start is None:
        raise InputError(track_path, "cannot be aligned: the recording has no start time (UTC) to match "
                                     "the track's timestamps with")
    relative = track.relative_times(start)
    on_clock = relative + offset
    if not ((on_clock >= 0) & (on_clock <= rec.duration_s)).any():
        raise InputError(track_path, f"does not overlap the recording: the track runs {_utc(track.time_utc_s[0])} "
                                     f"to {_utc(track.time_utc_s[-1])}, the recording {_utc(start.timestamp())} "
                                     f"to {_utc(start.timestamp() + rec.duration_s)}"
                                     + (f" (with --track-offset {offset:g})" if offset else "")
                                     + "; is it the same run? Where the clocks differ, give --track-offset S")
    if not (track.has_speed or track.has_heart_rate):
        raise InputError(track_path, f"this {track.kind} file has neither speed (nor positions or distance) "
                                     "nor heart rate to use")
    extra = {**rec.meta.extra, "track": track.side_channel(start, offset, rec.duration_s)}
    return dataclasses.replace(rec, meta=dataclasses.replace(rec.meta, extra=extra)), PlacedTrack(track, relative)


def _utc(posix_s: float) -> str:
    return datetime.fromtimestamp(posix_s, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def analyze(args, rec):
    """``(recording, session)``: ``analysis.analyze`` with the command's context (``--speed-kmh``, ``--mount``,
    ``--track``) and the recording as analysed (with the track's side channel, for the report's heart-rate
    chart); with a track, a note in ``summary["notes"]`` says what it gave and how well it lines up."""
    return analyze_with(rec, track=getattr(args, "track", None), track_offset=getattr(args, "track_offset", 0.0),
                        **analyze_kwargs(args))


def analyze_with(rec, *, track=None, track_offset: float = 0.0, placement=None, speed_mps=None):
    """``analyze`` from values rather than parsed arguments (``runform demo`` passes its simulated GPX)."""
    from runform import analysis

    rec_with, placed = with_track(rec, track, track_offset)
    session = analysis.analyze(rec_with, placement=placement, speed_mps=speed_mps)
    if placed is not None:
        session.summary["notes"].append(track_note(placed, rec_with.duration_s, session, track_offset))
    return rec_with, session


def track_note(placed: PlacedTrack, duration_s: float, session, offset_s: float) -> str:
    """One line: what the track gave, and the alignment check (``analysis.track_alignment``): its speed (or
    cadence) against runform's run/walk bouts of the recording (``duration_s`` long) at offsets within ±10 min;
    a clearly better offset is suggested as ``--track-offset``."""
    from runform.analysis import track_alignment

    track = placed.track
    speed_used = session.summary.get("context", {}).get("speed_source") == f"track ({track.kind})"
    gave = ([f"speed from {track.speed_from}" + ("" if speed_used else ", not used: a speed was given")]
            if track.has_speed else [])
    gave += ["heart rate"] if track.has_heart_rate else []
    gave += ["cadence"] if track.has_cadence else []
    head = f"track {Path(track.path).name} ({track.kind}: {', '.join(gave)}) at --track-offset {offset_s:g}"
    signal = "speed" if track.has_speed else "cadence" if track.has_cadence else None
    if signal is None:
        return head + "; its alignment cannot be checked (no speed or cadence to compare with the bouts)"
    values = track.speed_mps if signal == "speed" else track.cadence_spm
    result = track_alignment.check(placed.relative_s, values, signal, session.bouts, duration_s, offset_s)
    if result.reason:
        return f"{head}; alignment not checked: {result.reason}"
    r_used = "n/a" if result.used_r is None else f"{result.used_r:.2f}"
    window = f"±{track_alignment.SEARCH_S // 60} min"
    if result.suggests_other_offset:
        return (f"{head}; its {signal} lines up with the run/walk bouts best at --track-offset "
                f"{result.best_offset_s:g} (correlation {result.best_r:.2f}, against {r_used} as used): "
                f"if the clocks differ, rerun with --track-offset {result.best_offset_s:g}")
    if result.used_r is None or result.used_r < track_alignment.MIN_BEST_R:
        return (f"{head}; alignment uncertain: its {signal} follows the run/walk bouts only weakly (correlation "
                f"{r_used}; at best {result.best_r:.2f} within {window}): is it the same run?")
    return (f"{head}; alignment checked: its {signal} follows the run/walk bouts (correlation {r_used}; "
            f"best within {window} at {result.best_offset_s:+g} s)")


def check_arguments(args) -> None:
    """``RunformError`` (one line) for a ``--speed-kmh`` or ``--track-offset`` out of range: called before the
    recording is read, so that a typo costs no parse of an hour's file."""
    analyze_kwargs(args)
    _check_track_offset(getattr(args, "track_offset", 0.0))


def _check_track_offset(offset) -> None:
    require_number(offset, "--track-offset", -MAX_TRACK_OFFSET_S, MAX_TRACK_OFFSET_S, allow_none=False)


def analyze_kwargs(args) -> dict:
    """``placement`` and ``speed_mps`` for ``analysis.analyze`` from the parsed arguments; ``RunformError``
    (one line) for a ``--speed-kmh`` outside the running speeds ``analysis.analyze`` accepts."""
    speed = getattr(args, "speed_kmh", None)
    require_number(speed, "--speed-kmh", MIN_SPEED_KMH, MAX_SPEED_KMH)
    return {"placement": getattr(args, "mount", None),
            "speed_mps": None if speed is None else speed / KMH_PER_MPS}


def context_line(summary: dict) -> str | None:
    """"worn on: chest (from the recording) · running speed: 8.9 km/h, 6:47 min/km (beginners choose
    155 spm at it)" for the text summary; None for a summary without context."""
    ctx = summary.get("context")
    if not ctx:
        return None
    from runform.analysis.placement import SOURCE_GIVEN, SOURCE_WORDS

    how = SOURCE_WORDS.get(ctx.get("placement_source"), "")
    text = f"worn on: {ctx['placement'].replace('_', ' ')} ({how})"
    speed = ctx.get("speed_mps")
    if speed is None:
        return text + " · running speed: unknown"
    text += f" · running speed: {round(KMH_PER_MPS * speed, 2):g} km/h, {ctx['pace']}"
    if ctx.get("speed_source") not in (None, SOURCE_GIVEN):
        text += f" from the {ctx['speed_source']}"
    expected = ctx.get("expected_cadence_spm")
    return text + (f" (beginners choose about {expected:.0f} spm at it)" if expected is not None else "")
