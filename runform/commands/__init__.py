"""One module per CLI sub-command: ``runform.commands.NAME`` defines ``add_arguments(parser)`` and
``run(args) -> int``.

``COMMANDS`` names them with their one-line help, in the order of ``runform --help``: ``runform.cli``
builds its parser from this table and imports a command's module only when that command runs or
shows its own help (``runform log list`` never imports the analysis, plotly or pandas).
"""

#: command name -> one-line help (also the description of ``runform NAME --help``)
COMMANDS = {
    "demo": "record a simulated Couch-to-5K session from the virtual strap, analyze it and write the report",
    "simulate": "simulate a strap session (canonical CSV + FILE.truth.json ground truth)",
    "info": "show what a recording file contains: format, device, duration, sample rates, channels, gaps",
    "analyze": "analyze a recording: walk/run bouts, cadence, bounce, ground contact, impact, rotation, balance, flags",
    "report": "analyze a recording and write the interactive HTML form report (one file, works offline)",
    "log": "the run log: add recordings (in parallel), list, show or remove sessions",
    "progress": "progress across weeks from the run log: verdict at matched cadence, weekly figures, HTML report",
    "compare": "two sessions side by side (recordings or run-log ids), as text and optionally HTML",
    "scan": "list nearby supported straps (Polar, Movesense, RFS) by the services they advertise",
    "record": "record a strap over Bluetooth LE to a canonical CSV (or the virtual strap with --simulate)",
    "replay": "stream a recording through the live analysis and panel (cadence, bounce, impact, cues), at real time or faster",
}
