"""What one text may cost to render, so a pasted file cannot stall a build or the preview.

Python-Markdown does work that grows with the square of a text in many places: each unpaired
“[” is scanned to the end of its paragraph, each unfinished HTML tag “<a ” to the end of the text,
each heading or rule inside a long block copies the rest of the block, each inline match copies
its paragraph; nested quotes and lists recurse until Python's stack runs out, and nh3 slows down
with the square of nested block elements. Bodies of a few thousand such characters take seconds,
tens of thousands never finish.

Rather than one rule per shape, the places where that work is done are counted as it is done
(in units of roughly a nanosecond of this machine's time, so the count never depends on the
machine or the moment): a text is given a budget in proportion to its length, far above what
any real document uses (checked on hundreds of real laws), and one that runs out of it is
refused with its line and a fix. Two regular expressions do such work inside one call, where it
cannot be counted (fenced code blocks and code spans): those are estimated from the text first.
"""

from __future__ import annotations

import bisect
import functools
import re

from markdown import Markdown
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor

MAX_CHARS = 1_000_000  # a body or answer: forty times the longest law of the corpus
MAX_DEPTH = 32  # quotes and lists inside each other
MAX_HTML_DEPTH = 100  # raw HTML containers inside each other
# The elements nh3's parser (html5ever) looks through, for each new tag, while they are open:
# nested thousands deep they cost it seconds. Others close each other or cost nothing.
CONTAINERS = frozenset({
    "div", "ul", "ol", "dl", "menu", "dir", "blockquote", "section", "article", "aside", "nav", "header",
    "footer", "main", "search", "figure", "figcaption", "fieldset", "details", "summary", "dialog", "address",
    "center", "hgroup", "pre", "listing",
})
BUDGET_BASE = 200_000_000
BUDGET_PER_CHAR = 20_000  # what real documents use is in docs/benchmarks.md (“Markdown work budget”)

# Units of each kind of work (measured: nanoseconds on the build machine).
BLOCK_RUN, BLOCK_CHAR, BLOCK_LINE = 20_000, 15, 100  # a block processor's pass over a block
INLINE_CALL, ANCESTOR = 20_000, 30  # the inline patterns tried on a text, at a depth of elements
MATCH, COPY_CHARS = 10_000, 4  # an inline match; rebuilding its paragraph costs a unit per COPY_CHARS characters
BRACKET_CHAR = 130  # looking for the “]” of a “[” or the “)” of a link
TAG_CHAR = 100  # looking for the end of a start tag
END_TAG_CHAR = 1
STACK_ENTRY = 30  # an open raw HTML element looked through
FENCE_CHAR = 25
BACKTICK_CHAR = 2


class TooComplex(Exception):
    """A text that would cost too much to render; `kind` says what of it, `snippet` where."""

    def __init__(self, kind: str, snippet: str = ""):
        super().__init__(kind)
        self.kind, self.snippet = kind, snippet


class Budget:
    def __init__(self):
        self.left = 0
        self.depth = 0
        self.block = ""  # the block a block processor was last given

    def start(self, text: str) -> None:
        self.left = BUDGET_BASE + BUDGET_PER_CHAR * len(text)
        self.depth = 0
        self.block = ""

    def charge(self, units: int, kind: str, snippet: str = "") -> None:
        self.left -= units
        if self.left < 0:
            raise TooComplex(kind, snippet)


def check_text(text: str, budget: Budget) -> None:
    """Refuse, before rendering, what costs too much inside a single regular expression call."""
    if len(text) > MAX_CHARS:
        raise TooComplex("size")
    if "```" in text or "~~~" in text:
        scanned, blocks = _fence_scans(text)
        # Each fenced block found is cut out of the whole text, copying it.
        budget.charge(FENCE_CHAR * scanned + blocks * (MATCH + len(text) // COPY_CHARS), "fences",
                      _first(FENCE_LINE, text))
    if "`" in text:
        units, snippet = _backtick_scans(text)
        budget.charge(BACKTICK_CHAR * units, "backticks", snippet)


FENCE_LINE = re.compile(r"^(`{3,}|~{3,})", re.MULTILINE)
CLOSING_FENCE = re.compile(r"^(`{3,}|~{3,})[ ]*$", re.MULTILINE)


def _fence_scans(text: str) -> tuple[int, int]:
    """How far fenced_code's expression looks for the closing fences: from each opening fence
    to the line that closes it (the same fence alone on a line), or to the end; and how many
    blocks it finds."""
    closers: dict[str, list[int]] = {}
    for m in CLOSING_FENCE.finditer(text):
        closers.setdefault(m.group(1), []).append(m.start())
    total, resume, blocks = 0, 0, 0
    for m in FENCE_LINE.finditer(text):
        if m.start() < resume:
            continue  # inside a block already matched
        positions = closers.get(m.group(1), [])
        index = bisect.bisect_right(positions, m.start())
        if index < len(positions):
            total += positions[index] - m.start()
            resume = positions[index] + 1
            blocks += 1
        else:
            total += len(text) - m.start()
    return total, blocks


BACKTICKS = re.compile(r"`+")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _backtick_scans(text: str) -> tuple[int, str]:
    """How far the code-span expression looks: a run of backticks looks for the next run of the
    same length in its paragraph; one that finds none looks to the paragraph's end, once for
    each shorter run it could also be."""
    total, snippet = 0, ""
    for block in BLANK_LINE.split(text):
        runs = [(m.start(), m.end() - m.start()) for m in BACKTICKS.finditer(block)]
        following: dict[int, int] = {}
        next_same = [0] * len(runs)
        for index in range(len(runs) - 1, -1, -1):
            length = runs[index][1]
            next_same[index] = following.get(length, -1)
            following[length] = index
        index = 0
        while index < len(runs):
            position, length = runs[index]
            closer = next_same[index]
            if closer >= 0:
                total += runs[closer][0] - position
                index = closer + 1
            else:
                total += length * (len(block) - position)
                if not snippet and length * (len(block) - position) > 10_000:
                    snippet = block[position:position + 40]
                index += 1
    return total, snippet


def _first(pattern: re.Pattern, text: str) -> str:
    m = pattern.search(text)
    return text[m.start():m.start() + 40] if m else ""


def install(md: Markdown, budget: Budget) -> None:
    """Count the work of md's block processors, inline patterns and raw HTML parser against
    `budget`, and refuse nesting deeper than MAX_DEPTH."""
    for processor in md.parser.blockprocessors:
        processor.run = _charged_block(processor.run, budget)
    inner_parse = md.parser.parseBlocks

    @functools.wraps(inner_parse)
    def parse_blocks(parent, blocks):
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                # The block in hand may be the empty text before a quote's “>”: then the one it was cut from.
                raise TooComplex("depth", _first_line(next((b for b in blocks if b.strip()), budget.block)))
            return inner_parse(parent, blocks)
        finally:
            budget.depth -= 1

    md.parser.parseBlocks = parse_blocks
    for pattern in md.inlinePatterns:
        pattern.handleMatch = _charged_match(pattern.handleMatch, budget)
        if isinstance(pattern, LinkInlineProcessor):
            pattern.getText = _charged_get_text(pattern.getText, budget)
            pattern.getLink = _charged_get_link(pattern.getLink, budget)
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    if isinstance(inline, InlineProcessor):
        inline._InlineProcessor__handleInline = _charged_inline(inline._InlineProcessor__handleInline, inline, budget)
    if "html_block" in md.preprocessors and type(md.preprocessors["html_block"]) is HtmlBlockPreprocessor:
        priority = next(item.priority for item in md.preprocessors._priority if item.name == "html_block")
        md.preprocessors.register(_HtmlBlock(md, budget), "html_block", priority)


def _first_line(block: str) -> str:
    return block.lstrip().split("\n", 1)[0][:40]


def _charged_block(run, budget: Budget):
    def charged(parent, blocks):
        block = blocks[0] if blocks else ""
        budget.block = block
        budget.charge(BLOCK_RUN + BLOCK_CHAR * len(block) + BLOCK_LINE * block.count("\n"), "blocks",
                      _first_line(block))
        return run(parent, blocks)

    return charged


def _charged_inline(handle, processor, budget: Budget):
    # The element's ancestors are copied for each element below it: deep nesting is quadratic.
    def charged(data, patternIndex=0):  # noqa: N803
        budget.charge(INLINE_CALL + ANCESTOR * len(processor.ancestors), "inline", _snippet(data, 0))
        return handle(data, patternIndex)

    return charged


def _snippet(data: str, start: int) -> str:
    # Inline text holds placeholders (\x02…\x03) where earlier matches were: cut before one.
    return data[start:start + 40].split("\x02", 1)[0]


def _charged_match(handle, budget: Budget):
    def charged(m, data):
        node, start, end = handle(m, data)
        if start is not None:
            budget.charge(MATCH + len(data) // COPY_CHARS, "inline", _snippet(data, m.start()))
        return node, start, end

    return charged


def _charged_get_text(get_text, budget: Budget):
    def charged(data, index):
        text, end, handled = get_text(data, index)
        budget.charge(BRACKET_CHAR * (end - index), "brackets", _snippet(data, max(index - 1, 0)))
        return text, end, handled

    return charged


def _charged_get_link(get_link, budget: Budget):
    def charged(data, index):
        href, title, end, handled = get_link(data, index)
        budget.charge(BRACKET_CHAR * (end - index), "brackets", _snippet(data, max(index - 2, 0)))
        return href, title, end, handled

    return charged


class _HtmlBlock(HtmlBlockPreprocessor):
    def __init__(self, md, budget: Budget):
        super().__init__(md)
        self.budget = budget

    def run(self, lines: list[str]) -> list[str]:
        parser = _Extractor(self.md, self.budget)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _Extractor(HTMLExtractor):
    def __init__(self, md, budget: Budget):
        self.budget = budget
        self.containers: list[str] = []  # open, as nh3 will see them (roughly: none closed implicitly)
        super().__init__(md)

    def _to_close(self, i: int) -> int:
        end = self.rawdata.find(">", i)
        return (end if end >= 0 else len(self.rawdata)) - i

    def parse_starttag(self, i: int) -> int:
        end = super().parse_starttag(i)
        if end == i + 1:  # not a whole tag: its “<” is text, after a look to the end of the tag
            self.budget.charge(TAG_CHAR * self._to_close(i), "html", self.rawdata[i:i + 40])
        return end

    def parse_endtag(self, i: int) -> int:
        self.budget.charge(END_TAG_CHAR * self._to_close(i), "html", self.rawdata[i:i + 40])
        return super().parse_endtag(i)

    def handle_starttag(self, tag, attrs):
        if tag in CONTAINERS:
            self.containers.append(tag)
            if len(self.containers) > MAX_HTML_DEPTH:
                raise TooComplex("html-depth", self.get_starttag_text() or "")
        self.budget.charge(STACK_ENTRY * len(self.stack), "html", "")
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in CONTAINERS and tag in self.containers:
            while self.containers.pop() != tag:
                pass
        self.budget.charge(STACK_ENTRY * len(self.stack), "html", "")
        super().handle_endtag(tag)

    def inline_close_follows(self, text: str) -> bool:
        self.budget.charge(END_TAG_CHAR * (len(self.inline_stack) + 1) * (len(self.rawdata) - self.line_offset),
                           "html", text[:40])
        return super().inline_close_follows(text)
