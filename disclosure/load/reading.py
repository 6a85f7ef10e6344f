"""Reading an editor's file from disk: only regular files, never too large, decoded with the
encoding it was saved in.

Editors copy text out of Word and PDF on Windows, so a UTF-8 BOM and CRLF line endings are
accepted silently, while a file saved as GBK is reported with the encoding it looks like.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from ..errors import Problems

def decode(path: Path, raw: bytes, problems: Problems) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.add(path, 1, "文件是 UTF-16 编码，不是 UTF-8", "请在编辑器中选择“另存为”，编码选 UTF-8 后保存")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(path, line, f"文件不是 UTF-8 编码（{_guess_encoding(raw)}）",
                     "请在编辑器中选择“另存为”，编码选 UTF-8 后保存")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(raw: bytes) -> str:
    for name, label in (("gb18030", "看起来是 GBK/GB18030 编码"), ("big5", "看起来是 Big5 编码")):
        try:
            raw.decode(name)
            return label
        except UnicodeDecodeError:
            continue
    return "无法识别的编码"


MAX_FILE_BYTES = 16 * 1024 * 1024  # far above any real notice; a pasted dump would stall every stage after


class NotAFile(Exception):
    """A path that is no regular file, or too large to read: the message and the fix to report."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


_SPECIAL = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISSOCK, "套接字"), (stat.S_ISCHR, "设备"), (stat.S_ISBLK, "设备"),
            (stat.S_ISDIR, "文件夹"))


def not_regular(mode: int) -> NotAFile:
    kind = next((name for test, name in _SPECIAL if test(mode)), "特殊文件")
    return NotAFile(f"这不是普通文件（是{kind}），不能读取", "请删除它或移出 content/：这里只能放普通的文件和文件夹")


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes. Opened without blocking and checked before reading: a named pipe
    would hang the build on its first read and a device would never end; raises NotAFile or OSError."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                         | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(info.st_mode)
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        chunks, size = [], 0
        # One read of the size fstat gave, one more to see the end; more only if the file grew.
        while chunk := os.read(descriptor, max(info.st_size + 1 - size, 65536)):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise _too_large(size)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _too_large(size: int) -> NotAFile:
    return NotAFile(f"文件太大（{size / 1048576:.0f} MB），内容文件最大 {MAX_FILE_BYTES // 1048576} MB",
                    "请把大表格、名单等做成附件（如 xlsx、pdf），正文只写说明；或把内容拆成几个文件")


def reason(exc: OSError) -> str:
    """Why a file or folder could not be read, in the editor's words where the reason is common."""
    return {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "已不存在",
            errno.ELOOP: "链接形成了循环", errno.ENOTDIR: "路径中有一部分不是文件夹",
            errno.EISDIR: "这是文件夹"}.get(exc.errno, exc.strerror or str(exc))


def read_text(path: Path, problems: Problems) -> str | None:
    try:
        raw = read_bytes(path)
    except NotAFile as exc:
        problems.add(path, 0, exc.message, exc.fix)
        return None
    except OSError as exc:
        problems.add(path, 0, f"无法读取文件：{reason(exc)}", "请检查文件是否存在、是否有读取权限")
        return None
    return decode(path, raw, problems)
