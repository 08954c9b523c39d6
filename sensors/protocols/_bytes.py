"""Shared byte helpers for the codecs: bounds checks and LSB-first bit fields (NumPy)."""

from __future__ import annotations

import numpy as np

from runform.sensors.protocols.errors import CodecError

#: Largest attribute value ATT can carry (Bluetooth Core 5.x, Vol 3 Part F 3.2.9).
MAX_ATT_VALUE_BYTES = 512


def as_bytes(data, what: str, *, max_len: int = MAX_ATT_VALUE_BYTES) -> bytes:
    """Return ``data`` as ``bytes``; raise CodecError if it is not bytes-like or too long."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise CodecError(f"{what}: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > max_len:
        raise CodecError(f"{what}: {len(data)} bytes is more than the maximum of {max_len}")
    return data


def need(data: bytes, size: int, what: str) -> None:
    """Raise CodecError unless ``data`` holds at least ``size`` bytes."""
    if len(data) < size:
        raise CodecError(f"{what}: truncated, {len(data)} bytes, need at least {size}")


def sign_extend(values: np.ndarray, bits: int) -> np.ndarray:
    """Two's-complement sign extension of unsigned ``bits``-wide integers (int64 array)."""
    values = np.asarray(values, dtype=np.int64)
    if bits <= 0:
        return np.zeros_like(values)
    sign = np.int64(1) << np.int64(bits - 1)
    return (values ^ sign) - sign


def read_le_ints(buf: bytes, width_bytes: int, count: int, *, signed: bool) -> np.ndarray:
    """Read ``count`` little-endian integers of ``width_bytes`` (1..4) bytes into int64."""
    raw = np.frombuffer(buf, dtype=np.uint8, count=count * width_bytes).reshape(count, width_bytes)
    weights = np.int64(1) << (np.int64(8) * np.arange(width_bytes, dtype=np.int64))
    values = raw.astype(np.int64) @ weights
    return sign_extend(values, 8 * width_bytes) if signed else values


def write_le_ints(values: np.ndarray, width_bytes: int) -> bytes:
    """Little-endian two's-complement bytes of int values, ``width_bytes`` each."""
    values = np.asarray(values, dtype=np.int64).ravel()
    shifts = np.int64(8) * np.arange(width_bytes, dtype=np.int64)
    return ((values[:, None] >> shifts) & 0xFF).astype(np.uint8).tobytes()


def unpack_bit_fields(buf: bytes, width: int, count: int) -> np.ndarray:
    """Signed ``width``-bit fields packed LSB-first (bit 0 of byte 0 first), as int64.

    The buffer is read as one little-endian bit string: field k occupies bits
    ``k*width .. k*width+width-1``. Each field is sign-extended from bit ``width-1``.
    """
    if width == 0 or count == 0:
        return np.zeros(count, dtype=np.int64)
    bits = np.unpackbits(np.frombuffer(buf, dtype=np.uint8), bitorder="little")
    bits = bits[: width * count].reshape(count, width).astype(np.int64)
    values = bits @ (np.int64(1) << np.arange(width, dtype=np.int64))
    return sign_extend(values, width)


def pack_bit_fields(values: np.ndarray, width: int) -> bytes:
    """Inverse of :func:`unpack_bit_fields`: low ``width`` bits of each value, LSB-first."""
    values = np.asarray(values, dtype=np.int64).ravel()
    if width == 0 or values.size == 0:
        return b""
    bits = (values[:, None] >> np.arange(width, dtype=np.int64)) & 1
    return np.packbits(bits.astype(np.uint8).ravel(), bitorder="little").tobytes()


def signed_bit_width(values: np.ndarray) -> int:
    """Smallest two's-complement width (>= 1) that holds every value."""
    values = np.asarray(values, dtype=np.int64)
    if values.size == 0:
        return 1
    magnitude = np.where(values < 0, ~values, values)
    return int(np.frexp(magnitude.astype(np.float64))[1].max()) + 1
