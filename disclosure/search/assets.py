"""Pagefind's browser files (its JavaScript, worker and WebAssembly), shipped with the project in
vendor/pagefind/ at a pinned version (scripts/vendor-pagefind refreshes them from the npm registry).
The build writes the index itself (writer.py), so the Pagefind binary is not needed to build, and
the browser half can be a newer release than the one on PyPI. SHA256SUMS there is checked before
the files are copied into a site."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
from pathlib import Path

VENDOR = Path(__file__).with_name("vendor") / "pagefind"
NEEDED = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


@functools.lru_cache(maxsize=None)
def _checked() -> Path:
    sums = (VENDOR / "SHA256SUMS").read_text("utf-8").split("\n")
    for line in filter(None, sums):
        digest, name = line.split()
        if hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() != digest:
            raise RuntimeError(f"Pagefind 的浏览器文件 {VENDOR / name} 与 SHA256SUMS 不符：请用 git 恢复，"
                               "或运行 scripts/vendor-pagefind 重新获取。")
    return VENDOR


def _entry() -> dict:
    return json.loads((_checked() / "pagefind-entry.json").read_text("utf-8"))


def version() -> str:
    """The Pagefind release whose browser files the site ships."""
    return _entry()["version"]


def copy_assets(bundle: Path) -> None:
    for name in NEEDED:
        shutil.copyfile(_checked() / name, bundle / name)


def include_characters() -> list[str]:
    return _entry().get("include_characters", [])
