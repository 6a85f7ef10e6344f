"""Files and folders in content/ made by careless or hostile hands: read, or refused with a
message, never a crash or a silent gap.

Issue 15: control characters in file and folder names (#12), unreadable folders skipped silently
(#15), symbolic-link loops and links out of content/, named pipes that hung the build, huge
files, and invisible characters in bodies and front matter.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from disclosure.load import fields as f
from disclosure.errors import Problems
from disclosure.load.file_parts import file_id
from disclosure.load.reading import read_text
from disclosure.load.source import split_front_matter
from hostile_content import DOC, FEW, HEAD, LOAD_AND_PRINT, TASKS, in_child, load



# --- 12. control characters in names --------------------------------------------------------------


def test_whole_string_patterns_end_at_the_end():
    """`$` also matches before a final newline: "2024-nl\\n" was an id."""
    assert f.ID.match("2024-nl\n") is None and f.ID.match("2024-nl")
    from disclosure.load.config_values import SLUG
    from disclosure.commands.scaffold import CODE

    # 文号 are read with fullmatch (load/doc_numbers.py), their spaces and line breaks dropped.
    for pattern, good in ((f.ISO_DATE, "2024-03-01"), (f.LOOSE_DATE, "2024年3月1日"),
                          (f.INDEX_NO, "11370105004208456P/2022-00004"), (SLUG, "caizhengju"), (CODE, "11370105004208456P")):
        assert pattern.match(good) and pattern.match(good + "\n") is None, pattern.pattern
    problems = Problems()
    assert file_id(Path("content/documents/2024-nl\n.md"), problems) is None
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
    from disclosure.load.reading import read_text
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


def test_a_socket_is_refused(tmp_path, monkeypatch):
    documents = tmp_path / "content/documents"
    documents.mkdir(parents=True)
    monkeypatch.chdir(documents)  # a socket's path has room for about 100 bytes: bound by its name
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("s.md")
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
