#!/usr/bin/env python3
"""Search quality of plain Pagefind on the same records, for comparison with our tokens.

    python bench/search_baseline.py [CONTENT_DIR] [QUERIES_YAML]

Indexes each search record's original Chinese text with Pagefind's extended build (jieba when
indexing, the browser's Intl.Segmenter when searching), runs each query through Pagefind's JS API
in Chromium, and prints precision@10 and recall@10 against the same ground truth as
tests/search_quality.py.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import chromium, serve  # noqa: E402
from conftest import load_yaml  # noqa: E402
from search_quality import Scores, relevant, summary  # noqa: E402

from disclosure.errors import Problems  # noqa: E402
from disclosure.pipeline import BuildOptions, check  # noqa: E402
from disclosure.render import render_site  # noqa: E402
from disclosure.search.records import build_records  # noqa: E402


def executable() -> Path:
    """Pagefind's own indexer, as pinned on PyPI (the build does not need it: it writes the index)."""
    from pagefind_bin_extended import get_executable

    return Path(get_executable())


def plain_html(record) -> str:
    e = html.escape
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>x</title></head><body>'
            f'<main data-pagefind-body><span data-pagefind-meta="href[data-v]" data-v="{e(record.url)}"></span>'
            f"<h1>{e(record.title)} {e(record.number)}</h1><div>{e(record.elements)}</div>"
            f"<p>{e(record.text)}</p></main></body></html>")


def main() -> None:
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    queries = load_yaml(Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "tests" / "search_queries.yaml")
    problems = Problems()
    _, site = check(BuildOptions(content=content), problems)
    records = build_records(site, render_site(site, BuildOptions().templates, problems).bodies)
    work = Path(tempfile.mkdtemp(prefix="baseline-"))
    try:
        for number, record in enumerate(records):
            path = work / "site" / f"r{number:07d}.html"
            path.parent.mkdir(exist_ok=True)
            path.write_text(plain_html(record), "utf-8")
        (work / "site" / "index.html").write_text('<!DOCTYPE html><html lang="zh-CN"><body></body></html>', "utf-8")
        subprocess.run([str(executable()), "--site", str(work / "site"), "--silent"], check=True)
        scores = []
        with serve(work / "site") as origin, chromium() as browser:
            page = browser.new_page()
            page.goto(origin + "/index.html")
            for item in queries:
                hrefs = page.evaluate(
                    """async (q) => { const pf = await import('/pagefind/pagefind.js');
                       const s = await pf.search(q); const out = [];
                       for (const r of s.results) out.push((await r.data()).meta.href);
                       return out; }""", item["q"])
                score = Scores(item["q"], hrefs, relevant(records, item["q"]))
                scores.append(score)
                print(f"{item['q']:<16} P@10 {score.precision:.2f}  R@10 {score.recall:.2f}  "
                      f"results {len(hrefs):>4}  relevant {len(score.relevant):>4}")
        for key, value in summary(scores).items():
            print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
