"""Dependency tracking, proved by mutation (issue 17, item 3).

Every output of a build (pages, feeds, per-document JSON, catalogue, sitemap, CSV, search index,
static files and attachments) is reused by an incremental build when its key is unchanged, and
those keys are lists of what each output reads, written by hand (render/pages.py plan_pages,
orchestrate/incremental.py global_key and page_key, render/exports.py export_key,
render/feeds.py feed_key). A missed dependency gives a stale file and no error.

So: a small project holding every content type and relation (an interpretation of a document, a
task table of a plan, a repealed and an expired document, attachments and an image, a scheduled
document, a document issued by a group, lists of several pages, feeds shorter than the column)
is built once with a cache.
Then, one at a time, every front-matter field of every content type is changed, and each
optional one removed and added; bodies are edited; attachments and files are added, changed
and removed; every config.yaml key is changed; every template and static file is edited; the
build date and --base-url/--base-path move. After each single mutation the incremental build
(warm cache, onto the previous site) must equal a clean build (no cache, fresh folder) byte for
byte, the unpublished marker .disclosure-site included (it digests the manifest: the outputs'
keys and sizes, the same for the same site).

The mutations accumulate: each starts from the state the previous ones left, so each
incremental build covers exactly one change. A stale output is reported with the mutation that
left it, then the incremental site is rebuilt from scratch so the next one is judged on its own.
What each mutation changed is read from the files before and after it, and every field of the
content schemas (loader.py), every config.yaml key, template and static file must have been
changed by some mutation: a field added later fails the test until it has its mutations.

Builds run in this process (BuildOptions, one job) in /dev/shm where there is one, Jinja's
compiled templates shared between builds: a build of the small project takes a tenth of a
second. The mutations that change what is searched build and compare the search index (after
a build with an index, so that it is reused or replaced); DISCLOSURE_MUTATION_SEARCH=1 builds
and compares it for every mutation (slower).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from conftest import EPOCH, ROOT

# The documents the mutations work on, by the relation each stands for.
PLAN = "2022-zhengwu-gongkai-gongzuo-yaodian"  # interpreted, and the plan of the task table
REPEALED = "2022-laojiu-xiaoqu-gaizao-shishi-yijian"  # 废止, repealed_by REPEALER
REPEALER = "2024-feizhi-bufen-guifanxing-wenjian-jueding"
EXPIRING = "2020-mingchu-liangzao-jianshe-tonggao"  # 有效 as written, past its 有效期至 on the build date
LAPSED = "2021-zhongdian-qunti-jiuye-chuangye-buzhu-tongzhi"  # 失效 as written, two issuers
ATTACHED = "2023-jiating-yisheng-qianyue-buzhu-banfa"  # given attachments here
LATER = "2024-laojiu-xiaoqu-gaizao-xieshang-yishi-guicheng"
SCHEDULED = "2027-dingshi-fabu-tongzhi"  # made here: published after the build date (2026-11-26)
INTERPRETATION = "2022-zhengwu-gongkai-gongzuo-yaodian-jiedu"
TABLE = "2022-zhengwu-gongkai-renwu-fenjie"
TASKS_KEPT = 6  # of the table's 71 tasks: enough for every heading level and unit kind

DOCS = {doc_id: f"documents/{doc_id[:4]}/{doc_id}.md" for doc_id in
        (PLAN, REPEALED, REPEALER, EXPIRING, LAPSED, ATTACHED, LATER, SCHEDULED)}
# Bodies and topics the trimmed config.yaml keeps although no content names them: targets for
# mutations that move a document to a body or topic it was not in.
SPARE_BODIES = ("区档案馆", "北园街道办事处", "区民政局", "各部门")
# Groups whose members are departments or units: as a task's unit they would give every such
# body a page of its own (the group's tasks), and no body page would ever come or go.
BROAD_GROUPS = ("各部门", "各相关部门", "各相关单位")
SPARE_TOPICS = ("民政、扶贫、救灾/社会福利", "其他")


# --- the project -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """YAML the loader reads back as written: multi-line text as a literal block, keys in order."""


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def plain(value):
    """The project's YAML (its own loader: YAML 1.2, the task key `no` stays a key) as plain data."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def read_yaml(path: Path, text: str | None = None):
    from disclosure.errors import Problems
    from disclosure.load.source import parse_yaml

    return plain(parse_yaml(path, path.read_text("utf-8") if text is None else text, Problems()))


def read_front(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8")
    _, meta, body = text.split("---\n", 2)
    return read_yaml(path, meta), body


def write_front(path: Path, meta: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{dump(meta)}---\n{body}", "utf-8")


def _shortened(text: str, keep: int = 3) -> str:
    """A body's first paragraphs and every paragraph with a link or image: the bundled texts are
    long, and every clean build renders them all."""
    blocks = text.split("\n\n")
    return "\n\n".join(block for index, block in enumerate(blocks) if index < keep or "](" in block)


def make_project(folder: Path) -> Path:
    """content/, config.yaml and templates/ of the bundled site, made small and given what the
    bundled content lacks (attachments, a scheduled document); YAML rewritten in one style, so a
    mutation changes only the lines of the field it changes."""
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "templates", folder / "templates")
    content = folder / "content"
    config = read_yaml(ROOT / "config.yaml")

    files = content / "documents" / "2023" / "files"
    files.mkdir(parents=True)
    (files / "buzhu-biaozhun.pdf").write_bytes(b"%PDF-1.4\n% subsidy table\n%%EOF\n")
    (files / "shenbao-biao.txt").write_text("申报表：姓名、身份证号、签约机构。\n", "utf-8")
    (files / "tupian.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(64)))
    meta, body = read_front(content / DOCS[ATTACHED])
    meta["attachments"] = [{"file": "files/buzhu-biaozhun.pdf", "title": "补助标准表"}, "files/shenbao-biao.txt"]
    write_front(content / DOCS[ATTACHED], meta, body + "\n![补助流程](files/tupian.png)\n")
    write_front(content / DOCS[SCHEDULED], {
        "title": "关于定时发布测试的通知", "doc_number": "济天政办发〔2027〕1号", "issuer": "区政府办公室",
        "written": "2026-12-20", "published": "2027-01-04", "topic": "综合政务/政务公开", "kind": "通知",
        "validity": "有效", "keywords": ["定时发布"],
    }, f"\n本通知自2027年1月4日起施行，配套[工作要点](/documents/{PLAN}/)。\n")
    named = set(SPARE_BODIES)
    for path in sorted(content.rglob("*.md")):
        meta, text = read_front(path)
        if "qa" in meta:
            meta["qa"] = meta["qa"][:3]
        issuer = meta.get("issuer", [])
        named.update([issuer] if isinstance(issuer, str) else issuer)
        write_front(path, meta, _shortened(text))
    texts = "\n".join(path.read_text("utf-8") for path in content.rglob("*.md"))

    table_path = content / "tasks" / f"{TABLE}.yaml"
    table = read_yaml(table_path)
    table["tasks"] = table["tasks"][:TASKS_KEPT]
    for kept in table["tasks"]:  # two bodies and the last, often a group (每个任务的责任单位)
        units = [unit for unit in kept["units"] if unit not in BROAD_GROUPS] or ["区财政局"]
        kept["units"] = units[:2] + units[2:][-1:]
        named.update(kept["units"])
    table["tasks"][1]["due"] = "2022-10-31"
    table["tasks"][2]["note"] = "原文此处有笔误，已据正文补正。"
    linked = set(re.findall(r"/bodies/([a-z0-9-]+)/", texts))
    for body in config["bodies"]:  # a body page the texts link to must stay: give the body a task
        if body["slug"] in linked and not named & {body["name"], *body.get("aliases", [])}:
            table["tasks"][-1]["units"].append(body["name"])
            named.add(body["name"])
    table_path.write_text(dump(table), "utf-8")

    config["bodies"] = [body for body in config["bodies"] if named & {body["name"], *body.get("aliases", [])}]
    used = {*re.findall(r"^topic: (.+)$", texts, re.M), *SPARE_TOPICS}
    linked = set(re.findall(r"/topics/([a-z0-9-]+(?:/[a-z0-9-]+)?)/", texts))
    topics = []
    for top in config["topics"]:
        children = [c for c in top.get("children", []) if f"{top['name']}/{c['name']}" in used
                    or f"{top['slug']}/{c['slug']}" in linked]
        if children or top["name"] in used or top["slug"] in linked:
            topics.append({**top, "children": children} if children else {"name": top["name"], "slug": top["slug"]})
    config["topics"] = topics
    config["site"]["page_size"] = 3  # lists of several pages, so every mutation also moves items between pages
    (folder / "config.yaml").write_text(dump(config), "utf-8")
    return folder


# --- mutations -----------------------------------------------------------------------------------

REMOVE = object()


@dataclass
class Mutation:
    category: str
    name: str
    apply: Callable[[Path], None]
    search: bool = False  # also build and compare the search index

    def __str__(self) -> str:
        return f"{self.category}: {self.name}"


def front(relative: str, **changes) -> Callable[[Path], None]:
    """Set (or with REMOVE, delete) front-matter fields of a content file."""

    def apply(project: Path) -> None:
        path = project / "content" / relative
        meta, body = read_front(path)
        for key, value in changes.items():
            if value is REMOVE:
                assert key in meta, f"{key} is not in {relative}"
                del meta[key]
            else:
                assert meta.get(key) != value, f"{relative}: {key} is {value!r} already"
                meta[key] = value
        write_front(path, meta, body)

    return apply


def edit_front(relative: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / relative
        meta, body = read_front(path)
        before = repr(meta)
        change(meta)
        assert repr(meta) != before, f"{relative}: nothing changed"
        write_front(path, meta, body)

    return apply


def body(relative: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / relative
        meta, text = read_front(path)
        changed = change(text)
        assert changed != text, f"{relative}: the body did not change"
        write_front(path, meta, changed)

    return apply


def tasks(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / "tasks" / f"{TABLE}.yaml"
        data = read_yaml(path)
        before = repr(data)
        change(data)
        assert repr(data) != before, "the task table did not change"
        path.write_text(dump(data), "utf-8")

    return apply


def task(index: int, **changes) -> Callable[[Path], None]:
    def change(data: dict) -> None:
        for key, value in changes.items():
            if value is REMOVE:
                del data["tasks"][index][key]
            else:
                data["tasks"][index][key] = value

    return tasks(change)


def config(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "config.yaml"
        data = read_yaml(path)
        before = repr(data)
        change(data)
        assert repr(data) != before, "config.yaml did not change"
        path.write_text(dump(data), "utf-8")

    return apply


def site_option(key: str, value) -> Callable[[Path], None]:
    def change(data: dict) -> None:
        if value is REMOVE:
            del data["site"][key]
        else:
            data["site"][key] = value

    return config(change)


def body_entry(name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(data: dict) -> None:
        change(next(b for b in data["bodies"] if b["name"] == name))

    return config(apply)


def topic_entry(name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(data: dict) -> None:
        top, _, child = name.partition("/")
        entry = next(t for t in data["topics"] if t["name"] == top)
        if child:
            entry = next(c for c in entry["children"] if c["name"] == child)
        change(entry)

    return config(apply)


def term_entry(vocabulary: str, name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(data: dict) -> None:
        change(next(t for t in data[vocabulary] if t["name"] == name))

    return config(apply)


def edit_file(relative: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        data = path.read_bytes()
        changed = change(data)
        assert changed != data, f"{relative} did not change"
        path.write_bytes(changed)

    return apply


def write_file(relative: str, data: bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    return apply


def delete_file(relative: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / relative).unlink()

    return apply


def move_file(relative: str, target: str, *more: tuple[str, str]) -> Callable[[Path], None]:
    """Move (rename) a file or folder, and any `more` (path, target) pairs with it."""

    def apply(project: Path) -> None:
        for source, moved in ((relative, target), *more):
            (project / moved).parent.mkdir(parents=True, exist_ok=True)
            (project / source).rename(project / moved)

    return apply


def template_edit(name: str) -> Callable[[Path], None]:
    """A visible change to a template: a comment into its first element, or text at its end."""
    marker = f"<!-- mutated {name} -->"

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        at = text.find("</")
        return (text[:at] + marker + text[at:] if at >= 0 else text + marker).encode("utf-8")

    return edit_file(f"templates/{name}", change)


def static_edit(name: str) -> Callable[[Path], None]:
    comments = {".css": b"\n/* mutated */\n", ".js": b"\n// mutated\n", ".svg": b"\n<!-- mutated -->\n"}
    return edit_file(f"templates/static/{name}", lambda data: data + comments.get(Path(name).suffix, b"\0mutated"))


def _set(key: str, value) -> Callable[[dict], None]:
    def change(target: dict) -> None:
        target[key] = value

    return change


def _second_attachment(file: str) -> Callable[[dict], None]:
    def change(meta: dict) -> None:
        meta["attachments"][1] = file

    return change


def _qa_answer(meta: dict) -> None:
    meta["qa"][0]["a"] += "\n\n补充说明：解读材料同步在政府网站发布。"


def _doc_mutations() -> list[Mutation]:
    d = {**DOCS, "moved": f"documents/2023-buzhu/{ATTACHED}.md"}
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("document", name, apply, search))

    # title, each relation: its own page, lists, feeds, the interpretation and table that name it,
    # the repealed document that names its repealer
    add("title of the interpreted plan", front(d[PLAN], title="济南市天桥区人民政府办公室关于印发2022年政务公开工作要点的通知"), True)
    add("title of the repealer", front(d[REPEALER], title="济南市天桥区人民政府关于废止部分行政规范性文件的决定"), True)
    add("title of the repealed document", front(d[REPEALED], title="济南市天桥区人民政府关于推进老旧小区改造的实施意见"))
    add("title of the scheduled document", front(d[SCHEDULED], title="关于定时发布的通知"))
    add("doc_number changed", front(d[PLAN], doc_number="济天政办发〔2022〕5号"), True)
    add("doc_number removed", front(d[EXPIRING], doc_number=REMOVE))
    add("doc_number added", front(d[EXPIRING], doc_number="天桥市监发〔2020〕13号"))
    add("issuer to another body (one with tasks)", front(d[REPEALER], issuer="区政府办公室"), True)
    add("a document issued by a group (its page lists the member bodies)", lambda p: write_front(
        p / "content/documents/2024/2024-gebumen-tongzhi.md", {
            "title": "关于各部门报送材料的通知", "issuer": "各部门", "written": "2024-03-01", "published": "2024-03-04",
            "topic": "综合政务/政务公开", "kind": "通知", "validity": "有效"}, "\n请各部门按时报送。\n"))
    add("issuer to a body with no page yet (the group's page links to it)", front(d[LATER], issuer="区民政局"))
    add("issuer to the same body by an alias", front(d[EXPIRING], issuer="区市场监督管理局"))
    add("issuer: one more body", front(d[PLAN], issuer=["区政府办公室", "区财政局"]))
    add("issuer: a body fewer", front(d[LAPSED], issuer="区人力资源社会保障局"))
    add("written", front(d[PLAN], written="2022-06-15"))
    add("published, same year", front(d[PLAN], published="2022-06-20"))
    add("published, another year", front(d[LATER], published="2023-06-01", written="2023-05-28"))
    add("body: a link to the scheduled document (plain text)", body(d[LATER], lambda text: text + f"\n另见[定时文件](/documents/{SCHEDULED}/)。\n"))
    add("body: a link to a document that is about to be scheduled", body(
        d[ATTACHED], lambda text: text + f"\n参见[老旧小区规程](/documents/{LATER}/)。\n"))
    # Each in a year that has other documents, so the list of years stays as it was.
    add("published: the scheduled document is public now", front(d[SCHEDULED], published="2024-06-03",
                                                                 written="2024-05-30"))
    add("published: back to scheduled", front(d[SCHEDULED], published="2027-02-01", written="2026-12-20"))
    add("published: a public document becomes scheduled", front(d[LATER], published="2027-03-01",
                                                                     written="2027-02-20"))
    add("published: and back", front(d[LATER], published="2023-06-01", written="2023-05-28"))
    add("topic to another second-level topic", front(d[PLAN], topic="民政、扶贫、救灾/社会福利"))
    add("topic to a first-level topic only", front(d[LATER], topic="城乡建设、环境保护"))
    add("topic to a topic with no documents", front(d[EXPIRING], topic="其他"))
    add("kind", front(d[PLAN], kind="意见"))
    add("kind to a kind with no documents yet", front(d[LATER], kind="函"))
    add("kind by an alias", front(d[REPEALER], kind="命令"))
    add("index_no added", front(d[PLAN], index_no="11370105MB0000005X/2022-00004"))
    add("index_no changed", front(d[EXPIRING], index_no="11370105MB0000002X/2020-00013"))
    add("index_no removed", front(d[LATER], index_no=REMOVE))
    add("validity 有效 → 失效", front(d[LATER], validity="失效"), True)
    add("validity 失效 → 有效", front(d[LAPSED], validity="有效"))
    add("expires: past date removed (expired → current)", front(d[EXPIRING], expires=REMOVE))
    add("expires: added in the past (current → expired)", front(d[EXPIRING], expires="2023-06-30"))
    add("expires: moved into the future", front(d[EXPIRING], expires="2027-06-30"))
    add("expires added", front(d[PLAN], expires="2027-06-30"))
    add("repealed date changed", front(d[REPEALED], repealed="2024-05-11"))
    add("repealed date in the future (repeal not in force yet)", front(d[REPEALED], repealed="2027-01-01"))
    add("repealed date back in the past", front(d[REPEALED], repealed="2024-05-10"))
    add("repealed_by removed", front(d[REPEALED], repealed_by=REMOVE))
    add("repealed_by added", front(d[REPEALED], repealed_by=REPEALER))
    add("repealed_by to another document", front(d[REPEALED], repealed_by=LATER))
    add("validity 废止 → 有效 (repealed and repealed_by removed)",
        front(d[REPEALED], validity="有效", repealed=REMOVE, repealed_by=REMOVE))
    add("validity 有效 → 废止 (repealed, repealed_by added)",
        front(d[REPEALED], validity="废止", repealed="2024-05-10", repealed_by=REPEALER))
    add("normative true → false", front(d[EXPIRING], normative=False))
    add("normative removed", front(d[LATER], normative=REMOVE))
    add("normative added", front(d[PLAN], normative=True))
    add("attachment title", edit_front(d[ATTACHED], lambda meta: meta["attachments"][0].update(title="补助标准")))
    add("attachment file to another file", edit_front(d[ATTACHED], _second_attachment("files/tupian.png")))
    add("attachment removed", edit_front(d[ATTACHED], lambda meta: meta["attachments"].pop()))
    add("attachment added", edit_front(d[ATTACHED], lambda meta: meta["attachments"].append(
        {"file": "files/shenbao-biao.txt", "title": "申报表"})))
    add("attachment bytes changed, same size", edit_file(
        "content/documents/2023/files/buzhu-biaozhun.pdf", lambda data: data.replace(b"subsidy", b"SUBSIDY")))
    add("attachment bytes changed, other size", edit_file(
        "content/documents/2023/files/shenbao-biao.txt", lambda data: data + "联系电话。\n".encode() * 200))
    add("image in the body changed", edit_file("content/documents/2023/files/tupian.png", lambda data: data + b"\0"))
    add("a document moved to another folder, with its files (same id, other attachment paths)",
        move_file("content/documents/2023/files", "content/documents/2023-buzhu/files",
                  (f"content/documents/2023/{ATTACHED}.md", f"content/{d['moved']}")))
    add("attachments removed", front(d["moved"], attachments=REMOVE))
    add("attachments added to a scheduled document", front(d[SCHEDULED], attachments=["/documents/2023-buzhu/files/buzhu-biaozhun.pdf"]))
    add("keywords changed", front(d[PLAN], keywords=["政务公开", "工作要点"]), True)
    add("keywords removed", front(d[EXPIRING], keywords=REMOVE), True)
    add("keywords added", front(d[EXPIRING], keywords=["食品安全"]), True)
    add("sample true → false", front(d[EXPIRING], sample=False))
    add("sample removed", front(d[LATER], sample=REMOVE))
    add("sample added", front(d[PLAN], sample=True))
    add("body text", body(d[PLAN], lambda text: text + "\n本通知自印发之日起施行。\n"), True)
    add("body: a link to another document", body(d[LATER], lambda text: text + f"\n参见[废止决定](/documents/{REPEALER}/)。\n"))
    add("body of the scheduled document", body(d[SCHEDULED], lambda text: text + "\n特此通知。\n"))
    add("a document added", lambda p: write_front(p / "content/documents/2025/2025-xinzeng-wenjian.md", {
        "title": "关于新增文件的通知", "issuer": "区财政局", "written": "2025-03-01", "published": "2025-03-02",
        "topic": "综合政务/政务公开", "kind": "通知", "validity": "有效"}, "\n新增文件的正文。\n"), True)
    add("a document renamed (its id changes)",
        move_file(f"content/{d[EXPIRING]}", "content/documents/2020/2020-mingchu-liangzao-tonggao.md"))
    add("and renamed back", move_file("content/documents/2020/2020-mingchu-liangzao-tonggao.md", f"content/{d[EXPIRING]}"))
    add("a document deleted", delete_file("content/documents/2025/2025-xinzeng-wenjian.md"), True)
    return m


def _interpretation_mutations() -> list[Mutation]:
    i = f"interpretations/{INTERPRETATION}.md"
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("interpretation", name, apply, search))

    add("title", front(i, title="问答解读：2022年政务公开工作要点十二问"), True)
    add("interprets another document", front(i, interprets=REPEALER))
    add("interprets the first document again", front(i, interprets=PLAN))
    add("issuer", front(i, issuer="区财政局"))
    add("issuer: two bodies", front(i, issuer=["区政府办公室", "区财政局"]))
    add("published", front(i, published="2022-06-18"))
    add("published after the build date (the interpretation is scheduled)", front(i, published="2027-01-08"))
    add("published back before the build date", front(i, published="2022-06-17"))
    add("form", front(i, form="文字解读"))
    add("qa: an answer", edit_front(i, _qa_answer), True)
    add("qa: a question", edit_front(i, lambda meta: meta["qa"][1].update(q="今年重点公开哪些领域的信息？")), True)
    add("qa: a pair removed", edit_front(i, lambda meta: meta["qa"].pop()), True)
    add("qa: a pair added", edit_front(i, lambda meta: meta["qa"].append({"q": "怎样申请公开？", "a": "向区政府办公室提出申请。"})), True)
    add("qa removed", front(i, qa=REMOVE), True)
    add("qa added", front(i, qa=[{"q": "工作要点何时印发？", "a": "2022年6月16日。"}]), True)
    add("keywords changed", front(i, keywords=["政务公开"]), True)
    add("keywords removed", front(i, keywords=REMOVE), True)
    add("keywords added", front(i, keywords=["政策解读", "问答"]), True)
    add("sample true → false", front(i, sample=False))
    add("sample removed", front(i, sample=REMOVE))
    add("sample added", front(i, sample=True))
    add("body text", body(i, lambda text: text + "\n更多问题请拨打12345热线。\n"), True)
    add("body: a link to a task", body(i, lambda text: text + f"\n见[第1项任务](/tasks/{TABLE}/#task-1)。\n"))
    add("an interpretation of the scheduled document added", lambda p: write_front(
        p / "content/interpretations/2027-dingshi-fabu-jiedu.md",
        {"title": "定时发布通知的解读", "interprets": SCHEDULED, "issuer": "区政府办公室", "published": "2027-01-05",
         "form": "文字解读"}, "\n解读正文。\n"))
    add("an interpretation of a public document added", lambda p: write_front(
        p / "content/interpretations/2024-feizhi-jueding-jiedu.md",
        {"title": "废止决定的解读", "interprets": REPEALER, "issuer": "济南市天桥区人民政府", "published": "2024-05-11",
         "form": "图文解读"}, "\n解读正文。\n"), True)
    add("an interpretation deleted", delete_file("content/interpretations/2024-feizhi-jueding-jiedu.md"), True)
    add("an interpretation of an old document added (a feed lists it, not the document)", lambda p: write_front(
        p / "content/interpretations/2024-mingchu-liangzao-jiedu.md",
        {"title": "明厨亮灶通告的解读", "interprets": EXPIRING, "issuer": "区市场监管局", "published": "2024-06-03",
         "form": "文字解读"}, "\n解读正文。\n"))
    add("that document's title (its interpretation's feed entry names it)", front(
        DOCS[EXPIRING], title="济南市天桥区市场监督管理局关于推进“明厨亮灶”建设的通告"))
    return m


def _task_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("task table", name, apply, search))

    add("plan to another document", tasks(_set("plan", REPEALER)), True)
    add("plan back", tasks(_set("plan", PLAN)))
    add("title", tasks(_set("title", "2022年政务公开重点工作任务分解表")), True)
    add("no", task(0, no=100), True)
    add("area", task(0, area="聚焦重点领域，推进高质量政务公开"), True)
    add("area of a later task (a new area heading)", task(5, area="另起一类任务"))
    add("item", task(1, item="强化重点领域的信息公开"), True)
    add("requirement", task(2, requirement="加强减税降费信息公开。"), True)
    add("units: another body", task(0, units=["区财政局", "区科技局"]))
    add("units: by an alias", task(0, units=["区财政局", "区科学技术局"]), True)
    add("units: a group", task(0, units=["各街道办事处"]))
    add("units: a body with no documents and no tasks yet", task(0, units=["区档案馆"]))
    add("deadline (another due date)", task(0, deadline="2022年9月底前"), True)
    add("deadline without a date", task(0, deadline="长期坚持"))
    add("deadline relative to the plan's date", task(0, deadline="印发后30日内"))
    add("due changed", task(1, due="2022-11-30"))
    add("due removed", task(1, due=REMOVE))
    add("due added", task(3, due="2022-12-15"))
    add("note changed", task(2, note="据正文补正。"))
    add("note removed", task(2, note=REMOVE))
    add("note added", task(4, note="与第3项一并推进。"))
    add("a task added", tasks(lambda data: data["tasks"].append(
        {"no": 7, "area": "新增任务", "item": "新增事项", "requirement": "按时完成。", "units": ["区民政局"],
         "deadline": "2022年12月底前"})), True)
    add("a task removed", tasks(lambda data: data["tasks"].pop(1)))
    add("the plan's published date (due dates count from it)", front(DOCS[PLAN], published="2022-06-01",
                                                                      written="2022-06-01"))
    add("a task table added", lambda p: p.joinpath("content/tasks/2024-feizhi-renwu.yaml").write_text(dump(
        {"plan": REPEALER, "title": "废止决定的任务分解表", "tasks": [
            {"no": 1, "area": "清理", "item": "清理文件", "requirement": "清理规范性文件。", "units": ["区财政局"],
             "deadline": "全年"}]}), "utf-8"))
    add("a task table of the scheduled document added", lambda p: p.joinpath("content/tasks/2027-dingshi-renwu.yaml")
        .write_text(dump({"plan": SCHEDULED, "title": "定时发布的任务分解表", "tasks": [
            {"no": 1, "area": "准备", "item": "准备发布", "requirement": "准备。", "units": ["区政府办公室"],
             "deadline": "全年"}]}), "utf-8"))
    add("a task table deleted", delete_file("content/tasks/2024-feizhi-renwu.yaml"))
    return m


def _page_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("page", name, apply, search))

    zhinan, zhidu = "pages/zhinan.md", "pages/zhidu.md"
    add("title", front(zhidu, title="政府信息公开工作制度"), True)
    add("order (the navigation changes)", front(zhidu, order=9))
    add("order removed", front(zhidu, order=REMOVE))
    add("order added", front(zhidu, order=2))
    add("description", front(zhinan, description="怎样获取天桥区的政府信息。"), True)
    add("description removed", front(zhinan, description=REMOVE), True)
    add("description added", front(zhinan, description="政府信息公开指南。"), True)
    add("updated added", front(zhinan, updated="2026-01-05"))
    add("updated changed", front(zhinan, updated="2026-02-05"))
    add("updated removed", front(zhinan, updated=REMOVE))
    add("sample added", front(zhinan, sample=True))
    add("sample changed", front(zhinan, sample=False))
    add("sample removed", front(zhinan, sample=REMOVE))
    add("body text", body(zhinan, lambda text: text + "\n本指南每年更新。\n"), True)
    add("body: a link to a document", body(zhidu, lambda text: text + f"\n见[废止决定](/documents/{REPEALER}/)。\n"))
    add("a page added", lambda p: write_front(p / "content/pages/lianxi.md", {"title": "联系我们", "order": 5},
                                              "\n电话：0531-12345678。\n"), True)
    add("a page deleted", delete_file("content/pages/lianxi.md"), True)
    return m


def _config_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("config.yaml", name, apply, search))

    add("site.name", site_option("name", "济南市天桥区政府"), True)
    add("site.column", site_option("column", "政务公开专栏"))
    add("site.column removed (the default)", site_option("column", REMOVE))
    add("site.organisation", site_option("organisation", "济南市天桥区人民政府办公室"))
    add("site.description", site_option("description", "天桥区政府信息公开专栏。"))
    add("site.description removed", site_option("description", REMOVE))
    add("site.base_url", site_option("base_url", "https://www.example.gov.cn"), True)
    add("site.base_path", site_option("base_path", "/xxgk/"), True)
    add("site.base_path back", site_option("base_path", "/"), True)
    add("site.site_id_code", site_option("site_id_code", "3701050001"))
    add("site.page_size", site_option("page_size", 2))
    add("site.page_size removed (the default)", site_option("page_size", REMOVE))
    add("site.latest_count", site_option("latest_count", 3))
    add("bodies: a used body renamed (its old name an alias)", body_entry(
        "区政府办公室", lambda b: b.update(name="区人民政府办公室", aliases=[*b["aliases"], "区政府办公室"])), True)
    add("bodies: a slug", body_entry("区财政局", _set("slug", "qu-caizhengju")))
    add("bodies: a type", body_entry("区财政局", _set("type", "unit")))
    add("bodies: an alias added", body_entry("区财政局", _set("aliases", ["区财政"])), True)
    add("bodies: an alias removed", body_entry("区科技局", _set("aliases", [])), True)
    add("bodies: a body joins a group", body_entry("区档案馆", _set("groups", ["gebumen"])))
    add("bodies: a group's member types", body_entry("各部门", _set("member_types", ["department", "unit"])))
    add("bodies: a body added", config(lambda c: c["bodies"].append(
        {"name": "区统计局", "slug": "tongjiju", "type": "department", "aliases": ["区统计"]})), True)
    add("bodies: a body removed", config(lambda c: c["bodies"].remove(
        next(b for b in c["bodies"] if b["name"] == "北园街道办事处"))), True)
    add("bodies: reordered", config(lambda c: c["bodies"].reverse()))
    add("topics: a used first-level topic's slug", topic_entry("民政、扶贫、救灾", _set("slug", "minzheng")))
    add("topics: a used second-level topic's slug", topic_entry("民政、扶贫、救灾/社会福利", _set("slug", "fuli")))
    add("topics: an unused topic renamed", topic_entry("其他", _set("name", "其他主题")))
    add("topics: a child added", topic_entry("民政、扶贫、救灾", lambda t: t["children"].append(
        {"name": "社团管理", "slug": "shetuanguanli"})))
    add("topics: an unused child renamed", topic_entry("民政、扶贫、救灾/社团管理", _set("name", "社会团体管理")))
    add("topics: a child removed", topic_entry("民政、扶贫、救灾", lambda t: t["children"].pop()))
    add("topics: a topic added", config(lambda c: c["topics"].append({"name": "国防", "slug": "guofang"})))
    add("topics: reordered", config(lambda c: c["topics"].reverse()))
    add("kinds: an unused kind renamed", term_entry("kinds", "纪要", _set("name", "会议纪要")))
    add("kinds: a used kind's slug", term_entry("kinds", "通知", _set("slug", "tong-zhi")))
    add("kinds: an alias added", term_entry("kinds", "通知", _set("aliases", ["通知书"])))
    add("kinds: a kind added", config(lambda c: c["kinds"].append({"name": "规定", "slug": "guiding"})))
    add("kinds: a kind removed", config(lambda c: c["kinds"].remove(next(k for k in c["kinds"] if k["name"] == "议案"))))
    add("kinds: reordered", config(lambda c: c["kinds"].reverse()))
    add("validity: a slug", term_entry("validity", "失效", _set("slug", "yi-shixiao")))
    add("validity: an alias", term_entry("validity", "有效", _set("aliases", ["现行有效"])))
    add("validity: reordered (its names are fixed)", config(lambda c: c["validity"].reverse()))
    add("interpretation_forms: a form added", config(lambda c: c["interpretation_forms"].append("音频解读")))
    add("interpretation_forms: an unused form removed", config(lambda c: c["interpretation_forms"].remove("视频解读")))
    add("synonyms: a group added", config(lambda c: c["synonyms"].append(["工作要点", "要点"])), True)
    add("synonyms: a word added", config(lambda c: c["synonyms"][0].append("低保金")), True)
    add("synonyms: a group removed", config(lambda c: c["synonyms"].pop(0)), True)
    add("synonyms removed", config(lambda c: c.pop("synonyms")), True)
    return m


def _template_mutations() -> list[Mutation]:
    templates = ROOT / "templates"
    names = sorted(path.relative_to(templates).as_posix() for path in templates.rglob("*.html"))
    return [Mutation("template", name, template_edit(name), name == "search.html") for name in names]


def _static_mutations() -> list[Mutation]:
    static = ROOT / "templates" / "static"
    names = sorted(path.relative_to(static).as_posix() for path in static.rglob("*") if path.is_file())
    m = [Mutation("static file", name, static_edit(name)) for name in names]
    m.append(Mutation("static file", "a file added", write_file("templates/static/extra.css", b"body{}\n")))
    m.append(Mutation("static file", "a file deleted", delete_file("templates/static/extra.css")))
    return m


def option(**given) -> Callable[[Path], None]:
    """Build with other command-line options (--base-url, --base-path) or on another day."""

    def apply(project: Path) -> None:
        path = project / OPTIONS
        options = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        options.update(given)
        path.write_text(json.dumps(options), "utf-8")

    return apply


def epoch(day: date) -> str:
    """SOURCE_DATE_EPOCH for 00:00 of `day` in China (UTC+8), as a nightly build there sets it."""
    return str(int(datetime(day.year, day.month, day.day, tzinfo=timezone(timedelta(hours=8))).timestamp()))


def _option_mutations() -> list[Mutation]:
    return [
        Mutation("build option", "the next day", option(epoch=epoch(date(2026, 11, 27)))),
        Mutation("build option", "the scheduled document's release day", option(epoch=epoch(date(2027, 1, 4))), True),
        Mutation("build option", "the day after a 有效期至 (a document expires)", option(epoch=epoch(date(2029, 5, 24)))),
        Mutation("build option", "the day a future repeal takes effect", front(
            DOCS[REPEALED], repealed="2029-06-01")),
        Mutation("build option", "(the repeal takes effect)", option(epoch=epoch(date(2029, 6, 1)))),
        Mutation("build option", "--base-path", option(base_path="/gk/"), True),
        Mutation("build option", "--base-url", option(base_url="https://xxgk.example.gov.cn"), True),
        Mutation("build option", "the date back", option(epoch=EPOCH)),
    ]


CATEGORIES = {
    "document": _doc_mutations,
    "interpretation": _interpretation_mutations,
    "task table": _task_mutations,
    "page": _page_mutations,
    "config.yaml": _config_mutations,
    "template": _template_mutations,
    "static file": _static_mutations,
    "build option": _option_mutations,
}


# --- builds --------------------------------------------------------------------------------------


ALWAYS_SEARCH = os.environ.get("DISCLOSURE_MUTATION_SEARCH") == "1"


OPTIONS = "options.json"  # in the project folder: the build's command-line options and date


def build(project: Path, output: Path, cache: Path | None, search: bool) -> None:
    from disclosure.errors import BuildFailed
    from disclosure.orchestrate.pipeline import BuildOptions
    from disclosure.orchestrate.pipeline import build as run

    given = json.loads((project / OPTIONS).read_text("utf-8")) if (project / OPTIONS).is_file() else {}
    options = BuildOptions(content=project / "content", output=output, config=project / "config.yaml",
                           templates=project / "templates", search=search, jobs=1, cache=cache,
                           base_url=given.get("base_url"), base_path=given.get("base_path"))
    os.environ["SOURCE_DATE_EPOCH"] = given.get("epoch", EPOCH)
    try:
        run(options)
    except BuildFailed as failed:
        problems = "\n".join(f"{p.path}:{p.line}: {p.message}" for p in failed.problems.errors)
        raise AssertionError(f"the build failed:\n{problems}") from None


def tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def differences(incremental: Path, clean: Path) -> list[str]:
    """What differs between the two sites: stale, missing and extra files."""
    mine, theirs = tree(incremental), tree(clean)
    found = []
    for name in sorted(mine.keys() | theirs.keys()):
        if name not in mine:
            found.append(f"missing {name}")
        elif name not in theirs:
            found.append(f"extra {name}")
        elif mine[name] != theirs[name]:
            found.append(f"stale {name}")
    return found


class Sites:
    """The project, its incremental site (with a cache) and a clean build to compare it with."""

    def __init__(self, folder: Path):
        self.project = make_project(folder / "project")
        self.site, self.cache, self.clean = folder / "site", folder / "cache", folder / "clean"
        self.indexed = False

    def incremental(self, search: bool) -> None:
        build(self.project, self.site, self.cache, search)
        self.indexed = search

    def compare(self, search: bool) -> list[str]:
        shutil.rmtree(self.clean, ignore_errors=True)
        build(self.project, self.clean, None, search)
        return differences(self.site, self.clean)

    def reset(self) -> None:
        """A fresh incremental site and cache, so the next mutation is judged on its own."""
        shutil.rmtree(self.site, ignore_errors=True)
        shutil.rmtree(self.cache, ignore_errors=True)
        self.incremental(self.indexed)


_COMPILED: dict = {}


class _CompiledTemplates:
    """Jinja's compiled templates kept in memory between this test's builds, keyed (by Jinja) on
    each template's name and source text: two builds of the same template text compile it once.
    Only the compiling is shared; every build still reads every template from disk."""

    def __init__(self):
        import jinja2

        class Cache(jinja2.BytecodeCache):
            store = _COMPILED

            def load_bytecode(self, bucket):
                code = self.store.get(bucket.key, {}).get(bucket.checksum)
                if code is not None:
                    bucket.code = code

            def dump_bytecode(self, bucket):
                self.store.setdefault(bucket.key, {})[bucket.checksum] = bucket.code

        self.cache = Cache()

    def __call__(self, make):
        def environment(templates):
            env = make(templates)
            env.bytecode_cache = self.cache
            return env

        return environment


# Feeds of a few entries, as a busy column's are (50 of thousands): a feed then lists an
# interpretation without the document it explains, and an old document drops out of it.
FEED_LIMIT = 5


@pytest.fixture(autouse=True)
def _builds(monkeypatch):
    from disclosure.render import feeds, pages

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(pages, "make_environment", _CompiledTemplates()(pages.make_environment))
    monkeypatch.setattr(feeds, "FEED_LIMIT", FEED_LIMIT)
    monkeypatch.setattr(feeds.FeedIndex, "limit", FEED_LIMIT)


@pytest.fixture
def workdir(request):
    """Where the sites are built: in memory where the machine has it (/dev/shm). The builds make
    a folder per page, and on a virtual disk each mkdir costs a millisecond; there, a thousandth.
    (Not pytest's tmp_path there: at the end of the session pytest deletes its old ones.)"""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield request.getfixturevalue("tmp_path")
        return
    folder = Path(tempfile.mkdtemp(prefix="disclosure-mutation-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- what the mutations cover ----------------------------------------------------------------------
#
# Taken from what each mutation really changed in the project, not from its name: a field of the
# content model or a config.yaml key that no mutation changes fails the test, so a field added
# later comes with its mutations.

KINDS = {"documents": "document", "interpretations": "interpretation", "tasks": "task table", "pages": "page"}
CONFIG_KEYS_UNUSED = ("bodies.groups",)  # read by config.py, not used by the bundled config.yaml


def _flat(value, path: str, into: dict, indexed: bool = True) -> dict:
    """Every leaf of YAML data by its path: bodies[3].aliases[0] (or bodies.aliases unindexed)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(inner, f"{path}.{key}" if path else key, into, indexed)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, inner in enumerate(value):
            _flat(inner, f"{path}[{index}]" if indexed else path, into, indexed)
    else:
        into.setdefault(path, []).append(repr(value))
    return into


def fields(project: Path) -> dict[tuple, str]:
    """(what, file, field) → value, for every field of every content file, config key and template."""
    found: dict[tuple, str] = {}
    content = project / "content"
    for path in sorted(content.rglob("*")):
        kind = KINDS.get(path.relative_to(content).parts[0])
        name = path.relative_to(content).as_posix()
        if path.is_file() and (kind is None or path.suffix not in (".md", ".yaml")):
            found["content file", name, "bytes"] = hashlib.sha256(path.read_bytes()).hexdigest()
            continue
        if kind is None or not path.is_file():
            continue
        if kind == "task table":
            data = read_yaml(path)
            for index, item in enumerate(data.pop("tasks")):
                for key, value in item.items():
                    found["task", f"{name}#{index}", key] = repr(value)
            found[kind, name, "tasks"] = str(len(found))
        else:
            data, text = read_front(path)
            found[kind, name, "body"] = text
        for key, value in data.items():
            found[kind, name, key] = repr(value)
    for key, values in _flat(read_yaml(project / "config.yaml"), "", {}).items():
        found["config.yaml", "", key] = repr(values)
    for path in sorted((project / "templates").rglob("*")):
        if path.is_file():
            name = path.relative_to(project / "templates").as_posix()
            what = "static file" if name.startswith("static/") else "template"
            found[what, name, name.removeprefix("static/")] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def changes(before: dict, after: dict) -> set[tuple[str, str, str]]:
    """(what, field, how): how is changed, removed or added (a field of a file that stays)."""
    files = {key[:2] for key in before} & {key[:2] for key in after}
    found = set()
    for key in before.keys() | after.keys():
        if key[:2] not in files and key[0] not in ("task", "config.yaml"):
            found.add((key[0], "file", "added" if key in after else "removed"))
            continue
        field = re.sub(r"\[\d+\]", "", key[2]) if key[0] == "config.yaml" else key[2]
        if key not in after:
            found.add((key[0], field, "removed"))
        elif key not in before:
            found.add((key[0], field, "added"))
        elif before[key] != after[key]:
            found.add((key[0], field, "changed"))
    return found


def required_coverage(category: str) -> set[tuple[str, str, str]]:
    """What a category's mutations must change: every field, and each optional one also removed
    and added; every config.yaml key; every template and static file."""
    from disclosure.load import loader
    from disclosure.load.config import SiteOptions

    schemas = {"document": [("document", loader.DOCUMENT)], "interpretation": [("interpretation", loader.INTERPRETATION)],
               "task table": [("task table", loader.TASK_TABLE), ("task", loader.TASK)], "page": [("page", loader.PAGE)]}
    if category in schemas:
        needed = {(category, "body", "changed")} if category != "task table" else set()
        for what, schema in schemas[category]:
            for name, spec in schema.items():
                needed.add((what, name, "changed"))
                if not spec.required:
                    needed |= {(what, name, "removed"), (what, name, "added")}
        return needed
    if category == "config.yaml":
        keys = {*_flat(read_yaml(ROOT / "config.yaml"), "", {}, indexed=False), *CONFIG_KEYS_UNUSED,
                *(f"site.{name}" for name in SiteOptions.__dataclass_fields__)}
        return {("config.yaml", key, "changed") for key in keys}
    if category in ("template", "static file"):
        folder = ROOT / "templates"
        names = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
        static = category == "static file"
        return {(category, name.removeprefix("static/"), "changed") for name in names
                if name.startswith("static/") == static}
    return set()


def _covered(found: set, needed: set) -> set:
    """`needed` less what `found` covers; for config.yaml a key counts whichever way it changed."""
    loose = {(what, field) for what, field, _ in found}
    return {item for item in needed
            if item not in found and not (item[0] == "config.yaml" and item[:2] in loose)}


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_every_mutation_builds_incrementally_to_the_clean_site(category, workdir):
    sites = Sites(workdir)
    first = CATEGORIES[category]()[0]
    sites.incremental(first.search or ALWAYS_SEARCH)
    assert sites.compare(sites.indexed) == [], "the first build differs from a clean build"
    failures, covered = [], set()
    after = fields(sites.project)
    for mutation in CATEGORIES[category]():
        search = mutation.search or ALWAYS_SEARCH
        if search and not sites.indexed:
            sites.incremental(True)  # the index to reuse or replace
        before = after
        mutation.apply(sites.project)
        after = fields(sites.project)
        changed = changes(before, after)
        covered |= changed
        assert changed or category == "build option", f"{mutation}: changed no field"
        try:
            sites.incremental(search)
            found = sites.compare(search)
        except AssertionError as error:
            raise AssertionError(f"{mutation}: {error}") from None
        if found:
            failures.append(f"{mutation}: " + ", ".join(found[:8]) + (" …" if len(found) > 8 else ""))
            sites.reset()
    assert not failures, "incremental builds differ from clean builds:\n" + "\n".join(failures)
    missing = _covered(covered, required_coverage(category))
    assert not missing, "no mutation changes " + ", ".join(" ".join(item) for item in sorted(missing))
