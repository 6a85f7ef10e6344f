"""Shared fixtures: the real site built once, copies of the content to break, and helpers.

The tests are in three folders: tests/unit (in this process: fields, validation messages, classes,
tokens), tests/build (whole builds, in a child process or through the command line's entry point:
equivalence, caches, the atomic swap, the command line, the preview server) and tests/browser
(pages in headless Chromium). The modules beside this file are the helpers they share; pytest.ini
puts this folder on the import path."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
# Builds in tests (in this process and in child processes) see the bundled content as a tarball
# gives it, without this repository's git history: they compare it with builds of copies, which
# have none. The 更正记录 has tests of its own (tests/unit/test_history.py,
# tests/build/test_history_build.py) with repositories they make outside ROOT.
os.environ["GIT_CEILING_DIRECTORIES"] = str(ROOT)
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
UNIT_TESTS = Path(__file__).resolve().parent / "unit"
SEED_DOC = "2022-zhengwu-gongkai-gongzuo-yaodian"
SEED_TASKS = "2022-zhengwu-gongkai-renwu-fenjie"
# A fixed build date keeps the tests independent of when and where they run (2026-11-26, UTC+8).
EPOCH = "1795622400"


def pytest_configure(config):
    """Fewer, larger collections of young objects in the test processes: they keep many objects
    for the whole run (sites parsed once a session, Hypothesis's own), which Python's default
    thresholds had the collector walk again and again (docs/benchmarks.md). Builds in child
    processes keep the defaults."""
    gc.set_threshold(50_000, 20, 20)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests are the tests in tests/browser/, and only those: they get the `browser` marker
    there (`-m "not browser"` still works), and a test elsewhere that opens pages is refused. Tests
    in tests/unit/ never read the built site. Tests marked `long` run first, so that in a parallel
    run no worker starts one of them when the others are nearly done."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        elif item.get_closest_marker("browser") or "browser_site" in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid} opens a browser: browser tests belong in tests/browser/")
        if UNIT_TESTS in item.path.parents and "site" in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid} reads the built site: such tests belong in tests/build/")
    items.sort(key=lambda item: item.get_closest_marker("long") is None)  # stable: otherwise as collected


def private_cache() -> Path:
    """This process's build cache, for the builds that name none: never the project's .cache/ (which
    the developer's own builds use, and which two test processes would write at once)."""
    global _CACHE
    if _CACHE is None:
        import atexit
        import tempfile

        _CACHE = Path(tempfile.mkdtemp(prefix="disclosure-tests-cache-"))
        atexit.register(shutil.rmtree, _CACHE, True)
    return _CACHE


_CACHE: Path | None = None


def run_build(*args: str, env_date: str | None = EPOCH, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python build.py *args` in a child process, with this process's cache unless told otherwise."""
    import os

    if not {"--cache", "--no-cache"} & set(args) and args[:1] != ("serve",):
        args = (*args, "--cache", str(private_cache()))
    test = os.environ.get("PYTEST_CURRENT_TEST", "")
    assert not test.startswith("tests/unit/"), f"{test}: tests/unit/ builds in this process (build_helpers, messages)"
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    if env_date:
        env["SOURCE_DATE_EPOCH"] = env_date
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                            cwd=cwd, env=env, timeout=300)
    check_published(args, result.returncode, cwd)
    return result


def check_published(args, code: int, cwd: Path = ROOT) -> None:
    """After every build a test makes: nothing in the site that must never be published."""
    from site_scan import scan

    if code != 0 or (args and args[0] in ("check", "serve", "new")) or "--output" not in args:
        return
    output = cwd / args[list(args).index("--output") + 1]
    if output.is_dir():
        findings = scan(output)
        assert not findings, "\n".join(findings[:20])


def build_into(output: Path, content: Path | None = None, config: Path | None = None, *extra: str):
    args = ["--output", str(output)]
    if content:
        args += ["--content", str(content)]
    if config:
        args += ["--config", str(config)]
    return run_build(*args, *extra)


def html(site: Path, url: str, only: str | None = None) -> BeautifulSoup:
    """The page at `url`, parsed; with `only` (a tag name), just those elements of it (parsing a
    whole page costs ten times as much)."""
    from bs4 import SoupStrainer

    path = site / url.strip("/") / "index.html" if not url.endswith(".html") else site / url.lstrip("/")
    assert path.is_file(), f"{url} was not built ({path})"
    return BeautifulSoup(path.read_text("utf-8"), "html.parser", parse_only=SoupStrainer(only) if only else None)


def load_yaml(path: Path):
    """YAML as the build reads it (YAML 1.2 booleans: the task key `no` stays a key)."""
    from disclosure.errors import Problems
    from disclosure.load.source import parse_yaml

    return parse_yaml(path, path.read_text("utf-8"), Problems())


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The bundled content built once, as `make site` builds it."""
    output = tmp_path_factory.mktemp("built") / "site"
    result = build_into(output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="module")
def browser_site(site, request):
    """The built site served locally and a headless Chromium: (origin, browser). Both are shared by
    the browser tests of a test process (browser.shared_chromium); the browser is closed before any
    other test runs in the process: while Playwright's sync API is open, its event loop runs in the
    process's main thread, where other tests (tornado's) need theirs."""
    from browser import served, shared_chromium  # Playwright only for the tests that open pages

    return served(site), shared_chromium(request.config)


@pytest.fixture(scope="session")
def search_records():
    """The search records of the bundled content, made in this process as the build makes them."""
    import gc

    from disclosure.errors import Problems
    from disclosure.orchestrate.pipeline import load_site
    from disclosure.render.pages import render_site
    from disclosure.search.records import build_records
    from messages import build_date, options

    problems = Problems()
    with build_date():
        try:
            _, classified = load_site(options(ROOT), problems)
            return build_records(classified, render_site(classified, options(ROOT).templates, problems).html_by_file)
        finally:
            gc.unfreeze()  # frozen by load_site


@pytest.fixture(scope="session")
def config_data():
    return load_yaml(ROOT / "config.yaml")


@pytest.fixture(scope="session")
def seed_tasks():
    return load_yaml(ROOT / "content" / "tasks" / f"{SEED_TASKS}.yaml")


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """An empty content folder; messages name paths relative to the folder above it."""
    root = tmp_path / "content"
    for folder in ("documents", "interpretations", "tasks", "pages"):
        (root / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return root


@pytest.fixture
def project(tmp_path) -> Path:
    """A private copy of content/ and config.yaml that a test may break."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    return tmp_path


@pytest.fixture(scope="session")
def _first_build(tmp_path_factory) -> tuple[Path, Path]:
    """The small project of tests/mutation_project.py (the bundled content and config.yaml, texts
    shortened, every content type and relation kept; the bundled templates) built once with its own
    cache (site/ and .cache/ beside them), as build_helpers.build builds, and a copy of the folder
    as that build left it. A fifth of the bundled site's pages: the cache and output tests build
    it again and again."""
    from build_helpers import run_here

    from mutation_project import make_project

    folder = make_project(tmp_path_factory.getbasetemp() / "built-project")
    shutil.rmtree(folder / "templates")
    result = run_here("--content", str(folder / "content"), "--config", str(folder / "config.yaml"),
                      "--output", str(folder / "site"), "--jobs", "1", "--cache", str(folder / ".cache"))
    assert result.returncode == 0, result.stderr
    saved = tmp_path_factory.getbasetemp() / "built-project-as-built"
    shutil.copytree(folder, saved, symlinks=True)
    return folder, saved


@pytest.fixture
def built_project(_first_build, request, tmp_path) -> Path:
    """The small project after its first build with a cache into project/site: what most cache
    and output tests start from, built once per test process. The cache and the manifest name the folders
    they were made for, so the folder is always the same one, put back as that build left it
    (files copied with their times; this process forgets the cache's open database, as a new
    folder would have none). A failed test's folder is copied to its tmp_path for a look."""
    folder = put_back(_first_build)
    yield folder
    _forget_stores(folder)
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        shutil.copytree(folder, tmp_path / "project", symlinks=True)


def put_back(first_build: tuple[Path, Path]) -> Path:
    """The folder of `_first_build` as that build left it (see `built_project`)."""
    folder, saved = first_build
    _forget_stores(folder)
    # A build onto an existing site leaves the old one to a detached `rm` (orchestrate/write.py
    # remove_later), which may still be deleting inside the folder: what it removed first is fine.
    shutil.rmtree(folder, onerror=_unless_gone)
    shutil.copytree(saved, folder, symlinks=True)
    return folder


def _unless_gone(function, path, error) -> None:
    if not isinstance(error[1], FileNotFoundError):
        raise error[1]


def _forget_stores(folder: Path) -> None:
    """Close and drop this process's cache databases under `folder` (orchestrate/cache.Store)."""
    import os

    from disclosure.orchestrate.cache import Store

    inside = os.path.abspath(folder) + os.sep
    for name in [name for name in Store._all if (name + os.sep).startswith(inside)]:
        Store.forget(Path(name))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report on the test item (report_setup, report_call…), for fixtures that act
    on a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def body_slug(config_data, name: str) -> str:
    for body in config_data["bodies"]:
        if name == body["name"] or name in (body.get("aliases") or []):
            return body["slug"]
    raise AssertionError(f"{name} is not in config.yaml")
