"""The Markdown shortcuts (disclosure/render/markdown_speedups.py) must give exactly the stock output."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import slugify_unicode

from build_helpers import generated
from conftest import ROOT
from disclosure.render.markdown import LinkTargets, MarkdownRenderer
from disclosure.render.markdown_speedups import HeadingIds, SkippingInlineProcessor, _parse_blocks, install

TRICKY = [
    "普通的一段中文，没有任何标记。\n第二行紧接着。",
    "**（一）强化重点领域信息公开。**深化黄河重大国家战略",
    "一行末尾两个空格  \n换行之后",
    "转义的星号 \\*不是强调\\* 和 \\_下划线\\_，反斜杠 \\\\ 本身",
    "`代码里的 *星号* 和 \\` 反引号` 与 ``双反引号 ` 里``",
    "实体 &amp; &copy; &#20013; 和裸的 & 符号，A&B",
    "行内 <b>HTML</b> 与 <span title=\"x>y\">属性</span>，<!-- 注释 -->",
    "自动链接 <https://www.gov.cn/> 和邮箱 <xxgk@example.gov.cn>",
    "[链接](https://www.gov.cn/ \"标题\") ![图片](a.png) [引用][r] [r]\n\n[r]: https://example.gov.cn/",
    "snake_case_word 与 _强调_ 与 __加粗__ 与 *a*b*c*",
    "## 标题\n\n## 标题\n\n## 标题_1\n\n### 一、总体要求\n\n#### A & B <c>\n\n## *强调*的标题\n\n## \\#转义\n\n##   多个   空格  ",
    "[TOC]\n\n## 第一节\n\n### 第一小节\n\n## 第二节",
    "# 一级标题\n\n正文\n\n## 二级 `code` 标题\n\n## 2022年 工作要点！",
    "| 项目 | 说明 |\n|---|---|\n| **加粗** | a_b_c |\n| `x` | &amp; |",
    "```\n代码块里 *不* 处理 [链接](x)\n```\n\n~~~python\nprint('a_b')\n~~~",
    "1. 第一项\n2. 第二项\n\n- 甲\n- 乙\n\n> 引用的 **文字**",
    "<div>块级 HTML *不处理*</div>\n\n段落 \x02 控制字符 \x03 之后",
    "标题一\n===\n\n标题二\n---\n\n正文\n\n***\n\n___\n\n- - -\n\n段落末尾 -- 不是分隔线",
    "１. 全角数字开头\n\n２０２２年的工作\n\n2022年工作要点\n\n+ 加号列表\n+ 第二项\n\n* 星号列表",
    "    四个空格是代码\n\n\t制表符开头\n\n   三个空格的段落\n\n 一个空格",
    "1. 列表\n\n    列表里的第二段\n\n    > 列表里的引用\n\n紧接的普通段落\n第二行",
    "项目 | 说明\n--- | ---\n甲 | 乙\n\n无表头的 | 竖线",
    "   > 缩进的引用\n继续引用\n\n[定义]: https://example.gov.cn/ \"标题\"\n\n正文引用[定义]",
    "<div>\n块\n</div>\n\n普通段落\n\n<p>段落标签</p>\n\n又一段",
]


def stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "toc"],
                             extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
                             output_format="html")


def faster() -> markdown.Markdown:
    md = stock()
    install(md)
    assert isinstance(md.treeprocessors["inline"], SkippingInlineProcessor)
    assert isinstance(md.treeprocessors["toc"], HeadingIds)
    assert md.parser.parseBlocks.__func__ is _parse_blocks
    return md


def convert(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


def bodies(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text("utf-8")
        parts = text.split("\n---\n", 1)
        texts.append(parts[1] if text.startswith("---") and len(parts) == 2 else text)
    return texts


def test_the_build_uses_the_shortcuts(tmp_path):
    renderer = MarkdownRenderer(LinkTargets(tmp_path, "/", set(), {}, None))
    assert isinstance(renderer.md.treeprocessors["inline"], SkippingInlineProcessor)
    assert isinstance(renderer.md.treeprocessors["toc"], HeadingIds)
    assert renderer.md.parser.parseBlocks.__wrapped__.__func__ is _parse_blocks  # under the work budget


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_markdown_is_unchanged(text):
    assert convert(faster(), text) == convert(stock(), text)


def test_every_bundled_and_synthetic_body_is_unchanged():
    corpus = generated(300)
    texts = bodies(ROOT / "content") + bodies(corpus)
    assert len(texts) > 300
    slow, fast = stock(), faster()
    differ = [text[:60] for text in texts if convert(fast, text) != convert(slow, text)]
    assert not differ


PIECES = list("政务公开（一）。，、：；“”# *_`\\[]()!<>&;/x1\n -|=~\x02+１\t.") + ["  \n", "## ", "**", "\n\n", "&amp;", "[TOC]",
                                                                       "    ", "\n\n1. ", "\n---\n", "]: "]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWNISH)
def test_random_markdown_is_unchanged(text):
    assert convert(faster(), text) == convert(stock(), text)
