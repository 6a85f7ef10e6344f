#!/usr/bin/env python3
"""make bench: build a synthetic corpus and print how long each kind of build takes.

    python bench/run.py [--count 10000] [--no-hugo] [--scenarios cold,search,searchspeed,nochange,edit,template,preview,history]

Generates bench/corpus-N (deterministic, bench/generate.py), builds it in bench/work/ with its own
cache, and prints one row per scenario: wall time, peak memory of the whole process tree (the
build and its workers, sampled from /proc), and output size. With Debian's hugo installed (the
Makefile installs it) it also times Hugo on the same documents, side by side.
Nothing here is a test: no time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import socket
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
PYTHON = sys.executable


def _tree_rss(pid: int) -> int:
    """Memory (bytes) of a process and all its descendants: proportional set size, so pages the
    forked workers share with the build are counted once, not once per process. The tree is
    walked through the kernel's children lists, so sampling costs the build little of its cores."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return total


def _pss(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return int(next(line for line in rollup.splitlines() if line.startswith("Pss:")).split()[1]) * 1024
    except (OSError, StopIteration):
        return 0


class PeakSampler:
    """Peak memory of a process tree, sampled in a thread until stopped."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        # Reading PSS makes the kernel walk every page of every process: with gigabytes mapped
        # that is tens of milliseconds, so the sampler waits twenty times as long as a sample
        # took and never takes more than a few per cent of one core from the build it measures.
        while not self.done.is_set():
            began = time.perf_counter()
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.done.wait(max(0.2, 20 * (time.perf_counter() - began)))

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def measure(command: list[str], cwd: Path = ROOT) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and peak tree RSS of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakSampler(process.pid)
    out, err = process.communicate()
    peak = sampler.stop()
    elapsed = time.perf_counter() - start
    result = subprocess.CompletedProcess(command, process.returncode, out, err)
    if process.returncode != 0:
        raise SystemExit(f"命令失败：{' '.join(command)}\n{err[-2000:]}")
    return elapsed, peak, result


def preview(corpus: Path, work: Path, cache: Path, document: Path) -> list[tuple]:
    """`build.py serve` as an editor uses it: save a document, and time until the server sends
    the edited page, then until the full rebuild behind it is done."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    lines: list[tuple[float, str]] = []
    process = subprocess.Popen([PYTHON, "build.py", "serve", "--port", str(port), "--content", str(corpus),
                                "--output", str(work / "preview"), "--cache", str(cache)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    threading.Thread(target=lambda: [lines.append((time.perf_counter(), line)) for line in process.stdout],
                     daemon=True).start()
    sampler = PeakSampler(process.pid)

    def wait_line(text: str, after: float = 0.0, limit: float = 900) -> float:
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            for when, line in list(lines):
                if when >= after and text in line:
                    return when
            if process.poll() is not None:
                raise SystemExit("预览服务器意外退出：\n" + "".join(line for _, line in lines)[-2000:])
            time.sleep(0.01)
        raise SystemExit(f"预览服务器 {limit} 秒内没有输出“{text}”")

    page = f"http://127.0.0.1:{port}/documents/{document.stem}/"

    def edited(change, marker: str) -> tuple[float, float]:
        saved = time.perf_counter()
        change()
        while marker not in urllib.request.urlopen(page, timeout=10).read().decode("utf-8"):
            time.sleep(0.01)
        shown = time.perf_counter() - saved
        finished = wait_line("预览已更新", saved)
        wait_line("搜索索引已更新", finished)  # the index follows in the background; let it finish
        return shown, finished - saved

    original = document.read_text("utf-8")
    rows = []
    try:
        wait_line("搜索索引已更新")  # the editor starts once the preview is up, index included
        settle(work)
        shown, full = edited(lambda: document.write_text(original + "\n预览计时用的新段落。\n", "utf-8"), "预览计时用的新段落")
        rows.append(("预览：改正文后页面更新", shown, None, None, ""))
        rows.append(("　　随后的完整重建完成", full, None, None, ""))
        shown, full = edited(lambda: document.write_text(original.replace("\ntitle: ", "\ntitle: （预览计时）", 1), "utf-8"),
                             "（预览计时）")
        rows.append(("预览：改标题后页面更新", shown, None, None, ""))
        rows.append(("　　随后的完整重建完成", full, None, None, ""))
    finally:
        document.write_text(original, "utf-8")
        process.terminate()
        process.wait(timeout=30)
        peak = sampler.stop()
    rows.append(("预览服务器（整个过程）", None, peak, size_of(work / "preview"), ""))
    return rows


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def settle(folder: Path, limit: float = 300) -> None:
    """Wait until the sites that earlier builds retired are deleted (a build leaves that to a
    detached `rm`), so one scenario's clean-up does not run during the next one's measurement."""
    deadline = time.monotonic() + limit
    while any(folder.glob(".*.old-*")) and time.monotonic() < deadline:
        time.sleep(0.2)


def build(corpus: Path, output: Path, cache: Path, *extra: str):
    settle(output.parent)
    return measure([PYTHON, "build.py", "--content", str(corpus), "--output", str(output),
                    "--cache", str(cache), *extra])


def stage(result, name: str) -> str:
    for line in result.stdout.splitlines():
        if "用时" in line and name in line:
            part = line.split(name, 1)[1].split("秒", 1)[0]
            return part.strip()
    return "—"


def timing(result) -> str:
    """The build's own line of time per stage, for the breakdown under the table."""
    return next((line.strip() for line in result.stdout.splitlines() if line.strip().startswith("用时")), "")


def hugo_site(corpus: Path, work: Path, comparable: bool = False) -> Path:
    """The same documents as a Hugo site (front matter and body as they are). Minimal: one page per
    document and a paginated list. Comparable: also what our build makes of them — paginated list
    pages per issuing body, topic, kind and validity, Atom/RSS feeds for each, a sitemap and a JSON
    file per document, and a page template that shows the metadata table (Hugo has no per-year
    lists without a field for it, so those are left out)."""
    site = work / ("hugo-comparable" if comparable else "hugo")
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    config = 'baseURL = "https://example.gov.cn/"\ntitle = "bench"\n'
    if comparable:
        config += ('paginate = 20\n[frontmatter]\ndate = ["published"]\n'
                   '[taxonomies]\nissuer = "issuer"\ntopic = "topic"\nkind = "kind"\nvalidity = "validity"\n'
                   '[services.rss]\nlimit = 50\n'
                   '[outputs]\npage = ["HTML", "JSON"]\nhome = ["HTML", "RSS"]\nsection = ["HTML", "RSS"]\n'
                   'taxonomy = ["HTML"]\nterm = ["HTML", "RSS"]\n')
    else:
        config += 'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    (site / "hugo.toml").write_text(config, "utf-8")
    layout = "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>{{ .Title }}</title></head><body>%s</body></html>"
    single = "<h1>{{ .Title }}</h1>{{ .Content }}"
    if comparable:
        rows = "".join(f"<tr><th>{label}</th><td>{{{{ .Params.{key} }}}}</td></tr>" for label, key in
                       (("发文字号", "doc_number"), ("发布机构", "issuer"), ("成文日期", "written"),
                        ("发布日期", "published"), ("主题分类", "topic"), ("公文种类", "kind"), ("有效性", "validity")))
        single = f"<h1>{{{{ .Title }}}}</h1><table>{rows}</table>{{{{ .Content }}}}"
        (site / "layouts" / "_default" / "single.json").write_text(
            '{{ dict "title" .Title "url" .RelPermalink "params" .Params "content" .Content | jsonify }}', "utf-8")
        (site / "layouts" / "_default" / "terms.html").write_text(
            layout % "<ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">"
                     "{{ .Page.Title }}</a>（{{ .Count }}）</li>{{ end }}</ul>", "utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(layout % single, "utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(
        layout % "<ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>"
                 "{{ .Date.Format \"2006-01-02\" }}</li>{{ end }}</ul>", "utf-8")
    shutil.copytree(corpus / "documents", site / "content" / "documents")
    return site


def _cell(value, spec: str, width: int) -> str:
    return f"{'—':>{width}}" if value is None else f"{value:>{width}{spec}}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=int(os.environ.get("N", 10000)))
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--scenarios", default="cold,search,searchspeed,nochange,edit,template,preview,history")
    args = parser.parse_args()
    scenarios = args.scenarios.split(",")
    corpus = ROOT / "bench" / f"corpus-{args.count}"
    if not corpus.exists():
        subprocess.run([PYTHON, "bench/generate.py", "--count", str(args.count), "--out", str(corpus)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    warm(corpus)
    work = ROOT / "bench" / "work"
    # Nothing is deleted until every scenario is measured: on a file system without a journal
    # (this machine's ext4 is mounted so), creating files is several times slower for minutes
    # after many were deleted, as the allocator steps over recently freed inodes. A previous
    # run's folder is moved aside and removed at the end.
    if work.exists():
        work.rename(work.with_name(f"work.old-{time.time_ns()}"))
    work.mkdir(parents=True)
    output, cache = work / "site", work / "cache"
    rows, speed = [], []
    try:
        _scenarios(args, scenarios, corpus, work, output, cache, rows)
        if "searchspeed" in scenarios:
            # What a reader's browser pays per query on the site just built (bench/search_speed.py).
            sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]
            from search_speed import measure_all

            speed = measure_all(output)
    finally:
        for old in work.parent.glob("work.old-*"):
            shutil.rmtree(old, ignore_errors=True)
    _report(args, rows)
    if speed:
        from search_speed import table

        print(f"\n搜索：每个查询下载的字节数和到第一批结果的时间（无缓存的 Chromium，{args.count} 个文件）：")
        print(table(speed))


def warm(corpus: Path) -> None:
    """Read every content file once, so that the first build finds the corpus in the page cache
    as every later one (and Hugo) does: a cold build means no cache of ours, not a cold disk.
    At 100,000 files, a corpus pushed out of memory by earlier runs cost the first build's
    reading stage 30–40 s more than the same stage with the files in memory."""
    for folder, _, names in os.walk(corpus):
        for name in names:
            with open(os.path.join(folder, name), "rb") as stream:
                while stream.read(1 << 20):
                    pass


def _scenarios(args, scenarios, corpus, work, output, cache, rows) -> None:
    if "cold" in scenarios:
        t, peak, r = build(corpus, work / "cold", work / "cold-cache", "--no-search")
        rows.append(("冷构建（不含搜索索引）", t, peak, size_of(work / "cold"), timing(r)))
    hugo = shutil.which("hugo")
    if hugo and not args.no_hugo:  # right after our cold build, on the same terms: nothing deleted yet
        for comparable, label in ((False, "Hugo（同一批文件，最简模板）"), (True, "Hugo（同一批文件，同样的分类页、订阅和 JSON）")):
            site = hugo_site(corpus, work, comparable)
            out = work / ("hugo-comparable-out" if comparable else "hugo-out")
            t, peak, r = measure([hugo, "--quiet", "-d", str(out)], cwd=site)
            rows.append((label, t, peak, size_of(out), timing(r)))
    t, peak, r = build(corpus, output, cache)
    rows.append(("冷构建（含搜索索引）", t, peak, size_of(output), timing(r)))
    rows.append(("　其中：搜索索引", float(stage(r, "搜索索引") if stage(r, "搜索索引") != "—" else 0), None,
                 size_of(output / "pagefind"), ""))
    if "nochange" in scenarios:
        t, peak, r = build(corpus, output, cache)
        rows.append(("无改动重建", t, peak, size_of(output), timing(r)))
    if "edit" in scenarios:
        document = sorted((corpus / "documents").rglob("*.md"))[len(list((corpus / "documents").rglob("*.md"))) // 2]
        original = document.read_text("utf-8")
        try:
            document.write_text(original + "\n本文件自印发之日起施行。\n", "utf-8")
            t, peak, r = build(corpus, output, cache, "--no-search")
            rows.append(("改一个文件后重建（不含搜索索引）", t, peak, size_of(output), timing(r)))
            document.write_text(original + "\n本文件自印发之日起施行，有效期五年。\n", "utf-8")
            t, peak, r = build(corpus, output, cache)
            rows.append(("改一个文件后重建（含搜索索引）", t, peak, size_of(output), timing(r)))
            # A field that lists show: the lists, feeds and pages that name the document follow.
            document.write_text(original.replace("\ntitle: ", "\ntitle: （修订）", 1), "utf-8")
            t, peak, r = build(corpus, output, cache, "--no-search")
            rows.append(("改一个文件的标题后重建（不含搜索）", t, peak, size_of(output), timing(r)))
        finally:
            document.write_text(original, "utf-8")
    if "template" in scenarios:
        templates = work / "templates"
        shutil.copytree(ROOT / "templates", templates)
        page = templates / "document.html"
        page.write_text(page.read_text("utf-8") + "{# edited #}\n", "utf-8")
        settle(work)
        t, peak, r = measure([PYTHON, "build.py", "--content", str(corpus), "--output", str(output),
                              "--cache", str(cache), "--templates", str(templates), "--no-search"])
        rows.append(("改一个模板后重建（不含搜索索引）", t, peak, size_of(output), timing(r)))

    if "preview" in scenarios:
        documents = sorted((corpus / "documents").rglob("*.md"))
        rows += preview(corpus, work, cache, documents[len(documents) // 3])
    if "history" in scenarios:
        rows += history(corpus, work)


def history(corpus: Path, work: Path) -> list[tuple]:
    """The 更正记录's cost: cold builds (no search) of the corpus as a tarball would give it and of
    the same corpus in a git repository with commits of corrections (bench/history.py), on the
    same build date, alternately, twice each."""
    from history import make_history  # bench/history.py

    # Corrections to about one document in seven: 300 commits of 5 documents at 10,000 documents.
    count = sum(1 for _ in (corpus / "documents").rglob("*.md"))
    commits = max(30, count * 3 // 100)
    tracked = corpus.with_name(f"{corpus.name}-history-{commits}")
    if not (tracked / ".git").is_dir():
        make_history(corpus, tracked, commits)
    warm(tracked)
    rows = []
    os.environ["SOURCE_DATE_EPOCH"] = "1795622400"  # the same build date for both (the commits would move it)
    try:
        for round_ in (1, 2):
            for source, label in ((corpus, "冷构建，无 git 历史（不含搜索）"), (tracked, "冷构建，有 git 历史（不含搜索）")):
                output = work / f"history-{source.name}-{round_}"
                t, peak, r = build(source, output, work / f"history-cache-{source.name}-{round_}", "--no-search")
                pages = len(list((output / "documents").glob("*/history")))
                rows.append((f"{label} 第{round_}轮", t, peak, size_of(output), timing(r) + f"；更正记录页面 {pages} 个"))
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return rows


def _report(args, rows) -> None:
    print(f"\n基准测试：{args.count} 个文件（bench/corpus-{args.count}），机器：{platform.machine()}，"
          f"{os.cpu_count()} 核，Python {platform.python_version()}")
    print(f"{'场景':<28}{'用时（秒）':>10}{'峰值内存（MB）':>16}{'输出大小（MB）':>16}")
    for name, seconds, peak, size, _ in rows:
        print(f"{name:<28}{_cell(seconds, '.2f', 10)}{_cell(peak and peak / 2**20, '.0f', 16)}"
              f"{_cell(size if size is None else size / 2**20, '.1f', 16)}")
    times = {name: seconds for name, seconds, *_ in rows}
    ours, hugo = times.get("冷构建（不含搜索索引）"), times.get("Hugo（同一批文件，同样的分类页、订阅和 JSON）")
    if ours and hugo:
        print(f"\n冷构建（不含搜索）是 Hugo 同等工作量站点的 {ours / hugo:.2f} 倍（问题 7 的目标：不超过 1.5 倍）。")
    print("\n各场景的阶段用时（构建自己报告的）：")
    for name, _, _, _, stages in rows:
        if stages:
            print(f"  {name}：{stages}")


if __name__ == "__main__":
    main()
