"""基层政务公开标准目录 as built from the bundled content: the list of areas, an area's table with
the two-row header of the standard tables, the section on each 公开主体's page, and the exports."""

from __future__ import annotations

import csv
import io

from conftest import html
from content_helpers import BASE_URL, load_json
from test_exports import validator

AREA = "/catalogue/shenong-butie/"


def test_the_list_of_areas_counts_rows_and_says_which_are_being_compiled(site):
    page = html(site, "/catalogue/", "main")
    items = {li.h2.get_text(strip=True): li.get_text(" ", strip=True) for li in page.select(".catalogue-areas li")}
    # In the order of the 26 areas' list (statutory-columns.md §2.1), not by file name.
    assert list(items) == ["生态环境", "社会救助", "养老服务", "就业", "社会保险", "涉农补贴", "义务教育", "卫生健康"]
    assert "1 项公开事项" in items["涉农补贴"]
    for name in ("生态环境", "就业", "义务教育", "社会保险", "养老服务", "社会救助", "卫生健康"):
        assert "本领域目录正在编制" in items[name], items[name]
    assert "《生态环境领域基层政务公开标准指引》（环办厅函〔2019〕672号）" in items["生态环境"]
    assert page.find("a", href=AREA)


def test_the_area_table_has_the_two_row_header(site):
    table = html(site, AREA, "main").find("table", class_="catalogue-table")
    assert table.caption.get_text(strip=True) == "涉农补贴领域基层政务公开标准目录（1 项）"
    first, second = table.thead.find_all("tr")
    assert [(th.get_text(strip=True), th.get("scope"), th.get("colspan"), th.get("rowspan"))
            for th in first.find_all("th")] == [
        ("序号", "col", None, "2"), ("公开事项", "colgroup", "2", None), ("公开内容（要素）", "col", None, "2"),
        ("公开依据", "col", None, "2"), ("公开时限", "col", None, "2"), ("公开主体", "col", None, "2"),
        ("公开渠道和载体", "col", None, "2"), ("公开对象", "colgroup", "2", None), ("公开方式", "colgroup", "2", None),
        ("公开层级", "colgroup", "2", None)]
    assert [(th.get_text(strip=True), th.get("scope")) for th in second.find_all("th")] == [
        (name, "col") for name in ("一级事项", "二级事项", "全社会", "特定群众", "主动", "依申请公开", "县级", "乡级")]
    spans = [int(group.get("span", 1)) for group in table.find_all("colgroup")]
    assert sum(spans) == 14 == len(table.tbody.tr.find_all(["th", "td"])) == len(table.find_all("col")) and spans[1] == 2 and spans[-3:] == [2, 2, 2]
    (row,) = table.tbody.find_all("tr")
    assert row.th.get("scope") == "row" and row.th.get_text(strip=True) == "1"
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[:2] == ["惠民惠农财政补贴资金", "补贴资金发放结果"]
    assert cells[4] == "2022年年底前"
    assert cells[6] == "社区/企事业单位/村公示栏（电子屏）"
    assert cells[7:] == ["否", "是", "是", "否", "是", "是"]  # in words, not symbols
    assert [a["href"] for a in row.find_all("td")[5].find_all("a")] == [
        "/bodies/caizhengju/", "/bodies/nongyenongcunju/", "/bodies/gejiedao/"]
    region = table.find_parent("div")
    assert region["role"] == "region" and region["tabindex"] == "0" and region["aria-labelledby"] == table.caption["id"]


def test_an_area_without_rows_says_so(site):
    main = html(site, "/catalogue/jiuye/", "main")
    assert "本领域目录正在编制" in main.get_text()
    assert main.find("table") is None


def test_body_pages_list_the_rows_they_publish(site):
    for slug in ("caizhengju", "nongyenongcunju", "gejiedao"):
        main = html(site, f"/bodies/{slug}/", "main")
        section = main.find("h2", string="本单位负责的公开事项").find_parent("section")
        links = [a["href"] for a in section.find_all("a")]
        assert f"{AREA}#item-1" in links and AREA in links, links
        assert "2022年年底前" in section.get_text()
    # A member of a group that is 公开主体: the row with the group named.
    section = html(site, "/bodies/beiyuanjiedao/", "main").find("h2", string="本单位负责的公开事项").find_parent("section")
    table = section.find("table")
    assert table.caption.get_text(strip=True) == "统称作为公开主体的公开事项"
    assert [td.get_text(strip=True) for td in table.tbody.find_all("td")] == ["涉农补贴", "各街道办事处", "2022年年底前"]
    # Only where the body has rows.
    assert html(site, "/bodies/zhengfubangongshi/", "main").find("h2", string="本单位负责的公开事项") is None


def test_links_to_the_catalogue(site):
    footer = html(site, "/", "footer")
    assert footer.find("a", href="/catalogue/", string="基层政务公开标准目录")
    assert html(site, "/pages/fading-zhudong-gongkai/", "main").find("a", href="/catalogue/")


def test_csv_and_json(site):
    raw = (site / "api" / "catalogue.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["领域", "序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
                       "公开渠道和载体", "公开对象（全社会）", "公开对象（特定群众）", "公开方式（主动）",
                       "公开方式（依申请公开）", "公开层级（县级）", "公开层级（乡级）", "链接", "URL"]
    assert len(rows) == 2
    assert rows[1][:4] == ["涉农补贴", "1", "惠民惠农财政补贴资金", "补贴资金发放结果"]
    assert rows[1][7] == "区财政局、区农业农村局、各街道办事处"
    assert rows[1][9:] == ["否", "是", "是", "否", "是", "是", "", f"{BASE_URL}{AREA}#item-1"]
    data = load_json(site, "api/catalogue.json")
    validator(site, "catalogue").validate(data)
    assert data["levels"] == ["县级", "乡级"]
    areas = {area["name"]: area for area in data["areas"]}
    assert len(areas) == 8 and areas["就业"]["rows"] == [] and areas["就业"]["count"] == 0
    (row,) = areas["涉农补贴"]["rows"]
    assert row["bodies"][2] == {"name": "各街道办事处", "written": "各街道办事处", "url": f"{BASE_URL}/bodies/gejiedao/"}
    assert (row["audience"], row["manner"], row["levels"]) == (["特定群众"], ["主动"], ["县级", "乡级"])
    assert row["link"] is None and row["url"] == f"{BASE_URL}{AREA}#item-1"


def test_sitemap_lists_the_catalogue_pages(site):
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for path in ("/catalogue/", AREA, "/catalogue/jiuye/"):
        assert f"<loc>{BASE_URL}{path}</loc>" in sitemap


def test_search_records_of_the_catalogue(search_records):
    records = [r for r in search_records if r.kind == "标准目录"]
    assert {r.url for r in records} >= {"/catalogue/shenong-butie/", "/catalogue/shenong-butie/#item-1", "/catalogue/jiuye/"}
    row = next(r for r in records if r.url.endswith("#item-1"))
    assert row.filters == {"类型": ["标准目录"], "发布机构": ["区农业农村局", "区财政局", "各街道办事处"]}
    assert "村务" not in row.title and "惠民惠农财政补贴资金" in row.title and not row.show_date
    assert "以村为单位公开" in row.text


def test_the_subscribe_page_offers_the_downloads(site):
    main = html(site, "/subscribe/", "main")
    assert main.find("a", href="/api/catalogue.csv") and main.find("a", href="/api/catalogue.json")
