"""Every filesystem write of a build made to fail in turn (a full disk): either the build succeeds
with the site a clean build gives, or site/ is exactly as it was and the build says so. Nothing
in between, and nothing it prints is untrue (issue 15, guard rails)."""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from build_helpers import build, clean_tree, snapshot, tree
from conftest import ROOT, SEED_DOC

PACKAGE = str(ROOT / "disclosure")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _writes(mode) -> bool:
    return any(letter in str(mode) for letter in "wax+")


class Disk:
    """Counts the build's writes under `root`; makes write number `fail_at` fail with ENOSPC."""

    def __init__(self, root: Path):
        self.root = str(root)
        self.fail_at: int | None = None
        self.events: list[tuple[str, str]] = []  # (operation, where in the package it was called)
        self.failed: tuple[str, str] | None = None

    def hit(self, operation: str, *paths) -> None:
        if not any(str(path).startswith(self.root) for path in paths if isinstance(path, (str, Path))):
            return
        site = _caller()
        self.events.append((operation, site))
        if self.fail_at is not None and len(self.events) - 1 == self.fail_at:
            self.failed = (operation, site)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(paths[0]))


def _caller() -> str:
    # The cache's own writes are named by who asked for them (the load cache, the Markdown
    # cache, the manifest…), so each is made to fail in turn. The frames are walked as they are
    # (traceback.extract_stack would look up every line of source, for every write of every build).
    frame = sys._getframe(3)  # past this function, Disk.hit and the patched call
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(PACKAGE) and not filename.endswith(os.path.join("orchestrate", "cache.py")):
            return f"{Path(filename).name}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


def _patch(monkeypatch, disk: Disk) -> None:
    def wrap(owner, name, operation, paths=lambda *a, **k: a[:1], when=lambda *a, **k: True):
        original = getattr(owner, name)

        def patched(*args, **kwargs):
            if when(*args, **kwargs):
                disk.hit(operation, *paths(*args, **kwargs))
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, patched)

    opening = lambda file, mode="r", *a, **k: _writes(mode)  # noqa: E731
    wrap(builtins, "open", "open", when=opening)
    wrap(io, "open", "open", when=opening)
    wrap(os, "open", "os.open", when=lambda path, flags, *a, **k: bool(flags & _WRITE_FLAGS))
    for name in ("replace", "rename", "link", "symlink"):
        wrap(os, name, name, paths=lambda src, dst, *a, **k: (dst, src))
    for name in ("mkdir", "makedirs", "unlink", "remove", "rmdir", "chmod", "utime", "truncate"):
        wrap(os, name, name)
    wrap(shutil, "copyfile", "copyfile", paths=lambda src, dst, *a, **k: (dst,))
    wrap(shutil, "copytree", "copytree", paths=lambda src, dst, *a, **k: (dst,))
    wrap(tempfile, "mkdtemp", "mkdtemp", paths=lambda *a, **k: (k.get("dir") or (a[2] if len(a) > 2 else ""),))
    wrap(tempfile, "mkstemp", "mkstemp", paths=lambda *a, **k: (k.get("dir") or (a[2] if len(a) > 2 else ""),))
    # SQLite writes the cache database itself, past the calls above: each transaction counts as
    # a write, failing inside it as a full disk would.
    from disclosure.orchestrate.cache import Store

    write = Store.write

    def transaction(store, statements):
        def failing(connection):
            disk.hit("sqlite", store.path)
            statements(connection)
        return write(store, failing)

    monkeypatch.setattr(Store, "write", transaction)


@pytest.fixture
def baseline(built_project, capsys, monkeypatch):
    """The bundled content built once with a cache, then edited so that the next build has both
    pages to reuse and pages to write; and the site a clean build of the edited content gives."""
    project = built_project
    doc = project / "content/documents/2022" / f"{SEED_DOC}.md"
    doc.write_text(doc.read_text("utf-8").replace("区政府各部门：", "区政府各部门（改动）：", 1), "utf-8")
    expected = clean_tree(capsys, monkeypatch, project)
    saved = project / "saved"
    for name in ("site", ".cache"):
        shutil.copytree(project / name, saved / name, symlinks=True)
    return project, expected, saved


def _restore(project: Path, saved: Path) -> None:
    for name in ("site", ".cache"):
        shutil.rmtree(project / name, ignore_errors=True)
        shutil.copytree(saved / name, project / name, symlinks=True)
    for leftover in project.glob(".site.*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _distinct(events: list[tuple[str, str]]) -> list[int]:
    """The first write of each kind at each place in the package, and the very last write."""
    first: dict[tuple[str, str], int] = {}
    for index, event in enumerate(events):
        first.setdefault(event, index)
    return sorted(set(first.values()) | {len(events) - 1})


@pytest.mark.long
def test_each_write_failing_in_turn_publishes_all_or_nothing(baseline, capsys, monkeypatch):
    """With the search index: its writes too, and every other kind a build without one makes."""
    project, expected, saved = baseline
    site = project / "site"
    disk = Disk(project)
    with monkeypatch.context() as patched:
        _patch(patched, disk)
        _restore(project, saved)
        disk.events.clear()
        assert build(capsys, patched, project, site).code == 0
        events = list(disk.events)
    assert len(events) > 20, events
    marker = {op for op, where in events if where.startswith("write.py")}
    cache_writes = {where for op, where in events if op == "sqlite"}
    assert marker and len(cache_writes) >= 3, events
    codes = []
    for index in _distinct(events):
        _restore(project, saved)
        before = snapshot(site)
        disk.events.clear()
        disk.fail_at, disk.failed = index, None
        with monkeypatch.context() as patched:
            _patch(patched, disk)
            run = build(capsys, patched, project, site)
        disk.fail_at = None
        said = run.out + run.err
        where = f"write {index} ({disk.failed}) failing"
        assert "Traceback" not in said, where
        if run.code == 0:
            assert tree(site) == expected, where
            assert "保持原样" not in said and "没有更新" not in said, where
        else:
            assert snapshot(site) == before, where
            assert "保持原样" in run.err or "没有更新" in run.err, (where, run.err)
        assert not [p.name for p in project.glob(".site.new-*")], where
        codes.append(run.code)
    # Some writes only cost the cache (the build goes on), others fail the build: both were seen.
    assert 0 in codes and any(code != 0 for code in codes), codes
