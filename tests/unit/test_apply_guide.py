"""The 依申请公开 guide's worked example: counted with the official working-day calendar from the
build date, never written by hand."""

from __future__ import annotations

from datetime import date

from disclosure.model.apply_guide import LIMITS, chinese_date, worked_example
from disclosure.model.workdays import covered_years


def test_the_example_counts_working_days_over_a_holiday():
    # 2025-09-27 is a Saturday; 2025-09-28 a Sunday worked in exchange for the 国庆 holidays
    example = worked_example(date(2025, 9, 27))
    assert example.received == date(2025, 9, 28)
    assert example.correction_by == date(2025, 10, 14)  # 7 working days: 10月1日–8日 are holidays
    assert example.reply_by == date(2025, 10, 31)
    assert example.extended_by == date(2025, 11, 28)
    assert example.exact


def test_a_weekend_build_date_starts_on_the_next_working_day():
    example = worked_example(date(2025, 11, 29))  # a Saturday
    assert example.received == date(2025, 12, 1)
    assert chinese_date(example.received) == "2025年12月1日（星期一）"


def test_beyond_the_known_calendar_the_example_says_it_is_approximate():
    last = covered_years()[1]
    example = worked_example(date(last, 12, 1))
    assert not example.exact and example.last_known_year == last
    assert worked_example(date(last + 3, 6, 1)).reply_by.weekday() < 5


def test_the_limits_name_their_articles():
    steps = {limit.step: limit for limit in LIMITS}
    assert "20 个工作日" in steps["答复"].rule and steps["答复"].basis == "第三十三条第二款"
    assert "7 个工作日" in steps["补正申请"].rule and "重新计算" in steps["补正申请"].rule
    assert "国办函〔2020〕109号" in steps["收费"].rule
