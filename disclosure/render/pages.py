"""Render stage: plan every page of the site, then render each through its Jinja2 template."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from ..model.classify import Site, paginate
from ..errors import Problem, Problems
from .feeds import FeedIndex
from .held_links import HeldLinkRenderer
from .markdown import Assets, LinkTargets, UncachedMarkdown
from ..load.models import VALID


@dataclass
class PageSpec:
    url: str  # site path without the base path, e.g. /documents/x/
    template: str
    title: str
    section: str  # ColumnName: which part of the column the page belongs to
    context: dict = field(default_factory=dict)
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (title, url) above this page
    # What the page shows, for incremental builds: the content items (by digest) and the numbers
    # (pagination) it depends on, beyond what every page depends on (templates, config, nav).
    deps: list[str] = field(default_factory=list)  # digests
    scalars: tuple = ()


def _listed(items) -> list[str]:
    """A page's dependency on items as lists and links show them (their fields), not their Markdown text."""
    return [item.listed_digest if item is not None else "" for item in items]


def output_path(url: str) -> str:
    """The file a URL is served from: /a/b/ → a/b/index.html."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def plan_pages(site: Site) -> list[PageSpec]:
    """Every HTML page of the site, in a fixed order, with what each depends on."""
    size = site.config.site.page_size
    content = site.content
    everything = _listed([*site.documents, *content.interpretations, *site.task_tables])
    pages: list[PageSpec] = [PageSpec("/", "home.html", "首页", "首页", deps=everything)]

    def listing(base, template, title, section, items, crumbs, deps_of=None, extra_scalars=(), **extra):
        # deps_of(paged): what a page shows beyond its items; only those, so that no list page
        # depends on the whole site (at 100,000 documents that would be millions of entries).
        for paged in paginate(items, size, base):
            page_title = title if paged.number == 1 else f"{title}（第 {paged.number} 页）"
            pages.append(PageSpec(paged.url, template, page_title, section,
                                  {"paged": paged, "heading": title, **extra}, crumbs,
                                  deps=_listed([*paged.items, *(deps_of(paged) if deps_of else ())]),
                                  scalars=(paged.number, paged.count, paged.total, *extra_scalars)))

    home = [("首页", "/")]
    listing("/documents/", "documents.html", "政策文件", "政策文件", site.documents, home)
    for doc in site.documents:
        related = [*doc.interpretations, *doc.task_tables, *doc.repeals, *([doc.repealer] if doc.repealer else [])]
        pages.append(PageSpec(doc.url, "document.html", doc.title, "政策文件", {"doc": doc},
                              home + [("政策文件", "/documents/")], deps=[doc.digest, *_listed(related)]))

    interpretations = sorted(content.interpretations, key=lambda i: (-i.published.toordinal(), i.id))
    listing("/interpretations/", "interpretations.html", "政策解读", "政策解读", interpretations, home,
            deps_of=lambda paged: [i.document for i in paged.items if i.document])
    for item in interpretations:
        pages.append(PageSpec(item.url, "interpretation.html", item.title, "政策解读", {"item": item},
                              home + [("政策解读", "/interpretations/")], deps=[item.digest, *_listed([item.document])]))

    tables_deps = [*site.task_tables, *(t.document for t in site.task_tables)]
    pages.append(PageSpec("/tasks/", "tasks_index.html", "任务分解", "任务分解", {"tables": site.task_tables},
                          home, deps=_listed(tables_deps)))
    for table in site.task_tables:
        pages.append(PageSpec(table.url, "task_table.html", table.title, "任务分解", {"table": table},
                              home + [("任务分解", "/tasks/")], deps=[table.digest, *_listed([table.document])]))

    browse = home
    pages.append(PageSpec("/bodies/", "organisations.html", "按发布机构浏览", "按发布机构", {}, browse, deps=everything))
    for view in site.organisations:
        # The first page also lists the organisation's tasks, with due dates counted from each plan's date.
        tables = view.task_tables
        first = [*tables, *(t.document for t in tables)]
        listing(view.url, "organisation.html", view.organisation.name, "按发布机构", view.documents,
                browse + [("按发布机构浏览", "/bodies/")], view=view,
                deps_of=lambda paged, first=first: first if paged.number == 1 else ())

    pages.append(PageSpec("/years/", "years.html", "按年份浏览", "按发布年份", {}, browse, deps=everything))
    for year, docs in site.years.items():
        listing(f"/years/{year}/", "documents.html", f"{year}年发布的文件", "按发布年份", docs,
                browse + [("按年份浏览", "/years/")])

    pages.append(PageSpec("/topics/", "topics.html", "按主题浏览", "按主题", {}, browse, deps=everything))
    for view in site.topics:
        crumbs = browse + [("按主题浏览", "/topics/")]
        counts = tuple(len(child.documents) for child in view.children)
        listing(view.url, "documents.html", view.topic.name, "按主题", view.documents, crumbs,
                extra_scalars=counts, topic=view)
        for child in view.children:
            listing(child.url, "documents.html", child.topic.label, "按主题", child.documents,
                    crumbs + [(view.topic.name, view.url)], topic=child, parent=view)

    pages.append(PageSpec("/validity/", "validity.html", "按有效性浏览", "按有效性", {}, browse, deps=everything))
    crumbs = browse + [("按有效性浏览", "/validity/")]
    listing("/validity/current/", "documents.html", "现行有效的文件", "按有效性", site.current, crumbs)
    listing("/validity/invalid/", "documents.html", "已废止、已失效的文件", "按有效性", site.invalid, crumbs)
    listing("/validity/normative/", "documents.html", "现行有效的规范性文件", "按有效性", site.normative, crumbs)

    pages.append(PageSpec("/kinds/", "kinds.html", "按公文种类浏览", "按公文种类", {}, browse, deps=everything))
    for kind, docs in site.kinds:
        listing(f"/kinds/{kind.slug}/", "documents.html", f"公文种类：{kind.name}", "按公文种类", docs,
                browse + [("按公文种类浏览", "/kinds/")])

    for page in sorted(content.pages, key=lambda p: (p.order, p.id)):
        pages.append(PageSpec(page.url, "page.html", page.title, page.title, {"column_page": page}, home,
                              deps=[page.digest]))

    pages.append(PageSpec("/subscribe/", "subscribe.html", "订阅与数据下载", "订阅与数据下载", {}, home,
                          deps=everything))
    config = site.config
    words = [list(group) for group in config.synonyms]
    words += [[o.name, *o.aliases] for o in config.organisations.entries if o.aliases]
    names = [name for o in config.organisations.entries for name in (o.name, *o.aliases)]
    pages.append(PageSpec("/search/", "search.html", "搜索", "搜索", {"search_words": words, "search_names": names}, home))
    pages.append(PageSpec("/404.html", "404.html", "页面未找到", "页面未找到", {}, []))
    return pages


def ymd(value: date | None) -> str:
    return value.isoformat() if value else ""


def make_environment(templates: Path) -> jinja2.Environment:
    """The build's Jinja environment. A build renders with one set of templates (the preview
    makes a new environment for every build), so templates are not checked for changes on
    every use. Compiled templates are not kept on disk: Jinja's bytecode cache is code (and
    pickles) loaded from .cache/, which CI restores from earlier runs; compiling them all
    costs little (docs/benchmarks.md, 设计时量过的数字)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ymd"] = ymd
    return env


def static_version(templates: Path) -> str:
    """A fingerprint of the shipped static files, so browsers fetch a changed stylesheet."""
    digest = hashlib.sha256()
    for path in sorted((templates / "static").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@dataclass
class Rendered:
    files: dict[str, bytes]  # output path → page
    assets: Assets  # content files the pages link to
    html_by_file: dict[Path, str]  # content file → all Markdown rendered from it, for the search index


ROWS_KEPT = 30_000  # list items kept per process: bounds memory (docs/benchmarks.md, 设计时量过的数字)


class PageRenderer:
    """Turns page specs into HTML: the Jinja environment and the (cached) Markdown step."""

    def __init__(self, site: Site, templates: Path, problems: Problems, specs: list[PageSpec],
                 markdown_step: Callable | None = None):
        """`markdown_step(renderer, scope)` wraps the Markdown renderer (the build's cache, see
        orchestrate/mdcache.py); `scope` is what else its HTML depends on. None: no cache."""
        config, content = site.config, site.content
        self.site, self.problems = site, problems
        self.assets = Assets(content.root)

        def sources() -> dict[Path, str]:
            resolve = _Resolver()
            return {resolve(item.path): item.url for item in
                    [*content.documents, *content.interpretations, *content.pages, *content.task_tables]}

        targets = LinkTargets(content.root, config.site.base_path, {s.url for s in specs}, sources, self.assets)
        scope = f"{config.site.base_path}\0{content.root.resolve()}"  # and the code fingerprint (cache.py)
        renderer = HeldLinkRenderer(targets, site.held)
        self.markdown = markdown_step(renderer, scope) if markdown_step else UncachedMarkdown(renderer)
        self._page_problems: list[Problem] = []  # what the Markdown of the page being rendered gave
        for doc in content.documents:
            for attachment in doc.attachments:
                self.assets.register(attachment.source)
        # Content file → all Markdown rendered from it, for render_site's callers; a build's
        # workers keep none (at 100,000 documents that would be hundreds of megabytes each).
        self.html_by_file: dict[Path, str] | None = None
        self.feeds = FeedIndex(site)
        self.env = make_environment(templates)
        base = config.site.base_path

        prefix = base.rstrip("/")

        def url(path: str) -> str:
            # Site paths start with "/"; anything else (http:, mailto:) is already absolute.
            return prefix + path if path.startswith("/") else path

        self.env.globals.update(
            site=config.site, config=config, classified=site, url=url, md=self.md, VALID=VALID,
            build_date=site.build_date, static_version=static_version(templates),
            nav_pages=sorted(content.pages, key=lambda p: (p.order, p.id)),
            absolute=lambda path: config.site.base_url + url(path),
            feeds=self.feeds,
        )
        # The 关怀版 toolbar is the same on every page: rendered once, not once per page.
        toolbar = self.env.get_template("components/care.html").module.care_toolbar()
        self.env.globals["care_toolbar_html"] = jinja2.utils.markupsafe.Markup(toolbar)
        self._rows: dict[tuple[int, int], tuple] = {}
        self.env.globals["doc_row"] = self.doc_row

    def compile(self, names) -> None:
        """Compile these templates and the components they use now, in this process: forked
        workers then share them instead of each compiling its own (templates are not cached on
        disk, see make_environment)."""
        for name in sorted({*names, *(t for t in self.env.list_templates() if t.startswith("components/"))}):
            self.env.get_template(name)

    def doc_row(self, doc, heading_level: int):
        """A document's item in a list (macro doc_item), rendered once per build and level: the
        same document is listed on six or seven pages. At most ROWS_KEPT are kept per process,
        so memory stays bounded at 100,000 documents (each worker would otherwise hold a few
        hundred megabytes of them); past that, items are rendered each time."""
        key = (id(doc), heading_level)
        row = self._rows.get(key)
        if row is not None:
            return row[1]
        item = self.env.get_template("components/macros.html").module.doc_item(doc, heading_level)
        if len(self._rows) < ROWS_KEPT:
            self._rows[key] = (doc, item)  # holding doc keeps its id from being reused
        return item

    def md(self, item, text: str | None = None, line: int | None = None):
        source = item.body if text is None else text
        rendering = self.markdown.render(source, item.path, item.body_line if line is None else line)
        self._page_problems.extend(rendering.problems)
        if self.html_by_file is not None:
            self.html_by_file[item.path] = self.html_by_file.get(item.path, "") + rendering.html
        return jinja2.utils.markupsafe.Markup(rendering.html)

    def render(self, spec: PageSpec) -> tuple[bytes, list[Problem]]:
        """The page, and the problems its Markdown gave."""
        self._page_problems = found = []
        html = self.env.get_template(spec.template).render(page=spec, **spec.context)
        return html.encode("utf-8"), found

    def body_html(self, item, report: bool = True) -> str:
        """All Markdown of an item as its page renders it: the body, then any Q&A answers; with
        `report`, the problems it gives go to the build's."""
        renderings = [self.markdown.render(text, item.path, line) for text, line in _texts(item)]
        if report:
            for rendering in renderings:
                self.problems.extend(rendering.problems)
        return "".join(rendering.html for rendering in renderings)

    def rendered_body(self, item) -> str | None:
        """`body_html` of an item whose texts this process rendered or read in the current batch
        of pages, from memory; None if it did not."""
        parts = [self.markdown.batch_html(text, item.path, line) for text, line in _texts(item)]
        return None if None in parts else "".join(parts)

    def learn_markdown_keys(self, items, places: dict) -> None:
        """See CachedMarkdown.learn_keys: `items` are this build's, whose texts the workers rendered."""
        self.markdown.learn_keys([(text, item.path, line) for item in items for text, line in _texts(item)], places)

    def check_links(self, item) -> bool:
        """Report the problems an item's Markdown gives without rendering or reading back its
        HTML, when the last build saw the same text and its links still resolve the same."""
        found = self.markdown.problems_without_html([(text, item.path, line) for text, line in _texts(item)])
        if found is not None:
            self.problems.extend(found)
        return found is not None

    def links(self, item) -> str:
        """A digest of what the item's links resolved to (after `check_links` or `body_html`)."""
        return self.markdown.links([(text, item.path, line) for text, line in _texts(item)])


class _Resolver:
    """Path.resolve for many files in few folders: each folder is resolved once, and only a file
    that is itself a symbolic link is resolved in full."""

    def __init__(self):
        self.folders: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        if os.path.islink(path):
            return path.resolve()
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = path.parent.resolve()
        return folder / path.name


def _texts(item):
    yield item.body, item.body_line
    for pair in getattr(item, "qa", []):
        yield pair.answer, item.lines.get("qa", 1)


def render_site(site: Site, templates: Path, problems: Problems) -> Rendered:
    """Render every page of the site in this process (checks and tests; builds use parallel.py)."""
    specs = plan_pages(site)
    renderer = PageRenderer(site, templates, problems, specs)
    renderer.html_by_file = {}
    output = {}
    for spec in specs:
        output[output_path(spec.url)], found = renderer.render(spec)
        problems.extend(found)
    return Rendered(output, renderer.assets, renderer.html_by_file)
