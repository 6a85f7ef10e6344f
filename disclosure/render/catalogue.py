"""The 基层政务公开标准目录 as data for other systems: api/catalogue.json and api/catalogue.csv
(docs/exports.md). One record per 公开事项, in the order of the areas' pages."""

from __future__ import annotations

from ..load.models import CATALOGUE_AUDIENCES, CATALOGUE_LEVELS, CATALOGUE_MANNERS
from ..model.classify import Site
from .exports import _absolute, csv_bytes, to_json

# The two-row header of the printed 标准目录, flattened: a checklist column's sub-columns as
# “公开对象（全社会）”, each cell 是 or 否.
CSV_HEADER = ["领域", "序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
              "公开渠道和载体",
              *(f"公开对象（{v}）" for v in CATALOGUE_AUDIENCES), *(f"公开方式（{v}）" for v in CATALOGUE_MANNERS),
              *(f"公开层级（{v}）" for v in CATALOGUE_LEVELS), "链接", "URL"]


def _row_record(site: Site, row) -> dict:
    return {
        "no": row.no,
        "item": row.item,
        "subitem": row.subitem,
        "elements": row.elements,
        "basis": row.basis,
        "time_limit": row.time_limit,
        "bodies": [{"name": unit.organisation.name, "written": unit.written,
                    "url": _absolute(site, f"/bodies/{unit.organisation.slug}/")} for unit in row.bodies],
        "channels": list(row.channels),
        "audience": list(row.audience),
        "manner": list(row.manner),
        "levels": list(row.levels),
        "link": _absolute(site, row.link) if row.link else None,
        "url": _absolute(site, row.url),
    }


def catalogue_json(site: Site) -> bytes:
    return to_json({
        "site": site.config.site.name,
        "column": site.config.site.column,
        "build_date": site.build_date.isoformat(),
        "levels": list(CATALOGUE_LEVELS),
        "areas": [{"id": area.id, "name": area.name, "guideline": area.guideline or None, "sample": area.sample,
                   "url": _absolute(site, area.url), "count": len(area.rows),
                   "rows": [_row_record(site, row) for row in area.rows]} for area in site.catalogue],
    })


def catalogue_csv(site: Site) -> bytes:
    rows = [CSV_HEADER]
    for area in site.catalogue:
        for row in area.rows:
            rows.append([area.name, row.no, row.item, row.subitem, row.elements, row.basis, row.time_limit,
                         "、".join(unit.organisation.name for unit in row.bodies), "、".join(row.channels),
                         *("是" if v in row.audience else "否" for v in CATALOGUE_AUDIENCES),
                         *("是" if v in row.manner else "否" for v in CATALOGUE_MANNERS),
                         *("是" if v in row.levels else "否" for v in CATALOGUE_LEVELS),
                         _absolute(site, row.link) if row.link else "", _absolute(site, row.url)])
    return csv_bytes(rows)
