"""The HTML of a plain text without Python-Markdown, when the text is made only of what most
policy documents are: paragraphs of text (with **bold** lead-ins), ATX headings and simple
pipe tables. The result is byte for byte what MarkdownRenderer gives the same text through
Python-Markdown, our tree processors and nh3 (tests/unit/test_markdown_plain.py compares them on every
bundled and synthetic body and on random text); anything else — a link, a list, a quote, raw
HTML, an escape, an odd run of asterisks — returns None and goes the full way.

The full way costs most in Python-Markdown's machinery (building and walking an element tree,
placeholders, serialising) and in re-parsing the result with nh3; this way skips both (figures in
docs/benchmarks.md, 设计时量过的数字).
"""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify_unicode, unique

# Characters that make a text not plain: inline Markdown (code, escapes, links, raw HTML, entities,
# underscore emphasis), fenced code (~~~), block quotes (>), tabs and carriage returns (which
# Python-Markdown rewrites), its own placeholder markers, other control characters and NBSP (which
# nh3 writes differently from Python-Markdown).
NOT_PLAIN = re.compile("[`\\\\\\[<>&_~\t\r\x00-\x09\x0b-\x1f\x7f-\xa0]|  \n")
# A line Python-Markdown could read as a rule or a setext heading underline.
RULE_LIKE = re.compile(r"^ *[-=*_][-=*_ ]*$", re.MULTILINE)
LIST_START = re.compile(r"\d+[.)]")
ASTERISKS = re.compile(r"\*+")
SEPARATOR_CELL = re.compile(r"^[ ]*:?-+:?[ ]*$")
CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
CJK_BREAK = re.compile(rf"(?<=[{CJK}])\n(?=[{CJK}])")  # a line break between Chinese characters is dropped
BLANK_LINE = re.compile(r"(?<=\n) +\n")


# The ids the page templates give their own elements (the skip link's #main, the search box the
# scripts look up, the headings sections are labelled by): a heading of the text must not take
# one. tests/unit/test_hostile_markdown.py checks this against templates/.
TEMPLATE_IDS = frozenset({
    "main", "doc-title", "interp-title", "page-title", "history-title", "search-app", "search-form", "search-input",
    "search-hint", "search-clear", "search-filters", "search-sort", "search-status", "search-results",
    "search-more", "search-options", "search-suggest", "header-search-input", "care-panel", "care-toggle", "care-rate-label", "care-size-label",
    "care-speech-label", "care-speech-status", "care-view-label", "all-heading", "attachments-heading",
    "bodies-heading", "browse-heading", "columns-heading", "data-heading", "docs-heading", "faq-heading",
    "filters-heading", "group-tasks-heading", "howto-heading", "interp-heading", "kinds-heading",
    "latest-heading", "members-heading", "repeals-heading", "results-heading", "tasks-heading", "toc-heading",
    "topics-heading", "basis-heading", "changes-heading", "catalogue-heading", "catalogue-caption",
    "catalogue-rows-caption", "catalogue-group-rows-caption", "reports-heading",
    "by-year", "by-issuer",  # 年度报告 (reports_index.html)
    # 意见征集 and 重大行政决策事项目录
    "consultation-title", "respond-heading", "explanation-heading", "background-heading", "draft-heading",
    "feedback-heading", "feedback", "open-consultations-heading", "consultations-heading", "decisions-heading",
    "participation-heading", "consultations-feed-heading", "decisions-caption", "item-title", "trail-heading",
})
TEMPLATE_ID = re.compile(r"(?:area|task|item|search-option|part|year)-\d+|q\d+|type-[a-z]+|apply-[a-z0-9-]+|table-\d+-caption")


class TakenIds(set):
    """The ids a text's headings may not take: those already given, and the templates' own."""

    def __contains__(self, value) -> bool:
        return set.__contains__(self, value) or value in TEMPLATE_IDS or TEMPLATE_ID.fullmatch(value) is not None


class _NotPlain(Exception):
    pass


def render_plain(text: str) -> str | None:
    """The sanitised HTML of `text` (tables not yet wrapped), or None if it is not plain."""
    if NOT_PLAIN.search(text) or RULE_LIKE.search(text):
        return None
    if not text.strip():
        return ""
    # As Python-Markdown's NormalizeWhitespace and BlockParser split it.
    source = text + "\n\n"  # a last line of spaces is blank too
    if " \n" in source:
        source = BLANK_LINE.sub("\n", source)
    html, used, counters = [], TakenIds(), {}
    try:
        for block in source.split("\n\n"):
            block = block.lstrip("\n")
            if not block:
                continue
            first = block[0]
            if first == "#":
                html.append(_heading(block, used, counters))
            elif first == "|":
                html.append(_table(block))
            elif first in " +-=" or (first.isdecimal() and LIST_START.match(block)) or "|" in block:
                return None
            elif block.strip():
                html.append(_paragraph(block))
    except _NotPlain:
        return None
    return "\n".join(html)


def _heading(block: str, used: set, counters: dict) -> str:
    hashes = len(block) - len(block.lstrip("#"))
    title = block[hashes:].rstrip("#").strip()  # closing hashes are optional
    if hashes > 6 or "\n" in block or "*" in title or not title:
        raise _NotPlain
    level = max(hashes, 2)  # the page title is the only h1
    slug = unique(slugify_unicode(" ".join(title.split()), "-"), used, counters)
    return f'<h{level} id="{slug}">{title}</h{level}>'


def _paragraph(block: str) -> str:
    if "#" in block:
        raise _NotPlain
    text = block.lstrip()
    if "*" in text:
        return f"<p>{_bold(text)}</p>"
    return f"<p>{_join_lines(text)}</p>"


def _bold(text: str) -> str:
    """Runs of exactly two asterisks, each opening one closed by the next: Python-Markdown's
    delimiter rules give <strong> for those; anything else is left to it."""
    parts, position, opening = [], 0, None
    for run in ASTERISKS.finditer(text):
        start, end = run.span()
        if end - start != 2:
            raise _NotPlain
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if opening is None:
            if not after or after.isspace() or end == len(text.rstrip("\n")):
                raise _NotPlain
            parts.append(_join_lines(text[position:start]))
            opening = end
        else:
            if not before or before.isspace() or end - 2 == opening:
                raise _NotPlain
            parts.append(f"<strong>{_join_lines(text[opening:start])}</strong>")
            opening, position = None, end
    if opening is not None:
        raise _NotPlain
    parts.append(_join_lines(text[position:]))
    return "".join(parts)


def _join_lines(text: str) -> str:
    return CJK_BREAK.sub("", text) if "\n" in text else text


def _table(block: str) -> str:
    rows = [line.strip(" ") for line in block.split("\n")]
    if len(rows) < 2 or any(len(row) < 2 or row[0] != "|" or row[-1] != "|" for row in rows):
        raise _NotPlain
    cells = [row[1:-1].split("|") for row in rows]
    columns = len(cells[0])
    if columns < 2 or len(cells[1]) != columns or not all(SEPARATOR_CELL.match(cell) for cell in cells[1]):
        raise _NotPlain
    out = ["<table>\n<thead>\n<tr>\n"]
    out += [f'<th scope="col">{_cell(cell)}</th>\n' for cell in cells[0]]
    out.append("</tr>\n</thead>\n<tbody>\n")
    for row in cells[2:] or [[]]:
        out.append("<tr>\n")
        out += [f"<td>{_cell(row[i]) if i < len(row) else ''}</td>\n" for i in range(columns)]
        out.append("</tr>\n")
    out.append("</tbody>\n</table>")
    return "".join(out)


def _cell(cell: str) -> str:
    cell = cell.strip(" ")
    if "*" in cell:
        raise _NotPlain
    return cell
