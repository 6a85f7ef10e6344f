"""The editing desk's size and load time on this machine (docs/benchmarks.md, “编辑台”): bytes of
admin/ as shipped and gzip-compressed, and in Chromium the time until the sign-in page, the list of
documents and an empty form are ready, against decap-server on a small project. Not a test:

    .venv/bin/python bench/desk.py [runs]
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1795622400")

from browser import chromium, serve  # noqa: E402
from desk_session import build, field, free_port, make_repository, proxy  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = make_repository(Path(folder) / "project")
        port = free_port()
        site = build(project, port)
        files = [path for path in (site / "admin").rglob("*") if path.is_file()]
        raw = sum(path.stat().st_size for path in files)
        packed = sum(len(gzip.compress(path.read_bytes(), 6)) for path in files)
        main_js = site / "admin" / "decap" / "decap-cms.js"
        print(f"admin/：{len(files)} 个文件，{raw / 1e6:.2f} MB，gzip 后 {packed / 1e6:.2f} MB；"
              f"decap-cms.js {main_js.stat().st_size / 1e6:.2f} MB（gzip {len(gzip.compress(main_js.read_bytes(), 6)) / 1e6:.2f} MB）")
        timings = {"登录页": [], "文件列表": [], "空白表单": [], "首次加载传输": []}
        with proxy(project, port), serve(site) as origin, chromium() as browser:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                loaded = []
                page.on("response", lambda r: loaded.append(r.url))
                start = time.perf_counter()
                page.goto(origin + "/admin/")
                page.get_by_role("button", name="登录").wait_for()
                timings["登录页"].append(time.perf_counter() - start)
                start = time.perf_counter()
                page.get_by_role("button", name="登录").click()
                page.get_by_text("政策文件").first.wait_for()
                page.locator("a[href*='/collections/documents/entries/']").first.wait_for()
                timings["文件列表"].append(time.perf_counter() - start)
                start = time.perf_counter()
                page.goto(origin + "/admin/#/collections/documents/new")
                field(page, "id").wait_for()
                timings["空白表单"].append(time.perf_counter() - start)
                timings["首次加载传输"].append(len([u for u in loaded if "/admin/" in u]))
                context.close()
        for name, values in timings.items():
            if name == "首次加载传输":
                print(f"{name}：{int(statistics.median(values))} 个请求（/admin/ 下）")
            else:
                print(f"{name}：中位数 {statistics.median(values):.2f} 秒（{runs} 次，最慢 {max(values):.2f} 秒）")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
