"""Machine-readable outputs: sitemap.xml and api/documents.json."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from .classify import Site


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


def document_record(site: Site, doc) -> dict:
    return {
        "id": doc.id,
        "title": doc.title,
        "doc_number": doc.doc_number or None,
        "index_no": doc.index_no or None,
        "issuers": [body.name for body in doc.issuers],
        "written": doc.written.isoformat(),
        "published": doc.published.isoformat(),
        "topic": doc.topic.label,
        "kind": doc.kind.name,
        "validity": doc.status,
        "validity_declared": doc.validity,
        "expires": doc.expires.isoformat() if doc.expires else None,
        "repealed": doc.repealed.isoformat() if doc.repealed else None,
        "keywords": doc.keywords,
        "sample": doc.sample,
        "url": _absolute(site, doc.url),
        "attachments": [{"title": a.title, "url": _absolute(site, a.url)} for a in doc.attachments],
        "interpretations": [_absolute(site, i.url) for i in doc.interpretations],
        "task_tables": [_absolute(site, t.url) for t in doc.task_tables],
    }


def documents_json(site: Site) -> bytes:
    data = {
        "site": site.config.site.name,
        "column": site.config.site.column,
        "build_date": site.build_date.isoformat(),
        "count": len(site.documents),
        "documents": [document_record(site, doc) for doc in site.documents],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
