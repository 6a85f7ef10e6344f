#!/usr/bin/env python3
"""Python-Markdown against markdown-it-py and mistune on real bodies: time and output equivalence.

    python bench/markdown_compare.py [CONTENT_DIR ...]   (default: content/ and bench/corpus-1000/)

The figures behind keeping Python-Markdown (docs/benchmarks.md). markdown-it-py and mistune are
not dependencies of the project: install them into any environment to run this
(`pip install markdown-it-py mistune`). Each body is rendered the way the build configures
Python-Markdown (tables, fenced code, sane lists, heading ids) and the closest configuration of
the others; outputs are compared after the same nh3 clean-up the build applies and after
collapsing whitespace between tags, so only differences a reader could see are counted.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import markdown
import nh3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from disclosure.render.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES  # noqa: E402

BETWEEN_TAGS = re.compile(r">\s+<")


def bodies(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text("utf-8")
        if text.startswith("---"):
            parts = text.split("\n---\n", 1)
            text = parts[1] if len(parts) == 2 else text
        texts.append(text)
    return texts


def normalise(html: str) -> str:
    clean = nh3.clean(html, tags=ALLOWED_TAGS | {"h1"},  # the build demotes h1; the libraries compared do not
                      attributes={k: v - {"id"} for k, v in ALLOWED_ATTRIBUTES.items()},
                      url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)
    clean = clean.replace("<br />", "<br>").replace("<hr />", "<hr>")
    return BETWEEN_TAGS.sub("><", clean).strip()


def renderers() -> dict:
    python_markdown = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "toc"],
                                        output_format="html")

    def pymd(text: str) -> str:
        python_markdown.reset()
        return python_markdown.convert(text)

    found = {"Python-Markdown 3 (构建所用)": pymd}
    try:
        from markdown_it import MarkdownIt

        found["markdown-it-py (commonmark + table)"] = MarkdownIt("commonmark").enable("table").render
    except ImportError:
        print("（未安装 markdown-it-py，跳过）")
    try:
        import mistune

        found["mistune 3 (table)"] = mistune.create_markdown(plugins=["table"], escape=False)
    except ImportError:
        print("（未安装 mistune，跳过）")
    return found


def main() -> None:
    folders = [Path(arg) for arg in sys.argv[1:]] or [ROOT / "content", ROOT / "bench" / "corpus-1000"]
    for folder in folders:
        texts = bodies(folder)
        if not texts:
            continue
        chars = sum(len(t) for t in texts) / len(texts)
        print(f"\n{folder}：{len(texts)} 篇正文，平均 {chars:.0f} 字符")
        results = {}
        for name, render in renderers().items():
            for text in texts[:20]:
                render(text)  # warm up
            start = time.perf_counter()
            outputs = [render(text) for text in texts]
            elapsed = time.perf_counter() - start
            results[name] = [normalise(html) for html in outputs]
            reference = next(iter(results.values()))
            same = sum(a == b for a, b in zip(reference, results[name]))
            print(f"  {name:<38} 每篇 {elapsed / len(texts) * 1000:6.2f} 毫秒   与构建所用输出相同 {same}/{len(texts)}")
        reference_name = next(iter(results))
        for name, outputs in results.items():
            if name == reference_name:
                continue
            for text, a, b in zip(texts, results[reference_name], outputs):
                if a != b:
                    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                    print(f"    第一处不同（{name}）：…{a[max(0, at - 60):at + 60]!r}\n"
                          f"                         …{b[max(0, at - 60):at + 60]!r}")
                    break


if __name__ == "__main__":
    main()
