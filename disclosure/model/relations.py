"""Relations between content items: looked up once, written once, then read-only.

Files name each other by id (an interpretation's `interprets`, a task table's `plan`, a
document's `repealed_by`), and a task's due date is counted from its plan's date. `resolve`
looks every such reference up once, reporting those that lead nowhere, and keeps what it found
beside the models instead of in them. Once the build date has decided what is public,
`attach` writes the relations among the public items, each document's status on that date and
where its attachments are published, into their models: the one place after loading that writes to a model. `freeze` then makes every
model read-only, so a later stage that tries to change one fails at once instead of making one
page disagree with another.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..errors import Problems
from ..load.fields import ID
from ..load.models import Content, Document, freeze_all
from ..load.published_paths import published_path
from .deadlines import DeadlineError, quote, resolve as resolve_deadline
from .lifecycle import newest_first, status_on
from .workdays import covered_years

PLAUSIBLE_YEARS = 100  # a due date further from its plan is a typo (2202年底前), not a plan


@dataclass
class Relations:
    """What the references written in the files lead to, keyed by the referring object."""

    documents: dict[int, Document] = field(default_factory=dict)  # interpretation or task table → its document
    repealers: dict[int, Document] = field(default_factory=dict)  # document → the document that repealed it
    dues: dict[int, date | None] = field(default_factory=dict)  # task → its due date
    # document → the documents it names in `amends`, `replaces` and `basis` (None for text)
    amends: dict[int, list[Document]] = field(default_factory=dict)
    replaces: dict[int, list[Document]] = field(default_factory=dict)
    basis: dict[int, list[tuple[str, Document | None]]] = field(default_factory=dict)
    # document id → its 更正记录 from the content's git history (load/history.py), given by the
    # build; none in checks and tests that do not read history.
    corrections: dict[str, tuple] = field(default_factory=dict)
    history_note: str = ""  # why the 更正记录 is missing or incomplete, for the build log

    def document_of(self, item) -> Document | None:
        return self.documents.get(id(item))

    def repealer_of(self, doc: Document) -> Document | None:
        return self.repealers.get(id(doc))

    def replacers(self, content: Content) -> dict[int, list[Document]]:
        """document → the documents that say they replace it, the first to take effect first."""
        found = defaultdict(list)
        for doc in sorted(content.documents, key=lambda d: (d.effective, d.id)):
            for old in self.replaces.get(id(doc), ()):
                found[id(old)].append(doc)
        return found


def resolve(content: Content, problems: Problems) -> Relations:
    relations = Relations()
    for doc in content.documents:
        if doc.repealed_by:
            repealer = _lookup(content, doc.repealed_by, doc, "repealed_by", problems)
            if repealer is not None:
                relations.repealers[id(doc)] = repealer
        for key in ("amends", "replaces"):
            named = [_lookup(content, other, doc, key, problems) for other in getattr(doc, key)]
            getattr(relations, key)[id(doc)] = [other for other in named if other is not None]
        # A basis written as a file name must be one; anything else is a title and 文号 as text.
        relations.basis[id(doc)] = [(text, _lookup(content, text, doc, "basis", problems) if ID.match(text) else None)
                                    for text in doc.basis]
    for item in content.interpretations:
        target = _lookup(content, item.interprets, item, "interprets", problems)
        if target is not None:
            relations.documents[id(item)] = target
    approximate = []  # (path, line, task, due) whose working days ran past the official calendar
    for table in content.task_tables:
        plan = _lookup(content, table.plan, table, "plan", problems)
        if plan is None:
            continue
        relations.documents[id(table)] = plan
        for task in table.tasks:
            due, exact = _due(table, plan, task, problems)
            relations.dues[id(task)] = due
            if exact is False:
                approximate.append((str(table.path), task.deadline_line, task, due))
    if approximate:
        path, line, task, due = min(approximate, key=lambda found: found[:2])
        first, last = covered_years()
        others = f"另有 {len(approximate) - 1} 项任务也是这样推算的；" if len(approximate) > 1 else ""
        problems.warn(path, line,
                      f"完成时限“{quote(task.deadline)}”的到期日期 {due} 是按周一至周五数出来的："
                      f"法定节假日数据只有 {first}–{last} 年",
                      f"{others}实际的放假调休可能让到期日期差几天。新一年的放假安排公布后，请管理员按 README "
                      "更新 chinese_calendar 再构建；也可以用 due: 写明到期日期")
    return relations


def _lookup(content: Content, doc_id: str, item, key: str, problems: Problems) -> Document | None:
    doc = content.document(doc_id)
    if doc is None and doc_id not in content.unloaded:
        ids = [d.id for d in content.documents]
        close = difflib.get_close_matches(doc_id, ids, n=3, cutoff=0.5)
        fix = ("是不是：" + "、".join(close) + "？ " if close else "") + "请写该文件的文件名（不含 .md）"
        problems.add(item.path, item.lines.get(key), f"找不到文件“{doc_id}”", fix)
    return doc


def _due(table, plan: Document, task, problems: Problems) -> tuple[date | None, bool | None]:
    """A task's due date, from its deadline text unless written out, and whether it is exact
    (False when counted in weekdays past the official calendar; None when there is none)."""
    due, exact, line = task.due, True, task.line  # where `due:` is, within the task
    if due is None:
        try:
            found = resolve_deadline(task.deadline, plan.written)
        except DeadlineError as error:
            problems.add(table.path, task.deadline_line, error.message, error.fix)
            return None, None
        due, exact, line = found.date, found.exact, task.deadline_line
    # One before the plan is left alone: plans are often published months after their first deadlines.
    if due is not None and due.year > plan.written.year + PLAUSIBLE_YEARS:
        problems.warn(table.path, line,
                      f"第 {task.no} 项任务的到期日期 {due} 在所属文件成文 {PLAUSIBLE_YEARS} 年以后",
                      "请核对完成时限 deadline（或到期日期 due）中的年份和数字")
    return due, exact


def attach(public: Content, relations: Relations, today: date) -> None:
    """Write the relations among the public items into their models, with each document's status
    on `today`. A relation to an item held back for a later day is left out, so no published
    page links to a page that is not there."""
    shown = {id(doc) for doc in public.documents}
    repeals, interpretations, task_tables = defaultdict(list), defaultdict(list), defaultdict(list)
    replaced_by, amended_by = {}, defaultdict(list)
    for doc in public.documents:
        repealer = relations.repealer_of(doc)
        doc.repealer = repealer if repealer is not None and id(repealer) in shown else None
        if doc.repealer is not None:
            repeals[id(doc.repealer)].append(doc)
        doc.replacing = [old for old in relations.replaces.get(id(doc), ()) if id(old) in shown]
        doc.amending = [old for old in relations.amends.get(id(doc), ()) if id(old) in shown]
        # A basis held back for a later day is named as text, without a link.
        doc.based_on = [(text, other if other is not None and id(other) in shown else None)
                        for text, other in relations.basis.get(id(doc), ())]
        for old in doc.replacing:
            replaced_by[id(old)] = doc
        for old in doc.amending:
            amended_by[id(old)].append(doc)
    for item in public.interpretations:
        item.document = relations.document_of(item)
        interpretations[id(item.document)].append(item)
    for table in public.task_tables:
        table.document = relations.document_of(table)
        task_tables[id(table.document)].append(table)
        for task in table.tasks:
            task.due = relations.dues.get(id(task), task.due)
    for doc in public.documents:
        for attachment in doc.attachments:
            attachment.url = published_path(attachment.source, public.root)
        doc.replaced_by = replaced_by.get(id(doc))
        doc.amended_by = sorted(amended_by[id(doc)], key=lambda other: (other.effective, other.id))
        doc.status = status_on(doc, today, doc.replaced_by.effective if doc.replaced_by else None)
        doc.repeals = newest_first(repeals[id(doc)])
        doc.interpretations = sorted(interpretations[id(doc)], key=lambda i: (i.published, i.id))
        doc.task_tables = sorted(task_tables[id(doc)], key=lambda t: t.id)
        doc.corrections = relations.corrections.get(doc.id, ())


def freeze(content: Content, *others) -> None:
    """Every model of the content, held back or not, and the given views: read-only from now on."""
    freeze_all(content)
    for other in others:
        freeze_all(other)
