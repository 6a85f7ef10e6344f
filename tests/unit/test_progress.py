"""A long build tells the operator how far it has come: one updating line on a terminal, plain
lines at most every few seconds in a CI log, for every long step."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from conftest import ROOT, run_build
from disclosure.orchestrate.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_ci_log_gets_plain_lines_at_most_every_few_seconds_and_always_the_end():
    log = io.StringIO()
    progress = Progress("生成页面", log, every=3600)
    for done in range(1, 5001):
        progress(done, 5000)
    assert log.getvalue().splitlines() == ["生成页面：1/5000", "生成页面：5000/5000"]
    small = io.StringIO()
    quiet = Progress("生成页面", small)
    for done in range(1, 11):
        quiet(done, 10)
    assert small.getvalue() == "", "a short step says nothing in a log"


def test_a_terminal_gets_one_line_updated_in_place_not_a_write_per_item():
    screen = Terminal()
    progress = Progress("读取内容", screen)
    for done in range(1, 100001):
        progress(done, 100000)
    text = screen.getvalue()
    assert text.endswith("\r读取内容：100000/100000\n") and text.count("\n") == 1
    assert text.count("\r") < 100, "reported every file, redrawn a few times a second at most"


def test_a_large_build_reports_reading_pages_and_search_once_each_to_the_end(tmp_path):
    content = tmp_path / "content"
    subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--count", "1000", "--out", str(content)],
                   check=True, stdout=subprocess.DEVNULL)
    result = run_build("--content", str(content), "--output", str(tmp_path / "site"), "--no-cache")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    finals = [line for line in lines if re.fullmatch(r"(.+)：(\d+)/\2", line)]
    labels = [line.split("：")[0] for line in finals]
    assert labels == ["读取内容", "生成页面", "搜索索引（分词）"], lines
    assert all(re.fullmatch(r".+：\d+/\d+", line) for line in lines), "nothing but progress lines"
