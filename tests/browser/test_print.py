"""Printing: a document comes out as a clean paper copy with its metadata table, whatever 关怀版
settings the reader uses on screen."""

from __future__ import annotations

import re

import pytest

from a11y import CARE_MODE, PAGE_TYPES, open_page, set_care

SCREEN_ONLY = [".care", ".skip-link", ".site-nav", ".header-search", ".breadcrumb", ".site-footer nav", ".see-also"]


@pytest.fixture(params=["default", "care"], scope="module")
def print_page(request, browser_site):
    """The seed document as printed, once per mode for the tests that only read it."""
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    set_care(page, origin, CARE_MODE if request.param == "care" else None)
    open_page(page, origin, PAGE_TYPES["document"])
    page.emulate_media(media="print")
    page.origin = origin
    yield page
    page.close()


def test_document_prints_with_its_metadata_and_without_screen_furniture(print_page):
    page = print_page
    for selector in SCREEN_ONLY:
        assert page.locator(selector).first.is_hidden(), f"{selector} should not print"
    table = page.locator("table.meta-table")
    assert table.is_visible() and table.locator("caption").inner_text() == "文件信息"
    rows = dict(zip(table.locator("th").all_inner_texts(), table.locator("td").all_inner_texts()))
    assert rows["发文字号"] == "济天政办发〔2022〕4号" and rows["有效性"] == "现行有效"
    assert page.locator("h1").is_visible() and page.locator(".prose").is_visible()
    assert page.locator(".print-url").inner_text().startswith("本页网址：http")
    border = page.evaluate("getComputedStyle(document.querySelector('.meta-table td')).borderTopColor")
    assert border == "rgb(0, 0, 0)"


def test_paper_is_black_on_white_at_the_standard_size_even_in_care_mode(print_page):
    page = print_page
    style = page.evaluate("""() => { const body = getComputedStyle(document.body), p = getComputedStyle(document.querySelector('.prose p'));
        return {color: p.color, link: getComputedStyle(document.querySelector('.meta-table a')).color,
                background: body.backgroundColor, root: getComputedStyle(document.documentElement).fontSize, size: p.fontSize}; }""")
    assert style["color"] == style["link"] == "rgb(0, 0, 0)" and style["background"] == "rgb(255, 255, 255)"
    assert style["root"] == "16px" and style["size"] == "16px"  # 12pt


def test_pdf_is_a4_with_the_title_and_page_numbers(print_page, tmp_path):
    page = print_page
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 2 <= pages <= 12, pages  # the seed document runs to a few pages, not dozens
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert sizes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in sizes), sizes
    (tmp_path / "document.pdf").write_bytes(pdf)


def test_task_table_prints_as_a_table_with_repeated_headers(browser_site):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 360, "height": 800})  # printed from a phone
    open_page(page, origin, PAGE_TYPES["task-table"])
    page.emulate_media(media="print")
    display = page.evaluate("""() => [getComputedStyle(document.querySelector('.task-table')).display,
                                      getComputedStyle(document.querySelector('.task-table thead')).display]""")
    assert display == ["table", "table-header-group"]
    assert page.locator(".toc").is_hidden()
    page.close()
