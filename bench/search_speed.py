#!/usr/bin/env python3
"""What a reader's phone pays for a search: bytes fetched after the search page's first load, and
the time from pressing Enter to the first results, in headless Chromium.

    python bench/search_speed.py SITE_DIR [QUERY ...]

Serves SITE_DIR (a built site with its search index), opens /search/ once per query in a fresh
browser context (nothing cached), waits until the page is ready to search, then types the query,
presses Enter and waits for the status line. Prints one row per query. Nothing is asserted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import chromium, serve  # noqa: E402
from playwright.sync_api import expect  # noqa: E402
from search_quality import DONE  # noqa: E402

QUERIES = ["政务公开", "政务公开要点", "食品安全监管", "家庭医生补助", "老旧小区改造", "最低生活保障", "政务公开火星",
           "区财政局 2024", "财政专项资金", "济天政办发4号", "养老服务补贴", "黄河流域 生态保护"]


def measure(browser, origin: str, query: str) -> tuple[int, int, float, str]:
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []
    counting = [False]

    def counted(response):
        if counting[0]:
            try:
                sizes.append(len(response.body()))
            except Exception:  # a redirect or an aborted request has no body
                pass

    page.on("response", counted)
    page.goto(f"{origin}/search/")
    status = page.locator("#search-status")
    expect(status).to_have_text("请输入关键词，或在左侧按类别筛选。", timeout=30000)  # index loaded
    page.wait_for_load_state("networkidle")
    counting[0] = True
    box = page.locator("#search-input")
    box.fill(query)
    start = time.perf_counter()
    box.press("Enter")
    expect(status).to_have_text(DONE, timeout=60000)
    elapsed = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    text = status.inner_text()
    context.close()
    return sum(sizes), len(sizes), elapsed, text


def measure_all(site: Path, queries=QUERIES) -> list[tuple[str, int, int, float, str]]:
    """One row per query: (query, bytes, requests, seconds to the first results, status line)."""
    with serve(site) as origin, chromium() as browser:
        return [(query, *measure(browser, origin, query)) for query in queries]


def table(rows) -> str:
    lines = [f"{'查询':<14} {'KiB':>7} {'请求':>5} {'首批结果（毫秒）':>10}  状态"]
    for query, size, requests, elapsed, text in rows:
        lines.append(f"{query:<14} {size / 1024:7.1f} {requests:5d} {elapsed * 1000:10.0f}  {text[:40]}")
    return "\n".join(lines)


def main() -> None:
    site = Path(sys.argv[1])
    print(table(measure_all(site, sys.argv[2:] or QUERIES)))


if __name__ == "__main__":
    main()
