"""The editing desk in the built site: its files are there, under their own policy, and nothing
public points at them: not the sitemap, not the feeds, not search, not a link on any page."""

from __future__ import annotations

import re

from disclosure.render import desk


def test_the_desk_is_built_but_never_listed_or_linked(site, search_records):
    admin = site / "admin"
    assert (admin / "index.html").is_file() and (admin / "config.yml").is_file()
    assert {f"decap/{name}" for name, _ in desk.vendored() if name.endswith(".js")} <= {
        p.relative_to(admin).as_posix() for p in admin.rglob("*.js")}
    assert "/admin" not in (site / "sitemap.xml").read_text("utf-8")
    assert not [feed for feed in (site / "feeds").rglob("*.xml") if "/admin" in feed.read_text("utf-8")]
    assert not [record for record in search_records if "/admin" in record.url]
    for page in site.rglob("*.html"):
        if page.parts[len(site.parts)] != "admin":
            assert not re.search(r'href="[^"]*/admin/', page.read_text("utf-8")), page


def test_the_desk_files_are_the_vendored_bytes(site):
    for name, digest in desk.vendored():
        if name.endswith(".js"):
            import hashlib

            assert hashlib.sha256((site / "admin" / "decap" / name).read_bytes()).hexdigest() == digest
