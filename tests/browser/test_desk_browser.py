"""The editing desk in Chromium against Decap's local proxy (decap-server in git mode, as `make edit`
runs it) on a temporary repository holding a small project: a document created through the form
with an attachment, saved, taken through the editorial workflow (草稿 → 就绪) and published lands
in content/ with the expected front matter, passes `build.py check`, and the built page shows it;
the preview pane shows it in the site's look, readable at 2倍 text; a 文号 of the wrong shape is
refused by the form with a Chinese message and nothing is written."""

from __future__ import annotations

import pytest

from browser import serve, shared_chromium
from conftest import run_build
from desk_session import (PDF, attach, build, choose, field, fill_document, free_port, git, make_repository,
                          preview_frame, proxy, publish, save, set_status, sign_in)
from messages import check_project

# One desk (a repository, a build, decap-server and Decap loaded once) for the module: its tests run
# on one xdist worker.
pytestmark = pytest.mark.xdist_group("desk")

DOCUMENT = {
    "id": "2026-bianjitai-ceshi-tongzhi", "title": "济南市天桥区人民政府办公室关于编辑台测试工作的通知",
    "doc_number": "济天政办发〔2026〕9号", "issuer": "区政府办公室", "written": "2026-11-20",
    "published": "2026-11-23", "topic": "综合政务/政务公开", "kind": "通知", "validity": "有效",
}


@pytest.fixture(scope="module")
def desk(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("desk")
    project = make_repository(folder / "project")
    port = free_port()
    site = build(project, port)
    with proxy(project, port), serve(site) as origin:
        context = shared_chromium(request.config).new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        try:
            yield project, origin, page, folder
        finally:
            context.close()


def test_a_document_made_in_the_form_is_published_into_content_and_built(desk):
    project, origin, page, folder = desk
    attachment = folder / "fujian-biao.pdf"
    attachment.write_bytes(PDF)
    sign_in(page, origin)
    fill_document(page, origin, DOCUMENT)
    attach(page, attachment, "附件：测试任务表")

    preview = preview_frame(page)
    assert preview.inner_text("h1") == DOCUMENT["title"]
    assert preview.locator("table.meta-table caption").inner_text() == "文件信息"
    assert preview.locator("th[scope=row]", has_text="发文字号").count() == 1
    assert "site.css" in preview.evaluate("[...document.styleSheets].map(s => s.href || '').join(' ')")
    preview.evaluate("document.documentElement.style.fontSize = '200%'")  # 2倍 text
    assert preview.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")

    save(page)
    page.get_by_text("内容已保存").first.wait_for()
    branches = git(project, "branch", "--list", "cms/*")
    assert DOCUMENT["id"] in branches  # waiting for review: not in content/ yet
    assert not list((project / "content" / "documents").rglob(f"{DOCUMENT['id']}.md"))

    set_status(page, "就绪")
    publish(page)
    page.get_by_text("内容已发布").first.wait_for()

    [path] = (project / "content" / "documents").rglob(f"{DOCUMENT['id']}.md")
    meta = _front_matter(path.read_text("utf-8"))
    assert meta["id"] == DOCUMENT["id"] and meta["title"] == DOCUMENT["title"]
    assert meta["doc_number"] == DOCUMENT["doc_number"] and meta["issuer"] == ["区政府办公室"]
    assert (meta["written"], meta["published"]) == (DOCUMENT["written"], DOCUMENT["published"])
    assert (meta["topic"], meta["kind"], meta["validity"]) == ("综合政务/政务公开", "通知", "有效")
    assert meta["attachments"] == [{"file": "/files/documents/fujian-biao.pdf", "title": "附件：测试任务表"}]
    assert (project / "content" / "files" / "documents" / "fujian-biao.pdf").read_bytes() == PDF

    checked = check_project(project)
    assert checked.errors == [], checked.text
    site = folder / "published"
    result = run_build("--content", str(project / "content"), "--config", str(project / "config.yaml"),
                       "--output", str(site), "--no-cache")
    assert result.returncode == 0, result.stderr
    built = (site / "documents" / DOCUMENT["id"] / "index.html").read_text("utf-8")
    assert DOCUMENT["title"] in built and "济天政办发〔2026〕9号" in built and "附件：测试任务表" in built
    assert page.errors == []


def test_a_doc_number_of_the_wrong_shape_is_refused_in_chinese(desk):
    project, origin, page, _ = desk
    before = git(project, "branch", "--list"), git(project, "status", "--porcelain")
    sign_in(page, origin)
    fill_document(page, origin, {**DOCUMENT, "id": "2026-cuowu-wenhao", "doc_number": "济天政办发(2026)10号"})
    page.get_by_role("button", name="保存", exact=True).click()
    message = page.get_by_text("发文字号应写成", exact=False).first
    message.wait_for()
    assert "济天政办发〔2022〕4号" in message.inner_text()
    assert (git(project, "branch", "--list"), git(project, "status", "--porcelain")) == before
    assert not list((project / "content").rglob("2026-cuowu-wenhao*"))
    # Decap leaves the save it refused as a promise rejected with nothing: its own, and the only error.
    assert page.errors in ([], ["undefined"]), page.errors
    page.errors.clear()


def test_a_report_made_in_the_form_is_named_by_year_and_body_and_passes_check(desk):
    """A new 年度报告: the editor writes the id (year-slug, the slug shown beside the body's name), the
    tables start at 0 as `build.py new report` writes them, totals blank; published, it passes check."""
    project, origin, page, _ = desk
    page.errors.clear()
    sign_in(page, origin)
    page.goto(origin + "/admin/#/collections/reports/new")
    field(page, "id").wait_for()
    field(page, "id").fill("2023-caizhengju")
    field(page, "year").fill("2023")
    field(page, "issuer").click()
    page.keyboard.type("区财政局")
    page.get_by_role("option", name="区财政局（caizhengju）", exact=True).click()
    field(page, "published").fill("2024-01-20")
    editors = page.locator("[contenteditable=true]")  # the rich-text editors of 一、五、六, in the form's order
    for index, text in ((0, "全年主动公开政府信息。"), (1, "一是解读形式单一。")):
        editors.nth(index).click()
        page.keyboard.type(text)
    preview = preview_frame(page)
    assert preview.inner_text("h1") == "区财政局2023年政府信息公开工作年度报告"
    save(page)
    page.get_by_text("内容已保存").first.wait_for()
    set_status(page, "就绪")
    publish(page)
    page.get_by_text("内容已发布").first.wait_for()

    path = project / "content" / "reports" / "2023-caizhengju.yaml"
    import yaml

    data = yaml.safe_load(path.read_text("utf-8"))
    assert (data["id"], data["year"], data["issuer"], str(data["published"])) == (
        "2023-caizhengju", 2023, "区财政局", "2024-01-20")
    assert data["proactive"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert data["applications"]["new"]["natural"] == 0 and "total" not in data["applications"]["new"]
    checked = check_project(project)
    assert checked.errors == [], checked.text
    assert not [line for line in checked.warnings if "2023-caizhengju" in line], checked.text
    assert page.errors == []


CONSULTATION = {
    "id": "2026-bianjitai-ceshi-yijian", "title": "关于公开征求《编辑台测试办法（征求意见稿）》意见的公告",
    "start": "2026-12-01", "end": "2026-12-31", "email": "ceshi-yijian@example.gov.cn",
}


def test_a_consultation_made_in_the_form_without_feedback_passes_check(desk):
    """The 意见反馈 group left alone (its fields all optional in the form) is written as nothing or as
    empty values, which the build reads as no feedback; the 事项 is chosen from the 目录's items."""
    project, origin, page, _ = desk
    page.errors.clear()
    sign_in(page, origin)
    page.goto(origin + "/admin/#/collections/consultations/new")
    field(page, "id").wait_for()
    for key in ("id", "title", "start", "end", "email"):
        field(page, key).fill(CONSULTATION[key])
    choose(page, "issuer", "区住房城乡建设局")
    choose(page, "decision", "【示例】天桥区老旧小区改造三年行动方案")
    page.locator("[data-slate-editor]").first.click()  # the first Markdown editor is 起草说明
    page.keyboard.type("起草说明：测试。")
    assert preview_frame(page).inner_text("h1") == CONSULTATION["title"]
    save(page)
    page.get_by_text("内容已保存").first.wait_for()
    set_status(page, "就绪")
    publish(page)
    page.get_by_text("内容已发布").first.wait_for()

    path = project / "content" / "consultations" / f"{CONSULTATION['id']}.md"
    meta = _front_matter(path.read_text("utf-8"))
    assert (meta["id"], meta["title"], meta["issuer"]) == (CONSULTATION["id"], CONSULTATION["title"], ["区住房城乡建设局"])
    assert (meta["start"], meta["end"], meta["email"]) == ("2026-12-01", "2026-12-31", CONSULTATION["email"])
    assert meta["decision"] == "shili-laojiu-xiaoqu-gaizao" and "起草说明：测试。" in meta["explanation"]
    assert not any((meta.get("feedback") or {}).values()), meta.get("feedback")
    checked = check_project(project)
    assert checked.errors == [], checked.text
    assert page.errors == []


def open_entry(page, origin: str, entry: str) -> None:
    """The entry's form. With the desk open on another file already, through the desk's own routes
    (the collection's list, then the entry), as an editor goes from file to file, instead of loading
    its 5 MB of script again. Decap counts some files it has just filled in as changed, and asks
    你确定要离开此页面吗？ on the way out: answered yes, as an editor who changed nothing would."""
    if not page.url.startswith(origin + "/admin/#/collections/") or page.url.endswith("/new"):
        sign_in(page, origin)
        page.goto(f"{origin}/admin/#/collections/{entry}")
        return

    asked = []

    def leave(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", leave)
    try:
        page.evaluate("hash => { location.hash = hash; }", f"#/collections/{entry.split('/')[0]}")
        page.locator("iframe").wait_for(state="detached")  # the form is gone
    finally:
        page.remove_listener("dialog", leave)
    assert set(asked) <= {"你确定要离开此页面吗？"}, asked
    page.evaluate("hash => { location.hash = hash; }", f"#/collections/{entry}")


def _front_matter(text: str) -> dict:
    import yaml

    assert text.startswith("---\n")
    return yaml.load(text.split("---\n", 2)[1], Loader=yaml.BaseLoader)  # dates stay text, as the build reads them


@pytest.mark.parametrize("entry, heading", [
    ("documents/entries/2022/2022-zhengwu-gongkai-gongzuo-yaodian", "济南市天桥区人民政府办公室关于印发2022年济南市天桥区政务公开工作要点的通知"),
    ("interpretations/entries/2022-zhengwu-gongkai-gongzuo-yaodian-jiedu", None),
    ("tasks/entries/2022-zhengwu-gongkai-renwu-fenjie", None),
    ("pages/entries/zhidu", None),
    ("catalogue/entries/shenong-butie", "涉农补贴领域基层政务公开标准目录"),
    ("reports/entries/2022-renminzhengfu", "济南市天桥区人民政府2022年政府信息公开工作年度报告"),
    ("consultations/entries/2026-shili-laojiu-xiaoqu-gaizao-yijian",
     "【示例】关于公开征求《天桥区老旧小区改造三年行动方案（示例草案）》意见的公告"),
    ("decisions/entries/2026", "2026年度重大行政决策事项目录"),
])
def test_every_collection_opens_an_existing_file_with_its_preview(desk, entry, heading):
    """The files written by hand open in the form, each field filled, and preview in the site's look."""
    project, origin, page, _ = desk
    page.errors.clear()
    open_entry(page, origin, entry)
    preview = preview_frame(page)
    title = preview.inner_text("h1")
    assert title and title != "（还没有填写标题）"
    if heading:
        assert title == heading
    assert preview.locator("table caption, .prose").count() >= 1
    if entry.startswith("catalogue/"):
        assert preview.locator("table.catalogue-table tbody tr").count() >= 1
    if entry.startswith("reports/"):  # the three tables with the format's rows and columns, as written in the file
        assert preview.locator("table.report-table caption").all_inner_texts() == [
            "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
        new = preview.locator("tr", has=preview.locator("th[scope=row]", has_text="一、本年新收政府信息公开申请数量"))
        assert new.locator("td").all_inner_texts()[:2] == ["26", "4"]
        assert preview.locator("th[scope=col]", has_text="社会公益组织").count() == 1
        assert preview.locator("th[scope=row]", has_text="1.属于国家秘密").count() == 1
        assert preview.locator("th[scope=colgroup]", has_text="（三）不予公开").count() == 1  # the format's groups
        assert "区政府坚持以公开为常态" in preview.inner_text(".prose")
        assert field(page, "year").input_value() == "2022"
    if entry.startswith("tasks/"):
        assert preview.locator("table.task-table tbody tr").count() > 3
        assert preview.locator("th[scope=col]").count() == 5
    if entry.startswith("consultations/"):
        assert [h2.inner_text() for h2 in preview.locator("article > section > h2").all()] == [
            "提出意见的方式", "起草说明", "背景", "征求意见稿", "意见反馈"]
        assert "yijian-sample@example.gov.cn" in preview.locator("dl.respond").inner_text()
        assert "2026-11-16 至 2026-12-31" in preview.locator("table.meta-table").inner_text()
    if entry.startswith("decisions/"):
        assert preview.locator("table.decision-table tbody tr").count() == 2
        assert "公众参与：进行中" in preview.locator("table.decision-table").inner_text()
    assert page.errors == []
