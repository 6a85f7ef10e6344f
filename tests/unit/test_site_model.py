"""The site model is resolved once and read-only afterwards: relations are written by
model/relations.py alone, and any later stage that tries to change a model fails at once."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import ROOT, SEED_DOC, SEED_TASKS
from disclosure.errors import Problems
from disclosure.load.config import load_config
from disclosure.load.loader import load_content
from disclosure.load.models import FrozenModelError
from disclosure.model.classify import classify
from disclosure.model.validate import validate
from disclosure.render.pages import render_site


def site_on(day: date, content=ROOT / "content"):
    problems = Problems()
    config = load_config(ROOT / "config.yaml", problems)
    loaded = load_content(content, config, problems, jobs=1)
    relations = validate(loaded, problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return classify(loaded, relations, config, day), loaded, relations


def test_validate_resolves_relations_without_writing_them():
    problems = Problems()
    config = load_config(ROOT / "config.yaml", problems)
    loaded = load_content(ROOT / "content", config, problems, jobs=1)
    relations = validate(loaded, problems)
    tables = {t.id: t for t in loaded.task_tables}
    plan = relations.document_of(tables[SEED_TASKS])
    assert plan is not None and plan.id == SEED_DOC
    assert tables[SEED_TASKS].document is None  # written only once the build date decides what is public
    assert all(relations.dues[id(task)] is not None for task in tables[SEED_TASKS].tasks)


def test_every_model_is_read_only_after_classify():
    site, loaded, _ = site_on(date(2026, 11, 26))
    doc = next(d for d in site.documents if d.id == SEED_DOC)
    table = next(t for t in site.task_tables if t.id == SEED_TASKS)
    assert table.document is doc and table in doc.task_tables
    assert doc.interpretations and all(i.document is doc for i in doc.interpretations)
    frozen = [doc, doc.interpretations[0], table, table.tasks[0], table.tasks[0].units[0],
              site.content.pages[0], site.organisations[0], site.topics[0], site, site.held, loaded]
    frozen += [a for d in site.documents for a in d.attachments][:1]
    area = next(a for a in site.catalogue if a.rows)
    frozen += [area, area.rows[0], area.rows[0].bodies[0]]
    for model in frozen:
        with pytest.raises(FrozenModelError):
            model.title = "改过的标题"
    with pytest.raises(FrozenModelError):
        doc.status = "废止"


def test_rendering_every_page_changes_no_model():
    """All pages rendered in this process: a template or renderer that writes to the model fails."""
    site, _, _ = site_on(date(2026, 11, 26))
    problems = Problems()
    rendered = render_site(site, ROOT / "templates", problems)
    assert not problems.errors
    assert f"documents/{SEED_DOC}/index.html" in rendered.files


def test_relations_to_scheduled_content_are_left_out(project):
    """A document repealed by one scheduled for later is still in force and names no repealer."""
    docs = project / "content" / "documents"
    repealed = next(p for p in sorted(docs.rglob("*.md"))
                    if p.stem != SEED_DOC and "validity: 有效" in p.read_text("utf-8"))
    text = repealed.read_text("utf-8")
    assert "validity: 有效" in text
    repealed.write_text(text.replace("validity: 有效", "validity: 废止\nrepealed: 2027-01-01\nrepealed_by: later"), "utf-8")
    source = (docs / "2022" / f"{SEED_DOC}.md").read_text("utf-8")
    later = source.replace("published: 2022-06-16", "published: 2027-01-01").replace(
        "doc_number: 济天政办发〔2022〕4号", "doc_number: 济天政办发〔2027〕1号").replace(
        "index_no:", "index_no_old:", 1)
    (docs / "later.md").write_text(later, "utf-8")
    site, _, relations = site_on(date(2026, 11, 26), project / "content")
    shown = next(d for d in site.documents if d.id == repealed.stem)
    assert relations.repealer_of(shown).id == "later"
    assert shown.repealer is None and shown.status != "废止"  # the repeal takes effect in 2027
    assert [d.id for d in site.held.documents] == ["later"]
    assert not [d.id for d in site.documents if shown in d.repeals]
