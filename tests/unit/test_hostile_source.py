"""YAML written by careless or hostile hands: read, or refused with a message, never a crash.

Issue 15: deep nesting that killed the process in libyaml (#6), alias and merge-key bombs (#7).
Cases that crashed or hung before run in a child process, so that the old behaviour fails one
test instead of the whole run. Names, folders, links and special files: test_hostile_files.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from disclosure.errors import Problems
from disclosure.load.source import parse_yaml
from hostile_content import ALIASES, DEEP, DOC, FEW, HEAD, TASKS, lines_of, load, load_in_child, merge_bomb



# --- 6. deep nesting ------------------------------------------------------------------------------


def test_deep_nesting_never_reaches_libyaml(tmp_path):
    """100,000 "[" made libyaml's recursive composer overflow the C stack: rc 139, no message."""
    root = tmp_path / "content"
    (root / "documents").mkdir(parents=True)
    (root / "tasks").mkdir()
    (root / "documents/deep.md").write_text(f"---\n{HEAD}keywords: {'[' * 100_000}\n---\n正文\n", "utf-8")
    (root / "documents/deep-map.md").write_text(f"---\n{HEAD}keywords: {'{a: ' * 100_000}\n---\n", "utf-8")
    (root / "tasks/deep.yaml").write_text("plan: x\ntitle: y\ntasks:\n  " + "- " * 100_000 + "x\n", "utf-8")
    result = load_in_child(tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"content/documents/deep.md:9: YAML 的列表或字段{DEEP}" in result.stdout
    assert f"content/documents/deep-map.md:9: YAML 的列表或字段{DEEP}" in result.stdout
    assert f"content/tasks/deep.yaml:4: YAML 的列表或字段{DEEP}" in result.stdout


def test_deep_nesting_among_many_files_does_not_hang_the_workers(tmp_path):
    """With 300 files or more the files are parsed in forked workers; one dying hung the pool."""
    documents = tmp_path / "content/documents"
    documents.mkdir(parents=True)
    for number in range(320):
        (documents / f"doc-{number}.md").write_text(DOC, "utf-8")
    (documents / "doc-deep.md").write_text(f"---\n{HEAD}keywords: {'[' * 100_000}\n---\n", "utf-8")
    result = load_in_child(tmp_path, jobs=2)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"content/documents/doc-deep.md:9: YAML 的列表或字段{DEEP}" in result.stdout
    assert "documents 320 " in result.stdout


SHAPES = {  # the YAML under a top-level key, and the line (counted from that key's line) that goes too deep
    "flow lists": ("k: " + "[" * 60 + "]" * 60, 0),
    "flow mappings": ("k: " + "{a: " * 60 + "x" + "}" * 60, 0),
    "flow lists over lines": ("k: " + "[\n" * 60 + "]" * 60, 19),
    "block mappings": ("k:\n" + "".join(" " * (2 * n + 2) + "a:\n" for n in range(60)) + " " * 122 + "x: 1", 20),
    "block lists": ("k:\n" + "".join(" " * (2 * n + 2) + "-\n" for n in range(60)) + " " * 122 + "x", 20),
    "compact lists": ("k:\n  " + "- " * 60 + "x", 1),
    "explicit keys": ("k:\n  " + "? " * 60 + "x", 1),
    "lists of mappings": ("k:\n" + "".join(" " * (2 * n + 2) + "- a:\n" for n in range(0, 60)) + " " * 130 + "x", 10),
    "mixed": ("k:\n  - a:\n      - " + "[{b: " * 30 + "x" + "}]" * 30, 2),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("where", ["document", "tasks"])
def test_each_shape_of_deep_nesting_is_refused_at_its_line(tmp_path, shape, where):
    nested, offset = SHAPES[shape]
    if where == "document":
        files, first = {"documents/x.md": f"---\n{HEAD}{nested}\n---\n正文\n"}, 9
    else:
        files, first = {"tasks/x.yaml": f"{TASKS}{nested}\n"}, 10
    _, problems = load(tmp_path / "content", files)
    assert lines_of(problems, DEEP) == [first + offset], [p.format() for p in problems.items]


LEVELS = st.lists(st.sampled_from(["map", "seq", "compact", "[", "{"]), min_size=1, max_size=90)


def nest(levels: list[str]) -> str:
    """YAML with one path through these collections under a root mapping: block ones first, then flow."""
    levels = [level for level in levels if level in ("map", "seq", "compact")] + \
             [level for level in levels if level in ("[", "{")]
    text, column, after_dash = "root: ", 0, False
    closing = ""
    for level in levels:
        if level == "compact" and not after_dash:
            level = "seq"
        if level == "map":
            column += 2
            text += "\n" + " " * column + "k: "
        elif level == "seq":
            column += 2
            text += "\n" + " " * column + "- "
        elif level == "compact":
            column += 2
            text += "- "
        elif level == "[":
            text += "["
            closing = "]" + closing
        else:
            text += "{k: "
            closing = "}" + closing
        after_dash = level in ("seq", "compact")
    return text + "x" + closing + "\n"


@FEW
@given(LEVELS)
@example(["[", "["] * 40)
@example(["map"] * 70)
@example(["compact"] * 80)
def test_nesting_is_read_when_shallow_and_refused_when_deep(levels):
    problems = Problems()
    try:
        value = parse_yaml(Path("x.yaml"), nest(levels), problems)
    except Exception as exc:  # noqa: BLE001 - YamlInvalid, with the reason in problems
        assert type(exc).__name__ == "YamlInvalid"
        value = None
    depth = 1 + len(levels)  # the root mapping and each level
    if depth <= 8:
        assert value is not None and not problems.items, [p.format() for p in problems.items]
    elif depth >= 60:
        assert value is None and any(DEEP in p.message for p in problems.items), [p.format() for p in problems.items]


def composed_depth(node) -> int:
    children = node.value if isinstance(node.value, list) else []
    flat = [part for child in children for part in (child if isinstance(child, tuple) else (child,))]
    return 0 if not isinstance(node.value, list) else 1 + max((composed_depth(c) for c in flat), default=0)


@FEW
@given(LEVELS, st.booleans(), st.sampled_from(["\n", "\u2028", "\x85"]))
@example(["compact"] * 80 + ["map"] * 5, True, "\n")
@example(["map", "seq"] * 40, True, "\n")
def test_what_libyaml_may_see_nests_no_deeper_than_the_bound(levels, many, newline):
    """libyaml composes by recursion in C, so it reads only text whose bound is low: the bound must
    hold for whatever it would compose, including where many "-" and ":" make it count columns."""
    import yaml

    from disclosure.load.source import _nesting_bound

    text = nest(levels).replace("\n", newline) + ("# " + ":-" * 2000 + "\n" if many else "")
    try:
        depth = composed_depth(yaml.compose(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return
    assert _nesting_bound(text) >= depth


BRACKETS = st.text(st.sampled_from(list("[]{}[[[[{{-?:,#&*!|> 【】（）测试")), min_size=60, max_size=400)


@FEW
@given(BRACKETS, st.sampled_from(["double", "single", "comment", "block", "folded"]))
def test_brackets_in_quotes_comments_and_block_text_are_not_nesting(text, how):
    text = text.replace("#", "＃") if how != "comment" else text
    value = {
        "double": 'title: "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"',
        "single": "title: '" + text.replace("'", "''") + "'",
        "comment": "title: 测试 # " + text,
        "block": "title: |\n  " + text.replace("\n", " ") + "\n  " + "[" * 100,
        "folded": "title: >-\n  " + "[" * 100 + "\n  " + text,
    }[how]
    problems = Problems()
    try:
        parse_yaml(Path("x.yaml"), value + "\nk: 1\n", problems)
    except Exception:  # noqa: BLE001 - some texts are other YAML errors; none is about nesting
        pass
    assert not [p for p in problems.items if DEEP in p.message], [p.format() for p in problems.items]


def test_a_title_full_of_brackets_loads(tmp_path):
    title = "【" * 50 + "[" * 50 + "{" * 50
    content, problems = load(tmp_path / "content", {
        "documents/a.md": DOC.replace("title: 测试", f'title: "{title}"  # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[['),
        "documents/b.md": DOC + "\n" + "[" * 5000 + "\n",  # a body is Markdown, not YAML
    })
    assert not problems.items, [p.format() for p in problems.items]
    assert content.documents[0].title == title


# --- 7. alias and merge-key bombs -----------------------------------------------------------------


def test_the_merge_key_bomb_is_refused_before_it_grows(tmp_path):
    """The issue's bomb: each level merges the one before twice, 2**29 pairs from 800 bytes."""
    (tmp_path / "content/tasks").mkdir(parents=True)
    (tmp_path / "content/tasks/bomb.yaml").write_text(merge_bomb(30), "utf-8")
    result = load_in_child(tmp_path, memory=1 << 30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(rf"content/tasks/bomb\.yaml:\d+: YAML 的 \* {ALIASES}", result.stdout), result.stdout


BOMBS = {
    "merge, two a level": merge_bomb(20),
    "merge, three a level": merge_bomb(14, 3),
    "merge into a mapping with its own keys": "a0: &a0 {k: 0}\n" + "".join(
        f"a{n}: &a{n}\n  <<: [*a{n - 1}, *a{n - 1}, *a{n - 1}]\n  own{n}: 1\n" for n in range(1, 14)),
    "lists (billion laughs)": "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9)),
    "mappings": "a0: &a0 {x: 1, y: 2}\n" + "".join(
        f"a{n}: &a{n} {{p: *a{n - 1}, q: *a{n - 1}, r: *a{n - 1}}}\n" for n in range(1, 16)),
    "block lists": "a0: &a0\n  - x\n  - y\n" + "".join(
        f"a{n}: &a{n}\n" + f"  - *a{n - 1}\n" * 4 for n in range(1, 12)),
    "one anchor, many aliases": "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 200) + "]\n",
}


@pytest.mark.parametrize("shape", sorted(BOMBS))
def test_alias_bombs_are_refused(shape):
    problems = Problems()
    with pytest.raises(Exception) as raised:
        parse_yaml(Path("x.yaml"), BOMBS[shape], problems)
    assert type(raised.value).__name__ == "YamlInvalid"
    assert [p.message for p in problems.items if ALIASES in p.message], [p.format() for p in problems.items]


@FEW
@given(st.integers(2, 12), st.integers(1, 14), st.sampled_from(["seq", "map", "merge"]))
def test_alias_expansion_is_bounded_whatever_its_shape(width, levels, container):
    lines = ["a0: &a0 {k0: 0}" if container == "merge" else "a0: &a0 x"]
    for n in range(1, levels + 1):
        refs = [f"*a{n - 1}"] * width
        if container == "seq":
            lines.append(f"a{n}: &a{n} [{', '.join(refs)}]")
        elif container == "map":
            lines.append(f"a{n}: &a{n} {{{', '.join(f'k{i}: {ref}' for i, ref in enumerate(refs))}}}")
        else:
            lines.append(f"a{n}: &a{n} {{<<: [{', '.join(refs)}], own{n}: 1}}")
    problems = Problems()
    try:
        parse_yaml(Path("x.yaml"), "\n".join(lines) + "\n", problems)
    except Exception:  # noqa: BLE001 - YamlInvalid: merges of the same keys are duplicates too
        pass
    refused = any(ALIASES in p.message for p in problems.items)
    if width ** levels >= 100_000:
        assert refused
    elif width ** levels * width <= 400:
        assert not refused


def test_a_few_aliases_are_still_read(tmp_path):
    tasks = "plan: x\ntitle: 任务表\ntasks:\n" + "".join(
        f"  - no: {n}\n    area: 甲\n    item: 乙\n    requirement: 丙\n"
        f"    units: {'&u [区财政局, 区教育体育局]' if n == 1 else '*u'}\n    deadline: 全年\n" for n in range(1, 40))
    content, problems = load(tmp_path / "content", {"tasks/t.yaml": tasks})
    assert not [p for p in problems.items if p.severity == "error"], [p.format() for p in problems.items]
    assert len(content.task_tables[0].tasks) == 39
