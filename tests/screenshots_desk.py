"""The editor guide's screenshots of the editing desk: the form, the preview pane at 2倍 text, the
workflow board, a refused 文号 and the 年度报告's form with its tables. Not a test; it builds a small project in a temporary repository,
runs decap-server against it (as tests/browser/test_desk_browser.py does) and writes PNGs:

    .venv/bin/python tests/screenshots_desk.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1795622400")

from browser import chromium, serve  # noqa: E402
from desk_session import (PDF, attach, build, field, fill_document, free_port, make_repository, preview_frame,  # noqa: E402
                          proxy, save, set_status, sign_in)

DOCUMENT = {
    "id": "2026-zhengwu-gongkai-gongzuo-yaodian", "title": "济南市天桥区人民政府办公室关于印发2026年政务公开工作要点的通知",
    "doc_number": "济天政办发〔2026〕3号", "issuer": "区政府办公室", "written": "2026-03-10",
    "published": "2026-03-12", "topic": "综合政务/政务公开", "kind": "通知", "validity": "有效",
}
BODY = "各街道办事处，区政府各部门：\n\n现将《2026年政务公开工作要点》印发给你们，请认真贯彻落实。\n\n## 一、总体要求\n\n坚持以人民为中心，全面推进政务公开标准化规范化。"


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        project = make_repository(folder / "project")
        port = free_port()
        site = build(project, port)
        attachment = folder / "gongzuo-yaodian-fenjie.pdf"
        attachment.write_bytes(PDF)
        with proxy(project, port), serve(site) as origin, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            sign_in(page, origin)
            fill_document(page, origin, DOCUMENT)
            page.locator("[data-slate-editor]").first.click()
            page.keyboard.type(BODY.replace("\n\n## ", "\n\n").replace("## ", ""))
            attach(page, attachment, "附件：2026年政务公开工作任务分解表")
            field(page, "id").scroll_into_view_if_needed()
            page.screenshot(path=str(out / "desk-form.png"))
            preview = preview_frame(page)
            preview.evaluate("document.documentElement.style.fontSize = '200%'")
            page.screenshot(path=str(out / "desk-preview-2x.png"))
            preview.evaluate("document.documentElement.style.fontSize = ''")
            save(page)
            page.get_by_text("内容已保存").first.wait_for()
            set_status(page, "审核中")
            page.goto(origin + "/admin/#/workflow")
            page.get_by_text(DOCUMENT["title"]).first.wait_for()
            page.screenshot(path=str(out / "desk-workflow.png"))
            fill_document(page, origin, {**DOCUMENT, "id": "2026-cuowu", "doc_number": "济天政办发(2026)10号"})
            page.get_by_role("button", name="保存", exact=True).click()
            page.get_by_text("发文字号应写成").first.wait_for()
            field(page, "doc_number").scroll_into_view_if_needed()
            page.get_by_text("内容已保存").last.wait_for(state="detached")
            page.screenshot(path=str(out / "desk-refused.png"))
            report_shot(page, origin, out)
            participation_shots(page, origin, out)


def report_shot(page, origin: str, out: Path) -> None:
    """The 年度报告's form at its 第三部分, a row opened, beside the preview's tables."""
    page.goto(origin + "/admin/#/collections/reports/entries/2022-renminzhengfu")
    preview = preview_frame(page)
    page.locator("[id^='new-field-'] [data-testid=expand-button]").first.click()  # 一、本年新收 opens
    page.locator("label:visible", has_text="自然人").first.wait_for()
    page.get_by_text("三、收到和处理政府信息公开申请情况", exact=True).first.scroll_into_view_if_needed()
    preview.locator("table.report-table caption").nth(1).evaluate("e => e.scrollIntoView()")
    page.screenshot(path=str(out / "desk-report.png"))


def participation_shots(page, origin: str, out: Path) -> None:
    """The 意见征集 form with its 意见反馈 group open, and a year's 事项目录 with its preview."""
    page.goto(origin + "/admin/#/collections/consultations/entries/2026-shili-laojiu-xiaoqu-gaizao-yijian")
    preview_frame(page)
    page.locator("[data-testid=expand-button]").first.click()  # the form's only group: 意见反馈
    page.get_by_text("反馈发布日期").first.scroll_into_view_if_needed()
    page.screenshot(path=str(out / "desk-consultation.png"))
    page.goto(origin + "/admin/#/collections/decisions/entries/2026")
    page.reload()  # else the previous entry's preview frame may still be the one found
    preview_frame(page).locator("table.decision-table").wait_for()
    page.screenshot(path=str(out / "desk-decisions.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
