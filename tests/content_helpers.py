"""Small helpers for tests that add content to a private copy of content/ (the `project` fixture)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

CHINA = timezone(timedelta(hours=8))
ATOM = "{http://www.w3.org/2005/Atom}"
BASE_URL = "https://gk.example.gov.cn"


def epoch(day: date) -> str:
    """SOURCE_DATE_EPOCH for 00:00 of `day` in China, as a nightly build sets it."""
    return str(int(datetime(day.year, day.month, day.day, tzinfo=CHINA).timestamp()))


def write_document(content: Path, doc_id: str, body: str = "特此通知。", **fields) -> Path:
    """A valid document file; `fields` override the defaults below (values written as YAML/JSON)."""
    meta = {
        "title": f"关于测试文件{doc_id}的通知",
        "issuer": "区财政局",
        "written": "2026-01-05",
        "published": "2026-01-06",
        "topic": "财政、金融、审计/财政",
        "kind": "通知",
        "validity": "有效",
        **fields,
    }
    lines = ["---"] + [f"{key}: {_yaml(value)}" for key, value in meta.items()] + ["---", "", body, ""]
    path = content / "documents" / "test" / f"{doc_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), "utf-8")
    return path


def write_interpretation(content: Path, item_id: str, interprets: str, published: str, title: str = "") -> Path:
    path = content / "interpretations" / f"{item_id}.md"
    path.write_text("\n".join([
        "---", f"title: {_yaml(title or f'解读{item_id}')}", f"interprets: {interprets}", "issuer: 区财政局",
        f"published: {published}", "form: 文字解读", "---", "", "解读正文。", ""]), "utf-8")
    return path


def write_task_table(content: Path, table_id: str, plan: str) -> Path:
    path = content / "tasks" / f"{table_id}.yaml"
    path.write_text("\n".join([
        f"plan: {plan}", f"title: {_yaml(f'任务表{table_id}')}", "tasks:", "  - no: 1", "    area: 测试任务",
        "    item: 测试事项", "    requirement: 按要求完成。", "    units: [区财政局]", "    deadline: 全年", ""]),
        "utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _yaml(value) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def load_json(site: Path, path: str):
    return json.loads((site / path).read_text("utf-8"))


def feed_entries(site: Path, feed: str) -> dict[str, ET.Element]:
    """The entries of a feed by id."""
    root = ET.parse(site / feed).getroot()
    return {entry.findtext(f"{ATOM}id"): entry for entry in root.findall(f"{ATOM}entry")}



def validated(root: Path):
    """The content under `root`, loaded and validated in this process with the bundled config.yaml,
    and the problems found."""
    from conftest import ROOT
    from disclosure.errors import Problems
    from disclosure.load.config import load_config
    from disclosure.load.loader import load_content
    from disclosure.model.validate import validate

    problems = Problems()
    config = load_config(ROOT / "config.yaml", problems)
    loaded = load_content(root, config, problems, jobs=1)
    validate(loaded, problems)
    return loaded, problems
