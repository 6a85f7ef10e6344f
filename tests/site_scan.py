"""A scan of a built site for what must never be published, whatever the content said: files that
run script on the site's domain, event attributes, inline or foreign scripts, dangerous URL
schemes, and CSV cells that spreadsheets run as formulas. conftest runs it after every build a
test makes, so a new way through the sanitiser fails a test, not a citizen."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from xml.etree import ElementTree
from html.parser import HTMLParser
from pathlib import Path

# What a browser may run or render as an active document when served from the site's domain.
SCRIPT_CAPABLE = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".js",
                  ".mjs", ".mht", ".mhtml", ".swf", ".wasm", ".xbl", ".hta", ".pdf.html"}
# The site's own files of those kinds: made by the build or shipped with the templates.
OWN = re.compile(r"^(?:[^/]+\.html|(?:[^/]+/)*index\.html|static/[^/]+|pagefind/.+|feeds/.+\.xml|sitemap\.xml"
                 r"|api/[^/]+\.xml"
                 # the editing desk: its script and the vendored Decap CMS (render/desk.py, hash-checked)
                 r"|admin/desk\.js|admin/decap/(?:[0-9]+\.)?decap-cms\.js)$")
DANGEROUS_URL = re.compile(r"^\s*(?:javascript|vbscript|data|file|blob|livescript|mocha):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data",
                  "codebase", "cite", "manifest", "ping"}
ACTIVE_MARKUP = re.compile(rb"<\s*(?:script|svg|html|iframe|object|embed|body|\?xml)\b|<!doctype\s+html", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Page(HTMLParser):
    def __init__(self, name: str, findings: list[str]):
        super().__init__(convert_charrefs=True)
        self.name, self.findings = name, findings
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for attr, value in attrs:
            value = value or ""
            if attr.startswith("on"):
                self.findings.append(f"{self.name}: event attribute {attr}= on <{tag}>")
            if attr in URL_ATTRIBUTES and DANGEROUS_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                self.findings.append(f"{self.name}: {attr}={value[:60]!r} on <{tag}>")
            if attr == "style" and re.search(r"url\s*\(|expression\s*\(", value, re.IGNORECASE):
                self.findings.append(f"{self.name}: style with url()/expression() on <{tag}>")
        if tag == "script":
            source = dict(attrs).get("src")
            if source is None and dict(attrs).get("type") == "application/ld+json":
                self.in_script = "data"  # a data block the browser never runs; it must be JSON and only JSON
            elif source is None:
                self.in_script = True
            elif re.match(r"^(?:[a-z]+:)?//", source, re.IGNORECASE):
                self.findings.append(f"{self.name}: script from elsewhere {source[:60]!r}")
        if tag in ("iframe", "object", "embed", "frame", "frameset", "base", "applet", "portal"):
            self.findings.append(f"{self.name}: <{tag}>")
        if tag == "form" and re.match(r"^(?:[a-z]+:)?//", dict(attrs).get("action") or "", re.IGNORECASE):
            self.findings.append(f"{self.name}: a form that sends to elsewhere")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.findings.append(f"{self.name}: <meta http-equiv=refresh>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script == "data":
            try:
                json.loads(data)
            except ValueError:
                self.findings.append(f"{self.name}: a JSON-LD block that is not JSON {data.strip()[:60]!r}")
            if "<" in data:  # "</script" or "<!--" would end or change the block
                self.findings.append(f"{self.name}: '<' in a JSON-LD block")
        elif self.in_script and data.strip():
            self.findings.append(f"{self.name}: inline script {data.strip()[:60]!r}")


def _csv_findings(name: str, data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [f"{name}: row {number} cell {cell[:40]!r} starts a formula"
            for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1)
            for cell in row if cell.startswith(FORMULA_START)]


# Files already scanned, by name and content (of an attachment, the head a browser sniffs): most
# builds a test makes publish the same bundled content, and an incremental build links unchanged
# files from the last site; a file already seen is read and hashed, not parsed again.
_SCANNED: dict[tuple[str, bytes], list[str]] = {}


def entries(folder: Path) -> list[tuple[str, os.DirEntry]]:
    """Every entry below `folder`, by its path relative to it ("a/b.html"), as sorted(folder.rglob("*"))
    lists them: symbolic links are listed, not followed into. Read with os.scandir, whose entries
    know their type: a site of hundreds of files is listed in a few milliseconds, not tens (the
    tests list a site after every build)."""
    found: list[tuple[str, os.DirEntry]] = []

    def visit(path: str, prefix: str) -> None:
        try:
            with os.scandir(path) as listing:
                for entry in listing:
                    name = prefix + entry.name
                    found.append((name, entry))
                    if entry.is_dir(follow_symlinks=False):
                        visit(entry.path, name + "/")
        except PermissionError:  # as rglob: a folder that cannot be listed is passed over
            return

    visit(str(folder), "")
    found.sort(key=lambda item: item[0].split("/"))
    return found


def scan(site: Path) -> list[str]:
    """Everything wrong with a built site, as lines naming the file; [] for a clean one."""
    findings: list[str] = []
    for name, entry in entries(site):
        if entry.is_file() and not entry.is_symlink():
            path = Path(entry.path)
            data = _head(path) if name.startswith("files/") else path.read_bytes()
            key = (name, hashlib.sha256(data).digest())
            if key not in _SCANNED:
                _SCANNED[key] = _scan_file(name, data)
            findings += _SCANNED[key]
        elif entry.is_symlink():
            findings.append(f"{name}: symbolic link")
    return findings


def _head(path: Path) -> bytes:
    """What a browser sniffs of an attachment: its first bytes (attachments may be large)."""
    with open(path, "rb") as stream:
        return stream.read(4096)


def _scan_file(name: str, data: bytes) -> list[str]:
    findings: list[str] = []
    path = Path(name)
    suffix = path.suffix.lower()
    if (suffix in SCRIPT_CAPABLE or "".join(path.suffixes[-2:]).lower() in SCRIPT_CAPABLE) and not OWN.match(name):
        findings.append(f"{name}: a script-capable file type published")
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        findings.append(f"{name!r}: control character in a published path")
    if name.startswith("files/"):
        if ACTIVE_MARKUP.search(data):
            findings.append(f"{name}: attachment whose bytes a browser would sniff as a web page or image with script")
        return findings
    if suffix == ".html":
        _Page(name, findings).feed(data.decode("utf-8", "replace"))
    elif suffix == ".csv":
        findings += _csv_findings(name, data)
    elif suffix in (".xml", ".json"):  # the HTML that exports and feeds carry, as a reader would get it
        for fragment in _embedded_html(suffix, data):
            _Page(name, findings).feed(fragment)
    return findings


def _embedded_html(suffix: str, data: bytes) -> list[str]:
    """The HTML an export carries as HTML (titles and other fields are text, which its readers
    escape): "body_html" in JSON, and Atom elements of type="html"."""
    if suffix == ".json":
        found: list[str] = []

        def walk(value):
            if isinstance(value, dict):
                for key, item in value.items():
                    if key.endswith("_html") and isinstance(item, str):
                        found.append(item)
                    else:
                        walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(json.loads(data))
        return found
    return [element.text for element in ElementTree.fromstring(data).iter()
            if element.text and element.get("type") in ("html", "xhtml")]
