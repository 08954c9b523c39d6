"""``python -m runform``: the same command line as ``runform``."""

from runform.cli import run_program

run_program()
