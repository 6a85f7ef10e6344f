"""The 依申请公开 guide and the application form in Chromium: no sideways scrolling on a 360 px
phone, a form a reader can fill that goes nowhere, and on paper the write-in boxes without the
site's chrome. Their accessibility in each mode (axe-core, 44 px targets with the form's fields and
checkboxes, contrast) is checked with every other page type's, in test_accessibility.py."""

from __future__ import annotations

import re

import pytest

from a11y import MODES, open_page, overflow, set_care

PAGES = {"guide": "/apply/", "form": "/apply/form/"}


@pytest.mark.parametrize("name", list(PAGES))
def test_readable_on_a_360_px_phone(browser_site, name):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        open_page(page, origin, PAGES[name])
        assert overflow(page) <= 0
        if name == "form":  # the fields keep a usable width beside their labels
            widths = page.eval_on_selector_all(".apply-sheet__input", "els => els.map(e => e.getBoundingClientRect().width)")
            assert min(widths) >= 150, widths
    finally:
        page.close()


def test_the_form_can_be_filled_and_sends_nothing(browser_site):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = []
    try:
        open_page(page, origin, PAGES["form"])
        page.on("request", lambda request: requests.append((request.method, request.url.removeprefix(origin))))
        page.get_by_label("姓名", exact=True).fill("张三")
        page.get_by_label("所需信息的内容描述（名称、文号或其他特征描述）").fill("济天政办发〔2022〕4号的附件")
        page.get_by_label("公民", exact=True).check()
        page.get_by_label("纸质文本").check()
        page.get_by_label("邮寄", exact=True).check()
        page.get_by_label("申请时间").fill("2026年11月26日")
        page.get_by_label("申请时间").press("Enter")  # no form: Enter submits nothing
        page.wait_for_timeout(200)
        # nothing but the site's own files (the icon) is fetched, nothing is sent, the page stays
        assert all(method == "GET" and url.startswith("/static/") for method, url in requests), requests
        assert page.url == origin + PAGES["form"]
        assert page.get_by_label("姓名", exact=True).input_value() == "张三"
        assert page.get_by_label("纸质文本").is_checked() and page.get_by_label("公民", exact=True).is_checked()
        page.get_by_label("法人或其他组织").check()  # one type at a time
        assert not page.get_by_label("公民", exact=True).is_checked()
    finally:
        page.close()


@pytest.fixture(params=list(MODES), scope="module")
def printed_form(request, browser_site):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    set_care(page, origin, MODES[request.param])
    open_page(page, origin, PAGES["form"])
    page.get_by_label("姓名", exact=True).fill("张三")
    page.emulate_media(media="print")
    yield page
    page.close()


CHROME = [".care", ".skip-link", ".site-header", ".site-nav", ".header-search", ".breadcrumb", ".site-footer",
          ".print-url", ".apply-sheet__screen"]


def test_the_printed_form_has_its_write_in_boxes_and_no_site_chrome(printed_form):
    page = printed_form
    for selector in CHROME:
        assert page.locator(selector).first.is_hidden(), f"{selector} should not print"
    assert page.locator("h1").inner_text() == "政府信息公开申请表"
    boxes = page.evaluate("""() => [...document.querySelectorAll('.apply-sheet__input, .apply-sheet__area, .apply-sheet__signcell')]
        .map(el => { const box = el.getBoundingClientRect(), cell = el.closest('td').getBoundingClientRect(),
                            style = getComputedStyle(el.closest('td'));
                     return {id: el.id || el.className, height: box.height, width: box.width, cell: cell.height,
                             border: style.borderTopStyle + ' ' + style.borderTopColor,
                             visible: getComputedStyle(el).visibility === 'visible' && box.height > 0}; })""")
    assert len(boxes) > 20
    for box in boxes:
        assert box["visible"], box
        assert box["border"] == "solid rgb(0, 0, 0)", box  # the cell is the box written in
        assert box["cell"] >= 34, box  # about a centimetre: room for handwriting
        assert box["width"] >= 250, box
    area = next(box for box in boxes if box["id"] == "apply-info-description")
    assert area["height"] >= 165  # 4.5 cm for the description
    checkboxes = page.evaluate("""() => [...document.querySelectorAll('.apply-sheet input[type=checkbox], .apply-sheet input[type=radio]')]
        .map(el => el.getBoundingClientRect().width)""")
    assert checkboxes and min(checkboxes) >= 17  # 0.5 cm
    assert page.get_by_label("姓名", exact=True).input_value() == "张三"  # what was typed prints
    office = page.locator(".apply-sheet__to")
    assert office.is_visible() and "@" in office.inner_text()
    style = page.evaluate("getComputedStyle(document.querySelector('.apply-sheet__table th')).color")
    assert style == "rgb(0, 0, 0)"


def test_the_form_prints_on_a4(printed_form):
    pdf = printed_form.pdf(prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 <= pages <= 2, pages  # the form and its back
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert sizes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in sizes), sizes
