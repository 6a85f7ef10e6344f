"""Builds run in this process (through the command line's own `main`), for tests that build many
times: a subprocess costs a second of imports each, this a few hundred milliseconds."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from conftest import EPOCH, check_published


@dataclass
class Run:
    code: int
    out: str
    err: str


def cli(capsys, monkeypatch, *args: str) -> Run:
    """`python build.py *args` in this process: its exit code and what it printed."""
    from disclosure.commands.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    check_published(args, code, Path.cwd())
    return Run(code, captured.out, captured.err)


def build(capsys, monkeypatch, project: Path, output: Path, *extra: str, cache: Path | None = None) -> Run:
    """Build `project`'s content and config into `output`, serially, with the project's own cache
    (`project/.cache`) unless told otherwise."""
    cache_args = ["--cache", str(cache or project / ".cache")] if "--no-cache" not in extra else []
    return cli(capsys, monkeypatch, "--content", str(project / "content"), "--config", str(project / "config.yaml"),
               "--output", str(output), "--jobs", "1", *cache_args, *extra)


# Clean builds already made in this process: by the digest of the content and config, and the options.
_CLEAN: dict[tuple, dict[str, str]] = {}


def clean_tree(capsys, monkeypatch, project: Path, *extra: str) -> dict[str, str]:
    """`tree` of what a clean build (no cache) of `project`'s content and config gives, with `extra`
    options: what every cached or incremental build of the same content must give, byte for byte.
    Builds are deterministic (tests/build/test_build_safety.py), so each content, config and options
    is built once in a process however many tests compare with it; call it with nothing patched."""
    config = hashlib.sha256((project / "config.yaml").read_bytes()).hexdigest()
    key = (tuple(tree(project / "content").items()), config, extra)
    if key not in _CLEAN:
        output = Path(tempfile.mkdtemp(prefix="clean-", dir=project)) / "site"
        run = build(capsys, monkeypatch, project, output, "--no-cache", *extra)
        assert run.code == 0, run.err
        _CLEAN[key] = tree(output)
        shutil.rmtree(output.parent)
    return _CLEAN[key]


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` (symbolic links as links) by its content digest."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = "link:" + str(path.readlink())
        elif path.is_file():
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def snapshot(folder: Path) -> dict[str, tuple]:
    """`tree` with each file's inode and modification time: what a build that changes nothing keeps."""
    found = {}
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        key = path.relative_to(folder).as_posix()
        if path.is_file() and not path.is_symlink():
            found[key] = (hashlib.sha256(path.read_bytes()).hexdigest(), status.st_ino, status.st_mtime_ns)
        else:
            found[key] = (status.st_mode, status.st_mtime_ns)
    return found
