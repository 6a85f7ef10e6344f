"""Machine-readable outputs for other systems (see docs/exports.md).

sitemap.xml; api/documents.json (every document with all its elements) and one JSON file per
document with its body; a CSV catalogue for Excel and WPS; api/changes.json against a
previous build's export; and the JSON Schemas they follow. Only published content is exported:
classify has already left scheduled documents out of the site.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from xml.sax.saxutils import escape

from .changes import canonical_json
from ..model.classify import Site
from ..model.standing import notices
from ..load.models import EXPIRED, REPEALED

# A cell a spreadsheet would read as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)) starts with one of
# these, also after spaces, in half or full width; tab, CR and NUL too (OWASP “CSV Injection”, ASVS 1.2.10).
FORMULA_START = tuple("=+-@\t\r\0＝＋－＠")
CSV_HEADER = ["标题", "发文字号", "公文种类", "发布机构", "成文日期", "发布日期", "有效性", "废止日期", "URL"]


def _absolute(site: Site, path: str) -> str:
    options = site.config.site
    return options.base_url + options.base_path.rstrip("/") + path


def sitemap(site: Site, page_urls: list[str]) -> bytes:
    lastmod = {doc.url: doc.published for doc in site.documents}
    lastmod.update({i.url: i.published for i in site.content.interpretations})
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in page_urls:
        if url.endswith(".html"):
            continue
        entry = f"  <url><loc>{escape(_absolute(site, url))}</loc>"
        if url in lastmod:
            entry += f"<lastmod>{lastmod[url].isoformat()}</lastmod>"
        lines.append(entry + "</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _ref(site: Site, item) -> dict:
    return {"id": item.id, "title": item.title, "url": _absolute(site, item.url)}


def document_export(site: Site, doc, body_html: str) -> tuple[bytes, dict]:
    """The document's own JSON file — every element of the document, its body as published
    (sanitised HTML, links resolved, links to scheduled documents already plain text) and
    `record_hash` of all of it, compact as `to_json(…, pretty=False)` writes it — and its record
    as api/documents.json lists it. The body, most of the file, is encoded once instead of twice
    (for the hash, then for the file): the keys before and after "hash" in sorted order are
    encoded apart; joined, they are the canonical JSON the hash is over; with the hash between
    them, the file."""
    record = _elements(site, doc, body_html)
    before = canonical_json({key: value for key, value in record.items() if key < "hash"})
    after = canonical_json({key: value for key, value in record.items() if key > "hash"})
    digest = "sha256:" + hashlib.sha256(f"{before[:-1]},{after[1:]}".encode("utf-8")).hexdigest()
    data = f'{before[:-1]},"hash":{canonical_json(digest)},{after[1:]}\n'.encode("utf-8")
    record["hash"] = digest
    return data, listed(record)


def _elements(site: Site, doc, body_html: str) -> dict:
    return {
        "id": doc.id,
        "url": _absolute(site, doc.url),
        "title": doc.title,
        "doc_number": doc.doc_number or None,
        "index_no": doc.index_no or None,
        "issuers": [organisation.name for organisation in doc.issuers],
        "issuer_ids": [organisation.slug for organisation in doc.issuers],
        "written": _day(doc.written),
        "published": _day(doc.published),
        "topic": doc.topic.label,
        "topic_id": doc.topic.path,
        "kind": doc.kind.name,
        "kind_id": doc.kind.slug,
        "validity": doc.status,
        "validity_declared": doc.validity,
        "expires": _day(doc.expires),
        "repealed": _day(doc.repealed),
        "repealed_by": _ref(site, doc.repealer) if doc.repealer else None,
        "repeals": [_ref(site, other) for other in doc.repeals],
        "in_force": _day(doc.in_force),
        "amends": [{**_ref(site, other), "effective": _day(doc.effective)} for other in doc.amending],
        "amended_by": [{**_ref(site, other), "effective": _day(other.effective)} for other in doc.amended_by],
        "replaces": [_ref(site, other) for other in doc.replacing],
        "replaced_by": _ref(site, doc.replaced_by) if doc.replaced_by else None,
        "basis": [{"text": text, "url": _absolute(site, other.url) if other else None} for text, other in doc.based_on],
        "notices": [{"kind": n.kind, "date": _day(n.on), "text": n.text,
                     "by": _ref(site, n.by) if n.by else None} for n in notices(doc, site.build_date)],
        "normative": doc.normative,
        "keywords": list(doc.keywords),
        "sample": doc.sample,
        "attachments": [{"title": a.title, "url": _absolute(site, a.url),
                         "format": a.source.suffix.lstrip(".").lower(), "bytes": a.source.stat().st_size}
                        for a in doc.attachments],
        "interpretations": [{**_ref(site, i), "published": _day(i.published), "form": i.form}
                            for i in doc.interpretations],
        "task_tables": [{**_ref(site, t), "tasks": len(t.tasks)} for t in doc.task_tables],
        "corrections": [{"date": _day(c.date),
                         "fields": [{"field": f.key, "label": f.label, "old": f.old, "new": f.new} for f in c.fields],
                         "paragraphs": [{"old": p.old, "new": p.new} for p in c.paragraphs]}
                        for c in doc.corrections],
        "corrections_url": _absolute(site, doc.history_url) if doc.corrections else None,
        "body_html": body_html,
    }


def listed(record: dict) -> dict:
    """The record as api/documents.json lists it: everything but the body (kept per document)."""
    return {key: value for key, value in record.items() if key != "body_html"}


def to_json(data, pretty: bool = True) -> bytes:
    # Indented JSON goes through Python's slow encoder; the large exports are written compact.
    if pretty:
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return (canonical_json(data) + "\n").encode("utf-8")


def documents_json(site: Site, records: list[dict]) -> bytes:
    return to_json(pretty=False, data={
        "site": site.config.site.name,
        "column": site.config.site.column,
        "build_date": site.build_date.isoformat(),
        "count": len(records),
        "documents": [listed(record) for record in records],
    })


def csv_cell(value) -> str:
    """A value as a CSV cell a spreadsheet shows as text: a leading single quote before what would
    start a formula, which Excel and WPS then show but do not run (OWASP's advice)."""
    text = "" if value is None else str(value)
    risky = text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)
    return "'" + text if risky else text


def csv_bytes(rows) -> bytes:
    """RFC 4180 CSV (CRLF rows) in UTF-8 with a byte-order mark, which Excel and WPS need to
    recognise UTF-8 instead of reading the Chinese as GBK. Every cell is quoted, so one with a
    semicolon stays one cell where the spreadsheet splits at semicolons, and none starts a formula."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def catalogue_csv(site: Site) -> bytes:
    return csv_bytes([CSV_HEADER, *_catalogue_rows(site)])


def _catalogue_rows(site: Site):
    for doc in site.documents:
        yield [doc.title, doc.doc_number, doc.kind.name, "、".join(b.name for b in doc.issuers),
               _day(doc.written), _day(doc.published), doc.status, _day(doc.repealed) or "",
               _absolute(site, doc.url)]


NORMATIVE_HEADER = ["制发机关", "发布年份", "标题", "发文字号", "发布机构", "成文日期", "发布日期", "有效期至", "URL"]
CLEARED_HEADER = ["清理结果", "废止或失效日期", "标题", "发文字号", "发布机构", "发布日期", "依据", "依据的发文字号",
                  "依据的 URL", "URL"]


def normative_csv(site: Site) -> bytes:
    """现行有效规范性文件库 as a table, in the order of its page (lead issuer, year, newest first)."""
    rows = [NORMATIVE_HEADER]
    for shelf in site.library.shelves:
        for year, docs in shelf.years:
            rows += [[shelf.organisation.name, year, doc.title, doc.doc_number, "、".join(b.name for b in doc.issuers),
                      _day(doc.written), _day(doc.published), _day(doc.expires) or "", _absolute(site, doc.url)]
                     for doc in docs]
    return csv_bytes(rows)


def cleared_csv(site: Site) -> bytes:
    """规范性文件清理结果 as a table: repealed or expired, by when, and on what basis."""
    rows = [CLEARED_HEADER]
    for _, docs in site.library.cleared:
        for doc in docs:
            repealer = doc.repealer
            basis = repealer.title if repealer else ("有效期届满" if doc.status == EXPIRED and doc.expires else "")
            rows.append(["已废止" if doc.status == REPEALED else "已失效", _day(doc.ended) or "", doc.title,
                         doc.doc_number, "、".join(b.name for b in doc.issuers), _day(doc.published), basis,
                         repealer.doc_number if repealer else "", _absolute(site, repealer.url) if repealer else "",
                         _absolute(site, doc.url)])
    return csv_bytes(rows)


def build_notes(site: Site, changes: bytes | None, baseline) -> list[str]:
    """Lines for the build log about what this build left out or found changed (`changes`: the
    api/changes.json it made)."""
    notes = [site.held.summary(site.build_date)] if site.held else []
    if baseline is not None and changes is not None:
        notes.append("变化清单（api/changes.json）" + json.loads(changes)["summary"])
    return notes
