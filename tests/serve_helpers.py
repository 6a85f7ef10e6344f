"""The preview server (`build.py serve`) in a child process, for the tests that edit content under it
and watch it rebuild (tests/build/test_serve.py, tests/build/test_cli_process.py, tests/browser/test_serve_reload.py)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import EPOCH, ROOT, SEED_DOC

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"
TITLE = "济南市天桥区人民政府办公室关于印发2022年济南市天桥区政务公开工作要点的通知"
WAIT = 15  # seconds: generous, a rebuild takes about one


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str, str]:
    """Status, final URL and text of a page, error pages included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.url, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode("utf-8")


def wait_for(condition, what: str, seconds: float = WAIT):
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = condition()
        except (urllib.error.URLError, ConnectionError, OSError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)  # a fraction of the preview's own poll and quiet times: each wait ends soon after


def edit(project: Path, relative: Path, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@contextlib.contextmanager
def serving(project: Path, *extra: str):
    port = free_port()
    log = project / "serve.log"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    # The project's own cache, beside its preview: never the repository's .cache/, which the
    # developer's builds and the other test processes use.
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), *extra,
               "--content", str(project / "content"), "--config", str(project / "config.yaml"),
               "--cache", str(project / ".cache")]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: get(base + "/")[0] == 200, "the preview answers", 60)  # the first build included
        yield base, log
    finally:
        # SIGTERM, as a service manager or a cancelled CI job stops the preview: it must end.
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError("the preview was still running 10 s after SIGTERM:\n"
                                 + log.read_text("utf-8")[-3000:]) from None


def rebuilds(log: Path) -> int:
    return log.read_text("utf-8").count("检测到修改")
