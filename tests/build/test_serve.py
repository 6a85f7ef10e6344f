"""`build.py serve`: a real preview server in a subprocess, edited the way an editor does."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

from build_helpers import build_here
from conftest import EPOCH, ROOT, SEED_DOC
from serve_helpers import DOC, TITLE, edit, get, rebuilds, serving, wait_for


def test_preview_updates_shows_errors_and_recovers(project):
    config = project / "config.yaml"
    config.write_text(config.read_text("utf-8").replace("  base_path: /\n", "  base_path: /xxgk/\n"), "utf-8")
    templates = project / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with serving(project, "--templates", str(templates)) as (base, log):
        status, final, text = get(base + "/")
        assert status == 200 and final == base + "/xxgk/", "the root leads to the configured base path"
        page = f"{base}/xxgk/documents/{SEED_DOC}/"
        status, _, text = get(page)
        assert status == 200 and TITLE in text
        assert 'href="/xxgk/static/site.css' in text and '<script src="/livereload.js' in text
        assert get(base + "/xxgk/static/site.css")[0] == 200 and get(base + "/livereload.js")[0] == 200

        edit(project, DOC, f"title: {TITLE}", "title: 预览中修改过的标题")
        wait_for(lambda: "预览中修改过的标题" in get(page)[2], "the edited title is served")

        edit(project, DOC, "kind: 通知", "kind: 通报告")
        status, _, text = wait_for(lambda: (r := get(page))[0] == 500 and r, "the error page is served")
        assert "内容有错误，预览没有更新" in text and "发现 1 个错误" in text
        assert f"{DOC.as_posix()}:8" in text and "公文种类“通报告”不认识" in text
        assert "<script src=\"/livereload.js" in text, "the error page reloads itself once fixed"
        assert get(base + "/xxgk/")[0] == 500, "every page shows the problems, not a stale site"
        assert "公文种类“通报告”不认识" in log.read_text("utf-8"), "the terminal lists the problems too"

        edit(project, DOC, "kind: 通报告", "kind: 通知")
        wait_for(lambda: (r := get(page))[0] == 200 and "预览中修改过的标题" in r[2], "the preview recovers")

        # Templates and config.yaml are watched too.
        edit(project, Path("templates/base.html"), "<footer class=\"site-footer\">", "<footer class=\"site-footer\">模板已修改")
        wait_for(lambda: "模板已修改" in get(page)[2], "a template change is served")
        edit(project, Path("config.yaml"), "  name: 济南市天桥区人民政府", "  name: 预览用的网站名称")
        wait_for(lambda: "预览用的网站名称" in get(page)[2], "a config.yaml change is served")
    assert not (project / "site").exists(), "the preview never writes site/"
    assert (project / ".cache/preview/documents" / SEED_DOC / "index.html").is_file()


def test_a_burst_of_saves_is_one_rebuild(project):
    pages = sorted((project / "content/pages").glob("*.md")) + sorted((project / "content/documents").rglob("*.md"))
    assert len(pages) >= 10
    with serving(project) as (base, log):
        before = rebuilds(log)
        # Ten files saved at once, as "save all" in an editor or a `git pull` does.
        texts = [(path, path.read_text("utf-8").replace("\n---\n", "\n---\n\n", 1)) for path in pages[:10]]
        for path, text in texts:
            path.write_text(text, "utf-8")
        wait_for(lambda: rebuilds(log) > before and "预览已更新" in log.read_text("utf-8").split("检测到修改")[-1],
                 "the burst is rebuilt")
        # A later, separate edit is the next rebuild: the ten saves made exactly one.
        edit(project, DOC, f"title: {TITLE}", "title: 之后的修改")
        wait_for(lambda: "之后的修改" in get(f"{base}/documents/{SEED_DOC}/")[2], "the later edit is served")
        wait_for(lambda: log.read_text("utf-8").split("检测到修改")[-1].count("预览已更新") == 1 and rebuilds(log) - before >= 2,
                 "the later edit is rebuilt in full as well")
        assert rebuilds(log) - before == 2, log.read_text("utf-8")


def test_port_in_use_is_explained(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
                                 "--content", str(project / "content"), "--config", str(project / "config.yaml")],
                                capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert f"端口 {port} 已被占用" in result.stderr and "Traceback" not in result.stderr
    assert "正在生成预览" not in result.stdout, "no build is spent on a server that cannot start"


def test_search_indexing_runs_after_the_reload_and_follows_edits(project):
    with serving(project) as (base, log):
        wait_for(lambda: "搜索索引已更新" in log.read_text("utf-8"), "the first index is written", 60)
        text = log.read_text("utf-8")
        assert text.index("预览已更新") < text.index("搜索索引已更新"), "pages are live before the index"
        assert get(base + "/pagefind/pagefind.js")[0] == 200
        first = get(base + "/pagefind/pagefind-entry.json")[2]

        edit(project, DOC, f"title: {TITLE}", "title: 索引跟随修改的标题")
        wait_for(lambda: "索引跟随修改的标题" in get(f"{base}/documents/{SEED_DOC}/")[2], "the edit is served")
        # Until the new index is in place the last one answers: search never disappears.
        assert get(base + "/pagefind/pagefind-entry.json")[0] == 200
        wait_for(lambda: log.read_text("utf-8").count("搜索索引已更新") >= 2, "the index follows the edit", 60)
        assert get(base + "/pagefind/pagefind-entry.json")[2] != first, "a new index for the new title"
    leftovers = [p.name for p in (project / ".cache/preview").iterdir() if p.name.startswith(".pagefind")]
    assert not leftovers, leftovers


def test_an_edited_page_is_shown_at_once_and_the_full_build_agrees(project, tmp_path):
    """The edited page is re-rendered from the last build ahead of the full rebuild, and is the
    very page the full rebuild (and a clean build) makes."""
    with serving(project) as (base, log):
        page = f"{base}/documents/{SEED_DOC}/"
        updates = log.read_text("utf-8").count("预览已更新")
        edit(project, DOC, "各街道办事处，区政府各部门：", "各街道办事处，区政府各部门（预览即时更新）：")
        wait_for(lambda: "预览即时更新" in get(page)[2], "the edited text is served")
        wait_for(lambda: log.read_text("utf-8").count("预览已更新") > updates, "the full rebuild follows")
        text = log.read_text("utf-8")
        assert "已先更新被修改的页面（1 个" in text, text
        assert text.index("已先更新被修改的页面") < text.rindex("预览已更新"), "the quick page comes first"
        served = (project / ".cache/preview/documents" / SEED_DOC / "index.html").read_bytes()
    clean = tmp_path / "clean"
    result = build_here(clean, project / "content", project / "config.yaml", "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert served == (clean / "documents" / SEED_DOC / "index.html").read_bytes()


def test_a_page_shown_ahead_of_a_failed_build_is_never_reused(project, monkeypatch):
    """A quick page the full build never confirmed is not what the previous build's manifest
    says is at its path; reverting the edit must not bring it back as 'unchanged'."""
    from disclosure.orchestrate.pipeline import BuildOptions
    from disclosure.commands.serve import Preview

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    options = BuildOptions(content=project / "content", config=project / "config.yaml",
                           output=project / "preview", cache=project / ".cache", search=False)
    preview = Preview(options)
    preview.seen = preview.snapshot()
    assert preview.rebuild()[0] is not None
    target = project / "preview/documents" / SEED_DOC / "index.html"
    original = target.read_bytes()

    source = project / DOC
    # Same length in bytes, so the size recorded in the manifest does not give the page away.
    edit(project, DOC, "各街道办事处，区政府各部门：", "各街道办事处，区政府诸部门：")
    preview.show_at_once([str(source)])
    assert "区政府诸部门" in target.read_text("utf-8") and preview.quick
    other = next(p for p in sorted((project / "content/documents").rglob("*.md")) if p != source)
    other.write_text(other.read_text("utf-8").replace("kind: ", "kind: 不存在的种类", 1), "utf-8")
    assert preview.rebuild(dict(preview.quick))[0] is None, "the full build fails"
    assert "区政府诸部门" in target.read_text("utf-8"), "a failed build leaves the preview as it was"

    edit(project, DOC, "各街道办事处，区政府诸部门：", "各街道办事处，区政府各部门：")
    other.write_text(other.read_text("utf-8").replace("kind: 不存在的种类", "kind: ", 1), "utf-8")
    result, passed = preview.rebuild(dict(preview.quick))
    assert result is not None and f"documents/{SEED_DOC}/index.html" in passed
    assert target.read_bytes() == original, "the page is rendered again, not linked from the quick one"


def test_only_changes_that_one_page_can_show_are_shown_at_once(project, monkeypatch):
    from disclosure.orchestrate.pipeline import BuildOptions
    from disclosure.commands.serve import Preview

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    options = BuildOptions(content=project / "content", config=project / "config.yaml",
                           output=project / "preview", cache=project / ".cache", search=False)
    preview = Preview(options)
    preview.rebuild()
    target = project / "preview/documents" / SEED_DOC / "index.html"
    before = target.read_bytes()
    source = str(project / DOC)
    # Fields that move the document between lists or change its validity wait for the full build.
    edit(project, DOC, "validity: 有效", "validity: 失效")
    preview.show_at_once([source])
    assert target.read_bytes() == before and not preview.quick
    edit(project, DOC, "validity: 失效", "validity: 有效")
    # So do files with errors, new files and task tables.
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    preview.show_at_once([source])
    assert target.read_bytes() == before and not preview.quick
    edit(project, DOC, "kind: 通报告", "kind: 通知")
    new = project / "content/documents/2022/new-document.md"
    new.write_text((project / DOC).read_text("utf-8"), "utf-8")
    preview.show_at_once([str(new)])
    tables = sorted((project / "content/tasks").rglob("*.yaml"))
    preview.show_at_once([str(tables[0])])
    assert target.read_bytes() == before and not preview.quick
    # A title, though, is shown at once.
    edit(project, DOC, f"title: {TITLE}", "title: 即时显示的新标题")
    preview.show_at_once([source])
    assert "即时显示的新标题" in target.read_text("utf-8") and preview.quick
