"""Markdown → safe HTML: links resolved and checked, headings below the page title, tables
made accessible, and only an allow-list of HTML left standing (nh3)."""

from __future__ import annotations

import hashlib
import html as htmllib
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode, unique
from markdown.treeprocessors import Treeprocessor

from ..errors import Problem, Problems
from ..load.filetypes import refusal
from ..load.published_paths import published_path
from .markdown_limits import MAX_CHARS, MAX_DEPTH, MAX_HTML_DEPTH, Budget, TooComplex, check_text
from .markdown_limits import install as install_limits
from .markdown_plain import CJK_BREAK, TakenIds, render_plain
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
# What browsers drop from a URL before reading it (WHATWG URL): tabs and newlines anywhere,
# control characters and spaces at either end; other control characters make no sense in one.
_URL_NOISE = re.compile(r"[\x00-\x1f\x7f]")
# Links and images in nh3's output, which writes every tag the same way: attributes in double
# quotes, with &, " and > escaped inside them.
_LINK_TAG = re.compile(r'<(a|img)((?: [a-z][a-z0-9-]*="[^"]*")*)>')
_ATTRIBUTE = re.compile(r' ([a-z][a-z0-9-]*)="([^"]*)"')
_HEADING_ID = re.compile(r'<h([2-6]) id="([^"]*)">')
# href= and src= in tags as nh3's parser will read them, quoted or not.
_RAW_URL = re.compile(r"""<[A-Za-z][^<>]*?[\s/](href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LOOKUPS = 100  # searches of a whole text for where a problem is, before giving its first line


@dataclass
class Assets:
    """Files under content/ that pages link to, each given an ASCII output path.

    The path depends on the file's own path only, so it never changes when another file comes or
    goes, and two files never share one: a name already in lowercase ASCII is kept, any other is
    told apart by a digest of its exact spelling (A.pdf beside a.pdf, 附件.PDF beside 附件.pdf)."""

    content_root: Path
    files: dict[Path, str] = field(default_factory=dict)  # source → site path
    refused: dict[tuple[Path, bool], tuple[str, str] | None] = field(default_factory=dict)

    def register(self, source: Path) -> str:
        source = source.resolve()
        if source not in self.files:
            self.files[source] = published_path(source, self.content_root)
        return self.files[source]

    def refusal(self, source: Path, image: bool = False) -> tuple[str, str] | None:
        """Why `source` must not be published (see filetypes.refusal), asked once per file."""
        key = (source, image)
        if key not in self.refused:
            self.refused[key] = refusal(source, image)
        return self.refused[key]


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


def clean_url(href: str) -> str:
    return _URL_NOISE.sub("", href.strip())


class _Rewrite(Treeprocessor):
    """Resolves links and images, demotes h1, scopes table headers and joins CJK line breaks."""

    def __init__(self, md, renderer: "MarkdownRenderer"):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        produced = self.renderer.produced
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag == "a" and element.get("href") is not None:
                resolved = self.renderer.checked(clean_url(element.get("href")), "链接")
                element.set("href", resolved) if resolved else element.attrib.pop("href")
                produced.add(resolved or "")
            elif element.tag == "img":
                src = clean_url(element.get("src", ""))
                resolved = self.renderer.checked(src, "图片")
                element.set("src", resolved or "")
                produced.add(resolved or "")
                if not (element.get("alt") or "").strip():
                    self.renderer.warn_no_alt(src)
            elif element.tag == "th":
                element.set("scope", "col")
            for attr in ("text", "tail"):
                value = getattr(element, attr)
                if value and "\n" in value:
                    setattr(element, attr, CJK_BREAK.sub("", value))


@dataclass
class Rendering:
    """What rendering one text gives. `links`: each link and image, [as written, 链接 or 图片, the
    site URL it resolved to or None], in the order met; `link_problems` are those its resolving
    reported (found again whenever the links are resolved again, see `recheck`), `text_problems`
    the others (an image without alt text, a text too complex …)."""

    html: str
    text_problems: list[Problem] = field(default_factory=list)
    link_problems: list[Problem] = field(default_factory=list)
    links: list[list] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.text_problems + self.link_problems


class MarkdownRenderer:
    """Markdown → safe HTML. `render` returns the HTML with what it found (a `Rendering`); the
    renderer keeps nothing of a text between calls but Python-Markdown's reusable parser."""

    def __init__(self, targets: LinkTargets):
        self.targets = targets
        self.md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "toc"],
            extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
            output_format="html",
        )
        self.md.treeprocessors.register(_Rewrite(self.md, self), "disclosure-rewrite", 1)
        install_speedups(self.md)
        self.budget = Budget()
        install_limits(self.md, self.budget)
        self.path: Path | None = None
        self.text = ""
        self.first_line = 1
        self.produced: set[str] = set()  # what the Markdown links and images were resolved to
        self._found = (None, 0, 0)  # (text, where the last problem was found in it, whole-text searches)
        # What the text being rendered gave so far (`render` starts them afresh and returns them).
        self._text_problems = self.problems = Problems()  # `problems`: where a problem goes now
        self._link_problems = Problems()
        self._links: list[list] = []

    def render(self, text: str, path: Path, first_line: int = 1) -> Rendering:
        plain = render_plain(text) if len(text) <= MAX_CHARS else None
        if plain is not None:  # nothing in it to resolve, check or sanitise
            return Rendering(_wrap_tables(plain))
        self._text_problems = self.problems = Problems()
        self._link_problems, self._links = Problems(), []
        html = self._html(text, path, first_line)
        return Rendering(html, self._text_problems.items, self._link_problems.items, self._links)

    def recheck(self, links: list[list], text: str, path: Path, first_line: int) -> tuple[bool, list[Problem]]:
        """Whether each of these links (a `Rendering.links` of this text) resolves as it did,
        and the problems resolving them reports now."""
        self.path, self.text, self.first_line = path, text, first_line
        self._link_problems = self.problems = Problems()
        try:
            same = all(self.resolve(href, what) == result for href, what, result in links)
        except ValueError:
            same = False
        return same, self._link_problems.items

    def _html(self, text: str, path: Path, first_line: int) -> str:
        self.path, self.text, self.first_line = path, text, first_line
        self.produced = set()
        self.md.reset()
        try:
            self.budget.start(text)
            check_text(text, self.budget)
            html = self.md.convert(text)
        except TooComplex as refused:
            self._refuse(refused)
            return ""
        except RecursionError:
            self._refuse(TooComplex("depth"))
            return ""
        if "<" in text:
            self._raw_schemes(html)
        clean = _CLEANER.clean(html)
        if "<a " in clean or "<img " in clean:
            clean = _LINK_TAG.sub(self._raw_link, clean)
        if "<h" in clean and " id=" in clean:
            clean = _unique_ids(clean)
        return _wrap_tables(clean)

    def _raw_schemes(self, html: str) -> None:
        """Report the links of raw HTML that nh3 is about to drop for their protocol (javascript:,
        data:, vbscript:, however spelt), as `resolve` reports Markdown ones."""
        for m in _RAW_URL.finditer(html):
            value = clean_url(htmllib.unescape(next(v for v in m.group(2, 3, 4) if v is not None)))
            scheme = _SCHEME.match(value)
            if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                self.warn(value, f"{'图片' if m.group(1).lower() == 'src' else '链接'}“{_short(value)}”的协议不允许，已删除",
                          "只能链接 http(s) 网址、邮箱或站内页面")

    def _raw_link(self, tag: re.Match) -> str:
        """A link or image in nh3's output that no Markdown link made (raw HTML in the text),
        resolved and checked as the Markdown ones are."""
        name, attributes = tag.group(1), dict(_ATTRIBUTE.findall(tag.group(2)))
        key = "href" if name == "a" else "src"
        value = htmllib.unescape(attributes.get(key, ""))
        if value in self.produced:
            return tag.group(0)
        resolved = self.checked(clean_url(value), "链接" if name == "a" else "图片") if value else value
        if resolved:
            attributes[key] = htmllib.escape(resolved)
        elif name == "a":
            attributes.pop(key, None)
        else:
            attributes[key] = ""
        if name == "img" and not htmllib.unescape(attributes.get("alt", "")).strip():
            self.warn_no_alt(value)
        return f"<{name}" + "".join(f' {k}="{v}"' for k, v in attributes.items()) + ">"

    def _refuse(self, refused: TooComplex) -> None:
        line = self._line_of(refused.snippet) if refused.snippet else self.first_line
        if refused.kind == "size":
            self.problems.add(self.path, self.first_line, f"正文有 {len(self.text):,} 个字符，超过了上限 {MAX_CHARS:,} 个字符",
                              "请把正文分成几个文件，或把大段的数据、表格做成附件（如 Excel、PDF）")
        elif refused.kind == "depth":
            self.problems.add(self.path, line, f"列表或引用一层套一层，超过了 {MAX_DEPTH} 层",
                              "请减少嵌套：行首每多一个“>”、列表每多缩进一级，就多一层")
        elif refused.kind == "html-depth":
            self.problems.add(self.path, line, f"HTML 标签（如 <div>）一层套一层，超过了 {MAX_HTML_DEPTH} 层",
                              "请检查是否漏写了结束标签（如 </div>）；正文请尽量用 Markdown 书写")
        else:
            self.problems.add(self.path, line, f"从这一行起的正文太复杂（{_WHAT[refused.kind]}），转换它的计算量超过了上限",
                              "要显示这些符号本身，请在符号前加反斜杠 \\（如 \\[ 、\\< 、\\`）；段落、标题、表格之间空一行；"
                              "误粘贴的内容请删去")

    def _line_of(self, needle: str) -> int:
        """The line of `needle` in the text: the first occurrence after the last one found (links
        are checked in the order they are written), else the first in the text."""
        text, after, searches = self._found
        if text is not self.text:
            after, searches = 0, 0
        index = self.text.find(needle, after) if needle else -1
        if index < 0 and needle and searches < _LOOKUPS:
            searches += 1
            index = self.text.find(needle)
        self._found = (self.text, index + 1 if index >= 0 else after, searches)
        return self.first_line + (self.text.count("\n", 0, index) if index >= 0 else 0)

    def warn(self, needle: str, message: str, fix: str) -> None:
        self.problems.warn(self.path, self._line_of(needle), message, fix)

    def warn_no_alt(self, src: str) -> None:
        self.warn(src, "图片缺少替代文字", "写成 ![图片内容的文字说明](图片路径)，方便视障读者")

    def checked(self, href: str, what: str) -> str | None:
        """`resolve`, recorded in the rendering's links, with a URL that cannot be parsed at all
        (//[x) reported instead of raised."""
        self.problems = self._link_problems
        try:
            result = self.resolve(href, what)
        except ValueError:
            self.problems = self._text_problems
            self.problems.add(self.path, self._line_of(href), f"{what}“{_short(href)}”不是有效的网址", "请核对网址的写法")
            return None
        self.problems = self._text_problems
        self._links.append([href, what, result])
        return result

    def resolve(self, href: str, what: str) -> str | None:
        """The site URL a link points to, or None (with a problem reported) if it points nowhere."""
        href = href.strip()
        parts = urlsplit(href.replace("\\", "/"))  # as browsers read it: a backslash is a slash
        if parts.scheme:
            if parts.scheme.lower() in URL_SCHEMES:
                if what == "图片":
                    self._foreign_image(href)
                return href
            self.warn(href, f"{what}“{_short(href)}”的协议不允许，已删除", "只能链接 http(s) 网址、邮箱或站内页面")
            return None
        if parts.netloc:  # //host/…: another site, over the page's own protocol
            if what == "图片":
                self._foreign_image(href)
            return href
        if not parts.path:
            return href  # a fragment on the same page
        targets = self.targets
        if parts.path.startswith("/"):
            path = parts.path if parts.path.endswith("/") or "." in parts.path.rsplit("/", 1)[-1] else parts.path + "/"
            if path in targets.urls:
                return targets.url(path) + (f"#{parts.fragment}" if parts.fragment else "")
            self.problems.add(self.path, self._line_of(href), f"{what}指向的站内页面“{_short(href)}”不存在",
                              "请核对网址，如 /documents/文件名/ 、/tasks/文件名/ ；或链接到对应的 .md 文件")
            return None
        target = self._target(parts.path)
        if target is not None:
            source_url = targets.source_url(target)
            if source_url is not None:
                return targets.url(source_url) + (f"#{parts.fragment}" if parts.fragment else "")
            if target.suffix.lower() != ".md":
                refused = targets.assets.refusal(target, image=what == "图片")
                if refused is not None:
                    self.problems.add(self.path, self._line_of(href), f"{what}指向的文件“{_short(href)}”{refused[0]}", refused[1])
                    return None
                return targets.url(targets.assets.register(target))
        self.problems.add(self.path, self._line_of(href), f"{what}指向的文件“{_short(href)}”不存在",
                          "路径相对于本文件所在目录，请核对文件名和目录")
        return None

    def _target(self, path: str) -> Path | None:
        """The file under content/ a relative link names (as written, or with %xx decoded)."""
        root = self.targets.content_root.resolve()
        for spelling in dict.fromkeys((path, unquote(path))):
            try:
                target = (self.path.parent / posixpath.normpath(spelling)).resolve()
                if root in target.parents and (target.is_file() or self.targets.source_url(target) is not None):
                    return target
            except (OSError, ValueError):  # a name too long for the file system, a NUL in it
                continue
        return None

    def _foreign_image(self, src: str) -> None:
        self.warn(src, f"图片“{_short(src)}”在其他网站上，本网站的安全策略（CSP）不允许显示其他网站的图片",
                  "请把图片下载下来放进 content/（如本文件旁的 images/ 目录），再用相对路径引用")


_WHAT = {
    "brackets": "大量没有配对的方括号“[”",
    "html": "大量没有写完的 HTML 标签，“<”之后没有“>”",
    "blocks": "大量标题、分隔线、表格、引用、列表或链接定义挤在一段里，中间没有空行",
    "inline": "大量加粗、斜体、代码、链接等格式符号挤在一段里",
    "fences": "大量没有结束的代码块标记“```”或“~~~”",
    "backticks": "大量没有配对的反引号“`”",
}


def _short(url: str) -> str:
    return url if len(url) <= 100 else url[:100] + "…"


def _unique_ids(html: str) -> str:
    """Heading ids unique in the text and apart from the page's own (see TakenIds): those from
    Markdown headings are already; raw HTML headings may bring any."""
    taken, counters = TakenIds(), {}

    def unique_id(m: re.Match) -> str:
        given = m.group(2)
        new = unique(given, taken, counters)
        return m.group(0) if new == given else f'<h{m.group(1)} id="{new}">'

    return _HEADING_ID.sub(unique_id, html)


def _wrap_tables(html: str) -> str:
    # A wide table scrolls inside its own keyboard-focusable region instead of the whole page.
    return html.replace(
        "<table>", '<div class="table-scroll" role="region" aria-label="表格（可左右滚动）" tabindex="0"><table>'
    ).replace("</table>", "</table></div>")


class UncachedMarkdown:
    """The Markdown step as pages use it, without a cache. orchestrate/mdcache.CachedMarkdown
    offers the same methods with one; the build hands that in (render/ knows no cache)."""

    hits = misses = 0

    def __init__(self, renderer: MarkdownRenderer):
        self.renderer = renderer

    def render(self, text: str, path: Path, first_line: int = 1) -> Rendering:
        return self.renderer.render(text, path, first_line)

    def batch_html(self, text: str, path: Path, first_line: int = 1) -> str | None:
        return None  # nothing is kept between pages

    def learn_keys(self, texts, places) -> None:
        pass

    def problems_without_html(self, texts) -> list[Problem] | None:
        return None  # without the outcomes of an earlier rendering, texts must be rendered

    def links(self, texts) -> str:
        """What CachedMarkdown.links says of texts it has no outcome for."""
        return hashlib.sha256(repr([()] * len(texts)).encode()).hexdigest()
