"""Every real 发文字号 shape (issue 18, item 1): each read into one normal form through the real
field parser of a real document file; other brackets and digits read with a warning that names the
standard form; an unknown shape a warning, never an error; duplicates found across spellings and
shapes; every 文号 of the real policy records loads. The grammar: disclosure/load/doc_numbers.py."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from content_helpers import validated, write_document
from disclosure.errors import Problems, display_path
from disclosure.load.doc_numbers import MAX_LENGTH, identity, read
from disclosure.load.fields import Context, doc_number
from disclosure.search.tokens import placed, placed_query

BUNDLED = ROOT / "tests" / "corpus"  # as tests/corpus_site.py finds the corpus
SHARED = ROOT.parent / "shared" / "corpus"
FAST = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
STANDARD_FIX = ("常见的写法有三种：机关代字〔年份〕序号号，如 济天政办发〔2022〕4号；令写 机关名令第N号，如 济南市人民政府令第258号；"
                "公告、通告写 机关名公告YYYY年第N号，如 财政部公告2015年第3号。请对照原件核对；原件就是这样写的，可以不改")


def formatted(problems: Problems, severity: str = "error") -> list[str]:
    return [p.format() for p in (problems.errors if severity == "error" else problems.warnings)]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").split("\n"), 1) if needle in line)


def one(content: Path, written) -> tuple[str, Path, list[str], list[str]]:
    """The 文号 a document file stores for `written`, the file, and its errors and warnings."""
    path = write_document(content, "wenjian-a", doc_number=written)
    loaded, problems = validated(content)
    stored = [doc.doc_number for doc in loaded.documents]
    return (stored[0] if stored else None), path, formatted(problems), formatted(problems, "warning")


# --- every shape, written as it should be ---------------------------------------------------------

SHAPES = [
    # 机关代字〔年份〕序号号 (GB/T 9704), 通告 numbered the same way
    ("济天政办发〔2022〕4号", "济天政办发〔2022〕4号"),
    ("粤府办〔2016〕85号", "粤府办〔2016〕85号"),
    ("国办发明电〔2020〕12号", "国办发明电〔2020〕12号"),
    ("济南市公安局通告〔2020〕1号", "济南市公安局通告〔2020〕1号"),
    ("豫政 〔2016〕18号", "豫政〔2016〕18号"),  # as the Henan records write it
    # 政府令 / 部门令: 第N号 without a year, with or without the body's full name
    ("省政府令第158号", "省政府令第158号"),
    ("省政府令 第147号", "省政府令第147号"),  # as the Henan records write it
    ("国务院令第713号", "国务院令第713号"),
    ("中华人民共和国国务院令 第 699 号", "中华人民共和国国务院令第699号"),
    ("财政部令第100号", "财政部令第100号"),
    ("济南市人民政府令第258号", "济南市人民政府令第258号"),
    ("中华人民共和国主席令第八十一号", "中华人民共和国主席令第八十一号"),  # 主席令 number in Chinese numerals
    # 公告 / 通告 (and some 部门令) numbered by year and sequence
    ("财政部公告2015年第3号", "财政部公告2015年第3号"),
    ("国家税务总局公告2018年第31号", "国家税务总局公告2018年第31号"),
    ("财政部 税务总局 海关总署公告2019年第39号", "财政部税务总局海关总署公告2019年第39号"),  # joint: names apart
]


@pytest.mark.parametrize("written, normal", SHAPES)
def test_every_shape_loads_in_its_normal_form_without_a_message(content, written, normal):
    stored, _, errors, warnings = one(content, written)
    assert (stored, errors, warnings) == (normal, [], [])


# --- other brackets, digits and small slips: the normal form, with a warning naming it -----------

BRACKETS = ["[]", "()", "（）", "【】", "［］", "〖〗", "｛｝", "{}", "[〕", "〔】"]


@pytest.mark.parametrize("pair", BRACKETS)
def test_other_brackets_are_read_as_the_standard_ones_with_a_warning(content, pair):
    written = f"济天政办发{pair[0]}2022{pair[1]}4号"
    stored, path, errors, warnings = one(content, written)
    assert stored == "济天政办发〔2022〕4号" and errors == []
    assert warnings == [f"{display_path(path)}:{line_of(path, 'doc_number')}: 警告：发文字号“{written}”的写法不规范，"
                        "已按“济天政办发〔2022〕4号”处理 — 年份用六角括号〔〕，写成 济天政办发〔2022〕4号"]


@pytest.mark.parametrize("written, normal, fix", [
    ("省政府令第０１５８号", "省政府令第158号", "数字用半角，序号前不加 0"),
    ("国务院令（第588号）", "国务院令第588号", "“第…号”不加括号"),
    ("中华人民共和国主席令（第八十一号）", "中华人民共和国主席令第八十一号", "“第…号”不加括号"),
    ("财政部公告２０１５年第３号", "财政部公告2015年第3号", "数字用半角，序号前不加 0"),
    ("财政部公告2015年第03号", "财政部公告2015年第3号", "数字用半角，序号前不加 0"),
    ("中国银监会令（2011年第2号）", "中国银监会令2011年第2号", "“第…号”不加括号"),
    ("济天政办发〔2022〕第4号", "济天政办发〔2022〕4号", "序号前不加“第”"),
    ("济天政办发〔2022〕4", "济天政办发〔2022〕4号", "序号后加“号”"),
    ("国务院令第713", "国务院令第713号", "序号后加“号”"),
    ("济天政办发【２０２２】第０４", "济天政办发〔2022〕4号", "年份用六角括号〔〕，序号前不加“第”，数字用半角，序号前不加 0，序号后加“号”"),
])
def test_slips_in_a_known_shape_are_read_with_a_warning_that_names_the_rule(content, written, normal, fix):
    stored, path, errors, warnings = one(content, written)
    assert stored == normal and errors == []
    assert warnings == [f"{display_path(path)}:{line_of(path, 'doc_number')}: 警告：发文字号“{written}”的写法不规范，"
                        f"已按“{normal}”处理 — {fix}，写成 {normal}"]


# --- an unknown shape: a warning, the value kept as written, the document loads ------------------

@pytest.mark.parametrize("written, hint", [
    ("济天政办发2022年4号", "是不是 济天政办发〔2022〕4号？"),
    ("济天政办发〔22〕4号", ""),
    ("国办发〔2020〕1号、国办发〔2020〕2号", ""),
    ("见附件", ""),
    ("12345", ""),
])
def test_an_unknown_shape_is_a_warning_and_the_document_still_loads(content, written, hint):
    stored, path, errors, warnings = one(content, written)
    assert stored == written and errors == []
    assert warnings == [f"{display_path(path)}:{line_of(path, 'doc_number')}: 警告：发文字号“{written}”不是常见的文号写法，"
                        f"已按原样保留 — {hint}{STANDARD_FIX}"]


@pytest.mark.parametrize("written", ["第158号", "令第3号", "〔2022〕4号", "2015年第3号"])
def test_a_number_without_its_issuer_is_a_warning_that_asks_for_it(content, written):
    stored, path, errors, warnings = one(content, written)
    assert stored == written and errors == []
    assert warnings == [f"{display_path(path)}:{line_of(path, 'doc_number')}: 警告：发文字号“{written}”缺少机关代字或机关名称，"
                        "已按原样保留 — 写全文号，如 济天政办发〔2022〕4号、济南市人民政府令第258号；没有文号的留空"]


def test_an_unknown_shape_is_kept_trimmed():
    assert read_field("  见 附件 ")[0] == "见 附件"


# --- duplicates: one 文号 in two spellings or two shapes ------------------------------------------

@pytest.mark.parametrize("first, second", [
    ("省政府令第147号", "省政府令 第147号"),
    ("省政府令第147号", "省政府令第０１４７号"),
    ("国务院令第713号", "中华人民共和国国务院令 第 713 号"),
    ("主席令第八十一号", "主席令第81号"),
    ("财政部公告2015年第3号", "财政部公告２０１５年第３号"),
    ("财政部公告2015年第3号", "财政部公告〔2015〕3号"),
    ("济天政办发〔2022〕4号", "济天政办发【2022】4号"),
    ("济天政办发〔2022〕4号", "济天政办发 〔2022〕 4 号"),
    ("见附件", "见附件"),  # an unknown shape is compared as written
])
def test_one_number_in_two_spellings_or_shapes_is_a_duplicate_naming_both_files(content, first, second):
    write_document(content, "wenjian-a", doc_number=first)
    other = write_document(content, "wenjian-b", doc_number=second)
    loaded, problems = validated(content)
    stored = {doc.id: doc.doc_number for doc in loaded.documents}
    differs = "" if stored["wenjian-a"] == stored["wenjian-b"] else f"（{stored['wenjian-a']}）"
    assert formatted(problems) == [
        f"{display_path(other)}:{line_of(other, 'doc_number')}: 发文字号“{stored['wenjian-b']}”与 "
        f"{display_path(content / 'documents/test/wenjian-a.md')}{differs} 重复 — 每个发文字号只能对应一个文件，请核对文号"]


@pytest.mark.parametrize("first, second", [
    ("国务院令第713号", "财政部令第713号"),
    ("国务院令第713号", "国务院令第71号"),
    ("财政部公告2015年第3号", "财政部公告2016年第3号"),
    ("财政部公告2015年第3号", "财政部令第3号"),
    ("济天政办发〔2022〕4号", "济天政办发〔2022〕40号"),
    ("济天政办发〔2022〕4号", "济天政办字〔2022〕4号"),
])
def test_different_numbers_are_not_duplicates(content, first, second):
    write_document(content, "wenjian-a", doc_number=first)
    write_document(content, "wenjian-b", doc_number=second)
    _, problems = validated(content)
    assert formatted(problems) == []


# --- the real records: every 文号 loads, none stops the build --------------------------------------

def corpus_numbers() -> list[str]:
    """Every 文号 of the shared corpus's policy records (tests/corpus/doc-numbers.txt, one a line, as
    written there), with any of the bundled records and of the shared corpus beside the checkout."""
    found = dict.fromkeys(line for line in (BUNDLED / "doc-numbers.txt").read_text("utf-8").splitlines() if line)
    for folder in (BUNDLED, SHARED):
        path = folder / "policy-records.jsonl"
        if path.is_file():
            for line in path.read_text("utf-8").splitlines():
                if line.strip() and json.loads(line).get("doc_number"):
                    found[json.loads(line)["doc_number"]] = None
    return list(found)


def test_every_doc_number_of_the_real_records_loads_without_a_message(content):
    numbers = corpus_numbers()
    assert len(numbers) >= 320
    for n, number in enumerate(numbers):
        write_document(content, f"record-{n}", doc_number=number)
    loaded, problems = validated(content)
    assert formatted(problems) == [] and formatted(problems, "warning") == []
    stored = {doc.id: doc.doc_number for doc in loaded.documents}
    assert len(stored) == len(numbers)
    for n, number in enumerate(numbers):
        assert stored[f"record-{n}"] == "".join(number.split()), number


# --- search: a 令 or 公告 number is found as it is typed ---------------------------------------------

@pytest.mark.parametrize("stored, typed", [
    ("省政府令第147号", ["省政府令第147号", "省政府令", "第147号", "政府令第147号"]),
    ("中华人民共和国国务院令第699号", ["国务院令第699号", "中华人民共和国国务院令", "第699号"]),
    ("财政部公告2015年第3号", ["财政部公告2015年第3号", "财政部公告２０１５年第３号", "2015年第3号"]),
])
def test_a_decree_or_announcement_number_sits_in_its_index_record_as_typed(stored, typed):
    """The search record of a document indexes its 文号 (search/records.py); every space-separated
    part of a query typed as the number sits in it at the distances the query places it."""
    page = {position: token for token, position in placed(stored)}
    for query in typed:
        wanted = placed_query(query)
        assert any(all(page.get(base + at, "").startswith(token) for token, at in wanted) for base in page), query


# --- the field parser alone: stable normal forms, hostile input ---------------------------------

def read_field(value) -> tuple[str | None, Problems]:
    problems = Problems()
    ctx = Context(None, Path("x.md"), Path("."), problems)
    ctx.key, ctx.label = "doc_number", "发文字号"
    return doc_number(value, ctx), problems


@FAST
@given(st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["济天政办发", "国务院", "令", "公告", "第", "号", "年", "〔", "〕", "[", "]", "（", "）",
                              "【", "】", "2022", "２０２２", "04", "4", "八十一", " ", "　", "\u200b", "中华人民共和国"]),
             max_size=12).map("".join)))
@example("济天政办发〔2022〕" + "9" * 5000 + "号")
@example("省政府令第" + "0" * 5000 + "1号")
@example("〔" * 3000 + "2022" + "〕" * 3000)
@example("国务院令第" + "九" * 5000 + "号")
@example("济天政办发〔2022〕4号\x00\x1b\u202e")
def test_any_value_gives_a_stable_normal_form_with_at_most_one_warning(value):
    started = time.perf_counter()
    stored, problems = read_field(value)
    assert not problems.errors and len(problems.warnings) <= 1
    if stored is None:
        return
    assert stored == read(stored).normal  # the normal form reads as itself …
    if not problems.warnings:
        assert read(stored).message == ""  # … and a value accepted silently stays silent
    identity(stored)
    if problems.warnings:
        assert len(problems.warnings[0].message) < 200  # a pasted paragraph is not echoed whole
    assert time.perf_counter() - started < 0.5


def test_a_long_value_is_an_unknown_shape_and_is_quoted_short():
    written = "济天政办发〔2022〕" + "9" * 100_000 + "号"
    started = time.perf_counter()
    stored, problems = read_field(written)
    assert time.perf_counter() - started < 0.5
    assert stored == written and len(written) > MAX_LENGTH
    assert problems.warnings[0].message == f"发文字号“{written[:40]}…”不是常见的文号写法，已按原样保留"


def test_the_editors_guide_explains_each_message():
    """Built in doc_numbers.py, these are outside the scan of tests/unit/test_validation.py."""
    guide = (ROOT / "docs/editor-guide.md").read_text("utf-8")
    for message in ("的写法不规范，已按“…”处理", "不是常见的文号写法，已按原样保留", "缺少机关代字或机关名称，已按原样保留"):
        assert f"发文字号“…”{message}" in guide, message
    for shape in ("机关代字〔年份〕序号号", "机关名令第N号", "机关名公告YYYY年第N号"):
        assert shape in guide
