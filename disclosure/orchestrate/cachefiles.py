"""Reading and writing .cache/ so that nothing in it can break, stall or take over a build.

The cache folder is restored by CI from earlier runs and may be damaged by a full disk, a killed
build or a careless hand: every read here treats anything unexpected (missing, truncated, a
folder, a pipe, foreign bytes) as a miss, and every write reports failure instead of raising.
Pickles are read with an allow-list of the classes they may build, so a planted pickle can
construct only plain data and this package's models, never call arbitrary code.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
from pathlib import Path

from .write import atomic_write

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def read_bytes(path: Path | str) -> bytes | None:
    """A regular file's bytes, or None. Opened without blocking and without following a final
    symbolic link, so a pipe or a link to a device planted in the cache is never read."""
    try:
        handle = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    except (OSError, MemoryError):
        return None
    finally:
        os.close(handle)


def open_regular(path: Path | str) -> int | None:
    """A descriptor of a regular file for `os.pread`, or None (see `read_bytes`)."""
    try:
        handle = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(handle).st_mode):
            return handle
    except OSError:
        pass
    os.close(handle)
    return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream, allowed: dict[tuple[str, str], object]):
        super().__init__(stream)
        self.allowed = allowed

    def find_class(self, module: str, name: str):
        found = self.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")
        return found


class Damaged(Exception):
    """A cache file that cannot be what this build wrote: treated as missing."""


def loads(data: bytes, allowed: dict[tuple[str, str], object] | None = None, unpickler=None):
    """Unpickle cache data that may only build plain values (lists, dicts, strings, numbers…)
    and the classes in `allowed`, keyed by (module, name). Raises Damaged on anything else."""
    try:
        stream = io.BytesIO(data)
        reader = unpickler(stream) if unpickler else _Unpickler(stream, allowed or {})
        return reader.load()
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - truncated, foreign or forged: all the same
        raise Damaged(str(exc)) from None


_MAGIC = b"disclosure-cache 1\n"
_DIGEST = 16


def seal(data: bytes) -> bytes:
    """`data` with a header and a checksum, so that a truncated or altered file is a miss."""
    return _MAGIC + hashlib.blake2b(data, digest_size=_DIGEST).digest() + data


def unseal(data: bytes | None) -> bytes | None:
    """The data `seal` was given, or None if these bytes are not exactly what it returned."""
    if data is None or not data.startswith(_MAGIC):
        return None
    start = len(_MAGIC) + _DIGEST
    body = data[start:]
    if hashlib.blake2b(body, digest_size=_DIGEST).digest() != data[len(_MAGIC):start]:
        return None
    return body


def load(path: Path | str, allowed: dict[tuple[str, str], object] | None = None):
    """A value `store` wrote (see `loads` for what it may contain); None when the file is
    missing, damaged or not a cache file at all."""
    data = unseal(read_bytes(path))
    if data is None:
        return None
    try:
        return loads(data, allowed)
    except Damaged:
        return None


def store(path: Path | str, value) -> bool:
    """Keep `value` (plain data and the classes its reader allows) for `load`; False, never an
    exception, when it cannot be written: a cache that is not kept only costs time."""
    try:
        return save(path, seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
    except (pickle.PicklingError, RecursionError, MemoryError):
        return False


def save(path: Path | str, data: bytes) -> bool:
    """Write a cache file in one step; False (never an exception) when it cannot be written."""
    try:
        return atomic_write(path, data)
    except (OSError, ValueError):
        return False
