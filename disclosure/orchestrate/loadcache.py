"""Loaded content files, cached by their bytes, so a rebuild parses only the files that changed.

Parsing front matter and checking every field costs far more than reading a file, so the cache
keeps, per file, the model it gave and the warnings it reported, keyed by the file's bytes and
everything loading depends on besides (config, the loader's code, where the content is). A
file that failed to load is never cached: its errors are found afresh every time. The files a
model points at (attachments) are checked again on every hit, since they are not in the key.

Vocabulary entries (bodies, topics, kinds) are stored as references into the config, so a
cached model shares them with the freshly loaded ones exactly as a parsed one does.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import pickle
import sys
from datetime import date
from pathlib import Path, PosixPath

from . import cachefiles
from ..load import vocab
from ..load.config import Config
from ..load.reading import NotAFile, read_bytes
from ..load.vocab import Body, Term, Topic

_CODE = ("load/source.py", "load/reading.py", "load/characters.py", "load/fields.py", "load/loader.py", "load/models.py",
         "load/vocab.py", "load/config.py", "model/deadlines.py", "orchestrate/loadcache.py")  # relative to the package
_VOCABULARIES = ("bodies", "topics", "kinds", "validity")


def _scope(config: Config, root: Path) -> str:
    # Models hold paths as the build spelled them, so the spelling and working folder count.
    digest = hashlib.sha256(f"{sys.version}|{os.getcwd()}|{root}".encode())
    digest.update(config.path.read_bytes())
    here = Path(__file__).resolve().parents[1]
    for name in _CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _entry(vocabulary: str, index: int):
    """Stands for a vocabulary entry in a pickle; `_Unpickler` puts the entry of its config in its place."""
    raise RuntimeError("a vocabulary entry is unpickled only by loadcache.unpickle")


class _Pickler(pickle.Pickler):
    def __init__(self, stream, references: dict[int, tuple[str, int]]):
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        # By type, not `persistent_id`: that would be a Python call for each of the hundred-odd
        # objects in a model, this is one only for the few vocabulary entries it points at.
        self.dispatch_table = {kind: functools.partial(_reduce, references) for kind in _ENTRY_TYPES}


_ENTRY_TYPES = (Body, Topic, Term)


def _reduce(references: dict[int, tuple[str, int]], entry):
    reference = references.get(id(entry))
    return (_entry, reference) if reference is not None else entry.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _allowed() -> dict[tuple[str, str], object]:
    """What a cached model may be built of: the content model, dates and paths (cachefiles.py)."""
    from ..load import models

    allowed = {("datetime", "date"): date, ("pathlib", "PosixPath"): PosixPath, ("pathlib", "Path"): Path}
    for module in (models, vocab):
        for name, value in vars(module).items():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
                allowed[(module.__name__, name)] = value
    return allowed


class _Unpickler(pickle.Unpickler):
    allowed: dict = {}

    def __init__(self, stream, config: Config):
        super().__init__(stream)
        self.config = config

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_entry":
            return self._entry
        if not _Unpickler.allowed:
            _Unpickler.allowed = _allowed()
        found = _Unpickler.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")
        return found

    def _entry(self, vocabulary: str, index: int):
        if vocabulary not in _VOCABULARIES:
            raise pickle.UnpicklingError(f"no vocabulary {vocabulary!r}")
        return getattr(self.config, vocabulary).entries[index]


def vocabulary_references(config: Config) -> dict[int, tuple[str, int]]:
    return {id(entry): (name, index)
            for name in _VOCABULARIES for index, entry in enumerate(getattr(config, name).entries)}


def pickled(model, references: dict[int, tuple[str, int]]) -> bytes:
    stream = io.BytesIO()
    _Pickler(stream, references).dump(model)
    return stream.getvalue()


def unpickle(blob: bytes, config: Config):
    """A model `pickled` wrote; raises cachefiles.Damaged for anything else."""
    return cachefiles.loads(blob, unpickler=lambda stream: _Unpickler(stream, config))


class LoadCache:
    """One file in the cache folder per content root and config: relative path → entry."""

    def __init__(self, folder: Path, config: Config, root: Path):
        self.config, self.root = config, root
        self._prefix = os.path.join(str(root), "")
        # One file per content folder, holding the scope it was made under: a changed config or
        # loader replaces it instead of leaving another file behind.
        where = hashlib.sha256(f"{os.getcwd()}|{root}".encode()).hexdigest()[:24]
        self.file = folder / "loaded" / f"{where}.pickle"
        self.scope = _scope(config, root)
        # Missing, truncated, from another Python or not this build's at all: start afresh.
        stored = cachefiles.load(self.file)  # plain data: the models inside are unpickled on a hit
        self.entries = stored[1] if _well_formed(stored) and stored[0] == self.scope else {}
        self.seen: set[str] = set()
        self.changed = not self.entries
        self.hits = self.misses = 0

    def _relative(self, path: Path) -> str:
        text, prefix = str(path), self._prefix
        return text[len(prefix):] if text.startswith(prefix) else os.path.relpath(path, self.root)

    @staticmethod
    def _key(data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=20).hexdigest()

    @classmethod
    def key_of(cls, path: Path) -> str | None:
        """The key of a file's bytes as they are now; read before parsing it, so that a file saved
        again meanwhile is only ever cached under the older bytes (see `get`)."""
        try:
            return cls._key(read_bytes(path))
        except (OSError, NotAFile):  # the loader reports it
            return None

    def get(self, path: Path) -> tuple[tuple | None, str | None]:
        """((model, [(line, message, fix, severity)]) as loading gave them, or None; the key of
        the bytes read, for `put`). Keying `put` by these bytes, not by a second read, means a file
        saved again during the build is only ever cached under the older bytes, so never wrongly."""
        relative = self._relative(path)
        self.seen.add(relative)
        entry = self.entries.get(relative)
        if entry is None:  # nothing to compare with: the worker that parses it reads it (`key_of`)
            self.misses += 1
            return None, None
        try:
            key = self._key(read_bytes(path))
        except (OSError, NotAFile):
            return None, None
        if entry is None or entry[0] != key or not _unchanged(entry[3]):
            self.misses += 1
            return None, key
        try:
            model = unpickle(entry[1], self.config)
        except cachefiles.Damaged:
            self.misses += 1
            return None, key
        self.hits += 1
        return (model, entry[2]), key

    def put(self, path: Path, key: str, blob: bytes, replay: list[tuple], depends: list[tuple[str, int]]) -> None:
        """Keep a model (pickled by `pickled`) under the key `get` gave for its file."""
        self.entries[self._relative(path)] = (key, blob, replay, depends)
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything changed, dropping files that no longer exist."""
        gone = set(self.entries) - self.seen
        for relative in gone:
            del self.entries[relative]
        if not (self.changed or gone):
            return
        cachefiles.store(self.file, (self.scope, self.entries))


def _well_formed(stored) -> bool:
    """(scope, {relative path: (key, model pickle, [(line, message, fix, severity)], [(path, size)])})"""
    if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], dict)):
        return False
    for relative, entry in stored[1].items():
        if not (isinstance(relative, str) and isinstance(entry, tuple) and len(entry) == 4
                and isinstance(entry[0], str) and isinstance(entry[1], bytes)
                and isinstance(entry[2], list) and isinstance(entry[3], list)
                and all(isinstance(p, tuple) and len(p) == 4 for p in entry[2])
                and all(isinstance(d, tuple) and len(d) == 2 for d in entry[3])):
            return False
    return True


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def dependencies(paths) -> list[tuple[str, int]]:
    """The files a model points at, as `_unchanged` checks them on a later hit."""
    return [(str(path), _size(path)) for path in paths]


def _unchanged(depends: list[tuple[str, int]]) -> bool:
    return all(_size(Path(path)) == size for path, size in depends)
