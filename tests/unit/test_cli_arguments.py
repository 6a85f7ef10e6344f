"""A hostile operator at the command line, in this process: arguments, --base-url and --base-path,
paths that cannot be what they should, and --previous naming anything. Never a traceback, never
exit 3, never a false message. Signals, closed streams, locales and the preview server, which need
a child process: tests/build/test_cli_process.py."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT
from disclosure.commands import cli
from disclosure.load.config import load_config
from disclosure.load.config_values import base_path_problem, base_url_problem, normalise_base_path
from disclosure.errors import Problems

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


# --- --previous: what the operator names may be anything ---------------------------------------------

from disclosure.render import changes


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
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()  # see browser.serve

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
    monkeypatch.setattr(changes, "FETCH_TIMEOUT", 0.5)
    monkeypatch.setattr(changes, "MAX_BYTES", 1 << 20)
    [message] = previous_outcome(hostile_server(behaviour))
    assert said in message


def test_arguments_that_are_not_utf8_are_usage_errors(capsys):
    """A folder name made on a GBK system reaches Python as lone surrogates: the build cannot write them."""
    for argv in (["check", "--content", "content-\udcff"], ["--output", "site-\udcd5\udcfe"],
                 ["check", "--previous", "\udcff.json"]):
        assert "不是 UTF-8 编码" in usage_error(capsys, *argv)
