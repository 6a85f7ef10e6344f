"""Many small cache entries kept in a few large files ("packs") and one index.

A cold build of 10,000 documents renders 11,000 Markdown texts; one file per entry meant 11,000
files created (a temporary, a rename, a folder check each), which cost seconds of system time on
this kind of disk and far more when it is busy. Here each worker appends what it rendered in a
batch to one new pack in one write, and the build records where every entry lies in an index
written once at the end. Packs are never modified after they are written, so a reader needs no
lock: it finds an entry through the index, reads its bytes with one `pread`, and checks that the
bytes begin with the key it asked for and match the checksum written with them. Anything missing,
truncated, altered or foreign reads as a miss, which only costs time: the text is rendered again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from pathlib import Path

from . import cachefiles

INDEX = "index.pickle"
_PACK_NAME = re.compile(r"[0-9a-f]+-[0-9]+-[0-9a-f]{8}\.pack")
_ORPHAN_SECONDS = 3600  # an unindexed pack this old is from a build that died; younger may be a running one's
_MIN_COMPACT_BYTES = 64 << 20
_MAX_PACKS = 256  # every rebuild adds a small pack; past this many, they are merged


class PackStore:
    """key (str) → bytes, in `folder`/packs. `add` buffers, `flush` writes a pack and returns where
    its entries lie, `merge` records such locations (from workers), `save` writes the index."""

    def __init__(self, folder: Path):
        self.folder = folder / "packs"
        self.index: dict[str, tuple[str, int, int]] = _load_index(self.folder / INDEX)
        self.changed = False  # locations added since the index was read or written
        self.pending: dict[str, bytes] = {}
        self._handles: dict[str, int] = {}

    def get(self, key: str) -> bytes | None:
        where = self.index.get(key)
        if where is None:
            data = self.pending.get(key)
            return _entry_data(key, data) if data is not None else None
        pack, offset, length = where
        try:
            handle = self._handles.get(pack)
            if handle is None:
                handle = cachefiles.open_regular(self.folder / pack)
                if handle is None:
                    return None
                self._handles[pack] = handle
            data = os.pread(handle, length, offset)
        except OSError:
            return None
        return _entry_data(key, data) if len(data) == length else None

    def add(self, key: str, data: bytes) -> None:
        self.pending[key] = _entry_header(key, data) + data

    def flush(self) -> dict[str, tuple[str, int, int]]:
        """Write the pending entries as one new pack; where each now lies (also recorded here)."""
        if not self.pending:
            return {}
        name = f"{time.time_ns():x}-{os.getpid()}-{secrets.token_hex(4)}.pack"
        locations, chunks, offset = {}, [], 0
        for key, data in self.pending.items():
            locations[key] = (name, offset, len(data))
            chunks.append(data)
            offset += len(data)
        self.pending = {}
        if not cachefiles.save(self.folder / name, b"".join(chunks)):
            return {}
        self.merge(locations)
        return locations

    def merge(self, locations: dict[str, tuple[str, int, int]]) -> None:
        self.index.update(locations)
        self.changed = self.changed or bool(locations)

    def save(self, used: set[str]) -> bool:
        """Write the index if it changed, merged with one another build may have saved meanwhile.
        When the packs hold more than three times what this build used, keep only that. Open
        packs are closed (the preview server builds again and again in one process); a later
        `get` opens what it needs again."""
        try:
            return self._save(used)
        finally:
            self.close()

    def _save(self, used: set[str]) -> bool:
        """False if the index could not be written."""
        self.flush()
        if not self.changed:
            return True
        try:
            packs = {entry.name: entry.stat() for entry in os.scandir(self.folder) if entry.name.endswith(".pack")}
        except OSError:
            return False
        index = {key: where for key, where in _load_index(self.folder / INDEX).items() if where[0] in packs}
        index.update((key, where) for key, where in self.index.items() if where[0] in packs)
        live = sum(index[key][2] for key in used if key in index)
        total = sum(stat.st_size for stat in packs.values())
        retired: set[str] = set()
        if total > max(_MIN_COMPACT_BYTES, 3 * live) or len(packs) > _MAX_PACKS:
            retired = {where[0] for where in index.values()}
            self.index = dict(index)
            index = self._compact({key: index[key] for key in used if key in index})
            retired -= {where[0] for where in index.values()}
        if not cachefiles.store(self.folder / INDEX, index):
            return False
        self.index, self.changed = index, False
        referenced = {where[0] for where in index.values()}
        now = time.time()
        for name, stat in packs.items():
            if name in retired or (name not in referenced and now - stat.st_mtime > _ORPHAN_SECONDS):
                self._remove(name)
        return True

    def _compact(self, keep: dict[str, tuple[str, int, int]]) -> dict[str, tuple[str, int, int]]:
        """The entries in `keep`, copied into one new pack."""
        self.pending = {}
        for key in sorted(keep):
            data = self.get(key)
            if data is not None:
                self.add(key, data)
        return self.flush()

    def _remove(self, name: str) -> None:
        handle = self._handles.pop(name, None)
        if handle is not None:
            os.close(handle)
        with contextlib.suppress(OSError):
            os.unlink(self.folder / name)

    def close(self) -> None:
        for handle in self._handles.values():
            with contextlib.suppress(OSError):
                os.close(handle)
        self._handles = {}

    def __del__(self) -> None:
        self.close()


def _entry_header(key: str, data: bytes) -> bytes:
    return f"{key} {hashlib.blake2b(data, digest_size=8).hexdigest()}\n".encode("ascii")


def _entry_data(key: str, entry: bytes) -> bytes | None:
    """The data of an entry as `add` made it, if it is the entry of `key` and intact."""
    start = len(key) + 18
    data = entry[start:]
    return data if entry[:start] == _entry_header(key, data) else None


def _load_index(path: Path) -> dict:
    """key → (pack, offset, length); {} when missing or damaged (every entry is then a miss)."""
    index = cachefiles.load(path)
    if not isinstance(index, dict):
        return {}
    for key, where in index.items():
        if not (isinstance(key, str) and key.isascii() and isinstance(where, tuple) and len(where) == 3
                and isinstance(where[0], str) and _PACK_NAME.fullmatch(where[0])
                and isinstance(where[1], int) and isinstance(where[2], int) and where[1] >= 0 and where[2] > 0):
            return {}
    return index
