"""The plan of outputs: every file the build makes from the site model, in one list, each entry
with what it reads and how it is made.

An output's key (`Output.key`) is a digest of what every output reads (`base`: the code, the
templates, config.yaml, the build date and the navigation, see orchestrate/incremental.py), the
output's path and its own `reads`: the source digests of the items it shows and the values it
prints. The build reuses the previous build's file when the key is unchanged, so `reads` must
name everything the output shows; tests/build/test_mutation.py changes every field, setting and
template and proves an incremental build still equals a clean one. A `SiteFile` (sitemap,
catalogues, changes) reads every document: it is made each time and kept when its bytes are.

A new page type, feed or export is one entry here and one template or make function.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.apply_guide import apply_guide
from ..model.classify import Site, paginate
from .catalogue import catalogue_csv as standard_catalogue_csv, catalogue_json as standard_catalogue_json
from .changes import changes_json
from .desk import desk_files
from .exports import catalogue_csv, cleared_csv, document_export, documents_json, normative_csv, sitemap, to_json
from .feeds import Feed, FeedIndex, render_feed
from ..load.schema import schema_files
from .participation import consultations_csv, consultations_json, decisions_csv, decisions_json
from .reports import SERIES, chart_svg, report_context, reports_csv, reports_json


@dataclass
class Product:
    data: bytes
    problems: list = field(default_factory=list)  # what the page's Markdown gave
    record: dict | None = None  # a document's record as api/documents.json lists it


@dataclass
class Materials:
    """What outputs are made with. `body(item)` is an item's Markdown as published; `records`
    (every document's, in site order) and `previous` (the Baseline of --previous) are there for
    the site files, which are made after every document's own file."""

    site: Site
    renderer: object  # render/pages.py PageRenderer
    body: Callable = None
    records: list = field(default_factory=list)
    previous: object = None
    page_urls: list = field(default_factory=list)


class Output:
    path: str  # the file in the site, e.g. documents/x/index.html
    # Made by the page workers right after the page it follows (whose HTML is then at hand).
    follows: "HtmlPage | None" = None

    @property
    def reads(self) -> list[str]:
        raise NotImplementedError

    def key(self, base: str, late: str = "") -> str | None:
        """None: the output is made every time and compared by its bytes. `late` is what only
        rendering learns (what a body's links resolved to)."""
        digest = hashlib.sha256(f"{base}|{type(self).__name__}|{self.path}|{late}|".encode("utf-8"))
        digest.update("\x1f".join(self.reads).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def make(self, materials: Materials) -> Product:
        raise NotImplementedError


def output_path(url: str) -> str:
    """The file a URL is served from: /a/b/ → a/b/index.html."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


@dataclass(eq=False)
class HtmlPage(Output):
    url: str  # site path without the base path, e.g. /documents/x/
    template: str
    title: str
    section: str  # ColumnName: which part of the column the page belongs to
    context: dict = field(default_factory=dict)
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (title, url) above this page
    # What the page shows beyond what every page shows: the content items (by digest) and the
    # numbers (pagination) it depends on.
    deps: list[str] = field(default_factory=list)
    scalars: tuple = ()

    def __post_init__(self):
        self.path = output_path(self.url)

    @property
    def reads(self) -> list[str]:
        return [self.template, repr(self.scalars), *self.deps]

    def make(self, materials: Materials) -> Product:
        data, problems = materials.renderer.render(self)
        return Product(data, problems)


@dataclass(eq=False)
class DocumentJson(Output):
    """A document's own file in api/documents/, with its body as published."""

    doc: object
    follows: HtmlPage | None = None

    def __post_init__(self):
        self.path = f"api/documents/{self.doc.id}.json"

    @property
    def reads(self) -> list[str]:
        doc = self.doc
        related = (
            doc.status,
            [(i.id, i.title, i.published, i.form) for i in doc.interpretations],
            [(t.id, t.title, len(t.tasks)) for t in doc.task_tables],
            [a.url for a in doc.attachments],
        )
        return [doc.digest, repr(related), corrections_digest(doc), *_listed(_related(doc))]

    def make(self, materials: Materials) -> Product:
        data, record = document_export(materials.site, self.doc, materials.body(self.doc))
        return Product(data, record=record)


@dataclass(eq=False)
class FeedFile(Output):
    feed: Feed

    def __post_init__(self):
        self.path = self.feed.file

    @property
    def reads(self) -> list[str]:
        feed = self.feed
        parts = [feed.label, feed.page]
        for item in feed.entries:  # with the documents their interpretations explain
            explained = getattr(item, "document", None)
            parts.append(f"{item.url}|{item.listed_digest}|{getattr(item, 'status', '')}|"
                         f"{explained.listed_digest if explained else ''}")
            if hasattr(item, "amended_by"):  # the documents its notices name
                parts += _listed(_related(item))
        return parts

    def make(self, materials: Materials) -> Product:
        return Product(render_feed(materials.site, self.feed))


@dataclass(eq=False)
class SiteFile(Output):
    """A file over the whole column, made from every document's record."""

    path: str
    maker: Callable[[Materials], bytes]

    def key(self, base: str, late: str = "") -> None:
        return None

    def make(self, materials: Materials) -> Product:
        return Product(self.maker(materials))


@dataclass(eq=False)
class SearchIndex(Output):
    """The Pagefind index (a folder), keyed by its records; made by search/writer.py."""

    path: str = "pagefind/"

    def key(self, base: str, late: str = "") -> str:
        """`late`: the digest of its records. `base` is left out: templates and navigation,
        which it names, are not what it indexes."""
        return late


@dataclass
class Plan:
    outputs: list[Output]
    feeds: FeedIndex

    def of(self, kind: type) -> list[int]:
        """The indices of the outputs of one kind, in plan order."""
        return [index for index, output in enumerate(self.outputs) if isinstance(output, kind)]

    @property
    def pages(self) -> list[HtmlPage]:
        return [output for output in self.outputs if isinstance(output, HtmlPage)]


@functools.lru_cache(maxsize=4)
def _schema_json(site_url: str) -> dict[str, bytes]:
    """The JSON Schemas as written, path → bytes: they depend on the site's address alone, and
    indented JSON is slow to write, so a process that builds again and again (the preview)
    writes them once."""
    return {path: to_json(schema) for path, schema in schema_files(site_url).items()}


def plan_outputs(site: Site) -> Plan:
    """Every output of the site, in a fixed order: pages, each document's own file, feeds, the
    files over the whole column, the search index."""
    pages = plan_pages(site)
    page_of = {page.context["doc"].id: page for page in pages if page.template == "document.html"}
    feeds = FeedIndex(site)
    outputs: list[Output] = [*pages]
    outputs += [DocumentJson(doc, page_of[doc.id]) for doc in site.documents]
    outputs += [FeedFile(feed) for feed in feeds]
    outputs.append(SiteFile("sitemap.xml", lambda m: sitemap(m.site, sorted(m.page_urls))))
    outputs.append(SiteFile("api/documents.json", lambda m: documents_json(m.site, m.records)))
    outputs.append(SiteFile("api/documents.csv", lambda m: catalogue_csv(m.site)))
    outputs.append(SiteFile("api/normative.csv", lambda m: normative_csv(m.site)))
    outputs.append(SiteFile("api/normative-cleared.csv", lambda m: cleared_csv(m.site)))
    outputs.append(SiteFile("api/reports.json", lambda m: reports_json(m.site)))
    outputs.append(SiteFile("api/reports.csv", lambda m: reports_csv(m.site)))
    outputs.append(SiteFile("api/catalogue.json", lambda m: standard_catalogue_json(m.site)))
    outputs.append(SiteFile("api/catalogue.csv", lambda m: standard_catalogue_csv(m.site)))
    outputs.append(SiteFile("api/consultations.json", lambda m: consultations_json(m.site)))
    outputs.append(SiteFile("api/consultations.csv", lambda m: consultations_csv(m.site)))
    outputs.append(SiteFile("api/decisions.json", lambda m: decisions_json(m.site)))
    outputs.append(SiteFile("api/decisions.csv", lambda m: decisions_csv(m.site)))
    outputs.append(SiteFile("api/changes.json", lambda m: to_json(changes_json(m.site, m.records, m.previous))))
    for path, data in _schema_json(site.config.site.origin_url).items():
        outputs.append(SiteFile(path, lambda m, data=data: data))
    # The editing desk (/admin/): made each time and kept when its bytes are (its vendored Decap
    # files are copied with the static files: pipeline.py); not a page, so it is
    # in neither the sitemap nor search.
    for path, make in desk_files(site.config):
        outputs.append(SiteFile(path, lambda m, make=make: make()))
    outputs.append(SearchIndex())
    return Plan(outputs, feeds)


def _related(doc) -> list:
    """The documents a document's page, notices and export name besides itself: what repealed,
    replaced or amended it, and what it repeals, replaces, amends or rests on, in a fixed order
    and with a marker between the kinds, so that a document moving from one to another counts."""
    groups = ([doc.repealer], [doc.replaced_by], doc.amended_by, doc.repeals, doc.replacing, doc.amending,
              [other for _, other in doc.based_on])
    return [item for group in groups for item in (*group, None)]


def corrections_digest(doc) -> str:
    """What a document's 更正记录 shows: not in its file's digest, since it comes from git history."""
    return "corrections:" + hashlib.sha1(repr(doc.corrections).encode("utf-8", "surrogatepass")).hexdigest()


def _listed(items) -> list[str]:
    """A page's dependency on items as lists and links show them (their fields and their status on
    the build date, which another document can change by replacing them), not their Markdown text."""
    return [item.listed_digest + getattr(item, "status", "") if item is not None else "" for item in items]


def plan_pages(site: Site) -> list[HtmlPage]:
    """Every HTML page of the site, in a fixed order, with what each depends on."""
    size = site.config.site.page_size
    content = site.content
    everything = _listed([*site.documents, *content.interpretations, *site.task_tables])
    # The home page lists the open consultations with the days left: the build date changes it.
    open_now = tuple(site.participation.shown(c) for c in site.participation.open)
    pages: list[HtmlPage] = [HtmlPage("/", "home.html", "首页", "首页", deps=everything, scalars=open_now)]

    def listing(base, template, title, section, items, crumbs, deps_of=None, extra_scalars=(), **extra):
        # deps_of(paged): what a page shows beyond its items; only those, so that no list page
        # depends on the whole site (at 100,000 documents that would be millions of entries).
        for paged in paginate(items, size, base):
            page_title = title if paged.number == 1 else f"{title}（第 {paged.number} 页）"
            pages.append(HtmlPage(paged.url, template, page_title, section,
                                  {"paged": paged, "heading": title, **extra}, crumbs,
                                  deps=_listed([*paged.items, *(deps_of(paged) if deps_of else ())]),
                                  scalars=(paged.number, paged.count, paged.total, *extra_scalars)))

    home = [("首页", "/")]
    listing("/documents/", "documents.html", "政策文件", "政策文件", site.documents, home)
    for doc in site.documents:
        related = [*doc.interpretations, *doc.task_tables, *_related(doc)]
        # The page's 更正记录 line shows how many corrections and the last one's date.
        summary = f"corrections:{len(doc.corrections)}:{doc.corrections[-1].date if doc.corrections else ''}"
        pages.append(HtmlPage(doc.url, "document.html", doc.title, "政策文件", {"doc": doc},
                              home + [("政策文件", "/documents/")],
                              deps=[doc.digest, summary, *_listed(related), *_participation_of(site, doc)]))
        if doc.corrections:
            pages.append(HtmlPage(doc.history_url, "document_history.html", f"更正记录：{doc.title}", "政策文件",
                                  {"doc": doc}, home + [("政策文件", "/documents/"), (doc.title, doc.url)],
                                  deps=[corrections_digest(doc), *_listed([doc])]))

    interpretations = sorted(content.interpretations, key=lambda i: (-i.published.toordinal(), i.id))
    listing("/interpretations/", "interpretations.html", "政策解读", "政策解读", interpretations, home,
            deps_of=lambda paged: [i.document for i in paged.items if i.document])
    for item in interpretations:
        pages.append(HtmlPage(item.url, "interpretation.html", item.title, "政策解读", {"item": item},
                              home + [("政策解读", "/interpretations/")], deps=[item.digest, *_listed([item.document])]))

    tables_deps = [*site.task_tables, *(t.document for t in site.task_tables)]
    pages.append(HtmlPage("/tasks/", "tasks_index.html", "任务分解", "任务分解", {"tables": site.task_tables},
                          home, deps=_listed(tables_deps)))
    for table in site.task_tables:
        pages.append(HtmlPage(table.url, "task_table.html", table.title, "任务分解", {"table": table},
                              home + [("任务分解", "/tasks/")], deps=[table.digest, *_listed([table.document])]))

    # 基层政务公开标准目录: the list of areas (their names and row counts), and each area's table.
    pages.append(HtmlPage("/catalogue/", "catalogue_index.html", "基层政务公开标准目录", "标准目录",
                          {"areas": site.catalogue}, home, deps=[area.listed_digest for area in site.catalogue]))
    for area in site.catalogue:
        pages.append(HtmlPage(area.url, "catalogue_area.html", f"{area.name}领域基层政务公开标准目录", "标准目录",
                              {"area": area}, home + [("基层政务公开标准目录", "/catalogue/")], deps=[area.digest]))

    browse = home
    # The list of bodies counts each body's 标准目录 rows and 年度报告 (and names the bodies that have only those).
    rows_counted = tuple((view.organisation.slug, len(view.catalogue_rows), len(view.group_catalogue_rows),
                          len(view.reports))
                         for view in site.organisations if view.catalogue_rows or view.group_catalogue_rows or view.reports)
    participating = tuple((view.organisation.slug, len(view.consultations), len(view.decision_items))
                          for view in site.organisations if view.consultations or view.decision_items)
    pages.append(HtmlPage("/bodies/", "organisations.html", "按发布机构浏览", "按发布机构", {}, browse, deps=everything,
                          scalars=(*rows_counted, *participating)))
    for view in site.organisations:
        # The first page also lists the organisation's tasks, with due dates counted from each plan's date,
        # the 标准目录 rows it is 公开主体 of, and its 年度报告.
        tables = view.task_tables
        first = [*tables, *(t.document for t in tables), *view.reports]
        listing(view.url, "organisation.html", view.organisation.name, "按发布机构", view.documents,
                browse + [("按发布机构浏览", "/bodies/")], view=view,
                deps_of=lambda paged, first=first: first if paged.number == 1 else (),
                extra_scalars=(*view.catalogue_shown, *view.participation_shown))

    pages.append(HtmlPage("/years/", "years.html", "按年份浏览", "按发布年份", {}, browse, deps=everything))
    for year, docs in site.years.items():
        listing(f"/years/{year}/", "documents.html", f"{year}年发布的文件", "按发布年份", docs,
                browse + [("按年份浏览", "/years/")])

    pages.append(HtmlPage("/topics/", "topics.html", "按主题浏览", "按主题", {}, browse, deps=everything))
    for view in site.topics:
        crumbs = browse + [("按主题浏览", "/topics/")]
        counts = tuple(len(child.documents) for child in view.children)
        listing(view.url, "documents.html", view.topic.name, "按主题", view.documents, crumbs,
                extra_scalars=counts, topic=view)
        for child in view.children:
            listing(child.url, "documents.html", child.topic.label, "按主题", child.documents,
                    crumbs + [(view.topic.name, view.url)], topic=child, parent=view)

    pages.append(HtmlPage("/validity/", "validity.html", "按有效性浏览", "按有效性", {}, browse, deps=everything))
    crumbs = browse + [("按有效性浏览", "/validity/")]
    listing("/validity/current/", "documents.html", "现行有效的文件", "按有效性", site.current, crumbs)
    listing("/validity/invalid/", "documents.html", "已废止、已失效的文件", "按有效性", site.invalid, crumbs)
    listing("/validity/normative/", "documents.html", "现行有效的规范性文件", "按有效性", site.normative, crumbs)

    library = site.library
    in_force = [doc for shelf in library.shelves for _, docs in shelf.years for doc in docs]
    pages.append(HtmlPage("/normative/", "normative.html", "现行有效规范性文件库", "按有效性", {"library": library},
                          crumbs, deps=_listed(in_force)))
    cleared = [doc for _, docs in library.cleared for doc in docs]
    pages.append(HtmlPage("/normative/cleared/", "normative_cleared.html", "规范性文件清理结果", "按有效性",
                          {"library": library}, crumbs + [("现行有效规范性文件库", "/normative/")],
                          deps=_listed([*cleared, *(doc.repealer for doc in cleared)])))

    pages.append(HtmlPage("/kinds/", "kinds.html", "按公文种类浏览", "按公文种类", {}, browse, deps=everything))
    for kind, docs in site.kinds:
        listing(f"/kinds/{kind.slug}/", "documents.html", f"公文种类：{kind.name}", "按公文种类", docs,
                browse + [("按公文种类浏览", "/kinds/")])

    for page in sorted(content.pages, key=lambda p: (p.order, p.id)):
        pages.append(HtmlPage(page.url, "page.html", page.title, page.title, {"column_page": page}, home,
                              deps=[page.digest]))

    _report_pages(site, pages, home)
    _participation_pages(site, pages, home)

    pages.append(HtmlPage("/subscribe/", "subscribe.html", "订阅与数据下载", "订阅与数据下载", {}, home,
                          deps=everything,  # and each body's feed counts its reports
                          scalars=tuple(f"{series.organisation.slug}:{len(series.reports)}" for series in site.reports)))
    config = site.config
    if config.apply is not None:  # 依申请公开: config.yaml's 受理机构, the 条例's limits counted on the build date
        guide = apply_guide(site.build_date)
        offices = config.apply.digest_text()
        pages.append(HtmlPage("/apply/", "apply.html", "依申请公开指南", "依申请公开", {"guide": guide}, home,
                              deps=[offices, guide.digest_text()]))
        pages.append(HtmlPage("/apply/form/", "apply_form.html", "政府信息公开申请表", "依申请公开", {},
                              home + [("依申请公开指南", "/apply/")], deps=[offices]))
    words = [list(group) for group in config.synonyms]
    words += [[o.name, *o.aliases] for o in config.organisations.entries if o.aliases]
    names = [name for o in config.organisations.entries for name in (o.name, *o.aliases)]
    pages.append(HtmlPage("/search/", "search.html", "搜索", "搜索", {"search_words": words, "search_names": names}, home))
    pages.append(HtmlPage("/404.html", "404.html", "页面未找到", "页面未找到", {}, []))
    return pages


def _participation_of(site: Site, doc) -> list[str]:
    """What a document's page shows of the consultation and 决策事项 it came from."""
    view = site.participation
    shown = [view.shown(c) for c in view.of_document.get(doc.id, [])]
    item = view.item_of_document.get(doc.id)
    if item is not None:
        shown.append(f"{item.url}\x1f{item.name}")
    return shown


def _participation_pages(site: Site, pages: list[HtmlPage], home: list) -> None:
    """意见征集 (the list by year and state, one page each) and the 重大行政决策事项目录 (the years,
    each year's 目录 with progress per 事项, one page per 事项 with its trail). A consultation's
    state is read from the build date: it is in each page's reads (`status`)."""
    view = site.participation
    shown = view.shown
    pages.append(HtmlPage("/consultations/", "consultations.html", "意见征集", "意见征集",
                          {"years": view.by_year()}, home, deps=[shown(c) for c in view.consultations]))
    crumbs = home + [("意见征集", "/consultations/")]
    for consultation in view.consultations:
        item = view.item(consultation.decision) if consultation.decision else None
        feedback = consultation.feedback
        result = view.document(feedback.result) if feedback and feedback.result and consultation.status == "已反馈" else None
        pages.append(HtmlPage(consultation.url, "consultation.html", consultation.title, "意见征集",
                              {"consultation": consultation, "decision_item": item, "result": result}, crumbs,
                              deps=[consultation.digest, consultation.status, *_listed([result]),
                                    f"{item.url}\x1f{item.name}\x1f{item.in_catalogue.year}" if item else ""]))
    pages.append(HtmlPage("/decisions/", "decisions_index.html", "重大行政决策事项目录", "重大行政决策",
                          {"catalogues": view.decisions}, home, deps=[c.listed_digest for c in view.decisions]))
    crumbs = home + [("重大行政决策事项目录", "/decisions/")]
    for catalogue in view.decisions:
        linked = [c for item in catalogue.items for c in view.of_item.get(item.id, [])]
        results = [view.document(item.result) for item in catalogue.items if item.result]
        pages.append(HtmlPage(catalogue.url, "decision_catalogue.html", catalogue.title, "重大行政决策",
                              {"catalogue": catalogue}, crumbs,
                              deps=[catalogue.digest, *(shown(c) for c in linked), *_listed(results)]))
        for item in catalogue.items:
            consultations = view.of_item.get(item.id, [])
            result = view.document(item.result) if item.result else None
            pages.append(HtmlPage(item.url, "decision_item.html", item.name, "重大行政决策",
                                  {"item": item, "trail": view.trail(item)},
                                  crumbs + [(catalogue.title, catalogue.url)],
                                  deps=[catalogue.digest, *(shown(c) for c in consultations), *_listed([result])]))


def _report_pages(site: Site, pages: list[HtmlPage], home: list) -> None:
    """/reports/ and one page per 年度报告. A report page shows its own file, the figures worked
    out from it and the column's 规范性文件 (read as the cells themselves), and its neighbours' titles."""
    views = [view for series in site.reports for view in series.reports]
    years: dict[int, list] = {}
    for view in sorted(views, key=lambda v: (-v.report.year, v.report.id)):
        years.setdefault(view.report.year, []).append(view)
    charts = [(series, chart_svg(series, series.organisation.slug)) for series in site.reports]
    figures = [repr(sorted(view.cells.items())) for view in views]
    pages.append(HtmlPage("/reports/", "reports_index.html", "政府信息公开工作年度报告", "年度报告",
                          {"years": list(years.items()), "charts": charts, "chart_series": SERIES}, home,
                          deps=[*_listed([view.report for view in views]), *(repr(v.summary) for v in views)]))
    crumbs = home + [("政府信息公开工作年度报告", "/reports/")]
    for view, cells in zip(views, figures):
        neighbours = [(r.url, r.title) for r in (view.previous, view.following) if r is not None]
        pages.append(HtmlPage(view.report.url, "report.html", view.report.title, "年度报告",
                              report_context(view), crumbs,
                              deps=[view.report.digest, cells, repr(neighbours)]))
