"""The editing desk (/admin/) driven in Chromium against Decap's local proxy: a git repository with a
small project in it, the site built with its desk, decap-server in git mode on a free port, and the
steps an editor takes in the form. Used by tests/browser/test_desk_browser.py and tests/screenshots_desk.py."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, run_build

PROXY = ROOT / "node_modules" / ".bin" / "decap-server"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def git(project: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.gov.cn",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.gov.cn"}
    return subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True, text=True).stdout


def make_repository(folder: Path) -> Path:
    """A small project (tests/mutation_project.py) as an office's repository: content/, config.yaml,
    committed on main."""
    from mutation_project import make_project

    project = make_project(folder)
    shutil.rmtree(project / "templates")
    (project / ".gitignore").write_text("/site/\n/.cache/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    # decap-server commits with the repository's identity: a CI container has no global one.
    git(project, "config", "user.name", "编辑台测试")
    git(project, "config", "user.email", "desk@example.gov.cn")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "内容")
    return project


def build(project: Path, port: int) -> Path:
    """The project's site with its desk; the desk pointed at the proxy's port for this run (the built
    configuration names 8081, the port `make edit` uses)."""
    site = project.parent / f"{project.name}-site"
    result = run_build("--content", str(project / "content"), "--config", str(project / "config.yaml"),
                       "--output", str(site), "--no-cache")
    assert result.returncode == 0, result.stderr
    for name in ("admin/config.yml", "admin/index.html"):
        path = site / name
        path.write_text(path.read_text("utf-8").replace(":8081", f":{port}"), "utf-8")
    return site


@contextlib.contextmanager
def proxy(project: Path, port: int):
    """decap-server in git mode on 127.0.0.1:port, answering for `project`."""
    env = {**os.environ, "MODE": "git", "PORT": str(port), "BIND_HOST": "127.0.0.1",
           "GIT_REPO_DIRECTORY": str(project), "LOG_LEVEL": "warn"}
    running = subprocess.Popen([str(PROXY)], cwd=project, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", json.dumps({"action": "info"}).encode(),
                                                 {"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=2) as answer:
                    assert json.load(answer)["type"] == "local_git"
                break
            except OSError:
                assert running.poll() is None, running.stderr.read().decode("utf-8", "replace")
                assert time.monotonic() < deadline, "decap-server did not start"
                time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.pid, signal.SIGTERM)
        running.wait(timeout=10)
        running.stderr.close()


# --- what an editor does ----------------------------------------------------------------------


def sign_in(page, origin: str) -> None:
    page.goto(origin + "/admin/")
    login, desk = page.get_by_role("button", name="登录"), page.get_by_role("link", name="政策文件").first
    login.or_(desk).first.wait_for()
    if login.is_visible():  # signed in already: Decap remembers the session
        login.click()
    desk.wait_for()


def field(page, key: str):
    """A field of the form by its name in the front matter (Decap's ids are name-field-N)."""
    return page.locator(f"[id^='{key}-field-']").first


def choose(page, key: str, value: str) -> None:
    field(page, key).click()
    page.keyboard.type(value)
    page.get_by_role("option", name=value, exact=True).first.click()


def fill_document(page, origin: str, values: dict) -> None:
    page.goto(origin + "/admin/#/collections/documents/new")
    field(page, "id").wait_for()
    for key in ("id", "title", "doc_number", "written", "published"):
        if key in values:
            field(page, key).fill(values[key])
    for key in ("issuer", "topic", "kind", "validity"):
        choose(page, key, values[key])


def attach(page, path: Path, title: str) -> None:
    page.get_by_role("button", name="新增附件").click()
    page.get_by_role("button", name="选择文件").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_text(path.name, exact=True).wait_for()
    page.get_by_role("button", name="选用已选中项目").click()
    page.locator("[id^='title-field-']").last.fill(title)


def save(page) -> None:
    page.get_by_role("button", name="保存", exact=True).click()


def set_status(page, status: str) -> None:
    page.get_by_role("button", name="状态: 草稿").click()
    page.get_by_role("menuitem", name=status).click()
    page.get_by_text("内容状态已更新").first.wait_for()


def publish(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_role("menuitem", name="立即发布").click()


def preview_frame(page):
    """The preview pane's document (Decap renders it in an iframe)."""
    frame = page.frame_locator("iframe").first
    frame.locator(".desk-preview").wait_for()
    return next(f for f in page.frames if f != page.main_frame and f.query_selector(".desk-preview"))
