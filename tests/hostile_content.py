"""What the hostile-content tests share: a valid document, loading a content folder in this process
or in a child (for inputs that crashed or hung the process before)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from conftest import ROOT
from disclosure.load.config import load_config
from disclosure.errors import Problems
from disclosure.load.loader import load_content


CONFIG = load_config(ROOT / "config.yaml", Problems())
HEAD = ("title: 测试\nissuer: 区财政局\nwritten: 2024-03-01\npublished: 2024-03-01\ntopic: 综合政务/政务公开\n"
        "kind: 通知\nvalidity: 有效\n")
DOC = f"---\n{HEAD}---\n\n特此通知。\n"
TASKS = "plan: x\ntitle: 任务表\ntasks:\n  - no: 1\n    area: 甲\n    item: 乙\n    requirement: 丙\n    units: [区财政局]\n    deadline: 全年\n"
DEEP = "嵌套层数太多（超过"
ALIASES = "引用展开后内容太多"
FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def load(root: Path, files: dict[str, str | bytes] | None = None) -> tuple[object, Problems]:
    """Write `files` under `root` (content/) and load it as the build does, in this process."""
    for name, data in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    problems = Problems()
    return load_content(root, CONFIG, problems, jobs=1), problems


def lines_of(problems: Problems, needle: str) -> list[int]:
    return [p.line for p in problems.items if needle in p.message]


def merge_bomb(levels: int, width: int = 2) -> str:
    """YAML whose merge keys (<<) double at each level: 2**levels mappings if expanded."""
    lines = ["a0: &a0 {k: 0}"]
    lines += [f"a{n}: &a{n} {{<<: [{', '.join([f'*a{n - 1}'] * width)}]}}" for n in range(1, levels)]
    return "\n".join(lines + [f"<<: *a{levels - 1}"]) + "\n"


def in_child(script: str, cwd: Path, timeout: int = 120, memory: int | None = None) -> subprocess.CompletedProcess:
    """Run a script against this checkout in a child process: a crash or a hang fails this test only."""
    def limit():  # pragma: no cover - runs in the child
        if memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child did not finish in {timeout} s (it hung)")


LOAD_AND_PRINT = """
    import sys
    from pathlib import Path
    from disclosure.load.config import load_config
    from disclosure.errors import Problems
    from disclosure.load.loader import load_content
    from disclosure.orchestrate.forkpool import fork_pool
    problems = Problems()
    config = load_config(Path({config!r}), problems)
    content = load_content(Path("content"), config, problems, jobs={jobs}, pool=fork_pool)
    for problem in problems.items:
        print(problem.format())
    print("documents", len(content.documents), "tables", len(content.task_tables))
"""


def load_in_child(tmp_path: Path, jobs: int = 1, **kwargs) -> subprocess.CompletedProcess:
    return in_child(LOAD_AND_PRINT.format(config=str(ROOT / "config.yaml"), jobs=jobs), tmp_path, **kwargs)
