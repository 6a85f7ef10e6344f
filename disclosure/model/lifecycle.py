"""Lifecycle over time: what is public on the build date.

A document whose `published` date is after the build date is scheduled, not public: it and
everything that hangs off it (its interpretations and task tables) stay out of every page,
listing, feed and export until a build on or after that date. Links to it from published
content become plain text with a warning (render/held_links.py), so a scheduled document never
breaks the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..load.models import EXPIRED, NOT_YET, REPEALED, VALID, Content, Document, Model


def status_on(doc: Document, today: date, replaced_on: date | None = None) -> str:
    """The validity a reader sees on a given day.

    A document past its 有效期至 is 失效 from the next day on. A repeal dated in the future
    (“自某日起废止”) takes effect on that day; until then the document is still in force. A
    document replaced by another (`replaced_on`: the day the other takes effect) is repealed from
    that day. One with a 施行日期 to come is 尚未施行 until then.
    """
    if doc.validity == REPEALED and (doc.repealed is None or doc.repealed <= today):
        return REPEALED
    if replaced_on is not None and replaced_on <= today:
        return REPEALED
    if doc.validity == EXPIRED or (doc.expires and doc.expires < today):
        return EXPIRED
    if doc.in_force and doc.in_force > today:
        return NOT_YET
    return VALID


def newest_first(documents) -> list:
    """Documents newest first, the id breaking ties, so no list depends on the order files were found."""
    return sorted(documents, key=lambda d: (-d.published.toordinal(), -d.written.toordinal(), d.id))


def last_event(doc: Document, today: date) -> date:
    """The day of the latest lifecycle event a reader was told about by `today`: published,
    came into force (施行), amended, repealed or replaced, or expired.

    Feeds use it as an entry's `updated`, so a subscriber hears when a document's status changes.
    Call after classify has set `doc.status` and its relations.
    """
    when = doc.published
    if doc.status == REPEALED and doc.ended:
        when = max(when, doc.ended)
    elif doc.status == EXPIRED and doc.validity != EXPIRED and doc.expires:
        when = max(when, doc.expires + timedelta(days=1))
    if doc.in_force and doc.in_force <= today:
        when = max(when, doc.in_force)
    for other in doc.amendments_on(today):
        when = max(when, other.effective)
    return when


@dataclass
class Held(Model):
    """Content scheduled for a later day, kept out of this build."""

    documents: list = field(default_factory=list)
    interpretations: list = field(default_factory=list)
    task_tables: list = field(default_factory=list)
    release: dict = field(default_factory=dict)  # item id-key → the day it becomes public
    # Listing pages (an organisation, year or kind) that held content would create: they may not exist yet.
    pages: dict = field(default_factory=dict)  # site path → the earliest day held content fills it

    def __bool__(self) -> bool:
        return bool(self.documents or self.interpretations)

    @property
    def items(self) -> list:
        return [*self.documents, *self.interpretations, *self.task_tables]

    def release_of(self, item) -> date:
        return self.release[_key(item)]

    def summary(self, today: date) -> str:
        """One line for the build log: how many items wait, and until when."""
        if not self:
            return ""
        days = sorted({self.release_of(item) for item in self.items})
        counts = ((self.documents, "个文件"), (self.interpretations, "篇解读"), (self.task_tables, "个任务分解表"))
        parts = [f"{len(items)} {unit}" for items, unit in counts if items]
        when = f"将于 {days[0]} 发布" if len(days) == 1 else f"将于 {days[0]} 至 {days[-1]} 间陆续发布"
        return (f"定时发布：{'、'.join(parts)}的发布日期晚于构建日期 {today}，本次暂不发布，{when}"
                "（到期后需重新构建才会出现在网站上）。")


def _key(item) -> tuple[str, str]:
    return type(item).__name__, item.id


def hold_back(content: Content, relations, today: date, config) -> tuple[Content, Held]:
    """Split the content into what is public on `today` and what is scheduled for later
    (`relations`: what model/relations.py resolved)."""
    held = Held()
    for doc in content.documents:
        if doc.published > today:
            held.documents.append(doc)
            held.release[_key(doc)] = doc.published
    held_docs = {doc.id for doc in held.documents}
    for item in content.interpretations:
        document = relations.document_of(item)
        waits_for = document.published if document and document.id in held_docs else item.published
        if waits_for > today or item.published > today:
            held.interpretations.append(item)
            held.release[_key(item)] = max(waits_for, item.published)
    for table in content.task_tables:
        document = relations.document_of(table)
        if document and document.id in held_docs:
            held.task_tables.append(table)
            held.release[_key(table)] = document.published
    if not held.items:
        return content, held
    _held_pages(held, config)
    hidden = {_key(item) for item in held.items}
    visible = replace(
        content,
        documents=[d for d in content.documents if _key(d) not in hidden],
        interpretations=[i for i in content.interpretations if _key(i) not in hidden],
        task_tables=[t for t in content.task_tables if _key(t) not in hidden],
    )
    return visible, held


def _held_pages(held: Held, config) -> None:
    def add(path: str, day: date) -> None:
        held.pages[path] = min(day, held.pages.get(path, day))

    for doc in held.documents:
        add(f"/years/{doc.year}/", doc.published)
        add(f"/kinds/{doc.kind.slug}/", doc.published)
        for organisation in doc.issuers:
            add(f"/bodies/{organisation.slug}/", doc.published)
    for table in held.task_tables:
        day = held.release_of(table)
        for unit in (u.organisation for task in table.tasks for u in task.units):
            add(f"/bodies/{unit.slug}/", day)
            if unit.is_group:
                for organisation in config.organisations:
                    if unit in config.groups_of(organisation):
                        add(f"/bodies/{organisation.slug}/", day)
