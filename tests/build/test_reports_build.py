"""政府信息公开工作年度报告 in the built site (issue 19, part 1): the report page's tables laid out as
国办公开办函〔2021〕30号 does, with scoped headers and the computed figures marked in text; the
index with its chart and table; every table cell in api/reports.csv and api/reports.json."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

PAGE = "reports/2022-renminzhengfu/index.html"
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _page(site, path=PAGE) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def test_the_report_page_has_the_six_parts_and_the_official_tables(site):
    page = _page(site)
    assert [h.get_text() for h in page.select("article h2")] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert page.h1.get_text() == "【示例】济南市天桥区人民政府2022年政府信息公开工作年度报告"
    tables = page.select("table.report-table")
    assert len(tables) == 3
    for table in tables:
        assert table.caption and table.caption.get_text().strip()
        assert all(th.get("scope") in ("col", "colgroup", "row", "rowgroup") for th in table.select("th"))
        region = table.parent
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region.get("aria-labelledby") == table.caption.get("id")

    proactive = tables[0]
    assert [th.get_text() for th in proactive.select("tr.report-table__group th")] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert "本年收费金额（单位：万元）" in [th.get_text() for th in proactive.select("th[scope=col]")]

    applications = tables[1]
    head = applications.thead.select("tr")
    assert len(head) == 3
    corner = head[0].td
    assert corner.get_text() == CORNER and corner["rowspan"] == "3" and corner["colspan"] == "3"
    assert [(th.get_text(), th.get("colspan")) for th in head[0].select("th")] == [("申请人情况", "7")]
    assert [th.get_text() for th in head[1].select("th")] == ["自然人", "法人或其他组织", "总计"]
    assert [th.get_text() for th in head[2].select("th")] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = applications.tbody.select("tr")
    assert len(rows) == 25
    assert all(len(row.select("td")) == 7 for row in rows)
    result = rows[2].select("th")
    assert [(th.get_text(), th["scope"], th.get("rowspan")) for th in result] == [
        ("三、本年度办理结果", "rowgroup", "22"), ("（一）予以公开", "row", None)]
    withheld = rows[4].select("th")
    assert [(th.get_text(), th.get("rowspan")) for th in withheld] == [("（三）不予公开", "8"), ("1.属于国家秘密", None)]
    assert rows[-2].th.get_text() == "（七）总计" and rows[-1].th.get_text() == "四、结转下年度继续办理"

    review = tables[2]
    assert len(review.tbody.select("td")) == 15
    assert [th.get_text() for th in review.thead.select("tr")[0].select("th")] == ["行政复议", "行政诉讼"]


def test_computed_figures_are_marked_in_text(site):
    page = _page(site)
    applications = page.select("table.report-table")[1]
    rows = applications.tbody.select("tr")
    new_total = rows[0].select("td")[-1]
    assert new_total.get_text() == "32※（自动合计）"
    assert new_total.select_one(".visually-hidden").get_text() == "（自动合计）"
    handled = rows[-2].select("td")
    assert [td.get_text() for td in handled] == [f"{n}※（自动合计）" for n in (26, 3, 0, 1, 1, 0, 31)]
    assert rows[0].select("td")[0].get_text() == "26"  # as the report states it: no mark
    assert "标“※”的数字是报告未填写、由本系统按表内其他数字自动合计的" in page.select_one(".report-intro").get_text()


def test_the_index_lists_reports_by_year_with_a_chart_and_its_numbers(site):
    page = _page(site, "reports/index.html")
    assert page.select_one("#year-2022") is not None
    link = page.select_one(".report-list a")
    assert link["href"] == "/reports/2022-renminzhengfu/"
    svg = page.select_one("svg.report-chart")
    assert svg["role"] == "img" and svg.title.get_text() == "济南市天桥区人民政府历年政府信息公开申请和复议、诉讼情况"
    assert [t.get_text() for t in svg.select("text.report-chart__value")] == ["34", "31", "1", "1"]
    table = page.select_one("table.report-table--trend")
    assert [th.get_text() for th in table.thead.select("th")] == ["年度", "收到申请", "办理完结", "行政复议", "行政诉讼"]
    assert [td.get_text() for td in table.tbody.select("td")] == ["34", "31", "1", "1"]
    footer = _page(site, "index.html").select_one("footer")
    assert footer.find("a", href="/reports/").get_text() == "政府信息公开工作年度报告"
    assert _page(site, "pages/nianbao/index.html").find("a", href="/reports/") is not None
    assert "https://gk.example.gov.cn/reports/2022-renminzhengfu/" in (site / "sitemap.xml").read_text("utf-8")


def test_every_table_cell_is_exported_as_csv_and_json(site):
    rows = list(csv.reader(io.StringIO((site / "api/reports.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["报告年度", "发布机构", "报告", "网址", "部分", "行", "列", "数值", "计算方式", "示例"]
    cells = rows[1:]
    assert len(cells) == 10 + 25 * 7 + 15  # 第二部分 3 + 3 + 1 + 1 + 1 + 1 cells, 第三部分, 第四部分
    by_place = {(row[4], row[5], row[6]): row for row in cells}
    total = by_place["第三部分", "一、本年新收政府信息公开申请数量", "总计"]
    assert total[:4] == ["2022", "济南市天桥区人民政府", "济南市天桥区人民政府2022年政府信息公开工作年度报告",
                         "https://gk.example.gov.cn/reports/2022-renminzhengfu/"]
    assert total[7:] == ["32", "合计自动计算", "是"]
    assert by_place["第二部分", "行政规范性文件", "本年制发件数"][7:9] == ["1", "报告填写"]
    assert by_place["第二部分", "行政事业性收费", "本年收费金额（单位：万元）"][7] == "0"

    data = json.loads((site / "api/reports.json").read_text("utf-8"))
    assert data["format"] == "国办公开办函〔2021〕30号"
    [report] = data["reports"]
    assert {k: report[k] for k in ("id", "year", "issuer", "published", "sample")} == {
        "id": "2022-renminzhengfu", "year": 2022, "issuer": "济南市天桥区人民政府", "published": "2023-03-20",
        "sample": True}
    assert len(report["cells"]) == len(cells)
    handled = next(c for c in report["cells"] if c["row"] == "handled" and c["column"] == "total")
    assert handled == {"part": "第三部分", "row": "handled", "row_label": "（七）总计", "column": "total",
                       "column_label": "总计", "value": 31, "computed": "合计自动计算"}


def test_the_issuers_page_lists_its_reports_and_its_feed_carries_them(site):
    page = _page(site, "bodies/renminzhengfu/index.html")
    section = page.find(id="reports-heading").parent
    links = [(a.get_text(), a["href"]) for a in section.select("li a")]
    assert links == [("【示例】济南市天桥区人民政府2022年政府信息公开工作年度报告", "/reports/2022-renminzhengfu/")]
    assert section.select_one("time")["datetime"] == "2023-03-20"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feeds/bodies/renminzhengfu.xml").getroot()
    assert feed.findtext(atom + "title").endswith("济南市天桥区人民政府发布的文件和年度报告")
    links = [entry.find(atom + "link").get("href") for entry in feed.iter(atom + "entry")]
    assert sum(link.endswith("/reports/2022-renminzhengfu/") for link in links) == 1, links
    other = ET.parse(site / "feeds/bodies/caizhengju.xml").getroot()
    assert "年度报告" not in other.findtext(atom + "title")
    assert not _page(site, "bodies/caizhengju/index.html").find(id="reports-heading")
