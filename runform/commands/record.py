"""``runform record -o FILE.csv``: record a strap over Bluetooth LE (or the virtual strap).

Writes the canonical CSV while recording (crash-safe) and its sidecar ``FILE.meta.json``; a live
panel shows progress. ``--simulate PROFILE`` serves a simulated runner through the virtual strap
(same bleak code path, no radio), with optional injected faults.
"""

from __future__ import annotations

import argparse

#: exit status after Ctrl-C (the shell's 128 + SIGINT), the file finalised and valid
EXIT_INTERRUPTED = 130
#: seconds the virtual strap runs when --duration is not given
SIM_DEFAULT_DURATION_S = 600.0
#: the command line suggested when this machine has no Bluetooth stack
NO_RADIO_HINT = "runform record --simulate bouncy -o FILE.csv"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE.csv", help="output CSV path")
    parser.add_argument("--device", metavar="NAME|ADDRESS", help="the strap's name or address (default: strongest)")
    parser.add_argument("--kind", choices=("polar", "movesense", "rfs"), help="only straps of this kind")
    parser.add_argument("--rate", type=float, metavar="HZ", help="sample rate (default: the strap's default)")
    parser.add_argument("--duration", type=float, metavar="S",
                        help="seconds to record (default: until Ctrl-C; 600 with --simulate)")
    parser.add_argument("--placement", choices=("chest", "back"), default=None, help="where the strap is worn")
    parser.add_argument("--speed-kmh", metavar="KMH", type=float, default=None,
                        help="running speed in km/h (a treadmill): the live panel adds pace, step length and vertical "
                             "ratio (default: a footpod's, when the strap reports one, else unknown)")
    parser.add_argument("--bell", action="store_true", help="ring the terminal bell with each live cue (jarring pattern)")
    parser.add_argument("--overwrite", action="store_true", help="replace FILE.csv if it exists (refused otherwise)")
    sim = parser.add_argument_group("virtual strap")
    sim.add_argument("--simulate", metavar="PROFILE", help="record a simulated runner (e.g. bouncy) from the virtual strap")
    sim.add_argument("--speed", type=float, default=1.0, metavar="X", help="pace the virtual strap at X times real time at most (its time is simulated: the "
                     "recording is the same at any speed and load; 10000 runs as fast as the machine goes)")
    sim.add_argument("--loss", type=float, default=0.0, metavar="P", help="fraction of frames lost (0-1)")
    sim.add_argument("--corrupt", type=float, default=0.0, metavar="P", help="fraction of frames corrupted (0-1)")
    sim.add_argument("--disconnect-at", type=float, action="append", default=[], metavar="S",
                     help="drop the link S seconds into the recording (repeatable)")
    sim.add_argument("--drift-ppm", type=float, default=0.0, metavar="PPM", help="strap clock drift")
    sim.add_argument("--mtu", type=int, default=None, metavar="BYTES", help="largest ATT MTU the strap accepts")
    sim.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the simulated runner and faults")
    sim.add_argument("--footpod", action="store_true",
                     help="the virtual strap also reports the runner's speed over BLE Running Speed and Cadence, "
                          "as a footpod does")
    from runform.runlog._hook import add_log_arguments

    add_log_arguments(parser)


def run(args) -> int:
    from runform.commands._radio import hint_without_radio
    from runform.sensors.ble_link import RecordSettings, record
    from runform.commands._options import MAX_DRIFT_PPM, MAX_DURATION_S, MAX_SPEED, require_number
    from runform.sensors.errors import RunformError
    from runform.sensors.live_panel import LivePanel

    require_number(args.duration, "--duration", 0, MAX_DURATION_S, low_inclusive=False)
    require_number(args.speed, "--speed", 0, MAX_SPEED, low_inclusive=False)
    require_number(args.drift_ppm, "--drift-ppm", -MAX_DRIFT_PPM, MAX_DRIFT_PPM)
    if args.footpod and not args.simulate:
        raise RunformError("--footpod is the virtual strap's (with --simulate); a real footpod's speed is recorded "
                           "when the strap reports it")
    settings = RecordSettings(device=args.device, kind=args.kind, rate_hz=args.rate, duration_s=args.duration,
                              placement=args.placement, overwrite=args.overwrite, speed_mps=speed_mps(args))
    backend = host = None
    if args.simulate:
        from runform.firmware_sim.bleak_backend import Faults, virtual_world
        from runform.firmware_sim.profiles import ProfileError

        if not 0 <= args.loss < 1 or not 0 <= args.corrupt < 1:
            raise RunformError("--loss and --corrupt must be in [0, 1)")
        faults = Faults(loss=args.loss, corrupt=args.corrupt, disconnect_at=args.disconnect_at,
                        drift_ppm=args.drift_ppm, mtu=args.mtu, seed=args.seed)
        try:
            world = virtual_world(args.simulate, args.kind or "polar", args.duration or SIM_DEFAULT_DURATION_S, args.rate, faults,
                                  args.speed, args.seed, args.placement or "chest", footpod=args.footpod)
        except ProfileError as exc:
            raise RunformError(str(exc)) from None
        backend, host = world.backends(), world.clock
        settings.duration_s = settings.duration_s or SIM_DEFAULT_DURATION_S
        settings.placement = settings.placement or "chest"
    from runform.analysis.live import LiveAnalyzer
    from runform.analysis.live_cues import BELL

    # live cadence, bounce, contact, impact, cues and, with a speed, pace, step length and vertical ratio
    live = LiveAnalyzer(rate_hz=settings.rate_hz, speed_mps=speed_mps(args), placement=settings.placement)
    panel = LivePanel()
    panel.add_metric(live.panel_metrics)
    announced = 0

    def on_status(status) -> None:  # a footpod's newest speed reading goes to the live analysis
        if status.speed_time_s is not None:
            live.add_speed(status.speed_time_s, status.speed_m_s)
        panel.update(status)

    def on_block(block) -> None:  # live analysis, and each new cue on a line of its own
        nonlocal announced
        live.on_block(block)
        for cue in live.cues[announced:]:
            panel.say(f"{BELL if args.bell else ''}[{cue.start_s:7.1f} s] {cue.text}")
        announced = len(live.cues)

    with hint_without_radio(NO_RADIO_HINT):
        result = record(args.output, settings, backend=backend, host=host, on_status=on_status, on_block=on_block)
    panel.close()
    if result.failure:
        raise RunformError(f"{result.failure}: the recording stopped at {result.duration_s:.1f} s; {result.path} keeps "
                           f"all {result.samples} samples written before (whole rows, readable)")
    total = result.samples + result.lost_samples
    loss = 100.0 * result.lost_samples / total if total else 0.0
    overlap = (f", {result.overlapping_samples_dropped} samples dropped where frames overlapped in time"
               if result.overlapping_samples_dropped else "")
    print(f"{result.path}: {result.samples} samples, {result.duration_s:.1f} s from {result.device}; "
          f"lost {result.lost_samples} samples ({loss:.2f} %) in {result.lost_frames} frames, "
          f"{result.bad_frames} bad frames, {result.reconnects} reconnects{overlap}; stopped by {result.stopped_by}")
    _add_to_log(args, result.path)  # a recording stopped with Ctrl-C is a finished run too
    return EXIT_INTERRUPTED if result.stopped_by == "user" else 0


def speed_mps(args) -> float | None:
    """The running speed given with ``--speed-kmh``, in m/s (None: not given); range-checked as for ``analyze``."""
    from runform.commands._context import analyze_kwargs

    return analyze_kwargs(args)["speed_mps"]


def _add_to_log(args, path) -> None:
    """The finished recording, analysed and kept in the run log (a simulated runner's only on request)."""
    import sys

    from runform.runlog._hook import remember
    from runform.sensors.errors import RunformError

    if args.no_log or args.simulate:
        remember(None, None, str(path), args, simulated=bool(args.simulate))
        return
    from runform.analysis import analyze
    from runform.sensors import load_recording

    try:
        recording = load_recording(path)
        session = analyze(recording, speed_mps=speed_mps(args))
    except RunformError as exc:  # the recording is safe on disk; only the log entry is missing
        print(f"run log: not added: {exc}", file=sys.stderr)
        return
    remember(recording, session, str(path), args, simulated=False)
