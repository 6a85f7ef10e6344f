"""基层政务公开标准目录 in a real browser, default and care mode (关怀版: 2倍 text, high contrast):
axe-core's WCAG 2.x A/AA rules on the list of areas, an area's table and an area with no rows;
at 360 px and with 2倍 text the page itself never scrolls sideways (the wide table scrolls in its
labelled, focusable region, and the keyboard scrolls it); the table's links are 44 px targets."""

from __future__ import annotations

import pytest

from a11y import CARE_MODE, MODES, assert_accessible, mode_tab, open_page, phone_page, set_care

PAGES = {"areas": "/catalogue/", "area": "/catalogue/shenong-butie/", "area-empty": "/catalogue/jiuye/",
         "body": "/bodies/caizhengju/"}


@pytest.fixture(params=list(MODES), scope="module")
def mode_page(request, browser_site):
    yield from mode_tab(browser_site, request.param)


@pytest.mark.parametrize("name", list(PAGES))
def test_catalogue_pages_are_accessible(mode_page, name):
    page = mode_page
    open_page(page, page.origin, PAGES[name])
    if page.mode == "care":
        classes = page.evaluate("document.documentElement.className").split()
        assert "care-size-200" in classes and "care-contrast" in classes
    assert_accessible(page, name)


@pytest.mark.parametrize("care", [None, CARE_MODE], ids=["360px", "care-2x-360px"])
def test_the_table_scrolls_in_its_region_at_360_px(browser_site, care):
    with phone_page(browser_site, care, PAGES) as page:
        open_page(page, browser_site[0], PAGES["area"])
        region = page.locator(".table-scroll--catalogue")
        assert region.get_attribute("role") == "region"
        label = page.evaluate("document.getElementById(document.querySelector('.table-scroll--catalogue')"
                              ".getAttribute('aria-labelledby')).textContent")
        assert label.startswith("涉农补贴领域基层政务公开标准目录")
        wide = region.evaluate("el => el.scrollWidth - el.clientWidth")
        assert wide > 0, "the table should be wider than a phone and scroll in its region"
        region.focus()
        assert page.evaluate("document.activeElement.classList.contains('table-scroll--catalogue')")
        outline = region.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline != "none", "the focused region shows where the focus is"
        for _ in range(6):
            page.keyboard.press("ArrowRight")
        # Not wait_for_function: it evaluates a string, which the page's CSP (no unsafe-eval) refuses.
        for _ in range(50):
            if region.evaluate("el => el.scrollLeft") > 0:
                break
            page.wait_for_timeout(20)
        assert region.evaluate("el => el.scrollLeft") > 0, "the arrow keys scroll the focused region"


def test_the_area_prints_whole_on_a4(browser_site, tmp_path):
    """On paper nothing scrolls: the table fits the page's width (A4 less the margins), its header
    repeats on each page, and the screen furniture is left out."""
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 360, "height": 800})  # printed from a phone
    set_care(page, origin, CARE_MODE)  # paper gets the defaults whatever the screen uses
    open_page(page, origin, PAGES["area"])
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 642, "height": 900})  # 210 mm less 2 × 2 cm, at 96 px per inch
    measured = page.evaluate("""() => { const t = document.querySelector('.catalogue-table');
        return {table: t.getBoundingClientRect().width, page: document.documentElement.clientWidth,
                head: getComputedStyle(t.tHead).display, nav: getComputedStyle(document.querySelector('.site-nav')).display}; }""")
    assert measured["table"] <= measured["page"], measured
    assert measured["head"] == "table-header-group" and measured["nav"] == "none", measured
    page.pdf(path=str(tmp_path / "catalogue.pdf"), format="A4")
    page.close()
