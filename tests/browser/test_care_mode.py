"""关怀版 (care mode) in a real browser: the toolbar on every page, every button by keyboard,
settings that persist and apply before the first paint, large cursor, read-aloud. The contrast of
the high-contrast scheme (7:1) and of the default one (4.5:1) is checked on each page's one load per
mode, with that page's other checks, in test_accessibility.py."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from a11y import CARE_MODE, PAGE_TYPES, STORAGE_KEY, open_page, overflow, set_care
from conftest import html

DOC = PAGE_TYPES["document"]

# A stand-in for the browser's speech synthesis: records what would be said and finishes each
# piece after 30 ms, so read-aloud can be tested without sound or installed voices.
FAKE_SPEECH = """(() => {
  const voices = [{name: 'English', lang: 'en-US'}, {name: '中文（普通话）', lang: 'zh-CN'}];
  window.__spoken = []; window.__cancelled = 0;
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ''; this.rate = 1; this.voice = null; } };
  const synth = { speaking: false, current: null, getVoices: () => voices,
    speak(u) { window.__spoken.push({text: u.text, lang: u.lang, rate: u.rate, voice: u.voice && u.voice.lang});
               this.current = u; setTimeout(() => { if (this.current === u) { this.current = null; u.onend && u.onend({}); } }, 30); },
    cancel() { window.__cancelled += 1; this.current = null; }, pause() {}, resume() {},
    addEventListener() {}, removeEventListener() {} };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
})()"""
NO_SPEECH = "Object.defineProperty(window, 'speechSynthesis', {value: undefined, configurable: true})"
# Records <html>'s classes at the moment <body> is inserted, before any content can be painted.
CLASSES_AT_BODY = """new MutationObserver((records, observer) => {
  if (document.body) { window.__classesAtBody = document.documentElement.className; observer.disconnect(); }
}).observe(document, {childList: true, subtree: true})"""


@pytest.fixture
def context(browser_site):
    origin, browser = browser_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.origin = origin
    context.errors = []
    context.on("page", lambda p: p.on("pageerror", lambda e: context.errors.append(str(e))))
    context.on("page", lambda p: p.on("dialog", lambda d: context.errors.append(f"dialog: {d.message}")))
    yield context
    assert context.errors == [], context.errors  # no script error, no alert/confirm pop-up
    context.close()


def classes(page) -> set[str]:
    return set(page.evaluate("document.documentElement.className").split())


def stored(page) -> dict:
    return json.loads(page.evaluate("key => localStorage.getItem(key) || '{}'", STORAGE_KEY))


def open_toolbar(page):
    toggle = page.locator("#care-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.focus()
        page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#care-panel")).to_be_visible()


def button(page, kind, value=None):
    selector = f'#care-panel button[data-care="{kind}"]' + (f'[data-value="{value}"]' if value else "")
    return page.locator(selector)


def test_every_page_has_the_toolbar_and_the_head_script_before_the_stylesheets(site):
    for name, path in PAGE_TYPES.items():
        soup = html(site, path.split("?")[0])
        head = soup.head
        init = head.find("script", src=re.compile(r"/static/care-init\.js"))
        sheet = head.find("link", rel="stylesheet")
        assert init and not init.has_attr("defer") and not init.has_attr("async"), name
        assert init.sourceline < sheet.sourceline, f"{name}: care-init.js must run before the stylesheets"
        assert head.find("script", src=re.compile(r"/static/care\.js"), defer=True), name
        toolbar = soup.select_one("section.care")
        assert toolbar and toolbar.find_previous("a", class_="skip-link"), name
        labels = [b.get_text(strip=True) for b in toolbar.find_all("button")]
        assert {"标准", "2倍", "高对比度", "加大行距", "大鼠标", "朗读正文", "停止朗读", "慢", "快", "恢复默认"} <= set(labels)
        for b in toolbar.find_all("button", attrs={"data-care": ["size", "contrast", "spacing", "cursor", "read", "rate"]}):
            assert b.get("aria-pressed") in ("true", "false"), (name, b)
        assert not soup.find(style=True) and not soup.find("style"), f"{name}: inline style (the CSP forbids it)"


def test_without_javascript_the_toolbar_is_absent_and_the_page_reads(browser_site):
    origin, browser = browser_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in (PAGE_TYPES["home"], DOC, PAGE_TYPES["not-found"]):
        page.goto(origin + path)
        assert page.locator("section.care").is_hidden()
        assert page.get_by_role("button", name="高对比度").count() == 0  # not in the accessibility tree
        assert len(page.locator("main").inner_text()) > 20
    context.close()


def test_every_toolbar_button_works_with_enter_and_space(context):
    page = context.new_page()
    page.add_init_script(FAKE_SPEECH)
    open_page(page, context.origin, DOC)
    open_toolbar(page)
    for key in ("Enter", "Space"):
        for value in (125, 150, 175, 200, 100):
            button(page, "size", value).focus()
            page.keyboard.press(key)
            expect(button(page, "size", value)).to_have_attribute("aria-pressed", "true")
            assert page.locator('[data-care="size"][aria-pressed="true"]').count() == 1
            assert stored(page)["size"] == value
            assert (f"care-size-{value}" in classes(page)) == (value != 100)
        for kind in ("contrast", "spacing", "cursor"):
            for state in ("true", "false"):
                button(page, kind).focus()
                page.keyboard.press(key)
                expect(button(page, kind)).to_have_attribute("aria-pressed", state)
                assert (f"care-{kind}" in classes(page)) == (state == "true")
        for rate in ("1.5", "0.75", "1"):
            button(page, "rate", rate).focus()
            page.keyboard.press(key)
            expect(button(page, "rate", rate)).to_have_attribute("aria-pressed", "true")
        button(page, "read").focus()
        page.keyboard.press(key)
        expect(button(page, "read")).to_have_attribute("aria-pressed", "true")
        button(page, "stop").focus()
        page.keyboard.press(key)
        expect(button(page, "read")).to_have_attribute("aria-pressed", "false")
        for kind in ("contrast", "spacing"):
            button(page, kind).click()
        button(page, "reset").focus()
        page.keyboard.press(key)
        assert not {"care-contrast", "care-spacing", "care-size-200"} & classes(page)
        assert page.evaluate("document.activeElement.dataset.care") == "reset"  # focus is not lost
    toggle = page.locator("#care-toggle")
    toggle.focus()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#care-panel")).to_be_hidden()


def test_text_size_scales_the_whole_layout_to_200_percent(context):
    page = context.new_page()
    open_page(page, context.origin, DOC)
    size = "parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)"
    target = "document.querySelector('.site-nav a').getBoundingClientRect().height"
    normal, normal_target = page.evaluate(size), page.evaluate(target)
    open_toolbar(page)
    button(page, "size", 200).click()
    assert page.evaluate(size) == pytest.approx(2 * normal) and normal >= 18
    assert page.evaluate(target) >= 2 * 44 - 1 and page.evaluate(target) > normal_target  # targets grow too
    assert overflow(page) <= 0
    page.set_viewport_size({"width": 320, "height": 800})
    assert overflow(page) <= 0


def test_settings_persist_across_pages_and_apply_before_first_paint(context):
    page = context.new_page()
    open_page(page, context.origin, DOC)
    open_toolbar(page)
    button(page, "size", 200).click()
    button(page, "contrast").click()
    button(page, "spacing").click()
    saved = stored(page)
    assert {key: saved[key] for key in ("size", "contrast", "spacing", "open")} == \
        {"size": 200, "contrast": True, "spacing": True, "open": True}
    # On the next pages the toolbar script is blocked: what shows now can only come from the
    # blocking <head> script, which ran before <body> existed.
    page.route(re.compile(r"/static/care\.js"), lambda route: route.abort())
    page.add_init_script(CLASSES_AT_BODY)
    for path in (PAGE_TYPES["task-table"], PAGE_TYPES["home"], PAGE_TYPES["not-found"]):
        page.goto(context.origin + path)
        at_body = set(page.evaluate("window.__classesAtBody").split())
        assert {"care-js", "care-size-200", "care-contrast", "care-spacing", "care-open"} <= at_body, path
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.unroute(re.compile(r"/static/care\.js"))
    open_page(page, context.origin, PAGE_TYPES["subscribe"])
    expect(button(page, "size", 200)).to_have_attribute("aria-pressed", "true")  # the buttons agree
    expect(button(page, "contrast")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#care-toggle")).to_have_attribute("aria-expanded", "true")


def test_a_broken_saved_value_falls_back_to_the_defaults(context):
    page = context.new_page()
    open_page(page, context.origin, "/404.html")
    page.evaluate("key => localStorage.setItem(key, '{not json')", STORAGE_KEY)
    open_page(page, context.origin, DOC)
    assert classes(page) & {"care-js"} and not any(c.startswith("care-size") for c in classes(page))
    page.evaluate("key => localStorage.setItem(key, JSON.stringify({size: 900, contrast: 'yes'}))", STORAGE_KEY)
    open_page(page, context.origin, DOC)
    assert not any(c.startswith("care-size") or c == "care-contrast" for c in classes(page))


def test_wider_line_spacing(context):
    page = context.new_page()
    open_page(page, context.origin, DOC)
    ratio = """(() => { const s = getComputedStyle(document.querySelector('.prose p'));
                return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()"""
    normal = page.evaluate(ratio)
    open_toolbar(page)
    button(page, "spacing").click()
    assert normal >= 1.5 and page.evaluate(ratio) >= 2.1
    assert overflow(page) <= 0


def test_large_cursor_uses_the_shipped_images(context):
    page = context.new_page()
    seen = []
    page.on("response", lambda r: seen.append((r.url.rsplit("/", 1)[-1], r.status)) if "/static/cursor-" in r.url else None)
    open_page(page, context.origin, DOC)
    open_toolbar(page)
    button(page, "cursor").click()
    body = page.evaluate("getComputedStyle(document.querySelector('main p')).cursor")
    link = page.evaluate("getComputedStyle(document.querySelector('main a')).cursor")
    assert "cursor-large.svg" in body and "cursor-large.png" in body
    assert "cursor-hand.svg" in link and link.endswith("pointer")
    for name in ("cursor-large.svg", "cursor-large.png", "cursor-hand.svg", "cursor-hand.png"):
        response = page.request.get(f"{context.origin}/static/{name}")
        assert response.ok and response.headers["content-type"].startswith("image/"), name


def test_read_aloud_speaks_the_main_content_in_chinese_with_speed_and_stop(context):
    page = context.new_page()
    page.add_init_script(FAKE_SPEECH)
    open_page(page, context.origin, DOC)
    open_toolbar(page)
    status = page.locator("#care-speech-status")
    button(page, "read").click()
    expect(status).to_have_text("正在朗读正文。")
    page.wait_for_function("() => window.__spoken.length >= 3")  # a function: the CSP forbids eval of a string
    spoken = page.evaluate("window.__spoken")
    title = page.locator("h1").inner_text()
    assert spoken[0]["text"].startswith(title[:20]) and all(len(s["text"]) <= 120 for s in spoken)
    assert {s["lang"] for s in spoken} == {"zh-CN"} and {s["voice"] for s in spoken} == {"zh-CN"}
    assert "跳到主要内容" not in "".join(s["text"] for s in spoken)  # only <main>
    button(page, "rate", "1.5").click()
    page.wait_for_function("() => window.__spoken.at(-1).rate === 1.5")
    button(page, "stop").click()
    expect(status).to_have_text("朗读已停止。")
    expect(button(page, "read")).to_have_attribute("aria-pressed", "false")
    count = page.evaluate("window.__spoken.length")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__spoken.length") == count and page.evaluate("window.__cancelled") >= 2
    assert stored(page)["rate"] == 1.5
    # A short page is read to the end.
    open_page(page, context.origin, PAGE_TYPES["not-found"])
    expect(button(page, "rate", "1.5")).to_have_attribute("aria-pressed", "true")
    button(page, "read").click()
    expect(status).to_have_text("朗读完毕。", timeout=5000)
    assert page.evaluate("window.__spoken.every((s) => s.rate === 1.5)")


def test_read_aloud_is_hidden_where_the_browser_cannot_speak(context):
    page = context.new_page()
    page.add_init_script(NO_SPEECH)
    open_page(page, context.origin, DOC)
    open_toolbar(page)
    expect(page.locator(".care__speech")).to_be_hidden()
    expect(button(page, "contrast")).to_be_visible()


def test_no_pop_ups_and_nothing_floating(context):
    page = context.new_page()
    set_care(page, context.origin, CARE_MODE)
    popups = []
    context.on("page", lambda p: popups.append(p))
    open_page(page, context.origin, DOC)
    fixed = page.evaluate("""() => [...document.querySelectorAll('body *')].filter((el) =>
        ['fixed', 'sticky'].includes(getComputedStyle(el).position)).map((el) => el.className)""")
    assert fixed == [] and popups == []
