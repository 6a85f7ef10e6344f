"""Cached and incremental builds give exactly what a clean build gives, and leave unchanged files alone."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import SEED_DOC, run_build

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"


def tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def build(project: Path, output: Path, *extra: str):
    result = run_build("--content", str(project / "content"), "--config", str(project / "config.yaml"),
                       "--output", str(output), *extra)
    assert result.returncode == 0, result.stderr
    return result


def test_unchanged_rebuild_reuses_every_file(project, tmp_path):
    cache, site = tmp_path / "cache", project / "site"
    build(project, site, "--cache", str(cache))
    before = inodes(site)
    result = build(project, site, "--cache", str(cache))
    assert "新生成 0" in result.stdout and "沿用上次索引" in result.stdout
    assert inodes(site) == before  # hard links to the same files: nothing rewritten, mtimes kept


def test_editing_one_document_rebuilds_only_what_shows_it(project, tmp_path):
    cache, site, clean = tmp_path / "cache", project / "site", tmp_path / "clean"
    build(project, site, "--cache", str(cache))
    before = inodes(site)
    path = project / "content/documents/2023/2023-jiating-yisheng-qianyue-buzhu-banfa.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("\n## ", "\n本办法由区卫生健康局负责解释。\n\n## ", 1), "utf-8")
    result = build(project, site, "--cache", str(cache))
    after = inodes(site)
    changed = {name for name in after if before.get(name) != after[name]}
    assert "documents/2023-jiating-yisheng-qianyue-buzhu-banfa/index.html" in changed
    for unchanged in (f"documents/{SEED_DOC}/index.html", "pages/zhinan/index.html", "tasks/index.html",
                      "bodies/caizhengju/index.html", "years/2022/index.html", "static/site.css"):
        assert unchanged not in changed, unchanged
    assert len(changed) < len(after) / 2, sorted(changed)
    assert "正文缓存 命中" in result.stdout
    build(project, clean, "--no-cache")
    assert tree(site) == tree(clean)  # the incremental result is exactly the clean one


def test_a_cache_from_other_content_never_leaks_into_the_output(project, tmp_path):
    cache = tmp_path / "cache"
    build(project, project / "site", "--cache", str(cache))
    path = project / DOC
    path.write_text(path.read_text("utf-8").replace("## 2022年济南市天桥区政务公开工作要点",
                                                    "## 2022年济南市天桥区政务公开工作要点（修订）"), "utf-8")
    build(project, tmp_path / "cached", "--cache", str(cache))
    build(project, tmp_path / "clean", "--no-cache")
    assert tree(tmp_path / "cached") == tree(tmp_path / "clean")


def test_parallel_and_serial_rendering_give_the_same_site(project, tmp_path):
    build(project, tmp_path / "one", "--no-cache", "--jobs", "1")
    build(project, tmp_path / "two", "--no-cache", "--jobs", "2")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
