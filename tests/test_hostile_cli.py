"""A hostile operator at the command line: bad arguments, signals, closed pipes, odd locales, and
hostile requests to the preview server. Never a traceback, never exit 3, never a false message."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import EPOCH, ROOT, build_into
from disclosure.commands import cli
from disclosure.load.config import base_path_problem, base_url_problem, load_config, normalise_base_path
from disclosure.errors import Problems

# --- Ctrl+C and SIGTERM while workers are busy -----------------------------------------------------

# The build, with the worker function of one pool held until the test has signalled: so the signal
# comes while the pool's workers are at work, the moment a terminal's Ctrl+C hits them, every time.
HOLD = r"""
import os, runpy, sys, time
sys.path.insert(0, sys.argv[1])
from disclosure.load import loader as load
from disclosure.orchestrate import parallel
from disclosure.search import writer

module, name = {"parse": (load, "_parse_batch"), "render": (parallel, "_render_batch"),
                "index": (writer, "_batch")}[os.environ["HOLD_PHASE"]]
original = getattr(module, name)

def held(*args):
    with open(os.environ["HOLD_MARKER"], "a") as marker:
        marker.write(f"{os.getpid()}\n")
    time.sleep(120)
    return original(*args)

held.__module__, held.__qualname__ = module.__name__, name  # pickled by reference, as the original
setattr(module, name, held)
sys.argv = [sys.argv[1] + "/build.py", *sys.argv[2:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Synthetic content large enough for every pool at --jobs 2 (parsing from 300 files, rendering
    from 400 pages, indexing with more than one batch of 500 records), and a published site."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    root = tmp_path_factory.mktemp("hostile-cli")
    generate(430, root / "content")
    site = root / "site"
    assert build_into(site).returncode == 0  # the bundled content: the site the interrupted builds must leave alone
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


def interrupt_build(root: Path, phase: str, signum: int) -> tuple[subprocess.CompletedProcess, list[int]]:
    """Build root/content into root/site, hold `phase`'s workers, and send `signum` to the whole
    process group once a worker is at work. Returns the outcome and the workers' process ids."""
    marker = root / f"held-{phase}"
    marker.unlink(missing_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HOLD_PHASE": phase, "HOLD_MARKER": str(marker)}
    command = [sys.executable, "-c", HOLD, str(ROOT), "--content", str(root / "content"),
               "--output", str(root / "site"), "--no-cache", "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               cwd=root, start_new_session=True)  # its own group, as a terminal's job
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, f"no {phase} worker started"
            time.sleep(0.02)
        os.killpg(process.pid, signum)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    workers = [int(line) for line in marker.read_text().split()]
    return subprocess.CompletedProcess(command, process.returncode, out, err), workers


# Reading, rendering, indexing: the three fork pools a build goes through (the merge of the index
# and the exports use the same fork_pool).
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


def test_sigterm_is_an_interruption_too(corpus):
    before = snapshot(corpus / "site")
    result, workers = interrupt_build(corpus, "parse", signal.SIGTERM)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "构建已中断，网站没有更新。", result.stderr
    assert result.returncode == 128 + signal.SIGTERM
    assert snapshot(corpus / "site") == before
    assert not [p.name for p in corpus.iterdir() if p.name.startswith(".site.new-")]
    assert all(gone(pid) for pid in workers)


# --- command-line arguments -------------------------------------------------------------------------

def usage_error(capsys, *argv: str) -> str:
    """What main says about arguments it refuses (exit 2), before doing anything else."""
    with pytest.raises(SystemExit) as stopped:
        cli.main(list(argv))
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "命令行参数有误" in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("value", ["99999", "65536", "0", "-1", "80.5", "abc", "", "1e3"])
def test_a_port_outside_1_to_65535_is_a_usage_error(capsys, value):
    line = usage_error(capsys, "check", "--port", value)
    assert "--port" in line and "端口应是 1 到 65535 之间的整数" in line


@given(st.integers())
@settings(max_examples=60, deadline=None)
def test_any_port_number_is_taken_exactly_or_refused(port):
    parser = cli._parser()
    if 1 <= port <= 65535:
        assert parser.parse_args(["serve", "--port", str(port)]).port == port
    else:
        with pytest.raises(SystemExit):
            parser.parse_args(["serve", "--port", str(port)])


@pytest.mark.parametrize("value", ["0", "-1", "100000", "abc", ""])
def test_jobs_must_be_a_sensible_number_of_processes(capsys, value):
    assert "进程数应是 1 到 256 之间的整数" in usage_error(capsys, "check", "--jobs", value)


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "data:text/html,x", "//evil.example", "ftp://gk.example.gov.cn", "gk.example.gov.cn",
    "https://gk.example.gov.cn/?q=1", "https://gk.example.gov.cn#top", 'https://gk.example.gov.cn" onmouseover="x',
    "https://gk.example.gov.cn'><script>", "https://gk.example.gov.cn/xxgk/", "https://user@gk.example.gov.cn",
    "https://gk.example.gov.cn:99999", "https://gk example.gov.cn", "https://gk.example.gov.cn\x00",
    "https://政府.cn", "https://", "https://gk.example.gov.cn\\@evil.example", "http://%65vil.example",
])
def test_base_url_that_is_not_a_plain_web_address_is_a_usage_error(capsys, value):
    line = usage_error(capsys, "check", "--base-url", value)
    assert "--base-url" in line and "写成 https://www.example.gov.cn" in line


@pytest.mark.parametrize("value", [
    "/../", "/xxgk/../..", "/./", "/a//b/", '/x"onload="a/', "/x'y/", "/<script>/", "/a b/", "/a\tb/", "/a\nb/",
    "/a%2f/", "/a?b/", "/a#b/", "/a\\b/", "/信息公开/", "/a\x00/", "", "javascript:x",
])
def test_base_path_that_is_not_a_clean_path_is_a_usage_error(capsys, value):
    line = usage_error(capsys, "check", "--base-path", value)
    assert "--base-path" in line and "如 /xxgk/" in line


SAFE_URL = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+")
SAFE_PATH = re.compile(r"/(?:[A-Za-z0-9_~\-][A-Za-z0-9._~\-]*/|\.{3,}[A-Za-z0-9._~\-]*/|"
                       r"\.[A-Za-z0-9_~\-][A-Za-z0-9._~\-]*/|\.\.[A-Za-z0-9_~\-][A-Za-z0-9._~\-]*/)*")
URL_PIECES = st.sampled_from(["https://", "http://", "javascript:", "gk", ".example", ".gov.cn", ":8080", ":", "/",
                              "?", "#", "@", "\"", "'", "<", ">", " ", "\t", "\n", "\x00", "%", "\\", "..", "政",
                              "\u3000", "\u200b", "`", "{", "}", "|", "^", "[::1]", "a-b", "-"])


@given(st.lists(URL_PIECES, max_size=8).map("".join))
@settings(max_examples=300, deadline=None)
def test_only_plain_addresses_pass_as_base_url(value):
    if base_url_problem(value):
        return
    plain = value.strip().rstrip("/")
    assert SAFE_URL.fullmatch(plain), value
    assert html.escape(plain) == plain and not plain.lower().startswith("javascript")


@given(st.lists(URL_PIECES, max_size=8).map("".join))
@settings(max_examples=300, deadline=None)
def test_only_clean_paths_pass_as_base_path(value):
    if base_path_problem(value):
        return
    path = normalise_base_path(value)
    assert SAFE_PATH.fullmatch(path), value
    assert html.escape(path) == path and "/../" not in path and "/./" not in path


def write_config(tmp_path: Path, **site) -> Path:
    text = (ROOT / "config.yaml").read_text("utf-8")
    for key, value in site.items():
        text = re.sub(rf"(?m)^  {key}: .*$", lambda _: f"  {key}: {json.dumps(value, ensure_ascii=False)}", text)
    path = tmp_path / "config.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("key,value", [
    ("base_url", "https://gk.example.gov.cn/?from=feed"), ("base_url", 'https://gk.example.gov.cn" onmouseover="x'),
    ("base_url", "https://gk.example.gov.cn/xxgk"), ("base_url", "javascript:alert(1)//https://x"),
    ("base_path", "/../.."), ("base_path", '/xxgk"><script>/'), ("base_path", "/xx gk/"), ("base_path", "/a\u0085b/"),
])
def test_config_base_url_and_base_path_problems_name_the_line(tmp_path, key, value):
    config = write_config(tmp_path, **{key: value})
    line = next(number for number, text in enumerate(config.read_text("utf-8").splitlines(), 1)
                if text.startswith(f"  {key}:"))
    problems = Problems()
    assert load_config(config, problems) is None
    [problem] = problems.errors
    assert problem.line == line and problem.message.startswith(key) and problem.fix
    assert problem.format().startswith(f"{config}:{line}: ")


def test_a_base_url_of_the_command_line_is_checked_before_building(capsys):
    usage_error(capsys, "--base-url", "javascript:alert(1)")  # it was rc 3 after a full load


@pytest.mark.parametrize("option,value,said", [
    ("--content", "README.md", "不是目录"), ("--content", "no-such-folder", "不存在"),
    ("--config", "disclosure", "不是普通文件"), ("--config", "/dev/null", "不是普通文件"),
    ("--config", "no-such.yaml", "不存在"), ("--templates", "README.md", "不是目录"),
])
def test_paths_that_cannot_be_what_they_should_are_usage_errors(capsys, monkeypatch, option, value, said):
    monkeypatch.chdir(ROOT)
    line = usage_error(capsys, "check", option, value)
    assert option in line and said in line


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


# --- --previous: what the operator names may be anything ---------------------------------------------

from disclosure.render import changes  # noqa: E402


def previous_outcome(source: str, seconds: float = 15) -> list:
    """load_previous in a thread: a source that would be waited on for ever fails the test, not hangs it."""
    import threading

    problems, done = Problems(), []
    worker = threading.Thread(target=lambda: done.append(changes.load_previous(source, problems)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert done, f"--previous {source} still reading after {seconds} s"
    assert done[0] is None
    return [problem.message for problem in problems.errors]


# Devices that end at once (/dev/null) or wait (a FIFO): what never ends (/dev/zero) is refused
# the same way, but a test of it would fill the memory of the machine if the guard ever broke.
@pytest.mark.parametrize("device", ["fifo", "/dev/null", "/dev/stdin"])
def test_previous_that_is_a_pipe_or_device_is_refused_at_once(tmp_path, device):
    if device == "fifo":
        device = str(tmp_path / "fifo")
        os.mkfifo(device)
    [message] = previous_outcome(device)
    assert "不是普通文件" in message


def test_previous_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(changes, "MAX_BYTES", 1000)
    big = tmp_path / "documents.json"
    big.write_text(json.dumps({"documents": [{"id": str(i)} for i in range(200)]}), "utf-8")
    [message] = previous_outcome(str(big))
    assert "不可能是 documents.json" in message


def test_previous_nested_beyond_any_parser_is_not_json(tmp_path):
    deep = tmp_path / "documents.json"
    deep.write_text("[" * 200_000, "utf-8")
    [message] = previous_outcome(str(deep))
    assert "不是 JSON 文件" in message


@pytest.fixture
def hostile_server():
    """A local server that answers each connection with `behaviour(socket, stop)`; yields a setter."""
    import socketserver
    import threading

    stop, behaviour = threading.Event(), {}

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(65536)
            try:
                behaviour["run"](self.request, stop)
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def url(run) -> str:
        behaviour["run"] = run
        return f"http://127.0.0.1:{server.server_address[1]}/api/documents.json"

    yield url
    stop.set()
    server.shutdown()
    server.server_close()


HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


def drip(sock, stop):  # a byte every 0.2 s, for ever: each read is quick, the whole never ends
    sock.sendall(HEADERS + b"\r\n")
    while not stop.wait(0.2):
        sock.sendall(b" ")


def endless(sock, stop):  # more than MAX_BYTES (1 MB here), then no end: bounded, should the guard break
    sock.sendall(HEADERS + b"\r\n" + b" " * (4 << 20))
    while not stop.wait(0.2):
        sock.sendall(b" ")


def garbage(sock, stop):
    sock.sendall(b"HELLO THERE\r\n\r\n")


def slow_headers(sock, stop):
    sock.sendall(b"HTTP/1.1 200 OK\r\n")
    while not stop.wait(0.2):
        sock.sendall(b"X: y\r\n")


@pytest.mark.parametrize("behaviour,said", [(drip, "秒内没有下载完"), (slow_headers, "秒内没有下载完"),
                                            (endless, "不可能是 documents.json"), (garbage, "读不到上一次构建的导出")])
def test_previous_url_that_never_finishes_or_answers_nonsense_fails_in_time(hostile_server, monkeypatch,
                                                                            behaviour, said):
    monkeypatch.setattr(changes, "FETCH_TIMEOUT", 1)
    monkeypatch.setattr(changes, "MAX_BYTES", 1 << 20)
    [message] = previous_outcome(hostile_server(behaviour))
    assert said in message


# --- the preview server ------------------------------------------------------------------------------

import http.client  # noqa: E402

from test_serve import serving  # noqa: E402

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


def test_arguments_that_are_not_utf8_are_usage_errors(capsys):
    """A folder name made on a GBK system reaches Python as lone surrogates: the build cannot write them."""
    for argv in (["check", "--content", "content-\udcff"], ["--output", "site-\udcd5\udcfe"],
                 ["check", "--previous", "\udcff.json"]):
        assert "不是 UTF-8 编码" in usage_error(capsys, *argv)
