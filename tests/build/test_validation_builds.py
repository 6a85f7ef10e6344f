"""What the build publishes from content that validation accepts with a warning or repairs: text that
YAML 1.1 would have turned into numbers, unsafe HTML removed, markup in titles and fields escaped on
every page, and a late interpretation published with its warning. The messages themselves:
tests/unit/test_validation.py. Whole builds, in this process (tests/build_helpers.py)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from build_helpers import build
from conftest import ROOT, SEED_DOC, SEED_TASKS

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"
TASKS = Path("content/tasks") / f"{SEED_TASKS}.yaml"
INTERP = Path("content/interpretations") / f"{SEED_DOC}-jiedu.md"


def edit(project: Path, relative: Path, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_numbers_stay_as_written(project, capsys, monkeypatch):
    """YAML 1.1 would read 0531 as octal 345 and 9:30 as 570; an editor's text must not change."""
    edit(project, DOC, "keywords: [政务公开,", "keywords: [0531, \"9:30\", 1.10, 政务公开,")
    run = build(capsys, monkeypatch, project, project / "site", "--no-cache", "--no-search")
    assert run.code == 0, run.err
    data = json.loads((project / "site/api/documents.json").read_text("utf-8"))
    keywords = next(d["keywords"] for d in data["documents"] if d["id"] == SEED_DOC)
    assert keywords[:3] == ["0531", "9:30", "1.10"]


def test_a_late_interpretation_is_published_with_its_warning(project, capsys, monkeypatch):
    edit(project, INTERP, "published: 2022-06-17", "published: 2022-06-27")
    run = build(capsys, monkeypatch, project, project / "site", "--no-cache", "--no-search")
    assert run.code == 0 and "超过了三个工作日" in run.err  # a warning does not stop publishing
    assert (project / "site/interpretations" / f"{SEED_DOC}-jiedu" / "index.html").is_file()


UNSAFE = ["<script>alert(1)</script>", '<iframe src="https://example.com/"></iframe>', "<style>body{display:none}</style>",
          '<p onclick="steal()">点击</p>', '<a href="javascript:alert(2)">链接</a>']
SAFE = '<table><tr><td>表格</td></tr></table>\n\n<ul><li><em>强调</em> <a href="https://www.gov.cn/">链接</a></li></ul>\n'


def test_unsafe_html_is_removed_and_the_rest_is_kept(project, capsys, monkeypatch):
    """The warnings: tests/unit/test_validation.py::test_unsafe_html_is_reported."""
    body = "\n\n".join(UNSAFE) + "\n\n" + SAFE
    (project / DOC).write_text((project / DOC).read_text("utf-8") + "\n" + body, "utf-8")
    edit(project, INTERP, "    a: |\n", "    a: |\n      <script>alert(3)</script>\n")
    run = build(capsys, monkeypatch, project, project / "site", "--no-cache", "--no-search")
    assert run.code == 0, run.err
    page = (project / "site/documents" / SEED_DOC / "index.html").read_text("utf-8")
    for dangerous in ("alert(1)", "<iframe", "display:none", "onclick", "javascript:", "steal()"):
        assert dangerous not in page, dangerous
    assert "<td>表格</td>" in page and "<em>强调</em>" in page and 'href="https://www.gov.cn/"' in page
    answer = (project / "site/interpretations" / f"{SEED_DOC}-jiedu" / "index.html").read_text("utf-8")
    assert "alert(3)" not in answer


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;"\'\\'


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def test_titles_and_fields_are_escaped_everywhere(project, capsys, monkeypatch):
    """A title pasted with markup shows as text on every kind of page, and round-trips in the JSON."""
    title = "关于" + PAYLOAD + "的通知"
    edit(project, DOC, "title: 济南市天桥区人民政府办公室关于印发2022年济南市天桥区政务公开工作要点的通知",
         f"title: {_quoted(title)}")
    edit(project, DOC, "keywords: [政务公开,", f"keywords: [{_quoted(PAYLOAD)}, 政务公开,")
    edit(project, INTERP, "title: 问答解读：《2022年济南市天桥区政务公开工作要点》十二问", f"title: {_quoted('解读' + PAYLOAD)}")
    edit(project, INTERP, "  - q: 这份工作要点是什么文件？什么时候印发的？", f"  - q: {_quoted('问' + PAYLOAD)}")
    edit(project, TASKS, "title: 2022年济南市天桥区政务公开重点工作任务分解表", f"title: {_quoted('任务' + PAYLOAD)}")
    edit(project, TASKS, "    deadline: 全年\n", f"    deadline: {_quoted('全年' + PAYLOAD)}\n    note: {_quoted(PAYLOAD)}\n")
    edit(project, Path("content/pages/zhinan.md"), "title: 政府信息公开指南", f"title: {_quoted('指南' + PAYLOAD)}")
    site = project / "site"
    run = build(capsys, monkeypatch, project, site, "--no-cache")
    assert run.code == 0, run.err

    shown_on = set()
    for path in sorted(site.rglob("*")):
        if path.suffix == ".json":  # JSON carries the title as data; parsed and compared below
            json.loads(path.read_text("utf-8"))
            continue
        if path.suffix not in (".html", ".xml", ".js", ".css", ".txt"):
            continue
        raw = path.read_text("utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw, path
        if path.suffix == ".html":
            soup = BeautifulSoup(raw, "html.parser")
            assert not soup.find_all(onerror=True), path
            scripts = soup.find_all("script")
            assert not [s for s in scripts if "alert" in (s.string or "") and s.get("type") != "application/ld+json"], path
            for data in (s for s in scripts if s.get("type") == "application/ld+json"):  # the title as data
                assert "<" not in data.string and json.loads(data.string)["name"], path
            if PAYLOAD in soup.get_text():
                shown_on.add(path.relative_to(site).as_posix())
    expected = {"index.html", "documents/index.html", f"documents/{SEED_DOC}/index.html",
                "interpretations/index.html", f"interpretations/{SEED_DOC}-jiedu/index.html",
                "tasks/index.html", f"tasks/{SEED_TASKS}/index.html", "years/2022/index.html",
                "validity/current/index.html", "kinds/tongzhi/index.html", "pages/zhinan/index.html", "404.html"}
    assert expected <= shown_on, expected - shown_on
    soup = BeautifulSoup((site / f"documents/{SEED_DOC}/index.html").read_text("utf-8"), "html.parser")
    assert soup.h1.get_text(strip=True) == title and title in soup.title.get_text()

    record = next(d for d in json.loads((site / "api/documents.json").read_text("utf-8"))["documents"]
                  if d["id"] == SEED_DOC)
    assert record["title"] == title and record["keywords"][0] == PAYLOAD


def test_pre_commit_hook_runs_check(project):
    """The hook as pre-commit runs it: its entry, in a checkout; errors block, warnings do not."""
    hook = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))["repos"][0]["hooks"][0]
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    assert re.search(hook["files"], f"{DOC}") and re.search(hook["files"], "config.yaml")
    assert not re.search(hook["files"], "README.md")
    checkout = project  # content/ and config.yaml are already there; the code is copied beside them
    shutil.copy(ROOT / "build.py", checkout / "build.py")
    shutil.copytree(ROOT / "disclosure", checkout / "disclosure", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", checkout / "templates")
    (checkout / ".venv").symlink_to(ROOT / ".venv")

    def run():
        return subprocess.run(shlex.split(hook["entry"]), cwd=checkout, capture_output=True, text=True, timeout=300)

    assert run().returncode == 0
    edit(project, INTERP, "published: 2022-06-17", "published: 2022-06-27")  # late: a warning only
    warned = run()
    assert warned.returncode == 0 and "超过了三个工作日" in warned.stderr
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    blocked = run()
    assert blocked.returncode == 1 and "公文种类“通报告”不认识" in blocked.stderr
