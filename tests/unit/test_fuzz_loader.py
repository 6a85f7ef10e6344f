"""Whatever an editor's file holds, the loader either loads it or says what is wrong: never a crash.

Random bytes, random YAML-ish text, random field values and random edits of the real seed files go
through source.py and load.py (and the cross-file rules of validate.py). Every input must either
load or yield a Problem naming that file, at a line that exists, in Chinese.
Set HYPOTHESIS_PROFILE=explore to search much longer than CI does.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SEED_DOC, SEED_TASKS
from disclosure.load.config import load_config
from disclosure.errors import Problems
from disclosure.load.loader import (CATALOGUE, CATALOGUE_ROW, DOCUMENT, INTERPRETATION, REPORT, TASK, TASK_TABLE,
                                    load_content)
from disclosure.load.participation import CONSULTATION, DECISION_CATALOGUE, DECISION_ITEM, FEEDBACK
from disclosure.model.validate import validate

settings.register_profile("ci", max_examples=120, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CONFIG = load_config(ROOT / "config.yaml", Problems())
WHERE = {"document": "documents/2022/x.md", "interpretation": "interpretations/x.md", "tasks": "tasks/x.yaml",
         "catalogue": "catalogue/x.yaml", "report": "reports/2022-renminzhengfu.yaml",
         "consultation": "consultations/x.md", "decisions": "decisions/2026.yaml"}
YAML_FILES = ("tasks", "catalogue", "report", "decisions")
CJK = re.compile(r"[\u4e00-\u9fff]")
SEED = {
    "document": (ROOT / "content/documents/2022" / f"{SEED_DOC}.md").read_text("utf-8")[:3000],
    "interpretation": (ROOT / "content/interpretations" / f"{SEED_DOC}-jiedu.md").read_text("utf-8")[:3000],
    # The header and the first tasks: long enough for every kind of line, short enough to be quick.
    "tasks": (ROOT / "content/tasks" / f"{SEED_TASKS}.yaml").read_text("utf-8").split("  - no: 6\n")[0],
    "catalogue": (ROOT / "content/catalogue/shenong-butie.yaml").read_text("utf-8"),
    "report": (ROOT / "content/reports/2022-renminzhengfu.yaml").read_text("utf-8"),
    "consultation": (ROOT / "content/consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian.md").read_text("utf-8"),
    "decisions": (ROOT / "content/decisions/2026.yaml").read_text("utf-8"),
}


def loads_or_explains(what: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        path = root / WHERE[what]
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        problems = Problems()
        content = load_content(root, CONFIG, problems)
        validate(content, problems)
        if what == "report":
            from disclosure.model.reports import check_reports
            check_reports(content, {}, problems)
        loaded = (content.documents + content.interpretations + content.task_tables + content.catalogue + content.reports
                  + content.consultations + content.decisions)
        mine = [p for p in problems.items if p.path.endswith(WHERE[what])]
        assert loaded or [p for p in mine if p.severity == "error"], "neither loaded nor explained"
        lines = data.count(b"\n") + data.count(b"\r") + 2
        for problem in mine:
            assert 0 <= problem.line <= lines, problem
            assert CJK.search(problem.message), problem


# --- raw bytes and YAML-ish text ----------------------------------------------------------------

YAML_CHARS = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?~.=<\\ \t\n\r0123456789") +
                             ["\x0b", "\x00", "\u2028", "\x85", "\ufeff", "---", "...", "no", "true", "通知", "：", "〔"])
yamlish = st.lists(YAML_CHARS | st.text(max_size=4), max_size=80).map("".join)


@given(st.sampled_from(sorted(WHERE)), st.binary(max_size=600))
@example("document", "---\ntitle: 标题\n---\n".encode("gbk"))
@example("document", b"\xff\xfe-\x00-\x00-\x00")
def test_random_bytes(what, data):
    loads_or_explains(what, data)


@given(st.sampled_from(sorted(WHERE)), yamlish)
@example("document", "title: " + "[" * 3000)
@example("tasks", "x: 0b_\ny: !!int abc\nz: 1_:2")
def test_random_yaml_text(what, text):
    front = text if what in YAML_FILES else f"---\n{text}\n---\n正文"
    loads_or_explains(what, front.encode("utf-8"))


# --- well-formed YAML with random field values --------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | st.dates().map(str) | st.sampled_from(["2022-06-16", "2022-02-30", "区政府办公室", "通知", "有效",
                                                    "废止", "综合政务/政务公开", "济天政办发〔2022〕4号", SEED_DOC]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6) | st.sampled_from(["file", "title", "q", "a"]), inner,
                                        max_size=3), max_leaves=8)


def fields_of(schema: dict) -> st.SearchStrategy:
    keys = st.sampled_from(sorted(schema) + ["publised", "titel", "备注", "1"])
    return st.dictionaries(keys, values, max_size=len(schema) + 2)


@given(st.sampled_from(["document", "interpretation"]), st.data())
def test_random_front_matter(what, data):
    meta = data.draw(fields_of(DOCUMENT if what == "document" else INTERPRETATION))
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n正文\n"
    loads_or_explains(what, text.encode("utf-8"))


@given(fields_of(TASK_TABLE), st.lists(fields_of(TASK), max_size=3) | values)
def test_random_task_table(table, tasks):
    table["tasks"] = tasks
    loads_or_explains("tasks", yaml.safe_dump(table, allow_unicode=True).encode("utf-8"))


@given(fields_of(CATALOGUE), st.lists(fields_of(CATALOGUE_ROW), max_size=3) | values)
def test_random_catalogue_area(area, rows):
    area["rows"] = rows
    loads_or_explains("catalogue", yaml.safe_dump(area, allow_unicode=True).encode("utf-8"))


report_tables = st.dictionaries(st.sampled_from(["rules", "normative", "licensing", "granted", "partly", "refused",
                                                "natural", "business", "total", "review", "litigation", "fee", "x"])
                                | st.text(max_size=4), values, max_size=4) | values


@given(fields_of(REPORT), report_tables, report_tables, report_tables)
def test_random_report(report, proactive, applications, review):
    report.update(proactive=proactive, applications=applications, review_litigation=review)
    loads_or_explains("report", yaml.safe_dump(report, allow_unicode=True).encode("utf-8"))


@given(fields_of(CONSULTATION), fields_of(FEEDBACK) | values)
def test_random_consultation(consultation, feedback):
    consultation["feedback"] = feedback
    text = "---\n" + yaml.safe_dump(consultation, allow_unicode=True) + "---\n草案正文\n"
    loads_or_explains("consultation", text.encode("utf-8"))


@given(fields_of(DECISION_CATALOGUE), st.lists(fields_of(DECISION_ITEM), max_size=3) | values)
def test_random_decision_catalogue(catalogue, items):
    catalogue["items"] = items
    loads_or_explains("decisions", yaml.safe_dump(catalogue, allow_unicode=True).encode("utf-8"))


# --- the real files, mutated the way editors and copy-and-paste do ------------------------------


@st.composite
def mutated(draw, what: str) -> bytes:
    lines = SEED[what].split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "swap", "indent", "cut"]))
        if action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "indent":
            lines[at] = draw(st.sampled_from(["\t", " ", "   ", "- "])) + lines[at]
        elif action == "cut":
            lines = lines[: at + 1]
        else:
            line = lines[at]
            column = draw(st.integers(0, len(line)))
            piece = draw(YAML_CHARS | st.text(max_size=3))
            end = column + (draw(st.integers(0, 3)) if action == "replace" else 0)
            lines[at] = line[:column] + piece + line[end:]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "crlf"]))
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode(encoding, errors="replace")


@given(st.sampled_from(sorted(SEED)).flatmap(lambda what: st.tuples(st.just(what), mutated(what))))
def test_mutated_seed_files(case):
    what, data = case
    loads_or_explains(what, data)


def test_seed_files_load_unchanged():
    """The mutations start from files that load: a failure above is the mutation's doing."""
    for what, text in SEED.items():
        if what == "tasks":
            text += "\n"
        loads_or_explains(what, text.encode("utf-8"))


def test_alias_bomb_is_refused_without_expanding_it():
    """Shared YAML aliases make a list that would print as gigabytes; no message may print it."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    bomb = "\n".join(lines)
    for key in ("written", "title", "normative", "issuer", "attachments", "keywords"):
        text = f"---\n{bomb}\n{key}: *a8\n---\n"
        loads_or_explains("document", text.encode("utf-8"))
    loads_or_explains("tasks", f"{bomb}\nplan: *a8\ntitle: *a8\ntasks:\n  - no: *a8\n".encode("utf-8"))
