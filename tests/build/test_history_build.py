"""The 更正记录 in a whole build (issue 18, item 5): a project whose content/ is a git repository
with a document corrected after publication gets a history page (with <del>/<ins>), a line on the
document's page, its corrections in the JSON export and the page in the sitemap; the build is
the same bytes twice; an incremental build after a new commit equals a clean one (the history is
not in any file's digest, so this proves the plan's `reads` name it); without git history the
build works and says so once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from build_helpers import build, tree
from mutation_project import ATTACHED, DOCS, make_project

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(repo: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T10:00:00+08:00"
    subprocess.run([GIT, "-c", "user.name=编辑", "-c", "user.email=editor@example.gov.cn", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, env=env, check=True, capture_output=True)


def commit_all(content: Path, day: str) -> None:
    git(content, "add", "-A")
    git(content, "commit", "-q", "--allow-empty", "-m", "edit", day=day)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    make_project(folder)
    content = folder / "content"
    git(content, "init", "-q")
    commit_all(content, "2020-01-02")  # before every document's publication: not listed
    document = content / DOCS[ATTACHED]
    text = document.read_text("utf-8")
    paragraph = next(line for line in text.split("\n\n")[1:] if len(line) > 20 and not line.startswith(("#", "!", "|")))
    edited = text.replace("\ntitle: ", "\ntitle: （修订）", 1).replace(paragraph, paragraph + "（<注>）", 1)
    document.write_text(edited, "utf-8")
    commit_all(content, "2025-02-03")
    return folder


def test_a_corrected_document_shows_its_record(capsys, monkeypatch, project, tmp_path):
    out = tmp_path / "site"
    run = build(capsys, monkeypatch, project, out, "--no-search")
    assert run.code == 0, run.err
    assert "更正记录" not in run.out  # the whole history was read: nothing to say
    history = (out / "documents" / ATTACHED / "history" / "index.html").read_text("utf-8")
    assert "第 1 次更正：<time datetime=\"2025-02-03\">2025-02-03</time>" in history
    assert "<th scope=\"row\">标题</th><td>济南市" in history and "<td>（修订）济南市" in history
    assert ("<ins><span class=\"visually-hidden\">新增：</span>（&lt;注&gt;）"
            "<span class=\"visually-hidden\">（新增结束）</span></ins>") in history
    page = (out / "documents" / ATTACHED / "index.html").read_text("utf-8")
    assert "本文件发布后更正过 1 次，最近一次 <time datetime=\"2025-02-03\">2025-02-03</time>" in page
    assert f'href="/documents/{ATTACHED}/history/">查看更正记录</a>' in page
    others = [path for path in (out / "documents").glob("*/history/index.html") if ATTACHED not in str(path)]
    assert others == []  # committed once, before publication
    import json

    record = json.loads((out / "api" / "documents" / f"{ATTACHED}.json").read_text("utf-8"))
    assert record["corrections"][0]["date"] == "2025-02-03"
    assert record["corrections"][0]["fields"][0]["label"] == "标题"
    assert record["corrections_url"].endswith(f"/documents/{ATTACHED}/history/")
    assert f"/documents/{ATTACHED}/history/</loc>" in (out / "sitemap.xml").read_text("utf-8")

    # The same repository, the same bytes; and an incremental build after a new commit is a clean build.
    again = tmp_path / "again"
    assert build(capsys, monkeypatch, project, again, "--no-search", "--no-cache").code == 0
    assert tree(again) == tree(out)
    content = project / "content"
    document = content / DOCS[ATTACHED]
    document.write_text(document.read_text("utf-8").replace("（修订）", "（再次修订）", 1), "utf-8")
    commit_all(content, "2025-03-04")
    assert build(capsys, monkeypatch, project, out, "--no-search").code == 0
    clean = tmp_path / "clean"
    assert build(capsys, monkeypatch, project, clean, "--no-search", "--no-cache").code == 0
    assert tree(out) == tree(clean)
    assert "第 2 次更正" in (out / "documents" / ATTACHED / "history" / "index.html").read_text("utf-8")


def test_without_git_history_the_build_says_so_once(capsys, monkeypatch, project, tmp_path):
    shutil.rmtree(project / "content" / ".git")
    run = build(capsys, monkeypatch, project, tmp_path / "site", "--no-search")
    assert run.code == 0, run.err
    assert run.out.count("更正记录") == 1 and "不在 git 仓库里" in run.out
    assert not list((tmp_path / "site" / "documents").glob("*/history"))
