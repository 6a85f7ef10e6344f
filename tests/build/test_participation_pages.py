"""意见征集 and the 重大行政决策事项目录 as built from the bundled content (build date 2026-11-26:
the example consultation is open): the pages, the home page's list, the body pages' sections,
the feed, the sitemap, search records and the exports against their shipped JSON Schemas."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

from conftest import html
from content_helpers import BASE_URL, load_json
from test_exports import validator

CONSULTATION = "/consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian/"
ITEM = "/decisions/2026/shili-laojiu-xiaoqu-gaizao/"


def test_the_open_consultation_on_its_page_and_the_home_page(site):
    page = html(site, CONSULTATION, "main")
    text = page.get_text(" ", strip=True)
    assert "征集中（还剩 36 天）" in text
    assert [h.get_text(strip=True) for h in page.find_all("h2")][:4] == ["提出意见的方式", "起草说明", "背景", "征求意见稿"]
    assert page.find("a", href="mailto:yijian-sample@example.gov.cn")
    assert page.find("form") is None
    assert page.find("a", href=ITEM)
    draft = page.find(id="draft-heading").find_parent("section")
    assert [h.name for h in draft.find_all(re.compile("^h[1-6]$"))] == ["h2", "h3", "h3", "h3"], \
        "the draft's own ## headings sit under its section's h2"
    home = html(site, "/", "main")
    section = home.find("section", attrs={"aria-labelledby": "open-consultations-heading"})
    assert section and section.find("a", href=CONSULTATION) and "还剩 36 天" in section.get_text()


def test_the_list_by_year_and_state(site):
    page = html(site, "/consultations/", "main")
    assert page.find("h2").get_text(strip=True) == "2026年"
    assert page.find("h3").get_text(strip=True) == "征集中（1 项）"


def test_the_catalogue_shows_progress_and_the_item_its_trail(site):
    table = html(site, "/decisions/2026/", "main").find("table", class_="decision-table")
    assert table.caption and [th.get("scope") for th in table.thead.find_all("th")] == ["col"] * 8
    rows = table.tbody.find_all("tr")
    assert len(rows) == 2 and rows[0].th.get("scope") == "row"
    assert "已完成 0 项，共 5 项" in rows[0].get_text() and "公众参与：进行中" in rows[0].get_text()
    assert rows[0].find("a", href=CONSULTATION)
    trail = html(site, ITEM, "main").find("ol", class_="trail")
    steps = [li.strong.get_text(strip=True) for li in trail.find_all("li")]
    assert steps == ["列入目录", "公开征求意见"]  # the window is still open: it has not ended yet


def test_body_pages_list_their_consultations_and_items(site):
    housing = html(site, "/bodies/zhufangchengxiangjiansheju/", "main")
    assert housing.find(id="consultations-heading") and housing.find("a", href=CONSULTATION)
    assert housing.find(id="decisions-heading") and housing.find("a", href=ITEM)
    education = html(site, "/bodies/jiaoyutiyuju/", "main")
    assert education.find(id="decisions-heading") and education.find("a", href="/decisions/2026/shili-xueqian-jiaoyu-buju/")


def test_feed_sitemap_and_exports(site):
    feed = ET.parse(site / "feeds/consultations.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    # The state without the days left: the feed changes when the window opens, closes or is answered.
    assert titles == ["【示例】关于公开征求《天桥区老旧小区改造三年行动方案（示例草案）》意见的公告（征集中，2026-12-31 截止）"]
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for path in ("/consultations/", CONSULTATION, "/decisions/", "/decisions/2026/", ITEM):
        assert f"<loc>{BASE_URL}{path}</loc>" in sitemap
    consultations = load_json(site, "api/consultations.json")
    validator(site, "consultations").validate(consultations)
    assert consultations["consultations"][0]["status"] == "征集中（还剩 36 天）"
    assert consultations["consultations"][0]["feedback"] is None
    decisions = load_json(site, "api/decisions.json")
    validator(site, "decisions").validate(decisions)
    assert [i["id"] for i in decisions["catalogues"][0]["items"]] == ["shili-laojiu-xiaoqu-gaizao", "shili-xueqian-jiaoyu-buju"]
    rows = list(csv.reader(io.StringIO((site / "api/consultations.csv").read_text("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "标题", "征集单位"] and rows[1][8] == "征集中（还剩 36 天）"
    rows = list(csv.reader(io.StringIO((site / "api/decisions.csv").read_text("utf-8-sig"))))
    assert len(rows) == 3 and rows[1][7:12] == ["进行中", "未开始", "未开始", "未开始", "未开始"]


def test_search_records_have_their_own_kinds(search_records):
    kinds = {r.url: r.filters["类型"] for r in search_records}
    assert kinds[CONSULTATION] == ["意见征集"]
    assert kinds[ITEM] == ["决策事项"]
