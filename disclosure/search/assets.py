"""Pagefind's browser files (its JavaScript, worker and WebAssembly), taken from what the pinned
Pagefind binary writes, so that they always match the version whose index format we write."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

NEEDED = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


def executable() -> Path:
    from pagefind_bin_extended import get_executable

    return Path(get_executable())


@functools.lru_cache(maxsize=None)
def _pagefind_output() -> Path:
    """Runs the binary once, on a one-page site, and keeps what it wrote for this process."""
    work = Path(tempfile.mkdtemp(prefix="pagefind-assets-"))
    atexit.register(shutil.rmtree, work, True)
    (work / "site").mkdir()
    (work / "site" / "index.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><body><main data-pagefind-body>x</main></body></html>', "utf-8")
    result = subprocess.run([str(executable()), "--site", str(work / "site"), "--output-path", str(work / "out"),
                             "--silent"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind 无法运行：{(result.stderr or result.stdout).strip()[-300:]}")
    return work / "out"


def copy_assets(bundle: Path) -> None:
    for name in NEEDED:
        shutil.copyfile(_pagefind_output() / name, bundle / name)


def include_characters() -> list[str]:
    entry = json.loads((_pagefind_output() / "pagefind-entry.json").read_text("utf-8"))
    return entry.get("include_characters", [])
