"""政府信息公开工作年度报告: the pages' table layout, the year-on-year chart (SVG drawn at build
time, no script) and the exports api/reports.json and api/reports.csv."""

from __future__ import annotations

from html import escape

from ..load.report_format import (APPLICANTS, APPLICATION_COLUMNS, APPLICATION_CORNER, APPLICATION_ROWS, CASES,
                                  DECISIONS, OUTCOMES, PARTS, PROACTIVE_COLUMNS, PROACTIVE_GROUPS, PROACTIVE_ROWS)
from ..model.classify import Site
from .exports import csv_bytes, to_json

SERIES = (("received", "收到申请", "收"), ("handled", "办理完结", "结"), ("review", "行政复议", "复"),
          ("suits", "行政诉讼", "诉"))
_PARTS_OF = {"proactive": "第二部分", "applications": "第三部分", "review_litigation": "第四部分"}


def application_rows() -> list[tuple]:
    """第三部分's 25 rows, each with the header cells that start on it: (label, scope, rowspan,
    colspan), merged as the format lays them out (三、 and （三）–（六） span the rows under them)."""
    keyed = [row for row in APPLICATION_ROWS if row.key]
    rows, top, middle = [], None, None
    for index, row in enumerate(APPLICATION_ROWS):
        if not row.key:
            under = 0
            for later in APPLICATION_ROWS[index + 1:]:
                if later.level <= row.level:
                    break
                under += 1 if later.key else 0
            if row.level == 0:
                top = (row.label, "rowgroup", under, 1)
            else:
                middle = (row.label, "rowgroup", under, 1)
            continue
        spans = []
        if row.level == 0:
            top = middle = None
            spans.append((row.label, "row", 1, 3))
        else:
            if top:
                spans.append(top)
                top = None
            if row.level == 1:
                middle = None
                spans.append((row.label, "row", 1, 2))
            else:
                if middle:
                    spans.append(middle)
                    middle = None
                spans.append((row.label, "row", 1, 1))
        rows.append((row, spans))
    assert len(rows) == len(keyed) == 25
    return rows


def report_context(view) -> dict:
    labels = {key: label for key, label, _ in PROACTIVE_ROWS}
    return {
        "view": view, "parts": PARTS, "corner": APPLICATION_CORNER,
        "proactive_groups": [(heading, column, [(key, labels[key]) for key in rows])
                             for heading, column, rows in PROACTIVE_GROUPS],
        "proactive_columns": PROACTIVE_COLUMNS, "applicants": APPLICANTS, "columns": APPLICATION_COLUMNS,
        "application_rows": application_rows(), "outcomes": OUTCOMES, "cases": CASES,
    }


def chart_svg(series, slug: str) -> str:
    """Grouped bars per year: received (一 + 二 总计), handled (（七）总计), 行政复议 and 行政诉讼.
    Every bar carries its number and a one-character name, so nothing rests on colour; the same
    figures are in the table beside the chart."""
    views = series.reports
    bar, gap, group_gap, height, top, bottom, left = 22, 4, 28, 180, 24, 44, 12
    group = len(SERIES) * bar + (len(SERIES) - 1) * gap
    width = left * 2 + len(views) * group + (len(views) - 1) * group_gap
    peak = max([1, *(value for view in views for value in view.summary)])
    name = escape(series.organisation.name)
    parts = [f'<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {top + height + bottom}" '
             f'width="{width}" height="{top + height + bottom}" role="img" '
             f'aria-labelledby="chart-{slug}-title chart-{slug}-desc">',
             f'<title id="chart-{slug}-title">{name}历年政府信息公开申请和复议、诉讼情况</title>',
             f'<desc id="chart-{slug}-desc">柱状图，每年四根柱：收到申请（一、二项总计）、办理完结（（七）总计）、'
             f'行政复议总计、行政诉讼总计；数字见旁边的表格。</desc>',
             f'<line x1="{left}" y1="{top + height}" x2="{width - left}" y2="{top + height}" class="report-chart__axis"/>']
    for index, view in enumerate(views):
        x0 = left + index * (group + group_gap)
        for number, ((_, _, short), value) in enumerate(zip(SERIES, view.summary)):
            x = x0 + number * (bar + gap)
            tall = round(height * value / peak, 1)
            y = top + height - tall
            parts.append(f'<rect x="{x}" y="{y}" width="{bar}" height="{tall}" class="report-chart__bar report-chart__bar--{number + 1}"/>')
            parts.append(f'<text x="{x + bar / 2}" y="{y - 5}" class="report-chart__value">{value}</text>')
            parts.append(f'<text x="{x + bar / 2}" y="{top + height + 16}" class="report-chart__key">{short}</text>')
        parts.append(f'<text x="{x0 + group / 2}" y="{top + height + 36}" class="report-chart__year">{view.report.year}年</text>')
    parts.append("</svg>")
    return "".join(parts)


def cell_rows(site: Site):
    """Every table cell of every published report, in a fixed order: (view, part, row key, row
    label, column key, column label, value, note)."""
    proactive_labels = {key: label for key, label, _ in PROACTIVE_ROWS}
    for series in site.reports:
        for view in series.reports:
            for heading, column, rows in PROACTIVE_GROUPS:
                for row in rows:
                    columns = [(DECISIONS, column)] if column else list(PROACTIVE_COLUMNS)
                    for key, label in columns:
                        cell = view.cell("proactive", row, key)
                        yield view, "proactive", row, proactive_labels[row], key, label, cell
            for row in APPLICATION_ROWS:
                if row.key:
                    for key, label in APPLICATION_COLUMNS:
                        yield view, "applications", row.key, row.label, key, label, view.cell("applications", row.key, key)
            for group, group_label in CASES:
                for key, label in OUTCOMES:
                    yield view, "review_litigation", group, group_label, key, label, view.cell("review_litigation", group, key)


CSV_HEADER = ["报告年度", "发布机构", "报告", "网址", "部分", "行", "列", "数值", "计算方式", "示例"]


def reports_csv(site: Site) -> bytes:
    """Encoding, quoting and the guard against spreadsheet formulas as api/documents.csv (csv_bytes)."""
    base = site.config.site.base_url + site.config.site.base_path.rstrip("/")
    rows = [CSV_HEADER]
    for view, part, _, row_label, _, column_label, cell in cell_rows(site):
        report = view.report
        rows.append([report.year, report.issuer.name, report.title, base + report.url, _PARTS_OF[part],
                     row_label, column_label, cell.text, cell.note or "报告填写", "是" if report.sample else "否"])
    return csv_bytes(rows)


def reports_json(site: Site) -> bytes:
    base = site.config.site.base_url + site.config.site.base_path.rstrip("/")
    reports = []
    for series in site.reports:
        for view in series.reports:
            report = view.report
            reports.append({"id": report.id, "year": report.year, "issuer": report.issuer.name,
                            "title": report.title, "published": report.published.isoformat(),
                            "url": base + report.url, "sample": report.sample, "cells": []})
    by_id = {entry["id"]: entry for entry in reports}
    for view, part, row, row_label, column, column_label, cell in cell_rows(site):
        by_id[view.report.id]["cells"].append({
            "part": _PARTS_OF[part], "row": row, "row_label": row_label, "column": column,
            "column_label": column_label, "value": cell.text if "." in cell.text else int(cell.text), "computed": cell.note or None})
    return to_json({"format": "国办公开办函〔2021〕30号", "reports": reports})
