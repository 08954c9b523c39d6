"""The arguments every command that reads a recording takes, and the one way they load it.

``FILE`` (a file, an export folder or zip; ``FILE#trial=N`` for multi-trial files), ``--format``,
``--columns``, and for ``--columns`` reads of files runform does not know: ``--rate HZ`` (a file
with only a sample index), ``--skip-rows N`` and ``--header-line TEXT`` (exports with a preamble,
e.g. GENEActiv's 100 lines); ``--trial N`` picks a trial of a multi-trial file.
"""

from __future__ import annotations

from runform.sensors import format_names, load_recording
from runform.sensors.importers.generic import MAPPING_HELP
from runform.sensors.loading import OPTION_SEPARATOR, split_path_options

FILE_HELP = ("recording: a CSV/TXT file, a Sensor Logger folder or .zip (any supported format; see `runform info`); "
             "multi-trial files take --trial N")


def add_input_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help=FILE_HELP)
    parser.add_argument("--format", metavar="NAME", help=f"skip detection and read as NAME ({', '.join(format_names())})")
    parser.add_argument("--columns", metavar="MAPPING", help=MAPPING_HELP)
    parser.add_argument("--rate", type=float, metavar="HZ",
                        help="with --columns: the sample rate of a file whose time column is a sample index, or "
                             "that has no time column")
    parser.add_argument("--skip-rows", type=int, metavar="N", help="with --columns: lines of preamble before the header")
    parser.add_argument("--header-line", metavar="TEXT",
                        help="with --columns: the header is the first line that starts with TEXT (skips a preamble)")
    parser.add_argument("--trial", type=int, metavar="N", help="the trial to read from a multi-trial file (0-based)")


def input_path(args) -> str:
    """``FILE``, or ``FILE#trial=N`` with ``--trial N`` (the same as writing it after the path)."""
    if getattr(args, "trial", None) is None:
        return args.file
    path, options = split_path_options(args.file)
    options["trial"] = str(args.trial)
    return f"{path}{OPTION_SEPARATOR}{'&'.join(f'{k}={v}' for k, v in options.items())}"


def load_input(args):
    """The recording the arguments name (``sensors.load_recording``)."""
    return load_recording(input_path(args), format=args.format, columns=args.columns,
                          rate_hz=getattr(args, "rate", None), skip_rows=getattr(args, "skip_rows", None),
                          header_line=getattr(args, "header_line", None))


def trial_line(rec) -> str | None:
    """"trial 3 of 25 in the file (0..24); choose with --trial N", for multi-trial files."""
    extra = rec.meta.extra
    if "trial" not in extra or "n_trials" not in extra:
        return None
    n = extra["n_trials"]
    return f"trial {extra['trial']} of the {n} trials in the file (0..{n - 1}) analysed; choose another with --trial N"


def load_notes(rec) -> list[str]:
    """What reading the file changed or could not do, one line each (``info`` lists them; ``analyze``
    and ``report`` print them before their results)."""
    extra, notes = rec.meta.extra, []
    rep = extra.get("repeated_records")
    if rep:
        notes.append(f"{rep['count']} identical repeated record(s) removed (rows {', '.join(map(str, rep['rows']))})")
    oor = extra.get("out_of_range")
    if oor:
        notes.append(f"{oor['count']} sample(s) beyond the sensor's range (|acc| > {oor['limit_acc_g']:g} g) removed "
                     "and recorded as gaps")
    if extra.get("gravity_removed"):
        notes.append("acceleration has gravity removed by the source (not specific force)")
    if extra.get("absent_channels"):
        notes.append(f"absent in the source, filled with 0: {', '.join(extra['absent_channels'])}")
    if trial_line(rec):
        notes.append(trial_line(rec))
    if extra.get("gyro_not_merged"):
        notes.append(f"gyro file not merged: {extra['gyro_not_merged']}")
    return notes


def add_load_notes(summary: dict, rec) -> dict:
    """``summary`` with ``load_notes(rec)`` first in its ``notes``: the text, the JSON and the report
    all say what reading the file changed. Returns the summary."""
    summary["notes"] = load_notes(rec) + list(summary.get("notes") or [])
    return summary
