"""Lifecycle over time: what is public on the build date.

A document whose `published` date is after the build date is scheduled, not public: it and
everything that hangs off it (its interpretations and task tables) stay out of every page,
listing, feed and export until a build on or after that date. Links to it from published
content become plain text with a warning, so a scheduled document never breaks the build.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from ..render.markdown import MarkdownRenderer
from ..load.models import EXPIRED, REPEALED, Content, Document


def last_event(doc: Document) -> date:
    """The day of the latest lifecycle event a reader was told about: published, repealed or expired.

    Feeds use it as an entry's `updated`, so a subscriber hears when a document stops being valid.
    Call after classify has set `doc.status`.
    """
    when = doc.published
    if doc.status == REPEALED and doc.repealed:
        when = max(when, doc.repealed)
    elif doc.status == EXPIRED and doc.validity != EXPIRED and doc.expires:
        when = max(when, doc.expires + timedelta(days=1))
    return when


@dataclass
class Held:
    """Content scheduled for a later day, kept out of this build."""

    documents: list = field(default_factory=list)
    interpretations: list = field(default_factory=list)
    task_tables: list = field(default_factory=list)
    release: dict = field(default_factory=dict)  # item id-key → the day it becomes public
    # Listing pages (a body, year or kind) that held content would create: they may not exist yet.
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


def hold_back(content: Content, today: date, config) -> tuple[Content, Held]:
    """Split the content into what is public on `today` and what is scheduled for later."""
    held = Held()
    for doc in content.documents:
        if doc.published > today:
            held.documents.append(doc)
            held.release[_key(doc)] = doc.published
    held_docs = {doc.id for doc in held.documents}
    for item in content.interpretations:
        waits_for = item.document.published if item.document and item.document.id in held_docs else item.published
        if waits_for > today or item.published > today:
            held.interpretations.append(item)
            held.release[_key(item)] = max(waits_for, item.published)
    for table in content.task_tables:
        if table.document and table.document.id in held_docs:
            held.task_tables.append(table)
            held.release[_key(table)] = table.document.published
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
    # Relations to scheduled documents are cut, so no published page links to a page that is not there.
    for doc in visible.documents:
        if doc.repealer is not None and doc.repealer.id in held_docs:
            doc.repealer = None
        doc.repeals = [d for d in doc.repeals if d.id not in held_docs]
    return visible, held


def _held_pages(held: Held, config) -> None:
    def add(path: str, day: date) -> None:
        held.pages[path] = min(day, held.pages.get(path, day))

    for doc in held.documents:
        add(f"/years/{doc.year}/", doc.published)
        add(f"/kinds/{doc.kind.slug}/", doc.published)
        for body in doc.issuers:
            add(f"/bodies/{body.slug}/", doc.published)
    for table in held.task_tables:
        day = held.release_of(table)
        for unit in (u.body for task in table.tasks for u in task.units):
            add(f"/bodies/{unit.slug}/", day)
            if unit.is_group:
                for body in config.bodies:
                    if unit in config.groups_of(body):
                        add(f"/bodies/{body.slug}/", day)


class HeldLinkRenderer(MarkdownRenderer):
    """Markdown rendering in which a link to scheduled content is plain text and a warning."""

    def __init__(self, targets, problems, held: Held):
        super().__init__(targets, problems)
        self.held = held
        self.held_urls = {item.url: item for item in held.items}
        self.held_files: dict[Path, object] = {item.path.resolve(): item for item in held.items}
        for doc in held.documents:
            # A scheduled document's attachments are not public either.
            self.held_files.update({a.source.resolve(): doc for a in doc.attachments})

    def resolve(self, href: str, what: str) -> str | None:
        item = self._held_target(href.strip())
        if item is not None:
            self._warn(href, f"{what}指向的“{item.title}”定于 {self.held.release_of(item)} 发布")
            return None
        path = self._site_path(href.strip())
        if path and path in self.held.pages and path not in self.targets.urls:
            self._warn(href, f"{what}指向的页面“{path}”要到 {self.held.pages[path]} 有文件发布后才会生成")
            return None
        return super().resolve(href, what)

    def _warn(self, href: str, message: str) -> None:
        self.warn(href.strip(), message + "，本次构建中这个链接显示为普通文字",
                  "到发布日期后重新构建，链接会自动恢复；如果这不是你想要的，请核对相关文件的发布日期")

    @staticmethod
    def _site_path(href: str) -> str:
        """A site-absolute link as the site lists its pages: /a/b → /a/b/; empty for anything else."""
        parts = urlsplit(href)
        if parts.scheme or not parts.path.startswith("/") or href.startswith("//"):
            return ""
        last = parts.path.rsplit("/", 1)[-1]
        return parts.path if parts.path.endswith("/") or "." in last else parts.path + "/"

    def _held_target(self, href: str):
        parts = urlsplit(href)
        if parts.scheme or not parts.path or href.startswith("//"):
            return None
        if parts.path.startswith("/"):
            return self.held_urls.get(self._site_path(href))
        if self.path is None:
            return None
        return self.held_files.get((self.path.parent / posixpath.normpath(parts.path)).resolve())
