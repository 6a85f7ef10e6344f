"""现行有效规范性文件库: the column's 规范性文件 in force on the build date, by issuing
organisation and year, and the 清理结果 beside it: those repealed or expired, by the year it
happened. Its counts are the figures an annual report's 规范性文件 row takes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..load.config import Config
from ..load.models import EXPIRED, REPEALED, Document, Model
from ..load.vocab import Organisation


@dataclass
class Shelf(Model):
    """One organisation's 规范性文件 in force (it is the first issuer: joint ones stand under the
    lead organisation), newest year first."""

    organisation: Organisation
    years: list[tuple[int, list[Document]]]

    @property
    def count(self) -> int:
        return sum(len(docs) for _, docs in self.years)


@dataclass
class Library(Model):
    shelves: list[Shelf] = field(default_factory=list)
    # Repealed or expired, by the year that happened, newest first; None: the file gives no date.
    cleared: list[tuple[int | None, list[Document]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(shelf.count for shelf in self.shelves)

    @property
    def cleared_count(self) -> int:
        return sum(len(docs) for _, docs in self.cleared)


def library(documents: list[Document], config: Config) -> Library:
    """`documents` newest first, with their status on the build date."""
    in_force: dict[str, dict[int, list[Document]]] = defaultdict(lambda: defaultdict(list))
    cleared: dict[int | None, list[Document]] = defaultdict(list)
    for doc in documents:
        if not doc.normative:
            continue
        if doc.is_current:
            in_force[doc.issuers[0].slug][doc.year].append(doc)
        elif doc.status in (REPEALED, EXPIRED):
            ended = doc.ended
            cleared[ended.year if ended else None].append(doc)
    shelves = [Shelf(organisation, sorted(in_force[organisation.slug].items(), reverse=True))
               for organisation in config.organisations if organisation.slug in in_force]
    years = sorted((year for year in cleared if year is not None), reverse=True)
    by_end = [(year, sorted(cleared[year], key=_latest_end)) for year in years]
    if None in cleared:
        by_end.append((None, cleared[None]))
    return Library(shelves, by_end)


def _latest_end(doc: Document) -> tuple:
    return -doc.ended.toordinal(), -doc.published.toordinal(), doc.id
