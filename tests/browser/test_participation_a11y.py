"""意见征集 and 重大行政决策事项目录 in a real browser, default and care mode (关怀版: 2倍 text, high
contrast): axe-core's WCAG 2.x A/AA rules on the list, an open consultation, the 目录 list, a
year's 目录, a 事项's trail and the body page's two sections (the home page's open consultations
with every page type, in test_accessibility.py); at 360 px and with 2倍 text no page scrolls
sideways (the 目录's wide table scrolls in its labelled region); the way to respond is links and
addresses, never a form."""

from __future__ import annotations

import pytest

from a11y import CARE_MODE, MODES, assert_accessible, mode_tab, open_page, phone_page

CONSULTATION = "/consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian/"
PAGES = {"home": "/", "consultations": "/consultations/", "consultation": CONSULTATION,
         "decisions": "/decisions/", "catalogue": "/decisions/2026/",
         "item": "/decisions/2026/shili-laojiu-xiaoqu-gaizao/", "body": "/bodies/zhufangchengxiangjiansheju/"}


@pytest.fixture(params=list(MODES), scope="module")
def mode_page(request, browser_site):
    yield from mode_tab(browser_site, request.param)


# The home page is checked with every other page type (test_accessibility.py).
@pytest.mark.parametrize("name", [name for name in PAGES if name != "home"])
def test_participation_pages_are_accessible(mode_page, name):
    page = mode_page
    open_page(page, page.origin, PAGES[name])
    assert_accessible(page, name)


@pytest.mark.parametrize("care", [None, CARE_MODE], ids=["360px", "care-2x-360px"])
def test_no_page_scrolls_sideways_at_360_px(browser_site, care):
    with phone_page(browser_site, care, PAGES) as page:
        open_page(page, browser_site[0], PAGES["catalogue"])
        region = page.locator(".table-scroll--catalogue")
        assert region.get_attribute("role") == "region"
        assert region.evaluate("el => el.scrollWidth - el.clientWidth") > 0, "the wide table scrolls in its region"


def test_the_open_consultation_takes_no_submissions(browser_site):
    origin, browser = browser_site
    page = browser.new_page()
    open_page(page, origin, CONSULTATION)
    assert page.locator("main form").count() == 0
    assert page.locator("a[href^='mailto:']").count() == 1
    assert "征集中（还剩" in page.locator(".notice--open").inner_text()
    open_page(page, origin, "/")
    heading = page.locator("#open-consultations-heading")
    assert heading.inner_text() == "正在征集意见"
    assert "还剩" in page.locator("section[aria-labelledby='open-consultations-heading']").inner_text()
    page.close()
