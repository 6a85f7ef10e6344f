"""政府信息公开工作年度报告 in a browser (issue 19, part 1): at 360 px the 10-column 第三部分 scrolls
inside its labelled, focusable region and the page itself does not; on A4 paper it fits the width.
axe-core and 关怀版 on /reports/ and the report page are in test_accessibility.py (PAGE_TYPES)."""

from __future__ import annotations

from a11y import CARE_MODE, PAGE_TYPES, axe_violations, open_page, overflow, set_care

REGION_JS = """() => [...document.querySelectorAll('.report .table-scroll')].map((region) => ({
  label: document.getElementById(region.getAttribute('aria-labelledby')).textContent,
  scrolls: region.scrollWidth > region.clientWidth,
  tabindex: region.tabIndex,
}))"""


def test_at_360_px_the_wide_table_scrolls_in_its_region(browser_site):
    origin, browser = browser_site
    for care in (None, CARE_MODE):
        page = browser.new_page(viewport={"width": 360, "height": 800})
        set_care(page, origin, care)
        open_page(page, origin, PAGE_TYPES["report"])
        assert overflow(page) <= 0, f"the page scrolls sideways at 360 px (care mode: {care})"
        regions = page.evaluate(REGION_JS)
        applications = next(r for r in regions if r["label"].startswith("收到和处理政府信息公开申请情况"))
        assert applications["scrolls"] and applications["tabindex"] == 0
        page.locator(".report-table--applications").locator("..").focus()
        page.keyboard.press("ArrowRight")  # the region scrolls from the keyboard
        assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
        assert axe_violations(page) == []
        page.close()


def test_the_report_prints_on_a4_with_the_tables_whole_width(browser_site, tmp_path):
    origin, browser = browser_site
    page = browser.new_page()
    open_page(page, origin, PAGE_TYPES["report"])
    page.emulate_media(media="print")
    widths = page.evaluate("""() => [...document.querySelectorAll('.report-table')].map((table) =>
        [table.scrollWidth, table.parentElement.clientWidth])""")
    assert all(table <= region + 1 for table, region in widths), widths
    assert page.locator(".report .toc").is_hidden()
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()
