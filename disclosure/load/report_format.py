"""政府信息公开工作年度报告 in the format of 国办公开办函〔2021〕30号: the tables' rows and columns
with their official labels (copied character for character), the keys editors write them by, and
the reading of a report's three tables from YAML into figures, each checked where it is written.

The sums the format implies are checked here too, since they need only the file itself; the
checks across files (last year's report, the column's 规范性文件, the deadline) are in
model/reports.py."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .source import Mapping

PARTS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")

# --- 第二部分 ------------------------------------------------------------------------------------
# (key, label, the article group it stands under); the three count columns of the first group.
PROACTIVE_COLUMNS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
PROACTIVE_ROWS = (
    ("rules", "规章", "第二十条第（一）项"),
    ("normative", "行政规范性文件", "第二十条第（一）项"),
    ("licensing", "行政许可", "第二十条第（五）项"),
    ("penalty", "行政处罚", "第二十条第（六）项"),
    ("coercion", "行政强制", "第二十条第（六）项"),
    ("fees", "行政事业性收费", "第二十条第（八）项"),
)
PROACTIVE_GROUPS = (  # (heading, the column label, the rows under it)
    ("第二十条第（一）项", None, ("rules", "normative")),
    ("第二十条第（五）项", "本年处理决定数量", ("licensing",)),
    ("第二十条第（六）项", "本年处理决定数量", ("penalty", "coercion")),
    ("第二十条第（八）项", "本年收费金额（单位：万元）", ("fees",)),
)
DECISION_ROWS = ("licensing", "penalty", "coercion")  # one number each: 本年处理决定数量
MONEY_ROW = "fees"
DECISIONS = "decisions"  # the column key of a one-number row

# --- 第三部分 ------------------------------------------------------------------------------------
APPLICATION_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = (("natural", "自然人"), ("business", "商业企业"), ("research", "科研机构"),
              ("public_interest", "社会公益组织"), ("legal", "法律服务机构"), ("other", "其他"))
TOTAL = "total"
APPLICATION_COLUMNS = (*APPLICANTS, (TOTAL, "总计"))


@dataclass(frozen=True)
class Row:
    key: str  # "" for a group label, which has no numbers of its own
    label: str
    level: int  # 0: 一、二、三、四; 1: （一）…（七）; 2: 1. 2. …
    leaf: bool = False  # one of the 23 rows （七）总计 adds up


def _leaf(key, label):
    return Row(key, label, 2, True)


APPLICATION_ROWS = (
    Row("new", "一、本年新收政府信息公开申请数量", 0),
    Row("carried_over", "二、上年结转政府信息公开申请数量", 0),
    Row("", "三、本年度办理结果", 0),
    Row("granted", "（一）予以公开", 1, True),
    Row("partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, True),
    Row("", "（三）不予公开", 1),
    _leaf("secret", "1.属于国家秘密"),
    _leaf("prohibited", "2.其他法律行政法规禁止公开"),
    _leaf("security", "3.危及“三安全一稳定”"),
    _leaf("third_party", "4.保护第三方合法权益"),
    _leaf("internal", "5.属于三类内部事务信息"),
    _leaf("process", "6.属于四类过程性信息"),
    _leaf("enforcement", "7.属于行政执法案卷"),
    _leaf("inquiry", "8.属于行政查询事项"),
    Row("", "（四）无法提供", 1),
    _leaf("not_held", "1.本机关不掌握相关政府信息"),
    _leaf("needs_making", "2.没有现成信息需要另行制作"),
    _leaf("unclear", "3.补正后申请内容仍不明确"),
    Row("", "（五）不予处理", 1),
    _leaf("petition", "1.信访举报投诉类申请"),
    _leaf("repeated", "2.重复申请"),
    _leaf("publication", "3.要求提供公开出版物"),
    _leaf("excessive", "4.无正当理由大量反复申请"),
    _leaf("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    Row("", "（六）其他处理", 1),
    _leaf("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    _leaf("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    _leaf("other_handling", "3.其他"),
    Row("handled", "（七）总计", 1),
    Row("carried_forward", "四、结转下年度继续办理", 0),
)
APPLICATION_KEYS = tuple(row.key for row in APPLICATION_ROWS if row.key)
LEAVES = tuple(row.key for row in APPLICATION_ROWS if row.leaf)
HANDLED = "handled"

# --- 第四部分 ------------------------------------------------------------------------------------
OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
            (TOTAL, "总计"))
CASES = (("review", "行政复议"), ("direct_suit", "未经复议直接起诉"), ("suit_after_review", "复议后起诉"))

# Editors may write a column by its Chinese label too.
_ALIASES = {label: key for key, label in (*APPLICATION_COLUMNS, *OUTCOMES, *PROACTIVE_COLUMNS)}
_ALIASES["本年处理决定数量"] = DECISIONS
_ALIASES["本年收费金额"] = DECISIONS


@dataclass(frozen=True)
class Spot:
    """Where a message about a table goes, and how it names the cell."""

    line: int
    name: str


def cell_name(table: str, row: str, column: str) -> str:
    """A cell as an editor finds it: 第三部分“（一）予以公开”行“自然人”列."""
    if table == "proactive":
        row_label = dict((k, l) for k, l, _ in PROACTIVE_ROWS)[row]
        col_label = dict((*PROACTIVE_COLUMNS, (DECISIONS, "")))[column]
        return f"第二部分“{row_label}”" + (f"“{col_label}”" if col_label else "")
    if table == "applications":
        row_label = next(r.label for r in APPLICATION_ROWS if r.key == row)
        return f"第三部分“{row_label}”行“{dict(APPLICATION_COLUMNS)[column]}”列"
    return f"第四部分“{dict(CASES)[row]}”的“{dict(OUTCOMES)[column]}”"


class TableReader:
    """Reads the three tables of one report into figures {(table, row, column): (value, line)};
    values are int, or Decimal for the fee amount. `error(message, fix, line)` reports."""

    def __init__(self, error):
        self.error = error
        self.ok = True
        self.figures: dict[tuple[str, str, str], tuple[object, int]] = {}
        self.lines: dict[str, int] = {}  # table or (table, row) as "table/row" → its line

    def fail(self, message: str, fix: str, line: int) -> None:
        self.ok = False
        self.error(message, fix, line)

    # the tables ---------------------------------------------------------------------------------
    def proactive(self, raw, line: int) -> None:
        rows = self._mapping(raw, line, "proactive", "第二部分（主动公开政府信息情况）")
        if rows is None:
            return
        keys = [key for key, _, _ in PROACTIVE_ROWS]
        for row, value in rows.items():
            if not self._known(row, keys, rows.line_of(row), "第二部分的行",
                               [f"{k}（{l}）" for k, l, _ in PROACTIVE_ROWS]):
                continue
            at = rows.line_of(row)
            if row in DECISION_ROWS or row == MONEY_ROW:
                if isinstance(value, Mapping):
                    self.fail(f"第二部分“{row}”只有一个数，不应写成字段组", f"写成 {row}: 12", at)
                    continue
                self._cell("proactive", row, DECISIONS, value, at, money=row == MONEY_ROW)
                continue
            cells = self._mapping(value, at, row, f"第二部分“{row}”行")
            if cells is None:
                continue
            for column, number in cells.items():
                column_key = _ALIASES.get(column, column)
                if self._known(column_key, [k for k, _ in PROACTIVE_COLUMNS], cells.line_of(column),
                               f"第二部分“{row}”行的列", [f"{k}（{l}）" for k, l in PROACTIVE_COLUMNS], column):
                    self._cell("proactive", row, column_key, number, cells.line_of(column))

    def applications(self, raw, line: int) -> None:
        rows = self._mapping(raw, line, "applications", "第三部分（收到和处理政府信息公开申请情况）")
        if rows is None:
            return
        labels = {row.key: row.label for row in APPLICATION_ROWS if row.key}
        for row, value in rows.items():
            at = rows.line_of(row)
            self.lines[f"applications/{row}"] = at
            if not self._known(row, list(APPLICATION_KEYS), at, "第三部分的行",
                               [f"{k}（{v}）" for k, v in labels.items()]):
                continue
            cells = self._mapping(value, at, row, f"第三部分“{labels[row]}”行")
            if cells is None:
                continue
            self._columns("applications", row, cells, APPLICATION_COLUMNS, f"第三部分“{row}”行的列")

    def review_litigation(self, raw, line: int) -> None:
        groups = self._mapping(raw, line, "review_litigation", "第四部分（行政复议、行政诉讼情况）")
        if groups is None:
            return
        for group, value in groups.items():
            at = groups.line_of(group)
            if not self._known(group, [k for k, _ in CASES], at, "第四部分的项",
                               [f"{k}（{l}）" for k, l in CASES]):
                continue
            cells = self._mapping(value, at, group, f"第四部分“{dict(CASES)[group]}”")
            if cells is not None:
                self._columns("review_litigation", group, cells, OUTCOMES, f"第四部分“{group}”的列")

    # pieces -------------------------------------------------------------------------------------
    def _columns(self, table, row, cells: Mapping, columns, where: str) -> None:
        keys = [k for k, _ in columns]
        for column, number in cells.items():
            column_key = _ALIASES.get(column, column)
            if self._known(column_key, keys, cells.line_of(column), where,
                           [f"{k}（{l}）" for k, l in columns], column):
                if (table, row, column_key) in self.figures:
                    self.fail(f"{cell_name(table, row, column_key)}写了两次", "每列只写一次", cells.line_of(column))
                    continue
                self._cell(table, row, column_key, number, cells.line_of(column))

    def _mapping(self, raw, line: int, key: str, name: str) -> Mapping | None:
        self.lines.setdefault(key, line)
        if raw is None:
            return Mapping()
        if not isinstance(raw, Mapping):
            self.fail(f"{name}应是“键: 数”的字段组", f"写成 {key}: {{…}}，参照 python build.py new report 生成的模板", line)
            return None
        return raw

    def _known(self, key, valid: list[str], line: int, where: str, shown: list[str], written=None) -> bool:
        if key in valid:
            return True
        written = key if written is None else written
        close = difflib.get_close_matches(str(written), valid, n=1, cutoff=0.6)
        hint = f"是不是“{close[0]}”？" if close else ""
        self.fail(f"{where}没有“{written}”", hint + "可用的有：" + "、".join(shown), line)
        return False

    def _cell(self, table: str, row: str, column: str, raw, line: int, money: bool = False) -> None:
        name = cell_name(table, row, column)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return  # blank: 0, or computed (总计; the 规范性文件 row from the column's documents)
        if money:
            value = _amount(raw)
            if value is None:
                self.fail(f"{name}应是不小于 0 的金额（单位：万元），现在是“{_shown(raw)}”",
                          "只写数字，如 0 或 1.25，不写“万元”", line)
                return
        else:
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.fail(f"{name}应是整数，现在是“{_shown(raw)}”", "只写阿拉伯数字，如 0 或 12；没有就写 0", line)
                return
            if raw < 0:
                self.fail(f"{name}是负数（{raw}）", "件数不能小于 0，请核对", line)
                return
            value = raw
        self.figures[(table, row, column)] = (value, line)


def _shown(raw) -> str:
    return str(raw)[:40] if isinstance(raw, (str, int, float)) else "列表或字段组"


def _amount(raw) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > LARGEST_AMOUNT:
        return None
    return value


LARGEST_AMOUNT = Decimal(10) ** 12  # 万元: a typo or an exponent, not a year's fees


def number_text(value) -> str:
    """A figure as the page and exports print it: 12, 1.25 (never 1.2500 or 1E+1)."""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


@dataclass
class Filled:
    """A report's three tables with every cell: written, 0 where left blank, or computed."""

    cells: dict[tuple[str, str, str], object]
    computed: dict[tuple[str, str, str], str]  # cell → how it was computed (shown beside it)
    problems: list[tuple[int, str, str]]  # (line, message, fix)


COMPUTED_SUM = "合计自动计算"
COMPUTED_FROM_DOCUMENTS = "由本栏目文件统计"


def fill(figures: dict, lines: dict, table_line: int = 0) -> Filled:
    """Every cell of the three tables from the figures as written, with the sums the format
    implies checked: 总计 columns and rows add up, and per column 一 + 二 = 三（七）总计 + 四.
    A wrong 总计 is reported once and the correct sum used from then on, so one slip gives one message."""
    cells: dict = {}
    computed: dict = {}
    problems: list = []

    def given(key):
        found = figures.get(key)
        return None if found is None else found[0]

    def line_of(key, fallback=0):
        found = figures.get(key)
        return found[1] if found else fallback

    def total(key, parts: list, what: str):
        value = sum(cells[p] for p in parts)
        written = given(key)
        if written is None:
            computed[key] = COMPUTED_SUM
        elif written != value:
            shown = " + ".join(str(cells[p]) for p in parts)
            problems.append((line_of(key), f"{cell_name(*key)}写的是 {written}，但{what}是 {shown} = {value}",
                             "请核对各项数字；也可以不写总计，由系统自动合计"))
        cells[key] = value

    for row, _, _ in PROACTIVE_ROWS:
        columns = [DECISIONS] if row in DECISION_ROWS or row == MONEY_ROW else [k for k, _ in PROACTIVE_COLUMNS]
        for column in columns:
            key = ("proactive", row, column)
            cells[key] = given(key)  # None: left blank (the 规范性文件 row is then counted by model/reports.py)

    applicants = [k for k, _ in APPLICANTS]
    for row in APPLICATION_KEYS:
        if row == HANDLED:
            continue
        for column in applicants:
            cells[("applications", row, column)] = given(("applications", row, column)) or 0
    for column in applicants:
        total(("applications", HANDLED, column), [("applications", leaf, column) for leaf in LEAVES],
              f"第三部分“{column_label(column)}”列 23 个办理结果相加")
    for row in APPLICATION_KEYS:
        total(("applications", row, TOTAL), [("applications", row, c) for c in applicants],
              "本行六类申请人相加")
    for column, label in APPLICATION_COLUMNS:
        value = lambda row: cells[("applications", row, column)]  # noqa: E731
        left, right = value("new") + value("carried_over"), value(HANDLED) + value("carried_forward")
        if left != right:
            at = line_of(("applications", "carried_forward", column),
                         lines.get("applications/carried_forward", lines.get("applications", table_line)))
            problems.append((at, f"第三部分“{label}”列不平衡：一、本年新收（{value('new')}）加二、上年结转（{value('carried_over')}）"
                                 f"是 {left}，三、本年度办理结果（七）总计（{value(HANDLED)}）加四、结转下年度继续办理"
                                 f"（{value('carried_forward')}）是 {right}",
                             "按填报要求，第一项加第二项之和应等于第三项加第四项之和，请核对这一列"))

    for group, label in CASES:
        parts = [("review_litigation", group, k) for k, _ in OUTCOMES if k != TOTAL]
        for key in parts:
            cells[key] = given(key) or 0
        total(("review_litigation", group, TOTAL), parts, "结果维持、结果纠正、其他结果、尚未审结相加")
    return Filled(cells, computed, problems)


def column_label(column: str) -> str:
    return dict(APPLICATION_COLUMNS)[column]
