"""Reading files that the build does not control (the cache folder, a site's marker, content
attachments) so that nothing in them can stall it: a pipe or a link to a device is never read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
