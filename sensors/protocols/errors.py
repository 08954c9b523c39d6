"""Errors of the pure BLE codecs.

``CodecError`` marks one bad notification or value (truncated, oversized, garbage, unknown
layout): the link counts it and skips it. ``DeviceCommandError`` is a well-formed answer in which
the device refused a command (e.g. Polar ``INVALID_MTU``); the session layer decides what to do.
"""

from __future__ import annotations

from runform.sensors.errors import RunformError


class CodecError(RunformError):
    """Bytes that cannot be decoded: truncated, oversized, or garbage."""


class UnsupportedVersionError(CodecError):
    """A frame announces a protocol version this host does not know: stop, do not guess."""


class DeviceCommandError(RunformError):
    """The device answered a control command with an error status.

    ``protocol`` is e.g. ``"polar-pmd"``, ``status`` the numeric code, ``status_name`` its name.
    """

    def __init__(self, protocol: str, command: str, status: int, status_name: str):
        self.protocol = protocol
        self.command = command
        self.status = status
        self.status_name = status_name
        super().__init__(f"{protocol}: {command} refused by the device: {status_name} ({status})")
