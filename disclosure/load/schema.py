"""JSON Schemas (draft 2020-12) of the exports, shipped in the site under api/schema/.

Each schema is self-contained (no references between files), so a consumer can validate with
any JSON Schema library without configuring a resolver. They are generated from one
description here, so the list record and the per-document record cannot drift apart.
"""

from __future__ import annotations

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
URL = {"type": "string", "pattern": r"^https?://\S+$"}
ID = {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"}
TEXT = {"type": "string", "minLength": 1}
HASH = {"type": "string", "pattern": r"^sha256:[0-9a-f]{64}$"}
VALIDITY = {"enum": ["有效", "失效", "废止"]}
STATUS = {"enum": ["有效", "失效", "废止", "尚未施行"]}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, description: str = "", optional: tuple[str, ...] = ()) -> dict:
    schema = {"type": "object", "properties": properties,
              "required": [key for key in properties if key not in optional], "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


REF = _object({"id": ID, "title": TEXT, "url": URL})


def record(with_body: bool) -> dict:
    properties = {
        "id": {**ID, "description": "编号：内容文件的文件名，也是网址的一部分，永不改变"},
        "url": {**URL, "description": "文件页面的网址"},
        "title": {**TEXT, "description": "标题"},
        "doc_number": {**_nullable(TEXT), "description": "发文字号，没有时为 null"},
        "index_no": {**_nullable(TEXT), "description": "索引号，没有时为 null"},
        "issuers": {"type": "array", "items": TEXT, "minItems": 1, "description": "发布机构（规范名称）"},
        "issuer_ids": {"type": "array", "items": ID, "minItems": 1, "description": "发布机构的英文编号（slug）"},
        "written": {**DAY, "description": "成文日期"},
        "published": {**DAY, "description": "发布日期"},
        "topic": {**TEXT, "description": "主题分类，一级/二级"},
        "topic_id": {"type": "string", "pattern": r"^[a-z0-9-]+(/[a-z0-9-]+)?$", "description": "主题分类的英文编号"},
        "kind": {**TEXT, "description": "公文种类"},
        "kind_id": {**ID, "description": "公文种类的英文编号"},
        "validity": {**STATUS, "description": "构建日期当天的有效性（过了有效期至为失效，被代替为废止，施行日期之前为尚未施行）"},
        "validity_declared": {**VALIDITY, "description": "内容中填写的有效性"},
        "expires": {**_nullable(DAY), "description": "有效期至"},
        "repealed": {**_nullable(DAY), "description": "废止日期"},
        "repealed_by": {**_nullable(REF), "description": "废止本文件的文件"},
        "repeals": {"type": "array", "items": REF, "description": "本文件废止的文件"},
        "in_force": {**_nullable(DAY), "description": "施行日期，没有写明时为 null（自发布之日起施行）"},
        "amends": {"type": "array", "description": "本文件修改的文件（effective：修改生效的日期）",
                   "items": _object({**REF["properties"], "effective": DAY})},
        "amended_by": {"type": "array", "description": "修改本文件的文件，按生效日期排列（含尚未生效的）",
                       "items": _object({**REF["properties"], "effective": DAY})},
        "replaces": {"type": "array", "items": REF, "description": "本文件代替的文件"},
        "replaced_by": {**_nullable(REF), "description": "代替本文件的文件"},
        "basis": {"type": "array", "description": "制定依据：栏目内的文件带网址，栏目外的只有标题和文号（url 为 null）",
                  "items": _object({"text": TEXT, "url": _nullable(URL)})},
        "notices": {"type": "array", "description": "文件页面正文上方的状态提示（已废止、已失效、已修改、尚未施行、即将修改、即将废止），与页面一致",
                    "items": _object({"kind": {"enum": ["已废止", "已失效", "已修改", "尚未施行", "即将修改", "即将废止"]},
                                      "date": _nullable(DAY), "text": TEXT, "by": _nullable(REF)})},
        "normative": {"type": "boolean", "description": "是否规范性文件"},
        "keywords": {"type": "array", "items": TEXT, "description": "主题词"},
        "sample": {"type": "boolean", "description": "演示用的示例内容，不是真实公文"},
        "attachments": {"type": "array", "description": "附件", "items": _object(
            {"title": TEXT, "url": URL, "format": {"type": "string"}, "bytes": {"type": "integer", "minimum": 0}})},
        "interpretations": {"type": "array", "description": "政策解读", "items": _object(
            {**REF["properties"], "published": DAY, "form": TEXT})},
        "task_tables": {"type": "array", "description": "任务分解表", "items": _object(
            {**REF["properties"], "tasks": {"type": "integer", "minimum": 0}})},
        "corrections": {"type": "array", "description": "更正记录：发布之日起内容的 git 历史中对本文件的每次改动，从早到晚；"
                        "fields 是改动的字段（field 为英文字段名，label 为中文名，old/new 为原内容和现内容，没有时为空字符串），"
                        "paragraphs 是改动的正文段落（old 为空是新增一段，new 为空是删去一段）；没有 git 历史时为空",
                        "items": _object({"date": DAY,
                                          "fields": {"type": "array", "items": _object({"field": TEXT, "label": TEXT,
                                                     "old": {"type": "string"}, "new": {"type": "string"}})},
                                          "paragraphs": {"type": "array", "items": _object(
                                              {"old": {"type": "string"}, "new": {"type": "string"}})}})},
        "corrections_url": {**_nullable(URL), "description": "更正记录页面的网址，没有更正时为 null"},
        "hash": {**HASH, "description": "整条记录（含正文）的 SHA-256，用于判断文件是否有变化"},
    }
    if with_body:
        properties["body_html"] = {"type": "string", "description": "正文（清洗过的 HTML；站内链接是以 / 开头的路径，相对于 url 解析）"}
    return _object(properties, "一件政策文件的全部要素")


def document_schema(site_url: str) -> dict:
    return {"$schema": DRAFT, "$id": site_url + "api/schema/document.schema.json",
            "title": "政策文件（api/documents/<编号>.json）", **record(with_body=True)}


def documents_schema(site_url: str) -> dict:
    return {"$schema": DRAFT, "$id": site_url + "api/schema/documents.schema.json",
            "title": "政策文件目录（api/documents.json）", **_object({
                "site": TEXT, "column": TEXT, "build_date": DAY, "count": {"type": "integer", "minimum": 0},
                "documents": {"type": "array", "items": record(with_body=False)},
            })}


def changes_schema(site_url: str) -> dict:
    item = _object({"id": ID, "title": TEXT, "url": URL, "validity": STATUS, "hash": HASH})
    removed = _object({"id": ID, "title": _nullable({"type": "string"}), "url": _nullable({"type": "string"})})
    baseline = _object({"build_date": _nullable(DAY), "count": {"type": "integer", "minimum": 0},
                        "sha256": {"type": "string", "pattern": r"^[0-9a-f]{64}$"}})
    return {"$schema": DRAFT, "$id": site_url + "api/schema/changes.schema.json",
            "title": "变化清单（api/changes.json）", **_object({
                "build_date": DAY, "baseline": _nullable(baseline), "summary": TEXT,
                "added": {"type": "array", "items": item}, "changed": {"type": "array", "items": item},
                "repealed": {"type": "array", "items": item}, "expired": {"type": "array", "items": item},
                "removed": {"type": "array", "items": removed},
            })}


def catalogue_schema(site_url: str) -> dict:
    from .models import CATALOGUE_AUDIENCES, CATALOGUE_CHANNELS, CATALOGUE_LEVELS, CATALOGUE_MANNERS

    def checked(values: tuple[str, ...], description: str) -> dict:
        return {"type": "array", "items": {"enum": list(values)}, "minItems": 1, "uniqueItems": True,
                "description": description}

    row = _object({
        "no": {"type": "integer", "minimum": 1, "description": "序号：在本领域中的次序"},
        "item": {**TEXT, "description": "公开事项·一级事项"},
        "subitem": {**TEXT, "description": "公开事项·二级事项"},
        "elements": {**TEXT, "description": "公开内容（要素）"},
        "basis": {**TEXT, "description": "公开依据"},
        "time_limit": {**TEXT, "description": "公开时限"},
        "bodies": {"type": "array", "minItems": 1, "description": "公开主体：单位名录中的名称、文件中的写法、单位页面",
                   "items": _object({"name": TEXT, "written": TEXT, "url": URL})},
        "channels": checked(CATALOGUE_CHANNELS, "公开渠道和载体"),
        "audience": checked(CATALOGUE_AUDIENCES, "公开对象"),
        "manner": checked(CATALOGUE_MANNERS, "公开方式"),
        "levels": checked(CATALOGUE_LEVELS, "公开层级"),
        "link": {**_nullable(URL), "description": "本栏目中公开这项信息的页面，没有时为 null"},
        "url": {**URL, "description": "这一项在目录页面上的位置"},
    }, "一项公开事项（标准目录的一行）")
    area = _object({
        "id": {**ID, "description": "领域的编号：内容文件的文件名"}, "name": {**TEXT, "description": "领域名称"},
        "guideline": {**_nullable(TEXT), "description": "依据的国务院部门标准指引，没有时为 null"},
        "sample": {"type": "boolean", "description": "演示用的示例内容"}, "url": URL,
        "count": {"type": "integer", "minimum": 0}, "rows": {"type": "array", "items": row},
    }, "一个领域的基层政务公开标准目录")
    return {"$schema": DRAFT, "$id": site_url + "api/schema/catalogue.schema.json",
            "title": "基层政务公开标准目录（api/catalogue.json）", **_object({
                "site": TEXT, "column": TEXT, "build_date": DAY,
                "levels": {"type": "array", "items": TEXT, "description": "公开层级的名称，按表头顺序"},
                "areas": {"type": "array", "items": area},
            })}


def _participation_schemas(site_url: str) -> dict[str, dict]:
    from .models import DECISION_PROCEDURES, DECISION_STATES, PROCEDURE_STATES

    body = _object({"name": TEXT, "url": _nullable(URL)}, "单位：名录中的名称和单位页面（没有页面时为 null）")
    doc = _nullable(_object({"id": ID, "title": TEXT, "url": URL}))
    feedback = _object({
        "published": {**DAY, "description": "反馈发布日期"},
        "received": {"type": "integer", "minimum": 0, "description": "收到意见（条）"},
        "adopted": {"type": "integer", "minimum": 0, "description": "采纳（条）"},
        "partly": {"type": "integer", "minimum": 0, "description": "部分采纳（条）"},
        "not_adopted": {"type": "integer", "minimum": 0, "description": "未采纳（条）"},
        "summary": {**TEXT, "description": "反馈说明（Markdown）"},
        "reasons": {**_nullable(TEXT), "description": "未采纳的理由（Markdown）"},
        "result": {**doc, "description": "形成的文件，尚未公开时为 null"},
    }, "意见反馈：采纳、部分采纳、未采纳之和等于收到的条数")
    consultation = _object({
        "id": ID, "title": TEXT, "url": URL, "issuers": {"type": "array", "items": body, "minItems": 1},
        "start": {**DAY, "description": "征集开始日期"}, "end": {**DAY, "description": "征集截止日期（含当天）"},
        "days": {"type": "integer", "minimum": 1, "description": "征集期的天数，首尾两天都算"},
        "normative": {"type": "boolean", "description": "草案是规范性文件"},
        "shorten_reason": _nullable(TEXT),
        "status": {"type": "string", "pattern": "^(未开始|征集中（(还剩 [0-9]+ 天|今天截止)）|已结束，待反馈|已反馈)$",
                   "description": "构建日期当天的状态"},
        "respond": _object({key: _nullable(TEXT) for key in ("email", "post", "phone", "in_person", "contact")},
                           "提出意见的方式（本栏目不在网上收集意见）"),
        "decision": _nullable(_object({"id": ID, "name": TEXT, "url": URL})),
        "feedback": {**_nullable(feedback), "description": "状态为“已反馈”时的意见采纳情况，否则为 null"},
        "sample": {"type": "boolean"},
    }, "一次意见征集")
    state = {"enum": list(PROCEDURE_STATES)}
    item = _object({
        "no": {"type": "integer", "minimum": 1}, "id": ID, "name": TEXT, "url": URL,
        "bodies": {"type": "array", "items": body, "minItems": 1, "description": "承办单位"},
        "basis": {**TEXT, "description": "决策依据"}, "planned": {**TEXT, "description": "计划完成时间"},
        "procedures": _object({key: state for key, _ in DECISION_PROCEDURES},
                              "五项决策程序的进展：" + "、".join(f"{k} {label}" for k, label in DECISION_PROCEDURES)),
        "state": {"enum": list(DECISION_STATES)},
        "consultations": {"type": "array", "items": _object({"id": ID, "title": TEXT, "status": TEXT, "url": URL})},
        "result": {**doc, "description": "决策文件，尚未公开时为 null"}, "note": _nullable(TEXT),
    }, "一个重大行政决策事项")
    return {
        "api/schema/consultations.schema.json": {
            "$schema": DRAFT, "$id": site_url + "api/schema/consultations.schema.json",
            "title": "意见征集（api/consultations.json）", **_object({
                "site": TEXT, "column": TEXT, "build_date": DAY,
                "consultations": {"type": "array", "items": consultation}})},
        "api/schema/decisions.schema.json": {
            "$schema": DRAFT, "$id": site_url + "api/schema/decisions.schema.json",
            "title": "重大行政决策事项目录（api/decisions.json）", **_object({
                "site": TEXT, "column": TEXT, "build_date": DAY,
                "procedures": _object({key: {"const": label} for key, label in DECISION_PROCEDURES}),
                "catalogues": {"type": "array", "items": _object({
                    "year": {"type": "integer"}, "title": TEXT, "published": DAY, "sample": {"type": "boolean"},
                    "url": URL, "items": {"type": "array", "items": item}})}})},
    }


def schema_files(site_url: str) -> dict[str, dict]:
    """The schema files under api/schema/, path → schema, for the site at `site_url`."""
    return {
        "api/schema/document.schema.json": document_schema(site_url),
        "api/schema/documents.schema.json": documents_schema(site_url),
        "api/schema/changes.schema.json": changes_schema(site_url),
        "api/schema/catalogue.schema.json": catalogue_schema(site_url),
        **_participation_schemas(site_url),
    }
