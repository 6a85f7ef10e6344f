"""A hostile operator at the command line, with the build in a child process: Ctrl+C and SIGTERM
while workers are busy, closed pipes and streams, odd locales, and hostile requests to the preview
server. Never a traceback, never exit 3, never a false message. Arguments: tests/unit/test_cli_arguments.py."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from build_helpers import generated
from conftest import EPOCH, ROOT, run_build
from hostile_content import ALIASES, DEEP, HEAD, merge_bomb
from serve_helpers import serving

# --- Ctrl+C and SIGTERM while workers are busy -----------------------------------------------------

# The build, with the worker function of one pool held until the test has signalled: so the signal
# comes while the pool's workers are at work, the moment a terminal's Ctrl+C hits them, every time.
HOLD = r"""
import os, runpy, sys, time
sys.path.insert(0, sys.argv[1])
from disclosure.load import loader as load
from disclosure.orchestrate import parallel
from disclosure.search import writer

# A couple of hundred documents take the paths of a few thousand: every pool forks from these sizes.
load.PARALLEL_FROM, parallel.SERIAL_BELOW, writer.BATCH = 100, 100, 100
module, name = {"parse": (load, "_parse_batch"), "render": (parallel, "_make_batch"),
                "index": (writer, "_batch")}[os.environ["HOLD_PHASE"]]
original = getattr(module, name)

def held(*args):
    with open(os.environ["HOLD_MARKER"], "a") as marker:
        marker.write(f"{os.getpid()}\n")
    if os.environ.get("HOLD_ONE"):  # only the first task is held: the other workers finish and wait for more
        try:
            os.close(os.open(os.environ["HOLD_MARKER"] + ".first", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            result = original(*args)
            open(os.environ["HOLD_MARKER"] + ".idle", "a").close()
            return result
    time.sleep(120)
    return original(*args)

held.__module__, held.__qualname__ = module.__name__, name  # pickled by reference, as the original
setattr(module, name, held)
sys.argv = [sys.argv[1] + "/build.py", *sys.argv[2:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, site):
    """Synthetic content large enough for every pool at --jobs 2 with the thresholds HOLD sets
    (parsing from 100 files, rendering from 100 pages, indexing in batches of 100 records), and a
    published site (the bundled content's) that the interrupted builds must leave alone. More
    than 200 files: the loader hands out 200 a task, so both parsing workers are at work when
    the signal comes."""
    root = tmp_path_factory.mktemp("hostile-cli")
    generated(210, root / "content")
    shutil.copytree(site, root / "site", symlinks=True)
    return root


def snapshot(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith("Z")


def _as_from_a_terminal() -> None:
    """Signals as a shell leaves them to a job it starts: Ctrl+C and SIGTERM neither ignored nor
    blocked. A child inherits both from this test process, where another test (or a library it
    used) may have left them otherwise; Python then never makes Ctrl+C a KeyboardInterrupt."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def interrupt_build(root: Path, phase: str, signum: int,
                    one_idle: bool = False) -> tuple[subprocess.CompletedProcess, list[int]]:
    """Build root/content into root/site, hold `phase`'s workers, and send `signum` to the whole
    process group once a worker is at work (with `one_idle`, once one is held and another has
    finished its task and waits for the next). Returns the outcome and the workers' process ids."""
    marker = root / f"held-{phase}"
    idle = Path(f"{marker}.idle")
    for stale in (marker, idle, Path(f"{marker}.first")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HOLD_PHASE": phase, "HOLD_MARKER": str(marker),
           **({"HOLD_ONE": "1"} if one_idle else {})}
    command = [sys.executable, "-c", HOLD, str(ROOT), "--content", str(root / "content"),
               "--output", str(root / "site"), "--no-cache", "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               cwd=root, start_new_session=True,  # its own group, as a terminal's job
                               preexec_fn=_as_from_a_terminal)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() or (one_idle and not idle.exists()):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, f"no {phase} worker started"
            time.sleep(0.02)
        if one_idle:
            time.sleep(0.3)  # from returning its result to waiting for the next task
        os.killpg(process.pid, signum)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            # What the kill left is the test's doing, not the build's: the next test starts clean.
            for left in root.glob(".site.new-*"):
                shutil.rmtree(left, ignore_errors=True)
    workers = [int(line) for line in marker.read_text().split()]
    return subprocess.CompletedProcess(command, process.returncode, out, err), workers


# Reading, rendering, indexing: the three fork pools a build goes through (the merge of the index
# and the exports use the same fork_pool).
@pytest.mark.xdist_group("interrupted-builds")  # the corpus is made once, on one xdist worker
@pytest.mark.parametrize("phase", ["parse", "render", "index"])
def test_ctrl_c_in_any_pool_is_one_line_and_changes_nothing(corpus, phase):
    before = snapshot(corpus / "site")
    result, workers = interrupt_build(corpus, phase, signal.SIGINT)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "构建已中断，网站没有更新。", result.stderr
    assert "KeyboardInterrupt" not in result.stderr and "构建完成" not in result.stdout
    assert result.returncode == 130
    assert snapshot(corpus / "site") == before
    assert not [p.name for p in corpus.iterdir() if p.name.startswith(".site.new-")], "no staging folder is left"
    assert all(gone(pid) for pid in workers), "no worker outlives the build"


# SIGTERM to the whole group (a CI runner cancelling the job, `kill -- -PGID`) kills the workers at
# once, also one that was waiting for a task and held the lock of the pool's task queue.
@pytest.mark.xdist_group("interrupted-builds")
@pytest.mark.parametrize("one_idle", [False, True], ids=["workers-busy", "a-worker-idle"])
def test_sigterm_is_an_interruption_too(corpus, one_idle):
    before = snapshot(corpus / "site")
    result, workers = interrupt_build(corpus, "parse", signal.SIGTERM, one_idle)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "构建已中断，网站没有更新。", result.stderr
    assert result.returncode == 128 + signal.SIGTERM
    assert snapshot(corpus / "site") == before
    assert not [p.name for p in corpus.iterdir() if p.name.startswith(".site.new-")]
    assert all(gone(pid) for pid in workers)


# --- YAML that killed the process ------------------------------------------------------------------


def test_the_build_explains_deep_nesting_and_a_bomb_instead_of_dying(project):
    """As the issue found it: `build.py check` on such files ended with rc 139 or ran out of memory
    (the loader's own tests: tests/unit/test_hostile_source.py)."""
    documents = project / "content/documents/2024"
    (documents / "2024-deep.md").write_text(f"---\n{HEAD}keywords: {'[' * 100_000}\n---\n", "utf-8")
    (documents / "2024-bomb.md").write_text(f"---\n{HEAD}{merge_bomb(30)}---\n", "utf-8")
    arguments = ("check", "--content", str(project / "content"), "--config", str(project / "config.yaml"))
    result = run_build(*arguments, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"2024-deep.md:9: YAML 的列表或字段{DEEP}" in result.stdout + result.stderr
    assert re.search(rf"2024-bomb\.md:\d+: YAML 的 \* {ALIASES}", result.stdout + result.stderr)
    config = project / "config.yaml"
    config.write_text(config.read_text("utf-8") + "extra: " + "{a: " * 50_000, "utf-8")
    result = run_build(*arguments, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"YAML 的列表或字段{DEEP}" in result.stdout + result.stderr


# --- streams and locales ----------------------------------------------------------------------------


def run_check(project: Path, env: dict | None = None, **popen) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "build.py"), "check", "--content", str(project / "content"),
               "--config", str(project / "config.yaml")]
    return subprocess.run(command, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}, cwd=ROOT,
                          timeout=120, **popen)


def test_a_reader_that_went_away_does_not_fail_the_build(project):
    """`build.py | head -1`: the reader is gone before the build has said everything."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = run_check(project, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()


@pytest.mark.parametrize("closed", [1, 2])
def test_a_closed_stdout_or_stderr_does_not_fail_the_build(project, closed):
    """`build.py >&-`: Python starts with that stream as None."""
    result = run_check(project, preexec_fn=lambda: os.close(closed), capture_output=True)
    assert result.returncode == 0 and b"Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"},
                                 {"LANG": "C", "LC_ALL": "C"}, {"LANG": "POSIX", "LC_ALL": "", "PYTHONUTF8": "0"}])
def test_a_terminal_that_cannot_show_chinese_gets_escapes_not_a_crash(project, env):
    result = run_check(project, env, capture_output=True)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("utf-8", errors="replace")
    assert "校验通过" in out or "\\u6821\\u9a8c\\u901a\\u8fc7" in out


# --- the preview server ------------------------------------------------------------------------------

PIECES = ["/", "..", ".", "%2e", "%2E%2e", "%2f", "%5c", "\\", "%00", "%0a", "%0d", "%ff", "%e4%bd", "%c0%ae", "%",
          "%25", "a" * 300, "documents", "static", "site.css", "index.html", "404.html", "config.yaml", "secret.txt",
          "content", ".cache", "preview", "~", ";", "?x=1", "#f", "%3f", "%23", "&", "%u002e", "//", "%20", "+"]


def ask(port: int, method: str, path: str) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type") or ""
    finally:
        connection.close()


def test_preview_answers_hostile_requests_with_400_or_404_and_never_a_traceback(project):
    canary = "PRIVATE-6f1c0d"
    (project / "secret.txt").write_text(canary, "utf-8")
    with serving(project, "--no-search") as (base, log):
        port = int(base.rsplit(":", 1)[1])
        output = project / ".cache" / "preview"
        published = {hashlib.sha256(path.read_bytes()).hexdigest() for path in output.rglob("*") if path.is_file()}
        script = f'<script src="/livereload.js?port={port}"></script>'.encode()

        def check(method: str, path: str) -> int:
            status, body, _ = ask(port, method, path)
            assert status in (200, 301, 302, 400, 404, 405), (method, path, status)
            assert canary.encode() not in body and b"site:" not in body, (method, path)
            if status == 200 and method == "GET":
                assert hashlib.sha256(body.replace(script, b"")).hexdigest() in published, path
            return status

        for path in ["/%00", "/..%2f..%2fetc/passwd", "/..%2f..%2fsecret.txt", "/%2e%2e/%2e%2e/secret.txt",
                     "/" + "a" * 5000, "/" + "a/" * 3000, "/%ff", "/%e4%bd", "/a\\b", "/..\\..\\secret.txt",
                     "/%5c..%5csecret.txt", "/documents/%0a/", "/static/%00.css", "/%c0%ae%c0%ae/secret.txt"]:
            assert check("GET", path) in (400, 404), path
        for method in ["HEAD", "OPTIONS", "FOO", "PROPFIND", "DELETE", "PUT", "TRACE", "CONNECT"]:
            check(method, "/")
            check(method, "/%00")
        assert check("GET", "/static/site.css") == 200

        @given(st.lists(st.sampled_from(PIECES), max_size=10).map(lambda parts: "/" + "".join(parts)),
               st.sampled_from(["GET", "HEAD"]))
        @settings(max_examples=150, deadline=None)
        def probe(path, method):
            check(method, path)

        probe()
        # Another site's name pointed at 127.0.0.1 (DNS rebinding) does not get the preview.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/", headers={"Host": f"evil.example:{port}"})
        assert connection.getresponse().status == 400
        connection.close()
        text = log.read_text("utf-8")
    assert "Traceback" not in text and "Uncaught" not in text and "Error" not in text, text[-3000:]


def test_preview_announces_the_port_it_listens_on_and_its_pages_use_it(project):
    with serving(project, "--no-search") as (base, log):
        port = int(base.rsplit(":", 1)[1])
        assert f"预览地址：http://127.0.0.1:{port}/" in log.read_text("utf-8")
        status, body, _ = ask(port, "GET", "/")
        assert status == 200 and f'<script src="/livereload.js?port={port}"></script>'.encode() in body


def test_livereload_socket_ignores_what_is_not_livereload(project):
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    with serving(project, "--no-search") as (base, log):
        async def talk():
            socket_url = base.replace("http://", "ws://") + "/livereload"
            connection = await websocket_connect(socket_url)
            for message in ["not json{", '{"command": 5}', "[1, 2]", "null", '"hello"', "{" * 5000,
                            '{"command": "info", "url": 5}', '{"command": "hello", "protocols": 5}']:
                await connection.write_message(message)
            # Messages are handled in order: the answer to the last means all were.
            answer = await connection.read_message()
            connection.close()
            return answer

        assert "\"hello\"" in (IOLoop.current().run_sync(talk, timeout=20) or "")
        text = log.read_text("utf-8")
    assert "Traceback" not in text and "Uncaught" not in text, text[-3000:]
