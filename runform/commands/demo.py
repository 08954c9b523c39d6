"""``runform demo``: the whole main job on the built-in virtual strap, no hardware needed.

A simulated Couch-to-5K week-one session (walk, then run/walk intervals) by a bouncy runner is
served by the virtual strap behind bleak's backend interface and recorded through the same code
path as a real strap (``runform record --simulate``); then it is analyzed, the HTML report is
written, and the summary with the flags is printed. The simulator also writes the GPX track a phone
would have recorded on the run (it knows its runner's speed; with a heart rate), and the analysis takes
the running speed and heart rate from it (``--track``), as from a real phone's. Last, a fresh temporary run log is filled with a
simulated nine-week Couch-to-5K season (three short sessions a week, cadence rising and bounce
falling; ``runform log add`` on all cores) and its progress report is written beside the report.
"""

from __future__ import annotations

import time
from pathlib import Path


DEMO_PROFILE = "c25k"
DEMO_KIND = "rfs"  # the open reference strap: accelerometer + gyroscope, so trunk rotation is measured
DEMO_RATE_HZ = 104.0
DEMO_SPEED = 300.0  # virtual strap runs this many times faster than real time
#: each session of the simulated season: seconds recorded, of which this many walking before the runs
SEASON_SESSION_S = 150.0
SEASON_WARMUP_S = 20.0
PROGRESS_NAME = "progress.html"


def add_arguments(parser) -> None:
    parser.add_argument("-d", "--dir", default="runform-demo", metavar="DIR",
                        help="folder for the recording and the report (default: ./runform-demo)")
    parser.add_argument("--duration", type=float, default=None, metavar="S",
                        help="seconds of the session to record (default: the whole ~29 min session)")
    parser.add_argument("--kind", choices=("polar", "movesense", "rfs"), default=DEMO_KIND,
                        help=f"which strap the virtual strap pretends to be (default: {DEMO_KIND})")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the simulated runner")
    parser.add_argument("--season-seconds", type=float, default=SEASON_SESSION_S, metavar="S",
                        help=f"length of each session of the simulated season (default: {SEASON_SESSION_S:.0f})")


def run(args) -> int:
    from runform.analysis.report import write_report
    from runform.commands import _context
    from runform.firmware_sim import get_profile
    from runform.firmware_sim.bleak_backend import Faults, virtual_world
    from runform.firmware_sim.track import write_gpx
    from runform.commands.analyze import summary_lines, write_steps_csv, write_summary_json
    from runform.sensors import load_recording
    from runform.sensors.ble_link import RecordSettings, record
    from runform.sensors.errors import RunformError

    out_dir = Path(args.dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunformError(f"{out_dir}: cannot create the demo folder: {exc.strerror or exc}") from None
    duration = float(args.duration or get_profile(DEMO_PROFILE).duration_s)
    csv_path = out_dir / "c25k-session.csv"
    t0 = time.perf_counter()

    print(f"1/4  recording {duration / 60:.0f} min of a simulated Couch-to-5K session from the virtual "
          f"{args.kind.upper()} strap through bleak ({DEMO_SPEED:.0f}x real time) ...", flush=True)
    world = virtual_world(DEMO_PROFILE, args.kind, duration, DEMO_RATE_HZ if args.kind != "polar" else None,
                          Faults(seed=args.seed), DEMO_SPEED, args.seed, "chest")
    settings = RecordSettings(kind=args.kind, duration_s=duration, placement="chest", overwrite=True)  # its own folder
    result = record(csv_path, settings, backend=world.backends(), host=world.clock)
    print(f"     {result.samples:,} samples from {result.device}, {result.lost_samples} lost -> {csv_path}")

    # the phone's GPX of the same run: the simulator knows where its runner was (``--track``)
    recording = load_recording(csv_path)
    gpx_path = write_gpx(world.sim, out_dir / "c25k-session.gpx", start_utc=recording.meta.start_utc,
                         duration_s=recording.duration_s, seed=args.seed)
    print(f"2/4  analyzing, with the running speed and heart rate from the phone's track {gpx_path} ...", flush=True)
    recording, session = _context.analyze_with(recording, track=gpx_path)
    summary_path = out_dir / "c25k-session.summary.json"
    write_summary_json(session, summary_path)
    steps_path = out_dir / "c25k-session.steps.csv"
    write_steps_csv(session, steps_path)

    print("3/4  writing the report ...", flush=True)
    report_path = write_report(session, recording.meta, out_dir / "c25k-session.report.html")

    print("4/4  a nine-week Couch-to-5K season into a fresh temporary run log, and its progress report ...",
          flush=True)
    progress_path, progress = _season(out_dir, args.season_seconds)

    print()
    print("\n".join(summary_lines(session.summary)))
    print()
    print("\n".join(progress.verdict))
    print()
    print(f"report:  {report_path}   (open it in a browser)")
    print(f"progress: {progress_path}   (nine simulated weeks; your own: runform log add, runform progress)")
    print(f"summary: {summary_path}\nsteps:   {steps_path}\ntrack:   {gpx_path}   (the phone's GPX of the run, simulated)")
    print(f"done in {time.perf_counter() - t0:.0f} s")
    return 0


def _season(out_dir: Path, session_s: float):
    """Simulate the season into a temporary folder, add it to a temporary log there, write the
    progress report into ``out_dir``; the temporary folder is removed afterwards."""
    import tempfile
    from datetime import datetime, timedelta, timezone

    from runform.commands.log import add_with_progress
    from runform.commands.progress import write_progress
    from runform.runlog import RunLog
    from runform.runlog._season import SeasonSpec, write_season

    today = datetime.now(timezone.utc).date()
    spec = SeasonSpec(first_day=today - timedelta(weeks=9) + timedelta(days=1), duration_s=session_s,
                      warmup_s=SEASON_WARMUP_S)
    with tempfile.TemporaryDirectory(prefix="runform-demo-season-") as tmp:
        files = write_season(Path(tmp) / "season", spec)
        with RunLog(Path(tmp) / "runlog.sqlite") as log:
            add_with_progress(files, log, quiet_added=True)
            return write_progress(log, out_dir / PROGRESS_NAME)
