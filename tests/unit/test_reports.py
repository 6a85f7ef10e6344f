"""政府信息公开工作年度报告 (issue 19, part 1): a report's tables are checked where they are written
(counts, sums, keys), against last year's report and the column's 规范性文件, and its publication
date against 条例 第四十九条; each message names the file and line, exactly as `check` prints it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from content_helpers import edit, write_document
from messages import check_project, rendered_pages

SAMPLE = "content/reports/2022-renminzhengfu.yaml"


@pytest.fixture(autouse=True)
def _messages_relative_to_the_project(project, monkeypatch):
    monkeypatch.chdir(project)  # messages name paths as an editor in the project sees them


def _report(project, name: str = "2022-renminzhengfu") -> object:
    return project / "content" / "reports" / f"{name}.yaml"


def _line(path, text: str) -> int:
    """The line of `path` that holds `text` (1-based)."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_bundled_sample_report_passes(project):
    checked = check_project(project)
    assert checked.errors == [] and checked.warnings == [], checked.text


def test_a_column_that_does_not_balance_is_named_with_its_figures(project):
    path = _report(project)
    edit(path, "carried_forward: {natural: 2, business: 1}", "carried_forward: {natural: 3, business: 1}")
    line = _line(path, "carried_forward:")
    assert check_project(project).errors == [
        # sorted as `check` prints them: the same line, then by message
        f"{SAMPLE}:{line}: 第三部分“总计”列不平衡：一、本年新收（32）加二、上年结转（2）是 34，"
        "三、本年度办理结果（七）总计（31）加四、结转下年度继续办理（4）是 35 — "
        "按填报要求，第一项加第二项之和应等于第三项加第四项之和，请核对这一列",
        f"{SAMPLE}:{line}: 第三部分“自然人”列不平衡：一、本年新收（26）加二、上年结转（2）是 28，"
        "三、本年度办理结果（七）总计（26）加四、结转下年度继续办理（3）是 29 — "
        "按填报要求，第一项加第二项之和应等于第三项加第四项之和，请核对这一列",
    ]


def test_a_written_total_that_is_off_by_one(project):
    path = _report(project)
    edit(path, "granted:        {natural: 12, business: 2, public_interest: 1}",
         "granted:        {natural: 12, business: 2, public_interest: 1, total: 16}")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'granted:')}: 第三部分“（一）予以公开”行“总计”列写的是 16，但本行六类申请人相加是 "
        "12 + 2 + 0 + 1 + 0 + 0 = 15 — 请核对各项数字；也可以不写总计，由系统自动合计",
    ]


def test_a_negative_count(project):
    path = _report(project)
    edit(path, "coercion: 6", "coercion: -6")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'coercion:')}: 第二部分“行政强制”是负数（-6） — 件数不能小于 0，请核对",
    ]


def test_a_count_that_is_not_a_whole_number(project):
    path = _report(project)
    edit(path, "penalty: 85", "penalty: 85件")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'penalty:')}: 第二部分“行政处罚”应是整数，现在是“85件” — 只写阿拉伯数字，如 0 或 12；没有就写 0",
    ]


def test_an_unknown_row_key_is_named_with_the_valid_ones(project):
    path = _report(project)
    edit(path, "  repeated:       {natural: 2}", "  repeat:       {natural: 2}")
    errors = check_project(project).errors
    assert errors == [
        f"{SAMPLE}:{_line(path, 'repeat:')}: 第三部分的行没有“repeat” — 是不是“repeated”？可用的有："
        + "、".join(["new（一、本年新收政府信息公开申请数量）", "carried_over（二、上年结转政府信息公开申请数量）",
                    "granted（（一）予以公开）", "partly（（二）部分公开（区分处理的，只计这一情形，不计其他情形））",
                    "secret（1.属于国家秘密）", "prohibited（2.其他法律行政法规禁止公开）", "security（3.危及“三安全一稳定”）",
                    "third_party（4.保护第三方合法权益）", "internal（5.属于三类内部事务信息）", "process（6.属于四类过程性信息）",
                    "enforcement（7.属于行政执法案卷）", "inquiry（8.属于行政查询事项）", "not_held（1.本机关不掌握相关政府信息）",
                    "needs_making（2.没有现成信息需要另行制作）", "unclear（3.补正后申请内容仍不明确）",
                    "petition（1.信访举报投诉类申请）", "repeated（2.重复申请）", "publication（3.要求提供公开出版物）",
                    "excessive（4.无正当理由大量反复申请）", "confirmation（5.要求行政机关确认或重新出具已获取信息）",
                    "no_correction（1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请）",
                    "no_fee（2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请）",
                    "other_handling（3.其他）", "handled（（七）总计）", "carried_forward（四、结转下年度继续办理）"]),
    ]


def test_an_unknown_column_key(project):
    path = _report(project)
    edit(path, "review:            {upheld: 1,", "review:            {uphold: 1,")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'review:')}: 第四部分“review”的列没有“uphold” — 是不是“upheld”？可用的有："
        "upheld（结果维持）、corrected（结果纠正）、other（其他结果）、pending（尚未审结）、total（总计）",
    ]


def test_a_review_total_must_add_up(project):
    path = _report(project)
    edit(path, "direct_suit:       {upheld: 1, corrected: 0, other: 0, pending: 0}",
         "direct_suit:       {upheld: 1, corrected: 0, other: 0, pending: 0, 总计: 2}")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'direct_suit:')}: 第四部分“未经复议直接起诉”的“总计”写的是 2，但结果维持、结果纠正、其他结果、"
        "尚未审结相加是 1 + 0 + 0 + 0 = 1 — 请核对各项数字；也可以不写总计，由系统自动合计",
    ]


def _next_year(project, carried_over: str) -> object:
    """The district's 2023 report, with the 上年结转 given."""
    path = _report(project, "2023-renminzhengfu")
    text = _report(project).read_text("utf-8")
    text = text.replace("year: 2022", "year: 2023").replace("published: 2023-03-20", "published: 2024-03-20")
    text = text.replace("  carried_over:   {natural: 2}", f"  carried_over:   {carried_over}")
    text = text.replace("normative: {issued: 1, repealed: 0, in_force: 1}", "normative: {}")
    path.write_text(text, "utf-8")
    return path


def test_a_wrong_carried_over_names_both_files(project):
    path = _next_year(project, "{natural: 2, business: 1}")
    edit(path, "granted:        {natural: 12, business: 2, public_interest: 1}",
         "granted:        {natural: 12, business: 3, public_interest: 1}")
    # 2022 carried forward natural 2, business 1 (total 3); 2023 says natural 2, business 1: agrees.
    assert check_project(project).errors == []
    edit(path, "carried_over:   {natural: 2, business: 1}", "carried_over:   {natural: 3, business: 1}")
    edit(path, "granted:        {natural: 12, business: 3, public_interest: 1}",
         "granted:        {natural: 13, business: 3, public_interest: 1}")
    assert check_project(project).errors == [
        f"content/reports/2023-renminzhengfu.yaml:{_line(path, 'carried_over:')}: 第三部分“二、上年结转政府信息公开申请数量”"
        f"与上年报告 {SAMPLE} 的“四、结转下年度继续办理”不一致：自然人 3 ≠ 2、总计 4 ≠ 3 — "
        f"本年的上年结转应等于上年的结转下年度继续办理；请核对本文件，或上年报告 {SAMPLE} 第 "
        f"{_line(_report(project), 'carried_forward:')} 行",
    ]


def test_the_normative_row_must_agree_with_the_columns_documents(project):
    path = _report(project)
    edit(path, "normative: {issued: 1, repealed: 0, in_force: 1}", "normative: {issued: 2, repealed: 0, in_force: 1}")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'normative:')}: 第二部分“行政规范性文件”“本年制发件数”写的是 2，但本栏目中济南市天桥区人民政府"
        "（作为第一发布机构）2022年发布的规范性文件是 1 件 — 请核对：数字有误就改正；本栏目缺了文件就补上文件"
        "（是否规范性文件写 normative: true）；也可以不写这一格，由本栏目文件统计",
    ]
    # A second 规范性文件 of the district government in 2022 makes the report right.
    write_document(project / "content", "2022-guifan-extra", normative=True, issuer="济南市天桥区人民政府",
                   written="2022-05-01", published="2022-05-06")
    edit(path, "in_force: 1}", "in_force: 2}")
    assert check_project(project).errors == []


def test_a_blank_normative_row_is_counted_from_the_documents_and_marked(project):
    path = _report(project)
    edit(path, "normative: {issued: 1, repealed: 0, in_force: 1}", "normative: {}")
    assert check_project(project).errors == []
    page = BeautifulSoup(rendered_pages(project)["reports/2022-renminzhengfu/index.html"], "html.parser")
    row = next(tr for tr in page.select("table.report-table--proactive tr") if tr.th and tr.th.get_text() == "行政规范性文件")
    assert [td.get_text() for td in row.select("td")] == ["1（由本栏目文件统计）", "0（由本栏目文件统计）", "1（由本栏目文件统计）"]


def test_a_late_report_is_a_warning(project):
    path = _report(project)
    edit(path, "published: 2023-03-20", "published: 2023-04-03")
    checked = check_project(project)
    assert checked.errors == []
    assert checked.warnings == [
        f"{SAMPLE}:{_line(path, 'published:')}: 警告：年度报告发布日期 2023-04-03 晚于法定期限 2023年3月31日"
        "（条例第四十九条：县级以上地方人民政府的上一年度报告应在每年3月31日前公布） — "
        "请核对发布日期；确实迟发的，在“六、其他需要报告的事项”中说明原因",
    ]


def test_a_departments_deadline_is_the_31st_of_january(project):
    path = _report(project, "2022-caizhengju")
    text = _report(project).read_text("utf-8").replace("济南市天桥区人民政府 ", "区财政局 ")
    text = text.replace("normative: {issued: 1, repealed: 0, in_force: 1}", "normative: {}")
    path.write_text(text.replace("published: 2023-03-20", "published: 2023-02-01"), "utf-8")
    assert check_project(project).warnings == [
        f"content/reports/2022-caizhengju.yaml:{_line(path, 'published:')}: 警告：年度报告发布日期 2023-02-01 晚于法定期限 "
        "2023年1月31日（条例第四十九条：政府部门（含街道办事处等单位）的上一年度报告应在每年1月31日前公布） — "
        "请核对发布日期；确实迟发的，在“六、其他需要报告的事项”中说明原因",
    ]


@pytest.mark.parametrize("published", ["2022-12-20", "2021-03-01"])
def test_a_report_published_before_its_year_is_over_is_an_error(project, published):
    path = _report(project)
    edit(path, "published: 2023-03-20", f"published: {published}")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'year:')}: 报告年度 2022 不对：报告统计 2022 年全年，发布日期 {published} 应在 2023 年或以后"
        " — 报告年度写统计的那一年，如 2022 年的报告写 year: 2022，在 2023 年发布；年份没错的，请核对发布日期 published",
    ]


def test_a_report_older_than_the_2021_format_says_where_it_goes_instead(project):
    old = _report(project, "2020-renminzhengfu")
    old.write_text(_report(project).read_text("utf-8").replace("year: 2022", "year: 2020")
                   .replace("published: 2023-03-20", "published: 2021-03-20"), "utf-8")
    errors = check_project(project).errors
    assert errors[0] == (
        f"content/reports/2020-renminzhengfu.yaml:{_line(old, 'year:')}: 报告年度 2020 早于 2021 年：这里的表格是"
        "国办公开办函〔2021〕30号的格式，从 2021 年度的报告起使用；2019、2020 年度的报告用的是试行格式（国办公开办函〔2019〕60号），"
        "表格不同 — 更早年度的报告请作为文件发布（content/documents/，原文照录，可附原件），"
        "或在“政府信息公开年报”栏目页（content/pages/nianbao.md）中链接原来发布的网址"), errors


def test_the_file_name_is_year_and_issuer(project):
    _report(project).rename(_report(project, "2022-nianbao"))
    assert check_project(project).errors == [
        "content/reports/2022-nianbao.yaml:1: 年度报告的文件名应是“2022-renminzhengfu.yaml”（报告年度-发布机构的网址名），"
        "现在是“2022-nianbao.yaml” — 请把文件改名为 2022-renminzhengfu.yaml",
    ]


def test_the_fee_amount_may_be_a_decimal_but_not_negative(project):
    path = _report(project)
    edit(path, "fees: 0 ", "fees: 1.50 ")
    assert check_project(project).errors == []
    page = rendered_pages(project)["reports/2022-renminzhengfu/index.html"]
    assert ">1.5<" in page
    edit(path, "fees: 1.50 ", "fees: -0.5 ")
    assert check_project(project).errors == [
        f"{SAMPLE}:{_line(path, 'fees:')}: 第二部分“行政事业性收费”应是不小于 0 的金额（单位：万元），现在是“-0.5” — "
        "只写数字，如 0 或 1.25，不写“万元”",
    ]


def test_the_report_is_a_search_record_of_its_own_type(search_records):
    [record] = [r for r in search_records if r.url == "/reports/2022-renminzhengfu/"]
    assert record.kind == "年度报告" and record.title == "济南市天桥区人民政府2022年政府信息公开工作年度报告"
    assert record.filters == {"类型": ["年度报告"], "发布机构": ["济南市天桥区人民政府"], "年份": ["2022"]}
    assert record.date == "2023-03-20" and "依申请公开。 全年新收政府信息公开申请 32 件" in record.text


def test_two_years_make_a_series_with_links_and_a_chart(project):
    path = _report(project, "2023-renminzhengfu")
    text = _report(project).read_text("utf-8").replace("year: 2022", "year: 2023")
    text = text.replace("published: 2023-03-20", "published: 2024-03-20").replace("sample: true", "sample: false")
    text = text.replace("normative: {issued: 1, repealed: 0, in_force: 1}", "normative: {}")
    text = text.replace("  carried_over:   {natural: 2}", "  carried_over:   {natural: 2, business: 1}")
    text = text.replace("  repeated:       {natural: 2}", "  repeated:       {natural: 2, business: 1}")
    path.write_text(text, "utf-8")
    assert check_project(project).errors == []
    pages = rendered_pages(project)
    index = BeautifulSoup(pages["reports/index.html"], "html.parser")
    assert [h.get_text() for h in index.select("section[aria-labelledby=by-year] h3")] == ["2023年度", "2022年度"]
    assert [t.get_text() for t in index.select("svg.report-chart text.report-chart__year")] == ["2022年", "2023年"]
    rows = [[cell.get_text() for cell in tr.select("th, td")] for tr in index.select("table.report-table--trend tbody tr")]
    assert rows == [["2022年（示例）", "34", "31", "1", "1"], ["2023年", "35", "32", "1", "1"]]
    older = BeautifulSoup(pages["reports/2022-renminzhengfu/index.html"], "html.parser")
    assert older.select_one(".report-series a")["href"] == "/reports/2023-renminzhengfu/"
    newer = BeautifulSoup(pages["reports/2023-renminzhengfu/index.html"], "html.parser")
    assert "上一年度" in newer.select_one(".report-series").get_text()
    # 2023: the district government's 规范性文件 counted from the column (the 2022 one still in force)
    row = next(tr for tr in newer.select("table.report-table--proactive tr") if tr.th and tr.th.get_text() == "行政规范性文件")
    assert [td.get_text() for td in row.select("td")] == ["0（由本栏目文件统计）", "0（由本栏目文件统计）", "1（由本栏目文件统计）"]
