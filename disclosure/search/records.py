"""What each page contributes to the search index, built from the models (no HTML re-parsing).

A record carries the searchable text in three weights (the title and 发文字号 highest, the other
elements next, the body last), the fields a result shows, its filters and its date.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field

from ..model.classify import Site

TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")

KIND_DOCUMENT, KIND_INTERPRETATION, KIND_TASK, KIND_PAGE = "政策文件", "政策解读", "任务分解", "栏目页面"
KIND_GUIDE = "办事指南"  # the 依申请公开 guide and its application form
KIND_REPORT = "年度报告"  # 政府信息公开工作年度报告
MARKDOWN_MARKS = re.compile(r"\]\([^)]*\)|[*_`#>|\[\]]+")
KIND_CATALOGUE = "标准目录"  # 基层政务公开标准目录: each area's page and each of its 公开事项
KIND_CONSULTATION = "意见征集"
KIND_DECISION = "决策事项"  # 重大行政决策事项: each 事项's page


@dataclass
class Record:
    url: str  # site path without the base path
    title: str
    date: str  # YYYY-MM-DD, the sort key every record carries (shown unless show_date is False)
    kind: str
    headline: str = ""  # the elements shown under the title: 发文字号, 发布机构 …
    number: str = ""  # 发文字号 of the record itself: weighs as much as the title
    elements: str = ""  # other searchable metadata text
    text: str = ""  # body text
    filters: dict[str, list[str]] = field(default_factory=dict)
    show_date: bool = True
    indexed_title: str = ""  # what the title weighs as, when it differs from the title shown


def plain_text(fragment: str) -> str:
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", fragment))).strip()


def build_records(site: Site, body_html: dict) -> list[Record]:
    """Search records of every document, interpretation, task and column page, in a fixed order.

    `body_html` maps a content file to all the Markdown rendered from it (from the render stage)."""
    records: list[Record] = []
    for doc in site.documents:
        issuers = [b.name for b in doc.issuers]
        filters = {
            "类型": [KIND_DOCUMENT], "发布机构": issuers, "年份": [str(doc.year)],
            "主题": [doc.topic.top[0]], "有效性": [_validity_label(doc.status)], "公文种类": [doc.kind.name],
        }
        if doc.topic.parent_name:
            filters["二级主题"] = [doc.topic.label]
        headline = "　".join(x for x in (doc.doc_number, "、".join(issuers), _validity_label(doc.status)) if x)
        elements = " ".join([doc.index_no, *issuers, *[a for b in doc.issuers for a in b.aliases],
                             doc.topic.label, doc.kind.name, *doc.keywords])
        records.append(Record(doc.url, doc.title, doc.published.isoformat(), KIND_DOCUMENT, headline,
                              doc.doc_number, elements, plain_text(body_html.get(doc.path, "")), filters))
    for item in sorted(site.content.interpretations, key=lambda i: (i.published, i.id)):
        if item.document is None:
            continue
        issuers = [b.name for b in item.issuers]
        questions = " ".join(pair.question for pair in item.qa)
        text = plain_text(body_html.get(item.path, "")) + " " + questions
        records.append(Record(
            item.url, item.title, item.published.isoformat(), KIND_INTERPRETATION,
            "　".join([item.form, "、".join(issuers)]), "",
            " ".join([item.form, *issuers, item.document.title, item.document.doc_number, *item.keywords]),
            text.strip(),
            {"类型": [KIND_INTERPRETATION], "发布机构": issuers, "年份": [str(item.published.year)],
             "主题": [item.document.topic.top[0]]},
        ))
    for table in site.task_tables:
        plan = table.document
        for task in table.tasks:
            names = sorted({u.organisation.name for u in task.units} | {u.written for u in task.units})
            records.append(Record(
                task.url, f"{table.title} 第{task.no}项：{task.item}", plan.published.isoformat(), KIND_TASK,
                "　".join(["责任单位：" + "、".join(u.organisation.name for u in task.units), "完成时限：" + task.deadline]), "",
                " ".join([*names, task.deadline]),
                # The table's title and area repeat on every task: body weight, so that the plan
                # document itself, not seventy tasks, leads a search for the plan's subject.
                f"{task.requirement} {task.area} {table.title}",
                {"类型": [KIND_TASK], "发布机构": sorted({u.organisation.name for u in task.units}),
                 "年份": [str(plan.year)], "主题": [plan.topic.top[0]]},
                indexed_title=f"第{task.no}项 {task.item}",
            ))
    for page in sorted(site.content.pages, key=lambda p: (p.order, p.id)):
        # Column pages without an update date sort last rather than drop out of date-sorted results.
        date = page.updated.isoformat() if page.updated else "0000-00-00"
        records.append(Record(page.url, page.title, date, KIND_PAGE, page.description, "", page.description,
                              plain_text(body_html.get(page.path, "")), {"类型": [KIND_PAGE]},
                              show_date=page.updated is not None))
    records += _apply_records(site)
    for series in site.reports:
        for view in series.reports:
            report = view.report
            # The prose parts as written: Markdown marks dropped, which is all the index needs of them.
            text = MARKDOWN_MARKS.sub(" ", " ".join((report.overview, report.problems, report.other)))
            records.append(Record(report.url, report.title, report.published.isoformat(), KIND_REPORT,
                                  f"{report.issuer.name}　{report.year}年度", "",
                                  " ".join([report.issuer.name, *report.issuer.aliases, f"{report.year}年", "年报"]),
                                  SPACE.sub(" ", text).strip(),
                                  {"类型": [KIND_REPORT], "发布机构": [report.issuer.name], "年份": [str(report.year)]}))
    records += _catalogue_records(site)
    records += _participation_records(site)
    return records


def _plain_markdown(*texts: str) -> str:
    return SPACE.sub(" ", MARKDOWN_MARKS.sub(" ", " ".join(t for t in texts if t))).strip()


def _participation_records(site: Site) -> list[Record]:
    """意见征集 (dated by the window's start, their state on the build date in the headline) and
    重大行政决策事项 (dated by their 目录's publication)."""
    records = []
    for c in site.participation.consultations:
        names = [o.name for o in c.issuers]
        feedback = c.feedback if c.status == "已反馈" else None
        records.append(Record(
            c.url, c.title, c.start.isoformat(), KIND_CONSULTATION,
            "　".join(["、".join(names), f"征集期 {c.start} 至 {c.end}", c.status]), "",
            " ".join([*names, "征求意见", c.status]),  # aliases: the search's synonyms already expand them
            _plain_markdown(c.explanation, c.background, c.body, feedback.summary if feedback else "",
                            feedback.reasons if feedback else ""),
            {"类型": [KIND_CONSULTATION], "发布机构": names, "年份": [str(c.year)]}))
    for catalogue in site.participation.decisions:
        for item in catalogue.items:
            names = [o.name for o in item.bodies]
            records.append(Record(
                item.url, item.name, catalogue.published.isoformat(), KIND_DECISION,
                "　".join([f"承办单位：{'、'.join(names)}", f"计划完成时间：{item.planned}", item.state]), "",
                # The 承办单位 weighs as text: a 事项 is found by its name, and a body's own documents and
                # tasks come first when its name is searched.
                " ".join(["重大行政决策", item.basis, item.state]), " ".join([*names, item.note]),
                {"类型": [KIND_DECISION], "发布机构": names, "年份": [str(catalogue.year)]}))
    return records


def _catalogue_records(site: Site) -> list[Record]:
    """The 标准目录 has no dates: its records sort last by date, and show none."""
    records = []
    for area in site.catalogue:
        title = f"{area.name}领域基层政务公开标准目录"
        headline = f"{len(area.rows)} 项公开事项" if area.rows else "本领域目录正在编制"
        records.append(Record(area.url, title, "0000-00-00", KIND_CATALOGUE, headline, "",
                              " ".join(x for x in (area.name, area.guideline) if x), "",
                              {"类型": [KIND_CATALOGUE]}, show_date=False))
        for row in area.rows:
            names = [unit.organisation.name for unit in row.bodies]
            records.append(Record(
                row.url, f"{area.name} 第{row.no}项：{row.item}　{row.subitem}", "0000-00-00", KIND_CATALOGUE,
                "　".join(["公开主体：" + "、".join(names), "公开时限：" + row.time_limit]), "",
                " ".join([*names, *(u.written for u in row.bodies if u.written not in names), row.time_limit,
                          *row.channels, *row.audience, *row.manner, *row.levels]),
                f"{row.elements} {row.basis} {title}",
                {"类型": [KIND_CATALOGUE], "发布机构": sorted(set(names))},
                show_date=False, indexed_title=f"{row.item} {row.subitem}"))
    return records


def _apply_records(site: Site) -> list[Record]:
    """The 依申请公开 guide and form, from what they show: the 条例's limits and config's 受理机构."""
    from ..model.apply_guide import apply_guide

    options = site.config.apply
    if options is None:
        return []
    guide = apply_guide(site.build_date)
    offices = [desk.office for desk in options.desks]
    contacts = " ".join(dict.fromkeys(
        part for office in [options.office, *offices]
        for part in (office.name, office.address, office.postal_address, office.phone, office.email) if part))
    bodies = " ".join(desk.body.name for desk in options.desks)
    limits = " ".join(f"{limit.step} {limit.rule} 《条例》{limit.basis}" for limit in guide.limits)
    receipt = " ".join(f"{how} {day}" for how, day in guide.receipt_days)
    # Undated: what they say does not age like a document; they sort last by date, as column pages do.
    return [
        Record("/apply/", "依申请公开指南", "0000-00-00", KIND_GUIDE, "怎样申请公开政府信息：受理机构、办理时限、答复和救济",
               "", f"依申请公开 政府信息公开申请 受理机构 {bodies}",
               f"{limits} {receipt} {' '.join(guide.answers)} 行政复议 行政诉讼 {contacts}",
               {"类型": [KIND_GUIDE]}, show_date=False),
        Record("/apply/form/", "政府信息公开申请表", "0000-00-00", KIND_GUIDE, "可在线填写后打印，或打印后手写",
               "", "政府信息公开申请表 依申请公开 申请书 打印",
               "申请人信息 公民 法人或其他组织 所需信息的内容描述 名称、文号或其他特征描述 索引号 载体形式 获取信息的方式 "
               f"申请人签名或者盖章 申请时间 {contacts}",
               {"类型": [KIND_GUIDE]}, show_date=False),
    ]


def _validity_label(status: str) -> str:
    return {"有效": "现行有效", "失效": "已失效", "废止": "已废止"}[status]


def records_digest(records: list[Record], base_path: str) -> str:
    """A digest of the content the search index is made from (the build adds its code fingerprint,
    which covers the writer and the fold table's OpenCC data, to make the index's cache key)."""
    from .assets import VENDOR

    # The shipped Pagefind files are part of the index.
    digest = hashlib.sha256(base_path.encode())
    digest.update((VENDOR / "SHA256SUMS").read_bytes())
    for record in records:
        digest.update(repr(record).encode("utf-8"))
    return digest.hexdigest()
