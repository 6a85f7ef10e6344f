"""Builds run in this process (through the command line's own `main`), for tests that build many
times: a subprocess costs a second of imports each, this a few hundred milliseconds."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from conftest import EPOCH, check_published
from site_scan import entries


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


def run_here(*args: str, env_date: str | None = EPOCH) -> subprocess.CompletedProcess:
    """conftest.run_build in this process, for the tests whose point is the build and not its
    process: `python build.py *args` through the command line's own `main`, with this process's
    cache unless told otherwise, its exit code and what it printed, and the site scanned."""
    import contextlib
    import io
    from unittest import mock

    from conftest import ROOT, private_cache
    from disclosure.commands.cli import main

    if not {"--cache", "--no-cache"} & set(args) and args[:1] != ("serve",):
        args = (*args, "--cache", str(private_cache()))
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if env_date:
            os.environ["SOURCE_DATE_EPOCH"] = env_date
        try:
            code = main(list(args))
        except SystemExit as exit:  # a usage error: argparse ends the process
            code = exit.code
    check_published(args, code, ROOT)
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


def build_here(output: Path, content: Path | None = None, config: Path | None = None, *extra: str,
               env_date: str | None = EPOCH) -> subprocess.CompletedProcess:
    """conftest.build_into in this process (run_here)."""
    args = ["--output", str(output)]
    if content:
        args += ["--content", str(content)]
    if config:
        args += ["--config", str(config)]
    return run_here(*args, *extra, env_date=env_date)


# Corpora of bench/generate.py made in this process, by their number of documents.
_GENERATED: dict[int, Path] = {}


def generated(count: int, copy_to: Path | None = None) -> Path:
    """The content folder bench/generate.py makes for `count` documents, made once per process
    (the generator always makes the same files for a count): to read, or copied to `copy_to`
    (and that returned) for a test that changes it."""
    import atexit
    import sys

    from conftest import ROOT

    if count not in _GENERATED:
        sys.path.insert(0, str(ROOT / "bench"))
        try:
            from generate import generate
        finally:
            sys.path.remove(str(ROOT / "bench"))
        folder = Path(tempfile.mkdtemp(prefix=f"generated-{count}-"))
        atexit.register(shutil.rmtree, folder, True)
        generate(count, folder / "content")
        _GENERATED[count] = folder / "content"
    if copy_to is None:
        return _GENERATED[count]
    shutil.copytree(_GENERATED[count], copy_to)
    return copy_to


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
    for name, entry in entries(folder):
        if entry.is_symlink():
            found[name] = "link:" + str(Path(os.readlink(entry.path)))
        elif entry.is_file():
            found[name] = hashlib.sha256(Path(entry.path).read_bytes()).hexdigest()
    return found


def snapshot(folder: Path) -> dict[str, tuple]:
    """`tree` with each file's inode and modification time: what a build that changes nothing keeps."""
    found = {}
    for name, entry in entries(folder):
        status = entry.stat(follow_symlinks=False)
        if entry.is_file() and not entry.is_symlink():
            found[name] = (hashlib.sha256(Path(entry.path).read_bytes()).hexdigest(), status.st_ino, status.st_mtime_ns)
        else:
            found[name] = (status.st_mode, status.st_mtime_ns)
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


# The build in a child process (pipeline.build, or the command line's main with "argv"), with the
# thresholds above which it forks workers lowered where a test asks (a few dozen generated
# documents then take the paths a few hundred would), and each pool's worker function noting the
# process it runs in: the child reports how many workers, other than itself, each pool used.
CHILD_BUILD = """
import dataclasses, json, os, shutil, sys, tempfile
from pathlib import Path
sys.path.insert(0, {root!r})
from disclosure.load import loader
from disclosure.orchestrate import parallel
from disclosure.search import writer

given = json.loads(sys.argv[1])
for module, name, key in ((parallel, "SERIAL_BELOW", "serial_below"), (loader, "PARALLEL_FROM", "parallel_from"),
                          (writer, "BATCH", "search_batch")):
    if given.get(key) is not None:
        setattr(module, name, given[key])
noted = Path(tempfile.mkdtemp(prefix="workers-"))


def note(module, name, pool):
    original = getattr(module, name)

    def noting(*args):
        (noted / f"{{pool}}-{{os.getpid()}}").touch()
        return original(*args)

    noting.__module__, noting.__qualname__ = module.__name__, name  # pickled by reference, as the original
    setattr(module, name, noting)


for module, name, pool in ((loader, "_parse_batch", "parse"), (parallel, "_make_batch", "render"),
                           (parallel, "_call", "exports"), (writer, "_batch", "index")):
    note(module, name, pool)


def workers():
    found = {{}}
    for path in noted.iterdir():
        pool, pid = path.name.rsplit("-", 1)
        if int(pid) != os.getpid():
            found.setdefault(pool, set()).add(pid)
    return {{pool: len(pids) for pool, pids in found.items()}}


try:
    if "argv" in given:
        from disclosure.commands.cli import main

        code, report = main(given["argv"]), {{}}
    else:
        from disclosure.orchestrate.pipeline import BuildOptions, build

        options = {{key: Path(value) if key in ("content", "output", "cache") and value else value
                   for key, value in given["options"].items()}}
        code, report = 0, dataclasses.asdict(build(BuildOptions(**options)).stats)
    report["workers"] = workers()
    Path(given["report"]).write_text(json.dumps(report), "utf-8")
finally:
    shutil.rmtree(noted, ignore_errors=True)
sys.exit(code)
"""


@dataclass
class Scale:
    """Thresholds for a child build: forked workers from this many pages (parallel.SERIAL_BELOW),
    content files (loader.PARALLEL_FROM) and search records per batch (writer.BATCH); None keeps
    the build's own."""
    serial_below: int | None = None
    parallel_from: int | None = None
    search_batch: int | None = None


def _child(given: dict, scale: Scale | None) -> tuple[subprocess.CompletedProcess, dict]:
    import json
    import sys

    from conftest import ROOT

    with tempfile.TemporaryDirectory(prefix="child-build-") as folder:
        report = Path(folder) / "report.json"
        given = {**given, **dataclasses.asdict(scale or Scale()), "report": str(report)}
        child = subprocess.run([sys.executable, "-c", CHILD_BUILD.format(root=str(ROOT)), json.dumps(given)],
                               capture_output=True, text=True, timeout=300,
                               env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, cwd=ROOT)
        assert "Traceback" not in child.stderr, child.stderr[-3000:]
        return child, json.loads(report.read_text("utf-8")) if report.is_file() else {}


def stats_in_child(output: Path, content: Path, *, cache: Path | None = None, search: bool = True,
                   jobs: int = 2, scale: Scale | None = None) -> dict:
    """`pipeline.build` in a child process (for forked workers: a test process is no place to fork
    from): the build's stats as a dict, e.g. {"pages_rendered": 3, ...}, and under "workers" the
    number of worker processes each pool ran on ({"render": 2, ...}). The site is scanned."""
    from site_scan import scan

    options = {"content": str(content), "output": str(output), "cache": str(cache) if cache else None,
               "search": search, "jobs": jobs}
    child, stats = _child({"options": options}, scale)
    assert child.returncode == 0, child.stderr[-3000:]
    findings = scan(output)
    assert not findings, "\n".join(findings[:20])
    return stats


def cli_in_child(*args: str, scale: Scale | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    """`python build.py *args` in a child process with the thresholds of `scale`: what it printed
    and its exit code, and the number of worker processes each pool ran on."""
    from conftest import private_cache

    if not {"--cache", "--no-cache"} & set(args):
        args = (*args, "--cache", str(private_cache()))
    child, report = _child({"argv": list(args)}, scale)
    check_published(args, child.returncode)
    return child, report.get("workers", {})
