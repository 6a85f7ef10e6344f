"""WCAG 2.2 AA in a real browser, on every page type, in the default mode and in care mode
(关怀版: 2倍 text and high contrast): axe-core, keyboard, focus, target size, reflow, text spacing."""

from __future__ import annotations

import pytest

from a11y import (CARE_MODE, CONTRAST_JS, DESKTOP, MODES, PAGE_TYPES, PHONE, TARGETS_JS, ZOOMED, axe_violations,
                  mode_tab, open_page, overflow, set_care)



@pytest.fixture(params=list(MODES), scope="module")
def mode_page(request, browser_site):
    yield from mode_tab(browser_site, request.param)


# What the checks read from a page as loaded, without touching it: the classes on <html>, how far
# it scrolls sideways, its interactive targets, its text's contrast (where it is checked: it reads
# the style of every piece of text), links told apart by colour alone, its tags' words and the
# weight of a search highlight.
PAGE_STATE_JS = """(withContrast) => ({
  className: document.documentElement.className,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  targets: (""" + TARGETS_JS + """)(),
  contrast: withContrast ? (""" + CONTRAST_JS + """)() : [],
  plainLinks: [...document.querySelectorAll('main a[href]')].filter((a) => {
    const s = getComputedStyle(a);
    return !s.textDecorationLine.includes('underline') && parseFloat(s.borderBottomWidth) === 0;
  }).map((a) => a.textContent.trim()),
  tags: [...document.querySelectorAll('main .tag')].map((tag) => tag.innerText),
  markWeight: document.querySelector('mark') && getComputedStyle(document.querySelector('mark')).fontWeight,
})"""
# The default scheme's text is held to 4.5:1 on the pages with every kind of text and on the
# 依申请公开 form and guide; the high-contrast scheme's to 7:1 on every page.
DEFAULT_CONTRAST_PAGES = ("home", "document", "document-repealed", "task-table", "search-results", "subscribe",
                          "apply-guide", "apply-form")


def skip_link_problems(page) -> list[str]:
    """The skip link is the first Tab stop, on screen, and moves the focus to the main content, where
    the next Tab goes on. Keys and focus change the page: this comes after every other check of it."""
    page.keyboard.press("Tab")
    first = page.evaluate("""() => { const el = document.activeElement, box = el.getBoundingClientRect();
        return {cls: el.className, text: el.textContent, top: box.top, bottom: box.bottom}; }""")
    if not (first["cls"] == "skip-link" and first["text"] == "跳到主要内容"):
        return [f"the first Tab stop is {first}"]
    problems = [] if first["top"] >= 0 and first["bottom"] <= 900 else ["the focused skip link is off screen"]
    page.keyboard.press("Enter")
    if (focused := page.evaluate("document.activeElement.id")) != "main":
        return problems + [f"Enter on it focuses #{focused}, not #main"]
    page.keyboard.press("Tab")
    if not page.evaluate("document.getElementById('main').contains(document.activeElement)"):
        problems.append("Tab after the skip link should go on inside the main content")
    return problems


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


def narrow_and_spaced(page, mode: str) -> dict[str, list[str]]:
    """Reflow (WCAG 1.4.10): the loaded page at 200% zoom of the 1280 px window (laid out 640 CSS
    px wide, two device pixels each) and made 320 CSS px wide scrolls no way but down, in either
    mode (care mode: with its 2倍 text). Text spacing (1.4.12), in the default mode: with the
    overrides applied, nothing scrolls sideways or is cut off, at 320 and at 1280 px. The page is
    resized in place (no script of the site reads the width or the pixel ratio; the zoom through
    Chromium's device emulation, which Playwright sets only per context) and given back at 1280×900."""
    found = {}
    in_care = " with 2倍 text" if mode == "care" else ""
    devtools = page.context.new_cdp_session(page)
    try:
        devtools.send("Emulation.setDeviceMetricsOverride", {**ZOOMED, "deviceScaleFactor": 2, "mobile": False})
        sideways = overflow(page)
        found["scrolls sideways at 200% zoom" + in_care] = [f"{sideways} px"] if sideways > 0 else []
    finally:
        devtools.send("Emulation.clearDeviceMetricsOverride")  # Playwright's own viewport applies again
        devtools.detach()
    try:
        page.set_viewport_size(PHONE)
        sideways = overflow(page)
        found["scrolls sideways at 320 px" + in_care] = [f"{sideways} px"] if sideways > 0 else []
        if mode == "default":
            page.evaluate(TEXT_SPACING_JS)
            spaced = page.evaluate("getComputedStyle(document.querySelector('main p, main li')).letterSpacing")
            found["the text-spacing overrides did not apply"] = [] if spaced != "normal" else ["letter-spacing normal"]
            for width, size in (("320", PHONE), ("1280", DESKTOP)):
                page.set_viewport_size(size)
                sideways = overflow(page)
                found[f"with the text-spacing overrides at {width} px"] = (
                    ([f"scrolls sideways by {sideways} px"] if sideways > 0 else [])
                    + [f"{el} cuts off its content" for el in page.evaluate(CLIPPED_JS)])
    finally:
        page.set_viewport_size(DESKTOP)
    return found


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_is_accessible_in_each_mode(mode_page, name):
    """Each page type loaded once per mode, at 1280×900, and read by every check of that state:
    axe-core's WCAG 2.0–2.2 A and AA rules; no script error or CSP violation; 适老化: everything
    clickable in the header, menus, content, toolbar and footer is ≥ 44×44 px. In care mode (2倍
    text, high contrast, toolbar open): the settings apply, text is at least 7:1 and nothing scrolls
    sideways. In the default mode: links are underlined or boxed, a tag says its state in words, a
    search highlight is bold, text is at least 4.5:1 (on the pages with every kind of text), and
    the skip link comes first and moves the focus to the main content. Then the same page at 200%
    zoom and at 320 CSS px (in care mode with its 2倍 text) and, in the default mode, with the
    text-spacing overrides at 320 and at 1280 px: `narrow_and_spaced`."""
    page, mode = mode_page, mode_page.mode
    open_page(page, page.origin, PAGE_TYPES[name])
    state = page.evaluate(PAGE_STATE_JS, mode == "care" or name in DEFAULT_CONTRAST_PAGES)
    violations = axe_violations(page)  # after the measurements: the one check that runs a script over the whole page
    skip_link = skip_link_problems(page) if mode == "default" else []  # it moves the focus
    narrow = narrow_and_spaced(page, mode)  # last: it resizes the page and changes its styles
    errors, page.errors[:] = list(page.errors), []
    failed = {}  # what each failing check found, by check

    def check(what: str, problems: list[str]) -> None:
        if problems:
            failed[what] = problems

    check(f"axe-core: {len(violations)} WCAG violation(s)", violations)
    for what, problems in narrow.items():
        check(what, problems)
    check("console or page errors (a CSP violation shows up here)", errors)
    targets = state["targets"]
    check("too few interactive targets measured", [] if len(targets) >= 10 else [f"{len(targets)} targets"])
    check("targets smaller than 44×44 px", [f"{t['tag']} “{t['name']}” {t['width']:.0f}×{t['height']:.0f}"
                                             for t in targets if t["width"] < 44 or t["height"] < 44])
    contrast = [f"{m['tag']}.{m['cls']} “{m['text']}” {m['ratio']:.2f}:1" for m in state["contrast"]
                if m["ratio"] < (7 if mode == "care" else 4.5)]
    if mode == "care":
        classes = state["className"].split()
        check("关怀版 settings not applied", [f"no {c} on <html>" for c in ("care-size-200", "care-contrast") if c not in classes])
        check("the open toolbar's buttons are not among the targets",
              [] if any(t["name"] == "恢复默认" for t in targets) else ["no “恢复默认”"])
        check("scrolls sideways at 1280 px with 2倍 text", [f"{state['overflow']} px"] if state["overflow"] > 0 else [])
        check("text below 7:1 in the high-contrast scheme", contrast)
        check("no links, buttons or paragraphs measured for contrast",
              sorted({"a", "button", "p"} - {m["tag"] for m in state["contrast"]}))
    else:
        check("links without underline or border", state["plainLinks"])
        check("tags without words", [repr(t) for t in state["tags"] if not t.strip()])
        if name == "search-results":
            check("search highlights not bold", [] if state["markWeight"] == "700" else [f"font-weight {state['markWeight']}"])
        if name in DEFAULT_CONTRAST_PAGES:
            check("text below 4.5:1", contrast)
        check("skip link", skip_link)
    assert not failed, f"{name} ({mode}):\n" + "\n".join(f"{what}:\n  " + "\n  ".join(lines) for what, lines in failed.items())


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
# FOCUS_JS at every Tab keyup, when the key's work (moving the focus, scrolling to it) is done: Tab
# is pressed many times between two reads of the records, not read after every press. Gives how
# many elements the focus may stop at, to press about as many times before the first read.
RECORD_TAB_STOPS_JS = """() => { window.__tabStops = []; window.addEventListener('keyup', (event) => {
  if (event.key === 'Tab') window.__tabStops.push((""" + FOCUS_JS + """)()); }, true);
  return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
    .filter((el) => el.getClientRects().length && !el.closest('details:not([open]) > :not(summary)')).length; }"""


def tab_stops(page, limit: int = 400) -> list[dict]:
    """FOCUS_JS at each Tab stop from the top of the page, ending with the stop where the focus has
    gone round the whole page (the body, or the skip link again), or after `limit` presses."""
    batch = page.evaluate(RECORD_TAB_STOPS_JS) + 1  # and the press that goes round
    pressed = 0
    while pressed < limit:
        for _ in range(min(batch, limit - pressed)):
            page.keyboard.press("Tab")
            pressed += 1
        stops = page.evaluate("window.__tabStops")
        for index, focus in enumerate(stops):
            if focus["key"] == "BODY" or (index and focus["key"] == "skip-link"):
                return stops[:index + 1]
        assert len(stops) == pressed, f"{pressed} Tab presses, {len(stops)} seen by the page"
        batch = 10
    return stops


@pytest.mark.parametrize("mode", list(MODES))
def test_focus_is_always_visible_and_never_covered(browser_site, mode):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    set_care(page, origin, MODES[mode])
    for name in ("home", "document", "task-table", "body-department", "search-results", "subscribe", "column-report"):
        open_page(page, origin, PAGE_TYPES[name])
        page.evaluate(MARK_UNFOCUSED_JS)
        stops = 0
        for focus in tab_stops(page):
            if focus["key"] == "BODY" or (stops and focus["key"] == "skip-link"):
                break  # went round the whole page
            stops += 1
            where = f"{name} ({mode}), Tab stop {stops}: {focus['key']} “{focus['name']}”"
            assert focus["outline"] >= 2 and focus["shadow"] != "none", f"{where}: no visible focus indicator"
            assert focus["changed"], f"{where}: the focus style looks the same as the unfocused one"
            assert focus["onScreen"] and focus["topmost"], f"{where}: focused element is off screen or covered"
        assert stops >= 15, f"{name}: only {stops} Tab stops"
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
