"""What the build writes, replaces and trusts: the output folder, the caches in .cache/, and
what it says when a write fails (issue 15: defects 1, 2, 8, 14; pickles planted in the cache are in
test_cache.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from build_helpers import build, clean_tree, cli, snapshot, tree
from conftest import ROOT, SEED_DOC
from disclosure.orchestrate.write import MARKER


def _content_args(project: Path) -> list[str]:
    return ["--content", str(project / "content"), "--config", str(project / "config.yaml"), "--jobs", "1",
            "--cache", str(project / ".cache")]


# --- defect 1: --output replaces only a site the build made ---------------------------------------


@pytest.mark.parametrize("target", ["content", ".", "content/documents", "notes", "link-to-content", "config.yaml",
                                    ".cache", "deep/site/.."])
def test_output_that_is_not_a_site_it_made_is_refused_and_left_alone(project, capsys, monkeypatch, target):
    (project / "notes").mkdir()
    (project / "notes" / "plan.txt").write_text("不要删", "utf-8")
    (project / "link-to-content").symlink_to(project / "content")
    (project / ".cache").mkdir()
    (project / ".cache" / "keep").write_text("x", "utf-8")
    (project / "deep" / "site").mkdir(parents=True)
    monkeypatch.chdir(project)
    before = snapshot(project)
    run = cli(capsys, monkeypatch, *_content_args(project), "--output", target)
    assert run.code == 1, run.err
    assert "拒绝执行" in run.err and "保持原样" in run.err and "Traceback" not in run.err
    assert snapshot(project) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".") and ".new-" in p.name]


def test_output_inside_the_project_of_the_build_is_refused(capsys, monkeypatch, tmp_path):
    """The repository itself (its .git, build.py) is never an output, whatever else it holds."""
    monkeypatch.chdir(tmp_path)
    run = cli(capsys, monkeypatch, "--output", str(ROOT), "--cache", str(tmp_path / "cache"))
    assert run.code == 1 and "拒绝执行" in run.err
    assert (ROOT / ".git").exists() and (ROOT / "build.py").exists()


def test_a_planted_marker_does_not_make_the_project_an_output(project, capsys, monkeypatch):
    (project / MARKER).write_text('{"generator": "disclosure", "manifest": "x"}', "utf-8")
    before = snapshot(project)
    run = cli(capsys, monkeypatch, *_content_args(project), "--output", str(project))
    assert run.code == 1 and "拒绝执行" in run.err
    assert snapshot(project) == before


def test_new_empty_and_previous_outputs_are_built(project, capsys, monkeypatch):
    empty = project / "empty"
    empty.mkdir()
    for output in (project / "new" / "site", empty, empty):  # missing, empty, a site it made
        run = build(capsys, monkeypatch, project, output)
        assert run.code == 0, run.err
        assert (output / MARKER).is_file() and (output / "index.html").is_file()


def test_a_file_as_output_is_refused(project, capsys, monkeypatch):
    target = project / "site"
    target.write_text("a file", "utf-8")
    run = build(capsys, monkeypatch, project, target)
    assert run.code == 1 and "不是目录" in run.err
    assert target.read_text("utf-8") == "a file"


def test_an_output_turned_into_something_else_during_the_build_is_left_alone(built_project, capsys, monkeypatch):
    """Checked again just before the swap: a folder that is no longer the site is not replaced."""
    from disclosure.orchestrate import pipeline

    project = built_project  # built once with its cache into project/site
    site = project / "site"
    original = pipeline.write_marker

    def replace_site(staging, *args):
        original(staging, *args)
        shutil.rmtree(site)
        site.mkdir()
        (site / "report.docx").write_text("someone else's", "utf-8")

    monkeypatch.setattr(pipeline, "write_marker", replace_site)
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 1 and "拒绝执行" in run.err
    assert [p.name for p in site.iterdir()] == ["report.docx"]


# --- defect 2: nothing stale is ever reused -------------------------------------------------------


def _edit_body(project: Path, old: str, new: str) -> None:
    path = project / "content/documents/2022" / f"{SEED_DOC}.md"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_no_cache_build_between_two_builds_leaves_nothing_stale(built_project, capsys, monkeypatch):
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    _edit_body(project, "各街道办事处，区政府各部门：", "各街道办事处，区政府各部门（临时改动）：")
    assert build(capsys, monkeypatch, project, site, "--no-cache").code == 0
    _edit_body(project, "（临时改动）", "")
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    assert tree(site) == clean_tree(capsys, monkeypatch, project)
    assert "临时改动" not in (site / "documents" / SEED_DOC / "index.html").read_text("utf-8")


@pytest.mark.parametrize("other", ["another cache", "a copied site", "an edited page"])
def test_a_site_the_manifest_does_not_describe_is_not_reused(built_project, capsys, monkeypatch, other):
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    _edit_body(project, "各街道办事处，区政府各部门：", "各街道办事处，区政府各部门（临时改动）：")
    if other == "another cache":
        assert build(capsys, monkeypatch, project, site, cache=project / "other-cache").code == 0
    elif other == "a copied site":
        assert build(capsys, monkeypatch, project, project / "elsewhere", "--no-cache").code == 0
        shutil.rmtree(site)
        shutil.copytree(project / "elsewhere", site, symlinks=True)
    _edit_body(project, "（临时改动）", "")
    if other == "an edited page":  # same size, other text: a hand edit in site/
        page = site / "documents" / SEED_DOC / "index.html"
        page.write_bytes(page.read_bytes().replace("各街道".encode(), "某街道".encode(), 1))
        (site / MARKER).write_text('{"generator": "disclosure", "manifest": "edited"}', "utf-8")
    assert build(capsys, monkeypatch, project, site).code == 0
    assert tree(site) == clean_tree(capsys, monkeypatch, project)


# --- defect 8: a cache that cannot be written never fails or misreports a build -------------------


def _fail_cache_writes(monkeypatch):
    import sqlite3

    from disclosure.orchestrate.cache import Store

    def full(self, statements):
        def failing(connection):
            raise sqlite3.OperationalError("database or disk is full")
        return write(self, failing)

    write = Store.write
    monkeypatch.setattr(Store, "write", full)


@pytest.mark.parametrize("how", ["a file", "full disk"])
def test_a_cache_that_cannot_be_written_does_not_fail_the_build(built_project, capsys, monkeypatch, how):
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    _edit_body(project, "各街道办事处，区政府各部门：", "各街道办事处，区政府各部门（改动）：")
    if how == "a file":
        shutil.rmtree(project / ".cache")
        (project / ".cache").write_text("not a folder", "utf-8")
    else:
        _fail_cache_writes(monkeypatch)
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    assert "没有更新" not in run.err + run.out and "保持原样" not in run.err + run.out
    assert "缓存" in run.out and "无法写入" in run.out
    assert "改动" in (site / "documents" / SEED_DOC / "index.html").read_text("utf-8")
    monkeypatch.undo()
    assert tree(site) == clean_tree(capsys, monkeypatch, project)


# --- defect 14: damage anywhere in .cache is a miss ------------------------------------------------


def _damage(path: Path, how: str, other: bytes) -> None:
    data = path.read_bytes()
    path.unlink()
    if how == "truncated":
        path.write_bytes(data[:20])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "flipped":  # one byte changed in the middle: still a well-formed file, maybe
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1:])
    elif how == "garbage":
        path.write_bytes(os.urandom(max(64, len(data) // 3)))
    elif how == "swapped":  # another cache file's bytes
        path.write_bytes(other)
    elif how == "folder":
        path.mkdir()
    elif how == "fifo":
        os.mkfifo(path)
    elif how == "device":
        path.symlink_to("/dev/zero")


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.parametrize("how", ["truncated", "empty", "flipped", "garbage", "swapped", "folder", "fifo", "device"])
def test_every_cache_file_damaged_at_once_is_a_miss(built_project, capsys, monkeypatch, how):
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    files = _cache_files(project / ".cache")
    assert [p.name for p in files] == ["cache.sqlite"], files  # one database, its log folded in
    contents = [p.read_bytes() for p in files]
    for index, path in enumerate(files):
        _damage(path, how, contents[index - 1])
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    assert tree(site) == clean_tree(capsys, monkeypatch, project)


def test_each_cache_file_damaged_alone_is_a_miss(built_project, capsys, monkeypatch):
    """One damaged file beside intact ones: the others must not vouch for it."""
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    expected = clean_tree(capsys, monkeypatch, project)
    for path in _cache_files(project / ".cache"):
        saved = path.read_bytes()
        _damage(path, "flipped", b"")
        run = build(capsys, monkeypatch, project, site)
        assert run.code == 0, (path, run.err)
        assert tree(site) == expected, path
        if path.exists():
            path.write_bytes(saved)


def test_a_jinja_bytecode_cache_from_an_older_build_is_not_read(project, capsys, monkeypatch):
    stale = project / ".cache" / "templates" / "jinja-0123456789ab"
    stale.mkdir(parents=True)
    for name in ("__jinja2_0.cache", "__jinja2_1.cache"):
        (stale / name).write_bytes(b"j2\x00\x01 truncated")
    run = build(capsys, monkeypatch, project, project / "site")
    assert run.code == 0, run.err


# --- large attachments are streamed, and hashed once --------------------------------------------


def test_an_unchanged_attachment_is_not_read_again(project, capsys, monkeypatch):
    import hashlib

    from content_helpers import write_document

    files = project / "content" / "documents" / "test" / "files"
    files.mkdir(parents=True, exist_ok=True)
    big = files / "big.pdf"
    with open(big, "wb") as stream:  # sparse: 64 MB on paper, nothing on disk
        stream.truncate(64 << 20)
    write_document(project / "content", "2024-da-fujian", attachments=[{"file": "files/big.pdf", "title": "附件"}])
    site = project / "site"
    assert build(capsys, monkeypatch, project, site).code == 0
    published = site / "files" / "documents" / "test" / "files" / "big.pdf"
    assert published.stat().st_size == 64 << 20
    _edit_body(project, "各街道办事处，区政府各部门：", "各街道办事处，区政府各部门（改动）：")

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged attachment was read again")

    monkeypatch.setattr(hashlib, "file_digest", no_reading)
    read_bytes = Path.read_bytes

    def guarded(path):
        if path.name == "big.pdf":
            raise AssertionError("an attachment was read whole")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    assert published.stat().st_size == 64 << 20


@pytest.mark.parametrize("stop", [KeyboardInterrupt, OSError])
def test_a_failure_just_after_the_new_site_is_in_place_says_so(built_project, capsys, monkeypatch, stop):
    project = built_project  # built once with its cache into project/site
    from disclosure.orchestrate import write

    site = project / "site"
    _edit_body(project, "各街道办事处，区政府各部门：", "各街道办事处，区政府各部门（改动）：")

    def interrupted(folder):
        raise stop()

    monkeypatch.setattr(write, "remove_later", interrupted)
    run = build(capsys, monkeypatch, project, site)
    assert run.code != 0
    assert "没有更新" not in run.err and "保持原样" not in run.err, run.err
    assert "新网站已经" in run.err and "写入" in run.err, run.err
    assert "改动" in (site / "documents" / SEED_DOC / "index.html").read_text("utf-8")
