"""What date a task's deadline text means (完成时限 → due date).

Deadlines are written as the source writes them: 全年, 2022年9月底前, 2022年底前完成，长期坚持,
本文件印发后30日内, 二〇二二年十二月底前. Relative deadlines count from the plan document's date;
全年 and 年底前 without a year mean the end of the plan's year. Text with no date in it (长期坚持)
has no due date. Text naming a date that cannot exist (2022年13月底前, 0000年底前, a count that
runs past the year 9999) is the editor's mistake: DeadlineError says which and how to fix it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from .workdays import add_working_days

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_SECTIONS = {"万": 10_000, "亿": 100_000_000}
_CHINESE_NUMBER = re.compile("[" + "".join([*_DIGITS, *_UNITS, *_SECTIONS]) + "]+")
_MAX_DIGITS = 9  # no real count or year is longer; int() refuses strings of over 4,300 digits

# Every number starts where no digit precedes it, so a long digit string is scanned once, not once per digit.
_N = r"(?<!\d)(\d+)"
_RELATIVE = re.compile(r"((?:印发|发布|出台|公布|下发|实施|施行)(?:之日)?(?:后|起))?" + _N
                       + r"(个)?(工作日|自然日|日|天|周|星期|月|年)(内|以内|之内)?")
_FULL = re.compile(_N + r"年" + _N + r"月" + _N + r"[日号]|(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
# 6-9月, 6月至9月: the later month is the deadline.
_MONTH = re.compile(r"(?:" + _N + r"年)?(?:(?<!\d)\d+月?[-－—~～至到])?" + _N + r"月(底|末|份|中旬|上旬|下旬)?")
_QUARTER = re.compile(r"(?:" + _N + r"年)?第?" + _N + r"季度")
_HALF = re.compile(r"(?:" + _N + r"年)?(上|下)半年")
_YEAR_END = re.compile(r"(?:" + _N + r"年)?(?<![\d个])(?:年底|年末|全年|年内|底前)")
_BARE_YEAR = re.compile(_N + r"年")


class DeadlineError(ValueError):
    """A deadline text that names a date that cannot be: what is wrong and how to fix it."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass(frozen=True)
class Due:
    date: date | None
    exact: bool = True  # False when working days past the official calendar were counted Monday–Friday


def due_date(deadline: str, plan_date: date) -> date | None:
    """The date a deadline text means, or None when it names none (长期坚持)."""
    return resolve(deadline, plan_date).date


def resolve(deadline: str, plan_date: date) -> Due:
    """The due date of a deadline text counted from the plan's date. Raises DeadlineError."""
    text = _arabic("".join(unicodedata.normalize("NFKC", deadline).split()))
    quoted = quote(deadline)
    relative = next((match for match in _RELATIVE.finditer(text) if _is_duration(match, text)), None)
    if relative:
        return _relative(quoted, plan_date, _count(quoted, relative.group(2)), relative.group(4))
    full = _FULL.search(text)
    if full:
        found = full.groups()[:3] if full.group(1) else full.groups()[3:]  # 2022年9月30日 or 2022-09-30
        year, month, day = _year(quoted, found[0]), _month(quoted, found[1]), _count(quoted, found[2])
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DeadlineError(f"完成时限“{quoted}”中的日期 {year}年{month}月{day}日不存在",
                                "请核对月份和日期（如 2 月没有 30 日）")
        return Due(date(year, month, day))
    month = _MONTH.search(text)
    if month:
        year, number = _year(quoted, month.group(1), plan_date), _month(quoted, month.group(2))
        day = {"上旬": 10, "中旬": 20}.get(month.group(3), calendar.monthrange(year, number)[1])
        return Due(date(year, number, day))
    quarter = _QUARTER.search(text)
    if quarter:
        year, number = _year(quoted, quarter.group(1), plan_date), _count(quoted, quarter.group(2))
        if not 1 <= number <= 4:
            raise DeadlineError(f"完成时限“{quoted}”中的第 {number} 季度不存在", "季度只有第一到第四季度，如 2022年第三季度")
        return Due(date(year, number * 3, calendar.monthrange(year, number * 3)[1]))
    half = _HALF.search(text)
    if half:
        year = _year(quoted, half.group(1), plan_date)
        return Due(date(year, 6, 30) if half.group(2) == "上" else date(year, 12, 31))
    year_end = _YEAR_END.search(text)
    if year_end:
        return Due(date(_year(quoted, year_end.group(1), plan_date), 12, 31))
    # 用3年时间 names no year; 用3年时间，到2025年 names 2025.
    bare_year = next((match for match in _BARE_YEAR.finditer(text) if len(match.group(1)) >= 4), None)
    if bare_year:
        return Due(date(_year(quoted, bare_year.group(1)), 12, 31))
    return Due(None)


def _is_duration(match: re.Match, text: str) -> bool:
    """Whether a number and unit count time from the plan (印发后30日内, 3个月内, 两年内) rather than
    name a date: 9月 and 2022年 are dates, 2022年9月15日内 is a date, 印发后12月底前 means December."""
    anchored, digits, counted, unit, within = match.groups()
    if unit == "月" and not counted and not within:
        return False
    if unit == "年" and len(digits) > 2:
        return False
    if anchored:
        return True
    return bool(within) and text[match.start() - 1: match.start()] not in ("年", "月")


def _relative(quoted: str, start: date, count: int, unit: str) -> Due:
    if unit == "工作日":
        found = add_working_days(start, count)
        if found is None:
            raise _out_of_range(quoted)
        return Due(*found)
    if unit in ("月", "年"):
        months = start.month - 1 + count * (12 if unit == "年" else 1)
        year, month = start.year + months // 12, months % 12 + 1
        if year > date.max.year:
            raise _out_of_range(quoted)
        return Due(date(year, month, min(start.day, calendar.monthrange(year, month)[1])))
    days = count * (7 if unit in ("周", "星期") else 1)
    if days > date.max.toordinal() - start.toordinal():
        raise _out_of_range(quoted)
    return Due(start + timedelta(days=days))


def _out_of_range(quoted: str) -> DeadlineError:
    return DeadlineError(f"完成时限“{quoted}”推算出的到期日期超出了公元 9999 年",
                         "请核对时限中的数字，如 印发后30日内；或用 due: 写明到期日期，如 due: 2022-12-31")


def _count(quoted: str, digits: str) -> int:
    if len(digits) > _MAX_DIGITS:
        raise DeadlineError(f"完成时限“{quoted}”中的数字“{quote(digits, 12)}”太大",
                            "请核对时限中的数字，如 印发后30日内；或用 due: 写明到期日期，如 due: 2022-12-31")
    return int(digits)


def _year(quoted: str, digits: str | None, default: date | None = None) -> int:
    if digits is None and default is not None:
        return default.year
    if digits is None or len(digits) != 4 or not 1 <= int(digits) <= date.max.year:
        raise DeadlineError(f"完成时限“{quoted}”中的年份“{quote(digits or '', 12)}”不对",
                            "年份写四位数，如 2022年底前；或用 due: 写明到期日期，如 due: 2022-12-31")
    return int(digits)


def _month(quoted: str, digits: str) -> int:
    number = _count(quoted, digits)
    if not 1 <= number <= 12:
        raise DeadlineError(f"完成时限“{quoted}”中的月份 {number} 不存在", "月份是 1 到 12，如 2022年9月底前")
    return number


def quote(text: str, limit: int = 40) -> str:
    """The text as a message quotes it: never a pasted page."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _arabic(text: str) -> str:
    """Numbers in Chinese numerals (二〇二二, 十二, 三十, 一百, 两) as Arabic digits, each kept apart
    from digits next to it (统一12月 must not become month 112)."""

    def replace(match: re.Match) -> str:
        value = _chinese_number(match.group(0))
        if value is None:
            return match.group(0)
        before, after = text[match.start() - 1: match.start()], text[match.end(): match.end() + 1]
        return (" " if before.isdigit() else "") + value + (" " if after.isdigit() else "")

    return _CHINESE_NUMBER.sub(replace, text) if _CHINESE_NUMBER.search(text) else text


def _chinese_number(word: str) -> str | None:
    """一百二十 → 120, 二〇二二 → 2022 (digit by digit), 十五 → 15; None for what is no number (十四五)."""
    if all(char in _DIGITS for char in word):
        return "".join(str(_DIGITS[char]) for char in word)
    total = section = 0
    digit = None  # the digit waiting for its unit
    for char in word:
        if char in _DIGITS:
            if digit not in (None, 0):  # two digits in a row without a unit between them
                return None
            digit = _DIGITS[char]
        elif char in _UNITS:
            if digit is None and not (char == "十" and section == 0 and total == 0):
                return None
            section += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            if section == 0 and not digit:
                return None
            total += (section + (digit or 0)) * _SECTIONS[char]
            section, digit = 0, None
    return str(total + section + (digit or 0))
