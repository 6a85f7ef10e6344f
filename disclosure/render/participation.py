"""意见征集 and the 重大行政决策事项目录 as data for other systems: api/consultations.json and .csv,
api/decisions.json and .csv (docs/exports.md; schemas in load/schema.py). A consultation's state
is the one on the build date, which each file names."""

from __future__ import annotations

from ..load.models import ANSWERED, DECISION_PROCEDURES
from ..model.classify import Site
from .exports import _absolute, csv_bytes, to_json

CONSULTATION_CSV = ["编号", "标题", "征集单位", "征集开始日期", "征集截止日期", "征集天数", "是否规范性文件草案", "缩短理由",
                    "状态", "相关决策事项", "反馈发布日期", "收到意见", "采纳", "部分采纳", "未采纳", "形成的文件", "示例", "URL"]
DECISION_CSV = ["目录年度", "序号", "事项代码", "事项名称", "承办单位", "决策依据", "计划完成时间",
                *(label for _, label in DECISION_PROCEDURES), "事项状态", "意见征集", "决策文件", "备注", "示例", "URL"]


def _bodies(site: Site, organisations) -> list[dict]:
    return [{"name": o.name, "url": _absolute(site, f"/bodies/{o.slug}/") if site.has_organisation_page(o) else None}
            for o in organisations]


def _result(site: Site, doc_id: str) -> dict | None:
    doc = site.participation.document(doc_id) if doc_id else None
    return {"id": doc.id, "title": doc.title, "url": _absolute(site, doc.url)} if doc else None


def _consultation(site: Site, c) -> dict:
    feedback = c.feedback if c.status == ANSWERED else None
    item = site.participation.item(c.decision) if c.decision else None
    return {
        "id": c.id, "title": c.title, "url": _absolute(site, c.url), "issuers": _bodies(site, c.issuers),
        "start": c.start.isoformat(), "end": c.end.isoformat(), "days": c.days, "normative": c.normative,
        "shorten_reason": c.shorten_reason or None, "status": c.status,
        "respond": {"email": c.email or None, "post": c.post or None, "phone": c.phone or None,
                    "in_person": c.in_person or None, "contact": c.contact or None},
        "decision": {"id": item.id, "name": item.name, "url": _absolute(site, item.url)} if item else None,
        "feedback": {"published": feedback.published.isoformat(), "received": feedback.received,
                     "adopted": feedback.adopted, "partly": feedback.partly, "not_adopted": feedback.not_adopted,
                     "summary": feedback.summary, "reasons": feedback.reasons or None,
                     "result": _result(site, feedback.result)} if feedback else None,
        "sample": c.sample,
    }


def consultations_json(site: Site) -> bytes:
    return to_json({"site": site.config.site.name, "column": site.config.site.column,
                    "build_date": site.build_date.isoformat(),
                    "consultations": [_consultation(site, c) for c in site.participation.consultations]})


def consultations_csv(site: Site) -> bytes:
    rows = [CONSULTATION_CSV]
    for c in site.participation.consultations:
        record = _consultation(site, c)
        f = record["feedback"] or {}
        result = f.get("result") or {}
        rows.append([c.id, c.title, "、".join(o.name for o in c.issuers), record["start"], record["end"], c.days,
                     "是" if c.normative else "否", c.shorten_reason, c.status,
                     record["decision"]["name"] if record["decision"] else "", f.get("published", ""),
                     *(f.get(key, "") for key in ("received", "adopted", "partly", "not_adopted")),
                     result.get("url", ""), "是" if c.sample else "否", record["url"]])
    return csv_bytes(rows)


def _item(site: Site, item) -> dict:
    view = site.participation
    return {
        "no": item.no, "id": item.id, "name": item.name, "url": _absolute(site, item.url),
        "bodies": _bodies(site, item.bodies), "basis": item.basis, "planned": item.planned,
        "procedures": {key: state for (key, _), state in zip(DECISION_PROCEDURES, item.procedures)},
        "state": item.state,
        "consultations": [{"id": c.id, "title": c.title, "status": c.status, "url": _absolute(site, c.url)}
                          for c in view.of_item.get(item.id, [])],
        "result": _result(site, item.result), "note": item.note or None,
    }


def decisions_json(site: Site) -> bytes:
    return to_json({"site": site.config.site.name, "column": site.config.site.column,
                    "build_date": site.build_date.isoformat(),
                    "procedures": {key: label for key, label in DECISION_PROCEDURES},
                    "catalogues": [{"year": c.year, "title": c.title, "published": c.published.isoformat(),
                                    "sample": c.sample, "url": _absolute(site, c.url),
                                    "items": [_item(site, item) for item in c.items]}
                                   for c in site.participation.decisions]})


def decisions_csv(site: Site) -> bytes:
    rows = [DECISION_CSV]
    for catalogue in site.participation.decisions:
        for item in catalogue.items:
            record = _item(site, item)
            rows.append([catalogue.year, item.no, item.id, item.name, "、".join(o.name for o in item.bodies), item.basis,
                         item.planned, *item.procedures, item.state,
                         " ".join(c["url"] for c in record["consultations"]),
                         (record["result"] or {}).get("url", ""), item.note, "是" if catalogue.sample else "否",
                         record["url"]])
    return csv_bytes(rows)
