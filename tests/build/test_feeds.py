"""Atom feeds: every feed file is read with a real XML parser and held to RFC 4287."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_helpers import build_here, run_here
from conftest import html
from content_helpers import ATOM, BASE_URL, epoch, feed_entries, load_json, write_document

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_LIMIT = 50  # documented in docs/exports.md


def feed_paths(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "feeds").rglob("*.xml"))


def page_file(site: Path, absolute_url: str) -> Path:
    assert absolute_url.startswith(BASE_URL + "/"), absolute_url
    path = absolute_url[len(BASE_URL) + 1:]
    return site / path / "index.html" if path == "" or path.endswith("/") else site / path


def one(parent: ET.Element, tag: str) -> ET.Element:
    found = parent.findall(ATOM + tag)
    assert len(found) == 1, f"expected exactly one atom:{tag}, found {len(found)}"
    return found[0]


def instant(value: str) -> datetime:
    assert RFC3339.match(value), f"{value!r} is not an RFC 3339 date-time"
    return datetime.fromisoformat(value)


def links(parent: ET.Element, rel: str) -> list[ET.Element]:
    return [link for link in parent.findall(ATOM + "link") if link.get("rel", "alternate") == rel]


def test_every_feed_meets_rfc_4287(site):
    paths = feed_paths(site)
    assert "feeds/all.xml" in paths and len(paths) > 10
    feed_ids = set()
    for path in paths:
        root = ET.parse(site / path).getroot()
        assert root.tag == ATOM + "feed", path
        assert root.get(XML_LANG) == "zh-CN", path
        feed_id = one(root, "id").text
        assert feed_id == f"{BASE_URL}/{path}" and feed_id not in feed_ids
        feed_ids.add(feed_id)
        assert one(root, "title").text.strip()
        feed_updated = instant(one(root, "updated").text)
        (self_link,) = links(root, "self")
        assert self_link.get("href") == f"{BASE_URL}/{path}"
        (alternate,) = links(root, "alternate")
        assert alternate.get("type") == "text/html" and page_file(site, alternate.get("href")).is_file()
        entries = root.findall(ATOM + "entry")
        assert 0 < len(entries) <= FEED_LIMIT, path
        feed_author = root.find(ATOM + "author")
        ids, updated = set(), []
        for entry in entries:
            entry_id = one(entry, "id").text
            assert entry_id not in ids, f"{path}: duplicate entry id {entry_id}"
            ids.add(entry_id)
            assert one(entry, "title").text.strip()
            when = instant(one(entry, "updated").text)
            assert instant(one(entry, "published").text) <= when
            updated.append(when)
            entry_links = links(entry, "alternate")
            assert entry_links and all(page_file(site, link.get("href")).is_file() for link in entry_links)
            assert feed_author is not None or entry.findall(ATOM + "author")
            for author in entry.findall(ATOM + "author"):
                assert one(author, "name").text.strip()
            content = one(entry, "content")
            assert content.get("type") == "html"
            # The HTML was escaped once for XML: after parsing it is markup again, with a link to the page.
            soup = BeautifulSoup(content.text, "html.parser")
            assert soup.find("a")["href"] == entry_links[0].get("href")
        assert updated == sorted(updated, reverse=True), f"{path}: entries are not newest first"
        assert feed_updated == max(updated)


def test_feeds_follow_the_site_classification(site, config_data):
    api = load_json(site, "api/documents.json")
    topics = {t["name"]: t for t in config_data["topics"]}
    everything = feed_entries(site, "feeds/all.xml")
    for doc in api["documents"]:
        assert doc["url"] in everything
        for slug in doc["issuer_ids"]:
            assert doc["url"] in feed_entries(site, f"feeds/bodies/{slug}.xml")
        assert doc["url"] in feed_entries(site, f"feeds/kinds/{doc['kind_id']}.xml")
        top, _, sub = doc["topic_id"].partition("/")
        assert doc["url"] in feed_entries(site, f"feeds/topics/{top}.xml")
        if sub:
            assert doc["url"] in feed_entries(site, f"feeds/topics/{top}/{sub}.xml")
        assert topics[doc["topic"].split("/")[0]]["slug"] == top
    interpretations = [url for url in everything if "/interpretations/" in url]
    assert interpretations, "the whole-column feed carries the interpretations too"
    reports = [url for url in everything if "/reports/" in url]
    assert reports == ["https://gk.example.gov.cn/reports/2022-renminzhengfu/"], "and the 年度报告"


def test_repealed_and_expired_entries_are_marked_and_updated(site):
    api = {d["id"]: d for d in load_json(site, "api/documents.json")["documents"]}
    entries = feed_entries(site, "feeds/all.xml")
    seen = set()
    for doc in api.values():
        entry = entries[doc["url"]]
        title, updated = entry.findtext(ATOM + "title"), entry.findtext(ATOM + "updated")
        if doc["validity"] == "废止":
            assert title.startswith("【已废止】") and updated.startswith(doc["repealed"])
        elif doc["validity"] == "失效" and doc["validity_declared"] == "有效":
            assert title.startswith("【已失效】") and updated > doc["expires"]
        elif doc["validity"] == "有效":
            # In force: the last event is its publication, the day it came into force, or an amendment's.
            build_date = load_json(site, "api/documents.json")["build_date"]
            amended = [a["effective"] for a in doc["amended_by"] if a["effective"] <= build_date]
            events = [doc["published"], *([doc["in_force"]] if doc["in_force"] else []), *amended]
            assert updated.startswith(max(events)), (doc["id"], updated)
            assert title.startswith("【已修改】") == bool(amended) and "【已废止】" not in title and "【已失效】" not in title
            if amended:
                seen.add("已修改")
        seen.add(doc["validity"])
    assert seen == {"有效", "失效", "废止", "已修改"}


def test_every_feed_is_offered_by_its_page(site):
    for path in feed_paths(site):
        root = ET.parse(site / path).getroot()
        page_url = links(root, "alternate")[0].get("href")
        soup = BeautifulSoup(page_file(site, page_url).read_text("utf-8"), "html.parser")
        href = "/" + path
        assert soup.find("link", rel="alternate", type="application/atom+xml", href=href), f"{page_url} lacks {href}"
        visible = soup.select_one(f'main a[href="{href}"]')
        assert visible is not None and "订阅" in visible.get_text(), page_url
        assert "阅读器" in visible.find_parent("p").get_text()


def test_every_page_offers_the_whole_column_feed(site):
    for url in ("/", "/years/2022/", "/subscribe/", "/404.html"):
        soup = html(site, url)
        assert soup.find("link", rel="alternate", type="application/atom+xml", href="/feeds/all.xml"), url


def test_subscription_page_lists_every_feed_grouped_like_the_site(site):
    soup = html(site, "/subscribe/")
    listed = {a["href"] for a in soup.select('main a[type="application/atom+xml"]')}
    assert listed == {"/" + path for path in feed_paths(site)}
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    for heading in ("全部文件、解读和年度报告", "按发布机构订阅", "按主题订阅", "按公文种类订阅", "数据下载"):
        assert heading in headings
    nested = soup.select("ul.topic-tree > li > ul a[type='application/atom+xml']")
    assert {a["href"] for a in nested} == {"/" + p for p in feed_paths(site) if p.count("/") == 3}
    assert "阅读器" in soup.select_one("main .lead").get_text()
    for page in ("/", "/documents/", "/bodies/caizhengju/"):
        assert html(site, page).select_one('footer a[href="/subscribe/"]'), page


def test_feed_ids_are_stable_across_builds(site, project, tmp_path):
    """A later build with one more document keeps every feed and entry id the first build had."""
    write_document(project / "content", "2026-xinzeng-ceshi", published="2026-11-20", written="2026-11-20")
    later = tmp_path / "later"
    result = build_here(later, project / "content", project / "config.yaml")
    assert result.returncode == 0, result.stderr
    for path in feed_paths(site):
        before, after = feed_entries(site, path), feed_entries(later, path)
        assert set(before) <= set(after), path
        assert ET.parse(later / path).getroot().findtext(ATOM + "id") == f"{BASE_URL}/{path}"
    new = f"{BASE_URL}/documents/2026-xinzeng-ceshi/"
    assert list(feed_entries(later, "feeds/bodies/caizhengju.xml"))[0] == new


@pytest.mark.parametrize("title", ['关于“A&B”<b>加粗</b>与<script>alert(1)</script>的通知'])
def test_feed_text_is_escaped(project, tmp_path, title):
    write_document(project / "content", "2026-teshu-zifu", title=title, doc_number="测试〔2026〕1号")
    output = tmp_path / "site"
    assert build_here(output, project / "content", project / "config.yaml").returncode == 0
    entry = feed_entries(output, "feeds/bodies/caizhengju.xml")[f"{BASE_URL}/documents/2026-teshu-zifu/"]
    assert entry.findtext(ATOM + "title") == title
    soup = BeautifulSoup(entry.findtext(ATOM + "content"), "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    raw = (output / "feeds/bodies/caizhengju.xml").read_text("utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw


def test_feed_dates_come_from_content_not_the_build_date(site, tmp_path):
    """A build a month later with no lifecycle event in between gives byte-identical feeds."""
    later = tmp_path / "later"
    result = run_here("--output", str(later), env_date=epoch(date(2026, 12, 26)))
    assert result.returncode == 0, result.stderr
    assert feed_paths(later) == feed_paths(site)
    for path in feed_paths(site):
        assert (later / path).read_bytes() == (site / path).read_bytes(), path
