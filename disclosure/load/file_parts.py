"""What every content type's loader does with its one file: the id its name gives, reading it and
its fields, the digests incremental builds compare, and the items of a YAML list (tasks, 公开事项,
决策事项)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from . import fields as f
from ..errors import Problems
from .discover import visible
from .fields import Context, parse_fields
from .source import Mapping, SourceFile


@dataclass
class Opened:
    id: str | None  # None: the file name cannot be a web address (reported)
    source: SourceFile
    ctx: Context
    values: dict


def opened(path: Path, root: Path, config, problems: Problems, read, schema: dict, what: str) -> Opened | None:
    """What every loader does first: the id the file name gives, the file read (`read`:
    load_markdown or load_yaml_file) and its fields parsed by `schema`; None if the file cannot
    be read or its fields have errors, all of it reported."""
    name_id = file_id(path, problems)
    source = read(path, problems)
    if source is None:
        return None
    ctx = Context(config, path, root, problems)
    values = parse_fields(source.meta, schema, ctx, what)
    return None if values is None else Opened(name_id, source, ctx, values)


def file_id(path: Path, problems: Problems) -> str | None:
    stem = path.stem
    if not f.ID.match(stem):
        problems.add(visible(str(path)), 0, f"文件名“{visible(path.name)}”不能作为网址",
                     "文件名只能用小写英文字母、数字和连字符，如 2022-zhengwu-gongkai.md")
        return None
    return stem


def each_item(items, ctx: Context, make, not_mapping) -> list | None:
    """Each item of a YAML list (tasks, 公开事项) as the model make(index, mapping) gives, or None
    if any item has errors; one that is not a mapping is reported with not_mapping(index), a
    (message, fix) pair, on its line."""
    made, ok = [], True
    for index, raw in enumerate(items):
        if not isinstance(raw, Mapping):
            ctx.error(*not_mapping(index), items.line_of(index))
            ok = False
            continue
        model = make(index, raw)
        if model is None:
            ok = False
        else:
            made.append(model)
    return made if ok else None


def digest(source, root: Path, *extra: str) -> str:
    """What incremental builds compare: the file's text, its attachments' sizes, and where it is
    under content/ (not only its name): relative attachment, image and link paths resolve from
    its folder, so the same file in another folder can show other files."""
    where = os.path.relpath(source.path, root)
    return hashlib.sha1("\n".join([where, *extra, source.text]).encode("utf-8")).hexdigest()


def listed_digest(source) -> str:
    """What other pages compare: the front matter only, since lists and links to an item show
    its fields, never its body. A body-only edit re-renders the item's own page and no list."""
    meta = source.text[: len(source.text) - len(source.body)] if source.body else source.text
    return hashlib.sha1(f"{source.path.name}\n{meta}".encode("utf-8")).hexdigest()
