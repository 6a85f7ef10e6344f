"""Bodies and attachments written to hurt (issue 15: defects 3, 10, 11 and 16, and the smaller
findings on links, images, heading ids and warnings). Most run the Markdown renderer in process;
a full build only where what is published, or left alone, is the point."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_helpers import build, tree
from conftest import ROOT
from content_helpers import write_document
from disclosure.errors import Problems
from disclosure.load.filetypes import ATTACHMENTS, looks_like_markup, refusal
from disclosure.load.published_paths import ascii_segment as _ascii_segment
from disclosure.render.markdown import Assets, LinkTargets, MarkdownRenderer
from disclosure.render.markdown_limits import MAX_DEPTH, MAX_HTML_DEPTH
from disclosure.render.markdown_plain import TEMPLATE_ID, TEMPLATE_IDS
from disclosure.model.validate import _warn_unsafe

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


class Page:
    """One body rendered as the build renders it, beside files and pages a test puts there."""

    def __init__(self, root: Path, urls=(), sources=None):
        self.root = root
        self.problems = Problems()
        self.assets = Assets(root)
        targets = LinkTargets(root, "/", set(urls), dict(sources or {}), self.assets)
        self.renderer = MarkdownRenderer(targets)
        self.path = root / "documents" / "doc.md"
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def file(self, relative: str, data: bytes) -> Path:
        path = self.path.parent / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def render(self, text: str, first_line: int = 1) -> str:
        rendering = self.renderer.render(text, self.path, first_line)
        self.problems.extend(rendering.problems)
        return rendering.html

    def messages(self, severity: str | None = None) -> list[tuple[int, str]]:
        return [(p.line, p.message) for p in self.problems.items if severity is None or p.severity == severity]

    def errors(self) -> list[tuple[int, str]]:
        return [(p.line, p.message) for p in self.problems.errors]


@pytest.fixture
def page(tmp_path) -> Page:
    return Page(tmp_path / "content")


# --- defect 3: nothing script-capable is published under /files/ ---------------------------------------


@pytest.mark.parametrize("name, data", [
    ("evil.html", HTML), ("evil.htm", HTML), ("evil.xhtml", HTML), ("evil.shtml", HTML), ("evil.svg", SVG),
    ("evil.SVG", SVG), ("evil.svgz", SVG), ("evil.xml", SVG), ("evil.xsl", SVG), ("evil.js", b"alert(1)"),
    ("evil.mht", HTML), ("evil", HTML), ("evil.pdf.html", HTML), ("evil.swf", b"FWS"),
    ("evil.pdf", HTML), ("evil.png", SVG), ("evil.txt", b"\xef\xbb\xbf  <script>alert(1)</script>"),
    ("evil.csv", b"a,b\n1,<script>alert(1)</script>\n"), ("evil.docx", b"\n\n<html><script>x</script>"),
    ("evil.doc", "<html>".encode("utf-16")),
])
def test_a_script_capable_attachment_or_link_is_refused(page, name, data):
    page.file(f"files/{name}", data)
    html = page.render(f"见[附件](files/{name})。\n\n![图](files/{name})")
    errors = page.errors()
    assert len(errors) == 2, errors
    assert all(name in message for _, message in errors)
    assert "files/" not in html.replace(f"files/{name}", "")  # linked nowhere
    assert page.assets.files == {}


@pytest.mark.parametrize("name, data", [
    ("fujian.pdf", PDF), ("biao.xlsx", b"PK\x03\x04" + b"\0" * 40), ("shuoming.txt", "说明：见下表 a<b 与 c>d。".encode()),
    ("data.csv", "序号,事项\n1,完成\n".encode()), ("tu.png", PNG), ("kong.pdf", b""),
])
def test_real_attachments_are_published(page, name, data):
    page.file(f"files/{name}", data)
    html = page.render(f"见[附件](files/{name})。")
    assert page.errors() == []
    assert f'href="/files/documents/files/{name}"' in html


def test_an_image_must_be_a_picture_a_page_can_show(page):
    page.file("files/table.pdf", PDF)
    page.file("files/tu.png", PNG)
    page.render("![表](files/table.pdf)\n\n![图](files/tu.png)")
    assert [message for _, message in page.errors()] == [
        "图片指向的文件“files/table.pdf”类型 .pdf不是网页能显示的图片格式"]


def test_sniffing_sees_markup_however_it_is_dressed():
    assert looks_like_markup(b"\xef\xbb\xbf\r\n <html>", False)
    assert looks_like_markup("<svg>".encode("utf-16-le").join([b"\xff\xfe", b""]), False)
    assert looks_like_markup(b"<?xml version='1.0'?><x/>", False)
    assert looks_like_markup(b"title\n<iframe src=x>", True)  # text types: anywhere in their head
    assert not looks_like_markup(b"%PDF-1.7 <html>", False)  # a real PDF starts with its signature
    assert not looks_like_markup("一、总体要求 a<b".encode(), True)


def test_the_allow_list_holds_no_script_capable_type():
    from site_scan import SCRIPT_CAPABLE

    assert not {f".{suffix}" for suffix in ATTACHMENTS} & SCRIPT_CAPABLE


def test_a_script_capable_attachment_in_front_matter_fails_the_build_and_keeps_the_site(
        built_project, capsys, monkeypatch):
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    before = tree(site)
    files = project / "content" / "documents" / "test" / "files"
    files.mkdir(parents=True)
    (files / "evil.svg").write_bytes(SVG)
    path = write_document(project / "content", "2026-evil", attachments=[{"file": "files/evil.svg", "title": "附件"}])
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 1
    assert f"{path.relative_to(project).as_posix()}" in run.err or "2026-evil.md" in run.err
    assert "附件文件“files/evil.svg”类型 .svg不能发布" in run.err
    assert "请转成 PDF" in run.err
    assert tree(site) == before


def test_an_attachment_swapped_for_a_web_page_behind_the_caches_is_refused(project, capsys, monkeypatch):
    """The load cache keys a file's attachments by name and size: a file rewritten in place with
    as many bytes of HTML is still looked at, just before it is published."""
    files = project / "content" / "documents" / "test" / "files"
    files.mkdir(parents=True)
    attachment = files / "fujian.pdf"
    attachment.write_bytes(PDF.ljust(200, b" "))
    write_document(project / "content", "2026-fujian", attachments=[{"file": "files/fujian.pdf", "title": "附件"}])
    site = project / "site"
    assert build(capsys, monkeypatch, project, site).code == 0
    before = tree(site)
    attachment.write_bytes(HTML.ljust(200, b" "))
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 1
    assert "fujian.pdf" in run.err and "内容却是网页代码" in run.err
    assert tree(site) == before


# --- defect 11: two files never share a published path -------------------------------------------------


def test_names_that_differ_in_case_are_published_apart(project, capsys, monkeypatch):
    files = project / "content" / "documents" / "test" / "files"
    files.mkdir(parents=True)
    names = ["a.pdf", "A.pdf", "A.PDF", "附件.pdf", "附件.PDF", "Files.pdf"]
    for index, name in enumerate(names):
        (files / name).write_bytes(PDF + f"% {index}\n".encode())
    write_document(project / "content", "2026-case", attachments=[{"file": f"files/{n}", "title": n} for n in names])
    site = project / "site"
    assert build(capsys, monkeypatch, project, site).code == 0
    record = json.loads((site / "api" / "documents" / "2026-case.json").read_text("utf-8"))
    urls = [a["url"] for a in record["attachments"]]
    assert len(set(urls)) == len(names)
    for name, url in zip(names, urls):
        published = site / url.split("/", 3)[3]
        assert published.read_bytes() == (files / name).read_bytes(), name
        assert published.name == published.name.lower()  # apart on case-insensitive servers too


def test_a_name_forged_to_meet_another_files_published_name_is_refused(project, capsys, monkeypatch):
    files = project / "content" / "documents" / "test" / "files"
    files.mkdir(parents=True)
    (files / "附件.pdf").write_bytes(PDF)
    forged = _ascii_segment("附件.pdf")
    (files / forged).write_bytes(PDF + b"% forged\n")
    write_document(project / "content", "2026-forged", attachments=[
        {"file": "files/附件.pdf", "title": "真"}, {"file": f"files/{forged}", "title": "假"}])
    run = build(capsys, monkeypatch, project, project / "site")
    assert run.code == 1
    assert f"会发布成同一个网址 /files/documents/test/files/{forged}" in run.err
    assert not (project / "site").exists()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("aA.-_1附件 ~f"), min_size=1, max_size=8).filter(
    lambda s: s not in (".", "..")), min_size=2, max_size=12, unique=True))
def test_distinct_names_never_share_a_segment(names):
    segments = [_ascii_segment(name) for name in names]
    assert len(set(segments)) == len(names)
    assert len({segment.lower() for segment in segments}) == len(names)


def test_lowercase_names_keep_their_published_path():
    assert _ascii_segment("fujian-1.pdf") == "fujian-1.pdf"
    assert _ascii_segment("附件1.pdf") == _ascii_segment("附件1.pdf")  # stable across builds
    assert _ascii_segment("a.pdf\n") != "a.pdf"


# --- defect 10: a text that would take for ever is refused, with its line -----------------------------


QUADRATIC = {
    "brackets": "[" * 8000,
    "image brackets": "![" * 8000,
    "unfinished tags": "<a " * 16000,
    "unclosed links": "[a](b " * 10000,
    "backticks": " ".join("`" * i for i in range(1, 400)),
    "fences": "```a\n" * 20000,
    "headings without blank lines": "\n".join("# 标题" for _ in range(40000)),
    "nested quotes": ">" * 5000 + " 引用",
    "nested lists": "".join("    " * i + "- 项\n" for i in range(200)),
    "nested divs": "<div>" * 20000,
    "too long": "字" * 1_000_001,
}


@pytest.mark.parametrize("name", QUADRATIC)
def test_a_text_that_costs_too_much_is_refused_with_its_line(page, name):
    text = "第一段。\n\n第二段。\n\n" + QUADRATIC[name]
    assert page.render(text, first_line=7) == ""
    errors = page.errors()
    assert len(errors) == 1, errors
    line, message = errors[0]
    assert re.search(r"正文太复杂|超过了 \d+ 层|超过了上限", message), message
    assert line == (7 if name == "too long" else 11), (line, message)


def test_dense_real_markup_is_not_refused(page):
    """The budget is for shapes that cost the square of their length, not for long tables and lists."""
    table = "| 序号 | 事项 | 责任单位 |\n| --- | --- | --- |\n" + "".join(
        f"| {i} | **事项**{i} 完成 | 区财政局 |\n" for i in range(5000))
    listing = "".join(f"- 第{i}项，[链接](https://www.gov.cn/{i}) 与 *强调*\n" for i in range(5000))
    links = " ".join(f"[第{i}号](https://www.gov.cn/{i})" for i in range(5000))
    quotes = "\n".join(f"> 引用第{i}行 **重点**" for i in range(5000))
    html = page.render("\n\n".join([table, listing, links, quotes]))
    assert page.errors() == []
    assert html.count("<tr>") == 5001 and html.count("<li>") == 5000 and html.count("<a ") == 10000


def test_the_limits_say_what_they_are(page):
    page.render(">" * (MAX_DEPTH + 1) + " 引用")
    page.render("<div>" * (MAX_HTML_DEPTH + 1))
    assert [message for _, message in page.errors()] == [
        f"HTML 标签（如 <div>）一层套一层，超过了 {MAX_HTML_DEPTH} 层", f"列表或引用一层套一层，超过了 {MAX_DEPTH} 层"]


def test_a_refused_text_leaves_the_renderer_fit_for_the_next(page):
    page.render("[" * 8000)
    assert page.render("**第二份**文件。") == "<p><strong>第二份</strong>文件。</p>"
    assert len(page.errors()) == 1


def test_every_real_law_renders_within_the_budget(tmp_path):
    # The bundled laws always; the whole shared corpus as well where this checkout has it beside it.
    bundled = sorted((ROOT / "tests" / "corpus" / "laws").rglob("*.md"))
    shared = sorted((ROOT.parent / "shared" / "corpus" / "laws").rglob("*.md"))
    texts = [path.read_text("utf-8") for path in bundled + shared]
    assert len(bundled) >= 10 and len(texts) >= 10 + (300 if shared else 0)
    # Many in one body too: the budget grows with the text, it is not one per document.
    texts.append("\n\n".join(texts[:40]))
    page = Page(tmp_path / "content")
    for text in texts:
        page.render(text)
    too_complex = [m for _, m in page.errors() if "太复杂" in m or "超过了" in m]
    assert too_complex == []


# --- defect 16: links and images in raw HTML are checked as Markdown ones are --------------------------


def test_raw_html_links_are_resolved_and_checked(page):
    other = page.file("other.md", b"")
    page.file("files/fujian.pdf", PDF)
    page.file("files/evil.svg", SVG)
    page.renderer.targets.sources = {other.resolve(): "/documents/other/"}
    page.renderer.targets.urls = {"/documents/other/"}
    html = page.render(
        '<p><a href="other.md#part">另一份</a> <a href="files/fujian.pdf">附件</a> <a href="missing.md">缺</a></p>\n\n'
        '<p><a href="files/evil.svg">图</a> <img src="files/evil.svg" alt="图"> <a href="/documents/nope/">无</a></p>\n\n'
        '<p><a href="JaVa&#x53;cript:alert(1)">点</a> <a href="java&#10;script:alert(2)">点</a> '
        '<img src="data:image/svg+xml,x" alt="x"></p>')
    assert '<a href="/documents/other/#part">另一份</a>' in html
    assert '<a href="/files/documents/files/fujian.pdf">附件</a>' in html
    assert "evil.svg" not in html.replace(">图<", "")
    assert "missing.md" not in html and "script:" not in html.lower()
    errors = [message for _, message in page.errors()]
    assert "链接指向的文件“missing.md”不存在" in errors
    assert "链接指向的站内页面“/documents/nope/”不存在" in errors
    assert sum("evil.svg" in message for message in errors) == 2
    warnings = [message for _, message in page.messages("warning")]
    assert sum("的协议不允许，已删除" in message for message in warnings) == 3, warnings
    assert "data:" not in html


def test_raw_html_images_need_alt_text_and_this_site(page):
    page.file("tu.png", PNG)
    html = page.render('<img src="tu.png">\n\n<img src="https://cdn.example.com/x.png" alt="外站">')
    assert 'src="/files/documents/tu.png"' in html
    warnings = [message for _, message in page.messages("warning")]
    assert "图片缺少替代文字" in warnings
    assert any("在其他网站上" in message for message in warnings)


def test_markdown_links_with_hidden_characters_are_read_as_browsers_read_them(page):
    page.file("files/evil.svg", SVG)
    html = page.render("[a](java\nscript:alert(1)) [b](files\\evil.svg) [c](files/evil%2Esvg)")
    assert "script:" not in html and "evil" not in html
    assert len(page.errors()) == 2


def test_an_unparsable_url_is_a_message_not_a_traceback(page):
    page.render("[坏](//[abc) 与 <a href='http://[::1'>坏</a>")
    assert any("不是有效的网址" in message for _, message in page.errors())


def test_problems_are_placed_on_their_own_lines(page):
    page.render("第一段。\n\n[缺](a.md)\n\n第三段\n\n[缺](a.md)\n\n<a href='b.md'>缺</a>", first_line=5)
    assert [line for line, _ in page.errors()] == [7, 11, 13]


# --- heading ids, and warnings that are true ---------------------------------------------------------


def test_heading_ids_never_take_an_id_the_page_uses(page):
    html = page.render("## main\n\n## search-input\n\n## task-3\n\n<h2 id=\"doc-title\">x</h2>\n\n"
                       "<h3 id=\"dup\">a</h3>\n\n<h3 id=\"dup\">b</h3>")
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 6
    assert not set(ids) & {"main", "search-input", "task-3", "doc-title"}


def test_the_reserved_ids_are_the_templates_ids():
    """Every id a template writes literally is reserved (a heading of the text may not take it)."""
    written = set()
    for template in (ROOT / "templates").rglob("*.html"):
        written.update(re.findall(r'\bid="([A-Za-z][\w-]*)"', template.read_text("utf-8")))
    assert written, "no ids found: the scan is looking in the wrong place"
    missing = {i for i in written if i not in TEMPLATE_IDS and not TEMPLATE_ID.fullmatch(i)}
    assert not missing


def test_html_in_code_raises_no_unsafe_warning():
    text = ("讲解 `<script>` 标签和 `onclick=` 属性。\n```html\n<script>alert(1)</script>\n```\n"
            "句子里说 javascript: 与 one=1。\n~~~\n<iframe src=x>\n")
    problems = Problems()
    _warn_unsafe("doc.md", text.split("\n"), 10, problems)
    assert [(p.line, p.message) for p in problems.items] == [(16, "正文中有不安全的 HTML“<iframe”，发布时已被删除")]


def test_unsafe_html_warnings_name_what_is_removed():
    problems = Problems()
    _warn_unsafe("doc.md", ["<img src=a.png alt=图 onerror=alert(1)>", "<script>x</script>"], 1, problems)
    assert [p.message for p in problems.items] == ["正文中有不安全的 HTML“onerror=”，发布时已被删除",
                                                    "正文中有不安全的 HTML“<script”，发布时已被删除"]


def test_refusal_of_what_is_not_a_regular_file(tmp_path):
    import os

    (tmp_path / "dir.pdf").mkdir()
    assert refusal(tmp_path / "dir.pdf") is not None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.pdf")
        assert refusal(tmp_path / "pipe.pdf") is not None  # and it did not wait for a writer


def test_a_raw_html_link_to_another_document_works_in_the_built_site(project, capsys, monkeypatch):
    write_document(project / "content", "2026-a", body='见<a href="2026-b.md">另一份通知</a>。')
    write_document(project / "content", "2026-b")
    site = project / "site"
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    page = (site / "documents" / "2026-a" / "index.html").read_text("utf-8")
    assert re.search(r'<a href="[^"]*/documents/2026-b/">另一份通知</a>', page)
    shutil.rmtree(site)


def test_the_server_headers_in_deploy_md_carry_the_pages_policy():
    """docs/deploy.md gives the web server the same CSP as the pages' meta (and more)."""
    base = (ROOT / "templates" / "base.html").read_text("utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', base).group(1)
    deploy = (ROOT / "docs" / "deploy.md").read_text("utf-8")
    assert deploy.count(f"{policy}; frame-ancestors 'self'") == 2  # nginx and Apache
    assert deploy.count("nosniff") >= 3 and "Content-Disposition" in deploy
