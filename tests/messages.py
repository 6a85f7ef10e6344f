"""The build's validation messages in this process, exactly as the command line prints them.

`build.py check` and a failed build print every problem through the command line's own
`cli._report` (`path:line: message — fix`, the errors first, then the warnings). `check_project`
runs what `build.py check` runs (`check_site`: load, validate, classify and render without
writing, links and HTML included) on a project's content/ and config.yaml, with no cache, and
prints the problems through that same `_report`: a few hundred milliseconds instead of copying a
site and building it in a child process. tests/build/test_failed_build.py checks that a real
build in a child process prints these very lines, and leaves site/ as it was.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from conftest import EPOCH
from disclosure.commands import cli
from disclosure.errors import Problems
from disclosure.orchestrate.pipeline import BuildOptions, check_site
from disclosure.render.pages import render_site


@dataclass
class Checked:
    problems: Problems
    text: str  # what the command line prints for these problems, one line each

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def errors(self) -> list[str]:
        return [problem.format() for problem in self.problems.errors]

    @property
    def warnings(self) -> list[str]:
        return [problem.format() for problem in self.problems.warnings]

    @property
    def code(self) -> int:
        """The exit code `build.py check` gives for these problems."""
        if self.problems.errors:
            return cli.EXIT_ERRORS
        return cli.EXIT_WARNINGS if self.problems.warnings else cli.EXIT_OK


def options(project: Path, templates: Path | None = None) -> BuildOptions:
    """`project`'s content/ and config.yaml, no cache (nothing read or written beside them), serial."""
    return BuildOptions(content=project / "content", config=project / "config.yaml", output=project / "site",
                        templates=templates or BuildOptions().templates, cache=None, jobs=1)


@contextlib.contextmanager
def build_date(epoch: str = EPOCH):
    """The build date the tests build with (SOURCE_DATE_EPOCH), for this process only while it lasts."""
    with mock.patch.dict(os.environ, {"SOURCE_DATE_EPOCH": epoch}):
        yield


def report(problems: Problems) -> str:
    """The problems as the command line prints them (to stderr), through its own `_report`."""
    printed = io.StringIO()
    with contextlib.redirect_stderr(printed):
        cli._report(problems)
    return printed.getvalue()


def check_project(project: Path, templates: Path | None = None, epoch: str = EPOCH) -> Checked:
    """What `build.py check --content project/content --config project/config.yaml` finds.

    `check_site` unfreezes the collector that `load_site` froze, so calls may follow each other in
    one process without keeping every site they loaded."""
    problems = Problems()
    with build_date(epoch):
        check_site(options(project, templates), problems)
    return Checked(problems, report(problems))


def rendered_pages(project: Path, epoch: str = EPOCH) -> dict[str, str]:
    """Every page the build would write for `project`, by output path (`search/index.html`), as
    text, rendered in this process; the content must be free of errors."""
    import gc

    from disclosure.orchestrate.pipeline import load_site

    problems = Problems()
    with build_date(epoch):
        try:
            checked = load_site(options(project), problems)
            assert checked is not None, report(problems)
            pages = render_site(checked[1], BuildOptions().templates, problems).files
            assert not problems.errors, report(problems)
            return {path: page.decode("utf-8") for path, page in pages.items()}
        finally:
            gc.unfreeze()  # frozen by load_site, as check_site and build undo it
