"""Markdown → safe HTML: links resolved and checked, headings below the page title, tables
made accessible, and only an allow-list of HTML left standing (nh3)."""

from __future__ import annotations

import hashlib
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from .errors import Problems
from .markdown_plain import CJK_BREAK, render_plain
from .markdown_speedups import install as install_speedups

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins",
    "sup", "sub", "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "abbr", "span", "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Built once: nh3.clean would convert the allow-lists again for every text (a third of its time).
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                       strip_comments=True)
SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class Assets:
    """Files under content/ that pages link to, each given an ASCII output path."""

    content_root: Path
    files: dict[Path, str] = field(default_factory=dict)  # source → site path

    def register(self, source: Path) -> str:
        source = source.resolve()
        if source not in self.files:
            relative = source.relative_to(self.content_root.resolve()).as_posix()
            self.files[source] = "/files/" + "/".join(_ascii_segment(s) for s in relative.split("/"))
        return self.files[source]


def _ascii_segment(segment: str) -> str:
    if SAFE_SEGMENT.match(segment):
        return segment.lower()
    stem, dot, suffix = segment.rpartition(".")
    if not dot:
        stem, suffix = segment, ""
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10]
    suffix = suffix.lower() if SAFE_SEGMENT.match(suffix or "x") else ""
    return f"f-{digest}" + (f".{suffix}" if suffix else "")


@dataclass
class LinkTargets:
    """What a link in a page may point to."""

    content_root: Path
    base_path: str
    urls: set[str]  # every page the site will have, without the base path
    # Content file (resolved) → its page URL; or a function that makes that mapping, called when a
    # link first needs it (resolving every file's path costs a system call each, for nothing
    # when no text links to a file by its path).
    sources: dict[Path, str] | Callable[[], dict[Path, str]]
    assets: Assets

    def url(self, path: str) -> str:
        return self.base_path.rstrip("/") + path

    def source_url(self, target: Path) -> str | None:
        if callable(self.sources):
            self.sources = self.sources()
        return self.sources.get(target)


class _Rewrite(Treeprocessor):
    """Resolves links and images, demotes h1, scopes table headers and joins CJK line breaks."""

    def __init__(self, md, renderer: "MarkdownRenderer"):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag == "a" and element.get("href") is not None:
                resolved = self.renderer.resolve(element.get("href"), "链接")
                element.set("href", resolved) if resolved else element.attrib.pop("href")
            elif element.tag == "img":
                resolved = self.renderer.resolve(element.get("src", ""), "图片")
                element.set("src", resolved or "")
                if not (element.get("alt") or "").strip():
                    self.renderer.warn(element.get("src", ""), "图片缺少替代文字",
                                       "写成 ![图片内容的文字说明](图片路径)，方便视障读者")
            elif element.tag == "th":
                element.set("scope", "col")
            for attr in ("text", "tail"):
                value = getattr(element, attr)
                if value and "\n" in value:
                    setattr(element, attr, CJK_BREAK.sub("", value))


class MarkdownRenderer:
    def __init__(self, targets: LinkTargets, problems: Problems):
        self.targets, self.problems = targets, problems
        self.md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "toc"],
            extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
            output_format="html",
        )
        self.md.treeprocessors.register(_Rewrite(self.md, self), "disclosure-rewrite", 1)
        install_speedups(self.md)
        self.path: Path | None = None
        self.text = ""
        self.first_line = 1

    def render(self, text: str, path: Path, first_line: int = 1) -> str:
        plain = render_plain(text)
        if plain is not None:  # nothing in it to resolve, check or sanitise
            return _wrap_tables(plain)
        self.path, self.text, self.first_line = path, text, first_line
        self.md.reset()
        html = self.md.convert(text)
        return _wrap_tables(_CLEANER.clean(html))

    def _line_of(self, needle: str) -> int:
        index = self.text.find(needle) if needle else -1
        return self.first_line + (self.text.count("\n", 0, index) if index >= 0 else 0)

    def warn(self, needle: str, message: str, fix: str) -> None:
        self.problems.warn(self.path, self._line_of(needle), message, fix)

    def resolve(self, href: str, what: str) -> str | None:
        """The site URL a link points to, or None (with a problem reported) if it points nowhere."""
        href = href.strip()
        parts = urlsplit(href)
        if parts.scheme:
            if parts.scheme.lower() in URL_SCHEMES:
                return href
            self.problems.add(self.path, self._line_of(href), f"{what}“{href}”的协议不允许，已删除",
                              "只能链接 http(s) 网址、邮箱或站内页面")
            return None
        if not parts.path:
            return href  # a fragment on the same page
        if href.startswith("//"):
            return href
        targets = self.targets
        if parts.path.startswith("/"):
            path = parts.path if parts.path.endswith("/") or "." in parts.path.rsplit("/", 1)[-1] else parts.path + "/"
            if path in targets.urls:
                return targets.url(path) + (f"#{parts.fragment}" if parts.fragment else "")
            self.problems.add(self.path, self._line_of(href), f"{what}指向的站内页面“{href}”不存在",
                              "请核对网址，如 /documents/文件名/ 、/tasks/文件名/ ；或链接到对应的 .md 文件")
            return None
        target = (self.path.parent / posixpath.normpath(parts.path)).resolve()
        source_url = targets.source_url(target)
        if source_url is not None:
            return targets.url(source_url) + (f"#{parts.fragment}" if parts.fragment else "")
        root = targets.content_root.resolve()
        if root in target.parents and target.is_file() and target.suffix.lower() != ".md":
            return targets.url(targets.assets.register(target))
        self.problems.add(self.path, self._line_of(href), f"{what}指向的文件“{href}”不存在",
                          "路径相对于本文件所在目录，请核对文件名和目录")
        return None


def _wrap_tables(html: str) -> str:
    # A wide table scrolls inside its own keyboard-focusable region instead of the whole page.
    return html.replace(
        "<table>", '<div class="table-scroll" role="region" aria-label="表格（可左右滚动）" tabindex="0"><table>'
    ).replace("</table>", "</table></div>")
