"""Editors' files made by careless or hostile hands: read, or refused with a message, never a crash.

Issue 15, reading content/: deep nesting that killed the process in libyaml (#6), alias and
merge-key bombs (#7), control characters in file and folder names (#12), unreadable folders
skipped silently (#15), symbolic-link loops and links out of content/, named pipes that hung the
build, and invisible characters in bodies. Cases that crashed or hung before run in a child
process, so that the old behaviour fails one test instead of the whole run.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_build
from disclosure import fields as f
from disclosure.config import load_config
from disclosure.errors import Problems
from disclosure.load import _file_id, load_content
from disclosure.source import parse_yaml, read_text, split_front_matter

CONFIG = load_config(ROOT / "config.yaml", Problems())
HEAD = ("title: 测试\nissuer: 区财政局\nwritten: 2024-03-01\npublished: 2024-03-01\ntopic: 综合政务/政务公开\n"
        "kind: 通知\nvalidity: 有效\n")
DOC = f"---\n{HEAD}---\n\n特此通知。\n"
TASKS = "plan: x\ntitle: 任务表\ntasks:\n  - no: 1\n    area: 甲\n    item: 乙\n    requirement: 丙\n    units: [区财政局]\n    deadline: 全年\n"
DEEP = "嵌套层数太多（超过"
ALIASES = "引用展开后内容太多"
FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def load(root: Path, files: dict[str, str | bytes] | None = None) -> tuple[object, Problems]:
    """Write `files` under `root` (content/) and load it as the build does, in this process."""
    for name, data in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    problems = Problems()
    return load_content(root, CONFIG, problems, jobs=1), problems


def lines_of(problems: Problems, needle: str) -> list[int]:
    return [p.line for p in problems.items if needle in p.message]


def in_child(script: str, cwd: Path, timeout: int = 120, memory: int | None = None) -> subprocess.CompletedProcess:
    """Run a script against this checkout in a child process: a crash or a hang fails this test only."""
    def limit():  # pragma: no cover - runs in the child
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child did not finish in {timeout} s (it hung)")


LOAD_AND_PRINT = """
    import sys
    from pathlib import Path
    from disclosure.config import load_config
    from disclosure.errors import Problems
    from disclosure.load import load_content
    problems = Problems()
    config = load_config(Path({config!r}), problems)
    content = load_content(Path("content"), config, problems, jobs={jobs})
    for problem in problems.items:
        print(problem.format())
    print("documents", len(content.documents), "tables", len(content.task_tables))
"""


def load_in_child(tmp_path: Path, jobs: int = 1, **kwargs) -> subprocess.CompletedProcess:
    return in_child(LOAD_AND_PRINT.format(config=str(ROOT / "config.yaml"), jobs=jobs), tmp_path, **kwargs)


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


def test_the_build_explains_deep_nesting_and_a_bomb_instead_of_dying(project):
    """As the issue found it: `build.py check` on such files ended with rc 139 or ran out of memory."""
    documents = project / "content/documents/2024"
    (documents / "2024-deep.md").write_text(f"---\n{HEAD}keywords: {'[' * 100_000}\n---\n", "utf-8")
    (documents / "2024-bomb.md").write_text(f"---\n{HEAD}{merge_bomb(30)}---\n", "utf-8")
    arguments = ("check", "--content", str(project / "content"), "--config", str(project / "config.yaml"))
    result = run_build(*arguments, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"2024-deep.md:9: YAML 的列表或字段{DEEP}" in result.stdout + result.stderr
    assert re.search(rf"2024-bomb\.md:\d+: YAML 的 \* {ALIASES}", result.stdout + result.stderr)
    config = project / "config.yaml"
    config.write_text(config.read_text("utf-8") + "extra: " + "{a: " * 50_000, "utf-8")
    result = run_build(*arguments, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"YAML 的列表或字段{DEEP}" in result.stdout + result.stderr


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

    from disclosure.source import _nesting_bound

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


def merge_bomb(levels: int, width: int = 2) -> str:
    lines = ["a0: &a0 {k: 0}"]
    lines += [f"a{n}: &a{n} {{<<: [{', '.join([f'*a{n - 1}'] * width)}]}}" for n in range(1, levels)]
    return "\n".join(lines + [f"<<: *a{levels - 1}"]) + "\n"


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


# --- 12. control characters in names --------------------------------------------------------------


def test_whole_string_patterns_end_at_the_end():
    """`$` also matches before a final newline: "2024-nl\\n" was an id."""
    assert f.ID.match("2024-nl\n") is None and f.ID.match("2024-nl")
    from disclosure.config import SLUG
    from disclosure.scaffold import CODE

    for pattern, good in ((f.ISO_DATE, "2024-03-01"), (f.LOOSE_DATE, "2024年3月1日"), (f.DOC_NUMBER, "济天政办发〔2022〕4号"),
                          (f.LOOSE_DOC_NUMBER, "济天政办发[2022]4号"), (f.INDEX_NO, "11370105004208456P/2022-00004"),
                          (SLUG, "caizhengju"), (CODE, "11370105004208456P")):
        assert pattern.match(good) and pattern.match(good + "\n") is None, pattern.pattern
    problems = Problems()
    assert _file_id(Path("content/documents/2024-nl\n.md"), problems) is None
    assert "\n" not in problems.items[0].format() and "2024-nl\\n.md" in problems.items[0].format()


BAD_CHARACTERS = ["\n", "\t", "\r", "\x1b", "\x7f", "\x85", "\x9b", "\u200b", "\u2028", "\u202e", "\ufeff"]


def raw_control(text: str) -> bool:
    return bool(re.search("[\x00-\x1f\x7f-\x9f\u200b\u2028\u202e\ufeff]", text))


@pytest.mark.parametrize("char", BAD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_names_with_control_characters_are_refused(tmp_path, char):
    root = tmp_path / "content"
    content, problems = load(root, {
        f"documents/2024{char}/x.md": DOC,  # its attachments would be published under this name
        f"documents/2024/y{char}.md": DOC,
        f"documents/2024/files{char}/a.pdf": b"%PDF",
        f"images{char}/a.png": b"png",
        "documents/2024/ok.md": DOC,
    })
    assert [d.id for d in content.documents] == ["ok"]
    shown = ascii(char)[1:-1]
    refused = sorted(p.format() for p in problems.items)
    assert len(refused) == 4 and all(p.severity == "error" for p in problems.items), refused
    assert all(shown in line and not raw_control(line) for line in refused), refused


@FEW
@given(st.text(st.characters(codec="utf-8", categories=["Ll", "Nd", "Lo"]), min_size=1, max_size=8),
       st.sampled_from(BAD_CHARACTERS + ["\x01", "\u2066", "\u00ad"]), st.integers(0, 8), st.booleans())
def test_any_name_with_an_invisible_character_is_refused_visibly(name, char, at, folder):
    name = name.replace("/", "")
    name = name[:at] + char + name[at:]
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "content"
        where = f"documents/{name}/doc.md" if folder else f"documents/{name}.md"
        content, problems = load(root, {where: DOC})
    assert not content.documents
    assert problems.items and all(not raw_control(p.format()) for p in problems.items), problems.items


# --- 15. unreadable folders -----------------------------------------------------------------------


def test_an_unreadable_folder_is_an_error(tmp_path, monkeypatch):
    """chmod 000 on a folder: its documents were left out and the build said nothing."""
    root = tmp_path / "content"
    for year in ("2024", "2025"):
        (root / "documents" / year).mkdir(parents=True)
        (root / "documents" / year / f"doc-{year}.md").write_text(DOC, "utf-8")
    (root / "images/locked").mkdir(parents=True)
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith(("2025", "locked")):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    content, problems = load(root)
    assert [d.id for d in content.documents] == ["doc-2024"]
    found = sorted((p.path, p.message) for p in problems.items)
    assert [(Path(path).parts[-2:], message) for path, message in found] == [
        (("documents", "2025"), "无法读取文件夹：没有读取权限"), (("images", "locked"), "无法读取文件夹：没有读取权限")]


def test_an_unreadable_content_folder_is_one_error(tmp_path, monkeypatch):
    root = tmp_path / "content"
    (root / "documents").mkdir(parents=True)
    (root / "documents/doc.md").write_text(DOC, "utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path) == str(root):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    _, problems = load(root)
    assert [(Path(p.path).name, p.message) for p in problems.items] == [("content", "无法读取文件夹：没有读取权限")]


# --- links, special files ------------------------------------------------------------------------


@pytest.mark.parametrize("links", [
    {"documents/loop": "."},
    {"documents/2024/up": ".."},
    {"documents/2024/root": "../.."},
    {"documents/a/to-b": "../b", "documents/b/to-a": "../a"},
    {"loop": "."},  # outside the four content folders, where attachments live
])
def test_a_link_loop_is_one_error(tmp_path, links):
    root = tmp_path / "content"
    for name in ("documents/2024/doc-1.md", "documents/a/doc-a.md", "documents/b/doc-b.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(DOC, "utf-8")
    for link, target in links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(target)
    content, problems = load(root)
    loops = [p for p in problems.items if "形成了循环" in p.message]
    assert len(loops) == len(problems.items) == len(links), [p.format() for p in problems.items]  # each link once
    assert {"doc-1", "doc-a", "doc-b"} <= {d.id for d in content.documents}


def test_a_link_out_of_content_is_refused_and_one_inside_is_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text(DOC, "utf-8")
    root = tmp_path / "content"
    (root / "documents").mkdir(parents=True)
    (root / "archive/2020").mkdir(parents=True)
    (root / "archive/2020/old.md").write_text(DOC, "utf-8")
    (root / "documents/outside").symlink_to(outside)
    (root / "documents/one.md").symlink_to(outside / "secret.md")
    (root / "documents/2020").symlink_to(root / "archive/2020")
    content, problems = load(root)
    assert [d.id for d in content.documents] == ["old"]
    refused = sorted(p.message for p in problems.items)
    assert len(refused) == 2 and all("指向 content/ 以外" in m for m in refused), refused
    assert any("“outside”" in m and "文件夹链接" in m for m in refused)
    assert any("“one.md”" in m and "文件链接" in m for m in refused)


def test_a_loop_of_file_links_is_one_error(tmp_path):
    root = tmp_path / "content"
    (root / "documents").mkdir(parents=True)
    (root / "documents/a.md").symlink_to("b.md")
    (root / "documents/b.md").symlink_to("a.md")
    (root / "documents/gone.md").symlink_to("nowhere.md")
    _, problems = load(root)
    assert sorted(p.message for p in problems.items) == [
        f"文件夹里的链接“{name}”指向的文件不存在或不是普通文件" for name in ("a.md", "b.md", "gone.md")]


FIFO_CHILD = """
    import os
    from pathlib import Path
    from disclosure.errors import Problems
    from disclosure.source import read_text
    problems = Problems()
    read_text(Path("content/documents/pipe.md"), problems)  # as the preview's re-render reads a changed file
    print("\\n".join(p.format() for p in problems.items))
""" + LOAD_AND_PRINT


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_reading_it(tmp_path):
    """Reading a named pipe waits for a writer that never comes: the build hung."""
    documents = tmp_path / "content/documents"
    documents.mkdir(parents=True)
    (documents / "ok.md").write_text(DOC, "utf-8")
    os.mkfifo(documents / "pipe.md")
    os.mkfifo(documents / "notes.txt")
    result = in_child(FIFO_CHILD.format(config=str(ROOT / "config.yaml"), jobs=1), tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "content/documents/pipe.md: 这不是普通文件（是命名管道），不能读取" in result.stdout
    assert "content/documents/notes.txt: 这不是普通文件（是命名管道），不能读取" in result.stdout
    assert "documents 1 " in result.stdout


def test_a_socket_is_refused(tmp_path):
    documents = tmp_path / "content/documents"
    documents.mkdir(parents=True)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(documents / "s.md"))
        _, problems = load(tmp_path / "content")
    assert [p.message for p in problems.items] == ["这不是普通文件（是套接字），不能读取"]


def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "content/documents/huge.md"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as stream:  # sparse: no 17 MB written to the disk
        stream.write(b"---\n")
        stream.truncate(17 * 1024 * 1024)
    problems = Problems()
    assert read_text(path, problems) is None
    assert problems.items[0].message.startswith("文件太大（17 MB）")


def test_odd_names_hidden_files_and_empty_files(tmp_path):
    root = tmp_path / "content"
    content, problems = load(root, {
        "documents/upper.MD": DOC, "documents/.hidden.md": "x", "documents/.trash/old.md": "x",
        "documents/has space.md": DOC, "documents/Big.md": DOC, "documents/全角.md": DOC, "documents/ｆｕｌｌ.md": DOC,
        "documents/empty.md": "", "tasks/empty.yaml": "", "documents/only-head.md": f"---\n{HEAD}---",
    })
    assert sorted(d.id for d in content.documents) == ["only-head", "upper"]
    found = sorted((Path(p.path).name, p.message) for p in problems.items)
    assert found == sorted([
        ("has space.md", "文件名“has space.md”不能作为网址"), ("Big.md", "文件名“Big.md”不能作为网址"),
        ("全角.md", "文件名“全角.md”不能作为网址"), ("ｆｕｌｌ.md", "文件名“ｆｕｌｌ.md”不能作为网址"),
        ("empty.md", "文件开头缺少 YAML 头部的分隔线“---”"), ("empty.yaml", "文件是空的")]), found


def test_names_meant_as_content_are_not_left_out_in_silence(tmp_path):
    content, problems = load(tmp_path / "content", {
        "documents/a.md.txt": DOC, "documents/b.md ": DOC, "documents/c.markdown": DOC, "documents/d.md.": DOC,
        "tasks/t.yml.txt": TASKS, "documents/files/e.pdf": b"%PDF", "documents/notes.txt": "x", "images/f.md.txt": "x",
    })
    assert not content.documents and not content.task_tables
    warned = sorted((Path(p.path).name, p.severity) for p in problems.items)
    assert warned == [(name, "warning") for name in ("a.md.txt", "b.md ", "c.markdown", "d.md.", "t.yml.txt")], warned


# --- invisible characters in bodies and front matter ---------------------------------------------

CONTROLS = ["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe"]
DIRECTION = ["\u202a", "\u202e", "\u2066", "\u2069"]
INVISIBLE = ["\u00ad", "\u200b", "\u200d", "\u2028", "\u2029", "\u2060", "\ufeff", "\ue000"]


def check_body(body: str) -> Problems:
    problems = Problems()
    assert split_front_matter(Path("x.md"), f"---\n{HEAD}---\n{body}", problems) is not None
    return problems


@pytest.mark.parametrize("char", CONTROLS + DIRECTION + INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_in_a_body_are_reported_at_their_line(char):
    problems = check_body(f"第一段。\n\n第二段{char}，含全角空格\u3000和\tTab。\n")
    error = char in CONTROLS + DIRECTION
    assert [(p.line, p.severity) for p in problems.items] == [(12, "error" if error else "warning")], problems.items
    assert f"U+{ord(char):04X}" in problems.items[0].message


@pytest.mark.parametrize("char", ["\u200b", "\u2028", "\u202e", "\ufeff", "\x85"], ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_in_front_matter_are_reported(char):
    problems = Problems()
    split_front_matter(Path("x.md"), f"---\n{HEAD}keywords: [甲{char}乙]\n---\n正文\n", problems)
    assert [p.line for p in problems.items if f"U+{ord(char):04X}" in p.message] == [9], problems.items


CLEAN = st.lists(st.sampled_from(list("政务公开通知，。、；：“”（）《》〔〕【】 \u3000\tabc123-*#>|[]()!`\n") + ["**", "---"]),
                 max_size=40).map("".join)


@FEW
@given(st.lists(CLEAN, min_size=1, max_size=12), st.data())
def test_a_body_reports_exactly_the_lines_with_invisible_characters(paragraphs, data):
    lines = "\n".join(paragraphs).split("\n")
    marked: dict[int, set[str]] = {}
    for _ in range(data.draw(st.integers(0, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        char = data.draw(st.sampled_from(CONTROLS + DIRECTION + INVISIBLE))
        at = data.draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:at] + char + lines[index][at:]
        marked.setdefault(index, set()).add(char)
    problems = check_body("\n".join(lines))
    found: dict[int, set[str]] = {}
    for problem in problems.items:
        found.setdefault(problem.line - 10, set()).add(problem.severity)
    assert set(found) == set(marked), [p.format() for p in problems.items]
    for index, chars in marked.items():
        assert ("error" in found[index]) == bool(chars & set(CONTROLS + DIRECTION)), [p.format() for p in problems.items]
        assert ("warning" in found[index]) == bool(chars & set(INVISIBLE)), [p.format() for p in problems.items]


def test_a_body_full_of_control_characters_gives_a_few_messages():
    problems = check_body("\x00\n" * 100_000)
    assert len(problems.items) == 5 and [p.line for p in problems.items] == [10, 11, 12, 13, 14]


def test_the_guide_explains_the_new_messages():
    guide = (ROOT / "docs/editor-guide.md").read_text("utf-8")
    for message in ("文件里有改变文字方向的控制字符", "文件里有看不见的特殊字符", "文件里有显示不出来的字符", "这不是普通文件",
                    "文件太大", "里有看不见的控制字符", "无法读取文件夹", "指向 content/ 以外", "形成了循环",
                    "指向的文件不存在或不是普通文件", "嵌套层数太多（超过", "引用展开后内容太多", "没有当作内容读取"):
        assert message in guide, message
