"""Cached and incremental builds give exactly what a clean build gives, and leave unchanged files alone.

What was reused and what was made anew is read from the build's own counts (BuildResult.stats),
not from the summary it prints. Builds of the bundled content run in this process; the ones at
scale, with forked workers, in a child process."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
from pathlib import Path

import pytest

from build_helpers import Scale, cli_in_child, generated, pipeline_build, run_here, stats_in_child
from conftest import SEED_DOC, body_slug, load_yaml
from disclosure.errors import BuildFailed
from disclosure.orchestrate.write import MARKER
from messages import report
from mutation_project import dump, read_yaml
from site_scan import entries

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"


def tree(site: Path) -> dict[str, str]:
    return {name: hashlib.sha256(Path(entry.path).read_bytes()).hexdigest()
            for name, entry in entries(site) if entry.is_file()}


def inodes(site: Path) -> dict[str, int]:
    return {name: entry.stat().st_ino for name, entry in entries(site) if entry.is_file()}


def build(project: Path, output: Path, cache: Path | None = None, search: bool = True):
    """`project` built into `output` in this process (serially), with `cache` or none."""
    return pipeline_build(output, project / "content", project / "config.yaml", cache=cache, search=search)


def failed_build(project: Path, output: Path, cache: Path | None = None, search: bool = True) -> str:
    """What a build of `project` that must fail prints about its problems."""
    with pytest.raises(BuildFailed) as failed:
        build(project, output, cache, search)
    return report(failed.value.problems)


def test_unchanged_rebuild_reuses_every_file(built_project):
    project = built_project  # built once with its cache into project/site
    cache, site = project / ".cache", project / "site"
    before = inodes(site)
    stats = build(project, site, cache).stats
    assert stats.pages_rendered == 0 and stats.pages_reused == stats.pages > 0 and stats.search_reused
    assert inodes(site) == before  # hard links to the same files: nothing rewritten, mtimes kept


def test_editing_one_document_rebuilds_only_what_shows_it(built_project, tmp_path):
    project = built_project  # built once with its cache into project/site
    cache, site, clean = project / ".cache", project / "site", tmp_path / "clean"
    before = inodes(site)
    path = project / "content/documents/2023/2023-jiating-yisheng-qianyue-buzhu-banfa.md"
    text = path.read_text("utf-8")
    path.write_text(text + "\n本办法由区卫生健康局负责解释。\n", "utf-8")
    stats = build(project, site, cache).stats
    after = inodes(site)
    changed = {name for name in after if before.get(name) != after[name]}
    assert "documents/2023-jiating-yisheng-qianyue-buzhu-banfa/index.html" in changed
    for unchanged in (f"documents/{SEED_DOC}/index.html", "pages/zhinan/index.html", "tasks/index.html",
                      "bodies/caizhengju/index.html", "years/2022/index.html", "static/site.css"):
        assert unchanged not in changed, unchanged
    assert len(changed) < len(after) / 2, sorted(changed)
    assert stats.markdown_misses == 1 and stats.load_misses == 1  # only the edited text is read and converted
    build(project, clean)
    assert tree(site) == tree(clean)  # the incremental result is exactly the clean one


def test_a_cache_from_other_content_never_leaks_into_the_output(built_project, tmp_path):
    project = built_project  # built once with its cache into project/site
    cache = project / ".cache"
    path = project / DOC
    path.write_text(path.read_text("utf-8").replace("## 2022年济南市天桥区政务公开工作要点",
                                                    "## 2022年济南市天桥区政务公开工作要点（修订）"), "utf-8")
    build(project, tmp_path / "cached", cache)
    build(project, tmp_path / "clean")
    assert tree(tmp_path / "cached") == tree(tmp_path / "clean")


def test_parallel_and_serial_rendering_give_the_same_site(project, tmp_path):
    # The bundled content has fewer pages than make the build fork: the threshold is lowered, so
    # that --jobs 2 really renders on forked workers.
    args = ("--content", str(project / "content"), "--config", str(project / "config.yaml"), "--no-cache")
    serial = run_here(*args, "--output", str(tmp_path / "1"), "--jobs", "1")  # forks nothing: here
    assert serial.returncode == 0, serial.stderr
    parallel, workers = cli_in_child(*args, "--output", str(tmp_path / "2"), "--jobs", "2", scale=Scale(serial_below=50))
    assert parallel.returncode == 0, parallel.stderr
    assert workers.get("render"), workers
    assert tree(tmp_path / "1") == tree(tmp_path / "2")


def changed_files(before: dict, after: dict) -> set[str]:
    """The site's files that are new, rewritten or gone; the marker, which names the build's
    manifest, changes with any of them and is left out."""
    changed = {name for name in after if before.get(name) != after[name]} | (set(before) - set(after))
    return changed - {MARKER}


def test_a_body_only_edit_rewrites_its_own_page_and_exports_and_no_list(project, tmp_path):
    cache, site = tmp_path / "cache", project / "site"
    build(project, site, cache, search=False)
    before = inodes(site)
    doc_id = "2023-jiating-yisheng-qianyue-buzhu-banfa"
    path = project / f"content/documents/2023/{doc_id}.md"
    path.write_text(path.read_text("utf-8") + "\n本办法由区卫生健康局负责解释。\n", "utf-8")
    stats = build(project, site, cache, search=False).stats
    changed = changed_files(before, inodes(site))
    assert {name for name in changed if name.endswith(".html")} == {f"documents/{doc_id}/index.html"}
    assert f"api/documents/{doc_id}.json" in changed and "api/documents.json" in changed
    assert not any(name.startswith("feeds/") for name in changed)  # feeds show fields, not bodies
    total = len(list((project / "content").rglob("*.md"))) + len(list((project / "content").rglob("*.yaml")))
    assert (stats.load_hits, stats.load_misses) == (total - 1, 1)
    build(project, tmp_path / "clean", search=False)
    assert tree(site) == tree(tmp_path / "clean")


def test_a_title_edit_rewrites_the_lists_and_feeds_that_show_it(project, tmp_path):
    cache, site = tmp_path / "cache", project / "site"
    build(project, site, cache, search=False)
    before = inodes(site)
    path = project / "content/documents/2023/2023-jiating-yisheng-qianyue-buzhu-banfa.md"
    text = path.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title, title.rstrip() + "（修订）", 1), "utf-8")
    build(project, site, cache, search=False)
    changed = changed_files(before, inodes(site))
    assert {"index.html", "documents/index.html", "years/2023/index.html", "feeds/all.xml"} <= changed
    build(project, tmp_path / "clean", search=False)
    assert tree(site) == tree(tmp_path / "clean")


def test_an_unchanged_page_whose_link_target_disappears_still_fails_the_build(project, tmp_path):
    """The linking page is reused unrendered and its text is unchanged, yet the broken link is
    found: problems of unchanged texts come from the last build's outcomes only while every
    link still resolves the same."""
    from content_helpers import write_document

    cache, site = tmp_path / "cache", project / "site"
    content = project / "content"
    target = write_document(content, "link-target", index_no="", doc_number="")
    write_document(content, "link-source", body="详见[另一个文件](link-target.md)。")
    build(project, site, cache, search=False)
    build(project, site, cache, search=False)
    before = tree(site)
    target.unlink()
    said = failed_build(project, site, cache, search=False)
    assert "link-source.md" in said and "不存在" in said
    assert tree(site) == before  # the failed build left the previous site as it was


def test_cached_builds_report_the_same_warnings_and_never_hide_an_error(project, tmp_path):
    from content_helpers import write_document, write_interpretation

    cache, site = tmp_path / "cache", project / "site"
    content = project / "content"
    write_document(content, "late-doc", published="2026-01-05", written="2026-01-05")
    write_interpretation(content, "late-interpretation", "late-doc", "2026-01-20")
    first = build(project, site, cache, search=False)
    second = build(project, site, cache, search=False)
    assert [p for p in first.problems.warnings if "工作日" in p.message]
    assert second.problems.warnings == first.problems.warnings
    bad = write_document(content, "bad-doc", issuer="不存在的机构")
    for _ in range(2):  # the second time the file is unchanged: still an error, never a cached model
        assert "不存在的机构" in failed_build(project, site, cache, search=False)
    bad.unlink()


# Generated corpora and the thresholds that send them through forked workers: a few dozen
# documents take the paths of a few hundred (the loader hands its workers 200 files a chunk, so
# two chunks take more than 200 files).
PARSED, PARSED_SCALE = 210, Scale(parallel_from=100)
RENDERED, RENDERED_SCALE = 60, Scale(serial_below=50)


@pytest.mark.long
def test_files_parsed_on_every_core_give_the_same_site_and_the_same_errors(tmp_path):
    """Above a few hundred files the content is parsed by forked workers: same models, same
    order, same messages as one process parsing them all."""
    content = generated(PARSED, tmp_path / "content")

    def both() -> dict[str, subprocess.CompletedProcess]:
        """The build with one job, here (it forks nothing), and with two in a child process."""
        args = ("--content", str(content), "--no-cache", "--no-search")
        serial = run_here(*args, "--output", str(tmp_path / "1"), "--jobs", "1")
        parallel, workers = cli_in_child(*args, "--output", str(tmp_path / "2"), "--jobs", "2", scale=PARSED_SCALE)
        assert workers.get("parse"), workers
        return {"1": serial, "2": parallel}

    results = both()
    assert all(result.returncode == 0 for result in results.values()), results
    assert tree(tmp_path / "1") == tree(tmp_path / "2")
    broken = sorted((content / "documents").rglob("*.md"))[100]
    text = broken.read_text("utf-8")
    assert "\ntitle:" in text
    broken.write_text(text.replace("\ntitle:", "\ntitel:", 1), "utf-8")
    messages = {}
    for jobs, result in both().items():
        assert result.returncode != 0
        messages[jobs] = [line for line in (result.stdout + result.stderr).splitlines() if broken.name in line]
    assert messages["1"] and messages["1"] == messages["2"]


def test_a_task_table_edit_rebuilds_the_pages_that_list_its_tasks_and_no_other_list(built_project, tmp_path):
    project = built_project  # built once with its cache into project/site
    cache, site, clean = project / ".cache", project / "site", tmp_path / "clean"
    table = project / "content/tasks/2022-zhengwu-gongkai-renwu-fenjie.yaml"
    before = inodes(site)
    data = read_yaml(table)
    first = data["tasks"][0]
    assert "note" not in first
    first["note"] = "修改后的备注"
    table.write_text(dump(data), "utf-8")
    build(project, site, cache)
    changed = changed_files(before, inodes(site))
    unit = body_slug(load_yaml(project / "config.yaml"), first["units"][0])
    assert {"tasks/2022-zhengwu-gongkai-renwu-fenjie/index.html", f"bodies/{unit}/index.html"} <= changed
    # Body pages that list no task of this table, and pages after the first of any body, stay as they were.
    untouched = [name for name in before if name.startswith("bodies/") and name.count("/") >= 2
                 and ("/page/" in name or "2022-zhengwu-gongkai-renwu-fenjie" not in (site / name).read_text("utf-8"))]
    assert untouched, "the project has body pages without tasks of this table"
    assert not changed & set(untouched), sorted(changed & set(untouched))
    build(project, clean)
    assert tree(site) == tree(clean)


@pytest.mark.long
def test_at_scale_workers_reuse_what_is_unchanged_and_give_the_clean_site(tmp_path):
    """Above a few hundred outputs, pages, each document's JSON and the feeds are made by forked
    workers, which also link unchanged files and hand the Markdown they render to the build, which
    writes it to the cache: after a body
    edit only that document's page and JSON are new, a warm cache renders no Markdown, and the
    result is the clean build's, byte for byte."""
    import sqlite3

    cache, site, clean = tmp_path / "cache", tmp_path / "site", tmp_path / "clean"
    content = generated(RENDERED, tmp_path / "content")

    def run(output: Path, cache: Path | None = None) -> dict:
        return stats_in_child(output, content, cache=cache, search=False, jobs=2, scale=RENDERED_SCALE)

    assert run(site, cache)["workers"].get("render"), "pages made by forked workers"
    with sqlite3.connect(cache / "cache.sqlite") as db:
        assert db.execute("SELECT count(*) FROM markdown").fetchone()[0] > RENDERED, "the workers' Markdown is kept"
    before = inodes(site)
    doc = sorted((content / "documents").rglob("*.md"))[RENDERED // 2]
    text = doc.read_text("utf-8")
    doc.write_text(text.replace("\n## ", "\n本办法自发布之日起施行。\n\n## ", 1), "utf-8")
    stats = run(site, cache)
    assert stats["workers"].get("exports"), "the unchanged documents' JSON made by forked workers"
    changed = changed_files(before, inodes(site))
    own = {name for name in changed if doc.stem in name}
    # Its page, its JSON and the catalogue that lists its hash: no list page, no feed, nothing else.
    assert len(own) == 2 and changed == own | {"api/documents.json"}, sorted(changed)
    assert stats["markdown_misses"] == 1 and stats["pages_rendered"] == 1, stats  # only the edited text and page
    pipeline_build(clean, content, search=False)  # one job, here: it forks nothing
    assert tree(site) == tree(clean)
    # A warm cache and no previous site (CI restoring .cache/): every text comes from the cache.
    fresh = tmp_path / "fresh"
    stats = run(fresh, cache)
    assert stats["markdown_hits"] > 0 and stats["markdown_misses"] == 0 and stats["workers"].get("render"), stats
    assert tree(fresh) == tree(clean)
    # A damaged manifest is no manifest: nothing is reused, every text still comes from the
    # cache, and the site is again the clean build's.
    with sqlite3.connect(cache / "cache.sqlite") as db:
        assert db.execute("UPDATE records SET value = substr(value, 1, length(value) - 10) "
                          "WHERE kind = 'manifest'").rowcount >= 2
    stats = run(site, cache)
    assert stats["pages_reused"] == 0 and stats["markdown_misses"] == 0 and stats["markdown_hits"] > 0, stats
    assert tree(site) == tree(clean)


@pytest.mark.long
def test_at_scale_with_a_search_index_the_workers_hand_back_every_body(tmp_path):
    """With a search index the workers hand the HTML of every text back to the build for the
    index (without one, only what each text's links resolved to): the site, index included, is
    the one a single process makes."""
    content = generated(RENDERED)
    serial = dataclasses.asdict(pipeline_build(tmp_path / "1", content, cache=tmp_path / "cache-1").stats)  # here
    parallel = stats_in_child(tmp_path / "2", content, cache=tmp_path / "cache-2", jobs=2, scale=RENDERED_SCALE)
    assert parallel["workers"].get("render"), parallel["workers"]
    for stats in (serial, parallel):
        assert stats["markdown_hits"] == 0, stats
    assert serial["markdown_misses"] == parallel["markdown_misses"] > 0  # each text once
    two = tree(tmp_path / "2")
    assert any(name.startswith("pagefind/") for name in two)
    assert two == tree(tmp_path / "1")


def test_list_items_rendered_once_are_the_items_rendered_every_time(monkeypatch):
    """A document's list item is rendered once per build and reused on its other list pages, up
    to a bound per process; past the bound it is rendered each time. Both give the same pages."""
    from conftest import ROOT
    from disclosure.render import pages as render
    from disclosure.errors import Problems
    from disclosure.orchestrate.pipeline import BuildOptions, load_site

    import gc

    options = BuildOptions(cache=None)
    try:
        _, site = load_site(options, Problems())
        kept = render.render_site(site, options.templates, Problems()).files
        monkeypatch.setattr(render, "ROWS_KEPT", 0)
        fresh = render.render_site(site, options.templates, Problems()).files
    finally:
        gc.unfreeze()  # frozen by load_site
    assert kept == fresh
    assert sum(page.count(b'class="doc-list__item"') for page in kept.values()) > 2 * len(site.documents)
    assert ROOT / "templates" == options.templates
