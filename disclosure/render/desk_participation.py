"""The editing desk's 意见征集 and 重大行政决策事项目录 collections (load/participation.py)."""

from __future__ import annotations

from ..load import loader
from ..load.models import DECISION_PROCEDURES, DECISION_STATES, PROCEDURE_STATES
from ..load.participation import EMAIL
from .desk_form import HINTS, ID_MESSAGE, ID_PATTERN, _body, _boolean, _field, _id, _select


# --- 公众参与: 意见征集 and the 重大行政决策事项目录 (load/participation.py) --------------------------

EMAIL_PATTERN = EMAIL.pattern.replace("\\Z", "$")
EMAIL_MESSAGE = "：电子邮箱写成 名称@单位域名，如 yijian@example.gov.cn"

CONSULTATION_HINTS = {  # each field's own: keys such as issuer and published mean something else elsewhere
    "id": HINTS["id"] + "，如 2027-laojiu-xiaoqu-gaizao-yijian",
    "title": "照抄公告的完整标题",
    "issuer": "征集意见的单位；" + HINTS["issuer"],
    "start": "开始接受意见的那天",
    "end": "最后一天（当天仍可提意见）；征集期一般不少于 30 天，规范性文件草案不少于 7 个工作日",
    "explanation": "起草的必要性、依据、过程和主要内容；正文写征求意见稿本身",
    "background": "决策事项的由来、现状和要解决的问题；没有的留空",
    "normative": "草案是行政规范性文件的选“是”：征集期不少于 7 个工作日即可",
    "shorten_reason": "征集期短于 30 天（规范性文件草案短于 7 个工作日）时必填，会在页面上公开",
    "email": "提交意见的方式至少填一种：电子邮箱、通信地址、电话、现场提交地点",
    "post": "提交意见的方式之一；写明邮编和信封上的注明",
    "phone": "提交意见的方式之一；可写明接听时间",
    "in_person": "提交意见的方式之一",
    "contact": "联系人或联系科室",
    "decision": "属于重大行政决策事项的，选事项目录中的事项；不属于的留空",
    "feedback": "征集结束后展开填写；还没有反馈时整组留空",
    "sample": HINTS["sample"],
}

FEEDBACK_HINTS = {
    "published": "在本栏目公布意见采纳情况的日期，不早于征集截止日期",
    "received": "收到的意见总条数",
    "adopted": "采纳、部分采纳、未采纳三项之和应等于收到的条数",
    "partly": "部分采纳的条数",
    "not_adopted": "未采纳的条数；有未采纳的意见时必须写未采纳的理由",
    "summary": "意见采纳情况的总体说明",
    "reasons": "逐条或分类说明未采纳的理由",
    "result": "根据这次征集形成的文件（须在本栏目中），文件发布后再选",
}

DECISION_HINTS = {
    "year": "四位数字的年度，也是文件名（如 2027.yaml），保存后不能再改",
    "title": "不填即为“网站名称 + 年度 + 重大行政决策事项目录”",
    "published": "公布这份目录的日期",
    "sample": HINTS["sample"],
    "items": "每个决策事项一项",
    "id": "事项代码：小写英文字母、数字和连字符，各年度目录中不能重复；意见征集的“相关决策事项”选它",
    "name": "照抄目录中的事项名称",
    "body": "承办单位；" + HINTS["units"],
    "basis": "决策的法律、法规、规章或政策依据",
    "planned": "写到年月即可",
    "procedures": "五项决策程序各自的进展，没有开始的选“未开始”",
    "state": "“已决策”的事项还要选决策文件",
    "result": "记载决策的文件（须在本栏目中），文件发布后再选",
    "note": "没有的留空",
}


def _markdown(key: str, schema: dict, hint: str) -> dict:
    return _field(key, "markdown", None, schema=schema, hint=hint, modes=["rich_text", "raw"])


def _feedback_count(key: str) -> dict:
    return _field(key, "number", False, schema=loader.FEEDBACK, hint=FEEDBACK_HINTS[key], value_type="int", min=0,
                  step=1)


def participation_collections(v: dict[str, list[dict]]) -> list[dict]:
    """意见征集 (one Markdown file each, named by its id) and the 重大行政决策事项目录 (one YAML file a
    year, named by the year). What the form cannot express — the window's length, counts adding up,
    links to other files — is listed in the editor guide's chapter 零 and checked by the build."""
    c, fb, cat, item = loader.CONSULTATION, loader.FEEDBACK, loader.DECISION_CATALOGUE, loader.DECISION_ITEM

    def cf(key: str, widget: str, **kw) -> dict:
        return _field(key, widget, schema=c, hint=CONSULTATION_HINTS[key], **kw)

    def cdate(key: str, schema: dict, hint: str) -> dict:
        return _field(key, "datetime", None, schema=schema, hint=hint, format="YYYY-MM-DD", date_format="YYYY-MM-DD",
                      time_format=False, picker_utc=True, default="")

    def documents(key: str, schema: dict, hint: str) -> dict:
        return _field(key, "relation", None, schema=schema, hint=hint, collection="documents", value_field="{{slug}}",
                      search_fields=["title", "id"], display_fields=["title"])

    consultations = {
        "name": "consultations", "label": "意见征集", "label_singular": "意见征集",
        "description": "意见征集：每次征集一个 Markdown 文件，在 content/consultations/ 下；正文是征求意见稿",
        "folder": "content/consultations", "extension": "md", "format": "frontmatter", "create": True,
        "slug": "{{fields.id}}", "identifier_field": "title", "summary": "{{start}}　{{title}}",
        "sortable_fields": ["start", "title"],
        "fields": [
            _id(schema=c, hint=CONSULTATION_HINTS["id"]), cf("title", "string"),
            _select("issuer", v["issuer"], multiple=True, schema=c, hint=CONSULTATION_HINTS["issuer"]),
            cdate("start", c, CONSULTATION_HINTS["start"]), cdate("end", c, CONSULTATION_HINTS["end"]),
            _markdown("explanation", c, CONSULTATION_HINTS["explanation"]),
            _markdown("background", c, CONSULTATION_HINTS["background"]),
            _boolean("normative", schema=c, hint=CONSULTATION_HINTS["normative"]),
            cf("shorten_reason", "text"),
            cf("email", "string", pattern=[EMAIL_PATTERN, EMAIL_MESSAGE]),
            cf("post", "string"), cf("phone", "string"), cf("in_person", "string"), cf("contact", "string"),
            # A 事项 is an item of a year's 目录 file: Decap's relation reaches into the list with "*".
            _field("decision", "relation", None, schema=c, hint=CONSULTATION_HINTS["decision"], collection="decisions",
                   value_field="items.*.id", search_fields=["items.*.name", "items.*.id"],
                   display_fields=["items.*.name"]),
            # Optional as a whole, so each of its fields is optional in the form (Decap checks an
            # object's required fields even when it is left empty); a feedback written is complete.
            _field("feedback", "object", False, schema=c, hint=CONSULTATION_HINTS["feedback"], collapsed=True, fields=[
                {**cdate("published", fb, FEEDBACK_HINTS["published"]), "required": False},
                *(_feedback_count(key) for key in ("received", "adopted", "partly", "not_adopted")),
                {**_markdown("summary", fb, FEEDBACK_HINTS["summary"]), "required": False},
                _markdown("reasons", fb, FEEDBACK_HINTS["reasons"]),
                documents("result", fb, FEEDBACK_HINTS["result"]),
            ]),
            _boolean("sample", schema=c, hint=CONSULTATION_HINTS["sample"]), _body(),
        ],
    }
    states = [{"label": state, "value": state} for state in PROCEDURE_STATES]
    decisions = {
        "name": "decisions", "label": "重大行政决策事项目录", "label_singular": "年度事项目录",
        "description": "每年一个文件（文件名是年度），每个决策事项一项",
        "folder": "content/decisions", "extension": "yaml", "format": "yaml", "create": True,
        "slug": "{{fields.year}}", "identifier_field": "year", "summary": "{{year}}年度　{{title}}",
        "fields": [
            _field("year", "number", None, schema=cat, hint=DECISION_HINTS["year"], value_type="int", min=2000,
                   max=2100, step=1),
            _field("title", "string", None, schema=cat, hint=DECISION_HINTS["title"]),
            _field("published", "datetime", None, schema=cat, hint=DECISION_HINTS["published"], format="YYYY-MM-DD",
                   date_format="YYYY-MM-DD", time_format=False, picker_utc=True, default=""),
            _boolean("sample", schema=cat, hint=DECISION_HINTS["sample"]),
            # label_singular names Decap's 新增 button; the schema's example is YAML advice, not the form's.
            {**_field("items", "list", None, schema=cat, min=1, label_singular="决策事项",
                      summary="{{fields.id}}：{{fields.name}}", fields=[
                       _field("id", "string", None, schema=item, hint=DECISION_HINTS["id"],
                              pattern=[ID_PATTERN, ID_MESSAGE.replace("2022-zhengwu-gongkai-yaodian", "laojiu-xiaoqu-gaizao")]),
                       _field("name", "string", None, schema=item, hint=DECISION_HINTS["name"]),
                       _select("body", v["issuer"], multiple=True, schema=item, hint=DECISION_HINTS["body"]),
                       _field("basis", "string", None, schema=item, hint=DECISION_HINTS["basis"]),
                       _field("planned", "string", None, schema=item, hint=DECISION_HINTS["planned"]),
                       _field("procedures", "object", None, schema=item, hint=DECISION_HINTS["procedures"], fields=[
                           {"label": label, "name": key, "widget": "select", "options": states, "default": "未开始",
                            "required": True} for key, label in DECISION_PROCEDURES]),
                       _select("state", [{"label": s, "value": s} for s in DECISION_STATES], schema=item,
                               hint=DECISION_HINTS["state"]),
                       documents("result", item, DECISION_HINTS["result"]),
                       _field("note", "string", None, schema=item, hint=DECISION_HINTS["note"]),
                   ]), "hint": DECISION_HINTS["items"]},
        ],
    }
    return [consultations, decisions]

