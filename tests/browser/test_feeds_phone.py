"""The subscription page and the feeds in a real browser, on a phone's width."""

from __future__ import annotations


def test_subscription_page_and_feed_links_fit_a_phone(browser_site):
    origin, browser = browser_site
    page = browser.new_page(viewport={"width": 320, "height": 800})
    for path in ("/subscribe/", "/bodies/caizhengju/", "/documents/"):
        assert page.goto(origin + path).ok, path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    response = page.goto(origin + "/feeds/all.xml")
    assert response.ok and "xml" in response.headers["content-type"]
    page.close()
