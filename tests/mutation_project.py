"""The small project tests/build/test_mutation.py mutates: a trimmed copy of the bundled content,
config.yaml and templates that still holds every content type and relation, and the YAML and
front-matter helpers that read and write its files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from conftest import ROOT

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
REPORT = "reports/2022-renminzhengfu.yaml"  # 政府信息公开工作年度报告 of the district government
CONSULTATION = "consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian.md"  # 意见征集, open on the build date
DECISIONS = "content/decisions/2026.yaml"  # 重大行政决策事项目录; its first 事项 is the consultation's
TASKS_KEPT = 6  # of the table's 71 tasks: enough for every heading level and unit kind
# Of the 标准目录's areas: one with rows, one being compiled (every clean build renders each area's page).
CATALOGUE_KEPT = ("shenong-butie.yaml", "jiuye.yaml")

DOCS = {doc_id: f"documents/{doc_id[:4]}/{doc_id}.md" for doc_id in
        (PLAN, REPEALED, REPEALER, EXPIRING, LAPSED, ATTACHED, LATER, SCHEDULED)}
# Bodies and topics the trimmed config.yaml keeps although no content names them: targets for
# mutations that move a document to a body or topic it was not in.
SPARE_BODIES = ("区档案馆", "北园街道办事处", "区民政局", "各部门")
# Groups whose members are departments or units: as a task's unit they would give every such
# body a page of its own (the group's tasks), and no body page would ever come or go.
BROAD_GROUPS = ("各部门", "各相关部门", "各相关单位")
# A body for the apply mutations to list and to give an office of its own.
APPLY_SPARE_BODIES = ("区财政局",)
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


def read_front(path: Path, text: str | None = None) -> tuple[dict, str]:
    text = path.read_text("utf-8") if text is None else text
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
    for path in (content / "catalogue").glob("*.yaml"):
        if path.name not in CATALOGUE_KEPT:
            path.unlink()

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

    for path in sorted((content / "reports").glob("*.yaml")):  # one style; the 规范性文件 row counted from the documents
        report = read_yaml(path)
        report["proactive"]["normative"] = {}
        path.write_text(dump(report), "utf-8")

    table_path = content / "tasks" / f"{TABLE}.yaml"
    table = read_yaml(table_path)
    table["tasks"] = table["tasks"][:TASKS_KEPT]
    for kept in table["tasks"]:  # two bodies and the last, often a group (每个任务的责任单位)
        units = [unit for unit in kept["units"] if unit not in BROAD_GROUPS] or ["区财政局"]
        kept["units"] = units[:2] + units[2:][-1:]
        named.update(kept["units"])
    table["tasks"][1]["due"] = "2022-10-31"
    table["tasks"][2]["note"] = "原文此处有笔误，已据正文补正。"
    for path in sorted((content / "decisions").glob("*.yaml")):  # the 决策事项's 承办单位 stay in config.yaml
        for item in read_yaml(path).get("items") or []:
            named.update([item["body"]] if isinstance(item["body"], str) else item["body"])
    for path in sorted((content / "catalogue").glob("*.yaml")):  # the 标准目录's 公开主体 stay in config.yaml
        for row in read_yaml(path).get("rows") or []:
            named.update(row["bodies"])
    linked = set(re.findall(r"/bodies/([a-z0-9-]+)/", texts))
    for body in config["bodies"]:  # a body page the texts link to must stay: give the body a task
        if body["slug"] in linked and not named & {body["name"], *body.get("aliases", [])}:
            table["tasks"][-1]["units"].append(body["name"])
            named.add(body["name"])
    table_path.write_text(dump(table), "utf-8")

    apply = config.get("apply", {})  # the bodies the 依申请公开 guide lists by name stay
    named.update([*apply.get("list_bodies", []), *(office["body"] for office in apply.get("offices", []))])
    named.update(APPLY_SPARE_BODIES)
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


OPTIONS = "options.json"  # in the project folder: the build's command-line options and date
