"""Standard Bluetooth SIG characteristics: Heart Rate Measurement (0x2A37), Battery Level
(0x2A19), RSC Measurement (0x2A53).

Field definitions: Bluetooth SIG, Heart Rate Service 1.0 and Running Speed and Cadence Service 1.0
specifications, and the characteristic definitions ``org.bluetooth.characteristic.heart_rate_measurement``,
``rsc_measurement``, ``battery_level`` (XML mirror github.com/oesmith/gatt-xml). Decoders are strict: a value shorter or longer than its
flags announce raises CodecError (several public parsers ignore the flags).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from runform.sensors.protocols._bytes import as_bytes, need
from runform.sensors.protocols.errors import CodecError


def sig_uuid(short: int) -> str:
    """Expand a 16-bit SIG UUID to 128 bits."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


HEART_RATE_SERVICE_UUID = sig_uuid(0x180D)
HEART_RATE_MEASUREMENT_UUID = sig_uuid(0x2A37)
BATTERY_SERVICE_UUID = sig_uuid(0x180F)
BATTERY_LEVEL_UUID = sig_uuid(0x2A19)
RSC_SERVICE_UUID = sig_uuid(0x1814)
RSC_MEASUREMENT_UUID = sig_uuid(0x2A53)
RSC_FEATURE_UUID = sig_uuid(0x2A54)

RR_UNITS_PER_S = 1024  # RR intervals in 1/1024 s
SPEED_UNITS_PER_M_S = 256  # RSC speed in 1/256 m/s
STRIDE_UNITS_PER_M = 100  # RSC stride length in 1/100 m
DISTANCE_UNITS_PER_M = 10  # RSC total distance in 1/10 m

HR_FLAG_UINT16 = 0x01
HR_FLAG_CONTACT_SUPPORTED = 0x04
HR_FLAG_CONTACT_DETECTED = 0x02
HR_FLAG_ENERGY = 0x08
HR_FLAG_RR = 0x10
RSC_FLAG_STRIDE = 0x01
RSC_FLAG_DISTANCE = 0x02
RSC_FLAG_RUNNING = 0x04

CONTACT_NOT_SUPPORTED = "not supported"
CONTACT_NOT_DETECTED = "supported, not detected"
CONTACT_DETECTED = "supported, detected"


def rr_to_ms(rr_1024: np.ndarray) -> np.ndarray:
    """RR intervals in 1/1024 s -> integer ms, rounded half up (as the Polar SDK)."""
    rr = np.asarray(rr_1024, dtype=np.int64)
    return (rr * 1000 * 2 + RR_UNITS_PER_S) // (2 * RR_UNITS_PER_S)


@dataclass(frozen=True)
class HeartRateMeasurement:
    hr_bpm: int
    sensor_contact: str
    energy_expended_kj: int | None
    rr_1024: tuple[int, ...]  # RR intervals in 1/1024 s, oldest first
    uint16: bool = False

    @property
    def rr_ms(self) -> tuple[int, ...]:
        return tuple(rr_to_ms(np.array(self.rr_1024, dtype=np.int64)).tolist())


def decode_heart_rate(data) -> HeartRateMeasurement:
    data = as_bytes(data, "heart rate measurement")
    need(data, 2, "heart rate measurement")
    flags = data[0]
    uint16 = bool(flags & HR_FLAG_UINT16)
    pos = 3 if uint16 else 2
    need(data, pos, "heart rate measurement (uint16 HR)")
    hr = int.from_bytes(data[1:pos], "little")
    if flags & HR_FLAG_CONTACT_SUPPORTED:
        contact = CONTACT_DETECTED if flags & HR_FLAG_CONTACT_DETECTED else CONTACT_NOT_DETECTED
    else:
        contact = CONTACT_NOT_SUPPORTED
    energy = None
    if flags & HR_FLAG_ENERGY:
        need(data, pos + 2, "heart rate measurement (energy expended)")
        energy = int.from_bytes(data[pos : pos + 2], "little")
        pos += 2
    rest = data[pos:]
    if flags & HR_FLAG_RR:
        if not rest or len(rest) % 2:
            raise CodecError(f"heart rate measurement: RR field of {len(rest)} bytes is not whole u16 values")
        rr = tuple(np.frombuffer(rest, dtype="<u2").tolist())
    elif rest:
        raise CodecError(f"heart rate measurement: {len(rest)} unexpected trailing bytes")
    else:
        rr = ()
    return HeartRateMeasurement(hr, contact, energy, rr, uint16)


def encode_heart_rate(hr_bpm: int, *, contact: str = CONTACT_NOT_SUPPORTED, energy_expended_kj: int | None = None,
                      rr_1024=(), uint16: bool | None = None) -> bytes:
    uint16 = hr_bpm > 255 if uint16 is None else uint16
    flags = (HR_FLAG_UINT16 if uint16 else 0)
    flags |= {CONTACT_NOT_SUPPORTED: 0, CONTACT_NOT_DETECTED: 0x04, CONTACT_DETECTED: 0x06}[contact]
    rr = np.asarray(rr_1024, dtype=np.int64)
    try:
        out = struct.pack("<H" if uint16 else "<B", hr_bpm)
        if energy_expended_kj is not None:
            flags |= HR_FLAG_ENERGY
            out += struct.pack("<H", energy_expended_kj)
        if rr.size:
            flags |= HR_FLAG_RR
            out += struct.pack(f"<{rr.size}H", *rr.tolist())
    except struct.error as exc:
        raise CodecError(f"heart rate measurement: {exc}") from None
    return bytes([flags]) + out


def decode_battery_level(data) -> int:
    """Battery Level: one byte, percent 0..100."""
    data = as_bytes(data, "battery level")
    if len(data) != 1:
        raise CodecError(f"battery level: {len(data)} bytes, expected 1")
    if data[0] > 100:
        raise CodecError(f"battery level: {data[0]} % is above 100")
    return data[0]


def encode_battery_level(percent: int) -> bytes:
    if not 0 <= percent <= 100:
        raise CodecError(f"battery level: {percent} % is outside 0..100")
    return bytes([percent])


@dataclass(frozen=True)
class RscMeasurement:
    """RSC Measurement in SI: speed m/s, cadence 1/min (steps, vendor-defined), stride m, distance m."""

    speed_m_s: float
    cadence_per_min: int
    stride_length_m: float | None
    total_distance_m: float | None
    running: bool


def decode_rsc_measurement(data) -> RscMeasurement:
    data = as_bytes(data, "RSC measurement")
    need(data, 4, "RSC measurement")
    flags = data[0]
    size = 4 + (2 if flags & RSC_FLAG_STRIDE else 0) + (4 if flags & RSC_FLAG_DISTANCE else 0)
    if len(data) != size:
        raise CodecError(f"RSC measurement: flags {flags:#04x} announce {size} bytes, got {len(data)}")
    speed, cadence = struct.unpack_from("<HB", data, 1)
    pos = 4
    stride = distance = None
    if flags & RSC_FLAG_STRIDE:
        stride = struct.unpack_from("<H", data, pos)[0] / STRIDE_UNITS_PER_M
        pos += 2
    if flags & RSC_FLAG_DISTANCE:
        distance = struct.unpack_from("<I", data, pos)[0] / DISTANCE_UNITS_PER_M
    return RscMeasurement(speed / SPEED_UNITS_PER_M_S, cadence, stride, distance, bool(flags & RSC_FLAG_RUNNING))


def encode_rsc_measurement(m: RscMeasurement) -> bytes:
    flags = RSC_FLAG_RUNNING if m.running else 0
    try:
        out = struct.pack("<HB", round(m.speed_m_s * SPEED_UNITS_PER_M_S), m.cadence_per_min)
        if m.stride_length_m is not None:
            flags |= RSC_FLAG_STRIDE
            out += struct.pack("<H", round(m.stride_length_m * STRIDE_UNITS_PER_M))
        if m.total_distance_m is not None:
            flags |= RSC_FLAG_DISTANCE
            out += struct.pack("<I", round(m.total_distance_m * DISTANCE_UNITS_PER_M))
    except struct.error as exc:
        raise CodecError(f"RSC measurement: {exc}") from None
    return bytes([flags]) + out
