"""Render stage: each page of the plan (render/plan.py) through its Jinja2 template."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..model.classify import Site
from ..model.standing import cite, notices
from ..model.participation import late_feedback
from ..model.validate import dead_catalogue_links
from .jsonld import legislation, script_json
from ..errors import Problem, Problems
from .held_links import HeldLinkRenderer
from .markdown import Assets, LinkTargets, UncachedMarkdown
from ..load.models import CATALOGUE_AUDIENCES, CATALOGUE_LEVELS, CATALOGUE_MANNERS, DECISION_PROCEDURES, VALID
from .plan import HtmlPage, Plan, plan_outputs


def ymd(value: date | None) -> str:
    return value.isoformat() if value else ""


_HEADING_TAG = re.compile(r"<(/?)h([1-5])(?=[\s>])")


def nested(html: Markup, levels: int = 1) -> Markup:
    """Markdown rendered under a section's h2 (a consultation's draft, a report's parts): its
    headings `levels` down (h6 at most), so that its ## is an h3 and the page's outline stays in order."""
    return Markup(_HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + levels, 6)}", str(html)))


class _CompiledInMemory(jinja2.BytecodeCache):
    """Compiled templates kept in this process's memory for its next build (the preview builds
    again on every save; tests build many times in one process). Jinja keys them by template
    name and file; the code is used again only for the same source (its checksum), else compiled
    anew. Kept as code objects, which are immutable, not as bytes to unmarshal at every build.
    Never on disk: there Jinja's bytecode cache would be code loaded from .cache/, which CI
    restores from earlier runs."""

    def __init__(self):
        self.code: dict[str, tuple[str, object]] = {}  # key → (source checksum, code)

    def load_bytecode(self, bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _CompiledInMemory()


class _Environment(jinja2.Environment):
    """Jinja's environment with each template's globals a plain dict. Jinja's own, a ChainMap over
    the environment's globals, is read key by key in Python on every render and every `{% from
    ... import %}` (docs/benchmarks.md, stop 31). A plain copy is taken when the template loads, so
    PageRenderer sets the globals before it loads a template, as Jinja's documentation asks; only
    the 关怀版 toolbar's template comes first, to make the global that holds the toolbar."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def make_environment(templates: Path) -> jinja2.Environment:
    """The build's Jinja environment. A build renders with one set of templates (the preview
    makes a new environment for every build), so templates are not checked for changes on
    every use; what an earlier build in this process compiled is reused when unchanged."""
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=_COMPILED,
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ymd"] = ymd
    env.filters["nested"] = nested
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

    def __init__(self, site: Site, templates: Path, problems: Problems, plan: Plan,
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

        urls = {page.url for page in plan.pages}
        targets = LinkTargets(content.root, config.site.base_path, urls, sources, self.assets)
        dead_catalogue_links(content, urls, {item.url for item in site.held.items}, problems)
        late_feedback(content.consultations, site.build_date, config.feedback_days, problems)
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
        self.feeds = plan.feeds
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
            catalogue_columns=(CATALOGUE_AUDIENCES, CATALOGUE_MANNERS, CATALOGUE_LEVELS),
            participation=site.participation,
            zip_procedures=lambda item: list(zip(DECISION_PROCEDURES, item.procedures)),
            notices=lambda doc: notices(doc, site.build_date), cite=cite,
            legislation_json=lambda doc: jinja2.utils.markupsafe.Markup(
                script_json(legislation(doc, site, lambda path: config.site.base_url + url(path)))),
        )
        self._rows: dict[tuple[int, int], tuple] = {}
        self.env.globals["doc_row"] = self.doc_row
        # The 关怀版 toolbar is the same on every page: rendered once, not once per page.
        toolbar = self.env.get_template("components/care.html").module.care_toolbar()
        self.env.globals["care_toolbar_html"] = jinja2.utils.markupsafe.Markup(toolbar)

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

    def render(self, page: HtmlPage) -> tuple[bytes, list[Problem]]:
        """The page, and the problems its Markdown gave."""
        self._page_problems = found = []
        html = self.env.get_template(page.template).render(page=page, **page.context)
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
    plan = plan_outputs(site)
    renderer = PageRenderer(site, templates, problems, plan)
    renderer.html_by_file = {}
    output = {}
    for page in plan.pages:
        output[page.path], found = renderer.render(page)
        problems.extend(found)
    return Rendered(output, renderer.assets, renderer.html_by_file)
