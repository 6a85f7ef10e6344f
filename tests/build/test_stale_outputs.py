"""Incremental builds never publish anything stale: random sequences of edits, reverts, new and
deleted files, builds with and without the cache, and damage to the cache, each build compared
byte for byte with a clean build of the same content (issue 15, guard rails)."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from build_helpers import build, clean_tree, tree
from conftest import SEED_DOC, put_back
from content_helpers import write_document

SENTENCES = ["本通知自印发之日起施行。", "请各单位认真贯彻落实。", "联系电话：0531-12345678。"]

ACTIONS = st.one_of(
    st.tuples(st.just("edit body"), st.sampled_from(SENTENCES)),
    st.tuples(st.just("edit title"), st.sampled_from(["（修订）", "（试行）"])),
    st.tuples(st.just("revert"), st.none()),
    st.tuples(st.just("add document"), st.sampled_from(["2026-xin-wenjian-a", "2026-xin-wenjian-b"])),
    st.tuples(st.just("delete document"), st.none()),
    st.tuples(st.just("build"), st.none()),
    st.tuples(st.just("build --no-cache"), st.none()),
    st.tuples(st.just("damage cache"), st.integers(min_value=0, max_value=10 ** 6)),
    st.tuples(st.just("delete cache"), st.none()),
)


@pytest.mark.long
@example(actions=[("edit body", SENTENCES[0]), ("build --no-cache", None), ("revert", None), ("build", None)])
@example(actions=[("build", None), ("damage cache", 7), ("edit title", "（试行）"), ("build", None)])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=3, max_size=6).map(lambda steps: [*steps, ("build", None)]))
def test_every_incremental_build_is_the_clean_build(actions, _first_build, capsys, monkeypatch):
    project = put_back(_first_build)  # the small project, built once with its cache into project/site
    site, doc = project / "site", project / "content/documents/2022" / f"{SEED_DOC}.md"
    original, added = doc.read_text("utf-8"), []
    for action, value in actions:
        if action == "edit body":
            doc.write_text(doc.read_text("utf-8") + value + "\n", "utf-8")
        elif action == "edit title":
            text = doc.read_text("utf-8")
            doc.write_text(text.replace("\ntitle: ", f"\ntitle: {value}", 1), "utf-8")
        elif action == "revert":
            doc.write_text(original, "utf-8")
        elif action == "add document":
            added.append(write_document(project / "content", value, body="新增文件的正文。", topic="综合政务/政务公开"))
        elif action == "delete document" and added:
            added.pop().unlink(missing_ok=True)
        elif action == "damage cache":
            files = sorted(p for p in (project / ".cache").rglob("*") if p.is_file())
            if files:
                path = files[value % len(files)]
                data = path.read_bytes()
                middle = value % max(1, len(data))
                path.write_bytes(data[:middle] + bytes([(data[middle] if data else 0) ^ 0x55]) + data[middle + 1:])
        elif action == "delete cache":
            shutil.rmtree(project / ".cache", ignore_errors=True)
        elif action.startswith("build"):
            extra = ("--no-cache",) if action.endswith("--no-cache") else ()
            run = build(capsys, monkeypatch, project, site, *extra)
            assert run.code == 0, run.err
            assert tree(site) == clean_tree(capsys, monkeypatch, project), (actions, action)
