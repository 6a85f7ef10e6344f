"""A long build tells the operator how far it has come: one updating line on a terminal, plain
lines at most every few seconds in a CI log, for every long step, always to the end.

What the lines say is left to the code (only the counts are read), and nothing here depends on how
fast the machine is: the progress line's clock is a fake one that the test moves."""

from __future__ import annotations

import io
import re
import time
from types import SimpleNamespace

import pytest

from disclosure.commands.cli import main
from disclosure.orchestrate import progress
from disclosure.orchestrate.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch):
    """The progress line's clock, moved by the test: `clock.now += seconds`."""

    class Clock:
        now = 1000.0

        def __call__(self) -> float:
            return self.now

    fake = Clock()
    monkeypatch.setattr(progress, "time", SimpleNamespace(monotonic=fake, perf_counter=time.perf_counter))
    return fake


def counts(line: str) -> tuple[int, int]:
    """The last two numbers of a progress line: how many done, of how many."""
    done, total = re.findall(r"\d+", line)[-2:]
    return int(done), int(total)


def test_a_ci_log_gets_a_line_at_most_every_few_seconds_and_always_the_end(clock):
    log = io.StringIO()
    step = Progress("步骤甲", log, every=5.0)
    for done in range(1, 5001):
        clock.now += 0.004  # 20 seconds for the whole step
        step(done, 5000)
    lines = log.getvalue().splitlines()
    assert 3 <= len(lines) <= 1 + 20 / 5 + 1, lines  # the start, one every 5 s at most, the end
    assert all("步骤甲" in line for line in lines)
    assert counts(lines[0]) == (1, 5000) and counts(lines[-1]) == (5000, 5000)
    assert [counts(line)[0] for line in lines] == sorted({counts(line)[0] for line in lines})
    small = io.StringIO()
    quiet = Progress("步骤乙", small)
    for done in range(1, 11):
        clock.now += 1
        quiet(done, 10)
    assert small.getvalue() == "", "a short step says nothing in a log"


def test_a_terminal_gets_one_line_updated_in_place_not_a_write_per_item(clock):
    screen = Terminal()
    step = Progress("步骤丙", screen)
    for done in range(1, 100001):
        clock.now += 0.0001  # 10 seconds for 100,000 items
        step(done, 100000)
    text = screen.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1, "one line, ended once the step is done"
    states = text.removesuffix("\n").split("\r")[1:]
    assert 10 < len(states) < 1000, "redrawn as it goes, a few times a second, not once per item"
    assert counts(states[-1]) == (100000, 100000)


def test_every_long_step_of_a_build_reports_once_to_the_end(project, tmp_path, monkeypatch):
    """Reading, the pages and the search index each end with their own final line (here on a
    terminal, where even a short step shows, with the build in this process)."""
    screen, printed = Terminal(), io.StringIO()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795622400")
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setattr("sys.stdout", printed)
    output = tmp_path / "site"
    code = main(["--content", str(project / "content"), "--config", str(project / "config.yaml"),
                 "--output", str(output), "--no-cache", "--jobs", "1"])
    monkeypatch.undo()
    assert code == 0, screen.getvalue()
    text = screen.getvalue()
    lines = text.split("\n")  # each step's line, redrawn after "\r" until it ends with "\n"
    assert lines.pop() == "" and all(line.startswith("\r") for line in lines), "nothing but progress"
    finals = [line.split("\r")[-1] for line in lines]
    assert all(counts(final)[0] == counts(final)[1] for final in finals), finals
    labels = [re.sub(r"[\d/]+$", "", final) for final in finals]
    assert len(labels) == len(set(labels)) >= 3, finals  # each step once: reading, pages, search
    totals = {counts(final)[1] for final in finals}
    files = [path for path in (project / "content").rglob("*") if path.suffix in (".md", ".yaml")]
    assert len(files) in totals, (len(files), finals)  # every file read
    # every page written (the editing desk's admin/index.html is a file of the plan, not a rendered page)
    assert len([p for p in output.rglob("*.html") if p.parts[len(output.parts)] != "admin"]) in totals, finals
