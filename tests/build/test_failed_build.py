"""A build that finds mistakes, end to end in a child process as an editor runs it (or, for some
mistakes, through the same `main` in this process): exit code 1, no traceback, every problem
printed as `build.py check` prints it (the lines tests/unit/test_validation.py checks in this
process), "site/ 保持原样", and the site/ published before the mistake left exactly as it was
(every file, byte for byte, with its modification time), with no staging folder left."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from build_helpers import build_here
from conftest import ROOT, SEED_DOC, SEED_TASKS, build_into, run_build
from messages import check_project

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"
TASKS = Path("content/tasks") / f"{SEED_TASKS}.yaml"


def snapshot(site: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(site).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file()}


def edit(project: Path, relative: Path, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _gbk(project: Path) -> None:
    path = project / DOC
    path.write_bytes(path.read_text("utf-8").encode("gbk"))


# One mistake for each stage that can find one: reading a file, a field, the links found while
# rendering, config.yaml; and mistakes in several files at once.
BREAKS = {
    "a file that is not UTF-8": _gbk,
    "a required field missing": lambda project: edit(project, DOC, "kind: 通知\n", ""),
    "a broken internal link": lambda project: edit(project, DOC, "](/tasks/", "](/task/"),
    "a bad value in config.yaml": lambda project: edit(project, Path("config.yaml"), "  page_size: 20", "  page_size: 二十"),
    "mistakes in two files": lambda project: [
        edit(project, DOC, "kind: 通知", "kind: 通报告"), edit(project, DOC, "written: 2022-06-16", "written: 2022-13-01"),
        edit(project, TASKS, "区卫健局", "区卫建局")],
}


@pytest.fixture
def published(project, site):
    """The project with the site/ that was published before it was broken; its snapshot."""
    shutil.copytree(site, project / "site")
    return snapshot(project / "site")


def staging_left(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if p.name.startswith(".site")]


# These end to end in a child process, its own streams and exit code; the others through the
# command line's `main` in this process, which prints the same lines and returns the same code.
IN_A_CHILD = {"a file that is not UTF-8", "mistakes in two files"}


@pytest.mark.parametrize("mistake", list(BREAKS))
def test_a_failed_build_prints_what_check_finds_and_leaves_the_site(project, published, mistake):
    BREAKS[mistake](project)
    run = build_into if mistake in IN_A_CHILD else build_here
    result = run(project / "site", project / "content", project / "config.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    checked = check_project(project)
    *problems, summary = result.stderr.splitlines()
    assert checked.errors and problems == checked.lines
    assert f"发现 {len(checked.errors)} 个错误" in summary and "site/ 保持原样" in summary, summary
    assert snapshot(project / "site") == published, "a failed build changed site/"
    assert not staging_left(project), "staging folder left behind"


def test_check_prints_the_problems_and_writes_nothing(project, published):
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    result = run_build("check", "--content", str(project / "content"), "--config", str(project / "config.yaml"),
                       "--output", str(project / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{DOC}:8: 公文种类“通报告”不认识" in result.stderr
    assert result.stderr.splitlines()[:-1] == check_project(project).lines
    assert snapshot(project / "site") == published, "check changed site/"
    assert not staging_left(project)


def test_debug_shows_the_traceback_of_an_unexpected_error(project, published, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "document.html"
    page.write_text(page.read_text("utf-8").replace("{{ doc.title }}", "{{ doc.no_such_field }}", 1), "utf-8")
    args = ["--output", str(project / "site"), "--content", str(project / "content"),
            "--config", str(project / "config.yaml"), "--templates", str(templates)]
    plain, debug = run_build(*args), run_build(*args, "--debug")
    assert plain.returncode == debug.returncode == 3
    assert "Traceback" not in plain.stderr and "加 --debug 可查看详细错误信息" in plain.stderr
    assert "Traceback" in debug.stderr and "no_such_field" in debug.stderr
    assert snapshot(project / "site") == published
    assert not staging_left(project)
