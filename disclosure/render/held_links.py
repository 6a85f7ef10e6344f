"""Markdown links to content scheduled for a later day (model/lifecycle.py) become plain text
with a warning, so a published page never links to a page that is not there yet."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from ..model.lifecycle import Held
from .markdown import MarkdownRenderer


class HeldLinkRenderer(MarkdownRenderer):
    """Markdown rendering in which a link to scheduled content is plain text and a warning."""

    def __init__(self, targets, held: Held):
        super().__init__(targets)
        self.held = held
        self.held_urls = {item.url: item for item in held.items}
        self.held_files: dict[Path, object] = {item.path.resolve(): item for item in held.items}
        for doc in held.documents:
            # A scheduled document's attachments are not public either.
            self.held_files.update({a.source.resolve(): doc for a in doc.attachments})

    def resolve(self, href: str, what: str) -> str | None:
        item = self._held_target(href.strip())
        if item is not None:
            self._warn(href, f"{what}指向的“{item.title}”定于 {self.held.release_of(item)} 发布")
            return None
        path = self._site_path(href.strip())
        if path and path in self.held.pages and path not in self.targets.urls:
            self._warn(href, f"{what}指向的页面“{path}”要到 {self.held.pages[path]} 有文件发布后才会生成")
            return None
        return super().resolve(href, what)

    def _warn(self, href: str, message: str) -> None:
        self.warn(href.strip(), message + "，本次构建中这个链接显示为普通文字",
                  "到发布日期后重新构建，链接会自动恢复；如果这不是你想要的，请核对相关文件的发布日期")

    @staticmethod
    def _site_path(href: str) -> str:
        """A site-absolute link as the site lists its pages: /a/b → /a/b/; empty for anything else."""
        parts = urlsplit(href)
        if parts.scheme or not parts.path.startswith("/") or href.startswith("//"):
            return ""
        last = parts.path.rsplit("/", 1)[-1]
        return parts.path if parts.path.endswith("/") or "." in last else parts.path + "/"

    def _held_target(self, href: str):
        parts = urlsplit(href)
        if parts.scheme or not parts.path or href.startswith("//"):
            return None
        if parts.path.startswith("/"):
            return self.held_urls.get(self._site_path(href))
        if self.path is None:
            return None
        return self.held_files.get((self.path.parent / posixpath.normpath(parts.path)).resolve())
