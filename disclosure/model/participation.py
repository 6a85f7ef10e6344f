"""公众参与 across files and over time: the comment window's minimum (30 days, or 7 working days
for a 规范性文件 draft, counted with the project's working-day calendar), the links between
consultations, 决策事项 and documents, each consultation's state on the build date, and the
warning for a consultation that closed long ago and never reported back.

The state on the build date is written on each consultation (`status`) by classify, before the
site is frozen, so that every page, feed and export that shows it reads the same text and an
output's `reads` (render/plan.py) change when it changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..errors import Problems, display_path
from ..load.models import (ANSWERED, AWAITING, CONSULTATION_MIN_DAYS, CONSULTATION_STATES, DECIDED,
                           NORMATIVE_MIN_WORKDAYS, OPEN, Consultation, Content, DecisionCatalogue, DecisionItem,
                           Document, Model, consultation_label)
from ..load.participation import UNLOADED_DECISIONS
from .workdays import working_days_between


def check_participation(content: Content, problems: Problems) -> None:
    """The rules that need the calendar or other files (validate.py calls this)."""
    documents = {doc.id for doc in content.documents} | content.unloaded
    items: dict[str, DecisionItem] = {}
    for catalogue in content.decisions:
        for item in catalogue.items:
            if item.id in items:
                problems.add(catalogue.path, item.line, f"事项代码“{item.id}”与 {display_path(items[item.id].in_catalogue.path)} "
                             f"第 {items[item.id].no} 项重复", "每个决策事项的 id 在各年度目录中只能用一次；跨年度延续的事项沿用原来的 id，只在一个年度目录中列出")
                continue
            items[item.id] = item
            if item.result and item.result not in documents:
                problems.add(catalogue.path, item.result_line, f"第 {item.no} 项决策事项（{item.name}）的决策文件“{item.result}”不存在",
                             "result 写 content/documents/ 中文件的文件名（不带 .md），文件发布后再填写")
            if item.state == DECIDED and not item.result:
                problems.warn(catalogue.path, item.line, f"第 {item.no} 项决策事项（{item.name}）标为“已决策”，但没有写决策文件",
                              "在这一项下写 result: 决策文件的文件名；文件尚未公开的，先把 state 写成 推进中")
    for consultation in content.consultations:
        _window(consultation, problems)
        line = consultation.lines.get
        if consultation.decision and consultation.decision not in items and UNLOADED_DECISIONS not in content.unloaded:
            problems.add(consultation.path, line("decision", 0), f"相关决策事项“{consultation.decision}”不存在",
                         "decision 写 content/decisions/ 中某一年度目录里事项的 id；不属于重大行政决策事项的，删去这一行")
        feedback = consultation.feedback
        if feedback and feedback.result and feedback.result not in documents:
            problems.add(consultation.path, feedback.line, f"意见反馈中形成的文件“{feedback.result}”不存在",
                         "result 写 content/documents/ 中文件的文件名（不带 .md）；文件尚未印发的，先删去这一行")


def _window(consultation: Consultation, problems: Problems) -> None:
    """第十五条: the period is 一般不少于30日; shorter needs its reason published with it. A 规范性文件
    draft needs 7 working days (国办发〔2018〕37号)."""
    if consultation.shorten_reason or consultation.end < consultation.start:
        return
    line = consultation.lines.get("end", 0)
    fix = "把 end 推后；确需缩短的，写 shorten_reason: 缩短的理由（会在页面上公开）"
    if consultation.normative:
        days, exact = working_days_between(consultation.start - timedelta(days=1), consultation.end)
        if days < NORMATIVE_MIN_WORKDAYS:
            counted = "" if exact else "（日历之外的年份按周一至周五计）"
            problems.add(consultation.path, line,
                         f"规范性文件草案的征集期只有 {days} 个工作日{counted}（{consultation.start} 至 {consultation.end}），"
                         f"少于 {NORMATIVE_MIN_WORKDAYS} 个工作日", fix)
    elif consultation.days < CONSULTATION_MIN_DAYS:
        problems.add(consultation.path, line, f"征集期只有 {consultation.days} 天（{consultation.start} 至 {consultation.end}），"
                     f"少于 {CONSULTATION_MIN_DAYS} 天", fix)


def late_feedback(consultations: list[Consultation], today: date, days: int, problems: Problems) -> None:
    """A consultation closed more than `days` ago without its feedback published: a warning that
    names it (the column promised to report back)."""
    for consultation in consultations:
        state, _ = consultation.state_on(today)
        if state == AWAITING and (today - consultation.end).days > days:
            problems.warn(consultation.path, consultation.lines.get("end", 0),
                          f"意见征集“{consultation.title}”已于 {consultation.end} 结束 {(today - consultation.end).days} 天，"
                          f"超过 {days} 天仍未发布意见反馈",
                          "在文件中写 feedback:（收到、采纳、部分采纳、未采纳的条数，未采纳的理由和说明）；"
                          "期限在 config.yaml 的 participation.feedback_days 设置")


@dataclass
class Step(Model):
    """One event of a 决策事项's trail, in date order."""

    day: date
    what: str  # 列入目录, 公开征求意见, 征求意见结束, 意见反馈, 决策文件
    title: str
    url: str = ""
    note: str = ""


@dataclass
class Participation(Model):
    """Consultations and 决策事项 as the site shows them on the build date."""

    consultations: list[Consultation] = field(default_factory=list)  # newest window first
    decisions: list[DecisionCatalogue] = field(default_factory=list)  # newest year first
    items: dict = field(default_factory=dict)  # 事项 id → DecisionItem
    of_item: dict = field(default_factory=dict)  # 事项 id → its consultations, oldest first
    of_document: dict = field(default_factory=dict)  # document id → consultations whose feedback names it
    item_of_document: dict = field(default_factory=dict)  # document id → 决策事项 it records
    documents: dict = field(default_factory=dict)  # id → public document, for the links shown

    @property
    def open(self) -> list[Consultation]:
        """Open consultations, the one closing first first (what the home page lists)."""
        return sorted((c for c in self.consultations if c.status.startswith(OPEN)), key=lambda c: (c.end, c.id))

    def by_year(self) -> list[tuple[int, list[tuple[str, list[Consultation]]]]]:
        years: dict[int, list[Consultation]] = {}
        for consultation in self.consultations:
            years.setdefault(consultation.year, []).append(consultation)
        return [(year, [(state, [c for c in items if _state(c) == state]) for state in CONSULTATION_STATES
                        if any(_state(c) == state for c in items)])
                for year, items in sorted(years.items(), reverse=True)]

    def document(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def item(self, item_id: str) -> DecisionItem | None:
        return self.items.get(item_id)

    def trail(self, item: DecisionItem) -> list[Step]:
        """Everything about a 事项 in date order: the 目录 listing it, each consultation's window and
        feedback, and the document that records the decision (the 超链接 trail of the seed's task 38)."""
        catalogue = item.in_catalogue
        steps = [Step(catalogue.published, "列入目录", catalogue.title, catalogue.url + f"#{item.id}")]
        for consultation in self.of_item.get(item.id, []):
            steps.append(Step(consultation.start, "公开征求意见", consultation.title, consultation.url,
                              f"征集期 {consultation.start} 至 {consultation.end}"))
            if consultation.status in (AWAITING, ANSWERED):  # a window still open has not ended yet
                steps.append(Step(consultation.end, "征求意见结束", consultation.title, consultation.url,
                                  consultation.status))
            feedback = consultation.feedback
            if feedback and consultation.status == ANSWERED:
                steps.append(Step(feedback.published, "意见反馈", consultation.title, consultation.url + "#feedback",
                                  f"收到 {feedback.received} 条，采纳 {feedback.adopted} 条，部分采纳 {feedback.partly} 条，"
                                  f"未采纳 {feedback.not_adopted} 条"))
        result = self.document(item.result) if item.result else None
        if result is not None:
            steps.append(Step(result.published, "决策文件", result.title, result.url, result.doc_number))
        for consultation in self.of_item.get(item.id, []):  # what a draft became, when not the decision itself
            feedback = consultation.feedback
            made = self.document(feedback.result) if feedback and feedback.result and consultation.status == ANSWERED else None
            if made is not None and made is not result:
                steps.append(Step(made.published, "形成的文件", made.title, made.url, made.doc_number))
        order = {"列入目录": 0, "公开征求意见": 1, "征求意见结束": 2, "意见反馈": 3, "形成的文件": 4, "决策文件": 5}
        return sorted(steps, key=lambda s: (s.day, order[s.what]))

    def shown(self, consultation: Consultation) -> str:
        """What a list shows of a consultation (compared by the pages that list it)."""
        return f"{consultation.url}\x1f{consultation.listed_digest}\x1f{consultation.status}"


def _state(consultation: Consultation) -> str:
    return next(state for state in CONSULTATION_STATES if consultation.status.startswith(state))


def participation_view(content: Content, documents: list[Document], today: date) -> Participation:
    """Sets each consultation's `status` for `today` (before the site is frozen) and gathers the links."""
    for consultation in content.consultations:
        consultation.status = consultation_label(*consultation.state_on(today))
    public = {doc.id: doc for doc in documents}
    view = Participation(
        consultations=sorted(content.consultations, key=lambda c: (-c.start.toordinal(), c.id)),
        decisions=sorted(content.decisions, key=lambda d: (-d.year, d.id)),
        documents=public)
    for catalogue in view.decisions:
        for item in catalogue.items:
            view.items.setdefault(item.id, item)
            if item.result in public:
                view.item_of_document.setdefault(item.result, item)
    for consultation in sorted(content.consultations, key=lambda c: (c.start, c.id)):
        if consultation.decision in view.items:
            view.of_item.setdefault(consultation.decision, []).append(consultation)
        feedback = consultation.feedback
        if feedback and feedback.result in public and consultation.status == ANSWERED:
            view.of_document.setdefault(feedback.result, []).append(consultation)
    return view
