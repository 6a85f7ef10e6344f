"""The build, in one place: load → validate → classify → render → index → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .builddate import build_date as find_build_date
from .classify import Site, classify
from .config import Config, load_config
from .errors import BuildFailed, Problems
from .changes import load_previous
from .exports import build_notes, export_files, sitemap
from .feeds import feed_files
from .load import load_content, resolve_due_dates
from .render import render_site
from .validate import validate
from .search.pagefind import write_index
from .search.records import build_records
from .write import staged, write_files

PROJECT = Path(__file__).resolve().parent.parent


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


@dataclass
class BuildResult:
    site: Site
    pages: int
    files: int
    date_source: str
    problems: Problems
    notes: list[str] = field(default_factory=list)  # lines for the build log: scheduled content, changes


class Progress:
    """What the build is working on, so an unexpected failure can name it."""

    current = ""


def check(options: BuildOptions, problems: Problems) -> tuple[Config, Site] | None:
    """Load and validate everything without writing; None if there were errors."""
    Progress.current = str(options.config)
    config = load_config(options.config, problems)
    if config is None:
        return None
    config = config.with_base(options.base_url, options.base_path)
    Progress.current = str(options.content)
    content = load_content(options.content, config, problems)
    validate(content, problems)
    if problems.errors:
        return None
    resolve_due_dates(content)
    today, _ = find_build_date(content)
    return config, classify(content, config, today)


def check_rendered(options: BuildOptions, problems: Problems) -> None:
    """What `check` runs: everything `build` validates, including the links and HTML found while
    rendering, but nothing is written."""
    checked = check(options, problems)
    if checked is not None:
        Progress.current = "页面渲染"
        render_site(checked[1], options.templates, problems)


def build(options: BuildOptions) -> BuildResult:
    problems = Problems()
    checked = check(options, problems)
    if checked is None:
        raise BuildFailed(problems)
    config, site = checked
    previous = load_previous(options.previous, problems)
    if problems.errors:
        raise BuildFailed(problems)
    _, source = find_build_date(site.content)
    Progress.current = "页面渲染"
    rendered = render_site(site, options.templates, problems)
    files, assets = rendered.files, rendered.assets
    if problems.errors:
        raise BuildFailed(problems)
    page_urls = [_url_of(path) for path in files]
    files["sitemap.xml"] = sitemap(site, sorted(page_urls))
    files.update(export_files(site, previous, rendered.bodies))
    files.update(feed_files(site))
    copies = {path.lstrip("/"): source_path for source_path, path in assets.files.items()}
    static = options.templates / "static"
    for path in sorted(static.rglob("*")):
        if path.is_file():
            copies["static/" + path.relative_to(static).as_posix()] = path
    with staged(options.output) as staging:
        Progress.current = str(options.output)
        write_files(staging, files, copies)
        if options.search:
            Progress.current = "搜索索引"
            write_index(build_records(site, rendered.bodies), staging / "pagefind", config.site.base_path)
    return BuildResult(site, len(page_urls), len(files) + len(copies), source, problems,
                       build_notes(site, files, previous))


def _url_of(output_path: str) -> str:
    if output_path.endswith("index.html"):
        return "/" + output_path[: -len("index.html")]
    return "/" + output_path
