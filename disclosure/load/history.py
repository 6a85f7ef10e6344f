"""The content's git history, read once for the whole build: each published document's 更正记录.

One `git log` over content/documents/ lists, per commit, the blob of every document file before
and after it; one `git cat-file --batch` then reads only the blobs of the changes that count (on
or after the document's `published` day), so a build of 10,000 documents with a long history
reads a few hundred blobs, not every version of every file. A document is followed by its id
(the file name stem), so moving it to another folder keeps its record. Without git, outside a
repository, or in a shallow clone, the build goes on and the build log says why once.
Dates are the committer's, in China time, so the same repository gives the same record.
"""

from __future__ import annotations

import codecs
import difflib
import re
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

from ..errors import Problems
from .loader import DOCUMENT
from .models import Correction, FieldChange, ParagraphChange
from .reading import MAX_FILE_BYTES
from .source import split_front_matter

CHINA = timezone(timedelta(hours=8))
TIMEOUT = 300  # seconds for each git process: a history this slow to read is not read at all
FOLDER = "documents"
_COMMIT = re.compile(r"^([0-9a-f]{40,64}) (\d+)$")
_NO_BLOB = re.compile(r"^0+$")
# Words of Latin letters and digits are compared whole, Chinese character by character.
_TOKENS = re.compile(r"[A-Za-z0-9]+|\s+|.", re.S)
_MAX_TOKENS = 20000  # a paragraph longer than this is shown as replaced whole, not diffed


@dataclass
class History:
    """What the build knows of each document's corrections, and a line for the build log when
    the record is missing or incomplete ("" when the whole history was read)."""

    corrections: dict[str, tuple[Correction, ...]] = field(default_factory=dict)
    note: str = ""


@dataclass
class _Change:
    day: date
    old: str  # blob ids
    new: str


def read_history(root: Path, published: dict[str, date], git: str = "git") -> History:
    """The corrections of each document in `published` (id → its publication day)."""
    root = Path(root)
    try:
        probe = _run([git, "rev-parse", "--is-shallow-repository"], root)
    except FileNotFoundError:
        return History(note=_unavailable("没有找到 git 程序"))
    except (OSError, subprocess.SubprocessError) as exc:
        return History(note=_unavailable(f"无法运行 git（{type(exc).__name__}）"))
    if probe.returncode != 0:
        return History(note=_unavailable("内容目录不在 git 仓库里（例如从压缩包解出）"))
    shallow = probe.stdout.strip() == b"true"
    try:
        changes, commits = _log(root, published, git)
        blobs = _blobs(root, sorted({b for found in changes.values() for c in found for b in (c.old, c.new)}), git)
    except (OSError, subprocess.SubprocessError, _GitFailed) as exc:
        return History(note=_unavailable(f"读取 git 历史失败（{exc}）"))
    corrections = {}
    for doc_id in sorted(changes):
        found = tuple(c for c in (_compare(change, blobs) for change in changes[doc_id]) if c is not None)
        if found:
            corrections[doc_id] = found
    note = ""
    if not commits:
        note = _unavailable(f"内容目录的 {FOLDER}/ 还没有提交到 git 仓库")
    elif shallow:
        note = ("提示：内容所在的 git 仓库是浅克隆（shallow clone），只有部分提交历史，更正记录可能不完整。"
                "请用完整的历史检出（GitHub Actions 中 actions/checkout 设 fetch-depth: 0）。")
    return History(corrections, note)


def _unavailable(why: str) -> str:
    return f"提示：{why}，本次构建的文件页面没有更正记录。"


class _GitFailed(Exception):
    pass


def _run(command: list[str], cwd: Path, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, input=data, capture_output=True, timeout=TIMEOUT, check=False)


def _log(root: Path, published: dict[str, date], git: str) -> tuple[dict[str, list[_Change]], int]:
    """Each document's changes on or after its publication day, oldest first, from one `git log`
    read as it streams (a long history is never held whole)."""
    command = [git, "-c", "core.quotepath=off", "log", "--reverse", "--format=%x00%H %ct", "-z", "--raw",
               "--no-renames", "--no-abbrev", "--relative", "--", FOLDER]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    timer = threading.Timer(TIMEOUT, process.kill)
    timer.start()
    last: dict[str, str] = {}  # id → its latest blob, for a file deleted and added again
    changes: dict[str, list[_Change]] = {}
    commits = 0
    try:
        day, entries = None, []
        tokens = _tokens(process.stdout)
        for token in tokens:
            token = token.lstrip(b"\n")
            if token.startswith(b":"):
                path = next(tokens, b"")
                entries.append((token.decode("ascii", "replace"), path))
                continue
            commit = _COMMIT.match(token.decode("ascii", "replace")) if token else None
            if commit:
                _apply(day, entries, published, last, changes)
                day, entries = datetime.fromtimestamp(int(commit.group(2)), CHINA).date(), []
                commits += 1
        _apply(day, entries, published, last, changes)
    finally:
        process.stdout.close()
        code = process.wait()
        timer.cancel()
    # A repository without commits yet makes git log fail with nothing read: no history, not a failure.
    if code < 0 or (code != 0 and commits):
        raise _GitFailed("超时" if code < 0 else f"git log 退出码 {code}")
    return changes, commits


def _tokens(stream):
    """The NUL-separated fields of a stream, read in large chunks."""
    rest = b""
    while chunk := stream.read(1 << 20):
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def _apply(day, entries, published, last, changes) -> None:
    """One commit's entries: per document id, the blob before it (the file's own, or the one it
    was moved from) and after it."""
    if day is None:
        return
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for meta, raw_path in entries:
        parts = meta[1:].split()
        if len(parts) < 5:
            continue
        old, new, status = parts[2], parts[3], parts[4]
        path = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
        if path.suffix != ".md":
            continue
        doc_id = path.stem
        if not _NO_BLOB.match(old):
            before.setdefault(doc_id, old)
        if not _NO_BLOB.match(new) and status != "D":
            after[doc_id] = new
    for doc_id in sorted(after):
        new = after[doc_id]
        old = before.get(doc_id) or last.get(doc_id)
        last[doc_id] = new
        if doc_id in published and old and old != new and day >= published[doc_id]:
            changes.setdefault(doc_id, []).append(_Change(day, old, new))


def _blobs(root: Path, ids: list[str], git: str) -> dict[str, str | None]:
    """The text of each blob (None when missing, too large or not UTF-8), from one process."""
    if not ids:
        return {}
    result = _run([git, "cat-file", "--batch"], root, "".join(f"{blob}\n" for blob in ids).encode("ascii"))
    if result.returncode != 0:
        raise _GitFailed(f"git cat-file 退出码 {result.returncode}")
    data, at, texts = result.stdout, 0, {}
    while at < len(data):
        end = data.index(b"\n", at)
        header = data[at:end].decode("ascii", "replace").split()
        at = end + 1
        if len(header) < 3 or header[1] != "blob":
            if header:
                texts[header[0]] = None
            continue
        size = int(header[2])
        raw, at = data[at:at + size], at + size + 1
        texts[header[0]] = _decode(raw) if size <= MAX_FILE_BYTES else None
    return texts


def _decode(raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return None


def _compare(change: _Change, blobs: dict) -> Correction | None:
    """What a reader would see changed between two versions; None when nothing visible did
    (whitespace, YAML formatting) or a version cannot be read."""
    old, new = blobs.get(change.old), blobs.get(change.new)
    if old is None or new is None:
        return None
    old_meta, old_body = _split(old)
    new_meta, new_body = _split(new)
    fields = _fields(old_meta, new_meta)
    paragraphs = _paragraphs(_blocks(old_body), _blocks(new_body))
    if not fields and not paragraphs:
        return None
    return Correction(change.day, fields, paragraphs)


def _split(text: str) -> tuple[dict, str]:
    source = split_front_matter(Path("history.md"), text, Problems())
    if source is None:  # front matter that does not parse: its text is compared as body
        return {}, text
    return dict(source.meta), source.body


def _fields(old: dict, new: dict) -> tuple[FieldChange, ...]:
    # `id` repeats the file name (for the editing desk): writing it down changes nothing a reader sees.
    keys = [key for key in DOCUMENT if (key in old or key in new) and key != "id"]
    keys += sorted(str(key) for key in {*old, *new} if key not in DOCUMENT)
    found = []
    for key in keys:
        before, after = _shown(old.get(key)), _shown(new.get(key))
        if before != after:
            found.append(FieldChange(key, DOCUMENT[key].label if key in DOCUMENT else key, before, after))
    return tuple(found)


def _shown(value) -> str:
    """A field's value as text, with whitespace as a reader sees it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "，".join(f"{key}：{_shown(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "；".join(_shown(item) for item in value)
    return " ".join(str(value).split())


def _blocks(body: str) -> list[str]:
    """The body's paragraphs (blocks between blank lines), whitespace collapsed."""
    return [" ".join(block.split()) for block in re.split(r"\n[ \t]*\n", body) if block.strip()]


def _paragraphs(old: list[str], new: list[str]) -> tuple[ParagraphChange, ...]:
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before, after = old[i1:i2], new[j1:j2]
        for index in range(max(len(before), len(after))):
            a = before[index] if index < len(before) else ""
            b = after[index] if index < len(after) else ""
            found.append(ParagraphChange(a, b, _pieces(a, b)))
    return tuple(found)


def _pieces(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The new wording with what was deleted and inserted marked, word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if not a or not b or len(a) + len(b) > _MAX_TOKENS:
        return tuple(piece for piece in (("del", old), ("ins", new)) if piece[1])
    pieces: list[list[str]] = []

    def add(kind: str, text: str) -> None:
        if pieces and pieces[-1][0] == kind:
            pieces[-1][1] += text
        elif text:
            pieces.append([kind, text])

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("", "".join(a[i1:i2]))
            continue
        add("del", "".join(a[i1:i2]))
        add("ins", "".join(b[j1:j2]))
    return tuple((kind, text) for kind, text in pieces)
