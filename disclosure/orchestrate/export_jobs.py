"""The outputs made per document and per feed beside the pages: each document's own JSON file
and every Atom feed, each reused from the previous build when its key is unchanged."""

from __future__ import annotations

from ..model.classify import Site
from ..render.exports import document_export, document_file, export_key
from ..render.feeds import feed_key, render_feed
from .incremental import Manifest, Reuse
from .parallel import fork_map
from ..render.pages import PageRenderer


class ExportJobs:
    """Each document's own JSON file and every feed, each reused when its key is unchanged.

    Job k < len(documents) is document k's file, the others the feeds. A worker that renders a
    document's page makes its file right after, while the HTML is at hand; the feeds are made
    by the same workers after the pages, and the files of documents whose pages were reused
    by `finish`, after every body's links were checked."""

    def __init__(self, site: Site, renderer: PageRenderer, reuse: Reuse, manifest: Manifest, base_key: str,
                 feeds: list):
        self.site, self.renderer, self.reuse, self.manifest = site, renderer, reuse, manifest
        self.base_key, self.feeds, self.documents = base_key, feeds, site.documents
        self.after_page: dict[int, int] = {}  # page spec index → job
        self.body_html: dict = {}

    def after_pages(self, specs: list, todo: list[int]) -> None:
        job_of = {id(doc): k for k, doc in enumerate(self.documents)}
        for index in todo:
            if specs[index].template == "document.html":
                self.after_page[index] = job_of[id(specs[index].context["doc"])]

    def feed_jobs(self) -> range:
        return range(len(self.documents), len(self.documents) + len(self.feeds))

    def __call__(self, job: int) -> tuple[str, str, int, bool, dict | None]:
        """(output path, key, size, reused, listed record), recorded by `finish`."""
        reuse, renderer = self.reuse, self.renderer
        if job >= len(self.documents):
            feed = self.feeds[job - len(self.documents)]
            key = feed_key(self.base_key, feed)
            size = reuse.link_unrecorded(feed.file, key)
            if size is not None:
                return feed.file, key, size, True, None
            return feed.file, key, reuse.fresh(feed.file, render_feed(self.site, feed)), False, None
        doc = self.documents[job]
        relative, key = document_file(doc), export_key(self.base_key, doc, renderer.links(doc))
        previous = self.manifest.records.get(doc.id)
        size = reuse.link_unrecorded(relative, key) if previous and previous[0] == key else None
        if size is not None:
            return relative, key, size, True, previous[1]
        body = self.body_html.get(doc.path)
        if body is None:
            body = renderer.rendered_body(doc)
        if body is None:
            body = renderer.body_html(doc, report=False)
        data, record = document_export(self.site, doc, body)
        return relative, key, reuse.fresh(relative, data), False, record

    def finish(self, made: dict, body_html: dict, jobs: int | None) -> list[dict]:
        """Make the jobs not `made` yet, on all cores; record them all. Returns the documents'
        records as api/documents.json lists them."""
        self.body_html = body_html
        rest = [job for job in range(len(self.documents) + len(self.feeds)) if job not in made]
        made.update(zip(rest, fork_map(lambda index: self(rest[index]), len(rest), jobs)))
        reuse, records = self.reuse, []
        for job in range(len(self.documents) + len(self.feeds)):
            relative, key, size, reused, record = made[job]
            reuse.record(relative, key, size)
            reuse.linked += reused
            if job < len(self.documents):
                reuse.current.records[self.documents[job].id] = [key, record]
                records.append(record)
        return records
