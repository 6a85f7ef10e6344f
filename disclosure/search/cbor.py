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

    Each head is 1, 2, 3 or 5 bytes; all five candidate bytes are laid out in a matrix and the
    ones a head uses are kept, which numpy does in a few passes over the data."""
    values = np.asarray(values, np.int64)
    if len(values) and int(values.max()) >= 0x100000000:
        raise ValueError("value too large for the bulk encoder")
    one, two, three = values >= 24, values >= 0x100, values >= 0x10000
    lengths = 1 + one.astype(np.int8) + two + 2 * three.astype(np.int8)
    additional = np.where(~one, values, np.where(~two, 24, np.where(~three, 25, 26)))
    matrix = np.empty((len(values), 5), np.uint8)
    matrix[:, 0] = (np.asarray(majors, np.int64) << 5) | additional
    # Big-endian value bytes, placed where each length class expects them.
    matrix[:, 1] = np.where(three, values >> 24, np.where(two, values >> 8, values)) & 0xFF
    matrix[:, 2] = np.where(three, values >> 16, values) & 0xFF
    matrix[:, 3] = (values >> 8) & 0xFF
    matrix[:, 4] = values & 0xFF
    used = np.arange(5) < lengths[:, None]
    ends = np.cumsum(lengths, dtype=np.int64)
    return matrix[used], ends - lengths
