"""One module per CLI sub-command. Each defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; ``runform.cli`` registers every module found here, in ``ORDER`` first."""

#: the order commands are listed in ``runform --help``; modules not listed come after, sorted
ORDER = ["demo", "simulate", "info", "analyze", "report", "log", "progress", "compare", "scan", "record", "replay"]
