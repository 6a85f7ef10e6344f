"""Every link and asset reference in the built site resolves, at the root and under a sub-path."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from build_helpers import build_here


class _Page(HTMLParser):
    """The link targets (a, link and img; not the canonical link) and the ids of one page."""

    WANTED = {"a": "href", "link": "href", "img": "src"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id") is not None:
            self.ids.add(attributes["id"])
        value = attributes.get(self.WANTED.get(tag, ""))
        if value and not (tag == "link" and (attributes.get("rel") or "").split() == ["canonical"]):
            self.links.append(value)

    handle_startendtag = handle_starttag


def pages_of(site: Path) -> dict[Path, _Page]:
    return {page: _Page(page.read_text("utf-8")) for page in sorted(site.rglob("*.html"))}


def internal_targets(pages: dict[Path, _Page]):
    for page, parsed in pages.items():
        for value in parsed.links:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("#"):
                continue
            yield page, value, parts


def resolve(site: Path, base: str, page: Path, parts) -> Path:
    assert parts.path.startswith(base), f"{page}: link {parts.path} does not start with the base path {base}"
    relative = parts.path[len(base):]
    target = site / relative
    return target / "index.html" if relative == "" or relative.endswith("/") else target


def check_site(site: Path, base: str):
    checked, pages = 0, pages_of(site)
    for page, value, parts in internal_targets(pages):
        target = resolve(site, base, page, parts)
        assert target.is_file(), f"{page.relative_to(site)} links to {value}, which does not exist"
        if parts.fragment and target.suffix == ".html":
            assert parts.fragment in pages[target].ids, f"{page.relative_to(site)} links to missing #{parts.fragment}"
        checked += 1
    assert checked > 500


def test_every_internal_link_resolves(site):
    check_site(site, "/")


@pytest.mark.parametrize("base_path", ["/xxgk/", "/zwgk/tianqiao/"])
def test_site_works_under_a_sub_path(tmp_path, base_path):
    output = tmp_path / "site"
    result = build_here(output, None, None, "--base-path", base_path)
    assert result.returncode == 0, result.stderr
    check_site(output, base_path)
    soup = BeautifulSoup((output / "index.html").read_text("utf-8"), "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "https://gk.example.gov.cn" + base_path
    sitemap = (output / "sitemap.xml").read_text("utf-8")
    assert f"https://gk.example.gov.cn{base_path}documents/" in sitemap
