"""The plan of outputs (render/plan.py) is the list of what a build makes: every file of the built
site is one entry of it, or a file shipped as it is (static files, attachments, the editing desk's
vendored Decap files), and no two entries write the same file."""

from __future__ import annotations

import gc

from conftest import ROOT
from messages import build_date, report
from disclosure.load.config import load_config
from disclosure.errors import Problems
from disclosure.orchestrate.pipeline import BuildOptions, load_site
from disclosure.render.desk import shipped_files
from disclosure.render.plan import HtmlPage, SearchIndex, plan_outputs

SHIPPED = ("static/", "files/")  # copied as they are, not made from the site model


def _plan():
    problems = Problems()
    with build_date():
        try:
            checked = load_site(BuildOptions(cache=None, jobs=1), problems)
        finally:
            gc.unfreeze()
    assert checked is not None, report(problems)
    return plan_outputs(checked[1])


def test_every_file_the_build_makes_is_one_entry_of_the_plan(site):
    plan = _plan()
    planned = [output.path for output in plan.outputs if not isinstance(output, SearchIndex)]
    assert len(planned) == len(set(planned)), "two outputs of the plan write the same file"
    built = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    decap = set(shipped_files(load_config(ROOT / "config.yaml", Problems())))
    assert decap and decap <= built
    made = {path for path in built - decap if not path.startswith((*SHIPPED, "pagefind/")) and path != ".disclosure-site"}
    assert made == set(planned)
    index = [output for output in plan.outputs if isinstance(output, SearchIndex)]
    assert len(index) == 1 and any(path.startswith(index[0].path) for path in built)


def test_each_output_is_keyed_by_what_it_reads():
    """Two outputs that read different things never share a key; the same output keeps its key."""
    plan, again = _plan(), _plan()
    keyed = [(output, other) for output, other in zip(plan.outputs, again.outputs)
             if not isinstance(output, SearchIndex) and output.key("base") is not None]
    assert keyed and all(output.key("base") == other.key("base") for output, other in keyed)
    keys = [output.key("base") for output, _ in keyed]
    assert len(keys) == len(set(keys))
    page = next(output for output, _ in keyed if isinstance(output, HtmlPage))
    assert page.key("other base") != page.key("base")
