"""The editing desk at /admin/: Decap CMS (vendored in vendor/decap-cms/ at a pinned version,
checked against its SHA256SUMS) with a configuration generated here from config.yaml and the
content schemas of load/loader.py, so the form asks for what the build checks and nothing is
written by hand. See docs/editing-desk.md.

The desk is a set of plan entries (render/plan.py, `desk_outputs`): admin/index.html with its own
Content-Security-Policy (Decap needs 'unsafe-eval' and inline styles, which the public pages never
allow), admin/config.yml, the preview script and styles, and the vendored bundle. None of them is an
HtmlPage, so the sitemap, the feeds and search never see them, and no public page links to them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import yaml

from ..load import loader
from ..load.config import Config, DeskOptions
from ..load.doc_numbers import CHINESE_NUMERAL
from ..load.fields import ID, INDEX_NO, SITE_PATH
from ..load.models import CATALOGUE_AUDIENCES, CATALOGUE_CHANNELS, CATALOGUE_LEVELS, CATALOGUE_MANNERS
from ..load.report_format import (APPLICATION_COLUMNS, APPLICATION_ROWS, CASES, DECISION_ROWS, MONEY_ROW,
                                  OUTCOMES, PROACTIVE_COLUMNS, PROACTIVE_GROUPS, PROACTIVE_ROWS, TOTAL)
from ..load.models import DECISION_PROCEDURES, DECISION_STATES, PROCEDURE_STATES
from ..load.participation import EMAIL

VENDOR = Path(__file__).with_name("vendor") / "decap-cms"
FILES = Path(__file__).with_name("desk_files")
PROXY = "http://127.0.0.1:8081/api/v1"  # decap-server, started by `make edit`
PROXY_ORIGINS = ("http://127.0.0.1:8081", "http://localhost:8081")

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


@functools.lru_cache(maxsize=None)
def vendored() -> tuple[tuple[str, str], ...]:
    """The vendored Decap files (name, SHA-256), each checked against SHA256SUMS."""
    checked = []
    for line in filter(None, (VENDOR / "SHA256SUMS").read_text("utf-8").split("\n")):
        digest, name = line.split()
        if hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() != digest:
            raise RuntimeError(f"编辑台的 Decap CMS 文件 {VENDOR / name} 与 SHA256SUMS 不符：请用 git 恢复，"
                               "或运行 scripts/vendor-decap 重新获取。")
        checked.append((name, digest))
    return tuple(checked)


def version() -> str:
    return json.loads((VENDOR / "decap-entry.json").read_text("utf-8"))["version"]


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


def collections(config: Config) -> list[dict]:
    v = vocabularies(config)
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
    return [documents, interpretations, tasks, pages, catalogue, reports(config)] + participation_collections(v)


# --- 政府信息公开工作年度报告 ----------------------------------------------------------------------
# The loader names a report's file <year>-<issuer slug> and the form can only name a new file from
# a field (`slug: "{{fields.id}}"`): Decap has no derived fields, and its template filters cannot
# turn the body's name the issuer select stores into its slug. So the editor writes the id, checked
# by a pattern of the years the format covers and the single bodies' slugs; each body's slug is shown
# beside its name in the issuer select. That id, year and issuer agree is left to the build.


def report_years_pattern(first: int = loader.EARLIEST_REPORT_YEAR) -> str:
    """Every year from `first` to 2099 (a form's pattern cannot compare numbers)."""
    assert 2000 <= first <= 2099
    decade, unit = divmod(first - 2000, 10)
    parts = [f"20{decade}[{unit}-9]"]
    if decade < 9:
        parts.append(f"20[{decade + 1}-9][0-9]")
    return "(?:" + "|".join(parts) + ")"


def report_id_pattern(config: Config) -> str:
    slugs = [body.slug for body in config.organisations.entries if not body.is_group]
    return f"^{report_years_pattern()}-(?:{'|'.join(slugs)})$"


REPORT_ID_MESSAGE = "：编号写成 报告年度-发布机构的网址名，如 2022-renminzhengfu；网址名写在“发布机构”下拉列表里单位名称后面的括号中"
REPORT_HINTS = {
    "id": "新报告的文件名：报告年度-发布机构的网址名，如 2022-renminzhengfu（网址名见下面“发布机构”列表中的括号），"
          "须与报告年度、发布机构一致；保存后不能再改",
    "year": f"统计的那一年（{loader.EARLIEST_REPORT_YEAR} 年度起用这里的表格），如 2022 年度的报告写 2022，在 2023 年发布",
    "issuer": "一个单位（不能是统称）；括号里是它的网址名，写进上面的编号",
    "published": "在本栏目公开的日期，在报告年度的下一年：人民政府的报告应在次年 3 月 31 日前公布，"
                 "部门、街道等其他单位的应在次年 1 月 31 日前公布（条例第四十九条）",
    "title": "不填即为“<发布机构><年度>年政府信息公开工作年度报告”",
    "sample": HINTS["sample"],
    "overview": "主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况，每项一段，段首可用加粗的小标题",
    "problems": "存在的主要问题和改进措施",
    "other": "没有的留空；迟于法定期限发布的，在这里说明原因",
}
COUNT_HINT = "件数，不填按 0 计"
TOTAL_HINT = "可不填：系统自动合计；填了的，系统核对是否等于各项之和"


def _count(key: str, label: str, hint: str = COUNT_HINT, default=0) -> dict:
    # default 0, as `build.py new report` writes: a new report starts with every count 0. Totals
    # have none: left blank they are added up, and a 0 would contradict the counts.
    field = {"label": label, "name": key, "widget": "number", "value_type": "int", "min": 0, "step": 1,
             "required": False, "hint": hint}
    if default is not None:
        field["default"] = default
    return field


def _table(key: str, fields: list[dict], hint: str) -> dict:
    spec = loader.REPORT[key]
    return {"label": spec.label, "name": key, "widget": "object", "required": bool(spec.required), "hint": hint,
            "fields": fields}


def report_tables() -> dict[str, dict]:
    """The three tables as nested objects, each row and column with its label in the format."""
    articles = {row: heading for heading, _, rows in PROACTIVE_GROUPS for row in rows}
    proactive = []
    for row, label, _ in PROACTIVE_ROWS:
        name = f"{articles[row]}　{label}"
        if row == MONEY_ROW:
            proactive.append({"label": f"{name}：本年收费金额（单位：万元）", "name": row, "widget": "number",
                              "value_type": "float", "min": 0, "step": 0.01, "required": False, "default": 0,
                              "hint": "金额，单位万元，可以有小数，如 1.25；不写“万元”"})
        elif row in DECISION_ROWS:
            proactive.append(_count(row, f"{name}：本年处理决定数量"))
        else:
            normative = row == "normative"
            hint = ("不填的格由本栏目发布的规范性文件统计；填了的，系统与本栏目文件核对" if normative
                    else "本年制发、本年废止、现行有效的件数")
            proactive.append({"label": name, "name": row, "widget": "object", "required": False, "hint": hint,
                              "fields": [_count(column, column_label, "件数" if normative else COUNT_HINT,
                                                None if normative else 0)
                                         for column, column_label in PROACTIVE_COLUMNS]})
    parents: list[str] = ["", "", ""]
    applications = []
    for row in APPLICATION_ROWS:
        parents[row.level] = row.label
        if not row.key:
            continue
        name = "　".join([*parents[:row.level], row.label])
        total_row = row.key == "handled"
        applications.append({
            "label": name, "name": row.key, "widget": "object", "required": False, "collapsed": True,
            "summary": "　".join(f"{label} {{{{fields.{column}}}}}" for column, label in APPLICATION_COLUMNS),
            "hint": "（七）总计可不填：每列由 23 项办理结果自动合计" if total_row else "六类申请人各一格",
            "fields": [_count(column, label, TOTAL_HINT if total_row or column == TOTAL else COUNT_HINT,
                              None if total_row or column == TOTAL else 0)
                       for column, label in APPLICATION_COLUMNS]})
    review = [{"label": label, "name": case, "widget": "object", "required": False, "hint": "四种结果各一格",
               "fields": [_count(column, column_label, TOTAL_HINT if column == TOTAL else COUNT_HINT,
                                 None if column == TOTAL else 0) for column, column_label in OUTCOMES]}
              for case, label in CASES]
    return {
        "proactive": _table("proactive", proactive, "规章、规范性文件各三格；行政许可、处罚、强制各一个数；收费一个金额"),
        "applications": _table("applications", applications,
                               "点开每一行填写六类申请人的件数；每一列 一 + 二 = 三（七）总计 + 四"),
        "review_litigation": _table("review_litigation", review, "行政复议、行政诉讼各一行"),
    }


def reports(config: Config) -> dict:
    schema = loader.REPORT
    bodies = [{"label": f"{body.name}（{body.slug}）", "value": body.name}
              for body in config.organisations.entries if not body.is_group]

    def field(key: str, widget: str, **options) -> dict:
        return _field(key, widget, schema=schema, hint=REPORT_HINTS[key], **options)

    def part(key: str) -> dict:
        return field(key, "markdown", modes=["rich_text", "raw"])

    tables = report_tables()
    return {
        "name": "reports", "label": "政府信息公开工作年度报告", "label_singular": "年度报告",
        "description": "每个单位每年一份，国办公开办函〔2021〕30号的格式；文件在 content/reports/ 下",
        "folder": "content/reports", "extension": "yaml", "format": "yaml", "create": True,
        "slug": "{{fields.id}}", "identifier_field": "id", "summary": "{{year}}年度　{{issuer}}",
        "sortable_fields": ["year", "published"],
        "fields": [
            _field("id", "string", True, schema=schema, hint=REPORT_HINTS["id"],
                   pattern=[report_id_pattern(config), REPORT_ID_MESSAGE]),
            field("year", "number", value_type="int", min=loader.EARLIEST_REPORT_YEAR, step=1),
            field("issuer", "select", options=bodies),
            _date("published", schema=schema, hint=REPORT_HINTS["published"]),
            field("title", "string"), _boolean("sample", schema=schema, hint=REPORT_HINTS["sample"]),
            part("overview"), tables["proactive"], tables["applications"], tables["review_litigation"],
            part("problems"), part("other"),
        ],
    }


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


def backend(desk: DeskOptions) -> dict:
    found = {"name": desk.backend, "repo": desk.repo, "branch": desk.branch}
    if desk.backend == "gitlab" and desk.host:
        found["api_root"] = desk.host + "/api/v4"
        found["base_url"] = desk.host
    if desk.backend == "gitea":
        host = desk.host or "https://gitea.com"
        found["api_root"] = host + "/api/v1"
        found["base_url"] = host
    if desk.app_id:
        found.update(auth_type="pkce", app_id=desk.app_id)
    if desk.oauth:  # GitHub has no PKCE: Decap signs in through an OAuth gateway at this address
        found["base_url"] = desk.oauth
    if desk.backend in ("github", "gitlab"):  # Decap's Gitea backend has no editorial workflow
        found["squash_merges"] = True
    return found


def api_origin(desk: DeskOptions) -> str:
    if desk.backend == "github":
        return "https://api.github.com"
    return desk.host or ("https://gitlab.com" if desk.backend == "gitlab" else "https://gitea.com")


def desk_config(config: Config) -> dict:
    desk = config.desk
    found = {
        "locale": "zh_Hans",
        "backend": backend(desk),
        # With decap-server on this machine (`make edit`) and the desk opened on 127.0.0.1, Decap
        # works on the local repository instead; on any other host it is ignored.
        "local_backend": {"url": PROXY, "allowed_hosts": ["127.0.0.1", "localhost"]},
        "site_url": config.site.origin_url,
        "display_url": config.site.origin_url,
        "media_folder": "content/files",
        "public_folder": "/files",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(config),
    }
    if desk.backend != "gitea":
        found["publish_mode"] = "editorial_workflow"
    return found


def config_yaml(config: Config) -> bytes:
    head = "# 由 config.yaml 和内容的字段表生成（disclosure/render/desk.py），请勿手工修改。\n"
    return (head + yaml.safe_dump(desk_config(config), allow_unicode=True, sort_keys=False, width=1000)).encode("utf-8")


def csp(config: Config) -> str:
    """The desk's own policy: Decap compiles its configuration schema at run time ('unsafe-eval')
    and styles its components inline; it talks to the git host's API and, on 127.0.0.1, to the proxy."""
    api = api_origin(config.desk)
    connect = " ".join(["'self'", "blob:", api, *PROXY_ORIGINS])
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob: {api}; media-src 'self' blob:; font-src 'self' data:; "
            f"connect-src {connect}; frame-src 'self' blob:; worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'")


def index_html(config: Config) -> bytes:
    template = (FILES / "index.html").read_text("utf-8")
    return (template.replace("{{csp}}", csp(config)).replace("{{site}}", config.site.name)
            .replace("{{version}}", version()).replace("{{base}}", config.site.base_path)).encode("utf-8")


def own_file(name: str) -> bytes:
    return (FILES / name).read_bytes()


def desk_files(config: Config) -> list[tuple[str, object]]:
    """(path in the site, function giving its bytes) for every file of the desk, in a fixed order."""
    if config.desk is None:
        return []
    files: list[tuple[str, object]] = [
        ("admin/index.html", lambda: index_html(config)),
        ("admin/config.yml", lambda: config_yaml(config)),
        ("admin/desk.js", lambda: own_file("desk.js")),
        ("admin/preview.css", lambda: own_file("preview.css")),
    ]
    for name, _ in vendored():
        if name.endswith(".js"):
            files.append((f"admin/decap/{name}", lambda name=name: (VENDOR / name).read_bytes()))
    return files
