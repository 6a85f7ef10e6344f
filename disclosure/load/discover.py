"""Finding the editors' files under content/, and refusing what must not be read or published.

Everything under content/ is looked through once, because attachments and images are published
under their folder and file names. Reported, each once, and left out: names with control or
invisible characters (a newline in a folder name ends up in a URL), special files (reading a
named pipe waits forever), symbolic links that leave content/ or lead back up (a loop), and
folders that cannot be read (os.walk would skip them silently, losing their documents).
Links that stay inside content/ are followed. Hidden names (.git, editors' lock files) are not content.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import ERROR, WARNING, Problems
from .reading import not_regular, reason

BAD_NAME = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff]")


def visible(text: str) -> str:
    """A name with its invisible characters written out (\\n, \\u200b), so that a message shows them."""
    return BAD_NAME.sub(lambda match: ascii(match.group())[1:-1], text)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class Walk:
    """Looks through folders under one content root, reporting each problem once (a folder reached
    both directly and through a link is looked through twice)."""

    def __init__(self, root: Path, problems: Problems):
        self.root = os.path.realpath(root)
        self.problems = problems
        self.reported: set[tuple[str, str]] = set()

    def add(self, where: str, path: str, message: str, fix: str, severity: str = ERROR) -> None:
        """Report at `path` (shown with its invisible characters written out), once per real place."""
        if (where, message) not in self.reported:
            self.reported.add((where, message))
            self.problems.add(visible(path), 0, message, fix, severity)

    def files(self, folder: Path, suffixes, recursive: bool, skip: tuple[str, ...] = ()) -> list[str]:
        """The paths of the files with these suffixes (lower-cased) in a folder, and in the folders
        below it if `recursive`; every folder below is looked through, but those named in `skip`
        directly in it. Unordered."""
        top = str(folder)
        if not os.path.isdir(top):
            return []
        real_top = os.path.realpath(top)
        if not _within(real_top, self.root):
            self._outside(top, os.path.dirname(top), os.path.basename(top), real_top)
            return []
        found: list[str] = []
        # os.scandir, not os.walk or Path.rglob: the listing says what each entry is without a
        # stat per file, which counts at tens of thousands of files, and a failure is ours to report.
        pending = [(top, (real_top,))]  # a folder, and the real paths of it and the folders it lies in
        while pending:
            directory, chain = pending.pop()
            try:
                with os.scandir(directory) as listing:
                    entries = list(listing)
            except OSError as exc:
                self.add(chain[-1], directory, f"无法读取文件夹：{reason(exc)}",
                         "请检查这个文件夹的读取权限；不用的文件夹请移出 content/")
                continue
            wanted = recursive or directory == top
            for entry in entries:
                name = entry.name
                if name.startswith(".") or (name in skip and directory == top):
                    continue
                where = os.path.join(chain[-1], name)
                try:
                    if BAD_NAME.search(name):
                        what = "文件夹" if entry.is_dir() else "文件"
                        self.add(where, entry.path, f"{what}名“{visible(name)}”里有看不见的控制字符",
                                 f"请给这个{what}改名：名字里不能有换行、Tab 或零宽空格等看不见的字符")
                    elif entry.is_dir(follow_symlinks=False):
                        pending.append((entry.path, chain + (where,)))
                    elif entry.is_file(follow_symlinks=False):
                        if wanted and os.path.splitext(name)[1].lower() in suffixes:
                            found.append(entry.path)
                        elif wanted and suffixes:
                            self._near_miss(where, entry.path, name, suffixes)
                    elif entry.is_symlink():
                        self._link(entry, chain, pending,
                                   found if wanted and os.path.splitext(name)[1].lower() in suffixes else None)
                    else:  # reported without opening it
                        refused = not_regular(entry.stat(follow_symlinks=False).st_mode)
                        self.add(where, entry.path, refused.message, refused.fix)
                except OSError as exc:  # removed or made unreadable while we looked
                    self.add(where, entry.path, f"无法读取：{reason(exc)}", "请检查它的读取权限")
        return found

    def _link(self, entry: os.DirEntry, chain: tuple, pending: list, found: list | None) -> None:
        # Reported at the folder holding the link, naming it: a message's path would resolve it.
        target = os.path.realpath(entry.path)
        folder = os.path.dirname(entry.path)
        if not _within(target, self.root):
            self._outside(entry.path, folder, entry.name, target)
        elif os.path.isdir(target):
            if any(_within(above, target) for above in chain):
                self.add(os.path.join(chain[-1], entry.name), folder,
                         f"文件夹里的链接“{visible(entry.name)}”指向它自己所在的文件夹或更上层的文件夹，形成了循环",
                         "请删除这个链接（快捷方式）")
            else:
                pending.append((entry.path, chain + (target,)))
        elif found is not None:
            if os.path.isfile(target):
                found.append(entry.path)
            else:  # dangling, a loop of links, or a special file: reading would fail or hang
                self.add(os.path.join(chain[-1], entry.name), folder,
                         f"文件夹里的链接“{visible(entry.name)}”指向的文件不存在或不是普通文件",
                         "请删除这个链接，把文件本身放进 content/")

    def _near_miss(self, where: str, path: str, name: str, suffixes: tuple[str, ...]) -> None:
        """A name that was surely meant as content ("x.md.txt" from Notepad, "x.md " with a space,
        "x.markdown") would otherwise be left out in silence."""
        stem, suffix = os.path.splitext(name)
        meant = os.path.splitext(name.rstrip(" .\t\u3000"))
        if meant[1].lower() in suffixes:
            renamed = meant[0].strip() + meant[1].lower()
        elif suffix.lower() == ".txt" and os.path.splitext(stem)[1].lower() in suffixes:
            renamed = stem
        elif ".md" in suffixes and suffix.lower() in (".markdown", ".mdown", ".mkd"):
            renamed = stem + ".md"
        else:
            return
        self.add(where, path, f"文件“{name}”没有当作内容读取：内容文件名要以 {suffixes[0]} 结尾",
                 f"要发布它，请改名为 {renamed}；不发布的文件请移出这个文件夹", WARNING)

    def _outside(self, path: str, folder: str, name: str, target: str) -> None:
        what = "文件夹" if os.path.isdir(target) else "文件"
        self.add(path, folder, f"“{visible(name)}”是指向 content/ 以外（{visible(target)}）的{what}链接，不能使用",
                 f"请把{what}本身复制进 content/，不要用链接（快捷方式）")


def sort_paths(found: list[str]) -> list[Path]:
    """Sorted as Path objects sort (part by part), but without making and comparing 100,000 of them."""
    return [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))]
