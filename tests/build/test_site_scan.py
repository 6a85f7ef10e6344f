"""The scan conftest runs after every build finds each kind of thing it looks for."""

from __future__ import annotations

import shutil

import pytest

from site_scan import scan

PLANTED = {
    "files/doc/evil.html": b"<p>x</p>",
    "files/doc/evil.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "files/doc/fake.pdf": b"<html><script>alert(1)</script></html>",
    "files/doc/x\nname.pdf": b"%PDF-1.4",
    "documents/x/index.html": b"<p><img src=x onerror=alert(1)></p>",
    "documents/y/index.html": b"<a href=' jav&#x61;script:alert(1)'>x</a>",
    "documents/z/index.html": b"<script>alert(1)</script>",
    "documents/w/index.html": b"<script src='https://cdn.example/x.js'></script>",
    "documents/v/index.html": b"<iframe src='/'></iframe>",
    "documents/u/index.html": b"<script type='application/ld+json'>alert(1)</script>",
    "documents/t/index.html": b'<script type="application/ld+json">{"name": "<!--"}</script>',
    "api/documents.csv": "\ufeff标题,URL\r\n=HYPERLINK(\"http://x\"),/a/\r\n".encode("utf-8"),
    "api/documents/q.json": b'{"body_html": "<a href=\\"javascript:alert(1)\\">x</a>"}',
    "feeds/all.xml": b"<feed><content type='html'>&lt;img src=x onerror=alert(1)&gt;</content></feed>",
    "feeds/bodies/x.xml": b"<feed><summary type='html'>&lt;script&gt;alert(1)&lt;/script&gt;</summary></feed>",
}


def test_a_built_site_is_clean(site):
    assert scan(site) == []


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_each_planted_file_is_found(site, tmp_path, name):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    target = copy / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(PLANTED[name])
    findings = scan(copy)
    assert findings, name
