"""The editing desk's form (render/desk.py): one field of the Decap configuration per field of a
content schema, the patterns the form checks, and the collections of the column's own content types.
The 年度报告 and 公众参与 collections are in desk_reports.py and desk_participation.py."""

from __future__ import annotations


from ..load import loader
from ..load.config import Config
from ..load.doc_numbers import CHINESE_NUMERAL
from ..load.fields import ID, INDEX_NO, SITE_PATH
from ..load.models import CATALOGUE_AUDIENCES, CATALOGUE_CHANNELS, CATALOGUE_LEVELS, CATALOGUE_MANNERS


# The patterns the form checks, as one regular expression each that JavaScript and Python read
# alike. 文号: the three normal forms of load/doc_numbers.py (the build also keeps rarer shapes,
# with a warning; the desk asks for the normal form). The 机关代字 is Chinese characters.
CODE = "[\\u4e00-\\u9fa5]+"
SERIAL = "[1-9][0-9]{0,5}"
DOC_NUMBER = (f"^(?:{CODE}〔(?:19|20)[0-9]{{2}}〕{SERIAL}号"
              f"|{CODE}(?:19|20)[0-9]{{2}}年第{SERIAL}号"
              f"|{CODE}令第(?:{SERIAL}|{CHINESE_NUMERAL})号)$")
# Decap shows “<label>”不满足模式<message>: each message reads on from there.
DOC_NUMBER_MESSAGE = "：发文字号应写成 济天政办发〔2022〕4号（年份用六角括号〔〕，序号不加 0）、济南市人民政府令第258号 或 财政部公告2015年第3号"
# JavaScript's \d is ASCII only, Python's is any digit: the form's patterns spell out [0-9].
INDEX_PATTERN = INDEX_NO.pattern.replace("\\d", "[0-9]").replace("\\Z", "$")
INDEX_MESSAGE = "：索引号应写成 机构代码/年份-流水号，如 11370105004208456P/2022-00004（半角字符）"
ID_PATTERN = ID.pattern.replace("\\Z", "$")
ID_MESSAGE = "：编号只能用小写英文字母、数字和连字符（-），如 2022-zhengwu-gongkai-yaodian"

LINK_PATTERN = SITE_PATH.pattern.replace("\\Z", "$")
LINK_MESSAGE = "：写本栏目内页面的路径，以 / 开头、不带域名，如 /documents/2022-zhengwu-gongkai-gongzuo-yaodian/"

HINTS = {  # what the form says under a field, beyond its label (load/loader.py gives label and example)
    "id": "新文件的文件名，也是网址的一部分，保存后不能再改：小写英文字母、数字和连字符，建议以年份开头",
    "title": "照抄原文的完整标题",
    "doc_number": "照抄原文，年份用六角括号〔〕；没有文号的留空",
    "issuer": "可多选；列表里的名称来自 config.yaml 的单位名录，别名也可以选",
    "written": "原文落款的日期",
    "published": "在本栏目公开的日期；晚于今天的文件到那天才出现在网站上",
    "topic": "选一级/二级主题；只有一级主题时选一级",
    "kind": "按《党政机关公文处理工作条例》的公文种类",
    "index_no": "机构代码/年份-流水号，半角字符；同一机构的流水号不能重复",
    "validity": "废止的文件还要填写废止日期",
    "expires": "文件写明有效期的才填",
    "repealed": "有效性为“废止”时必填",
    "repealed_by": "废止本文件的那份文件（须在本栏目中）",
    "normative": "行政规范性文件选“是”，会列入现行有效规范性文件库",
    "in_force": "文件写明自某日起施行的才填；不填即自发布之日起施行",
    "amends": "每项写本栏目中文件的编号，或栏目外文件的《标题》（文号）",
    "replaces": "每项写本栏目中文件的编号，或栏目外文件的《标题》（文号）",
    "basis": "每项写本栏目中文件的编号，或栏目外文件的《标题》（文号）",
    "attachments": "上传 PDF、Word、Excel 等附件，并写附件名称",
    "keywords": "几个词之间用英文逗号（,）隔开",
    "sample": "只用于演示的示例内容才选“是”，真实公文不要选",
    "interprets": "被解读的政策文件",
    "form": "解读的形式",
    "qa": "问答解读的每个问题和回答",
    "plan": "任务分解表所属的文件",
    "tasks": "每项任务一行：序号、工作任务、具体要求、责任单位、完成时限",
    "order": "栏目页面在导航中的次序，数字小的在前",
    "description": "一两句话的简介，显示在列表和搜索结果中",
    "updated": "页面内容最后一次更新的日期",
    "no": "从 1 起的序号",
    "units": "可多选；列表里的名称来自 config.yaml 的单位名录",
    "due": "完成时限是具体日期时填写",
}


# --- the form: one field of the Decap configuration per field of a content schema --------------


def _field(key: str, widget: str, required: bool | None = None, schema: dict | None = None, hint: str | None = None,
           **options) -> dict:
    """`schema`: where the field is declared, when its key means something else elsewhere (the
    标准目录's item, basis and area); `hint` replaces the one in HINTS."""
    spec = (schema or _SPECS).get(key)
    label = spec.label if spec else key
    field = {"label": label, "name": key, "widget": widget}
    hint = HINTS.get(key, "") if hint is None else hint
    if spec and spec.example and widget in ("string", "text", "list") and key not in ("title", "id"):
        example = spec.example.strip("[]") if widget == "list" else spec.example  # YAML's brackets are not typed here
        hint = (hint + "；" if hint else "") + f"例如：{example}"
    if hint:
        field["hint"] = hint
    field["required"] = bool(spec.required) if required is None and spec else bool(required)
    field.update(options)
    return field


# A key means the same field in the schemas of documents, interpretations, task tables and pages
# (same label, same requiredness: the unit test compares each collection's fields with its own
# schema), so one lookup serves them; the 标准目录's fields name their schema.
_SPECS = {**loader.TASK, **loader.PAGE, **loader.TASK_TABLE, **loader.INTERPRETATION, **loader.DOCUMENT}


def _date(key: str, required: bool | None = None, **kw) -> dict:
    # default "": Decap would otherwise fill in today, and an optional date left alone would be set.
    return _field(key, "datetime", required, format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False,
                  picker_utc=True, default="", **kw)


def _select(key: str, options: list[dict], multiple: bool = False, required: bool | None = None, **kw) -> dict:
    extra = {"multiple": True, "min": 1} if multiple else {}
    return _field(key, "select", required, options=options, **extra, **kw)


def _boolean(key: str, **kw) -> dict:
    return _field(key, "boolean", False, default=False, **kw)


def _references(key: str) -> dict:
    return _field(key, "list", False, field={"label": "文件", "name": "item", "widget": "string"})


def _relation(key: str, collection: str) -> dict:
    return _field(key, "relation", None, collection=collection, value_field="{{slug}}",
                  search_fields=["title", "id"], display_fields=["title"])


def _id(**kw) -> dict:
    return _field("id", "string", True, pattern=[ID_PATTERN, ID_MESSAGE], **kw)


def vocabularies(config: Config) -> dict[str, list[dict]]:
    """The select options: bodies with their aliases, both topic levels, kinds, validity, forms."""
    bodies = []
    for organisation in config.organisations.entries:
        bodies.append({"label": organisation.name, "value": organisation.name})
        bodies += [{"label": f"{alias}（{organisation.name}）", "value": alias} for alias in organisation.aliases]
    return {
        "issuer": bodies,
        "topic": [{"label": topic.label, "value": topic.label} for topic in config.topics],
        "kind": [{"label": kind.name, "value": kind.name} for kind in config.kinds],
        "validity": [{"label": term.name, "value": term.name} for term in config.validity],
        "form": [{"label": form, "value": form} for form in config.interpretation_forms],
    }


def _body() -> dict:
    return {"label": "正文", "name": "body", "widget": "markdown", "required": False,
            "hint": "小标题用“## ”开头；表格、链接用工具栏插入", "modes": ["rich_text", "raw"]}


def content_collections(v: dict[str, list[dict]]) -> list[dict]:
    """Documents, interpretations, task tables, pages and the 标准目录."""
    documents = {
        "name": "documents", "label": "政策文件", "label_singular": "政策文件",
        "description": "政策文件：每份文件一个 Markdown 文件，在 content/documents/年份/ 下",
        "folder": "content/documents", "path": "{{year}}/{{slug}}", "extension": "md",
        "format": "frontmatter", "create": True, "slug": "{{fields.id}}", "identifier_field": "title",
        "summary": "{{published}}　{{title}}", "sortable_fields": ["published", "title"],
        "media_folder": "/content/files/documents", "public_folder": "/files/documents",
        "fields": [
            _id(), _field("title", "string"),
            _field("doc_number", "string", pattern=[DOC_NUMBER, DOC_NUMBER_MESSAGE]),
            _select("issuer", v["issuer"], multiple=True),
            _date("written"), _date("published"),
            _select("topic", v["topic"]), _select("kind", v["kind"]),
            _field("index_no", "string", pattern=[INDEX_PATTERN, INDEX_MESSAGE]),
            _select("validity", v["validity"]),
            _date("expires"), _date("repealed"), _relation("repealed_by", "documents"),
            _boolean("normative"), _date("in_force"),
            _references("amends"), _references("replaces"), _references("basis"),
            _field("attachments", "list", False, fields=[
                {"label": "附件文件", "name": "file", "widget": "file", "required": True},
                {"label": "附件名称", "name": "title", "widget": "string", "required": True,
                 "hint": "如 附件1：2022年政务公开工作任务分解表"}]),
            _field("keywords", "list", False),
            _boolean("sample"), _body(),
        ],
    }
    interpretations = {
        "name": "interpretations", "label": "政策解读", "label_singular": "政策解读",
        "folder": "content/interpretations", "extension": "md", "format": "frontmatter", "create": True,
        "slug": "{{fields.id}}", "identifier_field": "title", "summary": "{{published}}　{{title}}",
        "fields": [
            _id(), _field("title", "string"), _relation("interprets", "documents"),
            _select("issuer", v["issuer"], multiple=True), _date("published"), _select("form", v["form"]),
            _field("qa", "list", False, fields=[
                {"label": "问题", "name": "q", "widget": "string", "required": True},
                {"label": "回答", "name": "a", "widget": "text", "required": True}]),
            _field("keywords", "list", False), _boolean("sample"), _body(),
        ],
    }
    tasks = {
        "name": "tasks", "label": "任务分解表", "label_singular": "任务分解表",
        "folder": "content/tasks", "extension": "yaml", "format": "yaml", "create": True,
        "slug": "{{fields.id}}", "identifier_field": "title",
        "fields": [
            _id(), _relation("plan", "documents"), _field("title", "string"),
            _field("tasks", "list", True, summary="{{fields.no}}. {{fields.item}}", fields=[
                _field("no", "number", value_type="int", min=1),
                _field("area", "string"), _field("item", "string"), _field("requirement", "text"),
                _select("units", v["issuer"], multiple=True), _field("deadline", "string"),
                _date("due"), _field("note", "string"),
            ]),
        ],
    }
    pages = {
        "name": "pages", "label": "栏目页面", "label_singular": "栏目页面",
        "folder": "content/pages", "extension": "md", "format": "frontmatter", "create": True,
        "slug": "{{fields.id}}", "identifier_field": "title",
        "fields": [
            _id(), _field("title", "string"), _field("order", "number", value_type="int", min=0),
            _field("description", "string"), _date("updated"), _boolean("sample"), _body(),
        ],
    }
    area, row = loader.CATALOGUE, loader.CATALOGUE_ROW

    def checklist(key: str, values: tuple[str, ...]) -> dict:
        return _select(key, [{"label": x, "value": x} for x in values], multiple=True, schema=row,
                       hint="可多选：" + "、".join(values))

    catalogue = {
        "name": "catalogue", "label": "基层政务公开标准目录", "label_singular": "标准目录的领域",
        "description": "每个领域一个文件，每个公开事项一行",
        "folder": "content/catalogue", "extension": "yaml", "format": "yaml", "create": True,
        "slug": "{{fields.id}}", "identifier_field": "area", "summary": "{{area}}",
        "fields": [
            _id(schema=area, hint=HINTS["id"].replace("建议以年份开头", "如 shenong-butie")),
            _field("area", "string", schema=area, hint="与国务院部门标准指引的领域一致"),
            _field("guideline", "string", schema=area, hint="依据的国务院部门标准指引；没有的留空"),
            _boolean("sample", schema=area),
            _field("rows", "list", False, schema=area, hint="每个公开事项一项；还没有编制的领域可以先不填",
                   summary="{{fields.item}}：{{fields.subitem}}", fields=[
                       _field(key, widget, schema=row, hint="") for key, widget in (
                           ("item", "string"), ("subitem", "string"), ("elements", "text"), ("basis", "text"),
                           ("time_limit", "string"))
                   ] + [
                       _select("bodies", v["issuer"], multiple=True, schema=row, hint=HINTS["units"]),
                       checklist("channels", CATALOGUE_CHANNELS), checklist("audience", CATALOGUE_AUDIENCES),
                       checklist("manner", CATALOGUE_MANNERS), checklist("levels", CATALOGUE_LEVELS),
                       _field("link", "string", schema=row, hint="本栏目中公开这项信息的页面，没有的留空",
                              pattern=[LINK_PATTERN, LINK_MESSAGE]),
                   ]),
        ],
    }
    return [documents, interpretations, tasks, pages, catalogue]
