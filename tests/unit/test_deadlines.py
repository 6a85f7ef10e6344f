"""What a task's deadline text means as a date."""

from datetime import date

import pytest

from disclosure.model.deadlines import due_date

PLAN = date(2022, 6, 16)


@pytest.mark.parametrize("text, expected", [
    ("全年", date(2022, 12, 31)),
    ("2022年底前", date(2022, 12, 31)),
    ("2022 年底前完成，长期坚持", date(2022, 12, 31)),
    ("2022年9月底前", date(2022, 9, 30)),
    ("2022 年 9 月底\n前", date(2022, 9, 30)),
    ("2022年9月底前完成，并长期坚持", date(2022, 9, 30)),
    ("2022年6月底前", date(2022, 6, 30)),
    ("2023年2月底前", date(2023, 2, 28)),
    ("2024年2月底前", date(2024, 2, 29)),
    ("本文件印发后30日内", date(2022, 7, 16)),
    ("本文件印发后 30 日内", date(2022, 7, 16)),
    ("印发后10个工作日内", date(2022, 6, 30)),  # 6-17 and 6-20…6-30 are working days
    ("印发之日起3个月内", date(2022, 9, 16)),
    ("2022年第三季度", date(2022, 9, 30)),
    ("上半年", date(2022, 6, 30)),
    ("年内", date(2022, 12, 31)),
    ("2022年12月15日前", date(2022, 12, 15)),
    ("长期坚持", None),
    ("持续推进", None),
])
def test_due_date(text, expected):
    assert due_date(text, PLAN) == expected


def test_working_days_skip_the_national_day_holiday():
    # 2023-09-28 (Thu) + 3 working days: 9-29…10-6 are holidays, 10-7 and 10-8 are make-up working days.
    assert due_date("印发后3个工作日内", date(2023, 9, 28)) == date(2023, 10, 9)
