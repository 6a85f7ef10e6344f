"""Every link and asset reference in the built site resolves, at the root and under a sub-path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import build_into


def internal_targets(site: Path, base: str):
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src")):
            for element in soup.find_all(tag):
                value = element.get(attr)
                if not value or (tag == "link" and element.get("rel") == ["canonical"]):
                    continue
                parts = urlsplit(value)
                if parts.scheme or value.startswith("#"):
                    continue
                yield page, value, parts


def resolve(site: Path, base: str, page: Path, parts) -> Path:
    assert parts.path.startswith(base), f"{page}: link {parts.path} does not start with the base path {base}"
    relative = parts.path[len(base):]
    target = site / relative
    return target / "index.html" if relative == "" or relative.endswith("/") else target


def ids_in(page: Path, cache: dict) -> set[str]:
    if page not in cache:
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        cache[page] = {element["id"] for element in soup.find_all(id=True)}
    return cache[page]


def check_site(site: Path, base: str):
    checked, cache = 0, {}
    for page, value, parts in internal_targets(site, base):
        target = resolve(site, base, page, parts)
        assert target.is_file(), f"{page.relative_to(site)} links to {value}, which does not exist"
        if parts.fragment and target.suffix == ".html":
            assert parts.fragment in ids_in(target, cache), f"{page.relative_to(site)} links to missing #{parts.fragment}"
        checked += 1
    assert checked > 500


def test_every_internal_link_resolves(site):
    check_site(site, "/")


@pytest.mark.parametrize("base_path", ["/xxgk/", "/zwgk/tianqiao/"])
def test_site_works_under_a_sub_path(tmp_path, base_path):
    output = tmp_path / "site"
    result = build_into(output, None, None, "--base-path", base_path)
    assert result.returncode == 0, result.stderr
    check_site(output, base_path)
    soup = BeautifulSoup((output / "index.html").read_text("utf-8"), "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "https://gk.example.gov.cn" + base_path
    sitemap = (output / "sitemap.xml").read_text("utf-8")
    assert f"https://gk.example.gov.cn{base_path}documents/" in sitemap
