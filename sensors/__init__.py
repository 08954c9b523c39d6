"""sensors: getting samples in.

The ``Recording``/``SampleBlock`` data model, file formats (read, write, import), BLE byte protocols
(pure codecs), device profiles, the bleak link and the crash-safe recorder.
May import: numpy, pandas, bleak.
"""

from runform.sensors.errors import InputError, RunformError
from runform.sensors.recording import Gap, Metadata, Recording, SampleBlock, find_gaps
from runform.sensors.loading import load_recording
from runform.sensors.importers import format_names

__all__ = ["Gap", "InputError", "Metadata", "Recording", "RunformError", "SampleBlock", "find_gaps",
           "format_names", "load_recording"]
