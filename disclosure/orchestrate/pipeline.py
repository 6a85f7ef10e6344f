"""The build, in one place: load → validate → classify → render → index → write."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .builddate import build_date as find_build_date
from .cache import Store, close_all
from .cache import key as cache_key
from ..model.classify import Site, classify
from ..load.config import Config, load_config
from ..errors import BuildFailed, Problems, display_path
from ..render.changes import load_previous
from ..render.desk import shipped_files
from ..render.exports import build_notes
from ..load.filetypes import refusal
from ..load.history import read_history
from ..load.loader import load_content
from .forkpool import fork_pool
from .loadcache import LoadCache
from .mdcache import CachedMarkdown
from .incremental import FileDigests, Manifest, Reuse, global_key
from .outputs import OutputMaker
from .parallel import fork_map, make_outputs
from .progress import Progress, Stats, Whereabouts
from ..render.pages import PageRenderer, render_site
from ..render.plan import DocumentJson, FeedFile, HtmlPage, Plan, SearchIndex, SiteFile, plan_outputs
from ..search.records import records_digest
from ..model.validate import validate
from ..search.records import build_records
from .write import OutputRefused, check_output, staged, write_marker

PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class BuildOptions:
    content: Path = PROJECT / "content"
    output: Path = PROJECT / "site"
    config: Path = PROJECT / "config.yaml"
    templates: Path = PROJECT / "templates"
    base_url: str | None = None
    base_path: str | None = None
    search: bool = True
    previous: str | None = None  # an earlier api/documents.json (path or URL) for api/changes.json
    jobs: int | None = None  # worker processes for rendering; None: one per core
    cache: Path | None = PROJECT / ".cache"  # Markdown cache and build manifests; None: no cache
    # The preview: the pages go live first and the search index follows in the background
    # (BuildResult.index_search), so indexing never delays a reload.
    defer_search: bool = False
    # Outputs changed outside the build since its manifest was written (the preview's quick
    # re-render of an edited page): never reused, whatever their recorded key says.
    stale: frozenset[str] = frozenset()
    # The day the site shows (the preview's today); None: SOURCE_DATE_EPOCH, the last commit, or
    # the content's newest date (orchestrate/builddate.py).
    build_date: date | None = None
    # Read the content's git history for the 更正记录 (load/history.py).
    history: bool = True


@dataclass
class BuildResult:
    site: Site
    pages: int
    files: int
    date_source: str
    problems: Problems
    notes: list[str] = field(default_factory=list)  # lines for the build log: scheduled content, changes
    stats: Stats = field(default_factory=Stats)
    index_search: Callable[[], int] | None = None  # with defer_search: writes the index, returns records
    rendered: dict[str, str] = field(default_factory=dict)  # page output path → content hash, pages rendered anew
    # What the preview keeps to re-render an edited page at once: the renderer and the plan.
    renderer: object = None
    plan: Plan | None = None


def load_site(options: BuildOptions, problems: Problems, at: Whereabouts | None = None) -> tuple[Config, Site] | None:
    """Load and validate everything without writing; None if there were errors."""
    at = at or Whereabouts()
    at.now = str(options.config)
    config = load_config(options.config, problems)
    if config is None:
        return None
    config = config.with_base(options.base_url, options.base_path)
    at.now = str(options.content)
    cache = LoadCache(options.cache, config, options.content) if options.cache else None
    content = load_content(options.content, config, problems, cache, options.jobs, Progress("读取内容"), pool=fork_pool)
    # The content's objects live as long as the site: out of the collector's sight (see _render_and_write).
    gc.freeze()
    relations = validate(content, problems)
    if problems.errors:
        return None
    if options.history:  # one pass over the content's git history for every document's 更正记录
        history = read_history(options.content, {doc.id: doc.published for doc in content.documents})
        relations.corrections, relations.history_note = history.corrections, history.note
    if options.build_date:
        today, source = options.build_date, "预览当天的日期"
    else:
        today, source = find_build_date(content)  # asked once: it may run git
    return config, classify(content, relations, config, today, source)


def check_site(options: BuildOptions, problems: Problems) -> None:
    """What `check` runs: everything `build` validates, including the links and HTML found while
    rendering, but nothing is written."""
    at = Whereabouts()
    try:
        with at.naming_failures():
            checked = load_site(options, problems, at)
            if checked is not None:
                at.now = "页面渲染"
                render_site(checked[1], options.templates, problems)
    finally:
        close_all()
        gc.unfreeze()


def build(options: BuildOptions) -> BuildResult:
    at = Whereabouts()
    try:
        with at.naming_failures():
            return _check_and_build(options, at)
    finally:
        # The cache's database left whole in its one file (closing folds its log in), failed or not.
        close_all()
        gc.unfreeze()  # frozen by load_site and _render_and_write; the preview builds again and again in one process


def _guarded(options: BuildOptions) -> dict:
    """What `staged` needs to refuse an output folder that the build must never replace: one
    that holds the content, config, templates, cache or project, or is not a site it made."""
    keep = [options.content, options.config, options.templates, PROJECT / ".git", PROJECT / "build.py"]
    if options.cache:
        keep.append(options.cache)
    return {"keep": keep, "ours": [options.cache] if options.cache else []}


def _refuse(options: BuildOptions, problems: Problems, refused: OutputRefused):
    problems.add(options.output, 0, str(refused), "请用 --output 指定一个新目录，或本程序以前生成的网站目录（如 site/）")
    raise BuildFailed(problems) from None


@contextlib.contextmanager
def _staged(options: BuildOptions, problems: Problems):
    try:
        with staged(options.output, **_guarded(options)) as staging:
            yield staging
    except OutputRefused as refused:
        _refuse(options, problems, refused)


def _check_and_build(options: BuildOptions, at: Whereabouts) -> BuildResult:
    stats = Stats()
    problems = Problems()
    try:  # before the work, so that a wrong --output is refused at once
        check_output(options.output, **_guarded(options))
    except OutputRefused as refused:
        _refuse(options, problems, refused)
    with stats.stage("读取校验"):
        checked = load_site(options, problems, at)
    if checked is None:
        raise BuildFailed(problems)
    config, site = checked
    stats.load_hits, stats.load_misses = site.content.load_hits, site.content.load_misses
    previous = load_previous(options.previous, problems)
    if problems.errors:
        raise BuildFailed(problems)
    with stats.stage("页面"):
        plan = plan_outputs(site)
    # Without a cache the Markdown still goes through a scratch one: the workers render it once
    # and the exports and the search index read it back instead of converting it again.
    scratch = None if options.cache else Path(tempfile.mkdtemp(prefix="disclosure-markdown-"))
    try:
        return _render_and_write(options, at, stats, problems, config, site, previous, plan, options.cache or scratch)
    finally:
        if scratch:
            Store.forget(scratch)
            shutil.rmtree(scratch, ignore_errors=True)


def _render_and_write(options, at, stats, problems, config, site, previous, plan, markdown_cache) -> BuildResult:
    source = site.date_source
    renderer = PageRenderer(site, options.templates, problems, plan,
                            lambda markdown, scope: CachedMarkdown(markdown, markdown_cache, scope))
    base_key = global_key(site, options.templates, options.config)
    manifest = Manifest.load(options.cache, options.output)
    # The site's hundreds of thousands of objects live until the build ends: out of the
    # collector's sight, each full collection (in this process and in the forked workers, where
    # it would also copy every page it touches) no longer walks them all.
    gc.freeze()
    digests = FileDigests(options.cache)
    outputs = plan.outputs
    with _staged(options, problems) as staging:
        reuse = Reuse(manifest, options.output, staging, options.stale)
        maker = OutputMaker(site, plan, renderer, reuse, manifest, base_key)
        pages = plan.of(HtmlPage)
        with stats.stage("页面"):
            at.now = "页面渲染"
            todo = [index for index in pages if not reuse.link(outputs[index].path, maker.key(index))]
            # A document's own file is made right after its page, while the page's HTML is at hand.
            page_index = {id(outputs[index]): index for index in todo}
            follow = {page_index[id(outputs[index].follows)]: index for index in plan.of(DocumentJson)
                      if id(outputs[index].follows) in page_index}
            if todo:
                renderer.compile({outputs[index].template for index in todo})
            made, rendered, markdown_keys = {}, {}, {}
            for batch in make_outputs(maker, todo, follow, plan.of(FeedFile), options.jobs, Progress("生成页面"),
                                      hand_html=options.search):
                # The Markdown problems a page found are found again, once per file, by body_html below
                # (which also covers pages reused unrendered), so the batches' copies are dropped.
                renderer.assets.files.update(batch.assets)
                renderer.markdown.accept_batch(batch.markdown_outcomes, batch.markdown_fresh, batch.markdown_read)
                stats.markdown_hits += batch.hits
                stats.markdown_misses += batch.misses
                made.update(batch.made)
                rendered.update((result.path, result.digest) for _, result in batch.made if result.digest)
                renderer.markdown.merge_keys_by_place(markdown_keys, batch.markdown_keys)
            renderer.learn_markdown_keys(_items(site), markdown_keys)
        stats.pages, stats.pages_reused = len(pages), len(pages) - len(todo)
        stats.pages_rendered = len(todo)
        with stats.stage("导出订阅"):
            at.now = "导出文件"
            maker.body_html = body_html = _body_html(site, renderer, need_all=options.search)
            _check_assets(renderer.assets.files, problems)
            if problems.errors:
                raise BuildFailed(problems)
            before = reuse.linked
            rest = [index for index in plan.of(DocumentJson) + plan.of(FeedFile) if index not in made]
            made.update(zip(rest, fork_map(lambda n: maker(rest[n]), len(rest), options.jobs)))
            materials = maker.materials
            materials.records = maker.record(made)
            materials.previous, materials.page_urls = previous, [outputs[index].url for index in pages]
            files = {}
            for index in plan.of(SiteFile):
                files[outputs[index].path] = data = outputs[index].make(materials).data
                reuse.write(outputs[index].path, data)
            copies = {path.lstrip("/"): source_path for source_path, path in renderer.assets.files.items()}
            static = options.templates / "static"
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    copies["static/" + path.relative_to(static).as_posix()] = path
            copies.update(shipped_files(site.config))
            for relative, source_path in sorted(copies.items()):
                reuse.copy(relative, source_path, digests)
            stats.files_reused = reuse.linked - before
            exported = len(made) - len(todo) + len(files) + len(copies)
            stats.files_written = exported - stats.files_reused
        deferred = None
        index = outputs[plan.of(SearchIndex)[0]]
        if options.search and options.defer_search:
            reuse.link_tree(index.path)  # the last index answers until the new one is in place
            deferred = _deferred_index(site, renderer, options.output.resolve(), options.cache)
        elif options.search:
            with stats.stage("搜索索引"):
                at.now = "搜索索引"
                records = build_records(site, body_html)
                stats.search_records = len(records)
                search_key = index.key(base_key, cache_key("search", records_digest(records, config.site.base_path)))
                if manifest.search == search_key and reuse.link_tree(index.path):
                    stats.search_reused = True
                else:
                    from ..search.writer import write_index  # numpy and cbor2 only when indexing

                    write_index(records, staging / index.path, config.site.base_path, options.jobs,
                                progress=Progress, pool=fork_pool)
                reuse.current.search = search_key
        notes = build_notes(site, files.get("api/changes.json"), previous)
        if site.history_note:
            notes.append(site.history_note)
        # The marker names the manifest the site was made with; the caches are written before
        # the site replaces the old one, and a cache that cannot be written only costs time, so
        # nothing after the swap can fail and what the build says stays true.
        identity = reuse.current.identity()
        write_marker(staging, identity, options.output)
        kept = [reuse.current.save(options.cache, options.output, identity, manifest), digests.save(),
                renderer.markdown.save()]
        if not all(kept):
            notes.append(f"警告：缓存目录 {display_path(options.cache)}/ 无法写入，网站已正常生成，"
                         "但下次构建不能沿用这次的结果，会慢一些。请检查磁盘空间和目录权限。")
    return BuildResult(site, len(pages), exported, source, problems, notes, stats, deferred, rendered, renderer, plan)


def _deferred_index(site: Site, renderer: PageRenderer, output: Path, cache: Path | None) -> Callable[[], int]:
    """The search index as a job to run once the site is in place (in a process of its own, which
    the preview stops when the next change comes). It replaces output/pagefind/ in one rename,
    and does nothing when the records are those the current index was made from (their key is
    kept in the cache, as the search key of this output folder)."""

    def index() -> int:
        records = build_records(site, {item.path: renderer.body_html(item, report=False) for item in _items(site)})
        key = cache_key("search", records_digest(records, site.config.site.base_path))
        current = output / "pagefind"
        kept = Store.at(cache) if cache else None
        if kept and current.is_dir() and kept.record("search", Manifest.name(output)) == key.encode():
            return len(records)
        from ..search.writer import write_index

        fresh = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=output))
        write_index(records, fresh, site.config.site.base_path, jobs=1)  # a core stays free for rebuilds
        os.chmod(fresh, 0o755)
        retired = output / f".pagefind-old-{os.getpid()}"
        if current.exists():
            current.rename(retired)
        fresh.rename(current)
        shutil.rmtree(retired, ignore_errors=True)
        if kept:
            kept.put_record("search", Manifest.name(output), key.encode())
            close_all()
        return len(records)

    return index


def _items(site: Site) -> list:
    """What has Markdown of its own."""
    return [*site.documents, *site.content.interpretations, *site.content.pages]


def _body_html(site: Site, renderer: PageRenderer, need_all: bool) -> dict:
    """Every item's rendered Markdown where it is needed (the search index needs all of it).

    This is also where the problems of every item's Markdown are reported once, including the
    items whose pages were reused unrendered: for an unchanged text whose links still resolve
    as before they come from the last build's outcomes, without reading its HTML back.
    """
    body_html = {}
    for item in _items(site):
        if need_all or not renderer.check_links(item):
            body_html[item.path] = renderer.body_html(item)
    return body_html


def _url_of(output_path: str) -> str:
    if output_path.endswith("index.html"):
        return "/" + output_path[: -len("index.html")]
    return "/" + output_path


def _check_assets(files: dict[Path, str], problems: Problems) -> None:
    """Every file about to be published under /files/ is looked at once more, as it is now: the
    checks made when it was first linked may come from a cache, and its bytes may have changed."""
    published: dict[str, Path] = {}
    for source in sorted(files):
        refused = refusal(source)
        if refused is not None:
            problems.add(source, 0, f"附件文件“{source.name}”{refused[0]}", refused[1])
        # Names are made apart (markdown._ascii_segment); a name written to look like another's
        # made-up name is the one way left to meet, and it must not overwrite a file.
        other = published.setdefault(files[source].lower(), source)
        if other != source:
            problems.add(source, 0, f"附件文件“{source.name}”与“{display_path(other)}”会发布成同一个网址 {files[source]}",
                         "请给其中一个文件改名（文件名用小写英文字母、数字和连字符最稳妥）")
