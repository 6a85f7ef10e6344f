"""Controlled vocabularies: names that resolve through aliases, and near-miss suggestions."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Generic, Iterable, TypeVar


def normalise(name: str) -> str:
    """Compare names the way a reader would: ignore spaces and full-/half-width differences."""
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


@dataclass(frozen=True)
class Term:
    """A vocabulary entry: a kind of document, a validity value."""

    name: str
    slug: str
    aliases: tuple[str, ...] = ()


ORGANISATION_TYPES = {
    "government": "人民政府",
    "department": "部门",
    "street": "街道办事处",
    "unit": "其他单位",
    "group": "统称",
}


@dataclass(frozen=True)
class Organisation:
    name: str
    slug: str
    type: str
    aliases: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # slugs of the groups this organisation belongs to, as written in config
    member_types: tuple[str, ...] = ()  # for a group: the types of organisation it includes

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    @property
    def type_label(self) -> str:
        return ORGANISATION_TYPES[self.type]


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    parent_name: str = ""
    parent_slug: str = ""

    @property
    def label(self) -> str:
        return f"{self.parent_name}/{self.name}" if self.parent_name else self.name

    @property
    def path(self) -> str:
        return f"{self.parent_slug}/{self.slug}" if self.parent_slug else self.slug

    @property
    def top(self) -> tuple[str, str]:
        return (self.parent_name or self.name, self.parent_slug or self.slug)


T = TypeVar("T")


@dataclass
class Vocabulary(Generic[T]):
    """Entries looked up by their name or any alias."""

    entries: list[T] = field(default_factory=list)
    _index: dict[str, T] = field(default_factory=dict)

    def add(self, entry: T, names: Iterable[str]) -> list[str]:
        """Index an entry under its names; returns the names already taken by another entry."""
        clashes = []
        self.entries.append(entry)
        for name in names:
            key = normalise(name)
            if key in self._index and self._index[key] is not entry:
                clashes.append(name)
            else:
                self._index[key] = entry
        return clashes

    def get(self, name) -> T | None:
        return self._index.get(normalise(name))

    def suggest(self, name, limit: int = 3) -> list[str]:
        """The canonical names closest to a name that matched nothing."""
        key = normalise(name)
        matches = difflib.get_close_matches(key, list(self._index), n=limit * 3, cutoff=0.6)
        # A name that contains, or is contained in, a known name is a likely intent too.
        matches += [k for k in self._index if len(key) >= 2 and (key in k or k in key)]
        seen: list[str] = []
        for match in matches:
            canonical = self._index[match].name
            if canonical not in seen:
                seen.append(canonical)
        return seen[:limit]

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def suggestion_text(names: list[str]) -> str:
    if not names:
        return ""
    return "是不是：" + "、".join(names) + "？"
