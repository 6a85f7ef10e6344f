"""The mutations of tests/build/test_mutation.py, by category: each changes one thing in the
project of mutation_project.py (a field, a body, a file, a config.yaml key, a template, a build
option), so that one incremental build covers exactly one change. The kinds of edit are in
mutation_edits.py; config.yaml, templates, static files and build options in mutations_site.py."""

from __future__ import annotations

from collections.abc import Callable

from mutation_edits import (REMOVE, Mutation, body, catalogue, catalogue_row, delete_file, edit_file, edit_front, front,
                            move_file, remove_key, report_yaml, set_key, task, tasks, write_file)
from mutation_edits import yaml_file
from mutation_project import (ATTACHED, CONSULTATION, DECISIONS, DOCS, EXPIRING, INTERPRETATION, LAPSED, LATER, PLAN,
                              REPEALED, REPEALER, REPORT, SCHEDULED, TABLE, dump, write_front)
from mutations_site import _config_mutations, _option_mutations, _static_mutations, _template_mutations


def _second_attachment(file: str) -> Callable[[dict], None]:
    def change(meta: dict) -> None:
        meta["attachments"][1] = file

    return change


def _qa_answer(meta: dict) -> None:
    meta["qa"][0]["a"] += "\n\n补充说明：解读材料同步在政府网站发布。"


def _doc_mutations() -> list[Mutation]:
    d = {**DOCS, "moved": f"documents/2023-buzhu/{ATTACHED}.md"}
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("document", name, apply, search))

    # title, each relation: its own page, lists, feeds, the interpretation and table that name it,
    # the repealed document that names its repealer
    add("title of the interpreted plan", front(d[PLAN], title="济南市天桥区人民政府办公室关于印发2022年政务公开工作要点的通知"), True)
    add("title of the repealer", front(d[REPEALER], title="济南市天桥区人民政府关于废止部分行政规范性文件的决定"), True)
    add("title of the repealed document", front(d[REPEALED], title="济南市天桥区人民政府关于推进老旧小区改造的实施意见"))
    add("title of the scheduled document", front(d[SCHEDULED], title="关于定时发布的通知"))
    add("id written (the file name, as the editing desk writes it)", front(d[PLAN], id=PLAN))
    add("id removed", front(d[PLAN], id=REMOVE))
    add("doc_number changed", front(d[PLAN], doc_number="济天政办发〔2022〕5号"), True)
    add("doc_number removed", front(d[EXPIRING], doc_number=REMOVE))
    add("doc_number added", front(d[EXPIRING], doc_number="天桥市监发〔2020〕13号"))
    add("issuer to another body (one with tasks)", front(d[REPEALER], issuer="区政府办公室"), True)
    add("a document issued by a group (its page lists the member bodies)", lambda p: write_front(
        p / "content/documents/2024/2024-gebumen-tongzhi.md", {
            "title": "关于各部门报送材料的通知", "issuer": "各部门", "written": "2024-03-01", "published": "2024-03-04",
            "topic": "综合政务/政务公开", "kind": "通知", "validity": "有效"}, "\n请各部门按时报送。\n"))
    add("issuer to a body with no page yet (the group's page links to it)", front(d[LATER], issuer="区民政局"))
    add("issuer to the same body by an alias", front(d[EXPIRING], issuer="区市场监督管理局"))
    add("issuer: one more body", front(d[PLAN], issuer=["区政府办公室", "区财政局"]))
    add("issuer: a body fewer", front(d[LAPSED], issuer="区人力资源社会保障局"))
    add("written", front(d[PLAN], written="2022-06-15"))
    add("published, same year", front(d[PLAN], published="2022-06-20"))
    add("published, another year", front(d[LATER], published="2023-06-01", written="2023-05-28"))
    add("body: a link to the scheduled document (plain text)", body(d[LATER], lambda text: text + f"\n另见[定时文件](/documents/{SCHEDULED}/)。\n"))
    add("body: a link to a document that is about to be scheduled", body(
        d[ATTACHED], lambda text: text + f"\n参见[老旧小区规程](/documents/{LATER}/)。\n"))
    # Each in a year that has other documents, so the list of years stays as it was.
    add("published: the scheduled document is public now", front(d[SCHEDULED], published="2024-06-03",
                                                                 written="2024-05-30"))
    add("published: back to scheduled", front(d[SCHEDULED], published="2027-02-01", written="2026-12-20"))
    add("published: a public document becomes scheduled", front(d[LATER], published="2027-03-01",
                                                                     written="2027-02-20"))
    add("published: and back", front(d[LATER], published="2023-06-01", written="2023-05-28"))
    add("topic to another second-level topic", front(d[PLAN], topic="民政、扶贫、救灾/社会福利"))
    add("topic to a first-level topic only", front(d[LATER], topic="城乡建设、环境保护"))
    add("topic to a topic with no documents", front(d[EXPIRING], topic="其他"))
    add("kind", front(d[PLAN], kind="意见"))
    add("kind to a kind with no documents yet", front(d[LATER], kind="函"))
    add("kind by an alias", front(d[REPEALER], kind="命令"))
    add("index_no added", front(d[PLAN], index_no="11370105MB0000005X/2022-00004"))
    add("index_no changed", front(d[EXPIRING], index_no="11370105MB0000002X/2020-00013"))
    add("index_no removed", front(d[LATER], index_no=REMOVE))
    add("validity 有效 → 失效", front(d[LATER], validity="失效"), True)
    add("validity 失效 → 有效", front(d[LAPSED], validity="有效"))
    add("expires: past date removed (expired → current)", front(d[EXPIRING], expires=REMOVE))
    add("expires: added in the past (current → expired)", front(d[EXPIRING], expires="2023-06-30"))
    add("expires: moved into the future", front(d[EXPIRING], expires="2027-06-30"))
    add("expires added", front(d[PLAN], expires="2027-06-30"))
    add("repealed date changed", front(d[REPEALED], repealed="2024-05-11"))
    add("repealed date in the future (repeal not in force yet)", front(d[REPEALED], repealed="2027-01-01"))
    add("repealed date back in the past", front(d[REPEALED], repealed="2024-05-10"))
    add("repealed_by removed", front(d[REPEALED], repealed_by=REMOVE))
    add("repealed_by added", front(d[REPEALED], repealed_by=REPEALER))
    add("repealed_by to another document", front(d[REPEALED], repealed_by=LATER))
    add("validity 废止 → 有效 (repealed and repealed_by removed)",
        front(d[REPEALED], validity="有效", repealed=REMOVE, repealed_by=REMOVE))
    add("validity 有效 → 废止 (repealed, repealed_by added)",
        front(d[REPEALED], validity="废止", repealed="2024-05-10", repealed_by=REPEALER))
    # 施行日期, 修改, 代替, 依据: declared on one document, shown on the other
    add("in_force in the future (尚未施行)", front(d[LATER], in_force="2027-06-01"), True)
    add("in_force moved into the past (in force)", front(d[LATER], in_force="2024-06-01"))
    add("in_force removed", front(d[LATER], in_force=REMOVE))
    add("amends added (the amended document says 已修改)", front(d[REPEALER], amends=[PLAN]))
    add("doc_number of the amending document", front(d[REPEALER], doc_number="济天政发〔2024〕10号"))
    add("in_force of the amending document in the future (即将修改)", front(d[REPEALER], in_force="2027-03-01"))
    add("in_force of the amending document back in the past", front(d[REPEALER], in_force="2024-05-20"))
    add("amends to another document", front(d[REPEALER], amends=[LATER]))
    add("amends removed", front(d[REPEALER], amends=REMOVE))
    add("replaces added (the replaced document is repealed)", front(d[LATER], replaces=[ATTACHED]), True)
    add("in_force of the replacing document in the future (即将废止)", front(d[LATER], in_force="2027-04-01"), True)
    add("in_force of the replacing document removed", front(d[LATER], in_force=REMOVE), True)
    add("replaces to another document", front(d[LATER], replaces=[EXPIRING]), True)
    add("replaces removed", front(d[LATER], replaces=REMOVE), True)
    add("basis added: a law as text and a document of the column", front(
        d[PLAN], basis=["《中华人民共和国政府信息公开条例》（国务院令第711号）", EXPIRING]))
    add("title of a document named as basis", front(d[EXPIRING], title="济南市天桥区市场监督管理局关于推进“明厨亮灶”建设的通告"), True)
    add("basis changed", front(d[PLAN], basis=["《中华人民共和国政府信息公开条例》（国务院令第711号）"]))
    add("basis removed", front(d[PLAN], basis=REMOVE))
    add("normative true → false", front(d[EXPIRING], normative=False))
    add("normative removed", front(d[LATER], normative=REMOVE))
    add("normative added", front(d[PLAN], normative=True))
    add("attachment title", edit_front(d[ATTACHED], lambda meta: meta["attachments"][0].update(title="补助标准")))
    add("attachment file to another file", edit_front(d[ATTACHED], _second_attachment("files/tupian.png")))
    add("attachment removed", edit_front(d[ATTACHED], lambda meta: meta["attachments"].pop()))
    add("attachment added", edit_front(d[ATTACHED], lambda meta: meta["attachments"].append(
        {"file": "files/shenbao-biao.txt", "title": "申报表"})))
    add("attachment bytes changed, same size", edit_file(
        "content/documents/2023/files/buzhu-biaozhun.pdf", lambda data: data.replace(b"subsidy", b"SUBSIDY")))
    add("attachment bytes changed, other size", edit_file(
        "content/documents/2023/files/shenbao-biao.txt", lambda data: data + "联系电话。\n".encode() * 200))
    add("image in the body changed", edit_file("content/documents/2023/files/tupian.png", lambda data: data + b"\0"))
    add("a document moved to another folder, with its files (same id, other attachment paths)",
        move_file("content/documents/2023/files", "content/documents/2023-buzhu/files",
                  (f"content/documents/2023/{ATTACHED}.md", f"content/{d['moved']}")))
    add("attachments removed", front(d["moved"], attachments=REMOVE))
    add("attachments added to a scheduled document", front(d[SCHEDULED], attachments=["/documents/2023-buzhu/files/buzhu-biaozhun.pdf"]))
    add("keywords changed", front(d[PLAN], keywords=["政务公开", "工作要点"]), True)
    add("keywords removed", front(d[EXPIRING], keywords=REMOVE), True)
    add("keywords added", front(d[EXPIRING], keywords=["食品安全"]), True)
    add("sample true → false", front(d[EXPIRING], sample=False))
    add("sample removed", front(d[LATER], sample=REMOVE))
    add("sample added", front(d[PLAN], sample=True))
    add("body text", body(d[PLAN], lambda text: text + "\n本通知自印发之日起施行。\n"), True)
    add("body: a link to another document", body(d[LATER], lambda text: text + f"\n参见[废止决定](/documents/{REPEALER}/)。\n"))
    add("body of the scheduled document", body(d[SCHEDULED], lambda text: text + "\n特此通知。\n"))
    add("a document added", lambda p: write_front(p / "content/documents/2025/2025-xinzeng-wenjian.md", {
        "title": "关于新增文件的通知", "issuer": "区财政局", "written": "2025-03-01", "published": "2025-03-02",
        "topic": "综合政务/政务公开", "kind": "通知", "validity": "有效"}, "\n新增文件的正文。\n"), True)
    add("a document renamed (its id changes)",
        move_file(f"content/{d[EXPIRING]}", "content/documents/2020/2020-mingchu-liangzao-tonggao.md"))
    add("and renamed back", move_file("content/documents/2020/2020-mingchu-liangzao-tonggao.md", f"content/{d[EXPIRING]}"))
    add("a document deleted", delete_file("content/documents/2025/2025-xinzeng-wenjian.md"), True)
    return m


def _interpretation_mutations() -> list[Mutation]:
    i = f"interpretations/{INTERPRETATION}.md"
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("interpretation", name, apply, search))

    add("title", front(i, title="问答解读：2022年政务公开工作要点十二问"), True)
    add("id written", front(i, id=INTERPRETATION))
    add("id removed", front(i, id=REMOVE))
    add("interprets another document", front(i, interprets=REPEALER))
    add("interprets the first document again", front(i, interprets=PLAN))
    add("issuer", front(i, issuer="区财政局"))
    add("issuer: two bodies", front(i, issuer=["区政府办公室", "区财政局"]))
    add("published", front(i, published="2022-06-18"))
    add("published after the build date (the interpretation is scheduled)", front(i, published="2027-01-08"))
    add("published back before the build date", front(i, published="2022-06-17"))
    add("form", front(i, form="文字解读"))
    add("qa: an answer", edit_front(i, _qa_answer), True)
    add("qa: a question", edit_front(i, lambda meta: meta["qa"][1].update(q="今年重点公开哪些领域的信息？")), True)
    add("qa: a pair removed", edit_front(i, lambda meta: meta["qa"].pop()), True)
    add("qa: a pair added", edit_front(i, lambda meta: meta["qa"].append({"q": "怎样申请公开？", "a": "向区政府办公室提出申请。"})), True)
    add("qa removed", front(i, qa=REMOVE), True)
    add("qa added", front(i, qa=[{"q": "工作要点何时印发？", "a": "2022年6月16日。"}]), True)
    add("keywords changed", front(i, keywords=["政务公开"]), True)
    add("keywords removed", front(i, keywords=REMOVE), True)
    add("keywords added", front(i, keywords=["政策解读", "问答"]), True)
    add("sample true → false", front(i, sample=False))
    add("sample removed", front(i, sample=REMOVE))
    add("sample added", front(i, sample=True))
    add("body text", body(i, lambda text: text + "\n更多问题请拨打12345热线。\n"), True)
    add("body: a link to a task", body(i, lambda text: text + f"\n见[第1项任务](/tasks/{TABLE}/#task-1)。\n"))
    add("an interpretation of the scheduled document added", lambda p: write_front(
        p / "content/interpretations/2027-dingshi-fabu-jiedu.md",
        {"title": "定时发布通知的解读", "interprets": SCHEDULED, "issuer": "区政府办公室", "published": "2027-01-05",
         "form": "文字解读"}, "\n解读正文。\n"))
    add("an interpretation of a public document added", lambda p: write_front(
        p / "content/interpretations/2024-feizhi-jueding-jiedu.md",
        {"title": "废止决定的解读", "interprets": REPEALER, "issuer": "济南市天桥区人民政府", "published": "2024-05-11",
         "form": "图文解读"}, "\n解读正文。\n"), True)
    add("an interpretation deleted", delete_file("content/interpretations/2024-feizhi-jueding-jiedu.md"), True)
    add("an interpretation of an old document added (a feed lists it, not the document)", lambda p: write_front(
        p / "content/interpretations/2024-mingchu-liangzao-jiedu.md",
        {"title": "明厨亮灶通告的解读", "interprets": EXPIRING, "issuer": "区市场监管局", "published": "2024-06-03",
         "form": "文字解读"}, "\n解读正文。\n"))
    add("that document's title (its interpretation's feed entry names it)", front(
        DOCS[EXPIRING], title="济南市天桥区市场监督管理局关于推进“明厨亮灶”建设的通告"))
    return m


def _task_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("task table", name, apply, search))

    add("plan to another document", tasks(set_key("plan", REPEALER)), True)
    add("plan back", tasks(set_key("plan", PLAN)))
    add("id written", tasks(set_key("id", TABLE)))
    add("id removed", tasks(lambda data: data.pop("id")))
    add("title", tasks(set_key("title", "2022年政务公开重点工作任务分解表")), True)
    add("no", task(0, no=100), True)
    add("area", task(0, area="聚焦重点领域，推进高质量政务公开"), True)
    add("area of a later task (a new area heading)", task(5, area="另起一类任务"))
    add("item", task(1, item="强化重点领域的信息公开"), True)
    add("requirement", task(2, requirement="加强减税降费信息公开。"), True)
    add("units: another body", task(0, units=["区财政局", "区科技局"]))
    add("units: by an alias", task(0, units=["区财政局", "区科学技术局"]), True)
    add("units: a group", task(0, units=["各街道办事处"]))
    add("units: a body with no documents and no tasks yet", task(0, units=["区档案馆"]))
    add("deadline (another due date)", task(0, deadline="2022年9月底前"), True)
    add("deadline without a date", task(0, deadline="长期坚持"))
    add("deadline relative to the plan's date", task(0, deadline="印发后30日内"))
    add("due changed", task(1, due="2022-11-30"))
    add("due removed", task(1, due=REMOVE))
    add("due added", task(3, due="2022-12-15"))
    add("note changed", task(2, note="据正文补正。"))
    add("note removed", task(2, note=REMOVE))
    add("note added", task(4, note="与第3项一并推进。"))
    add("a task added", tasks(lambda data: data["tasks"].append(
        {"no": 7, "area": "新增任务", "item": "新增事项", "requirement": "按时完成。", "units": ["区民政局"],
         "deadline": "2022年12月底前"})), True)
    add("a task removed", tasks(lambda data: data["tasks"].pop(1)))
    add("the plan's published date (due dates count from it)", front(DOCS[PLAN], published="2022-06-01",
                                                                      written="2022-06-01"))
    add("a task table added", lambda p: p.joinpath("content/tasks/2024-feizhi-renwu.yaml").write_text(dump(
        {"plan": REPEALER, "title": "废止决定的任务分解表", "tasks": [
            {"no": 1, "area": "清理", "item": "清理文件", "requirement": "清理规范性文件。", "units": ["区财政局"],
             "deadline": "全年"}]}), "utf-8"))
    add("a task table of the scheduled document added", lambda p: p.joinpath("content/tasks/2027-dingshi-renwu.yaml")
        .write_text(dump({"plan": SCHEDULED, "title": "定时发布的任务分解表", "tasks": [
            {"no": 1, "area": "准备", "item": "准备发布", "requirement": "准备。", "units": ["区政府办公室"],
             "deadline": "全年"}]}), "utf-8"))
    add("a task table deleted", delete_file("content/tasks/2024-feizhi-renwu.yaml"))
    return m


CATALOGUE_ROW = {"item": "农业生产补贴", "subitem": "耕地地力保护补贴发放结果", "elements": "补贴对象、补贴面积、补贴金额",
                 "basis": "《中华人民共和国政府信息公开条例》", "time_limit": "及时公开", "bodies": ["区农业农村局"],
                 "channels": ["政府网站"], "audience": ["全社会"], "manner": ["主动"], "levels": ["县级"]}


def _catalogue_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("catalogue", name, apply, search))

    area, empty = "shenong-butie.yaml", "jiuye.yaml"
    add("area name (the list, the table, the body pages)", catalogue(area, set_key("area", "涉农补贴资金")), True)
    add("id written", catalogue(area, set_key("id", "shenong-butie")))
    add("id removed", catalogue(area, remove_key("id")))
    add("guideline added", catalogue(area, set_key("guideline", "《涉农补贴领域基层政务公开标准指引》")))
    add("guideline changed", catalogue(area, set_key("guideline", "涉农补贴领域基层政务公开标准指引")))
    add("guideline removed", catalogue(area, remove_key("guideline")))
    add("sample added", catalogue(area, set_key("sample", True)))
    add("sample changed", catalogue(area, set_key("sample", False)))
    add("sample removed", catalogue(area, remove_key("sample")))
    add("rows: a row added to an area without rows (its body gets a section)",
        catalogue(empty, set_key("rows", [dict(CATALOGUE_ROW, bodies=["区人力资源社会保障局"])])), True)
    add("rows: a second row", catalogue(empty, lambda data: data["rows"].append(dict(CATALOGUE_ROW))))
    add("rows removed (the area is being compiled again)", catalogue(empty, remove_key("rows")), True)
    add("rows added back", catalogue(empty, set_key("rows", [dict(CATALOGUE_ROW)])))
    add("item", catalogue_row(area, 0, item="惠民惠农补贴资金"), True)
    add("subitem", catalogue_row(area, 0, subitem="补贴资金实际发放结果"), True)
    add("elements", catalogue_row(area, 0, elements="各类惠民惠农财政补贴资金实际发放结果"), True)
    add("basis", catalogue_row(area, 0, basis="济天政办发〔2022〕4号"), True)
    add("time_limit (the body pages show it)", catalogue_row(area, 0, time_limit="2022年12月31日前"), True)
    add("bodies: a body with no page yet", catalogue_row(area, 0, bodies=["区财政局", "区档案馆"]), True)
    add("bodies: by an alias", catalogue_row(area, 0, bodies=["区财政局", "各街道"]))
    add("channels", catalogue_row(area, 0, channels=["政府网站", "社区/企事业单位/村公示栏（电子屏）"]), True)
    add("audience", catalogue_row(area, 0, audience=["全社会", "特定群众"]), True)
    add("manner", catalogue_row(area, 0, manner=["主动", "依申请公开"]), True)
    add("levels", catalogue_row(area, 0, levels=["乡级"]), True)
    add("link added", catalogue_row(area, 0, link=f"/documents/{PLAN}/"))
    add("link changed", catalogue_row(area, 0, link=f"/tasks/{TABLE}/"))
    add("link removed", catalogue_row(area, 0, link=REMOVE))
    add("an area added", write_file("content/catalogue/shehui-jiuzhu-2.yaml",
                                    "area: 临时救助\nrows: []\n".encode("utf-8")), True)
    add("an area deleted", delete_file("content/catalogue/shehui-jiuzhu-2.yaml"), True)
    return m


def _page_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("page", name, apply, search))

    zhinan, zhidu = "pages/zhinan.md", "pages/zhidu.md"
    add("title", front(zhidu, title="政府信息公开工作制度"), True)
    add("id written", front(zhidu, id="zhidu"))
    add("id removed", front(zhidu, id=REMOVE))
    add("order (the navigation changes)", front(zhidu, order=9))
    add("order removed", front(zhidu, order=REMOVE))
    add("order added", front(zhidu, order=2))
    add("description", front(zhinan, description="怎样获取天桥区的政府信息。"), True)
    add("description removed", front(zhinan, description=REMOVE), True)
    add("description added", front(zhinan, description="政府信息公开指南。"), True)
    add("updated added", front(zhinan, updated="2026-01-05"))
    add("updated changed", front(zhinan, updated="2026-02-05"))
    add("updated removed", front(zhinan, updated=REMOVE))
    add("sample added", front(zhinan, sample=True))
    add("sample changed", front(zhinan, sample=False))
    add("sample removed", front(zhinan, sample=REMOVE))
    add("body text", body(zhinan, lambda text: text + "\n本指南每年更新。\n"), True)
    add("body: a link to a document", body(zhidu, lambda text: text + f"\n见[废止决定](/documents/{REPEALER}/)。\n"))
    add("a page added", lambda p: write_front(p / "content/pages/lianxi.md", {"title": "联系我们", "order": 5},
                                              "\n电话：0531-12345678。\n"), True)
    add("a page deleted", delete_file("content/pages/lianxi.md"), True)
    return m


def _report_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("report", name, apply, search))

    moved = "reports/2023-renminzhengfu.yaml"
    add("title added", report_yaml(REPORT, set_key("title", "天桥区2022年政府信息公开工作年度报告")), True)
    add("title changed", report_yaml(REPORT, set_key("title", "天桥区人民政府2022年政府信息公开年报")), True)
    add("title removed", report_yaml(REPORT, lambda d: d.pop("title")), True)
    add("published", report_yaml(REPORT, set_key("published", "2023-03-28")), True)
    add("sample", report_yaml(REPORT, set_key("sample", False)))
    add("sample removed", report_yaml(REPORT, lambda d: d.pop("sample")))
    add("sample added", report_yaml(REPORT, set_key("sample", True)))
    add("overview", report_yaml(REPORT, lambda d: d.update(overview=d["overview"] + "\n全年举办政府开放日活动3次。\n")), True)
    add("proactive: a count", report_yaml(REPORT, lambda d: d["proactive"].update(licensing=1261)))
    add("proactive: the 规范性文件 row written", report_yaml(
        REPORT, lambda d: d["proactive"].update(normative={"issued": 1, "repealed": 0, "in_force": 1})))
    add("applications: a request moved between results", report_yaml(REPORT, lambda d: (
        d["applications"]["granted"].update(natural=11), d["applications"]["partly"].update(natural=4))))
    add("review_litigation", report_yaml(REPORT, lambda d: d["review_litigation"]["review"].update(upheld=0, corrected=1)))
    add("problems", report_yaml(REPORT, lambda d: d.update(problems=d["problems"] + "\n三是加强培训。\n")), True)
    add("other changed", report_yaml(REPORT, lambda d: d.update(other="本年度未收取信息处理费。\n")), True)
    add("other removed", report_yaml(REPORT, lambda d: d.pop("other")), True)
    add("other added", report_yaml(REPORT, set_key("other", "无。\n")), True)
    add("id written (the file name, as the editing desk writes it)", report_yaml(REPORT, set_key("id", "2022-renminzhengfu")))
    add("id removed", report_yaml(REPORT, remove_key("id")))
    add("year (and the file name)", report_yaml(REPORT, lambda d: d.update(
        year=2023, published="2024-03-20", proactive={**d["proactive"], "normative": {}}), "2023-renminzhengfu.yaml"), True)
    add("issuer (and the file name)", report_yaml(moved, set_key("issuer", "区政府办公室"), "2023-zhengfubangongshi.yaml"), True)
    add("issuer: a body with no page yet (its page, the list of bodies, its feed)", report_yaml(
        "reports/2023-zhengfubangongshi.yaml", set_key("issuer", "区档案馆"), "2023-danganguan.yaml"), True)
    add("a report deleted", delete_file("content/reports/2023-danganguan.yaml"), True)
    return m


def _feedback(**changes) -> Callable:
    def apply(project) -> None:
        from mutation_project import read_front
        meta, _ = read_front(project / "content" / CONSULTATION)
        feedback = dict(meta["feedback"])
        for key, value in changes.items():
            if value is REMOVE:
                del feedback[key]
            else:
                feedback[key] = value
        front(CONSULTATION, feedback=feedback)(project)
    return apply


FEEDBACK = {"published": "2026-11-25", "received": 6, "adopted": 2, "partly": 1, "not_adopted": 3,
            "summary": "共收到意见6条，已逐条研究。\n", "reasons": "3条意见超出本方案范围。\n", "result": LATER}


def _consultation_mutations() -> list[Mutation]:
    """One consultation walked from open to answered; every field changed, optional ones removed and added."""
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("consultation", name, apply, search))

    c = CONSULTATION
    add("title (its page, the list, the home page, its body page, the 事项's trail)",
        front(c, title="关于公开征求《老旧小区改造行动方案（征求意见稿）》意见的公告（示例）"), True)
    add("issuer to another body", front(c, issuer="区政府办公室"), True)
    add("start (the days counted)", front(c, start="2026-11-10"))
    add("end (the days left on the home page)", front(c, end="2027-01-15"))
    add("explanation", front(c, explanation="修改后的起草说明。\n"), True)
    add("background changed", front(c, background="修改后的背景。\n"), True)
    add("background removed", front(c, background=REMOVE))
    add("background added", front(c, background="背景。\n"))
    add("normative changed", front(c, normative=True))
    add("normative removed", front(c, normative=REMOVE))
    add("normative added", front(c, normative=False))
    add("shorten_reason added", front(c, shorten_reason="示例：须在年底前出台"))
    add("shorten_reason changed", front(c, shorten_reason="示例：情况紧急"))
    add("shorten_reason removed", front(c, shorten_reason=REMOVE))
    for key, value in (("email", "yijian2-sample@example.gov.cn"), ("post", "示例地址二"), ("phone", "0531-00000099"),
                       ("in_person", "示例窗口二"), ("contact", "示例科室二")):
        add(f"{key} changed", front(c, **{key: value}))
        add(f"{key} removed", front(c, **{key: REMOVE}))
        add(f"{key} added", front(c, **{key: value}))
    add("decision changed (both 事项 pages and the 目录)", front(c, decision="shili-xueqian-jiaoyu-buju"))
    add("decision removed", front(c, decision=REMOVE))
    add("decision added", front(c, decision="shili-laojiu-xiaoqu-gaizao"))
    add("sample changed", front(c, sample=False))
    add("sample removed", front(c, sample=REMOVE))
    add("sample added", front(c, sample=True))
    add("id written (as the desk writes it)", front(c, id=c.rsplit("/", 1)[1].removesuffix(".md")))
    add("id removed", front(c, id=REMOVE))
    add("body (the draft)", body(c, lambda text: text + "\n第四条 示例条款。\n"), True)
    add("the window closes: start and end in the past (已结束，待反馈)", front(c, start="2026-10-01", end="2026-11-20"))
    add("feedback added (已反馈: the document links back)", front(c, feedback=dict(FEEDBACK)), True)
    add("feedback.published", _feedback(published="2026-11-24"))
    add("feedback.published after the build date (待反馈 again)", _feedback(published="2026-12-01"))
    add("feedback.published back", _feedback(published="2026-11-25"))
    add("feedback counts", _feedback(received=7, adopted=3))
    add("feedback.partly", _feedback(partly=2, adopted=2))
    add("feedback.not_adopted", _feedback(not_adopted=2, partly=3))
    add("feedback.summary", _feedback(summary="修改后的说明。\n"), True)
    add("feedback.reasons changed", _feedback(reasons="修改后的理由。\n"), True)
    add("feedback.reasons removed", _feedback(reasons=REMOVE, not_adopted=0, received=5))
    add("feedback.reasons added", _feedback(reasons="理由。\n"))
    add("feedback.result changed", _feedback(result=PLAN))
    add("feedback.result removed", _feedback(result=REMOVE))
    add("feedback.result added", _feedback(result=LATER))
    add("feedback removed", front(c, feedback=REMOVE), True)
    add("a consultation added", lambda p: write_front(p / "content/consultations/2026-ceshi.md", {
        "title": "关于公开征求意见的公告（测试）", "issuer": "区民政局", "start": "2026-11-20", "end": "2026-12-20",
        "email": "ceshi@example.gov.cn", "explanation": "说明。\n"}, "\n草案。\n"), True)
    add("a consultation deleted", delete_file("content/consultations/2026-ceshi.md"), True)
    return m


def _decision_item(index: int, **changes) -> Callable:
    def change(data: dict) -> None:
        set_fields_(data["items"][index], changes)
    return yaml_file(DECISIONS, change)


def set_fields_(target: dict, changes: dict) -> None:
    for key, value in changes.items():
        if value is REMOVE:
            del target[key]
        else:
            target[key] = value


def _decisions_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("decisions", name, apply, search))

    add("title added", yaml_file(DECISIONS, set_key("title", "2026年度重大行政决策事项目录（示例）")), True)
    add("title changed", yaml_file(DECISIONS, set_key("title", "天桥区2026年度重大行政决策事项目录（示例）")), True)
    add("title removed", yaml_file(DECISIONS, remove_key("title")), True)
    add("published", yaml_file(DECISIONS, set_key("published", "2026-03-09")))
    add("sample changed", yaml_file(DECISIONS, set_key("sample", False)))
    add("sample removed", yaml_file(DECISIONS, remove_key("sample")))
    add("sample added", yaml_file(DECISIONS, set_key("sample", True)))
    add("item id (a 事项 no consultation names)", _decision_item(1, id="shili-xueqian-jiaoyu"), True)
    add("item name", _decision_item(0, name="【示例】老旧小区改造三年行动方案"), True)
    add("item body (both body pages)", _decision_item(0, body="区民政局"), True)
    add("item basis", _decision_item(0, basis="《重大行政决策程序暂行条例》"), True)
    add("item planned", _decision_item(0, planned="2027年6月"), True)
    add("item procedures", _decision_item(0, procedures={"public": "已完成", "experts": "进行中"}))
    add("item state", _decision_item(0, state="已调出目录"), True)
    add("item result added (已决策)", _decision_item(0, result=PLAN, state="已决策"))
    add("item result changed", _decision_item(0, result=LATER))
    add("item result removed", _decision_item(0, result=REMOVE, state="推进中"))
    add("item note changed", _decision_item(0, note="示例备注"), True)
    add("item note removed", _decision_item(0, note=REMOVE))
    add("item note added", _decision_item(0, note="备注"))
    add("an item added", yaml_file(DECISIONS, lambda d: d["items"].append({
        "id": "ceshi-shixiang", "name": "测试事项", "body": "区档案馆", "basis": "测试依据", "planned": "2027年",
        "procedures": {"public": "不适用"}, "state": "未启动"})), True)
    add("an item removed", yaml_file(DECISIONS, lambda d: d["items"].pop()), True)
    add("year (and the file name)", yaml_file(DECISIONS, set_key("year", 2027), "2027.yaml"), True)
    add("another year's 目录 added", write_file("content/decisions/2025.yaml", dump({
        "year": 2025, "published": "2025-03-03", "items": [{
            "id": "ceshi-2025", "name": "2025年测试事项", "body": "区档案馆", "basis": "测试依据", "planned": "2025年底",
            "procedures": {"public": "已完成"}, "state": "推进中"}]}).encode("utf-8")), True)
    add("another year's 目录 deleted", delete_file("content/decisions/2025.yaml"), True)
    return m


CATEGORIES = {
    "document": _doc_mutations,
    "interpretation": _interpretation_mutations,
    "task table": _task_mutations,
    "page": _page_mutations,
    "report": _report_mutations,
    "catalogue": _catalogue_mutations,
    "consultation": _consultation_mutations,
    "decisions": _decisions_mutations,
    "config.yaml": _config_mutations,
    "template": _template_mutations,
    "static file": _static_mutations,
    "build option": _option_mutations,
}
