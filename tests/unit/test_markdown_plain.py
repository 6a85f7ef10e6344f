"""Plain texts (disclosure/render/markdown_plain.py) must come out exactly as the full Markdown path gives
them: Python-Markdown, our tree processors and nh3."""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from build_helpers import generated
from conftest import ROOT
from disclosure.render import markdown as markdown_module
from disclosure.render.markdown import _CLEANER, LinkTargets, MarkdownRenderer
from disclosure.render.markdown_plain import render_plain
from test_markdown_speedups import TRICKY, bodies


def full_render(text: str) -> str:
    """The full path only: MarkdownRenderer.render with the plain path switched off."""
    root = ROOT / "content"
    renderer = MarkdownRenderer(LinkTargets(root, "/", set(), {}, None))
    original = markdown_module.render_plain
    markdown_module.render_plain = lambda text: None
    try:
        return renderer.render(text, root / "a.md").html
    finally:
        markdown_module.render_plain = original


@pytest.fixture(scope="module")
def full():
    return full_render


PLAIN = [
    "普通的一段中文，没有任何标记。\n第二行紧接着。\nEnglish line\nnext line",
    "# 一级标题\n\n## 二、坚持以试点破难点\n\n## 二、坚持以试点破难点\n\n###三级没有空格\n\n###### 六级 ##",
    "**（一）强化重点领域信息公开。**深化黄河重大国家战略，**重点**落实\n**跨行**加粗**在一行**",
    "| 序号 | 项目 | 标准 |\n| --- | :---: | ---: |\n| 1 | 疫情防控 | 6600 元 |\n| 2 |\n| 3 | 多 | 余 | 列 |",
    "| 甲 | 乙 |\n|---|---|",
    "\u3000\u3000全角空格缩进的段落，\n\u3000\u3000第二行。\n\n2022年工作要点\n\n0531-12345678 转 2022—2025 年，+1 与 a=b",
    "段落\n1. 不是列表\n- 也不是\n\n结尾有空格 \n下一行 ",
    "",
    " \n\n\u3000",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_texts_take_the_short_way_and_match(text, full):
    assert render_plain(text) is not None
    assert markdown_module._wrap_tables(render_plain(text)) == full(text)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_markdown_is_left_to_the_full_way_or_matches(text, full):
    plain = render_plain(text)
    if plain is not None:
        assert markdown_module._wrap_tables(plain) == full(text)


@pytest.mark.parametrize("text", ["[链接](https://www.gov.cn/)", "- 列表", "1. 列表", "> 引用", "a *强调* b", "***三个***",
                                  "** 空格 **", "**未闭合", "a\n---", "标题\n===", "`代码`", "A&B", "<b>x</b>", "a_b",
                                  "行末两个空格  \n下一行", "| 表 | 头 |\n| 不是分隔行 | x |", "    代码", "## **加粗标题**"])
def test_anything_else_goes_the_full_way(text):
    assert render_plain(text) is None


def test_the_renderer_takes_the_short_way(tmp_path, monkeypatch):
    renderer = MarkdownRenderer(LinkTargets(tmp_path, "/", set(), {}, None))
    monkeypatch.setattr(renderer.md, "convert", None)  # would fail if called
    assert renderer.render("## 标题\n\n正文", tmp_path / "a.md").html == '<h2 id="标题">标题</h2>\n<p>正文</p>'


def test_every_bundled_and_synthetic_body_matches(full):
    corpus = generated(300)
    texts = bodies(ROOT / "content") + bodies(corpus)
    plain = [text for text in texts if render_plain(text) is not None]
    assert len(plain) > 250  # the synthetic bodies are plain, tables included
    differ = [text[:60] for text in plain if markdown_module._wrap_tables(render_plain(text)) != full(text)]
    assert not differ


PIECES = list("政务公开（一）。，、：；“”#*|-:=+1２.a \n\u3000\"'()!?@%{}/^$") + [
    "**", "## ", "# ", "\n\n", "| ", " |", "|---", "---|", "| --- |", "\n| 甲 | 乙 |\n| --- | --- |\n", "1. ", "- ",
    "  \n", "\n\n**", "**\n", "、**", "**深", "\u2028", "\x85", "\ufeff", "\U0001F600", "\ufffe"]
PLAINISH = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def _matches_or_goes_the_full_way(text: str) -> None:
    plain = render_plain(text)
    if plain is None:
        return
    assert markdown_module._wrap_tables(plain) == full_render(text)
    assert _CLEANER.clean(plain) == plain  # nothing nh3 would change


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLAINISH)
@example("**a**\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 |")
@example("## 、、\n\n## ：\n\n## 、、")
@example("政\n ")  # a last line of spaces is blank
def test_random_text_matches_or_goes_the_full_way(text):
    _matches_or_goes_the_full_way(text)


# Documents built the way the plain path reads them — paragraphs (with bold runs), headings and
# tables — so that most examples take the short way and its every branch is compared.
# Drawn as text, not as lists of characters: Hypothesis makes a string in one draw, and most of
# this test's time was spent drawing.
TEXT = st.text(alphabet="政务公开（一）。，、“”：1２a -=+#.\u3000\n", min_size=1, max_size=8)
BOLD = st.tuples(st.sampled_from(["", " ", "、", "\n"]), TEXT, st.sampled_from(["", " ", "\n"])).map(lambda t: f"{t[0]}**{t[1]}**{t[2]}")
WORDS = st.lists(st.one_of(TEXT, TEXT, BOLD, st.just("*")), min_size=1, max_size=5).map("".join)
CELL = st.lists(st.one_of(st.text(alphabet="甲乙 1-:#+=.\u3000", max_size=3), st.just("**")), max_size=3).map("".join)
HEADING = st.tuples(st.integers(1, 7), st.sampled_from(["", " ", "  "]), TEXT, st.sampled_from(["", " #", " ##", "#"])).map(
    lambda t: "#" * t[0] + t[1] + t[2].replace("\n", "") + t[3])


def _table(shape):
    columns, rows, separator, spaces = shape
    line = lambda cells: spaces + "|" + "|".join(cells) + "|" + spaces  # noqa: E731
    return "\n".join([line(["甲"] * columns), line([separator] * columns),
                      *(line(cells) for cells in rows)])


TABLE = st.tuples(st.integers(1, 4), st.lists(st.lists(CELL, max_size=5), max_size=3),
                  st.sampled_from(["---", " --- ", ":--", "--:", ":-:", "", " : "]), st.sampled_from(["", " "])).map(_table)
BLOCKS = st.lists(st.one_of(WORDS, WORDS, HEADING, TABLE), min_size=1, max_size=6).flatmap(
    lambda blocks: st.lists(st.sampled_from(["\n\n", "\n\n\n", "\n", "\n \n"]), min_size=len(blocks), max_size=len(blocks)).map(
        lambda gaps: "".join(block + gap for block, gap in zip(blocks, gaps))))


@pytest.mark.long
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BLOCKS)
def test_random_documents_match_or_go_the_full_way(text):
    _matches_or_goes_the_full_way(text)
