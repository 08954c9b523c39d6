"""``runform scan``: supported straps advertising nearby (name, address, kind, signal)."""

from __future__ import annotations

import argparse

from runform.sensors.text import printable

#: the command line suggested when this machine has no Bluetooth stack
NO_RADIO_HINT = "runform scan --simulate"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S", help="seconds to scan (default 5)")
    parser.add_argument("--kind", choices=("polar", "movesense", "rfs"), default=None, help="only straps of this kind")
    parser.add_argument("--simulate", action="store_true", help="scan the virtual straps instead of the radio")


def run(args) -> int:
    from runform.commands._radio import hint_without_radio
    from runform.sensors.ble_link import scan

    backend = host = None
    if args.simulate:
        from runform.firmware_sim.bleak_backend import VirtualWorld, virtual_world

        worlds = [virtual_world("easy", k, 1.0, seed=i) for i, k in enumerate(("polar", "verity", "movesense", "rfs"))]
        world = VirtualWorld([s for w in worlds for s in w.straps])
        backend, host = world.backends(), world.clock
    with hint_without_radio(NO_RADIO_HINT):
        found = scan(args.timeout, backend=backend, kind=args.kind, host=host)
    if not found:
        print(f"no supported strap found in {args.timeout:g} s")
        return 1
    print(f"{'name':<24} {'address':<40} {'kind':<10} signal")
    for name, address, kind, rssi in found:
        print(f"{printable(name):<24} {printable(address):<40} {kind:<10} {rssi if rssi is not None else '?'} dBm")
    return 0
