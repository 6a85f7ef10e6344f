"""What date a task's deadline text means (完成时限 → due date).

Deadlines are written as the source writes them: 全年, 2022年9月底前, 2022年底前完成，长期坚持,
本文件印发后30日内. Relative deadlines count from the plan document's date; 全年 and 年底前
without a year mean the end of the plan's year. Text with no date in it (长期坚持) has no due date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十一": 11, "十二": 12}
_NUM = r"(\d+|[一二三四五六七八九十]+)"


def _number(text: str) -> int:
    return int(text) if text.isdigit() else CN_DIGITS.get(text, 0)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_working_days(start: date, days: int) -> date:
    from chinese_calendar import is_workday  # imported late: only relative working-day deadlines need it

    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_workday(current):
            days -= 1
    return current


def due_date(deadline: str, plan_date: date) -> date | None:
    """The date a deadline text means, or None when it names none (长期坚持)."""
    text = "".join(deadline.split())
    year = plan_date.year

    relative = re.search(r"(?:印发|发布|出台|公布)(?:后|之日起)" + _NUM + r"(个)?(工作日|日|天|个月|月)内?", text)
    if relative:
        count, unit = _number(relative.group(1)), relative.group(3)
        if unit == "工作日":
            return _add_working_days(plan_date, count)
        if unit in ("个月", "月"):
            month = plan_date.month - 1 + count
            y, m = year + month // 12, month % 12 + 1
            return date(y, m, min(plan_date.day, calendar.monthrange(y, m)[1]))
        return plan_date + timedelta(days=count)

    full = re.search(r"(\d{4})年" + _NUM + r"月" + r"(\d{1,2})日", text)
    if full:
        try:
            return date(int(full.group(1)), _number(full.group(2)), int(full.group(3)))
        except ValueError:
            return None
    month = re.search(r"(?:(\d{4})年)?" + _NUM + r"月(?:底|末|份|中旬|上旬|下旬)?", text)
    if month and 1 <= _number(month.group(2)) <= 12:
        y = int(month.group(1)) if month.group(1) else year
        m = _number(month.group(2))
        if "上旬" in text:
            return date(y, m, 10)
        if "中旬" in text:
            return date(y, m, 20)
        return _month_end(y, m)
    quarter = re.search(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度", text)
    if quarter:
        y = int(quarter.group(1)) if quarter.group(1) else year
        return _month_end(y, _number(quarter.group(2)) * 3)
    half = re.search(r"(?:(\d{4})年)?(上|下)半年", text)
    if half:
        y = int(half.group(1)) if half.group(1) else year
        return date(y, 6, 30) if half.group(2) == "上" else date(y, 12, 31)
    year_end = re.search(r"(?:(\d{4})年)?(?:年底|年末|全年|年内|底前)", text)
    if year_end:
        return date(int(year_end.group(1)) if year_end.group(1) else year, 12, 31)
    bare_year = re.search(r"(\d{4})年", text)
    if bare_year:
        return date(int(bare_year.group(1)), 12, 31)
    return None
