"""Characters an editor cannot see in a file, reported by line: errors for those that break
feeds or disguise text, warnings for the rest. And full-width characters read as half-width, for
numbers (文号, 索引号) that must compare equal however they were typed."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ERROR, WARNING, Problems

# What a search can find: runs of Han characters and runs of letters and digits (search/tokens.py
# indexes these; config.yaml's synonyms are checked against them).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
LATIN = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
PIECE = re.compile(f"([{HAN}]+)|([{LATIN}]+)")

# Characters an editor cannot see, by what they do. Controls (Word's manual line break U+000B,
# NUL, form feed, C1) make feeds and sitemaps invalid XML; direction overrides make text show
# reversed, which can disguise what a page says: both are errors. The rest are harmless on the
# page but break search and copying: warnings. Front matter controls are the YAML reader's.
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                      "\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff\ue000-\uf8ff]")
_BODY_ERRORS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_YAML_ERRORS = re.compile("[\x85\u202a-\u202e\u2066-\u2069]")  # those the YAML reader lets through
_WARNINGS = re.compile("[\u00ad\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff\ufff9-\ufffb\ue000-\uf8ff]")
_NAMES = {0x00AD: "软连字符", 0x200B: "零宽空格", 0x200C: "零宽不连字", 0x200D: "零宽连字", 0x200E: "从左到右标记",
          0x200F: "从右到左标记", 0x2028: "行分隔符", 0x2029: "段分隔符", 0x2060: "零宽不换行空格",
          0xFEFF: "字节顺序标记 BOM"}
INVISIBLE_FIX = "这通常是从 Word、PDF 或网页复制时带进来的：请删掉这一行里的特殊字符，或把这一行重新输入一遍"
_REPORTED_LINES = 5  # per kind and file: the editor retypes those lines and sees the rest on the next build


def _problem(char: str) -> tuple[str, str, bool]:
    code = ord(char)
    if code < 0xA0 or code in (0xFFFE, 0xFFFF):
        return f"文件里有看不见的控制字符（U+{code:04X}）", INVISIBLE_FIX, True
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return (f"文件里有改变文字方向的控制字符（U+{code:04X}）",
                "这种字符看不见，却会让文字倒着显示，可能被用来伪装内容：请删掉这一行里的特殊字符，或把这一行重新输入一遍", True)
    if 0xE000 <= code <= 0xF8FF:
        return (f"文件里有显示不出来的字符（U+{code:04X}，私用区）",
                "这通常是从 PDF 复制时带进来的，网页上会显示成方框：请改成对应的文字", False)
    name = _NAMES.get(code, "格式字符")
    return f"文件里有看不见的特殊字符（U+{code:04X} {name}）", "读者看不见它，它却会妨碍搜索和复制。" + INVISIBLE_FIX, False


def check_characters(path: Path, text: str, problems: Problems, yaml_end: int = 0) -> None:
    """Report invisible characters, each kind at its first few lines. `text[:yaml_end]` is YAML,
    whose reader has reported its controls already. One scan at C speed when there are none."""
    if _SUSPECT.search(text) is None:
        return
    for pattern, start, end in ((_YAML_ERRORS, 0, yaml_end), (_BODY_ERRORS, yaml_end, len(text)),
                                (_WARNINGS, 0, len(text))):
        lines: set[int] = set()
        line, counted = 1, 0
        for match in pattern.finditer(text, start, end):
            line += text.count("\n", counted, match.start())
            counted = match.start()
            if line in lines:
                continue
            lines.add(line)
            message, fix, error = _problem(match.group())
            problems.add(path, line, message, fix, ERROR if error else WARNING)
            if len(lines) == _REPORTED_LINES:
                break


def half_width(value: str) -> str:
    """Full-width letters, digits and brackets as half-width (NFKC keeps 〔〕, and turns ﹝﹞ into them)."""
    # \d and int() accept every script's digits; NFKC leaves some (٤) as they are.
    return re.sub(r"\d", lambda match: str(int(match.group(0))), unicodedata.normalize("NFKC", value))
