"""WCAG 2.2 AA in a real browser, on every page type, in the default mode and in care mode
(关怀版: 2倍 text and high contrast): axe-core, keyboard, focus, target size, reflow, text spacing."""

from __future__ import annotations

import pytest

from a11y import CARE_MODE, PAGE_TYPES, TARGETS_JS, axe_violations, open_page, overflow, set_care

MODES = {"default": None, "care": CARE_MODE}


@pytest.fixture(params=list(MODES), scope="module")
def mode_page(request, browser_site):
    """One tab per mode, with that mode's 关怀版 settings saved; console errors fail the test."""
    origin, browser = browser_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    set_care(page, origin, MODES[request.param])
    page.origin, page.mode = origin, request.param
    yield page
    context.close()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_finds_no_wcag_violations(mode_page, name):
    page = mode_page
    open_page(page, page.origin, PAGE_TYPES[name])
    if page.mode == "care":
        assert "care-size-200" in page.evaluate("document.documentElement.className")
    violations = axe_violations(page)
    assert not violations, f"{name} ({page.mode}): {len(violations)} violation(s):\n" + "\n".join(violations)
    assert page.errors == [], page.errors  # a CSP violation would show up here


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_interactive_targets_are_at_least_44_px(mode_page, name):
    """适老化: everything clickable in the header, menus, content, toolbar and footer is ≥ 44×44."""
    page = mode_page
    open_page(page, page.origin, PAGE_TYPES[name])
    targets = page.evaluate(TARGETS_JS)
    assert len(targets) >= 10, name
    if page.mode == "care":
        assert any(t["name"] == "恢复默认" for t in targets), "the open toolbar's buttons are measured too"
    small = [f"{t['tag']} “{t['name']}” {t['width']:.0f}×{t['height']:.0f}" for t in targets
             if t["width"] < 44 or t["height"] < 44]
    assert not small, f"{name} ({page.mode}): targets smaller than 44×44 px:\n" + "\n".join(small)


def test_skip_link_comes_first_and_moves_focus_to_main(browser_site):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for name, path in PAGE_TYPES.items():
        open_page(page, origin, path)
        page.keyboard.press("Tab")
        first = page.evaluate("""() => { const el = document.activeElement, box = el.getBoundingClientRect();
            return {cls: el.className, text: el.textContent, top: box.top, bottom: box.bottom}; }""")
        assert first["cls"] == "skip-link" and first["text"] == "跳到主要内容", f"{name}: first Tab stop is {first}"
        assert first["top"] >= 0 and first["bottom"] <= 900, f"{name}: the focused skip link is off screen"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", name
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), \
            f"{name}: Tab after the skip link should go on inside the main content"
    page.close()


# For every Tab stop: is the focus drawn (outline and halo, not there before focus), is the element
# on screen and is it the topmost thing at its own position (not hidden under anything)?
FOCUS_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getClientRects()[0] || el.getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return {
    key: el.id || el.className || el.tagName, name: (el.textContent || el.value || '').trim().slice(0, 20),
    outline: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0, shadow: style.boxShadow,
    changed: el.dataset.unfocused !== `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}`,
    onScreen: box.bottom > 0 && box.top < innerHeight, topmost: !!hit && (el === hit || el.contains(hit)),
  };
}"""
MARK_UNFOCUSED_JS = """() => { for (const el of document.querySelectorAll('a[href], button, input, select, summary, [tabindex]')) {
  const s = getComputedStyle(el); el.dataset.unfocused = `${s.outlineStyle} ${s.outlineWidth} ${s.boxShadow}`; } }"""


@pytest.mark.parametrize("mode", list(MODES))
def test_focus_is_always_visible_and_never_covered(browser_site, mode):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    set_care(page, origin, MODES[mode])
    for name in ("home", "document", "task-table", "body-department", "search-results", "subscribe", "column-report"):
        open_page(page, origin, PAGE_TYPES[name])
        page.evaluate(MARK_UNFOCUSED_JS)
        stops = 0
        for _ in range(400):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_JS)
            if focus["key"] == "BODY" or (stops and focus["key"] == "skip-link"):
                break  # went round the whole page
            stops += 1
            where = f"{name} ({mode}), Tab stop {stops}: {focus['key']} “{focus['name']}”"
            assert focus["outline"] >= 2 and focus["shadow"] != "none", f"{where}: no visible focus indicator"
            assert focus["changed"], f"{where}: the focus style looks the same as the unfocused one"
            assert focus["onScreen"] and focus["topmost"], f"{where}: focused element is off screen or covered"
        assert stops >= 15, f"{name}: only {stops} Tab stops"
    page.close()


# Reflow (WCAG 1.4.10): 320 CSS px; 200% browser zoom of a 1280 px window, which lays the page out
# at 640 CSS px with two device pixels each; and the toolbar's own 2倍 text, wide and narrow.
REFLOW = {
    "320px": ({"width": 320, "height": 800}, 1, None),
    "zoom-200%": ({"width": 640, "height": 450}, 2, None),
    "care-2x-1280px": ({"width": 1280, "height": 900}, 1, CARE_MODE),
    "care-2x-320px": ({"width": 320, "height": 800}, 1, CARE_MODE),
}


@pytest.mark.parametrize("case", list(REFLOW))
def test_no_horizontal_scrolling(browser_site, case):
    origin, browser = browser_site
    viewport, scale, care = REFLOW[case]
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    set_care(page, origin, care)
    wide = []
    for name, path in PAGE_TYPES.items():
        open_page(page, origin, path)
        if overflow(page) > 0:
            wide.append(f"{name}: {overflow(page)} px")
    assert not wide, f"{case}: pages scroll sideways:\n" + "\n".join(wide)
    context.close()


# WCAG 1.4.12 text spacing, applied as a constructed stylesheet (the CSP does not govern CSSOM).
TEXT_SPACING_JS = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""
CLIPPED_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (el.closest('.visually-hidden') || s.clipPath.startsWith('inset(50%')) continue;  // hidden on purpose
    const hides = (v) => v === 'hidden' || v === 'clip';
    if ((hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1) || (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1))
      out.push(`${el.tagName}.${el.className}`);
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 320])
def test_text_spacing_overrides_lose_nothing(browser_site, width):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": width, "height": 800})
    problems = []
    for name, path in PAGE_TYPES.items():
        open_page(page, origin, path)
        page.evaluate(TEXT_SPACING_JS)
        assert page.evaluate("getComputedStyle(document.querySelector('main p, main li')).letterSpacing") != "normal"
        if overflow(page) > 0:
            problems.append(f"{name}: scrolls sideways by {overflow(page)} px")
        problems += [f"{name}: {el} cuts off its content" for el in page.evaluate(CLIPPED_JS)]
    assert not problems, "\n".join(problems)
    page.close()


def test_nothing_is_told_by_colour_alone(browser_site):
    """Links are underlined or boxed; a validity tag says its state in words; highlights are bold."""
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for name, path in PAGE_TYPES.items():
        open_page(page, origin, path)
        plain = page.evaluate("""() => [...document.querySelectorAll('main a[href]')].filter((a) => {
            const s = getComputedStyle(a);
            return !s.textDecorationLine.includes('underline') && parseFloat(s.borderBottomWidth) === 0;
          }).map((a) => a.textContent.trim())""")
        assert not plain, f"{name}: links without underline or border: {plain}"
        tags = page.locator("main .tag").all_inner_texts()
        assert all(t.strip() for t in tags), name
    open_page(page, origin, PAGE_TYPES["search-results"])
    assert page.evaluate("getComputedStyle(document.querySelector('mark')).fontWeight") == "700"
    page.close()


def test_reduced_motion_means_no_motion(browser_site):
    origin, browser = browser_site
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    set_care(page, origin, CARE_MODE)
    for path in (PAGE_TYPES["home"], PAGE_TYPES["document"]):
        open_page(page, origin, path)
        moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter((el) => {
            const s = getComputedStyle(el);
            return s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0;
          }).map((el) => el.tagName)""")
        assert moving == [], moving
        assert page.locator("video[autoplay], audio[autoplay], marquee, iframe").count() == 0
    context.close()


# WCAG 1.4.11: a control's edge (its border, or its own background) stands out 3:1 from what is
# around it. Colours are compared as computed, against the nearest opaque background outside.
CONTROL_EDGES_JS = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
  const around = (el) => { for (let n = el.parentElement; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor); if (c.length === 3 || c[3] === 1) return c; } return [255, 255, 255]; };
  const out = [];
  for (const el of document.querySelectorAll('button, input[type=search], select')) {
    if (!el.getBoundingClientRect().width) continue;
    const s = getComputedStyle(el), outside = around(el), fill = rgb(s.backgroundColor);
    const edges = [];
    if (parseFloat(s.borderTopWidth) >= 1) edges.push(ratio(rgb(s.borderTopColor), outside));
    if (fill.length === 3 || fill[3] === 1) edges.push(ratio(fill, outside));
    out.push({name: (el.textContent || el.id).trim().slice(0, 16), best: Math.max(0, ...edges)});
  }
  return out;
}"""


@pytest.mark.parametrize("mode", list(MODES))
def test_controls_stand_out_3_to_1(browser_site, mode):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    set_care(page, origin, MODES[mode] or {"open": True})
    weak = []
    for name in ("document", "search-results", "not-found"):
        open_page(page, origin, PAGE_TYPES[name])
        controls = page.evaluate(CONTROL_EDGES_JS)
        assert len(controls) >= 10, name
        weak += [f"{name}: “{c['name']}” {c['best']:.2f}:1" for c in controls if c["best"] < 3]
    assert not weak, f"{mode}: controls whose edge is below 3:1:\n" + "\n".join(weak)
    page.close()
