"""Classify stage: documents by issuing organisation, year, topic, validity and kind; pagination.

Every list is sorted newest first with the id as a tie-break, so the output never depends on
the order in which files were found.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..load.config import Config
from .lifecycle import Held, hold_back, newest_first
from .normative import Library, library
from .participation import Participation, participation_view
from .reports import ReportSeries, report_views
from ..load.models import CATALOGUE_AREAS, CatalogueArea, CatalogueRow, Content, Document, Model, Task, TaskTable
from .relations import Relations, attach, freeze
from ..load.vocab import Organisation, Term, Topic


@dataclass
class Paged:
    """One page of a paginated list."""

    number: int
    count: int
    items: list
    url: str
    first_url: str
    prev_url: str = ""
    next_url: str = ""
    total: int = 0
    urls: list[str] = field(default_factory=list)

    @property
    def window(self) -> list[tuple[int, str] | None]:
        """The page links to show: the first, the last and two either side of this one, with
        None where numbers are left out (a list of 500 links helps nobody and costs every page)."""
        shown = {1, self.count, *range(self.number - 2, self.number + 3)}
        links: list[tuple[int, str] | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.count):
            if links and links[-1] is not None and number != links[-1][0] + 1:
                links.append(None)
            links.append((number, self.urls[number - 1]))
        return links


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def paginate(items: list, size: int, base: str) -> list[Paged]:
    count = max(1, math.ceil(len(items) / size))
    urls = [page_url(base, n) for n in range(1, count + 1)]
    pages = []
    for number in range(1, count + 1):
        pages.append(Paged(
            number=number, count=count, items=items[(number - 1) * size: number * size],
            url=urls[number - 1], first_url=base,
            prev_url=urls[number - 2] if number > 1 else "",
            next_url=urls[number] if number < count else "",
            total=len(items), urls=urls,
        ))
    return pages


@dataclass
class OrganisationView(Model):
    organisation: Organisation
    documents: list[Document] = field(default_factory=list)
    tasks: list[tuple[Task, str]] = field(default_factory=list)  # (task, the name the source used)
    group_tasks: list[tuple[Organisation, Task]] = field(default_factory=list)  # tasks given to a group it belongs to
    groups: list[Organisation] = field(default_factory=list)
    members: list[Organisation] = field(default_factory=list)  # for a group
    # The two task lists split by task table, tables in the site's order (set by classify).
    tasks_by_table: list[tuple[TaskTable, list]] = field(default_factory=list)
    group_tasks_by_table: list[tuple[TaskTable, list]] = field(default_factory=list)
    catalogue_rows: list[CatalogueRow] = field(default_factory=list)  # 标准目录 rows it is 公开主体 of
    # Rows whose 公开主体 is a group it belongs to (各街道办事处), as (group, row).
    group_catalogue_rows: list[tuple[Organisation, CatalogueRow]] = field(default_factory=list)
    reports: list = field(default_factory=list)  # its 政府信息公开工作年度报告, newest first
    consultations: list = field(default_factory=list)  # 本单位的意见征集, newest first
    decision_items: list = field(default_factory=list)  # 本单位承办的决策事项, newest year first

    @property
    def task_tables(self) -> list[TaskTable]:
        """The tables this organisation's page lists tasks from, its own or its groups'."""
        seen = {id(table): table for table, _ in self.tasks_by_table + self.group_tasks_by_table}
        return list(seen.values())

    @property
    def url(self) -> str:
        return f"/bodies/{self.organisation.slug}/"

    @property
    def is_empty(self) -> bool:
        return not (self.documents or self.tasks or self.group_tasks or self.catalogue_rows or self.group_catalogue_rows
                    or self.reports or self.consultations or self.decision_items)

    @property
    def catalogue_shown(self) -> tuple[str, ...]:
        """What its page shows of the 标准目录: what the page reads of it (render/plan.py)."""
        return (*(row.shown for row in self.catalogue_rows),
                *(f"{group.name}\x1f{row.shown}" for group, row in self.group_catalogue_rows))

    @property
    def participation_shown(self) -> tuple[str, ...]:
        """What its page shows of its consultations (with their state) and 决策事项."""
        return (*(f"{c.url}\x1f{c.listed_digest}\x1f{c.status}" for c in self.consultations),
                *(item.shown for item in self.decision_items))


@dataclass
class TopicView(Model):
    topic: Topic
    documents: list[Document]
    children: list["TopicView"] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/topics/{self.topic.path}/"


@dataclass
class Site(Model):
    config: Config
    build_date: date
    content: Content
    documents: list[Document]
    organisations: list[OrganisationView]
    years: dict[int, list[Document]]
    topics: list[TopicView]
    kinds: list[tuple[Term, list[Document]]]
    current: list[Document]
    invalid: list[Document]
    normative: list[Document]  # 现行有效的规范性文件
    library: Library  # 现行有效规范性文件库 and 清理结果
    task_tables: list[TaskTable]
    catalogue: list[CatalogueArea] = field(default_factory=list)  # 基层政务公开标准目录, one per 领域
    held: Held = field(default_factory=Held)  # scheduled for a later build date
    date_source: str = ""  # where the build date came from, for the build log
    history_note: str = ""  # why documents show no or an incomplete 更正记录 (load/history.py)
    reports: list[ReportSeries] = field(default_factory=list)  # 政府信息公开工作年度报告, by issuer (model/reports.py)
    participation: Participation = field(default_factory=Participation)  # 意见征集, 重大行政决策事项目录

    def organisation_view(self, organisation: Organisation) -> OrganisationView | None:
        return next((v for v in self.organisations if v.organisation is organisation), None)

    def has_organisation_page(self, organisation: Organisation) -> bool:
        return any(v.organisation is organisation for v in self.organisations)


def classify(content: Content, relations: Relations, config: Config, build_date: date, date_source: str = "") -> Site:
    """The site as it is on `build_date`, read-only from here on (see relations.py)."""
    # Scheduled content (published after the build date) is left out of everything below.
    public, held = hold_back(content, relations, build_date, config)
    attach(public, relations, build_date)
    reports = report_views(public, relations.replacers(public), build_date, config)
    participation = participation_view(public, public.documents, build_date)
    site = _views(public, config, build_date, held, date_source, reports, participation)
    site.history_note = relations.history_note
    freeze(content, site)
    return site


def _views(content: Content, config: Config, build_date: date, held: Held, date_source: str,
           reports: list[ReportSeries] = (), participation: Participation | None = None) -> Site:
    participation = participation or Participation()
    documents = newest_first(content.documents)

    tables = sorted((t for t in content.task_tables if t.document),
                    key=lambda t: (-t.document.published.toordinal(), t.id))
    years: dict[int, list[Document]] = defaultdict(list)
    for doc in documents:
        years[doc.year].append(doc)

    return Site(
        config=config, build_date=build_date, content=content, documents=documents,
        organisations=_organisation_views(config, documents, tables, content.catalogue, reports, participation),
        reports=reports,
        years=dict(sorted(years.items(), reverse=True)),
        topics=_topics(config, documents),
        kinds=[(kind, [d for d in documents if d.kind is kind]) for kind in config.kinds
               if any(d.kind is kind for d in documents)],
        current=[d for d in documents if d.is_current],
        invalid=[d for d in documents if not d.is_current],
        normative=[d for d in documents if d.is_current and d.normative],
        library=library(documents, config),
        task_tables=tables,
        catalogue=sorted(content.catalogue, key=_area_order),
        held=held,
        date_source=date_source,
        participation=participation,
    )


def _organisation_views(config: Config, documents: list[Document], tables: list[TaskTable],
                        catalogue: list[CatalogueArea] = (), reports: list[ReportSeries] = (),
                        participation: Participation | None = None) -> list[OrganisationView]:
    views = {organisation.slug: OrganisationView(organisation) for organisation in config.organisations}
    for series in reports:
        views[series.organisation.slug].reports = [view.report for view in reversed(series.reports)]
    if participation is not None:
        for consultation in participation.consultations:
            for organisation in consultation.issuers:
                views[organisation.slug].consultations.append(consultation)
        for decisions in participation.decisions:
            for item in decisions.items:
                for organisation in item.bodies:
                    views[organisation.slug].decision_items.append(item)
    for area in sorted(catalogue, key=_area_order):
        for row in area.rows:
            for slug in dict.fromkeys(unit.organisation.slug for unit in row.bodies):
                views[slug].catalogue_rows.append(row)
    for doc in documents:
        for organisation in doc.issuers:
            views[organisation.slug].documents.append(doc)
    # Tasks are compared by identity; a set per organisation keeps this linear at a province's 15,000 tasks.
    own: dict[str, set[int]] = {slug: set() for slug in views}
    for table in tables:
        for task in table.tasks:
            for unit in task.units:
                slug = unit.organisation.slug
                if id(task) not in own[slug]:
                    own[slug].add(id(task))
                    views[slug].tasks.append((task, unit.written))
    for organisation in config.organisations:
        view = views[organisation.slug]
        view.groups = config.groups_of(organisation)
        for group in view.groups:
            for task, _ in views[group.slug].tasks:
                if id(task) not in own[organisation.slug]:
                    view.group_tasks.append((group, task))
            for row in views[group.slug].catalogue_rows:
                if all(row is not mine for mine in view.catalogue_rows) \
                        and all(row is not theirs for _, theirs in view.group_catalogue_rows):
                    view.group_catalogue_rows.append((group, row))
    for group in (b for b in config.organisations if b.is_group):
        views[group.slug].members = [b for b in config.organisations if group in views[b.slug].groups]
    rank = {id(table): index for index, table in enumerate(tables)}
    for view in views.values():
        view.tasks_by_table = _by_table(view.tasks, lambda pair: pair[0].table, rank)
        view.group_tasks_by_table = _by_table(view.group_tasks, lambda pair: pair[1].table, rank)
    return [view for view in views.values() if not view.is_empty]


def _area_order(area: CatalogueArea) -> tuple[int, str]:
    rank = CATALOGUE_AREAS.index(area.name) if area.name in CATALOGUE_AREAS else len(CATALOGUE_AREAS)
    return rank, area.id


def _by_table(pairs: list, table_of, rank: dict[int, int]) -> list[tuple[TaskTable, list]]:
    groups: dict[int, tuple[TaskTable, list]] = {}
    for pair in pairs:
        table = table_of(pair)
        groups.setdefault(id(table), (table, []))[1].append(pair)
    return [groups[key] for key in sorted(groups, key=rank.__getitem__)]


def _topics(config: Config, documents: list[Document]) -> list[TopicView]:
    """Every topic of the vocabulary gets a page, empty or not, so links to a topic stay valid."""
    tops, by_top = [], defaultdict(list)
    for doc in documents:
        by_top[doc.topic.top[1]].append(doc)
    for topic in config.topics:
        if topic.parent_name:
            continue
        under = by_top.get(topic.slug, [])
        children = [TopicView(child, [d for d in under if d.topic is child])
                    for child in config.topics if child.parent_slug == topic.slug]
        tops.append(TopicView(topic, under, children))
    return tops
