"""The few CBOR encodings Pagefind's index files need, one at a time and in bulk (numpy)."""

from __future__ import annotations

import numpy as np

UINT, NEGINT, TEXT, ARRAY = 0, 1, 3, 4


def head(major: int, value: int) -> bytes:
    """The head of a CBOR item: an integer, or the length of a string or array."""
    if value < 24:
        return bytes([major << 5 | value])
    if value < 0x100:
        return bytes([major << 5 | 24, value])
    if value < 0x10000:
        return bytes([major << 5 | 25]) + value.to_bytes(2, "big")
    if value < 0x100000000:
        return bytes([major << 5 | 26]) + value.to_bytes(4, "big")
    return bytes([major << 5 | 27]) + value.to_bytes(8, "big")


def text(value: str) -> bytes:
    data = value.encode("utf-8")
    return head(TEXT, len(data)) + data


def dumps(value) -> bytes:
    """Small structures (meta and filter files) through cbor2, which writes the same encoding."""
    import cbor2

    return cbor2.dumps(value)


def encode_heads(majors: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Many integer heads at once: the bytes, and where each item starts in them.

    Each head is 1, 2, 3 or 5 bytes: the first bytes are written all at once, then the value
    bytes of each longer size class, each class in one pass over only its own heads."""
    values = np.asarray(values, np.int64)
    if len(values) and int(values.max()) >= 0x100000000:
        raise ValueError("value too large for the bulk encoder")
    one, two, three = values >= 24, values >= 0x100, values >= 0x10000
    lengths = 1 + one.astype(np.int64) + two + 2 * three.astype(np.int64)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    data = np.empty(int(ends[-1]) if len(ends) else 0, np.uint8)
    # The additional information: the value itself below 24, else 24, 25 or 26 for 1, 2 or 4 bytes.
    data[starts] = (np.asarray(majors, np.int64) << 5) | np.where(one, 24 + two + three, values)
    byte = one & ~two
    data[starts[byte] + 1] = values[byte]
    short = two & ~three
    at, value = starts[short], values[short]
    data[at + 1], data[at + 2] = value >> 8, value & 0xFF
    at, value = starts[three], values[three]
    for k in range(4):
        data[at + 1 + k] = (value >> (24 - 8 * k)) & 0xFF
    return data, starts
