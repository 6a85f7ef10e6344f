"""The preview in a real browser: livereload reloads an open page after an edit."""

from __future__ import annotations

from contextlib import contextmanager

from conftest import SEED_DOC
from serve_helpers import DOC, TITLE, WAIT, edit, serving, wait_for


@contextmanager
def left_page(browser):
    """A page of its own context, left for about:blank before it is closed. Closing the page while
    livereload's socket was open once hung for good in Chromium's renderer (a fresh-clone run);
    a navigation has a time limit, and closing the context disposes of its renderers. A reload
    livereload began at the last edit may still interrupt that navigation: then it is let finish
    and the page left again."""
    from playwright.sync_api import Error

    context = browser.new_context()
    try:
        page = context.new_page()
        yield page
        for attempt in range(3):
            try:
                page.goto("about:blank", timeout=WAIT * 1000)
                break
            except Error as error:
                if "interrupted by another navigation" not in str(error) or attempt == 2:
                    raise
                page.wait_for_load_state(timeout=WAIT * 1000)
    finally:
        context.close()


def test_open_browser_reloads_by_itself(project, browser_site):
    """livereload's script must run under the site's Content-Security-Policy and reload the page."""
    _, browser = browser_site  # the browser only: the page is the preview's
    with serving(project) as (base, _), left_page(browser) as page:
        page.goto(f"{base}/documents/{SEED_DOC}/")
        assert page.inner_text("h1") == TITLE
        connected = "() => !!(window.LiveReload && window.LiveReload.connector._isSocketConnected())"
        # Not page.evaluate in a loop: it has no time limit, and waits for good if a reload of the
        # page has begun and not come back.
        page.wait_for_function(connected, timeout=WAIT * 1000)  # livereload.js has connected
        edit(project, DOC, f"title: {TITLE}", "title: 浏览器自动刷新后的标题")
        wait_for(lambda: page.inner_text("h1", timeout=1000) == "浏览器自动刷新后的标题", "the open page reloads")
        edit(project, DOC, "kind: 通知", "kind: 通报告")
        wait_for(lambda: "内容有错误" in page.inner_text("h1", timeout=1000), "the open page shows the errors")
        edit(project, DOC, "kind: 通报告", "kind: 通知")
        wait_for(lambda: page.inner_text("h1", timeout=1000) == "浏览器自动刷新后的标题", "the open page recovers")
