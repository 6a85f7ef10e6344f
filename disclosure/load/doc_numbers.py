"""The shapes a 发文字号 comes in, each read into one normal form.

Real documents carry three shapes:
- 机关代字〔年份〕序号号 (GB/T 9704-2012, 7.2.4): 济天政办发〔2022〕4号, and 通告 numbered the same way;
- 令 numbered 第N号 without a year, with or without the issuing body's full name: 国务院令第713号,
  中华人民共和国国务院令 第 699 号, 省政府令第158号; 主席令 write N in Chinese numerals (第八十一号);
- 公告、通告 (and some 部门令) numbered by year and sequence: 财政部公告2015年第3号.

A value of one of these shapes is stored in its normal form: no spaces, half-width digits, no
leading zeros, 〔〕 around a year, no brackets around 第N号, 号 at the end. The normal form is what
a page shows and what identity() compares. Anything else is kept as written: an editor may copy a
rare but correct 文号 from the original, which must not stop the build.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .characters import half_width

# A real 文号, a joint one of several bodies included, is a few dozen characters. Past this nothing
# is matched at all, so a pasted paragraph costs no regular-expression work.
MAX_LENGTH = 100

# Brackets editors type for 〔〕, as NFKC leaves them: （）［］｛｝ become ()[]{}, ﹝﹞ become 〔〕.
OPEN, CLOSE = "〔[(【〖〘{", "〕])】〗〙}"
_BRACKETS = OPEN + CLOSE
_O, _C, _B = (re.escape(chars) for chars in (OPEN, CLOSE, _BRACKETS))
# Full-width brackets are reported as brackets, not as full-width characters (see _rules).
_WIDE_BRACKETS = str.maketrans("", "", "（）［］｛｝" + _BRACKETS)
CHINESE_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = f"[{''.join(CHINESE_VALUES)}{''.join(CHINESE_UNITS)}]{{1,12}}"

# On the compact, half-width value. The code excludes brackets, so the first bracket ends it
# without backtracking.
GB_9704 = re.compile(rf"(?P<code>[^{_B}]*)(?P<open>[{_O}])(?P<year>\d{{4}})(?P<close>[{_C}])"
                     r"(?P<di>第?)(?P<serial>\d+)(?P<hao>号?)")
YEAR_SEQUENCE = re.compile(rf"(?P<code>[^{_B}]*?)(?P<open>[{_O}]?)(?P<year>\d{{4}})年第"
                           rf"(?P<serial>\d+)(?P<hao>号?)(?P<close>[{_C}]?)")
DECREE = re.compile(rf"(?P<code>(?:[^{_B}]*令)?)(?P<open>[{_O}]?)第(?P<serial>\d+|{CHINESE_NUMERAL})"
                    rf"(?P<hao>号?)(?P<close>[{_C}]?)")
# Not a shape: a year and a serial without 第 (济天政办发2022年4号), most likely GB/T 9704's.
YEAR_SERIAL = re.compile(r"(?P<code>\D+?)(?P<year>\d{4})年(?P<serial>\d+)号?")
# A 令 number without a body's name is still the body's own: 国务院令 and 中华人民共和国国务院令.
STATE_NAME = "中华人民共和国"

STANDARD = ("常见的写法有三种：机关代字〔年份〕序号号，如 济天政办发〔2022〕4号；令写 机关名令第N号，如 济南市人民政府令第258号；"
            "公告、通告写 机关名公告YYYY年第N号，如 财政部公告2015年第3号")


@dataclass(frozen=True)
class Reading:
    """A 文号 as read: what to store and, when it was not written in its normal form or not in a
    known shape, a warning (message and fix) for the editor."""

    normal: str
    message: str = ""
    fix: str = ""


def read(value: str) -> Reading:
    """`value` is the field's text, already trimmed."""
    if len(value) > MAX_LENGTH:
        return _unknown(value)
    compact = _compact(value)
    half = _half_compact(compact)
    for shape in (GB_9704, YEAR_SEQUENCE, DECREE):
        match = shape.fullmatch(half)
        if match and (match["open"] == "") == (match["close"] == ""):
            break
    else:
        return _unknown(value)
    if not match["code"] or (shape is DECREE and match["code"] == "令"):
        return Reading(value, f"发文字号“{value}”缺少机关代字或机关名称，已按原样保留",
                       "写全文号，如 济天政办发〔2022〕4号、济南市人民政府令第258号；没有文号的留空")
    normal = _normal(shape, match)
    rules = _rules(shape, match, compact)
    if not rules:
        return Reading(normal)  # spaces and invisible characters dropped: nothing an editor need change
    return Reading(normal, f"发文字号“{value}”的写法不规范，已按“{normal}”处理", "，".join(rules) + f"，写成 {normal}")


def identity(normal: str) -> tuple[str, str, str]:
    """What makes two stored 文号 the same one: 财政部公告〔2015〕3号 and 财政部公告2015年第3号 are, and
    so are 国务院令第713号 and 中华人民共和国国务院令第713号, and 主席令第八十一号 and 主席令第81号."""
    for shape in (GB_9704, YEAR_SEQUENCE, DECREE):
        match = shape.fullmatch(normal) if len(normal) <= MAX_LENGTH else None
        if match and match["code"]:
            if shape is DECREE:
                return match["code"].removeprefix(STATE_NAME), "", str(_serial_value(match["serial"]))
            return match["code"], match["year"], match["serial"]
    return normal, "", ""


def _normal(shape: re.Pattern, match: re.Match) -> str:
    serial = _serial(match["serial"])
    if shape is GB_9704:
        return f"{match['code']}〔{match['year']}〕{serial}号"
    if shape is YEAR_SEQUENCE:
        return f"{match['code']}{match['year']}年第{serial}号"
    return f"{match['code']}第{serial}号"


def _rules(shape: re.Pattern, match: re.Match, compact: str) -> list[str]:
    """What the editor wrote otherwise than the normal form, each as the rule to follow."""
    rules = []
    if shape is GB_9704 and (match["open"], match["close"]) != ("〔", "〕"):
        rules.append("年份用六角括号〔〕")
    if shape is not GB_9704 and match["open"]:
        rules.append("“第…号”不加括号")
    if shape is GB_9704 and match["di"]:
        rules.append("序号前不加“第”")
    bare = compact.translate(_WIDE_BRACKETS)
    if half_width(bare) != bare or _serial(match["serial"]) != match["serial"]:
        rules.append("数字用半角，序号前不加 0")
    if not match["hao"]:
        rules.append("序号后加“号”")
    return rules


def _serial(serial: str) -> str:
    # Not int(): a pasted string of thousands of digits is more than int() converts.
    return (serial.lstrip("0") or "0") if serial.isascii() else serial


def _serial_value(serial: str) -> int:
    """A serial in Arabic or Chinese numerals as a number (一百零三 and 一〇三 are 103)."""
    if serial.isascii():
        return int(serial)
    if all(c in CHINESE_VALUES for c in serial):
        return int("".join(str(CHINESE_VALUES[c]) for c in serial))
    total = current = 0
    for char in serial:
        if char in CHINESE_VALUES:
            current = CHINESE_VALUES[char]
        else:
            total += (current or 1) * CHINESE_UNITS[char]
            current = 0
    return total + current


def _unknown(value: str) -> Reading:
    shown = value if len(value) <= 40 else value[:40] + "…"
    guess = YEAR_SERIAL.fullmatch(_half_compact(_compact(value))) if len(value) <= MAX_LENGTH else None
    hint = f"是不是 {guess['code']}〔{guess['year']}〕{_serial(guess['serial'])}号？" if guess else ""
    return Reading(value, f"发文字号“{shown}”不是常见的文号写法，已按原样保留",
                   hint + STANDARD + "。请对照原件核对；原件就是这样写的，可以不改")


def _compact(value: str) -> str:
    """Without spaces (豫政 〔2016〕18号, 国务院令 第 699 号) and characters no one sees (format and
    control characters: the file's own check names them), which would make one 文号 two."""
    return "".join(c for c in value if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc"))


def _half_compact(compact: str) -> str:
    """Half-width and compact at once: NFKC can make a space (¨ is a space and a diaeresis), and
    dropping it can make NFKC compose again; a normal form must read as itself."""
    for _ in range(4):
        half = _compact(half_width(compact))
        if half == compact:
            break
        compact = half
    return half
