"""``runform replay FILE [--speed X]``: stream a recording through the live analysis and the panel.

The same path as ``runform record``: blocks -> ``analysis.LiveAnalyzer`` -> ``sensors.live_panel``, at real
time x SPEED (0: as fast as possible). At the end: the live totals next to ``analyze()`` on the whole
file, then the same readable summary as ``runform analyze``. A footpod's speed recorded in the sidecar (BLE
RSC) is fed to the live analysis as it would have arrived, so the panel shows pace, step length and
vertical ratio as ``record`` did.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from runform.sensors.live_panel import LinkStatus, LivePanel

from runform import analysis
from runform.analysis.catalogue import metric
from runform.analysis.live import LiveAnalyzer
from runform.analysis.live_cues import BELL
from runform.analysis.side_channels import footpod_speed
from runform.commands._input import add_input_arguments, add_load_notes, load_input
from runform.commands._options import MAX_SPEED, require_number
from runform.commands.analyze import summary_lines

#: seconds of samples per streamed block (a BLE notification carries 0.05-0.4 s)
BLOCK_S = 0.1
#: running-summary metrics compared live vs batch at the end (one decimal finer than the catalogue's
#: display precision: the comparison is about small differences)
COMPARE = tuple(metric(key) for key in (
    "cadence_spm", "vertical_oscillation_cm", "ground_contact_ms", "impact_g", "gct_balance_left_pct"))


def add_arguments(parser) -> None:
    add_input_arguments(parser)
    parser.add_argument("--speed", type=float, default=1.0, metavar="X",
                        help="play at X times real time (default 1; 0 = as fast as possible)")
    parser.add_argument("--bell", action="store_true", help="ring the terminal bell with each cue")


def compare_lines(live: dict, batch: dict) -> list[str]:
    """Live totals next to the batch summary's running figures, and both flag lists."""
    out = [f"  {'':<26}{'live':>10}{'analyze':>10}",
           f"  {'running steps':<26}{live['running']['steps']:>10d}{batch['running']['steps']:>10d}"]
    for m in COMPARE:
        live_value, batch_value = (m.number(s["running"].get(m.key), m.decimals + 1) for s in (live, batch))
        out.append(f"  {m.label.lower() + ' ' + m.unit:<26}{live_value:>10}{batch_value:>10}")
    out.append(f"  {'walking steps':<26}{live['walking']['steps']:>10d}{batch['walking']['steps']:>10d}")
    codes = lambda flags: ", ".join(f["code"] for f in flags) or "none"  # noqa: E731
    out.append(f"  flags live: {codes(live['flags'])}; analyze: {codes(batch.get('flags') or [])}")
    return out


def run(args) -> int:
    require_number(args.speed, "--speed", 0, MAX_SPEED, allow_none=False)  # 0: as fast as possible
    rec = load_input(args)
    live = LiveAnalyzer(rate_hz=rec.meta.nominal_rate_hz, has_gyro=rec.has_gyro, placement=rec.meta.placement)
    pod_t, pod_v = footpod_speed(rec.meta) or ((), ())
    fed = 0  # footpod readings fed so far
    out = sys.stdout
    panel = LivePanel(out)
    panel.add_metric(live.panel_metrics)
    status = LinkStatus(device=rec.meta.device or Path(args.file).name, state="replaying")
    t0, wall0, announced = float(rec.time[0]), time.monotonic(), 0
    cpu0 = time.process_time()
    try:
        for block in rec.blocks(BLOCK_S):
            if args.speed > 0:
                wait = wall0 + (block.time[-1] - t0) / args.speed - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            while fed < len(pod_t) and pod_t[fed] <= block.time[-1]:
                live.add_speed(float(pod_t[fed]), float(pod_v[fed]))
                fed += 1
            live.feed(block)
            status.elapsed_s, status.samples = float(block.time[-1] - t0), status.samples + len(block)
            for cue in live.cues[announced:]:
                panel.say(f"{BELL if args.bell else ''}[{cue.start_s - t0:7.1f} s] {cue.text}")
            announced = len(live.cues)
            panel.update(status)
    except KeyboardInterrupt:  # Ctrl-C: close the panel, say how far it got; the CLI exits 130 (no whole-file analysis)
        status.state = "interrupted"
        panel.close(status)
        totals = live.totals()
        print(f"\ninterrupted at {status.elapsed_s:.0f} s of {rec.duration_s:.0f} s: {totals['steps']} steps, "
              f"{len(live.cues)} cues so far")
        raise
    live.flush()
    cpu = time.process_time() - cpu0
    status.state = "done"
    panel.close(status)
    totals = live.totals()
    batch = add_load_notes(analysis.analyze(rec).summary, rec)
    print(f"\nlive: {totals['steps']} steps, {len(live.cues)} cues, CPU {cpu:.1f} s for {status.elapsed_s:.0f} s of data "
          f"in {time.monotonic() - wall0:.1f} s")
    print("\n".join(compare_lines(totals, batch)))
    print("\nrunform analyze:")
    print("\n".join(summary_lines(batch)))
    return 0
