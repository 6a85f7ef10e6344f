"""The package's folders follow the build's flow (docs/architecture.md): no stage imports a later
one, and only orchestrate/ knows that caches and worker processes exist."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "disclosure"
STAGES = ["load", "model", "render", "search", "orchestrate", "commands"]
# What each folder may import from the package, besides itself and errors.py. render/ and
# search/ are side by side after model/; neither imports the other's way back to load/'s callers.
ALLOWED = {
    "load": set(),
    "model": {"load"},
    "render": {"load", "model"},
    "search": {"load", "model"},
    "orchestrate": {"load", "model", "render", "search"},
    "commands": {"load", "model", "render", "search", "orchestrate"},
}


def imported_folders(path: Path) -> set[str]:
    """The package folders a module imports, from `from ..folder…` and `from disclosure.folder…`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 2 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 0 and node.module and node.module.startswith("disclosure."):
                found.add(node.module.split(".")[1])
            elif node.level == 2 and not node.module:
                found.update(alias.name for alias in node.names)
    return found & set(STAGES)


def test_every_module_is_in_a_stage_folder():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "errors.py")]
    assert not loose, loose
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(STAGES)


def test_no_stage_imports_a_later_one():
    wrong = []
    for stage in STAGES:
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            for other in imported_folders(path) - ALLOWED[stage] - {stage}:
                wrong.append(f"{path.relative_to(ROOT)} imports {other}/")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_backward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from ..orchestrate.cache import Store\nfrom .fields import f\n", "utf-8")
    assert imported_folders(module) == {"orchestrate"}
