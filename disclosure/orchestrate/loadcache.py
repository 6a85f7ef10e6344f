"""Loaded content files, cached by their bytes, so a rebuild parses only the files that changed.

Parsing front matter and checking every field costs far more than reading a file, so the cache
keeps, per file, the model it gave and the warnings it reported (the `sources` table of
cache.py), keyed by the file's bytes and everything loading depends on besides (the code
fingerprint, config, where the content is). A file that failed to load is never cached: its
errors are found afresh every time. The files a model points at (attachments) are checked again
on every hit, since they are not in the key.

A model is kept as JSON (load/codec.py), never pickled, so a cache restored in CI holds data
that cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from . import cache as store
from ..load.codec import Damaged, _size, decode_model, digest, file_digest
from ..load.reading import NotAFile, read_bytes
from ..load.config import Config

# --- the cache ------------------------------------------------------------------------------------

def _scope(config: Config, root: Path) -> list[str]:
    # Models hold paths as the build spelled them, so the spelling and working folder count.
    return ["sources", sys.version, os.getcwd(), str(root), hashlib.sha256(config.path.read_bytes()).hexdigest()]


class LoadCache:
    """The models of one content folder: relative path → (key, model, replay, depends)."""

    def __init__(self, folder: Path, config: Config, root: Path):
        self.config, self.root = config, root
        self._prefix = os.path.join(str(root), "")
        self.store = store.Store.at(folder)
        self.folder = hashlib.sha256(f"{os.getcwd()}|{root}".encode()).hexdigest()[:24]
        self._scope = store.hasher(*_scope(config, root))
        self.entries: dict[str, tuple] = {}
        for path, key, model, notes, check in self.store.rows(
                "SELECT path, key, model, notes, checksum FROM sources WHERE folder = ?", (self.folder,)):
            self.entries[path] = (key, model, notes, check)
        self.seen: set[str] = set()
        self.fresh: dict[str, tuple] = {}
        self.hits = self.misses = 0

    def _relative(self, path: Path) -> str:
        text, prefix = str(path), self._prefix
        return text[len(prefix):] if text.startswith(prefix) else os.path.relpath(path, self.root)

    digest = staticmethod(digest)
    key_of = staticmethod(file_digest)

    def _key(self, relative: str, digest: str) -> str:
        key = self._scope.copy()
        key.update(f"{relative}\0{digest}".encode("utf-8", "surrogatepass"))
        return key.hexdigest()

    def get(self, path: Path) -> tuple[tuple | None, str | None]:
        """((model, [(line, message, fix, severity)]) as loading gave them, or None; the digest of
        the bytes read, for `put`). Keying `put` by these bytes, not by a second read, means a
        file saved again during the build is only ever cached under the older bytes."""
        relative = self._relative(path)
        self.seen.add(relative)
        entry = self.entries.get(relative)
        if entry is None:  # nothing to compare with: the worker that parses it reads it (`key_of`)
            self.misses += 1
            return None, None
        try:
            digest = self.digest(read_bytes(path))
        except (OSError, NotAFile):
            return None, None
        key, blob, notes, check = entry
        found = None
        if key == self._key(relative, digest) and check == store.checksum(relative.encode("utf-8", "surrogatepass"),
                                                                           key.encode(), blob, notes):
            found = self._decode(blob, notes)
        if found is None:
            self.misses += 1
            return None, digest
        self.hits += 1
        return found, digest

    def _decode(self, blob, notes) -> tuple | None:
        try:
            replay, depends = json.loads(notes)
            if not (type(replay) is list and type(depends) is list and _unchanged(depends)):
                return None
            model = decode_model(blob, self.config)
            return model, [_problem(p) for p in replay]
        except (Damaged, ValueError, TypeError):
            return None

    def put(self, path: Path, digest: str, blob: bytes, replay: list[tuple], depends: list[tuple[str, int]]) -> None:
        """Keep a model (as `encode_model` wrote it) under the digest `get` or `key_of` gave."""
        relative = self._relative(path)
        try:
            notes = json.dumps([replay, depends], ensure_ascii=False).encode("utf-8")
            name = relative.encode("utf-8")
        except UnicodeEncodeError:  # a name that is not UTF-8 (the loader reports it): not cached
            return
        key = self._key(relative, digest)
        self.fresh[relative] = (key, blob, notes, store.checksum(name, key.encode(), blob, notes))

    def save(self) -> bool:
        """Write what changed, dropping the files that no longer exist; False if it could not be
        written (which only costs the next build time)."""
        gone = [relative for relative in self.entries if relative not in self.seen]
        if not (self.fresh or gone):
            return True

        def write(db) -> None:
            db.executemany("DELETE FROM sources WHERE folder = ? AND path = ?",
                           [(self.folder, relative) for relative in gone])
            db.executemany("INSERT OR REPLACE INTO sources (folder, path, key, model, notes, checksum) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           [(self.folder, relative, *entry) for relative, entry in self.fresh.items()])
        kept = self.store.write(write)
        self.fresh = {}
        return kept


def _problem(value) -> tuple:
    if not (type(value) is list and len(value) == 4 and type(value[0]) is int
            and type(value[1]) is str and type(value[2]) is str and type(value[3]) is str):
        raise Damaged("problem")
    return tuple(value)


def _unchanged(depends: list) -> bool:
    return all(type(d) is list and len(d) == 2 and type(d[0]) is str and type(d[1]) is int
               and _size(Path(d[0])) == d[1] for d in depends)
