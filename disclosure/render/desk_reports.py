"""The editing desk's 政府信息公开工作年度报告 collection: its three tables generated from
load/report_format.py, and its file name."""

from __future__ import annotations

from ..load import loader
from ..load.config import Config
from ..load.report_format import (APPLICATION_COLUMNS, APPLICATION_ROWS, CASES, DECISION_ROWS, MONEY_ROW, OUTCOMES,
                                  PROACTIVE_COLUMNS, PROACTIVE_GROUPS, PROACTIVE_ROWS, TOTAL)
from .desk_form import HINTS, _boolean, _date, _field


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

