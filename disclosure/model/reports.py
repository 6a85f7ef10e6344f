"""政府信息公开工作年度报告 across files: this year's 上年结转 against last year's 结转下年度继续办理,
the 规范性文件 row against the column's own 规范性文件 (shelved like model/normative.py: by lead
issuer and year), and the publication deadline of 条例 第四十九条. Then each report's tables with
every cell, written or computed, for its page, the exports and the year-on-year chart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..errors import Problems, display_path
from ..load.models import EXPIRED, REPEALED, Content, Document, Model, Report
from ..load.report_format import (APPLICATION_COLUMNS, COMPUTED_FROM_DOCUMENTS, HANDLED, MONEY_ROW, TOTAL,
                                  cell_name, fill, number_text)

DEPARTMENT_DEADLINE = (1, 31)  # 条例 第四十九条: 县级以上人民政府部门, by 1月31日 of the next year
GOVERNMENT_DEADLINE = (3, 31)  # 县级以上地方人民政府, by 3月31日
COUNTED = ("issued", "repealed", "in_force")


@dataclass(frozen=True)
class Cell:
    text: str  # the number as printed
    note: str = ""  # how it was computed, shown beside it; "" when the report states it


@dataclass
class ReportView(Model):
    """A report with every cell of its tables, and its neighbours in its issuer's series."""

    report: Report
    cells: dict  # (table, row, column) → Cell
    previous: Report | None = None
    following: Report | None = None

    def cell(self, table: str, row: str, column: str) -> Cell:
        return self.cells[(table, row, column)]

    def value(self, table: str, row: str, column: str):
        text = self.cells[(table, row, column)].text
        return Decimal(text) if "." in text else int(text)

    @property
    def has_computed(self) -> bool:
        return any(cell.note for cell in self.cells.values())

    @property
    def summary(self) -> tuple:
        """The figures the year-on-year chart shows: received (一 + 二), handled (（七）总计),
        行政复议 and 行政诉讼 (both kinds) totals."""
        value = lambda *key: self.value(*key)  # noqa: E731
        return (value("applications", "new", TOTAL) + value("applications", "carried_over", TOTAL),
                value("applications", HANDLED, TOTAL),
                value("review_litigation", "review", TOTAL),
                value("review_litigation", "direct_suit", TOTAL) + value("review_litigation", "suit_after_review", TOTAL))


@dataclass
class ReportSeries(Model):
    """One issuer's reports, oldest first (the chart reads left to right)."""

    organisation: object
    reports: list[ReportView] = field(default_factory=list)


def figures_of(report: Report) -> dict:
    return {(f.part, f.row, f.column): (Decimal(f.value) if f.row == MONEY_ROW else int(f.value), f.line)
            for f in report.figures}


def _line(report: Report, key: tuple, *fallbacks: str) -> int:
    for figure in report.figures:
        if (figure.part, figure.row, figure.column) == key:
            return figure.line
    return next((report.lines[name] for name in fallbacks if name in report.lines), 0)


# --- the column's 规范性文件 ----------------------------------------------------------------------

def _ends(documents: list[Document], replacers: dict[int, list[Document]]) -> dict[int, date | None]:
    """The day each 规范性文件 stopped being in force (None: it has not, or its file does not say when)."""
    ends = {}
    for doc in documents:
        end = None
        if doc.repealed:
            end = doc.repealed
        elif replacers.get(id(doc)):
            end = replacers[id(doc)][0].effective
        elif doc.expires:
            end = doc.expires + timedelta(days=1)
        ends[id(doc)] = end
    return ends


def normative_counts(documents: list[Document], replacers: dict[int, list[Document]], slug: str, year: int) -> dict:
    """本年制发 / 本年废止 / 现行有效 of one lead issuer's 规范性文件 in a year, as the column holds them.
    A document declared 失效 or 废止 without a date is counted as issued, never as in force."""
    mine = [d for d in documents if d.normative and d.issuers and d.issuers[0].slug == slug]
    ends = _ends(mine, replacers)
    year_end = date(year, 12, 31)
    issued = [d for d in mine if d.published.year == year]
    repealed = [d for d in mine if ends[id(d)] is not None and ends[id(d)].year == year]
    in_force = [d for d in mine if d.published <= year_end
                and (ends[id(d)] > year_end if ends[id(d)] is not None else d.validity not in (REPEALED, EXPIRED))]
    return {"issued": len(issued), "repealed": len(repealed), "in_force": len(in_force)}


# --- checks across files -------------------------------------------------------------------------

def check_reports(content: Content, replacers: dict[int, list[Document]], problems: Problems) -> None:
    by_key = {(r.issuer.slug, r.year): r for r in content.reports}
    for report in content.reports:
        _carried_over(report, by_key.get((report.issuer.slug, report.year - 1)), problems)
        _normative(report, content.documents, replacers, problems)
        _deadline(report, problems)


def _carried_over(report: Report, last: Report | None, problems: Problems) -> None:
    if last is None:
        return
    this, before = fill(figures_of(report), report.lines).cells, fill(figures_of(last), last.lines).cells
    wrong = [(label, this[("applications", "carried_over", key)], before[("applications", "carried_forward", key)])
             for key, label in APPLICATION_COLUMNS
             if this[("applications", "carried_over", key)] != before[("applications", "carried_forward", key)]]
    if not wrong:
        return
    shown = "、".join(f"{label} {mine} ≠ {theirs}" for label, mine, theirs in wrong)
    first = next(key for key, label in APPLICATION_COLUMNS if label == wrong[0][0])
    line = _line(report, ("applications", "carried_over", first), "applications/carried_over", "applications")
    problems.add(report.path, line,
                 f"第三部分“二、上年结转政府信息公开申请数量”与上年报告 {display_path(last.path)} 的"
                 f"“四、结转下年度继续办理”不一致：{shown}",
                 f"本年的上年结转应等于上年的结转下年度继续办理；请核对本文件，或上年报告 {display_path(last.path)} "
                 f"第 {last.lines.get('applications/carried_forward', last.lines.get('applications', 0))} 行")


def _normative(report: Report, documents: list[Document], replacers, problems: Problems) -> None:
    counted = normative_counts(documents, replacers, report.issuer.slug, report.year)
    figures = figures_of(report)
    for column in COUNTED:
        written = figures.get(("proactive", "normative", column))
        if written is None or written[0] == counted[column]:
            continue
        problems.add(report.path, written[1],
                     f"{cell_name('proactive', 'normative', column)}写的是 {written[0]}，但本栏目中{report.issuer.name}"
                     f"（作为第一发布机构）{_what(column, report.year)}的规范性文件是 {counted[column]} 件",
                     "请核对：数字有误就改正；本栏目缺了文件就补上文件（是否规范性文件写 normative: true）；"
                     "也可以不写这一格，由本栏目文件统计")


def _what(column: str, year: int) -> str:
    return {"issued": f"{year}年发布", "repealed": f"{year}年废止、失效",
            "in_force": f"{year}年12月31日现行有效"}[column]


def deadline(report: Report) -> date:
    month, day = GOVERNMENT_DEADLINE if report.issuer.type == "government" else DEPARTMENT_DEADLINE
    return date(report.year + 1, month, day)


def _deadline(report: Report, problems: Problems) -> None:
    due = deadline(report)
    if report.published <= due:
        return
    who = "县级以上地方人民政府" if report.issuer.type == "government" else "政府部门（含街道办事处等单位）"
    problems.warn(report.path, report.lines.get("published", 0),
                  f"年度报告发布日期 {report.published} 晚于法定期限 {due.year}年{due.month}月{due.day}日"
                  f"（条例第四十九条：{who}的上一年度报告应在每年{due.month}月{due.day}日前公布）",
                  "请核对发布日期；确实迟发的，在“六、其他需要报告的事项”中说明原因")


# --- the views -----------------------------------------------------------------------------------

def report_views(content: Content, replacers: dict[int, list[Document]], today: date, config) -> list[ReportSeries]:
    """Each issuer's published reports (not those dated after the build date), issuers in config order."""
    series: dict[str, list[ReportView]] = defaultdict(list)
    for report in sorted(content.reports, key=lambda r: (r.year, r.id)):
        if report.published > today:
            continue
        filled = fill(figures_of(report), report.lines)
        cells = {key: Cell("" if value is None else number_text(value), filled.computed.get(key, ""))
                 for key, value in filled.cells.items()}
        counted = normative_counts(content.documents, replacers, report.issuer.slug, report.year)
        for column in COUNTED:
            key = ("proactive", "normative", column)
            if filled.cells[key] is None:
                cells[key] = Cell(str(counted[column]), COMPUTED_FROM_DOCUMENTS)
        for key, value in filled.cells.items():
            if value is None and key not in (("proactive", "normative", c) for c in COUNTED):
                cells[key] = Cell("0")
        series[report.issuer.slug].append(ReportView(report, cells))
    found = []
    for slug, views in series.items():
        for before, after in zip(views, views[1:]):
            if after.report.year == before.report.year + 1:
                before.following, after.previous = after.report, before.report
        found.append(ReportSeries(views[0].report.issuer, views))
    order = {organisation.slug: index for index, organisation in enumerate(config.organisations)}
    return sorted(found, key=lambda s: (order.get(s.organisation.slug, len(order)), s.organisation.slug))

