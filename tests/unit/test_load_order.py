"""Content files are loaded in Path order (part by part), the order every list's tie-breaks and
error messages follow, whatever the folder listing's order."""

from __future__ import annotations

from pathlib import Path

from disclosure.load.loader import _files


def test_files_come_in_path_order(tmp_path):
    names = ["a-b.md", "a/b.md", "a/b/c.md", "a.b/x.md", "a/b-c.md", "ab.md", "a/a.md", "A/b.md", "a b/c.md",
             "中文/文件.md", "a/B.md", "2022/x.md", "2022-x.md", "a/.hidden.md", "a/notes.txt"]
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", "utf-8")
    found = _files(tmp_path, ".md", True)
    expected = sorted(p for p in tmp_path.rglob("*.md") if not p.name.startswith("."))
    assert found == expected and len(found) == 13
    assert all(isinstance(path, Path) for path in found)
