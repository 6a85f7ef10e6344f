"""Which files from content/ may be published beside the pages.

Everything under /files/ is served from the site's own domain, where the meta CSP of the pages
does not reach: an HTML, SVG or XML file there runs its scripts as if the site had written them.
So only an allow-list of the types editors attach is published, and each file's first bytes are
looked at too, because a browser that is sent no type, or a vague one, guesses it from the content
(a “.pdf” or “.txt” that is really a web page). docs/deploy.md lists the headers that close the
rest of the gap on the web server (nosniff, Content-Disposition: attachment).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .regular_files import open_regular

IMAGES = ("jpg", "jpeg", "png", "gif", "webp", "bmp")
DOCUMENTS = ("pdf", "ofd", "doc", "docx", "wps", "rtf", "odt", "txt", "xls", "xlsx", "et", "csv", "ods",
             "ppt", "pptx", "dps", "odp", "zip", "rar", "7z", "tif", "tiff", "mp3", "mp4")
ATTACHMENTS = DOCUMENTS + IMAGES
TEXTS = {"txt", "csv", "rtf"}  # shown as text, and sniffed for markup anywhere in their head

SNIFFED_BYTES = 1445  # what the WHATWG MIME Sniffing standard reads of a resource
_MARKUP_START = re.compile(rb"<[!?/A-Za-z]")
# In the head of a text file, the tags that make a page that runs script (older browsers looked
# for them anywhere there); “a<b” in a sentence is not one.
_MARKUP_TAG = re.compile(
    rb"<\s*(?:!doctype|\?xml|script|html|head|body|iframe|frame|frameset|svg|math|object|embed|meta|link|style"
    rb"|form|base|xsl:[a-z]+)[\s/>]",
    re.IGNORECASE,
)


def refusal(path: Path, image: bool = False) -> tuple[str, str] | None:
    """Why the file must not be published, as (what is wrong, how to fix it); None if it may be.
    With `image`, the file is shown in a page by <img>, so it must be an image."""
    suffix = path.suffix.lower().lstrip(".")
    allowed = IMAGES if image else ATTACHMENTS
    if suffix not in allowed:
        kind = f"类型 .{suffix}" if suffix else "没有扩展名，类型"
        if image:
            return (f"{kind}不是网页能显示的图片格式",
                    f"图片只能是 {'、'.join(IMAGES)} 格式；SVG 等格式请转成 PNG 后再用")
        return (f"{kind}不能发布",
                f"附件只能是这些类型：{'、'.join(ATTACHMENTS)}。网页（html）、SVG、XML、脚本等文件会在本网站上运行，"
                "请转成 PDF（图片转成 PNG 或 JPG）后再附上")
    head = _head(path)
    if head is None:
        return "无法读取，或不是普通文件", "请检查这个文件是否存在、是否有读取权限；附件不能是目录、管道或设备"
    if looks_like_markup(head, suffix in TEXTS):
        return (f"扩展名是 .{suffix}，内容却是网页代码（HTML、SVG 或 XML），浏览器可能把它当作网页运行",
                "请用原来的软件把它另存为真正的 PDF、Word、Excel 或图片文件后再附上")
    return None


def looks_like_markup(head: bytes, text: bool) -> bool:
    """Whether a browser sniffing these first bytes could take them for HTML or XML."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\n\r\f")
    return bool(_MARKUP_START.match(head)) or (text and _MARKUP_TAG.search(head) is not None)


def _head(path: Path) -> bytes | None:
    # Opened without waiting, and only if regular: a named pipe in content/ must not stall the build.
    handle = open_regular(path)
    if handle is None:
        return None
    try:
        return os.pread(handle, SNIFFED_BYTES, 0)
    except OSError:
        return None
    finally:
        os.close(handle)
