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


def pipeline_build(output: Path, content: Path | None = None, config: Path | None = None, *,
                   cache: Path | None = None, search: bool = True, jobs: int = 1, epoch: str | None = None):
    """`pipeline.build` in this process, on the bundled content unless told otherwise: its
    BuildResult, whose stats say what was reused and what made anew (BuildFailed on errors).
    The published site is scanned as after every test build."""
    from disclosure.orchestrate.pipeline import BuildOptions, build as run
    from messages import build_date
    from site_scan import scan

    defaults = BuildOptions()
    options = BuildOptions(content=content or defaults.content, config=config or defaults.config, output=output,
                           cache=cache, search=search, jobs=jobs)
    with build_date(*([epoch] if epoch else [])):
        result = run(options)
    findings = scan(output)
    assert not findings, "\n".join(findings[:20])
    return result


CHILD_BUILD = """
import dataclasses, json, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from disclosure.orchestrate.pipeline import BuildOptions, build
options = json.loads(sys.argv[1])
paths = {{key: Path(value) if key in ("content", "output", "cache") and value else value
         for key, value in options.items()}}
print(json.dumps(dataclasses.asdict(build(BuildOptions(**paths)).stats)))
"""


def stats_in_child(output: Path, content: Path, *, cache: Path | None = None, search: bool = True,
                   jobs: int = 2) -> dict:
    """`pipeline.build` in a child process (for forked workers: a test process is no place to fork
    from): the build's stats as a dict, e.g. {"pages_rendered": 3, ...}. The site is scanned."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT
    from site_scan import scan

    options = {"content": str(content), "output": str(output), "cache": str(cache) if cache else None,
               "search": search, "jobs": jobs}
    child = subprocess.run([sys.executable, "-c", CHILD_BUILD.format(root=str(ROOT)), json.dumps(options)],
                           capture_output=True, text=True, timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert child.returncode == 0 and "Traceback" not in child.stderr, child.stderr[-3000:]
    findings = scan(output)
    assert not findings, "\n".join(findings[:20])
    return json.loads(child.stdout.splitlines()[-1])
