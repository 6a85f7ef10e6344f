"""Loaded content files, cached by their bytes, so a rebuild parses only the files that changed.

Parsing front matter and checking every field costs far more than reading a file, so the cache
keeps, per file, the model it gave and the warnings it reported (the `sources` table of
cache.py), keyed by the file's bytes and everything loading depends on besides (the code
fingerprint, config, where the content is). A file that failed to load is never cached: its
errors are found afresh every time. The files a model points at (attachments) are checked again
on every hit, since they are not in the key.

A model is kept as JSON (`encode_model`), never pickled: each field is written and read back
by its declared type, vocabulary entries (organisations, topics, kinds) as references into the config,
so a cached model shares them with freshly loaded ones exactly as a parsed one does. Forked
workers hand their models to the build in the same form.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import types
import typing
from datetime import date
from pathlib import Path, PosixPath

from . import cache as store
from ..load import models, vocab
from ..load.config import Config
from ..load.reading import NotAFile, read_bytes

_VOCABULARIES = ("organisations", "topics", "kinds", "validity")
MODELS = (models.Document, models.Interpretation, models.TaskTable, models.Page)
# Fields set after loading (by validate and classify, or when assets are registered): not kept,
# and a model in which one is not at its default is not cached.
_LATER = {"status", "interpretations", "task_tables", "repealer", "repeals", "document", "url"}


class Damaged(ValueError):
    """Data that is not a model `encode_model` wrote."""


class _Refused(Exception):
    """A model holding something this codec does not keep: it is not cached."""


# --- the codec: each field by its declared type --------------------------------------------------

def _scalar(kind: type):
    def encode(value, _):
        if type(value) is not kind:
            raise _Refused(kind)
        return value

    def decode(value, _):
        if type(value) is not kind:
            raise Damaged(kind)
        return value
    return encode, decode


def _date():
    def encode(value, _):
        if type(value) is not date:
            raise _Refused(date)
        return value.toordinal()

    def decode(value, _):
        if type(value) is not int:
            raise Damaged(date)
        try:
            return date.fromordinal(value)
        except (ValueError, OverflowError):
            raise Damaged(date) from None
    return encode, decode


def _path():
    def encode(value, _):
        if type(value) is not PosixPath:
            raise _Refused(Path)
        return str(value)

    def decode(value, _):
        if type(value) is not str or "\0" in value:
            raise Damaged(Path)
        return Path(value)
    return encode, decode


def _lines():
    """dict: field name → line (Document.lines and the like)."""
    def encode(value, _):
        if type(value) is not dict or not all(type(k) is str and type(v) is int for k, v in value.items()):
            raise _Refused(dict)
        return value

    def decode(value, _):
        if type(value) is not dict or not all(type(v) is int for v in value.values()):
            raise Damaged(dict)
        return value
    return encode, decode


def _list(item):
    encode_item, decode_item = item

    def encode(value, context):
        if type(value) is not list:
            raise _Refused(list)
        return [encode_item(x, context) for x in value]

    def decode(value, context):
        if type(value) is not list:
            raise Damaged(list)
        return [decode_item(x, context) for x in value]
    return encode, decode


def _optional(inner):
    encode_inner, decode_inner = inner
    return (lambda value, context: None if value is None else encode_inner(value, context),
            lambda value, context: None if value is None else decode_inner(value, context))


def _entry(kind: type):
    """A vocabulary entry, as (vocabulary, index) in the config the build loaded."""
    def encode(value, references):
        reference = references.get(id(value))
        if reference is None or type(value) is not kind:
            raise _Refused(kind)
        return reference

    def decode(value, config):
        if not (type(value) is list and len(value) == 2 and value[0] in _VOCABULARIES and type(value[1]) is int):
            raise Damaged(kind)
        entries = getattr(config, value[0]).entries
        if not 0 <= value[1] < len(entries) or type(entries[value[1]]) is not kind:
            raise Damaged(kind)
        return entries[value[1]]
    return encode, decode


_CODECS: dict[type, tuple] = {}


def _model(cls: type):
    """A dataclass of the content model, as the list of its kept fields in order."""
    if cls in _CODECS:
        return _CODECS[cls]
    kept, later = [], []
    hints = typing.get_type_hints(cls)

    def encode(value, context):
        if type(value) is not cls:
            raise _Refused(cls)
        for name, default in later:
            if name != "table" and getattr(value, name) != default():
                raise _Refused(name)
        if cls is models.TaskTable and any(task.table is not value for task in value.tasks):
            raise _Refused("table")
        fields = value.__dict__
        return [encode_field(fields[name], context) for name, encode_field, _ in kept]

    def decode(value, context):
        if type(value) is not list or len(value) != len(kept):
            raise Damaged(cls)
        made = cls.__new__(cls)
        made.__dict__.update({name: decode_field(raw, context) for (name, _, decode_field), raw in zip(kept, value)})
        made.__dict__.update({name: default() for name, default in later})
        if cls is models.TaskTable:
            for task in made.tasks:
                task.table = made
        return made

    _CODECS[cls] = (encode, decode)  # before the fields: a field may be of this very class
    for field in dataclasses.fields(cls):
        if field.name in _LATER or field.name == "table":
            later.append((field.name, _default(field)))
        else:
            kept.append((field.name, *_codec(hints[field.name])))
    return encode, decode


def _default(field):
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory
    return lambda: field.default


def _codec(hint):
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if hint in (str, int, bool):
        return _scalar(hint)
    if hint is date:
        return _date()
    if hint is Path:
        return _path()
    if hint is dict:
        return _lines()
    if hint in (vocab.Organisation, vocab.Topic, vocab.Term):
        return _entry(hint)
    if origin is list:
        return _list(_codec(arguments[0]))
    if origin in (typing.Union, types.UnionType) and len(arguments) == 2 and type(None) in arguments:
        return _optional(_codec(next(a for a in arguments if a is not type(None))))
    if dataclasses.is_dataclass(hint) and hint.__module__ == models.__name__:
        return _model(hint)
    raise TypeError(f"the load cache cannot keep a field of type {hint!r}")


def vocabulary_references(config: Config) -> dict[int, list]:
    return {id(entry): [name, index]
            for name in _VOCABULARIES for index, entry in enumerate(getattr(config, name).entries)}


def encode_model(model, references: dict[int, list]) -> bytes | None:
    """A model as JSON, or None if it holds something the cache does not keep."""
    kind = type(model)
    if kind not in MODELS:
        return None
    try:
        data = [kind.__name__, _model(kind)[0](model, references)]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (_Refused, UnicodeEncodeError, ValueError, RecursionError):
        return None


_BY_NAME = {cls.__name__: cls for cls in MODELS}


def decode_model(data: bytes, config: Config):
    """The model `encode_model` wrote; raises Damaged for anything else."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        raise Damaged("not JSON") from None
    if not (type(value) is list and len(value) == 2 and value[0] in _BY_NAME):
        raise Damaged("not a model")
    try:
        return _model(_BY_NAME[value[0]])[1](value[1], config)
    except (TypeError, AttributeError, RecursionError) as problem:
        raise Damaged(str(problem)) from None


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

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=20).hexdigest()

    @classmethod
    def key_of(cls, path: Path) -> str | None:
        """The digest of a file's bytes as they are now; read before parsing it, so that a file
        saved again meanwhile is only ever cached under the older bytes (see `get`)."""
        try:
            return cls.digest(read_bytes(path))
        except (OSError, NotAFile):  # the loader reports it
            return None

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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def dependencies(paths) -> list[tuple[str, int]]:
    """The files a model points at, as `_unchanged` checks them on a later hit."""
    return [(str(path), _size(path)) for path in paths]


def _unchanged(depends: list) -> bool:
    return all(type(d) is list and len(d) == 2 and type(d[0]) is str and type(d[1]) is int
               and _size(Path(d[0])) == d[1] for d in depends)
