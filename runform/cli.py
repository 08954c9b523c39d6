"""The ``runform`` command line. Holds no logic: each sub-command lives in ``runform.commands``.

Every error meant for the user (``sensors.RunformError``) is printed as one line and exits 2;
Ctrl-C exits 130; nothing prints a traceback unless ``RUNFORM_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from runform import __version__, commands
from runform.sensors.errors import RunformError
from runform.sensors.text import printable

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _command_modules():
    found = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    ordered = [n for n in commands.ORDER if n in found] + sorted(n for n in found if n not in commands.ORDER)
    return [importlib.import_module(f"runform.commands.{n}") for n in ordered]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse's own convention)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="runform",
        description="Running-form analysis for chest and upper-back IMU straps.",
    )
    parser.add_argument("--version", action="version", version=f"runform {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args._run(args) or 0)
    except RunformError as exc:
        if os.environ.get("RUNFORM_DEBUG"):
            raise
        print(f"runform: error: {printable(exc)}", file=sys.stderr)  # messages quote file contents
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("runform: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
