"""The ``runform`` command line. Holds no logic: each sub-command lives in ``runform.commands``.

Every error meant for the user (``sensors.RunformError``) is printed as one line and exits 2;
Ctrl-C exits 130; nothing prints a traceback unless ``RUNFORM_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
import threading
from typing import NoReturn

from runform import __version__
from runform.commands import COMMANDS
from runform.sensors.errors import RunformError
from runform.sensors.text import printable

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse's own convention)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class _CommandParser(_Parser):
    """A sub-command's parser that takes its options from ``runform.commands.NAME.add_arguments`` the
    first time it parses or shows help: ``runform NAME`` imports that one command module, not all of
    them (a nested parser, such as ``log list``'s, is an ordinary one: ``command`` None)."""

    def __init__(self, *args, command: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._command = command

    def load(self) -> "_CommandParser":
        """Add the command's options and its ``run`` (once); returns the parser."""
        if self._command is not None:
            module = importlib.import_module(f"runform.commands.{self._command}")
            self._command = None
            module.add_arguments(self)
            self.set_defaults(_run=module.run)
        return self

    def parse_known_args(self, args=None, namespace=None):
        return super(_CommandParser, self.load()).parse_known_args(args, namespace)

    def format_usage(self):
        return super(_CommandParser, self.load()).format_usage()

    def format_help(self):
        return super(_CommandParser, self.load()).format_help()


def build_parser() -> argparse.ArgumentParser:
    """The ``runform`` parser: every command of ``commands.COMMANDS`` with its help; a command's own
    options are added when it is chosen (``_CommandParser``)."""
    parser = _Parser(
        prog="runform",
        description="Running-form analysis for chest and upper-back IMU straps.",
    )
    parser.add_argument("--version", action="version", version=f"runform {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    for name, help_text in COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text, command=name)
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


def run_program() -> NoReturn:
    """The ``runform`` program (console script and ``python -m runform``): ``main()`` on the command
    line, then ``exit_now`` with its status."""
    exit_now(main())


def exit_now(status: int) -> NoReturn:
    """End the process with ``status`` without tearing the interpreter down object by object.

    What an orderly exit must do still happens: the ``atexit`` handlers (logging, multiprocessing,
    temporary folders) run and stdout and stderr are flushed. What is skipped is freeing every module
    and object one at a time (0.1-0.2 s of CPU once scipy and pandas are loaded), which the operating
    system does at once. Every file runform writes is closed before its command returns (outputs by
    ``sensors.atomic``, the run log by its context manager). With another thread still running, the
    interpreter's own exit (which waits for it) is used instead.

    The handlers are run by CPython's ``atexit._run_exitfuncs``, which is private: the standard library has
    no public call that runs them and then leaves without the teardown. The public route, registering a
    handler of our own that calls ``os._exit``, would skip every handler registered before it (they run last
    in, first out), that is, those of anything imported before ``runform.cli`` (``tests/runform/test_cli_exit.py``
    registers one that way). On a Python without ``_run_exitfuncs`` the interpreter's own exit is used: the
    same guarantee, with the teardown's cost."""
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if threading.active_count() > 1 or run_exit_handlers is None:
        sys.exit(status)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that descriptor closed (runform ... >&-): nothing to flush
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed stream, or a reader that went away (runform ... | head)
            pass
    os._exit(status)


if __name__ == "__main__":
    run_program()
