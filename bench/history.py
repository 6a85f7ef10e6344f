#!/usr/bin/env python3
"""A realistic git history for a bench corpus, for the 更正记录 (disclosure/load/history.py).

    python bench/history.py CORPUS TARGET [--commits 300] [--per-commit 5]

TARGET becomes a git repository holding CORPUS: every file committed on 2015-01-01 (before any
document's publication: not listed), then `--commits` later commits in 2026 (after every
publication), each correcting a few documents — a title, a keyword, a sentence of the body, or a
paragraph added. Deterministic (fixed dates, names and seed); written by one `git fast-import`,
so 10,000 files take seconds, then checked out.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
from pathlib import Path

START = 1420070400  # 2015-01-01 UTC
EDITS_FROM = 1767225600  # 2026-01-01 UTC
WHO = "编辑 <editor@example.gov.cn>"


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def _commit(stream: list, when: int, message: str, files: dict[str, bytes]) -> None:
    """One commit on main (fast-import goes on from the branch's last commit in the stream)."""
    stream.append(b"commit refs/heads/main\n")
    stream.append(f"committer {WHO} {when} +0800\n".encode("utf-8"))
    stream.append(_data(message.encode("utf-8")))
    for path, payload in sorted(files.items()):
        stream.append(f"M 100644 inline {path}\n".encode("utf-8"))
        stream.append(_data(payload))


def _edit(rng: random.Random, text: str, number: int) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return text.replace("\ntitle: ", "\ntitle: （更正）", 1) if "title: （更正）" not in text else text
    if kind == 1:
        if "\nkeywords: [" in text:
            return text.replace("\nkeywords: [", f"\nkeywords: [更正{number}, ", 1)
        return text.replace("\nvalidity: ", f"\nkeywords: [更正{number}]\nvalidity: ", 1)
    head, _, body = text.partition("\n---\n")
    paragraphs = body.split("\n\n")
    if kind == 2 and len(paragraphs) > 2:
        index = rng.randrange(1, len(paragraphs))
        paragraphs[index] = paragraphs[index].replace("。", "，经核对予以更正。", 1)
    else:
        paragraphs.append(f"（第 {number} 次更正补充的段落：本条自发布之日起执行。）\n")
    return head + "\n---\n" + "\n\n".join(paragraphs)


def make_history(corpus: Path, target: Path, commits: int = 300, per_commit: int = 5) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(corpus, target)
    files = {path.relative_to(target).as_posix(): path.read_bytes() for path in sorted(target.rglob("*")) if path.is_file()}
    stream: list[bytes] = []
    _commit(stream, START, "内容初始导入", files)
    documents = sorted(path for path in files if path.startswith("documents/") and path.endswith(".md"))
    rng = random.Random(20240305)
    for number in range(1, commits + 1):
        changed = {}
        for path in rng.sample(documents, min(per_commit, len(documents))):
            files[path] = changed[path] = _edit(rng, files[path].decode("utf-8"), number).encode("utf-8")
        _commit(stream, EDITS_FROM + number * 3600 * 7, f"更正 {number}", changed)
    run = lambda *args, **kw: subprocess.run(["git", *args], cwd=target, check=True, capture_output=True, **kw)
    run("init", "-q", "-b", "main")
    run("fast-import", "--quiet", input=b"".join(stream))
    run("reset", "-q", "--hard", "main")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--per-commit", type=int, default=5)
    args = parser.parse_args()
    make_history(args.corpus, args.target, args.commits, args.per_commit)


if __name__ == "__main__":
    main()
