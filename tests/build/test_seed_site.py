"""The built site carries the seed document, its 71 tasks and every classification page."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup, SoupStrainer

from conftest import ROOT, SEED_DOC, SEED_TASKS, body_slug, html, load_yaml


def meta_rows(soup) -> dict[str, str]:
    table = soup.find("table", class_="meta-table")
    assert table is not None and table.caption is not None
    rows = {}
    for row in table.find_all("tr"):
        th, td = row.find("th"), row.find("td")
        assert th.get("scope") == "row"
        rows[th.get_text(strip=True)] = td.get_text(" ", strip=True)
    return rows


def test_seed_document_has_its_metadata_table(site):
    soup = html(site, f"/documents/{SEED_DOC}/")
    rows = meta_rows(soup)
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "标题", "发文字号", "发布日期", "有效性", "废止日期"):
        assert label in rows, label
    assert rows["发文字号"] == "济天政办发〔2022〕4号"
    assert rows["成文日期"] == "2022-06-16"
    assert rows["发布日期"] == "2022-06-16"
    assert rows["发布机构"] == "区政府办公室"
    assert rows["主题分类"] == "综合政务/政务公开"
    assert rows["标题"] == "济南市天桥区人民政府办公室关于印发2022年济南市天桥区政务公开工作要点的通知"
    assert soup.h1.get_text(strip=True) == rows["标题"]


def test_seed_document_body_has_the_five_parts(site):
    soup = html(site, f"/documents/{SEED_DOC}/")
    headings = [h.get_text(strip=True) for h in soup.select(".prose h3")]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、"]
    text = soup.select_one(".prose").get_text()
    assert "解读材料要在政策文件公开后三个工作日内发布" in text
    assert len(soup.find_all("h1")) == 1
    attachment = soup.find("a", string=re.compile("任务分解表"))
    assert attachment["href"] == f"/tasks/{SEED_TASKS}/"


def test_task_table_has_all_71_tasks_with_accessible_markup(site, seed_tasks):
    soup = html(site, f"/tasks/{SEED_TASKS}/")
    rows = soup.select("tr[id^=task-]")
    assert [row["id"] for row in rows] == [f"task-{n}" for n in range(1, 72)]
    by_no = {t["no"]: t for t in seed_tasks["tasks"]}
    for row in rows:
        task = by_no[int(row["id"].split("-")[1])]
        header = row.find("th")
        assert header["scope"] == "row" and header.get_text(strip=True) == str(task["no"])
        assert task["requirement"] in row.get_text()
        assert task["deadline"] in row.get_text()
        assert len(row.select("td ul.units a")) == len(task["units"])
    tables = soup.select("table.task-table")
    assert len(tables) == 5
    for table in tables:
        assert table.caption and table.caption.get_text(strip=True)
        assert all(th.get("scope") for th in table.find_all("th"))
    # Grouped by area (h2) and by item (row-group headers)
    assert len(soup.select("section.task-area > h2")) == 5
    items = {t["item"] for t in seed_tasks["tasks"]}
    group_headers = {th.get_text(strip=True) for th in soup.select("th[scope=rowgroup]")}
    assert items == group_headers


def test_every_unit_named_in_the_tasks_has_a_body_page(site, seed_tasks, config_data):
    names = {unit for task in seed_tasks["tasks"] for unit in task["units"]}
    assert len(names) > 40
    for name in names:
        slug = body_slug(config_data, name)
        page = html(site, f"/bodies/{slug}/", only="h1")
        assert page.h1.get_text(strip=True) in {b["name"] for b in config_data["bodies"]}


def test_task_units_link_to_body_pages(site):
    soup = html(site, f"/tasks/{SEED_TASKS}/")
    links = soup.select("ul.units a")
    assert links
    for link in links:
        target = site / link["href"].strip("/") / "index.html"
        assert target.is_file(), link["href"]


def _task_numbers(soup, section_id):
    section = soup.find(id=section_id).find_parent("section")
    return {int(a.get_text(strip=True)) for a in section.select("th.task-table__no a")}


def test_aliases_resolve_to_one_body(site, seed_tasks, config_data):
    # The seed names the same office 区工信局 and 区工业和信息化局.
    short = {t["no"] for t in seed_tasks["tasks"] if "区工信局" in t["units"]}
    full = {t["no"] for t in seed_tasks["tasks"] if "区工业和信息化局" in t["units"]}
    assert short and full
    slug = body_slug(config_data, "区工信局")
    assert slug == body_slug(config_data, "区工业和信息化局")
    soup = html(site, f"/bodies/{slug}/")
    assert _task_numbers(soup, "tasks-heading") == short | full
    assert "原文作“区工信局”" in soup.get_text()
    for alias, canonical in (("区卫健局", "区卫生健康局"), ("区文旅局", "区文化和旅游局"), ("区人社局", "区人力资源社会保障局")):
        assert body_slug(config_data, alias) == body_slug(config_data, canonical)
        named = {t["no"] for t in seed_tasks["tasks"] if alias in t["units"] or canonical in t["units"]}
        soup = html(site, f"/bodies/{body_slug(config_data, canonical)}/")
        assert _task_numbers(soup, "tasks-heading") == named


def test_group_tasks_are_listed_apart_on_member_pages(site, seed_tasks, config_data):
    group_tasks = {t["no"] for t in seed_tasks["tasks"] if "各街道办事处" in t["units"] or "各镇街道办事处" in t["units"]}
    street = next(b for b in config_data["bodies"] if b["type"] == "street")
    soup = html(site, f"/bodies/{street['slug']}/")
    listed = _task_numbers(soup, "group-tasks-heading")
    assert group_tasks <= listed
    group_page = html(site, f"/bodies/{body_slug(config_data, '各街道办事处')}/")
    assert street["name"] in group_page.find(id="members-heading").find_parent("section").get_text()


def test_classification_pages_for_every_year_topic_and_body(site):
    api = json.loads((site / "api" / "documents.json").read_text("utf-8"))
    docs = api["documents"]
    assert api["count"] == len(docs) == len(list((ROOT / "content" / "documents").rglob("*.md")))
    config = load_yaml(ROOT / "config.yaml")
    topics = {t["name"]: t for t in config["topics"]}
    texts: dict[str, str] = {}

    def text(url: str) -> str:  # several documents share a page: each is parsed once
        if url not in texts:
            texts[url] = html(site, url).get_text()
        return texts[url]

    for doc in docs:
        year = doc["published"][:4]
        assert doc["title"] in text(f"/years/{year}/")
        top, _, sub = doc["topic"].partition("/")
        top_slug = topics[top]["slug"]
        assert doc["title"] in text(f"/topics/{top_slug}/")
        if sub:
            sub_slug = next(c["slug"] for c in topics[top]["children"] if c["name"] == sub)
            assert doc["title"] in text(f"/topics/{top_slug}/{sub_slug}/")
        for issuer in doc["issuers"]:
            assert doc["title"] in text(f"/bodies/{body_slug(config, issuer)}/")
        assert doc["url"].endswith(f"/documents/{doc['id']}/")


def test_lists_are_newest_first(site):
    soup = html(site, "/documents/")
    dates = [t["datetime"] for t in soup.select(".doc-list time")]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 2


def test_validity_view_separates_current_from_repealed_and_expired(site):
    api = json.loads((site / "api" / "documents.json").read_text("utf-8"))
    current = html(site, "/validity/current/").get_text()
    invalid = html(site, "/validity/invalid/").get_text()
    for doc in api["documents"]:
        if doc["validity"] == "有效":
            assert doc["title"] in current and doc["title"] not in invalid
        else:
            assert doc["title"] in invalid and doc["title"] not in current
            page = html(site, f"/documents/{doc['id']}/").select_one(".notice--invalid").get_text()
            assert ("【已废止】" if doc["validity"] == "废止" else "【已失效】") in page
    assert {d["validity"] for d in api["documents"]} >= {"有效", "失效", "废止"}


def test_gov_meta_tags(site):
    soup = html(site, f"/documents/{SEED_DOC}/")
    meta = {m["name"]: m["content"] for m in soup.find_all("meta") if m.get("name")}
    assert meta["SiteName"] == "济南市天桥区人民政府"
    assert meta["ColumnName"] == "政策文件"
    assert meta["ArticleTitle"].startswith("济南市天桥区人民政府办公室关于印发")
    assert meta["PubDate"] == "2022-06-16 00:00"
    assert meta["ContentSource"] == "区政府办公室"
    assert soup.html["lang"] == "zh-CN"


def test_interpretation_links_back_and_renders_a_faq(site):
    soup = html(site, "/interpretations/")
    links = soup.select(".doc-list__title a")
    assert links
    page = html(site, links[0]["href"])
    assert page.find("a", href=f"/documents/{SEED_DOC}/")
    questions = page.select(".faq__q")
    assert len(questions) >= 8
    doc = html(site, f"/documents/{SEED_DOC}/")
    assert doc.find("a", href=links[0]["href"])


def test_standard_columns_exist_and_are_in_the_navigation(site):
    nav = html(site, "/").select_one("nav.site-nav").get_text()
    for title in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"):
        assert title in nav


def test_sitemap_and_api_cover_every_document(site):
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in tree.findall(".//s:loc", ns)}
    api = json.loads((site / "api" / "documents.json").read_text("utf-8"))
    for doc in api["documents"]:
        assert doc["url"] in locs
    for loc in locs:
        path = loc.split("://", 1)[1].split("/", 1)[1]
        assert (site / path / "index.html").is_file(), loc


def test_404_page_and_ascii_output_paths(site):
    assert (site / "404.html").is_file()
    for path in site.rglob("*"):
        assert path.relative_to(site).as_posix().isascii(), path


def test_pages_load_scripts_only_from_the_site_itself(site):
    """Reading never depends on a script: none is inline (the CSP forbids it) or from elsewhere.
    The one inline element is data a browser never runs: a document's schema.org JSON-LD."""
    for path in site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser", parse_only=SoupStrainer("script"))
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json" and not script.get("src"):
                assert json.loads(script.string)["@type"] == "Legislation", path
                continue
            assert script.get("src"), f"{path}: inline script"
            assert script["src"].startswith("/") and not script["src"].startswith("//"), path


def test_every_page_has_one_h1_and_no_heading_skips_a_level(site):
    """Screen-reader users move by headings: each public page has one h1, and the outline never
    jumps down two levels (Markdown nested under a section's h2 is shifted a level down)."""
    wrong = {}
    for path in sorted(site.rglob("*.html")):
        name = path.relative_to(site).as_posix()
        if name.startswith("admin/"):  # the editing desk: Decap's own page
            continue
        levels = [int(tag.name[1]) for tag in BeautifulSoup(path.read_text("utf-8"), "html.parser")
                  .find_all(re.compile("^h[1-6]$"))]
        jumps = [f"h{a}→h{b}" for a, b in zip([0, *levels], levels) if b > a + 1]
        if levels.count(1) != 1 or jumps:
            wrong[name] = (levels.count(1), jumps)
    assert not wrong, wrong
