"""Making the plan's outputs (render/plan.py): each one reused from the previous site when its key
is unchanged, or made and written into the staging folder."""

from __future__ import annotations

from dataclasses import dataclass

from .incremental import Manifest, Reuse, content_hash
from ..model.classify import Site
from ..render.pages import PageRenderer
from ..render.plan import DocumentJson, HtmlPage, Materials, Plan


@dataclass
class Made:
    path: str
    key: str
    size: int
    reused: bool = False
    digest: str = ""  # a page made anew: its content hash (the preview reloads what changed)
    record: dict | None = None  # a document's record as api/documents.json lists it


class OutputMaker:
    """`maker(index)` makes the plan's output `index`, or links the previous site's file when its
    key is unchanged. Pages are linked by the build before the workers start (their keys are
    known from the plan alone); a document's own file is keyed also by what its body's links
    resolved to, known once its Markdown was rendered or its links checked."""

    def __init__(self, site: Site, plan: Plan, renderer: PageRenderer, reuse: Reuse, manifest: Manifest,
                 base_key: str):
        self.plan, self.renderer, self.reuse, self.manifest, self.base_key = plan, renderer, reuse, manifest, base_key
        self.body_html: dict = {}  # content file → body HTML the build already has
        self.materials = Materials(site, renderer, self._body)

    def _body(self, item) -> str:
        body = self.body_html.get(item.path)
        if body is None:
            body = self.renderer.rendered_body(item)
        if body is None:
            body = self.renderer.body_html(item, report=False)
        return body

    def key(self, index: int) -> str | None:
        output = self.plan.outputs[index]
        return output.key(self.base_key, self.renderer.links(output.doc) if isinstance(output, DocumentJson) else "")

    def __call__(self, index: int) -> Made:
        output = self.plan.outputs[index]
        key = self.key(index)
        reused = self._reused(output, key) if not isinstance(output, HtmlPage) else None
        if reused is not None:
            return reused
        product = output.make(self.materials)
        size = self.reuse.fresh(output.path, product.data)
        digest = content_hash(product.data) if isinstance(output, HtmlPage) else ""
        return Made(output.path, key, size, False, digest, product.record)

    def _reused(self, output, key: str) -> Made | None:
        if isinstance(output, DocumentJson):
            previous = self.manifest.records.get(output.doc.id)  # its record, kept with its key
            if not previous or previous[0] != key:
                return None
            size = self.reuse.link_unrecorded(output.path, key)
            return Made(output.path, key, size, True, record=previous[1]) if size is not None else None
        size = self.reuse.link_unrecorded(output.path, key)
        return Made(output.path, key, size, True) if size is not None else None

    def record(self, made: dict[int, Made]) -> list[dict]:
        """Record every made or reused output for the next build; the documents' records in
        plan order, as api/documents.json lists them."""
        records = []
        for index in sorted(made):
            result = made[index]
            self.reuse.record(result.path, result.key, result.size)
            self.reuse.linked += result.reused
            output = self.plan.outputs[index]
            if isinstance(output, DocumentJson):
                self.reuse.current.records[output.doc.id] = [result.key, result.record]
                records.append(result.record)
        return records
