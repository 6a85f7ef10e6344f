"""config.yaml's synonyms: validated like the other vocabularies, and handed to the search page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT
from disclosure.load.config import load_config
from disclosure.errors import Problems


def _load(tmp_path: Path, synonyms_yaml: str):
    text = (ROOT / "config.yaml").read_text("utf-8")
    text = re.sub(r"\nsynonyms:\n(?:  - .*\n)*", "\n", text) + synonyms_yaml
    path = tmp_path / "config.yaml"
    path.write_text(text, "utf-8")
    problems = Problems()
    return load_config(path, problems), [(p.line, p.message) for p in problems.items], text


def test_the_bundled_synonyms_load():
    problems = Problems()
    config = load_config(ROOT / "config.yaml", problems)
    assert problems.items == []
    assert ("低保", "最低生活保障") in config.synonyms


@pytest.mark.parametrize("yaml, message, offset", [
    ("synonyms: 低保\n", "config.yaml 的“synonyms”应是同义词组的列表", 0),
    ("synonyms:\n  - 低保\n", "第 1 组同义词应写成 [词一, 词二]", 1),
    ("synonyms:\n  - [低保]\n", "第 1 组同义词应至少有两个不同的词", 1),
    ("synonyms:\n  - [低保, 低保]\n", "第 1 组同义词应至少有两个不同的词", 1),
    ("synonyms:\n  - [低保, {a: 1}]\n", "第 1 组同义词应写成 [词一, 词二]", 1),
    ("synonyms:\n  - [低保, true]\n", "第 1 组同义词应写成 [词一, 词二]", 1),
    ("synonyms:\n  - [低保, “”]\n", "同义词““””中没有汉字、字母或数字", 1),
    ("synonyms:\n  - [低保, 最低生活保障]\n  - [医保, 医疗保障]\n  - [低保, 困难救助]\n",
     "同义词“低保”同时属于第 1 组和第 3 组", 3),
    ("synonym:\n  - [低保, 最低生活保障]\n", "config.yaml中有未知字段“synonym”", 0),
])
def test_bad_synonyms_are_named_with_their_line(tmp_path, yaml, message, offset):
    config, problems, text = _load(tmp_path, yaml)
    assert config is None
    assert [m for _, m in problems] == [message]
    key_line = text.count("\n", 0, text.index(yaml.split("\n")[0])) + 1
    assert problems[0][0] == key_line + offset


def test_the_search_page_carries_the_groups_and_body_aliases():
    from messages import rendered_pages

    page = rendered_pages(ROOT)["search/index.html"]
    words = json.loads(re.search(r"data-words='([^']*)'", page).group(1))
    assert ["低保", "最低生活保障"] in words
    assert ["区工业和信息化局", "区工信局"] in words
    names = json.loads(re.search(r"data-names='([^']*)'", page).group(1))
    assert "区财政局" in names and "区工信局" in names  # every body, for 您是不是要找
