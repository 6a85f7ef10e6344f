"""`build.py serve`: a live preview on 127.0.0.1 that rebuilds on every change and reloads the browser.

The preview builds into a private folder (.cache/preview/ beside config.yaml), never into site/,
so what CI publishes is only ever made by `build.py`. A burst of saves (an editor saving ten files,
a `git pull`) is waited out and rebuilt once. While the content has errors every page of the
preview is a Chinese list of the problems, which turns back into the site once they are fixed.
"""

from __future__ import annotations

import contextlib
import errno
import html
import json
import logging
import multiprocessing
import mimetypes
import os
import sys
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

import jinja2
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketHandler

from ..errors import BuildFailed, Problem, display_path
from ..orchestrate.forkpool import start_process, stop_all
from ..orchestrate.pipeline import BuildOptions, BuildResult, build
from ..orchestrate.progress import working_on
from ..orchestrate.rerender import LastBuild, rerender

HOST = "127.0.0.1"
LOCAL_NAMES = {"127.0.0.1", "localhost"}  # the Host a browser on this machine sends
MAX_PATH = 2048  # characters: no page of the site has a longer address
POLL_SECONDS = 0.1  # how often the watched files are looked at
QUIET_SECONDS = 0.25  # a burst of changes is over once nothing changed for this long
ERROR_TEMPLATE = "preview_error.html"


def preview_dir(config: Path) -> Path:
    return config.resolve().parent / ".cache" / "preview"


@dataclass(frozen=True)
class State:
    """The outcome of the latest build; replaced whole, so a request never sees half of one."""

    ok: bool = False
    base_path: str = "/"
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    crash: str = ""


@dataclass
class Preview:
    options: BuildOptions
    state: State = field(default_factory=State)
    seen: dict = field(default_factory=dict)
    looked_at: float = 0.0
    look_cost: float = 0.0
    last: LastBuild | None = None  # what the last good build leaves for quick re-renders
    quick: dict = field(default_factory=dict)  # pages re-rendered outside a build: output path → hash
    shown_ok: bool = False  # the browsers show the site, not the error page
    changed_at: float = 0.0
    pending: bool = False
    running: Future | None = None
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1))
    fixed_date: bool = field(default_factory=lambda: bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip()))
    debug: bool = False
    indexer: multiprocessing.Process | None = None  # the search index of the last build, being written
    index_job: object = None  # the last build's search index, to start writing

    def stop_indexing(self) -> None:
        """A newer build is coming: the index being written would describe an older site."""
        if self.indexer is not None:
            if self.indexer.is_alive():
                self.indexer.terminate()
            self.indexer.join()
            self.indexer = None

    def start_indexing(self, job) -> None:
        # A process, not a thread: it can be stopped at once, and it leaves the server's loop
        # and the next rebuild a core of their own.
        self.indexer = start_process(_run_index, job, self.debug)

    @property
    def watched(self) -> list[Path]:
        return [self.options.content, self.options.templates, self.options.config]

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Modification time and size of every watched file, by path."""
        entries = {}
        for root in self.watched:
            if root.is_file():
                try:
                    stat = root.stat()
                except OSError:  # removed while we looked: the next look sees it gone
                    continue
                entries[str(root)] = (stat.st_mtime_ns, stat.st_size)
            else:
                entries.update(_stats_under(str(root)))
        return entries

    def tick(self) -> None:
        """Runs on the server's loop: notice changes, show edited pages at once, start one full
        build per burst, reload browsers."""
        if self.running is not None and self.running.done():
            try:
                outcome = self.running.result()
            except Exception:  # noqa: BLE001 - rebuild reports its own failures; never stall the loop
                outcome = (None, {})
            self.running = None
            self._finished(outcome)
            if self.index_job is not None:
                self.start_indexing(self.index_job)
                self.index_job = None
        if self.indexer is not None and not self.indexer.is_alive():
            if self.indexer.exitcode == 0:
                say("搜索索引已更新。")
            else:
                say(f"搜索索引没有更新（退出码 {self.indexer.exitcode}），搜索仍用上一次的索引。", error=True)
            self.indexer.join()
            self.indexer = None
        now = time.monotonic()
        # Looking at every file costs ~5 µs each; at tens of thousands of files the look is
        # spaced out so that it never takes more than a quarter of a core.
        if now - self.looked_at < 4 * self.look_cost:
            return
        current = self.snapshot()
        self.look_cost, self.looked_at = time.monotonic() - now, time.monotonic()
        if current != self.seen:
            changed = sorted(path for path in current.keys() | self.seen.keys()
                             if current.get(path) != self.seen.get(path))
            self.seen, self.changed_at, self.pending = current, now, True
            self.show_at_once(changed)
        elif self.pending and self.running is None and now - self.changed_at >= QUIET_SECONDS:
            self.pending = False
            self.stop_indexing()
            say("检测到修改，正在重新生成预览……")
            self.running = self.pool.submit(self.rebuild, dict(self.quick))

    def show_at_once(self, changed: list[str]) -> None:
        """Re-render the edited pages from the last build and reload, ahead of the full build."""
        if self.last is None or not self.state.ok:
            return
        started = time.monotonic()
        try:
            written = rerender(self.last, changed, self.options.output.resolve())
        except Exception:  # noqa: BLE001 - the full build that follows shows the edit or the error
            if self.debug:
                traceback.print_exc()
            return
        if written:
            self.quick.update(written)
            _reload_browsers()
            say(f"已先更新被修改的页面（{len(written)} 个，用时 {time.monotonic() - started:.2f} 秒），"
                "其余页面随后更新。")

    def _finished(self, outcome: tuple[BuildResult | None, dict]) -> None:
        """After a full build: forget the quick pages it has redone, and reload the browsers
        unless all it changed in pages is what the quick re-render already showed."""
        result, passed = outcome
        if result is None:
            _reload_browsers()
            return
        for relative, digest in passed.items():
            if self.quick.get(relative) == digest:
                del self.quick[relative]
        shown = all(passed.get(relative) == digest for relative, digest in result.rendered.items())
        if not (shown and self.shown_ok):
            _reload_browsers()
        self.shown_ok = True

    def rebuild(self, quick: dict | None = None) -> tuple[BuildResult | None, dict]:
        """A full build into the preview folder; returns its result (None if it failed) and the
        quick pages it was told not to reuse."""
        quick = quick or {}
        started = time.monotonic()
        base_path = self.state.base_path
        # Like `make deploy`, the preview shows what is public today: a document dated today is
        # not held back as scheduled just because the last commit was yesterday.
        today = None if self.fixed_date else _today_in_china()
        try:
            result = build(replace(self.options, stale=frozenset(quick), build_date=today))
        except BuildFailed as failed:
            problems = failed.problems
            for problem in problems.errors + problems.warnings:
                say(problem.format(), error=True)
            say(f"预览没有更新：发现 {len(problems.errors)} 个错误（另有 {len(problems.warnings)} 个警告）。"
                "浏览器里显示的是错误清单；改正并保存后会自动恢复。", error=True)
            self.state = State(False, base_path, tuple(problems.errors), tuple(problems.warnings))
            self.last, self.shown_ok = None, False
            return None, quick
        except Exception as exc:  # a template bug: show it, keep serving, wait for the fix
            if self.debug:
                traceback.print_exc()
            where = f"（处理 {working_on(exc)} 时）" if working_on(exc) else ""
            message = f"生成预览失败{where}：{type(exc).__name__}: {exc}"
            say(message + "。改正并保存后会自动恢复。", error=True)
            self.state = State(False, base_path, crash=message)
            self.last, self.shown_ok = None, False
            return None, quick
        for problem in result.problems.warnings:
            say(problem.format(), error=True)
        base_path = result.site.config.site.base_path
        self.state = State(True, base_path, warnings=tuple(result.problems.warnings))
        say(f"预览已更新：{result.pages} 个页面，用时 {time.monotonic() - started:.1f} 秒。")
        self.index_job = result.index_search  # started by the server's loop (see tick)
        self.last = LastBuild.of(result)
        return result, quick


RELOADING_SECONDS = 1.0  # after a reload, a page may still be on its way back and not listening yet


def _reload_browsers() -> None:
    if LiveReloadHandler.watcher is None:  # None until the server is listening
        return
    if not LiveReloadHandler.waiters or time.time() - (LiveReloadHandler._last_reload_time or 0) < RELOADING_SECONDS:
        # A page may be reloading this moment (after the quick re-render, say), its socket closing or
        # not yet open: the next page to connect gets this reload too, instead of it being lost.
        _ReloadHandler.missed = True
    LiveReloadHandler.reload_waiters("*")


class _ReloadHandler(LiveReloadHandler):
    """livereload's socket handler, which also delivers a reload that may have found no page listening."""

    missed = False
    check_origin = WebSocketHandler.check_origin  # only the preview's own pages (livereload allows any site)

    def on_message(self, message):
        try:
            command = json.loads(message)
        except ValueError:
            command = None
        if not isinstance(command, dict) or not isinstance(command.get("command"), str):
            return  # not livereload's script talking: nothing to answer
        super().on_message(message)
        if _ReloadHandler.missed and self in LiveReloadHandler.waiters:
            _ReloadHandler.missed = False
            self.send_message({"command": "reload", "path": "*", "liveCSS": self.live_css, "liveImg": True})


def _run_index(job, debug: bool = False) -> None:
    """In the indexing process: quiet unless it fails (the server reports the outcome)."""
    try:
        job()
    except BaseException as exc:  # noqa: BLE001 - the preview keeps the last index; say why once
        if debug:
            traceback.print_exc()
        else:
            say(f"写搜索索引时出错：{type(exc).__name__}: {exc}", error=True)
        sys.stderr.flush()
        os._exit(1)


def _today_in_china() -> date:
    return datetime.now(timezone(timedelta(hours=8))).date()


def _stats_under(root: str) -> dict[str, tuple[int, int]]:
    """os.scandir, not Path objects: this runs several times a second over every content file."""
    found, folders = {}, [root]
    while folders:
        try:
            listing = os.scandir(folders.pop())
        except OSError:
            continue
        with listing:
            for entry in listing:
                name = entry.name
                # Hidden folders and editors' swap and backup files are not content.
                if name.startswith(".") or name.startswith("#") or name.endswith("~"):
                    continue
                try:
                    if entry.is_dir():
                        folders.append(entry.path)
                    else:
                        stat = entry.stat()
                        found[entry.path] = (stat.st_mtime_ns, stat.st_size)
                except OSError:  # removed while we looked: the next look sees it gone
                    continue
    return found


def say(message: str, error: bool = False) -> None:
    try:
        print(message, file=sys.stderr if error else sys.stdout, flush=True)
    except OSError:  # the terminal went away; keep serving the browser
        pass


class _Watcher(Watcher):
    """livereload's polling watcher reruns a task per changed file and drops reloads that come
    within three seconds of the last; this one hands every look to Preview.tick instead."""

    def __init__(self, preview: Preview):
        super().__init__()
        self.preview = preview
        for path in preview.watched:
            self.watch(str(path))

    def start(self, callback) -> bool:
        PeriodicCallback(self.preview.tick, POLL_SECONDS * 1000).start()
        return True

    def examine(self):
        return None, None


class PreviewHandler(web.RequestHandler):
    """Serves the preview folder under the configured base path, or the error page."""

    def initialize(self, preview: Preview, port: int):
        self.preview, self.port = preview, port

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-store")

    def prepare(self):
        # Another site's page may point a name of its own at 127.0.0.1 (DNS rebinding) to read the
        # unpublished preview; a browser on this machine asks for 127.0.0.1 or localhost.
        if self.request.host_name not in LOCAL_NAMES:
            self._send("<p>预览只能从本机访问：http://127.0.0.1/</p>".encode("utf-8"), 400, "text/html")

    def get(self, *_):
        path = _request_path(self.request.path)
        if path is None:
            return self._send("<p>这个地址不合规。</p>".encode("utf-8"), 400, "text/html")
        try:
            return self._serve(path)
        except (OSError, ValueError):  # a name the file system refuses: no such page
            return self._not_found(self.preview.options.output.resolve(), self.preview.state)

    def _serve(self, path: str):
        state, output = self.preview.state, self.preview.options.output.resolve()
        is_page = path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]
        if not state.ok and is_page:
            return self._send(render_error_page(state, self.preview.options.templates), 500, "text/html")
        if not path.startswith(state.base_path):
            if path in ("/", state.base_path.rstrip("/")):
                return self.redirect(state.base_path)
            return self._not_found(output, state)
        target = (output / path[len(state.base_path):]).resolve()
        if target != output and output not in target.parents:
            return self._not_found(output, state)
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
        if target.is_file():
            return self._send(target.read_bytes(), 200, mimetypes.guess_type(target.name)[0])
        return self._not_found(output, state)

    def head(self, *args):
        return self.get(*args)

    def log_exception(self, kind, value, trace):
        # Whatever a request does, the terminal gets one line, not a traceback (unless --debug).
        if isinstance(value, web.HTTPError):
            return
        if self.preview.debug:
            return super().log_exception(kind, value, trace)
        say(f"预览服务器处理 {self.request.method} {_shown(self.request.path)} 时出错：{kind.__name__}: {value}", error=True)

    def _not_found(self, output: Path, state: State):
        page = output / "404.html"
        with contextlib.suppress(OSError):
            if page.is_file():
                return self._send(page.read_bytes(), 404, "text/html")
        text = f"<p>预览网站的地址是 {html.escape(state.base_path)}</p>"
        return self._send(text.encode("utf-8"), 404, "text/html")

    def _send(self, data: bytes, status: int, kind: str | None):
        self.set_status(status)
        kind = kind or "application/octet-stream"
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "xml")) else ""
        # The editing desk (/admin/) is not reloaded: a save of the desk changes content/, and a
        # reload then would throw away what the editor is typing.
        desk = self.request.path.startswith(self.preview.state.base_path + "admin/")
        if kind == "text/html" and not desk:
            script = f'<script src="/livereload.js?port={self.port}"></script></head>'.encode()
            data = data.replace(b"</head>", script, 1)
        self.set_header("Content-Type", kind + charset)
        self.finish(data)


def _request_path(raw: str) -> str | None:
    """The decoded path of a request, or None if no file of the site can have it: bytes that are
    not UTF-8, control characters, backslashes (a path separator elsewhere), or too long."""
    if len(raw) > MAX_PATH:
        return None
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in path or not path.isprintable():
        return None
    return path


def _shown(path: str) -> str:
    return path if len(path) <= 80 else path[:80] + "…"


def render_error_page(state: State, templates: Path) -> bytes:
    try:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True)
        page = env.get_template(ERROR_TEMPLATE).render(state=state)
    except Exception:  # the page that reports broken templates must not depend on them
        items = "".join(f"<li>{html.escape(p.format())}</li>" for p in state.errors)
        page = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>预览：内容有错误</title>"
                f"</head><body><h1>内容有错误，预览没有更新</h1><p>{html.escape(state.crash)}</p>"
                f"<ol>{items}</ol></body></html>")
    return page.encode("utf-8")


class _Server(Server):
    def __init__(self, preview: Preview, sockets: list):
        super().__init__(watcher=_Watcher(preview))
        self.preview, self.sockets = preview, sockets

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        # livereload injects an inline <script>, which the site's Content-Security-Policy
        # (script-src 'self') blocks; PreviewHandler links its script file instead.
        LiveReloadHandler.watcher, LiveReloadHandler.live_css = self.watcher, live_css
        # The port announced and written into the pages is the one the socket was given.
        port = self.sockets[0].getsockname()[1]
        HTTPServer(web.Application([
            (r"/livereload", _ReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"/.*", PreviewHandler, {"preview": self.preview, "port": port}),
        ])).add_sockets(self.sockets)
        say(f"预览地址：http://{host}:{port}{self.preview.state.base_path}"
            "（修改 content/、templates/ 或 config.yaml 后自动刷新；按 Ctrl+C 结束）")

    def _setup_logging(self):
        # livereload and tornado log in English, and errors with a traceback: the editor reads
        # our Chinese lines instead (PreviewHandler.log_exception), the developer adds --debug.
        logging.getLogger("livereload").setLevel(logging.ERROR)
        logging.getLogger("tornado.access").setLevel(logging.ERROR)
        if not self.preview.debug:
            logging.getLogger("tornado").addHandler(_OneLine())
            logging.getLogger("tornado").propagate = False


class _OneLine(logging.Handler):
    """tornado's own error reports (a callback that failed, a malformed request) as one line each."""

    def __init__(self):
        super().__init__(logging.ERROR)

    def emit(self, record):
        say(f"预览服务器：{record.getMessage().splitlines()[0][:200]}", error=True)


def serve(options: BuildOptions, port: int, debug: bool = False) -> int:
    # The port first: if it cannot be had, say so before spending a build on it.
    try:
        sockets = bind_sockets(port, address=HOST)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            say(f"端口 {port} 已被占用：请关掉占用它的程序，或用 --port 换一个端口，如 --port {port + 1 if port < 65535 else 8000}", error=True)
        elif exc.errno == errno.EACCES:
            say(f"没有权限使用端口 {port}（1024 以下的端口要管理员权限）：请用 --port 换一个端口，如 --port 8000", error=True)
        else:
            say(f"无法在端口 {port} 上启动预览：{exc.strerror or exc}。请用 --port 换一个端口", error=True)
        return 2
    preview = Preview(replace(options, defer_search=options.search), debug=debug)
    say(f"正在生成预览（写入 {display_path(options.output)}/，不会改动 site/）……")
    preview.seen = preview.snapshot()
    preview.rebuild()
    preview.shown_ok = preview.state.ok
    if preview.index_job is not None:
        preview.start_indexing(preview.index_job)
        preview.index_job = None
    server = _Server(preview, sockets)
    try:
        server.serve(port=port, host=HOST, restart_delay=0)
    finally:
        preview.pool.shutdown(wait=False, cancel_futures=True)
        preview.stop_indexing()
        stop_all()  # a rebuild still rendering in its thread: its workers go with the server
    say("预览已停止。")
    return 0

