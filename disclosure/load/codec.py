"""Models as data: each content model written as JSON and read back by its declared field types,
never pickled, so whatever holds them (the build's cache, forked workers handing models to the
build) holds data that cannot run code. Vocabulary entries (organisations, topics, kinds) are
written as references into the config, so a decoded model shares them with freshly loaded ones
exactly as a parsed one does."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from datetime import date
from pathlib import Path, PosixPath

from . import models, vocab
from .config import Config
from .reading import NotAFile, read_bytes

_VOCABULARIES = ("organisations", "topics", "kinds", "validity")
MODELS = (models.Document, models.Interpretation, models.TaskTable, models.Page, models.Report, models.CatalogueArea,
          models.Consultation, models.DecisionCatalogue)
# Back-references from a part to the model holding it: (holder, list of parts, the parts' field).
# Not kept: set again when the holder is read back.
_BACK = {models.TaskTable: ("tasks", "table"), models.CatalogueArea: ("rows", "in_area"),
         models.DecisionCatalogue: ("items", "in_catalogue")}
_BACK_FIELDS = {field for _, field in _BACK.values()}
# Fields set after loading (by validate and classify, or when assets are registered): not kept,
# and a model in which one is not at its default is not cached.
_LATER = {"status", "interpretations", "task_tables", "repealer", "repeals", "document", "url",
          "replaced_by", "replacing", "amended_by", "amending", "based_on", "corrections"}


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
            if name not in _BACK_FIELDS and getattr(value, name) != default():
                raise _Refused(name)
        if cls in _BACK:
            parts, back = _BACK[cls]
            if any(getattr(part, back) is not value for part in getattr(value, parts)):
                raise _Refused(back)
        fields = value.__dict__
        return [encode_field(fields[name], context) for name, encode_field, _ in kept]

    def decode(value, context):
        if type(value) is not list or len(value) != len(kept):
            raise Damaged(cls)
        made = cls.__new__(cls)
        made.__dict__.update({name: decode_field(raw, context) for (name, _, decode_field), raw in zip(kept, value)})
        made.__dict__.update({name: default() for name, default in later})
        if cls in _BACK:
            parts, back = _BACK[cls]
            for part in getattr(made, parts):
                part.__dict__[back] = made
        return made

    _CODECS[cls] = (encode, decode)  # before the fields: a field may be of this very class
    for field in dataclasses.fields(cls):
        if field.name in _LATER or field.name in _BACK_FIELDS:
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def dependencies(paths) -> list[tuple[str, int]]:
    """The files a model points at, as `_unchanged` checks them on a later hit."""
    return [(str(path), _size(path)) for path in paths]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of a file's bytes as they are now; read before parsing it, so that a file saved
    again meanwhile is only ever cached under the older bytes."""
    try:
        return digest(read_bytes(path))
    except (OSError, NotAFile):  # the loader reports it
        return None
