"""Serving a built site on localhost and driving Debian's chromium (its headless shell) through Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path

# Debian's chromium-headless-shell: the same Blink as its chromium at the same version, without the
# browser's own windows and services; it is the build Playwright itself runs headless tests in,
# and the browser tests need half the processor time they need in the full browser's headless
# mode (docs/benchmarks.md). TEST_CHROMIUM names another, e.g. /usr/bin/chromium.
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # Polled every 50 ms, not Python's 0.5 s: shutdown() waits for the next poll, and a test that
    # ends waits for its server.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# The browser tests of a test process share one Chromium and one server per site: a launch costs
# about a second, and pytest-xdist hands a worker the tests of a module in several batches. The
# browser is closed when the next test to run is not a browser test (close_before_other_tests):
# while Playwright's sync API is open its event loop is marked as running in the main thread, where
# other tests (tornado's) need their own. A server is a thread and needs no loop; it stays up.
_shared: tuple[contextlib.ExitStack, object] | None = None
_servers: dict[Path, tuple[contextlib.ExitStack, str]] = {}  # the stack keeps the server running


def shared_chromium(config=None):
    """This process's Chromium, launched on first use (only one Playwright may be open at a time).
    With pytest's config, it is closed again before the next test that is not a browser test."""
    global _shared
    if config is not None and not config.pluginmanager.has_plugin(_CLOSER):
        config.pluginmanager.register(_close_before_other_tests(), _CLOSER)
    if _shared is None or not _shared[1].is_connected():
        close_shared_chromium()
        stack = contextlib.ExitStack()
        browser = stack.enter_context(chromium())
        _shared = (stack, browser)
    return _shared[1]


def close_shared_chromium() -> None:
    global _shared
    if _shared is not None:
        stack, _shared = _shared[0], None
        stack.close()


_CLOSER = "close-shared-chromium"


def _close_before_other_tests():
    """A pytest plugin: after a test's teardown (its pages and contexts closed), the shared browser
    goes when the test that runs next here is not a browser test (conftest marks them), or none is."""
    import pytest

    class CloseBeforeOtherTests:
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_teardown(self, item, nextitem):
            try:
                return (yield)
            finally:
                if nextitem is None or nextitem.get_closest_marker("browser") is None:
                    close_shared_chromium()

    return CloseBeforeOtherTests()


def served(site: Path) -> str:
    """The origin of a built site served for the rest of this process."""
    site = Path(site).resolve()
    if site not in _servers:
        stack = contextlib.ExitStack()
        _servers[site] = (stack, stack.enter_context(serve(site)))
    return _servers[site][1]
