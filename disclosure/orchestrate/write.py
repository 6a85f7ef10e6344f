"""Write stage: the whole site goes into a fresh folder that replaces site/ only on success,
so a failed or interrupted build leaves the previous site exactly as it was.

Replacing a folder deletes what was in it, so the build replaces only a folder it can prove it
made: each site carries a marker file (MARKER) naming the build manifest it was written with.
Any other folder given as the output (content/, the project, a home folder) is refused whole."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ..load.regular_files import read_bytes

from ..errors import display_path

MARKER = ".disclosure-site"
_GENERATOR = "disclosure"


class OutputRefused(Exception):
    """The output folder is not one the build may replace; the message says why, in Chinese."""


def write_marker(folder: Path, manifest: str, previous: Path | None = None) -> None:
    """Mark `folder` as a site this build made, from the manifest with identity `manifest`; the
    marker of `previous` is linked when it names the same manifest (the site is unchanged, and
    so is every file's inode and mtime)."""
    if previous is not None and read_marker(previous) == manifest:
        with contextlib.suppress(OSError):
            os.link(previous / MARKER, folder / MARKER)
            return
    data = json.dumps({"generator": _GENERATOR, "manifest": manifest}, sort_keys=True) + "\n"
    (folder / MARKER).write_text(data, "utf-8")


def read_marker(folder: Path) -> str | None:
    """The manifest identity a site folder's marker names; None for a folder without one."""
    data = read_bytes(folder / MARKER)
    try:
        marker = json.loads(data) if data is not None and len(data) < 4096 else None
    except ValueError:
        return None
    if not isinstance(marker, dict) or marker.get("generator") != _GENERATOR:
        return None
    return marker.get("manifest") if isinstance(marker.get("manifest"), str) else None


def check_output(output: Path, keep: list[Path], ours: list[Path] = ()) -> None:
    """Raise OutputRefused unless `output` is missing, an empty folder, or a site this build made,
    and holds none of the folders and files in `keep` (content, config, templates…). A folder
    inside one of `ours` (the cache) is the build's own and may always be replaced."""
    resolved = output.resolve()
    for path in keep:
        path = path.resolve()
        if path == resolved or resolved in path.parents:
            where = "就是" if path == resolved else "里面有"
            raise OutputRefused(f"输出目录“{output}”{where} {display_path(path)}，生成网站会把整个输出目录替换掉，所以拒绝执行")
    if not resolved.exists() and not resolved.is_symlink():
        return
    if not resolved.is_dir():
        raise OutputRefused(f"输出目录“{output}”已存在，但不是目录")
    if any(folder.resolve() in resolved.parents for folder in ours):
        return
    try:
        empty = next(os.scandir(resolved), None) is None
    except OSError as exc:
        raise OutputRefused(f"无法读取输出目录“{output}”：{exc.strerror}") from None
    if not empty and read_marker(resolved) is None:
        raise OutputRefused(f"输出目录“{output}”里已有文件，但它不是本程序生成的网站（没有标记文件 {MARKER}），"
                            "生成网站会把它整个替换掉，所以拒绝执行")


@contextlib.contextmanager
def staged(output: Path, keep: list[Path] = (), ours: list[Path] = ()):
    """A fresh folder beside `output`; on a clean exit it becomes `output`, otherwise it is
    removed. `output` must pass `check_output` (checked again here, just before it is replaced)."""
    check_output(output, keep, ours)
    output = output.resolve()
    _REPLACED.discard(str(output))
    output.parent.mkdir(parents=True, exist_ok=True)
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        remove_later(leftover)
    for leftover in output.parent.glob(f".{output.name}.new-*"):
        # A build that was killed (it cannot clean up after itself); a day old, so never the
        # staging folder of a build running beside this one.
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > 86400:
                remove_later(leftover)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)
        check_output(output, keep, ours)  # the build took a while: it may have changed meanwhile
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


_REPLACED: set[str] = set()  # outputs the current build has replaced, so far


def replaced(output: Path) -> bool:
    """Whether the build running in this process has already put its new site in place of
    `output`: what a failure or an interruption after that instant must say."""
    try:
        return str(output.resolve()) in _REPLACED
    except (OSError, RuntimeError):
        return False


def atomic_write(path: Path | str, data: bytes, make_folder: bool = True) -> bool:
    """Replace a file in one step, so that no reader and no interrupted run ever sees half of it;
    False if it could not be written. Made for many small files: the folder is created only when
    missing (and `make_folder`), and the temporary's name is unique to the process and thread, so
    no name is searched for (parallel workers, and the preview's quick re-render beside a build)."""
    target = str(path)
    temporary = f"{target}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        try:
            stream = open(temporary, "wb")
        except FileNotFoundError:
            if not make_folder:
                raise
            os.makedirs(os.path.dirname(target), exist_ok=True)
            stream = open(temporary, "wb")
        with stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        _REPLACED.add(str(output))
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        staging.rename(output)
    except BaseException:
        retired.rename(output)
        raise
    _REPLACED.add(str(output))
    remove_later(retired)


def remove_later(folder: Path) -> None:
    """The retired site is already out of the way; deleting tens of thousands of files need not
    keep the editor waiting, so a detached `rm` does it (and the next build sweeps up leftovers)."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
