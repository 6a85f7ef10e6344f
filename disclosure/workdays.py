"""Working days under the official Chinese holiday and make-up-workday calendar."""

from __future__ import annotations

from datetime import date, timedelta


def working_days_between(start: date, end: date) -> tuple[int, bool]:
    """Working days after `start` up to and including `end`, and whether the official calendar
    covered the whole span (outside the years chinese-calendar knows, weekdays are counted)."""
    import chinese_calendar

    count, exact, day = 0, True, start
    while day < end:
        day += timedelta(days=1)
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            exact = False
            working = day.weekday() < 5
        count += working
    return count, exact
