#!/usr/bin/env python3
"""Plain Pagefind on the same records, for comparison with our index and search page.

    python bench/search_baseline.py [CONTENT_DIR] [QUERIES_YAML]     # quality: P@10 / R@10 per group
    python bench/search_baseline.py --speed CONTENT_DIR [QUERY ...]   # bytes and time per query

Indexes each search record's original Chinese text with Pagefind's own indexer (the extended
build from PyPI: jieba when indexing, the browser's Intl.Segmenter when searching) and serves it
with the same Pagefind browser files the site ships (disclosure/search/vendor/pagefind), so that
only the index and the way it is searched differ. Quality: each query through Pagefind's JS API in
Chromium, against the ground truth of tests/search_quality.py. Speed: like bench/search_speed.py,
the bytes fetched after Pagefind has loaded and the time until the first ten results' data are in.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import chromium, serve  # noqa: E402
from conftest import load_yaml  # noqa: E402
from search_quality import Scores, group_table, relevant, summary  # noqa: E402

from disclosure.errors import Problems  # noqa: E402
from disclosure.orchestrate.pipeline import BuildOptions, load_site  # noqa: E402
from disclosure.render.pages import render_site  # noqa: E402
from disclosure.search.assets import NEEDED, VENDOR  # noqa: E402
from disclosure.search.records import build_records  # noqa: E402

SEARCH = """async (q) => { const pf = await import('/pagefind/pagefind.js');
  const start = performance.now();
  const s = await pf.search(q); const out = [];
  const first = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
  const ms = performance.now() - start;
  for (const r of s.results) out.push((await r.data()).meta.href);
  return [out, ms]; }"""
FIRST = """async (q) => { const pf = await import('/pagefind/pagefind.js');
  const start = performance.now();
  const s = await pf.search(q);
  await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
  return [s.results.length, performance.now() - start]; }"""


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


def records_of(content: Path):
    problems = Problems()
    config, site = load_site(BuildOptions(content=content), problems)
    records = build_records(site, render_site(site, BuildOptions().templates, problems).html_by_file)
    # The site's own vocabulary, as its search page carries it: the same ground truth as ours.
    groups = [list(group) for group in config.synonyms]
    groups += [[body.name, *body.aliases] for body in config.organisations.entries if body.aliases]
    return records, groups


def plain_site(records, work: Path) -> Path:
    """The records as plain pages, indexed by Pagefind's indexer, with the shipped browser files."""
    site = work / "site"
    site.mkdir(parents=True)
    for number, record in enumerate(records):
        (site / f"r{number:07d}.html").write_text(plain_html(record), "utf-8")
    (site / "index.html").write_text('<!DOCTYPE html><html lang="zh-CN"><body></body></html>', "utf-8")
    start = time.perf_counter()
    subprocess.run([str(executable()), "--site", str(site), "--silent"], check=True)
    print(f"Pagefind indexer: {len(records)} records in {time.perf_counter() - start:.1f} s")
    for name in NEEDED:
        shutil.copyfile(VENDOR / name, site / "pagefind" / name)
    return site


def quality(content: Path, queries_file: Path) -> None:
    queries = load_yaml(queries_file)
    records, groups = records_of(content)
    work = Path(tempfile.mkdtemp(prefix="baseline-"))
    try:
        site = plain_site(records, work)
        measured = []
        with serve(site) as origin, chromium() as browser:
            page = browser.new_page()
            page.goto(origin + "/index.html")
            for item in queries:
                hrefs, _ = page.evaluate(SEARCH, str(item["q"]))
                words = " ".join(map(str, item.get("words") or [item["q"]]))
                score = Scores(str(item["q"]), hrefs, relevant(records, words, groups))
                measured.append((item, score))
                print(f"[{item.get('group', 'phrase')}] {item['q']:<16} P@10 {score.precision:.2f}  "
                      f"R@10 {score.recall:.2f}  results {len(hrefs):>4}  relevant {len(score.relevant):>4}")
        print(group_table(measured)[0])
        for key, value in summary([score for _, score in measured]).items():
            print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def speed(content: Path, queries: list[str]) -> None:
    from search_speed import QUERIES

    records, _ = records_of(content)
    work = Path(tempfile.mkdtemp(prefix="baseline-"))
    try:
        site = plain_site(records, work)
        print(f"{'查询':<14} {'KiB':>7} {'请求':>5} {'首批结果（毫秒）':>10}  结果")
        with serve(site) as origin, chromium() as browser:
            for query in queries or QUERIES:
                context = browser.new_context()
                page = context.new_page()
                sizes: list[int] = []
                counting = [False]
                page.on("response", lambda r: sizes.append(len(r.body())) if counting[0] and r.ok else None)
                page.goto(origin + "/index.html")
                page.evaluate("async () => { const pf = await import('/pagefind/pagefind.js'); await pf.init(); }")
                page.wait_for_load_state("networkidle")
                counting[0] = True
                count, ms = page.evaluate(FIRST, query)
                page.wait_for_load_state("networkidle")
                print(f"{query:<14} {sum(sizes) / 1024:7.1f} {len(sizes):5d} {ms:10.0f}  {count} 条")
                context.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--speed"]:
        speed(Path(args[1]), args[2:])
        return
    content = Path(args[0]) if args else ROOT / "content"
    quality(content, Path(args[1]) if len(args) > 1 else ROOT / "tests" / "search_queries.yaml")


if __name__ == "__main__":
    main()
