"""runform: running-form analysis for chest and upper-back IMU straps.

The public facade, what the README and the examples use::

    import runform
    rec = runform.load("my_run_ACC.txt")          # any supported file (or a DataFrame, see load)
    session = runform.analyze(rec)                # bouts, per-step metrics, summary, flags
    runform.report(session, rec.meta, "run.html")  # the interactive report, one offline HTML file
    sim = runform.simulate("easy", 600, 200)      # a virtual strap's recording with ground truth

The packages behind it install under this one name: ``runform.sensors`` (samples in),
``runform.analysis`` (the numeric core, flags, report), ``runform.firmware_sim`` (the simulated
strap) and ``runform.commands`` (the CLI). Names are imported on first use so that
``runform --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = ["load", "analyze", "simulate", "report", "__version__"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from runform.analysis import analyze
    from runform.analysis.report import write_report as report
    from runform.firmware_sim import simulate
    from runform.sensors import load_recording as load

_FACADE = {
    "load": ("runform.sensors.loading", "load_recording"),
    "analyze": ("runform.analysis._pipeline", "analyze"),
    "simulate": ("runform.firmware_sim.session", "simulate"),
    "report": ("runform.analysis.report", "write_report"),
}


def __getattr__(name: str):
    if name in _FACADE:
        import importlib

        module, attr = _FACADE[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'runform' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_FACADE))
