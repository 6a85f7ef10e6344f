"""The 更正记录 read from the content's git history (disclosure/load/history.py): which commits
count, what each shows, and a build without history. Each test makes a small repository with
fixed dates, so the record is the same on every run."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from disclosure.load.history import read_history

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

FRONT = """---
title: {title}
doc_number: 济天政办发〔2024〕3号
issuer: 区政府办公室
written: 2024-03-01
published: 2024-03-05
topic: 综合政务/政务公开
kind: 通知
validity: 有效
---
"""
BODY = ["一、总体要求。坚持公开为常态、不公开为例外。", "二、主要任务。各单位于2024年6月30日前完成自查。", "三、保障措施。加强组织领导。"]


def text(title="关于做好政务公开工作的通知", body=BODY) -> str:
    return FRONT.format(title=title) + "\n" + "\n\n".join(body) + "\n"


def git(repo: Path, *args: str, day: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    if day:  # noon in China time
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+08:00"
    return subprocess.run([GIT, "-c", "user.name=编辑", "-c", "user.email=editor@example.gov.cn",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, env=env,
                          check=True, capture_output=True, text=True).stdout


def commit(repo: Path, day: str, files: dict[str, str | None], message: str = "edit") -> None:
    for name, content in files.items():
        path = repo / name
        if content is None:
            git(repo, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message, day=day)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    root.mkdir()
    git(root, "init", "-q")
    return root


PUBLISHED = {"doc": date(2024, 3, 5)}


def history_of(repo: Path) -> list:
    found = read_history(repo, PUBLISHED)
    assert found.note == ""
    return list(found.corrections.get("doc", ()))


def test_changes_on_or_after_publication_are_listed_with_fields_and_paragraphs(repo):
    commit(repo, "2024-03-01", {"documents/doc.md": text(title="关于做好政务公开工作的通和")})
    commit(repo, "2024-03-04", {"documents/doc.md": text()})  # a typo fixed before publication
    changed = [BODY[0], "二、主要任务。各单位于2024年7月31日前完成自查。", BODY[2], "四、本通知自印发之日起施行。"]
    commit(repo, "2024-03-05", {"documents/doc.md": text(title="关于进一步做好政务公开工作的通知", body=changed)})
    (first,) = history_of(repo)
    assert first.date == date(2024, 3, 5)
    assert [(f.key, f.label, f.old, f.new) for f in first.fields] == [
        ("title", "标题", "关于做好政务公开工作的通知", "关于进一步做好政务公开工作的通知")]
    assert [(p.old, p.new, p.pieces) for p in first.paragraphs] == [
        (BODY[1], changed[1], (("", "二、主要任务。各单位于2024年"), ("del", "6"), ("ins", "7"), ("", "月"),
                               ("del", "30"), ("ins", "31"), ("", "日前完成自查。"))),
        ("", changed[3], (("ins", changed[3]),)),
    ]


def test_a_moved_file_keeps_its_record_and_whitespace_only_commits_are_left_out(repo):
    commit(repo, "2024-03-05", {"documents/doc.md": text()})
    # Moved into a year folder, unchanged: nothing a reader sees.
    commit(repo, "2024-04-01", {"documents/doc.md": None, "documents/2024/doc.md": text()})
    spaced = text().replace("坚持公开", "坚持公开").replace("\n\n二、", "\n\n\n二、").replace("validity: 有效", "validity:   有效")
    commit(repo, "2024-04-02", {"documents/2024/doc.md": spaced})
    fewer = text(body=[BODY[0], BODY[2]])
    commit(repo, "2024-05-06", {"documents/2024/doc.md": fewer})
    (only,) = history_of(repo)
    assert only.date == date(2024, 5, 6) and only.fields == ()
    assert [(p.old, p.new, p.pieces) for p in only.paragraphs] == [(BODY[1], "", (("del", BODY[1]),))]


def test_field_added_and_removed_and_dates_in_china_time(repo):
    commit(repo, "2024-03-05", {"documents/doc.md": text()})
    with_keywords = text().replace("validity: 有效\n", "validity: 有效\nkeywords: [政务公开, 自查]\n")
    # 23:30 UTC on 5 March is 6 March in China.
    path = repo / "documents" / "doc.md"
    path.write_text(with_keywords, "utf-8")
    git(repo, "add", ".")
    env_day = "2024-03-05T23:30:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": env_day, "GIT_COMMITTER_DATE": env_day}
    subprocess.run([GIT, "-c", "user.name=编辑", "-c", "user.email=e@example.gov.cn", "commit", "-q", "-m", "kw"],
                   cwd=repo, env=env, check=True)
    commit(repo, "2024-04-01", {"documents/doc.md": text()})
    first, second = history_of(repo)
    assert first.date == date(2024, 3, 6) and second.date == date(2024, 4, 1)
    assert [(f.label, f.old, f.new) for f in first.fields] == [("主题词", "", "政务公开；自查")]
    assert [(f.label, f.old, f.new) for f in second.fields] == [("主题词", "政务公开；自查", "")]


def test_undecodable_versions_and_other_files_are_skipped(repo):
    commit(repo, "2024-03-05", {"documents/doc.md": text(), "documents/files/a.txt": "附件"})
    (repo / "documents" / "doc.md").write_bytes(text().encode("gbk"))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "gbk", day="2024-03-06")
    commit(repo, "2024-03-07", {"documents/files/a.txt": "附件二", "interpretations/doc.md": text()})
    assert history_of(repo) == []


def test_uncommitted_edits_are_not_history(repo):
    commit(repo, "2024-03-05", {"documents/doc.md": text()})
    (repo / "documents" / "doc.md").write_text(text(title="未提交的标题"), "utf-8")
    assert history_of(repo) == []


def test_without_git_the_build_is_told_once_why(tmp_path, repo):
    plain = tmp_path / "tarball"
    plain.mkdir()
    assert read_history(plain, PUBLISHED).corrections == {}
    assert "不在 git 仓库里" in read_history(plain, PUBLISHED).note
    missing = read_history(repo, PUBLISHED, git=str(tmp_path / "no-such-git"))
    assert missing.corrections == {} and "没有找到 git 程序" in missing.note
    assert "还没有提交" in read_history(repo, PUBLISHED).note  # a repository with no commits yet


def test_a_shallow_clone_reads_what_it_has_and_says_so(tmp_path, repo):
    commit(repo, "2024-03-05", {"documents/doc.md": text()})
    commit(repo, "2024-04-01", {"documents/doc.md": text(title="改过的标题")})
    commit(repo, "2024-05-01", {"documents/doc.md": text(title="又改过的标题")})
    clone = tmp_path / "clone"
    subprocess.run([GIT, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    found = read_history(clone, PUBLISHED)
    assert "浅克隆" in found.note and "fetch-depth: 0" in found.note
    assert found.corrections == {}  # one commit: every file looks added
    full = read_history(repo, PUBLISHED)
    assert [c.date for c in full.corrections["doc"]] == [date(2024, 4, 1), date(2024, 5, 1)]
    assert read_history(repo, PUBLISHED) == full  # the same repository, the same record
