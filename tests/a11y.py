"""Shared by the accessibility, care-mode and print tests: one URL per page type, the 关怀版
settings, axe-core from the npm package (package-lock.json pins it) and in-page measurements."""

from __future__ import annotations

import json
from contextlib import contextmanager
from functools import cache

from conftest import ROOT, SEED_DOC, SEED_TASKS

# Every page type, with both kinds of document, body and topic page.
PAGE_TYPES = {
    "home": "/",
    "document": f"/documents/{SEED_DOC}/",
    "document-repealed": "/documents/2022-laojiu-xiaoqu-gaizao-shishi-yijian/",
    "document-expired": "/documents/2021-zhongdian-qunti-jiuye-chuangye-buzhu-tongzhi/",
    "documents": "/documents/",
    "interpretation": "/interpretations/2022-zhengwu-gongkai-gongzuo-yaodian-jiedu/",
    "interpretations": "/interpretations/",
    "tasks": "/tasks/",
    "task-table": f"/tasks/{SEED_TASKS}/",
    "bodies": "/bodies/",
    "body-department": "/bodies/gongyehexinxihuaju/",
    "body-group": "/bodies/gebumen/",
    "years": "/years/",
    "year": "/years/2022/",
    "topics": "/topics/",
    "topic": "/topics/zonghezhengwu/",
    "topic-second-level": "/topics/zonghezhengwu/zhengwugongkai/",
    "validity": "/validity/",
    "validity-current": "/validity/current/",
    "validity-invalid": "/validity/invalid/",
    "validity-normative": "/validity/normative/",
    "kinds": "/kinds/",
    "kind": "/kinds/tongzhi/",
    "column-guide": "/pages/zhinan/",
    "column-rules": "/pages/zhidu/",
    "column-statutory": "/pages/fading-zhudong-gongkai/",
    "column-report": "/pages/nianbao/",
    "reports": "/reports/",  # 政府信息公开工作年度报告: the index with its chart, and one report's tables
    "report": "/reports/2022-renminzhengfu/",
    "search-results": "/search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80",  # 政务公开
    "subscribe": "/subscribe/",
    "apply-guide": "/apply/",
    "apply-form": "/apply/form/",
    "not-found": "/404.html",
}

STORAGE_KEY = "xxgk-care"  # templates/static/care-init.js and care.js
CARE_MODE = {"size": 200, "contrast": True, "open": True}  # what "care mode" means in the tests
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


MODES = {"default": None, "care": CARE_MODE}
DESKTOP = {"width": 1280, "height": 900}  # the window of mode_tab's tabs
PHONE = {"width": 320, "height": 800}  # WCAG 1.4.10's narrowest
ZOOMED = {"width": 640, "height": 450}  # DESKTOP at 200% zoom, in CSS px (two device pixels each)


def mode_tab(browser_site, mode: str):
    """One tab in `mode` (a key of MODES), with that mode's 关怀版 settings saved; what the console
    and the page report (a script error, a CSP violation) and any alert or confirm pop-up go to
    page.errors. axe-core comes into every page as the browser makes it (an init script, which
    like page.evaluate is not subject to the page's CSP), at about half the cost of evaluating it
    into each loaded page; axe_violations only runs it. A generator, for a fixture to yield from."""
    origin, browser = browser_site
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(axe_source())
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: (page.errors.append(f"dialog: {d.message}"), d.dismiss()))
    set_care(page, origin, MODES[mode])
    page.origin, page.mode = origin, mode
    yield page
    context.close()


@cache
def axe_source() -> str:
    assert AXE.is_file(), "axe-core is missing: run `npm ci` (make test does) to install it from package-lock.json"
    return AXE.read_text("utf-8")


def open_page(page, origin: str, path: str) -> None:
    """Navigate and wait until the page is in its final state (search results rendered)."""
    response = page.goto(origin + path)
    assert response.ok or path == "/404.html", path
    if path.startswith("/search/"):
        page.wait_for_selector("#search-results .search-result", timeout=20000)


def set_care(page, origin: str, settings: dict | None) -> None:
    """Save 关怀版 settings for the origin, as the toolbar would; None clears them."""
    if page.url == "about:blank" or not page.url.startswith(origin):
        page.goto(origin + "/404.html")
    if settings is None:
        page.evaluate("key => localStorage.removeItem(key)", STORAGE_KEY)
    else:
        page.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, json.dumps(settings)])


def axe_violations(page) -> list[str]:
    """Run axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page; one line per failing node.

    axe is injected with page.evaluate, unless the context's init script already added it: neither
    is subject to the page's Content-Security-Policy, so the page keeps its real CSP (a bypass_csp
    context would also let inline styles and scripts through and test a page no reader ever gets)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {', '.join(map(str, node['target']))} — {node['failureSummary']}"
            for v in result["violations"] for node in v["nodes"]]


def overflow(page) -> int:
    """How far the page scrolls sideways, in CSS px (0 or less: no horizontal scrollbar)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@contextmanager
def phone_page(browser_site, care: dict | None, pages: dict[str, str]):
    """A 360 px wide page with `care` saved, after checking that none of `pages` (name → path)
    scrolls sideways there; for the test to go on with it."""
    origin, browser = browser_site
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        set_care(page, origin, care)
        for name, path in pages.items():
            open_page(page, origin, path)
            assert overflow(page) <= 0, f"{name} scrolls sideways at 360 px"
        yield page
    finally:
        context.close()


# Interactive elements in the header, navigation, main content, toolbar and footer, with the box a
# pointer can hit: a checkbox wrapped in its label is hit anywhere on the label.
TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const el of document.querySelectorAll(`:is(header, nav, main, .care, footer) :is(${selector})`)) {
    if (el.closest('.visually-hidden') || el.classList.contains('skip-link')) continue;
    const target = (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) || el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not displayed
    if (getComputedStyle(el).visibility === 'hidden') continue;
    const name = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim().slice(0, 24);
    out.push({tag: el.tagName.toLowerCase(), name, width: box.width, height: box.height});
  }
  return out;
}"""

def small_targets(page) -> list[str]:
    """The page's pointer targets smaller than 44×44 CSS px (WCAG 2.5.5; GB/T 37668 for elderly readers)."""
    return [f"{t['tag']} “{t['name']}” {t['width']:.0f}×{t['height']:.0f}" for t in page.evaluate(TARGETS_JS)
            if t["width"] < 44 or t["height"] < 44]


def assert_accessible(page, name: str) -> None:
    """What every page of the site must pass in the mode its tab is in (`mode_tab`): no axe-core
    violation, no script error, no target under 44×44 px, and in 关怀版 no sideways scrolling at
    1280 px with 2倍 text."""
    small = small_targets(page)
    violations = axe_violations(page)
    errors, page.errors[:] = list(page.errors), []
    assert not violations, f"{name} ({page.mode}):\n" + "\n".join(violations)
    assert not errors, errors
    assert not small, f"{name} ({page.mode}): targets smaller than 44×44 px:\n" + "\n".join(small)
    if page.mode == "care":
        assert overflow(page) <= 0, f"{name} scrolls sideways at 1280 px with 2倍 text"


# WCAG contrast of every visible piece of text against the background it is drawn on.
CONTRAST_JS = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) colour = [r * a + colour[0] * (1 - a), g * a + colour[1] * (1 - a), b * a + colour[2] * (1 - a)];
    return colour;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.textContent.trim() || seen.has(el) || el.closest('.visually-hidden, noscript, script')) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden' || el.closest('.skip-link')) continue;
    const fg = parse(style.color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    out.push({tag: el.tagName.toLowerCase(), cls: el.className, text: text.textContent.trim().slice(0, 16),
              ratio: (hi + 0.05) / (lo + 0.05)});
  }
  for (const el of document.querySelectorAll('input[type=search], select, button')) {
    const box = el.getBoundingClientRect();
    if (!box.width) continue;
    const fg = parse(getComputedStyle(el).color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    out.push({tag: el.tagName.toLowerCase(), cls: el.className, text: (el.textContent || el.value || '').trim().slice(0, 16),
              ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return out;
}"""
