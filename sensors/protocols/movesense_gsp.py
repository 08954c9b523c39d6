"""Movesense GATT SensorData Protocol (GSP) codec.

Source: Movesense "GATT SensorData Protocol" (movesense.com/docs/esw/gatt_sensordata_protocol,
GD-77 v1.0) and the ``gatt_sensordata_app`` sample of the Movesense device library
(GATTSensorDataClient.cpp); see docs/devices.md, "Protocol sources". Commands ``[cmd][ref][path]``; notifications
``[code][ref][payload]``; IMU payloads are struct-of-arrays (all acc vectors, then all gyro, then
all magn), float32 little-endian, acc in m/s^2, gyro deg/s, magn uT; the u32 timestamp (ms) is
that of the FIRST sample. Payloads over 150 bytes come as DATA (2) + DATA_PART2 (3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from runform.sensors.protocols._bytes import as_bytes, need
from runform.sensors.protocols.errors import CodecError
from runform.sensors.units import STANDARD_GRAVITY

SERVICE_UUID = "34802252-7185-4d5d-b431-630e7050e8f0"
COMMAND_UUID = "34800001-7185-4d5d-b431-630e7050e8f0"
DATA_UUID = "34800002-7185-4d5d-b431-630e7050e8f0"
NAME_PREFIX = "Movesense"

#: payload bytes carried by the first part of a split DATA message (newer firmware)
PART1_PAYLOAD_BYTES = 150
TIMESTAMP_BYTES = 4
VECTOR_BYTES = 12  # x, y, z float32
MAX_SUBSCRIPTIONS = 4
#: multiply acc in m/s^2 by this to get g
ACC_G_PER_M_S2 = 1.0 / STANDARD_GRAVITY
HTTP_OK = (200, 201)
#: the sample firmware writes 507 "no free subscription slot" big-endian (bytes 01 FB)
NO_FREE_SLOT_BIG_ENDIAN = b"\x01\xfb"
HELLO_PAYLOAD = b"Hello"


class GspCommand(IntEnum):
    HELLO = 0
    SUBSCRIBE = 1
    UNSUBSCRIBE = 2


class GspResponse(IntEnum):
    COMMAND_RESULT = 1
    DATA = 2
    DATA_PART2 = 3


#: resource name -> vector groups per sample, in payload order
RESOURCE_VECTORS = {
    "Acc": ("acc",),
    "Gyro": ("gyro",),
    "Magn": ("magn",),
    "IMU6": ("acc", "gyro"),
    "IMU6m": ("acc", "magn"),
    "IMU9": ("acc", "gyro", "magn"),
}
_PATH = re.compile(r"^/Meas/(Acc|Gyro|Magn|IMU6m|IMU6|IMU9)/(\d+)$")


def _ref(reference: int) -> int:
    if not 1 <= reference <= 255:
        raise CodecError(f"GSP: reference {reference} must be 1..255")
    return reference


def build_hello(reference: int) -> bytes:
    return bytes([GspCommand.HELLO, _ref(reference)])


def build_subscribe(reference: int, path: str) -> bytes:
    """SUBSCRIBE to a Whiteboard path, e.g. ``/Meas/IMU6/104`` (UTF-8, no terminator)."""
    return bytes([GspCommand.SUBSCRIBE, _ref(reference)]) + path.encode("utf-8")


def build_unsubscribe(reference: int) -> bytes:
    return bytes([GspCommand.UNSUBSCRIBE, _ref(reference)])


def imu_path(resource: str, rate_hz: int) -> str:
    """Resource path such as ``/Meas/IMU6/104``."""
    if resource not in RESOURCE_VECTORS:
        raise CodecError(f"GSP: unknown resource {resource!r}")
    return f"/Meas/{resource}/{int(rate_hz)}"


def parse_path(path: str) -> tuple[str, int]:
    """``/Meas/IMU6/104`` -> ("IMU6", 104); CodecError for anything else."""
    match = _PATH.match(path)
    if not match:
        raise CodecError(f"GSP: unsupported resource path {path!r}")
    return match.group(1), int(match.group(2))


@dataclass(frozen=True)
class GspCommandMessage:
    command: int
    reference: int
    path: str | None


def parse_command(data) -> GspCommandMessage:
    """Decode a command write (what the simulated sensor receives)."""
    data = as_bytes(data, "GSP command")
    need(data, 2, "GSP command")
    try:
        command = GspCommand(data[0])
    except ValueError:
        raise CodecError(f"GSP command: unknown command {data[0]}") from None
    _ref(data[1])
    path = None
    if command == GspCommand.SUBSCRIBE:
        try:
            path = data[2:].decode("utf-8")
        except UnicodeDecodeError:
            raise CodecError("GSP subscribe: path is not UTF-8") from None
        if not path:
            raise CodecError("GSP subscribe: empty path")
    elif len(data) > 2:
        raise CodecError(f"GSP {command.name}: {len(data) - 2} unexpected bytes")
    return GspCommandMessage(command, data[1], path)


@dataclass(frozen=True)
class GspNotification:
    response: int
    reference: int
    payload: bytes


def parse_notification(data) -> GspNotification:
    data = as_bytes(data, "GSP notification")
    need(data, 2, "GSP notification")
    try:
        response = GspResponse(data[0])
    except ValueError:
        raise CodecError(f"GSP notification: unknown response code {data[0]}") from None
    return GspNotification(response, data[1], data[2:])


def command_status(payload: bytes) -> int:
    """HTTP-style status of a COMMAND_RESULT payload.

    ``"Hello"`` (HELLO reply of the sample firmware) -> 200; 2 bytes little-endian, except the
    sample firmware's big-endian 507 (``01 FB``).
    """
    payload = as_bytes(payload, "GSP command result")
    if payload.startswith(HELLO_PAYLOAD):
        return 200
    if len(payload) != 2:
        raise CodecError(f"GSP command result: {len(payload)}-byte status, expected 2")
    if payload == NO_FREE_SLOT_BIG_ENDIAN:
        return int.from_bytes(payload, "big")
    return int.from_bytes(payload, "little")


def encode_command_result(reference: int, status: int) -> bytes:
    return bytes([GspResponse.COMMAND_RESULT, _ref(reference)]) + int(status).to_bytes(2, "little")


class GspReassembler:
    """Joins DATA (2) + DATA_PART2 (3) messages.

    ``feed(notification bytes)`` returns the list of complete messages it can release.
    A DATA message whose payload is exactly ``PART1_PAYLOAD_BYTES`` is held until the next
    notification: a PART2 with the same reference completes it; anything else releases it
    unchanged. A PART2 with nothing to complete is a CodecError. ``flush()`` releases a held one.
    """

    def __init__(self) -> None:
        self._held: GspNotification | None = None

    def feed(self, data) -> list[GspNotification]:
        message = parse_notification(data)
        out: list[GspNotification] = []
        if message.response == GspResponse.DATA_PART2:
            held = self._held
            if held is None or held.reference != message.reference:
                raise CodecError(f"GSP: DATA_PART2 for reference {message.reference} without its first part")
            self._held = None
            return [GspNotification(GspResponse.DATA, held.reference, held.payload + message.payload)]
        out += self.flush()
        if message.response == GspResponse.DATA and len(message.payload) == PART1_PAYLOAD_BYTES:
            self._held = message
            return out
        return out + [message]

    def flush(self) -> list[GspNotification]:
        held, self._held = self._held, None
        return [held] if held is not None else []


@dataclass(frozen=True)
class GspImuSamples:
    """Decoded IMU notification. Arrays are (n, 3) float32 or None when not subscribed.

    acc in m/s^2 (x ACC_G_PER_M_S2 -> g), gyro deg/s, magn uT; ``timestamp_ms`` = first sample.
    """

    timestamp_ms: int
    acc: np.ndarray | None
    gyro: np.ndarray | None
    magn: np.ndarray | None

    @property
    def n_samples(self) -> int:
        return next(a.shape[0] for a in (self.acc, self.gyro, self.magn) if a is not None)


def decode_imu_payload(payload: bytes, resource: str) -> GspImuSamples:
    """Decode a DATA payload (after ``[2][ref]``, reassembled) of ``/Meas/<resource>/<rate>``."""
    payload = as_bytes(payload, "GSP payload", max_len=1 << 16)
    groups = RESOURCE_VECTORS.get(resource)
    if groups is None:
        raise CodecError(f"GSP: unknown resource {resource!r}")
    need(payload, TIMESTAMP_BYTES + VECTOR_BYTES * len(groups), f"GSP {resource} payload")
    body = len(payload) - TIMESTAMP_BYTES
    per_sample = VECTOR_BYTES * len(groups)
    if body % per_sample:
        raise CodecError(f"GSP {resource}: {body} data bytes is not a multiple of {per_sample}")
    n = body // per_sample
    values = np.frombuffer(payload, dtype="<f4", offset=TIMESTAMP_BYTES).reshape(len(groups), n, 3)
    arrays = {name: values[i].astype(np.float32) for i, name in enumerate(groups)}
    return GspImuSamples(
        int.from_bytes(payload[:TIMESTAMP_BYTES], "little"),
        arrays.get("acc"),
        arrays.get("gyro"),
        arrays.get("magn"),
    )


def encode_imu_notifications(reference: int, timestamp_ms: int, acc=None, gyro=None, magn=None) -> list[bytes]:
    """DATA notification(s) for IMU samples; split into DATA + DATA_PART2 above 150 payload bytes."""
    arrays = [np.asarray(a, dtype="<f4").reshape(-1, 3) for a in (acc, gyro, magn) if a is not None]
    if not arrays or len({a.shape[0] for a in arrays}) != 1 or arrays[0].shape[0] < 1:
        raise CodecError("GSP: need at least one non-empty vector group, all of the same length")
    payload = int(timestamp_ms & 0xFFFFFFFF).to_bytes(4, "little") + b"".join(a.tobytes() for a in arrays)
    head = bytes([GspResponse.DATA, _ref(reference)])
    if len(payload) <= PART1_PAYLOAD_BYTES:
        return [head + payload]
    part2 = bytes([GspResponse.DATA_PART2, reference])
    return [head + payload[:PART1_PAYLOAD_BYTES], part2 + payload[PART1_PAYLOAD_BYTES:]]
