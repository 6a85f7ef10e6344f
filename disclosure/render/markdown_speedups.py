"""Shortcuts through Python-Markdown for what Chinese documents mostly are: long runs of text with
no Markdown punctuation in them. Each gives byte-for-byte the output of the stock processor it
replaces (tests/unit/test_markdown_speedups.py renders every bundled and synthetic body both ways) and
steps aside to that processor whenever its shortcut might not hold.

Measured on the synthetic corpus, the inline patterns were tried ~350 times per body, each a
regular-expression search over text that could not match, and the heading ids were computed by
serialising every heading and a whole table of contents nobody reads.
"""

from __future__ import annotations

import html
import re
import types

from markdown import Markdown, blockprocessors
from markdown.extensions import sane_lists, tables
from markdown.extensions.toc import TocTreeprocessor, remove_fnrefs, render_inner_html, strip_tags, unique
from markdown.treeprocessors import InlineProcessor

from .markdown_plain import TakenIds

# Every inline pattern Python-Markdown registers for our extensions needs one of these to match:
# ` and \ (code, escapes), [ (links, images, references), < (autolinks, HTML), & (entities),
# * and _ (emphasis), two spaces before a newline (line breaks).
INLINE_PATTERNS = {"backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
                   "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "em_strong"}
TRIGGERS = re.compile(r"[`\\\[<&*_]|  \n")
# Text a heading id can be taken from as it stands: serialising, unescaping and stripping tags
# leave it unchanged.
NOT_PLAIN = re.compile("[&<>\x02\x03]")


# The block processors our configuration registers, in order. Each one before the paragraph
# processor needs, to claim a block: a leading space, digit, + - or * (code, lists), or one of
# these characters somewhere in it: | (tables), # (headings), = or - under a line (setext
# headings), - _ or * (rules), > (quotes), [ (reference definitions).
BLOCK_PROCESSORS = [blockprocessors.EmptyBlockProcessor, blockprocessors.ListIndentProcessor,
                    blockprocessors.CodeBlockProcessor, tables.TableProcessor, blockprocessors.HashHeaderProcessor,
                    blockprocessors.SetextHeaderProcessor, blockprocessors.HRProcessor,
                    sane_lists.SaneOListProcessor, sane_lists.SaneUListProcessor,
                    blockprocessors.BlockQuoteProcessor, blockprocessors.ReferenceProcessor,
                    blockprocessors.ParagraphProcessor]
BLOCK_TRIGGERS = re.compile(r"[|#=_*>\[-]")


def _parse_blocks(parser, parent, blocks: list[str]) -> None:
    """BlockParser.parseBlocks, with a block no other processor could claim handed straight to
    the paragraph processor instead of being tested by each of them first."""
    processors = list(parser.blockprocessors)
    paragraph = processors[-1]
    while blocks:
        block = blocks[0]
        if block and block[0] not in " \n+" and not block[0].isdecimal() and not BLOCK_TRIGGERS.search(block):
            paragraph.run(parent, blocks)
            continue
        for processor in processors:
            if processor.test(parent, block):
                if processor.run(parent, blocks) is not False:
                    break


class SkippingInlineProcessor(InlineProcessor):
    """Text with none of the trigger characters is left as it is, without trying each pattern."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if patternIndex == 0 and not TRIGGERS.search(data):
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)


class HeadingIds(TocTreeprocessor):
    """The toc extension's heading ids, without building the table of contents, unless the text
    asks for one with its marker ([TOC])."""

    def run(self, doc) -> None:
        if self.marker and any(el.text and el.text.strip() == self.marker and len(el) == 0 for el in doc.iter()):
            return super().run(doc)
        used = TakenIds(el.attrib["id"] for el in doc.iter() if "id" in el.attrib)
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" in el.attrib:
                    continue
                if len(el) == 0 and el.text and not NOT_PLAIN.search(el.text):
                    name = " ".join(el.text.split())
                else:
                    name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used, counters)
        self.md.toc_tokens, self.md.toc = [], ""
        return None


def install(md: Markdown) -> None:
    """Swap in the shortcuts where md is configured the way they were checked for."""
    if [type(processor) for processor in md.parser.blockprocessors] == BLOCK_PROCESSORS:
        md.parser.parseBlocks = types.MethodType(_parse_blocks, md.parser)
    priority = {item.name: item.priority for item in md.treeprocessors._priority}
    inline = md.treeprocessors["inline"] if "inline" in priority else None
    if type(inline) is InlineProcessor and {item.name for item in md.inlinePatterns._priority} == INLINE_PATTERNS:
        md.treeprocessors.register(SkippingInlineProcessor(md), "inline", priority["inline"])
    toc = md.treeprocessors["toc"] if "toc" in priority else None
    if type(toc) is TocTreeprocessor and not toc.use_anchors and toc.use_permalinks in (False, None):
        fast = object.__new__(HeadingIds)  # the stock one's settings, taken over as they are
        fast.__dict__.update(toc.__dict__)
        md.treeprocessors.register(fast, "toc", priority["toc"])
