"""Pages load in a real browser, fetch nothing from elsewhere and reflow on a small phone."""

from __future__ import annotations

import pytest

from conftest import SEED_DOC, SEED_TASKS


PAGES = ["/", f"/documents/{SEED_DOC}/", f"/tasks/{SEED_TASKS}/", "/bodies/gongyehexinxihuaju/", "/bodies/",
         "/topics/", "/validity/", "/interpretations/", "/pages/zhinan/", "/404.html"]


@pytest.mark.parametrize("width", [1280, 360, 320])
def test_pages_load_without_errors_or_horizontal_scrolling(browser_site, width):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": width, "height": 900})
    failures, outside = [], []
    page.on("console", lambda m: failures.append(m.text) if m.type == "error" else None)
    # A favicon request cut short by the next navigation is aborted, not failed.
    page.on("requestfailed", lambda r: failures.append(r.url) if "ABORTED" not in (r.failure or "") else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(origin) else None)
    for path in PAGES:
        response = page.goto(origin + path)
        assert response.ok or path == "/404.html", path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)")
        assert size >= 16, f"{path}: body text is {size}px"
    assert failures == [] and outside == []
    page.close()


def test_text_doubles_with_the_browser_font_setting(browser_site):
    """Type is in rem: a reader who sets a larger default font gets larger text."""
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(origin + f"/documents/{SEED_DOC}/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    doubled = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)")
    assert normal >= 18 and doubled == pytest.approx(normal * 2)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.close()


def test_task_table_reads_as_cards_on_a_phone(browser_site):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(origin + f"/tasks/{SEED_TASKS}/#task-23")
    row = page.locator("#task-23")
    box = row.bounding_box()
    assert box["width"] <= 360
    label = page.evaluate(
        "getComputedStyle(document.querySelector('#task-23 td'), '::before').content")
    assert "具体要求" in label
    page.close()


def test_every_page_type_reads_without_javascript(browser_site):
    origin, browser = browser_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in PAGES:
        page.goto(origin + path)
        main = page.locator("main")
        assert main.is_visible() and len(main.inner_text()) > 20, path
        assert page.locator("nav.site-nav a").count() >= 5, path
    page.goto(origin + f"/documents/{SEED_DOC}/")
    assert page.locator("table.meta-table").is_visible()
    assert "解读材料要在政策文件公开后三个工作日内发布" in page.locator(".prose").inner_text()
    context.close()
