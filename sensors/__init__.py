"""sensors: getting samples in.

The ``Recording``/``SampleBlock`` data model, file formats (read, write, import), BLE byte protocols
(pure codecs), device profiles, the bleak link and the crash-safe recorder.
May import: numpy, pandas, bleak.

The names below are imported on first use (PEP 562): ``from runform.sensors import RunformError``
does not load the importers, so ``runform log list`` never pays for reading files.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: public name -> the module of this package that defines it
_EXPORTS = {
    "InputError": "errors", "RunformError": "errors",
    "Gap": "recording", "Metadata": "recording", "Recording": "recording", "SampleBlock": "recording",
    "find_gaps": "recording",
    "load_recording": "loading",
    "format_names": "importers",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from runform.sensors.errors import InputError, RunformError
    from runform.sensors.importers import format_names
    from runform.sensors.loading import load_recording
    from runform.sensors.recording import Gap, Metadata, Recording, SampleBlock, find_gaps


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"runform.sensors.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'runform.sensors' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
