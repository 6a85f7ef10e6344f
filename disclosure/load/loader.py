"""Load stage: content/ files → typed models, every field checked where it is written."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from . import fields as f
from .config import Config
from .discover import Walk, sort_paths
from ..errors import ERROR, Problems
from .fields import Context, Field, parse_fields
from .codec import decode_model, dependencies, encode_model, file_digest, vocabulary_references
from .models import (CATALOGUE_AUDIENCES, CATALOGUE_CHANNELS, CATALOGUE_LEVELS, CATALOGUE_MANNERS, CatalogueArea,
                     CatalogueRow, Content, Document, Interpretation, Page, Report, ReportFigure, Task, TaskTable)
from .report_format import PARTS, TableReader, fill, number_text
from . import participation
from .participation import CONSULTATION, DECISION_CATALOGUE, DECISION_ITEM, FEEDBACK  # noqa: F401 (the schemas, by kind)
from .file_parts import digest, each_item, listed_digest, opened
from .source import Mapping, Sequence, load_markdown, load_yaml_file

FILE_ID = Field("编号（文件名）", f.file_id, False, "2022-zhengwu-gongkai-gongzuo-yaodian")

DOCUMENT = {
    "id": FILE_ID,
    "title": Field("标题", f.text, True, "关于……的通知"),
    "doc_number": Field("发文字号", f.doc_number, False, "济天政办发〔2022〕4号"),
    "issuer": Field("发布机构", f.organisations, True, "区政府办公室"),
    "written": Field("成文日期", f.a_date, True, "2022-06-16"),
    "published": Field("发布日期", f.a_date, True, "2022-06-16"),
    "topic": Field("主题分类", f.topic, True, "综合政务/政务公开"),
    "kind": Field("公文种类", f.kind, True, "通知"),
    "index_no": Field("索引号", f.index_no, False, "11370105004208456P/2022-00004"),
    "validity": Field("有效性", f.validity, True, "有效"),
    "expires": Field("有效期至", f.a_date, False, "2027-06-30"),
    "repealed": Field("废止日期", f.a_date, False, "2024-01-01"),
    "repealed_by": Field("废止依据文件", f.text, False, "2024-feizhi-bufen-guifanxing-wenjian-jueding"),
    "normative": Field("是否规范性文件", f.boolean, False, "true"),
    "in_force": Field("施行日期", f.a_date, False, "2022-07-01"),
    "amends": Field("修改的文件", f.references, False, "[2021-caizheng-zijin-guanli-banfa]"),
    "replaces": Field("代替的文件", f.references, False, "[2019-caizheng-zijin-guanli-banfa]"),
    "basis": Field("制定依据", f.references, False, "[《中华人民共和国政府信息公开条例》（国务院令第711号）]"),
    "attachments": Field("附件", f.attachments),
    "keywords": Field("主题词", f.text_list),
    "sample": Field("示例标记", f.boolean),
}

INTERPRETATION = {
    "id": FILE_ID,
    "title": Field("标题", f.text, True),
    "interprets": Field("所解读文件", f.text, True, "2022-zhengwu-gongkai-gongzuo-yaodian"),
    "issuer": Field("发布机构", f.organisations, True, "区政府办公室"),
    "published": Field("发布日期", f.a_date, True, "2022-06-17"),
    "form": Field("解读形式", f.form, True, "问答解读"),
    "qa": Field("问答", f.qa_list),
    "keywords": Field("主题词", f.text_list),
    "sample": Field("示例标记", f.boolean),
}

TASK_TABLE = {
    "id": FILE_ID,
    "plan": Field("所属文件", f.text, True, "2022-zhengwu-gongkai-gongzuo-yaodian"),
    "title": Field("标题", f.text, True),
    "tasks": Field("任务列表", lambda raw, ctx: raw, True),
}

TASK = {
    "no": Field("序号", f.integer, True, "1"),
    "area": Field("工作任务（一级）", f.text, True, "聚焦重点领域，推动高质量政务公开"),
    "item": Field("工作任务（二级）", f.text, True, "强化重点领域信息公开"),
    "requirement": Field("具体要求", f.text, True),
    "units": Field("责任单位", f.units, True, "[区财政局, 各街道办事处]"),
    "deadline": Field("完成时限", f.text, True, "全年"),
    "due": Field("到期日期", f.a_date, False, "2022-12-31"),
    "note": Field("备注", f.text),
}

PAGE = {
    "id": FILE_ID,
    "title": Field("标题", f.text, True),
    "order": Field("栏目顺序", f.integer),
    "description": Field("简介", f.text),
    "updated": Field("更新日期", f.a_date),
    "sample": Field("示例标记", f.boolean),
}

REPORT = {
    "id": Field("编号（文件名）", f.file_id, False, "2022-renminzhengfu"),  # as FILE_ID: the desk names a new file after it
    "year": Field("报告年度", f.integer, True, "2022"),
    "issuer": Field("发布机构", f.organisations, True, "济南市天桥区人民政府"),
    "published": Field("发布日期", f.a_date, True, "2023-03-20"),
    "title": Field("标题", f.text, False, "济南市天桥区人民政府2022年政府信息公开工作年度报告"),
    "sample": Field("示例标记", f.boolean),
    "overview": Field(PARTS[0], f.text, True, "|（换行后缩进书写总体情况）"),
    "proactive": Field(PARTS[1], lambda raw, ctx: raw, True, "{…}"),
    "applications": Field(PARTS[2], lambda raw, ctx: raw, True, "{…}"),
    "review_litigation": Field(PARTS[3], lambda raw, ctx: raw, True, "{…}"),
    "problems": Field(PARTS[4], f.text, True, "|（换行后缩进书写）"),
    "other": Field(PARTS[5], f.text, False, "|（换行后缩进书写）"),
}
# The tables here are those of 国办公开办函〔2021〕30号, first used for the 2021 reports; the 2019 and
# 2020 reports had the trial format's (国办公开办函〔2019〕60号), earlier ones none at all.
EARLIEST_REPORT_YEAR = 2021

# 基层政务公开标准目录: one file per 领域 (content/catalogue/<id>.yaml), a row per 公开事项.
CATALOGUE = {
    "id": FILE_ID,
    "area": Field("领域名称", f.text, True, "涉农补贴"),
    "guideline": Field("依据的标准指引", f.text, False, "《涉农补贴领域基层政务公开标准指引》"),
    "sample": Field("示例标记", f.boolean),
    "rows": Field("公开事项列表", lambda raw, ctx: raw),
}

CATALOGUE_ROW = {
    "item": Field("一级事项", f.text, True, "惠民惠农财政补贴资金"),
    "subitem": Field("二级事项", f.text, True, "补贴资金发放结果"),
    "elements": Field("公开内容（要素）", f.text, True, "补贴对象、补贴标准、发放金额"),
    "basis": Field("公开依据", f.text, True, "《中华人民共和国政府信息公开条例》"),
    "time_limit": Field("公开时限", f.text, True, "自信息形成或者变更之日起20个工作日内"),
    "bodies": Field("公开主体", f.units, True, "[区财政局, 各街道办事处]"),
    "channels": Field("公开渠道和载体", f.choices(CATALOGUE_CHANNELS), True, "[政府网站, 政务服务中心]"),
    "audience": Field("公开对象", f.choices(CATALOGUE_AUDIENCES), True, "全社会"),
    "manner": Field("公开方式", f.choices(CATALOGUE_MANNERS), True, "主动"),
    "levels": Field("公开层级", f.choices(CATALOGUE_LEVELS), True, "[县级, 乡级]"),
    "link": Field("链接", f.site_path, False, "/documents/2022-zhengwu-gongkai-gongzuo-yaodian/"),
}


def load_content(root: Path, config: Config, problems: Problems, cache=None,
                 jobs: int | None = None, progress=None, pool=None) -> Content:
    """Every content file as a model, in path order. With a `cache` of earlier models (the build
    gives orchestrate/loadcache.LoadCache), files whose bytes did not change come from it; the
    others are parsed, by up to `jobs` workers of `pool(jobs)` when many (the build gives its
    forked pool, orchestrate/forkpool.py; without one, here), and `progress(done, total)` is told
    how many of them are."""
    content = Content(root=root)
    if not root.is_dir():
        problems.add(root, 0, "内容目录不存在", "请检查 --content 参数，或在项目中建立 content/ 目录")
        return content
    loaded = cache
    kinds = (("documents", ".md", True), ("interpretations", ".md", True),  # DOCUMENTS … PAGES, in order
             ("tasks", (".yaml", ".yml"), True), ("pages", ".md", False), ("reports", (".yaml", ".yml"), False),
             ("catalogue", (".yaml", ".yml"), False), ("consultations", ".md", False),
             ("decisions", (".yaml", ".yml"), False))
    walk = Walk(root, problems)
    # The rest of content/ holds attachments and images, published under their names: checked too.
    walk.files(root, (), True, skip=tuple(folder for folder, _, _ in kinds))
    slots = []  # [kind, path, model or None, key of the bytes read or None]
    for kind, (folder, suffixes, recursive) in enumerate(kinds):
        for path in _files(root / folder, suffixes, recursive, walk):
            hit, key = loaded.get(path) if loaded else (None, None)
            if hit is not None:
                model, replay = hit
                for line, message, fix, severity in replay:
                    problems.add(path, line, message, fix, severity)
                slots.append([kind, path, model, None])
            else:
                slots.append([kind, path, None, key])
    misses = [slot for slot in slots if slot[2] is None]
    parsed = parse_files([(s[0], s[1], loaded is not None and s[3] is None) for s in misses], root, config, jobs, pool)
    for done, (slot, (blob, found, unloaded, depends, key)) in enumerate(zip(misses, parsed, strict=True), 1):
        if progress:
            progress(done, len(misses))
        slot[3] = slot[3] or key
        problems.items.extend(found)
        content.unloaded.update(unloaded)
        if blob is None:
            continue
        if type(blob) is bytes:
            slot[2] = decode_model(blob, config)
        else:  # a model the cache does not keep, handed over as it is
            slot[2], blob = blob, None
        if loaded is not None and blob is not None and slot[3] and not any(p.severity == ERROR for p in found):
            loaded.put(slot[1], slot[3], blob, [(p.line, p.message, p.fix, p.severity) for p in found], depends)
    for kind, _, model, _ in slots:
        if model is not None:
            content.by_kind[kind].append(model)
    if loaded is not None:
        loaded.save()
        content.load_hits, content.load_misses = loaded.hits, loaded.misses
    return content


DOCUMENTS, INTERPRETATIONS, TASK_TABLES, PAGES, REPORTS, CATALOGUES, CONSULTATIONS, DECISIONS = range(8)  # content kinds, as Content.by_kind orders them
PARALLEL_FROM = 300  # files: below this, starting workers costs more than it saves


def parse_files(todo: list[tuple[int, Path, bool]], root: Path, config: Config, jobs: int | None,
                pool=None) -> Iterator[tuple]:
    """Load each (kind, path, whether to key it): (its model as JSON (codec.encode_model), or
    the model itself if that cannot keep it, or None; the problems found; ids left unloaded; the
    files it depends on, with their sizes; the digest of the bytes it parsed (codec.file_digest), if asked).
    Encoded, so forked workers hand back what the cache keeps; yielded in order as they come, so
    the caller decodes while the workers go on parsing."""
    jobs = jobs or os.cpu_count() or 1
    shared = (root, config, vocabulary_references(config))
    if pool is None or jobs == 1 or len(todo) < PARALLEL_FROM:
        yield from _parse_batch(shared, todo)
        return
    chunks = [todo[start:start + 200] for start in range(0, len(todo), 200)]
    with pool(jobs, shared=shared) as running:  # `shared` goes to the workers with the fork
        for batch in running.imap(_parse_batch, chunks):
            yield from batch


def _parse_batch(shared: tuple, todo: list[tuple[int, Path, bool]]) -> list[tuple]:
    root, config, references = shared
    results = []
    for kind, path, keyed in todo:
        key = file_digest(path) if keyed else None
        found = Problems()
        model, unloaded = load_file(kind, path, root, config, found)
        depends = dependencies(a.source for a in getattr(model, "attachments", []))
        blob = encode_model(model, references) if model is not None else None
        results.append((blob if blob is not None else model, found.items, unloaded, depends, key))
    return results


def load_file(kind: int, path: Path, root: Path, config: Config, problems: Problems) -> tuple[object, set[str]]:
    """One content file of a kind (DOCUMENTS …): its model, or None if it has errors (reported to
    `problems`), and the ids of documents it left unloaded."""
    content = Content(root=root)
    _LOADERS[kind](path, root, config, problems, content)
    models = content.by_kind[kind]
    return (models[0] if models else None), content.unloaded


def _files(folder: Path, suffixes, recursive: bool, walk: Walk | None = None) -> list[Path]:
    """The content files in a folder (and below it if `recursive`), in Path order; see discover.py."""
    walk = walk or Walk(folder, Problems())
    return sort_paths(walk.files(folder, (suffixes,) if isinstance(suffixes, str) else tuple(suffixes), recursive))


def _load_document(path, root, config, problems, content) -> None:
    file = opened(path, root, config, problems, load_markdown, DOCUMENT, "文件")
    if file is None or file.id is None:
        # Files that point at this one should not get a second, misleading error.
        content.unloaded.add(path.stem)
        return
    doc_id, source, values = file.id, file.source, file.values
    content.documents.append(Document(
        id=doc_id, path=path, title=values["title"], issuers=values["issuer"],
        written=values["written"], published=values["published"], topic=values["topic"],
        kind=values["kind"], validity=values["validity"].name, doc_number=values["doc_number"] or "",
        index_no=values["index_no"] or "", expires=values["expires"], repealed=values["repealed"],
        repealed_by=values["repealed_by"] or "", normative=bool(values["normative"]),
        in_force=values["in_force"], amends=values["amends"] or [], replaces=values["replaces"] or [],
        basis=values["basis"] or [],
        attachments=values["attachments"] or [], keywords=values["keywords"] or [],
        sample=bool(values["sample"]), body=source.body, body_line=source.body_line,
        lines=dict(source.meta.key_lines),
        digest=digest(source, root,
                       *(f"{a.source.name}:{a.source.stat().st_size}" for a in values["attachments"] or [])),
        listed_digest=listed_digest(source),
    ))


def _load_interpretation(path, root, config, problems, content) -> None:
    file = opened(path, root, config, problems, load_markdown, INTERPRETATION, "政策解读")
    if file is None or file.id is None:
        return
    item_id, source, values = file.id, file.source, file.values
    content.interpretations.append(Interpretation(
        id=item_id, path=path, title=values["title"], interprets=values["interprets"],
        issuers=values["issuer"], published=values["published"], form=values["form"],
        qa=values["qa"] or [], keywords=values["keywords"] or [], sample=bool(values["sample"]),
        body=source.body, body_line=source.body_line, lines=dict(source.meta.key_lines),
        digest=digest(source, root), listed_digest=listed_digest(source),
    ))


def _load_task_table(path, root, config, problems, content) -> None:
    file = opened(path, root, config, problems, load_yaml_file, TASK_TABLE, "任务分解表")
    if file is None:
        return
    table_id, source, ctx, values = file.id, file.source, file.ctx, file.values
    raw_tasks = values["tasks"]
    if not isinstance(raw_tasks, Sequence):
        ctx.line = source.meta.line_of("tasks")
        ctx.error("“tasks”应是任务列表，每项以“- no: 序号”开头", "参照已有的任务分解表文件")
        return
    tasks = each_item(raw_tasks, ctx, lambda index, raw: _task(raw, ctx), lambda index: (
        "每项任务应包含 no、area、item、requirement、units、deadline 等字段", "写成 - no: 1 换行 area: …"))
    if tasks is None or table_id is None:
        return
    table = TaskTable(id=table_id, path=path, plan=values["plan"], title=values["title"], tasks=tasks,
                      lines=dict(source.meta.key_lines), digest=digest(source, root), listed_digest=digest(source, root))
    for task in tasks:
        task.table = table
    content.task_tables.append(table)


def _catalogue_row(index: int, raw: Mapping, ctx: Context) -> CatalogueRow | None:
    row = parse_fields(raw, CATALOGUE_ROW, ctx, f"第 {index + 1} 项公开事项")
    if row is None:
        return None
    return CatalogueRow(
        no=index + 1, item=row["item"], subitem=row["subitem"], elements=row["elements"], basis=row["basis"],
        time_limit=row["time_limit"], bodies=row["bodies"], channels=row["channels"], audience=row["audience"],
        manner=row["manner"], levels=row["levels"], link=row["link"] or "", line=raw.line,
        link_line=raw.line_of("link"))


def _task(raw: Mapping, ctx: Context) -> Task | None:
    number = raw.get("no")
    label = f"第 {number} 项任务" if isinstance(number, int) and not isinstance(number, bool) else "任务"
    values = parse_fields(raw, TASK, ctx, label)
    if values is None:
        return None
    return Task(no=values["no"], area=values["area"], item=values["item"], requirement=values["requirement"],
                units=values["units"], deadline=values["deadline"], due=values["due"], note=values["note"] or "",
                line=raw.line, deadline_line=raw.line_of("deadline"))


def _load_page(path, root, config, problems, content) -> None:
    file = opened(path, root, config, problems, load_markdown, PAGE, "栏目页面")
    if file is None or file.id is None:
        return
    page_id, source, values = file.id, file.source, file.values
    content.pages.append(Page(
        id=page_id, path=path, title=values["title"], order=values["order"] or 100,
        description=values["description"] or "", updated=values["updated"], sample=bool(values["sample"]),
        body=source.body, body_line=source.body_line, digest=digest(source, root),
        listed_digest=listed_digest(source),
    ))


def _load_report(path, root, config, problems, content) -> None:
    file = opened(path, root, config, problems, load_yaml_file, REPORT, "年度报告")
    if file is None:
        return
    report_id, source, ctx, values = file.id, file.source, file.ctx, file.values
    meta = source.meta
    ok = True
    year, issuers = values["year"], values["issuer"]
    if year < EARLIEST_REPORT_YEAR:
        ctx.error(f"报告年度 {year} 早于 {EARLIEST_REPORT_YEAR} 年：这里的表格是国办公开办函〔2021〕30号的格式，"
                  f"从 {EARLIEST_REPORT_YEAR} 年度的报告起使用；2019、2020 年度的报告用的是试行格式"
                  "（国办公开办函〔2019〕60号），表格不同",
                  "更早年度的报告请作为文件发布（content/documents/，原文照录，可附原件），"
                  "或在“政府信息公开年报”栏目页（content/pages/nianbao.md）中链接原来发布的网址", meta.line_of("year"))
        ok = False
    elif year >= values["published"].year:
        # A report counts a whole calendar year, so it comes out in a later year (条例第四十九条).
        ctx.error(f"报告年度 {year} 不对：报告统计 {year} 年全年，发布日期 {values['published']} 应在 {year + 1} 年或以后",
                  "报告年度写统计的那一年，如 2022 年的报告写 year: 2022，在 2023 年发布；"
                  "年份没错的，请核对发布日期 published", meta.line_of("year"))
        ok = False
    if len(issuers) != 1 or issuers[0].is_group:
        ctx.error("年度报告的发布机构只能写一个单位（不能是统称）", "写成 issuer: 济南市天桥区人民政府", meta.line_of("issuer"))
        return
    issuer = issuers[0]
    expected = f"{year}-{issuer.slug}"
    if report_id is not None and report_id != expected:
        ctx.error(f"年度报告的文件名应是“{expected}.yaml”（报告年度-发布机构的网址名），现在是“{path.name}”",
                  f"请把文件改名为 {expected}.yaml", 1)
        ok = False
    reader = TableReader(lambda message, fix, line: ctx.error(message, fix, line))
    reader.proactive(meta.get("proactive"), meta.line_of("proactive"))
    reader.applications(meta.get("applications"), meta.line_of("applications"))
    reader.review_litigation(meta.get("review_litigation"), meta.line_of("review_litigation"))
    if reader.ok:
        for line, message, fix in fill(reader.figures, reader.lines).problems:
            ctx.error(message, fix, line)
            ok = False
    if not (ok and reader.ok) or report_id is None:
        return
    figures = [ReportFigure(table, row, column, number_text(value), line)
               for (table, row, column), (value, line) in reader.figures.items()]
    lines = dict(meta.key_lines)
    lines.update(reader.lines)
    content.reports.append(Report(
        id=report_id, path=path, year=year, issuer=issuer, published=values["published"],
        title=values["title"] or f"{issuer.name}{year}年政府信息公开工作年度报告",
        overview=values["overview"], problems=values["problems"], other=values["other"] or "",
        figures=figures, sample=bool(values["sample"]), lines=lines,
        digest=digest(source, root), listed_digest=listed_digest(source),
    ))


def _load_catalogue(path, root, config, problems, content) -> None:
    file = opened(path, root, config, problems, load_yaml_file, CATALOGUE, "标准目录")
    if file is None:
        return
    area_id, source, ctx, values = file.id, file.source, file.ctx, file.values
    raw_rows = values["rows"]  # None: no rows yet (an area whose 目录 is being compiled)
    if raw_rows is not None and not isinstance(raw_rows, Sequence):
        ctx.error("“rows”（公开事项列表）应是一组公开事项，每项以“- item: 一级事项”开头",
                  "参照 content/catalogue/ 中已有的文件，或用 python build.py new catalogue 新建", source.meta.line_of("rows"))
        return
    rows = each_item(raw_rows or [], ctx, lambda index, raw: _catalogue_row(index, raw, ctx), lambda index: (
        f"第 {index + 1} 项公开事项应是一组字段（一级事项、二级事项、公开内容……），现在是一段文字或列表",
        "写成 - item: 一级事项 换行 subitem: 二级事项 ……，每个字段一行、缩进对齐"))
    if rows is None or area_id is None:
        return
    area = CatalogueArea(id=area_id, path=path, name=values["area"], rows=rows, guideline=values["guideline"] or "",
                         sample=bool(values["sample"]), lines=dict(source.meta.key_lines),
                         digest=digest(source, root),
                         listed_digest=hashlib.sha1(repr((area_id, values["area"], values["guideline"],
                                                          bool(values["sample"]), len(rows))).encode()).hexdigest())
    for row in rows:
        row.in_area = area
    content.catalogue.append(area)


_LOADERS = (_load_document, _load_interpretation, _load_task_table, _load_page, _load_report, _load_catalogue,
            participation.load_consultation, participation.load_decisions)
