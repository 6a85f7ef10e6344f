"""公众参与 content: 意见征集 (content/consultations/<id>.md) and the 重大行政决策事项目录
(content/decisions/<year>.yaml). The rules about one file are here; those that need other files,
the working-day calendar or the build date are model/participation.py's."""

from __future__ import annotations

import hashlib
import re

from . import fields as f
from .fields import Context, Field, parse_fields
from .file_parts import digest, each_item, listed_digest, opened
from .models import (DECISION_PROCEDURES, DECISION_STATES, PROCEDURE_STATES, Consultation, DecisionCatalogue,
                     DecisionItem, Feedback)
from .source import Mapping, Sequence, load_markdown, load_yaml_file

UNLOADED_DECISIONS = "decisions/"  # in Content.unloaded: a 目录 file has errors (never a document id)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")

CONSULTATION = {
    # The file name written once more: the editing desk names a new file after it (load/fields.py file_id).
    "id": Field("编号（文件名）", f.file_id, False, "2026-laojiu-xiaoqu-gaizao-yijian"),
    "title": Field("标题", f.text, True, "关于公开征求《……（征求意见稿）》意见的公告"),
    "issuer": Field("征集单位", f.organisations, True, "区住房城乡建设局"),
    "start": Field("征集开始日期", f.a_date, True, "2026-11-16"),
    "end": Field("征集截止日期", f.a_date, True, "2026-12-31"),
    "explanation": Field("起草说明", f.text, True, "|（换行后缩进书写起草说明）"),
    "background": Field("背景", f.text, False, "|（换行后缩进书写背景）"),
    "normative": Field("是否规范性文件草案", f.boolean, False, "true"),
    "shorten_reason": Field("缩短理由", f.text, False, "因……需在……前出台，征集期缩短为15日"),
    "email": Field("电子邮箱", f.text, False, "zjj-yijian@example.gov.cn"),
    "post": Field("通信地址", f.text, False, "济南市天桥区××路××号 区住房城乡建设局（信封注明“意见征集”）"),
    "phone": Field("电话", f.text, False, "0531-00000000"),
    "in_person": Field("现场提交地点", f.text, False, "区政务服务中心××号窗口"),
    "contact": Field("联系人", f.text, False, "区住房城乡建设局城建科"),
    "decision": Field("相关决策事项", f.text, False, "laojiu-xiaoqu-gaizao"),
    "feedback": Field("意见反馈", lambda raw, ctx: raw),
    "sample": Field("示例标记", f.boolean),
}

FEEDBACK = {
    "published": Field("反馈发布日期", f.a_date, True, "2027-01-20"),
    "received": Field("收到意见条数", f.integer, True, "12"),
    "adopted": Field("采纳条数", f.integer, True, "5"),
    "partly": Field("部分采纳条数", f.integer, True, "3"),
    "not_adopted": Field("未采纳条数", f.integer, True, "4"),
    "summary": Field("反馈说明", f.text, True, "|（换行后缩进书写意见采纳情况）"),
    "reasons": Field("未采纳的理由", f.text, False, "|（换行后缩进书写未采纳的理由）"),
    "result": Field("形成的文件", f.text, False, "2027-laojiu-xiaoqu-gaizao-banfa"),
}

DECISION_CATALOGUE = {
    "year": Field("目录年度", f.integer, True, "2026"),
    "title": Field("标题", f.text, False, "济南市天桥区人民政府2026年度重大行政决策事项目录"),
    "published": Field("公布日期", f.a_date, True, "2026-03-01"),
    "sample": Field("示例标记", f.boolean),
    "items": Field("决策事项列表", lambda raw, ctx: raw, True, "（每项以 - id: 事项代码 开头）"),
}


def procedures(raw, ctx: Context) -> list[str] | None:
    """The five procedures' states, keyed by DECISION_PROCEDURES' names; one not written is 未开始."""
    names = dict(DECISION_PROCEDURES)
    if not isinstance(raw, Mapping):
        ctx.error(f"“{ctx.key}”（{ctx.label}）应是五项程序各自的进展",
                  "写成 procedures: 换行 public: 进行中 换行 experts: 未开始 ……（" +
                  "、".join(f"{key} {label}" for key, label in DECISION_PROCEDURES) + "）")
        return None
    ok = True
    for key in raw:
        if key not in names:
            ctx.error(f"决策程序中有未知的一项“{f._short(key)}”",
                      "可写的程序：" + "、".join(f"{k}（{label}）" for k, label in DECISION_PROCEDURES), raw.line_of(key))
            ok = False
    states = []
    for key, label in DECISION_PROCEDURES:
        value = raw.get(key)
        value = "未开始" if value is None else str(value).strip()
        if value not in PROCEDURE_STATES:
            ctx.error(f"决策程序“{label}”的进展“{f._short(value)}”不是可选的值",
                      "可选：" + "、".join(PROCEDURE_STATES) + f"，如 {key}: 进行中", raw.line_of(key))
            ok = False
        states.append(value)
    return states if ok else None


def one_of(allowed: tuple[str, ...]):
    def parse(raw, ctx: Context) -> str | None:
        value = f.text(raw, ctx)
        if value is None:
            return None
        if value not in allowed:
            ctx.error(f"{ctx.label}“{f._short(value)}”不是可选的值", "可选：" + "、".join(allowed) + f"，如 {ctx.key}: {allowed[1]}")
            return None
        return value
    return parse


def item_id(raw, ctx: Context) -> str | None:
    value = f.text(raw, ctx)
    if value is None:
        return None
    if not f.ID.match(value):
        ctx.error(f"{ctx.label}“{f._short(value)}”不能作为网址", "只用小写英文字母、数字和连字符，如 laojiu-xiaoqu-gaizao")
        return None
    return value


DECISION_ITEM = {
    "id": Field("事项代码", item_id, True, "laojiu-xiaoqu-gaizao"),
    "name": Field("事项名称", f.text, True, "天桥区老旧小区改造三年行动方案"),
    "body": Field("承办单位", f.organisations, True, "区住房城乡建设局"),
    "basis": Field("决策依据", f.text, True, "《重大行政决策程序暂行条例》"),
    "planned": Field("计划完成时间", f.text, True, "2027年6月"),
    "procedures": Field("决策程序", procedures, True, "{public: 进行中, experts: 未开始, …}"),
    "state": Field("事项状态", one_of(DECISION_STATES), True, "推进中"),
    "result": Field("决策文件", f.text, False, "2027-laojiu-xiaoqu-gaizao-fangan"),
    "note": Field("备注", f.text, False),
}


def load_consultation(path, root, config, problems, content) -> None:
    file = opened(path, root, config, problems, load_markdown, CONSULTATION, "意见征集")
    if file is None:
        return
    consultation_id, source, ctx, values = file.id, file.source, file.ctx, file.values
    meta = source.meta
    ok = True
    if values["end"] < values["start"]:
        ctx.error(f"征集截止日期 {values['end']} 早于开始日期 {values['start']}",
                  "请核对两个日期：start 写开始的那天，end 写截止的那天", meta.line_of("end"))
        ok = False
    email = values["email"] or ""
    if email and not EMAIL.match(email):
        ctx.error(f"电子邮箱“{f._short(email)}”的写法不对", "写成 email: 名称@单位域名，如 yijian@example.gov.cn",
                  meta.line_of("email"))
        ok = False
    if not any(values[key] for key in ("email", "post", "phone", "in_person")):
        ctx.error("意见征集没有写提交意见的方式",
                  "至少写一种：email（电子邮箱）、post（通信地址）、phone（电话）、in_person（现场提交地点）", 1)
        ok = False
    feedback = None
    if _blank(values["feedback"]):
        values["feedback"] = None  # the desk's form writes its unopened 意见反馈 group as empty values
    if values["feedback"] is not None:
        feedback = _feedback(values["feedback"], ctx, meta.line_of("feedback"))
        if feedback is None:
            ok = False
        elif feedback.published < values["end"]:
            ctx.error(f"反馈发布日期 {feedback.published} 早于征集截止日期 {values['end']}",
                      "意见反馈在征集结束后发布：请核对 feedback 下的 published", feedback.line)
            ok = False
    if not ok or consultation_id is None:
        return
    content.consultations.append(Consultation(
        id=consultation_id, path=path, title=values["title"], issuers=values["issuer"], start=values["start"],
        end=values["end"], explanation=values["explanation"], background=values["background"] or "",
        normative=bool(values["normative"]), shorten_reason=values["shorten_reason"] or "",
        email=email, post=values["post"] or "", phone=values["phone"] or "", in_person=values["in_person"] or "",
        contact=values["contact"] or "", decision=values["decision"] or "", feedback=feedback,
        sample=bool(values["sample"]), body=source.body, body_line=source.body_line, lines=dict(meta.key_lines),
        digest=digest(source, root), listed_digest=listed_digest(source),
    ))


def _blank(raw) -> bool:
    return isinstance(raw, Mapping) and all(value in (None, "") for value in raw.values())


def _feedback(raw, ctx: Context, line: int) -> Feedback | None:
    if not isinstance(raw, Mapping):
        ctx.error("“feedback”（意见反馈）应是一组字段", "写成 feedback: 换行 published: 反馈日期 换行 received: 收到条数 ……",
                  line)
        return None
    values = parse_fields(raw, FEEDBACK, ctx, "意见反馈")
    if values is None:
        return None
    counts = [values[key] for key in ("received", "adopted", "partly", "not_adopted")]
    if any(count < 0 for count in counts):
        ctx.error("意见条数不能是负数", "请核对 received、adopted、partly、not_adopted", raw.line_of("received"))
        return None
    received, adopted, partly, not_adopted = counts
    if adopted + partly + not_adopted != received:
        ctx.error(f"意见条数对不上：采纳 {adopted} + 部分采纳 {partly} + 未采纳 {not_adopted} = "
                  f"{adopted + partly + not_adopted}，收到的是 {received} 条",
                  "每条意见只算一次：三项之和应等于 received（收到意见条数）", raw.line_of("received"))
        return None
    if not_adopted and not values["reasons"]:
        ctx.error(f"有 {not_adopted} 条意见未采纳，但没有写未采纳的理由",
                  "在 feedback 下写 reasons: | 换行后逐条说明未采纳的理由", raw.line_of("not_adopted"))
        return None
    return Feedback(published=values["published"], received=received, adopted=adopted, partly=partly,
                    not_adopted=not_adopted, summary=values["summary"], reasons=values["reasons"] or "",
                    result=values["result"] or "", line=line)


def load_decisions(path, root, config, problems, content) -> None:
    # Until it loads, consultations naming its 事项 are not told they are missing (model/participation.py).
    content.unloaded.add(UNLOADED_DECISIONS)
    file = opened(path, root, config, problems, load_yaml_file, DECISION_CATALOGUE, "重大行政决策事项目录")
    if file is None:
        return
    catalogue_id, source, ctx, values = file.id, file.source, file.ctx, file.values
    meta = source.meta
    year = values["year"]
    if catalogue_id is not None and catalogue_id != str(year):
        ctx.error(f"事项目录的文件名应是“{year}.yaml”（目录年度），现在是“{path.name}”", f"请把文件改名为 {year}.yaml",
                  meta.line_of("year"))
        return
    raw_items = values["items"]
    if not isinstance(raw_items, Sequence):
        ctx.error("“items”（决策事项列表）应是一组事项，每项以“- id: 事项代码”开头",
                  "参照 content/decisions/ 中已有的文件，或用 python build.py new decision 新建", meta.line_of("items"))
        return
    items = each_item(raw_items, ctx, lambda index, raw: _item(index, raw, ctx), lambda index: (
        f"第 {index + 1} 项决策事项应是一组字段（事项代码、事项名称、承办单位……），现在是一段文字或列表",
        "写成 - id: 事项代码 换行 name: 事项名称 ……，每个字段一行、缩进对齐"))
    if items is None or catalogue_id is None:
        return
    catalogue = DecisionCatalogue(
        id=catalogue_id, path=path, year=year,
        title=values["title"] or f"{config.site.name}{year}年度重大行政决策事项目录",
        published=values["published"], items=items, sample=bool(values["sample"]), lines=dict(meta.key_lines),
        digest=digest(source, root),
        listed_digest=hashlib.sha1(repr((catalogue_id, values["title"], values["published"], bool(values["sample"]),
                                         [(i.id, i.name, i.state, i.done) for i in items])).encode()).hexdigest())
    for item in items:
        item.in_catalogue = catalogue
    content.unloaded.discard(UNLOADED_DECISIONS)
    content.decisions.append(catalogue)


def _item(index: int, raw: Mapping, ctx: Context) -> DecisionItem | None:
    values = parse_fields(raw, DECISION_ITEM, ctx, f"第 {index + 1} 项决策事项")
    if values is None:
        return None
    return DecisionItem(no=index + 1, id=values["id"], name=values["name"], bodies=values["body"],
                        basis=values["basis"], planned=values["planned"], procedures=values["procedures"],
                        state=values["state"], result=values["result"] or "", note=values["note"] or "",
                        line=raw.line, result_line=raw.line_of("result"))
