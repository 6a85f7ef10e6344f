"""现行有效规范性文件库 and its 清理结果 (issue 18, item 4): every 规范性文件 in force on the build
date by lead issuer and year, with its count and 核对至 date; the repealed and expired ones by the
year it happened, with what repealed them; the same in two CSV files."""

from __future__ import annotations

import csv
import gc
import io
from datetime import date

from bs4 import BeautifulSoup

from content_helpers import epoch, write_document
from messages import build_date, options, rendered_pages, report
from disclosure.errors import Problems
from disclosure.orchestrate.pipeline import load_site
from disclosure.render.plan import Materials, SiteFile, plan_outputs


def _library_project(project):
    content = project / "content"
    write_document(content, "2025-guifan-a", normative=True, issuer="区财政局", published="2025-03-02",
                   written="2025-03-01", doc_number="天桥财发〔2025〕3号")
    write_document(content, "2026-guifan-b", normative=True, issuer=["区财政局", "区人力资源社会保障局"],
                   published="2026-01-06", expires="2026-06-30")
    write_document(content, "2026-guifan-c", normative=True, issuer="区卫生健康局", validity="废止",
                   repealed="2026-09-01", repealed_by="2026-feizhi", published="2026-01-06")
    write_document(content, "2026-feizhi", title="关于废止部分规范性文件的决定", kind="决定",
                   doc_number="天桥财发〔2026〕9号", published="2026-08-20")
    write_document(content, "2026-not-normative", published="2026-01-06")
    return project


def _site(project, day: date):
    problems = Problems()
    with build_date(epoch(day)):
        try:
            checked = load_site(options(project), problems)
        finally:
            gc.unfreeze()
    assert checked is not None, report(problems)
    return checked[1]


def _csv(site, path: str) -> list[list[str]]:
    plan = plan_outputs(site)
    output = next(o for o in plan.outputs if isinstance(o, SiteFile) and o.path == path)
    text = output.make(Materials(site, None)).data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _titles(table) -> list[str]:
    return [row.th.get_text(strip=True) for row in table.select("tbody tr")]


def test_the_library_lists_what_is_in_force_on_the_build_date_by_issuer_and_year(project):
    _library_project(project)
    day = date(2026, 6, 15)  # b is still in force, c's repeal is not yet in effect
    pages = rendered_pages(project, epoch(day))
    page = BeautifulSoup(pages["normative/index.html"], "html.parser")
    site = _site(project, day)
    library = site.library
    in_force = {doc.id for shelf in library.shelves for _, docs in shelf.years for doc in docs}
    assert {"2025-guifan-a", "2026-guifan-b", "2026-guifan-c"} <= in_force
    assert "2026-not-normative" not in in_force and "2026-feizhi" not in in_force
    assert in_force == {d.id for d in site.documents if d.normative and d.status == "有效"}
    count = page.select_one("p.count").get_text()
    assert f"共 {len(in_force)} 件" in count and "核对至 2026年6月15日" in count
    # The finance bureau's shelf: 2026 before 2025, the joint document under its lead issuer only.
    shelves = {s.h2.contents[0].strip(): s for s in page.select("section[aria-labelledby]")}
    shelf = shelves["区财政局"]
    captions = [t.caption.get_text(strip=True) for t in shelf.select("table")]
    assert captions == ["2026年发布（1 件）", "2025年发布（1 件）"]
    joint = shelf.select("table")[0].select_one("tbody tr")
    assert "联合发文：区财政局、区人力资源社会保障局" in joint.get_text()
    assert "区人力资源社会保障局" not in shelves or "2026-guifan-b" not in str(shelves["区人力资源社会保障局"])
    for table in page.select("table"):  # header cells scoped, every row headed by its title
        assert all(th.get("scope") == "col" for th in table.select("thead th"))
        assert all(row.th.get("scope") == "row" for row in table.select("tbody tr"))
    rows = _csv(site, "api/normative.csv")
    assert rows[0][:4] == ["制发机关", "发布年份", "标题", "发文字号"]
    assert len(rows) - 1 == len(in_force)
    assert ["区财政局", "2025", "关于测试文件2025-guifan-a的通知", "天桥财发〔2025〕3号"] == rows[[r[2] for r in rows].index("关于测试文件2025-guifan-a的通知")][:4]


def test_documents_leave_the_library_for_the_cleanup_list_on_the_day_they_end(project):
    _library_project(project)
    day = date(2026, 9, 1)  # c repealed today; b expired on 2026-07-01
    pages = rendered_pages(project, epoch(day))
    site = _site(project, day)
    library = BeautifulSoup(pages["normative/index.html"], "html.parser")
    assert "关于测试文件2026-guifan-b的通知" not in library.get_text()
    assert "关于测试文件2026-guifan-c的通知" not in library.get_text()
    cleared = BeautifulSoup(pages["normative/cleared/index.html"], "html.parser")
    table = next(t for t in cleared.select("table") if t.caption.get_text(strip=True).startswith("2026年"))
    rows = {row.th.a.get_text(strip=True): row for row in table.select("tbody tr")}
    repealed = rows["关于测试文件2026-guifan-c的通知"]
    assert repealed.select_one('td[data-label="清理结果"]').get_text(strip=True) == "已废止"
    assert repealed.select_one('td[data-label="日期"] time')["datetime"] == "2026-09-01"
    basis = repealed.select_one('td[data-label="依据"] a')
    assert basis.get_text(strip=True) == "关于废止部分规范性文件的决定" and basis["href"].endswith("/documents/2026-feizhi/")
    expired = rows["关于测试文件2026-guifan-b的通知"]
    assert expired.select_one('td[data-label="清理结果"]').get_text(strip=True) == "已失效"
    assert expired.select_one('td[data-label="日期"] time')["datetime"] == "2026-07-01"  # the day after 有效期至
    assert "有效期届满" in expired.get_text()
    count = cleared.select_one("p.count").get_text()
    assert f"共 {site.library.cleared_count} 件" in count and "核对至 2026年9月1日" in count
    rows = _csv(site, "api/normative-cleared.csv")
    by_title = {row[2]: row for row in rows[1:]}
    assert by_title["关于测试文件2026-guifan-c的通知"][:2] == ["已废止", "2026-09-01"]
    assert by_title["关于测试文件2026-guifan-c的通知"][6:8] == ["关于废止部分规范性文件的决定", "天桥财发〔2026〕9号"]
    assert by_title["关于测试文件2026-guifan-b的通知"][:2] == ["已失效", "2026-07-01"]
    assert len(rows) - 1 == site.library.cleared_count == len(
        [d for d in site.documents if d.normative and d.status in ("废止", "失效")])
