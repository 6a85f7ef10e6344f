"""Working days under the official Chinese holiday and make-up-workday calendar.

chinese-calendar knows only the years whose arrangement the State Council has published (and its
release has caught up with): a date outside them raises NotImplementedError. Outside those years
Monday to Friday are counted instead, and every answer says whether it was exact, so callers can
say so. Counting is per year, not per day: a span of centuries costs as little as a week.
"""

from __future__ import annotations

import bisect
from datetime import date
from functools import lru_cache

_FIRST = date.min.toordinal()  # 0001-01-01, a Monday


def covered_years() -> tuple[int, int]:
    """The first and last year the official calendar knows (the bounds chinese-calendar checks)."""
    import chinese_calendar  # imported late: most builds count no working days

    return min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year


def covered(year: int) -> bool:
    first, last = covered_years()
    return first <= year <= last


@lru_cache(maxsize=None)
def _official(year: int) -> tuple[int, ...]:
    """The ordinals of the working days of a covered year, in order: chinese_calendar.is_workday
    for each day, from its tables directly (far faster than calling it per day)."""
    import chinese_calendar

    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = (date.fromordinal(day) for day in range(first.toordinal(), last.toordinal() + 1))
    return tuple(day.toordinal() for day in days
                 if day in workdays or (day.weekday() < 5 and day not in holidays))


def _weekdays_upto(ordinal: int) -> int:
    """Monday–Fridays from 0001-01-01 up to and including this day."""
    days = ordinal - _FIRST + 1
    return days // 7 * 5 + min(days % 7, 5)


def _nth_weekday(ordinal: int, count: int) -> int:
    """The day that is the count-th Monday–Friday after this one."""
    target = _weekdays_upto(ordinal) + count
    return _FIRST + (target - 1) // 5 * 7 + (target - 1) % 5


def _in_year(year: int, after: int, upto: int) -> int:
    """Working days of `year` after ordinal `after`, up to and including ordinal `upto`."""
    if covered(year):
        days = _official(year)
        return bisect.bisect_right(days, upto) - bisect.bisect_right(days, after)
    return _weekdays_upto(upto) - _weekdays_upto(after)


def working_days_between(start: date, end: date) -> tuple[int, bool]:
    """Working days after `start` up to and including `end`, and whether the official calendar
    covered the whole span (outside the years chinese-calendar knows, weekdays are counted)."""
    if end <= start:
        return 0, True
    count, exact = 0, True
    for year in range(start.year, end.year + 1):
        after = start.toordinal() if year == start.year else date(year, 1, 1).toordinal() - 1
        upto = end.toordinal() if year == end.year else date(year, 12, 31).toordinal()
        count += _in_year(year, after, upto)
        exact = exact and covered(year)
    return count, exact


def add_working_days(start: date, count: int) -> tuple[date, bool] | None:
    """The count-th working day after `start` and whether the official calendar covered the span;
    None when that day is past 9999-12-31."""
    if count <= 0:
        return start, True
    after, exact = start.toordinal(), True
    for year in range(start.year, date.max.year + 1):
        end = date(year, 12, 31).toordinal()
        exact = exact and covered(year)
        left = _in_year(year, after, end)
        if count <= left:
            if covered(year):
                days = _official(year)
                return date.fromordinal(days[bisect.bisect_right(days, after) + count - 1]), exact
            return date.fromordinal(_nth_weekday(after, count)), exact
        count -= left
        after = end
    return None
