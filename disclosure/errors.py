"""Problems found in the editors' files, reported as `path:line: 问题 — 怎么改`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    fix: str = ""
    severity: str = ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "" if self.severity == ERROR else "警告："
        text = f"{where}: {label}{self.message}"
        return f"{text} — {self.fix}" if self.fix else text


def display_path(path: Path | str) -> str:
    """Paths relative to the working directory, as an editor sees them in their repository."""
    path = Path(path)
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path.resolve()) if relative.startswith("..") else relative


@dataclass
class Problems:
    """Collects every problem of a run so an editor sees them all at once, not just the first."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path, line, message, fix="", severity=ERROR) -> None:
        self.items.append(Problem(display_path(path), int(line or 0), message, fix, severity))

    def warn(self, path, line, message, fix="") -> None:
        self.add(path, line, message, fix, WARNING)

    def extend(self, other: "Problems | list[Problem]") -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == ERROR)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == WARNING)

    def __bool__(self) -> bool:
        return bool(self.items)


class BuildFailed(Exception):
    """Raised when validation found errors; carries every problem found."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} errors")
        self.problems = problems
