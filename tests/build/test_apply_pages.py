"""The 依申请公开 guide (/apply/) and the printable application form (/apply/form/) in the built
site: the 受理机构 table with its headers, every body config.yaml lists, the 条例's limits in
plain words, a form whose every field is labelled and which submits nowhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import ROOT, html
from disclosure.errors import Problems
from disclosure.load.config import load_config

CONFIG = load_config(ROOT / "config.yaml", Problems())


def _offices_table(soup):
    table = soup.find("table", class_="apply-offices")
    assert table is not None and table.caption is not None
    return table


def test_the_guide_lists_every_body_with_its_office_in_a_headed_table(site):
    soup = html(site, "/apply/")
    assert soup.h1.get_text(strip=True) == "依申请公开指南"
    table = _offices_table(soup)
    assert "示例" in table.caption.get_text()  # the bundled contacts are placeholders
    columns = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    for label in ("受理机构", "地址", "电话", "办公时间", "电子邮箱"):
        assert label in columns
    rows = table.tbody.find_all("tr")
    assert len(rows) == len(CONFIG.apply.desks)
    for row, desk in zip(rows, CONFIG.apply.desks):
        th = row.find("th")
        assert th.get("scope") == "row" and th.get_text(strip=True) == desk.body.name
        text = row.get_text(" ", strip=True)
        for value in (desk.office.name, desk.office.address, desk.office.phone, desk.office.hours,
                      desk.office.email, desk.office.postcode, desk.office.recipient):
            assert value in text, (desk.body.name, value)
        assert "未提供" not in text
    # the region scrolls on a phone: it must be reachable by keyboard and named
    region = table.parent
    assert region.get("tabindex") == "0" and region.get("role") == "region" and region.get("aria-label")


def test_the_guide_states_the_time_limits_in_plain_words(site):
    soup = html(site, "/apply/")
    text = soup.main.get_text("", strip=False)
    for words in ("20 个工作日内答复", "最多再延长 20 个工作日", "7 个工作日内一次性告知", "重新计算",
                  "15 个工作日内提出意见", "不计入答复期限", "信息处理费", "国办函〔2020〕109号",
                  "行政复议", "行政诉讼", "信件", "数据电文", "口头", "以提交之日为收到申请之日",
                  "第二十九条", "第三十一条", "第三十三条", "第三十六条", "第十条", "第二十七条"):
        assert words in text, words
    limits = next(t for t in soup.find_all("table") if t.caption and t.caption.get_text(strip=True) == "依申请公开的办理时限")
    assert all(th.get("scope") in ("col", "row") for th in limits.find_all("th"))
    # the worked example is counted on the build date (2026-11-26, a Thursday) with the holiday calendar
    assert "2026年11月26日（星期四）" in text
    assert "2026年12月24日（星期四）" in text  # 20 working days later
    assert "2026年12月7日（星期一）" in text  # 7 working days: the 补正 notice
    # the extension runs into 2027, whose holidays the calendar does not know yet: the page says so
    assert "按星期一至星期五计算，仅供参考" in text


def test_the_guide_is_linked_from_the_zhinan_and_the_footer(site):
    zhinan = html(site, "/pages/zhinan/")
    assert zhinan.select_one('.prose a[href="/apply/"]') is not None
    assert zhinan.select_one('.prose a[href="/apply/form/"]') is not None
    footer = html(site, "/")
    assert footer.select_one('.site-footer a[href="/apply/"]') is not None


def test_every_form_field_has_a_label_and_nothing_submits(site):
    soup = html(site, "/apply/form/")
    sheet = soup.find("article", class_="apply-sheet")
    assert sheet is not None
    assert sheet.find("form") is None  # a static site takes no submissions
    forms = soup.find_all("form")
    assert [f.get("class") for f in forms] == [["header-search"]]  # only the site's search box
    fields = sheet.find_all(["input", "textarea", "select"])
    assert len(fields) > 20
    labels = {label.get("for") for label in sheet.find_all("label")}
    for field in fields:
        assert field.get("id") in labels, field
        assert not field.get("formaction") and not field.get("form")
    assert sheet.find("button") is None
    text = sheet.get_text(" ", strip=True)
    assert "不会提交或保存" in text
    # the labels of §4.2 of the reference, and none of the outdated ones
    for label in ("公民", "法人或其他组织", "姓名", "证件号码", "联系电话", "邮政编码", "联系地址", "电子邮箱",
                  "名称", "法人代表", "联系人姓名", "所需信息的内容描述（名称、文号或其他特征描述）",
                  "所需信息的索引号（选填）", "纸质文本", "邮寄", "当面领取", "申请人签名或者盖章", "申请时间"):
        assert label in text, label
    for outdated in ("用途", "减免"):
        assert outdated not in text, outdated
    # every row header of the form's tables is a row header
    for table in sheet.find_all("table"):
        assert table.caption is not None
        assert all(th.get("scope") == "row" for th in table.find_all("th"))
    # the applicant's type is one choice, the medium and the way several: in fieldsets with a legend
    assert [box["value"] for box in sheet.find_all("input", type="radio")] == ["公民", "法人或其他组织"]
    assert len(sheet.find_all("input", type="checkbox")) == 10
    for box in sheet.find_all("input", type=["checkbox", "radio"]):
        fieldset = box.find_parent("fieldset")
        assert fieldset is not None and fieldset.legend is not None


def test_the_form_prints_the_default_office_and_links_the_print_stylesheet(site):
    soup = html(site, "/apply/form/")
    office = CONFIG.apply.office
    text = soup.find("table", class_="apply-sheet__to").get_text(" ", strip=True)
    for value in (office.postal_address, office.postcode, office.recipient, office.email):
        assert value in text
    sheets = {link["href"].split("?")[0]: link.get("media") for link in soup.find_all("link", rel="stylesheet")}
    assert sheets["/static/print.css"] == "print"
    assert sheets["/static/apply-form.css"] == "screen"
    css = (site / "static" / "print.css").read_text("utf-8")
    assert ".apply-sheet" in css and "size: A4" in css


def test_the_guide_and_form_are_in_the_sitemap(site):
    urls = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    base = CONFIG.site.origin_url.rstrip("/")
    assert f"{base}/apply/" in urls and f"{base}/apply/form/" in urls


def test_the_search_records_carry_their_own_type(search_records):
    records = {record.url: record for record in search_records}
    for url in ("/apply/", "/apply/form/"):
        assert records[url].filters == {"类型": ["办事指南"]}
    assert "20 个工作日内答复" in records["/apply/"].text
    assert CONFIG.apply.office.phone in records["/apply/"].text
    assert re.search("区民政局", records["/apply/"].elements)
