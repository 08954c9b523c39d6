"""Pure BLE byte codecs (no I/O): Polar PMD, Movesense GSP, RFS v1 (reference strap),
standard SIG characteristics. Every decoder raises :class:`CodecError` for bytes it cannot
decode; the link counts and skips those notifications.
"""

from runform.sensors.protocols import ble_sig, movesense_gsp, polar_pmd, rfs
from runform.sensors.protocols.errors import CodecError, DeviceCommandError, UnsupportedVersionError

__all__ = ["CodecError", "DeviceCommandError", "UnsupportedVersionError", "ble_sig", "movesense_gsp", "polar_pmd", "rfs"]
