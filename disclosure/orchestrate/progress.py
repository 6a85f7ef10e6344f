"""What a long build tells its operator: progress as it goes, and a summary at the end.

On a terminal the progress is one line that updates in place; in a CI log it is a plain line at
most every few seconds, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Stats:
    stages: dict = field(default_factory=dict)  # stage name → seconds
    pages: int = 0
    pages_rendered: int = 0
    pages_reused: int = 0
    files_written: int = 0
    files_reused: int = 0
    load_hits: int = 0
    load_misses: int = 0
    markdown_hits: int = 0
    markdown_misses: int = 0
    search_records: int = 0
    search_reused: bool = False

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    def summary(self) -> list[str]:
        total = sum(self.stages.values())
        lines = [
            f"  页面     {self.pages:>8} 个（新生成 {self.pages_rendered}，未变沿用 {self.pages_reused}）",
            f"  其他文件 {self.files_written + self.files_reused:>8} 个（新写入 {self.files_written}，未变沿用 {self.files_reused}）",
            f"  读取缓存 命中 {self.load_hits}，重新解析 {self.load_misses}",
            f"  正文缓存 命中 {self.markdown_hits}，新转换 {self.markdown_misses}",
        ]
        if self.search_records:
            lines.append(f"  搜索索引 {self.search_records:>8} 条记录" + ("（内容未变，沿用上次索引）" if self.search_reused else ""))
        lines.append("  用时     " + "，".join(f"{name} {seconds:.2f} 秒" for name, seconds in self.stages.items())
                     + f"；合计 {total:.2f} 秒")
        return lines


class Whereabouts:
    """What a build is working on, so that an unexpected failure can name it: `naming_failures`
    writes it into any exception that leaves the build, as `working_on(exc)` reads it."""

    def __init__(self):
        self.now = ""

    @contextmanager
    def naming_failures(self):
        try:
            yield self
        except Exception as exc:
            if self.now and not working_on(exc):
                exc.disclosure_working_on = self.now
            raise


def working_on(exc: BaseException) -> str:
    return getattr(exc, "disclosure_working_on", "")


class Progress:
    """Reports `done/total` for a stage to stderr."""

    def __init__(self, label: str, stream=None, every: float = 5.0):
        self.label, self.stream, self.every = label, stream or sys.stderr, every
        self.tty = self.stream.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.tty:
            if done < total and now - self.last < 0.1:  # callers may report every file
                return
            self.last = now
            self.stream.write(f"\r{self.label}：{done}/{total}")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
        elif total >= 1000 and (now - self.last >= self.every or done >= total):
            self.last = now
            self.stream.write(f"{self.label}：{done}/{total}\n")
            self.stream.flush()
