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

import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from pathlib import Path

from .config import Config
from .source import NotAFile, read_bytes
from .vocab import Body, Term, Topic

_CODE = ("source.py", "fields.py", "load.py", "models.py", "vocab.py", "config.py", "deadlines.py",
         "loadcache.py")
_VOCABULARIES = ("bodies", "topics", "kinds", "validity")


def _scope(config: Config, root: Path) -> str:
    # Models hold paths as the build spelled them, so the spelling and working folder count.
    digest = hashlib.sha256(f"{sys.version}|{os.getcwd()}|{root}".encode())
    digest.update(config.path.read_bytes())
    here = Path(__file__).parent
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


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream, config: Config):
        super().__init__(stream)
        self.config = config

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_entry":
            return self._entry
        return super().find_class(module, name)

    def _entry(self, vocabulary: str, index: int):
        return getattr(self.config, vocabulary).entries[index]


def vocabulary_references(config: Config) -> dict[int, tuple[str, int]]:
    return {id(entry): (name, index)
            for name in _VOCABULARIES for index, entry in enumerate(getattr(config, name).entries)}


def pickled(model, references: dict[int, tuple[str, int]]) -> bytes:
    stream = io.BytesIO()
    _Pickler(stream, references).dump(model)
    return stream.getvalue()


def unpickle(blob: bytes, config: Config):
    return _Unpickler(io.BytesIO(blob), config).load()


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
        try:
            with open(self.file, "rb") as stream:
                scope, self.entries = pickle.load(stream)
            if scope != self.scope:
                self.entries = {}
        except Exception:  # missing, truncated or from another Python: start afresh
            self.entries = {}
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
        except Exception:
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
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((self.scope, self.entries), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
        except OSError:
            pass  # a cache that cannot be written only costs time


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
