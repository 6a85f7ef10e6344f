#!/usr/bin/env python3
"""How much of the Markdown work budget (disclosure/render/markdown_limits.py) real texts use, and how
long the hostile texts take to be refused.

    python bench/markdown_budget.py [--corpus ../shared/corpus/laws]  (tests/corpus/laws without it)

Prints, for the laws of the corpus (each alone, and repeated into bodies of up to the size
limit), the units used per character and the share of the budget; then each hostile shape of
tests/unit/test_hostile_markdown.py with its time and the message it got. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from disclosure.errors import Problems  # noqa: E402
from disclosure.render.markdown import Assets, LinkTargets, MarkdownRenderer  # noqa: E402
from disclosure.render.markdown_limits import BUDGET_BASE, BUDGET_PER_CHAR, MAX_CHARS  # noqa: E402


def renderer(root: Path) -> tuple[MarkdownRenderer, Problems]:
    problems = Problems()
    return MarkdownRenderer(LinkTargets(root, "/", set(), {}, Assets(root)), problems), problems


def used(md: MarkdownRenderer, text: str) -> tuple[float, float, float] | None:
    md.budget.left = None
    start = time.perf_counter()
    md.render(text, md.targets.content_root / "doc.md")
    seconds = time.perf_counter() - start
    if md.budget.left is None:
        return None  # plain text: rendered without Python-Markdown
    total = BUDGET_BASE + BUDGET_PER_CHAR * len(text)
    return (total - md.budget.left) / len(text), (total - md.budget.left) / total, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    shared = ROOT.parent / "shared" / "corpus" / "laws"
    parser.add_argument("--corpus", type=Path, default=shared if shared.is_dir() else ROOT / "tests" / "corpus" / "laws")
    args = parser.parse_args()
    from test_hostile_markdown import QUADRATIC

    with tempfile.TemporaryDirectory() as folder:
        md, problems = renderer(Path(folder))
        texts = [path.read_text("utf-8") for path in sorted(args.corpus.rglob("*.md"))]
        rows = [(len(text), used(md, text)) for text in texts]
        full = [(n, r) for n, r in rows if r is not None]
        worst = max(full, key=lambda row: row[1][0])
        print(f"corpus: {len(texts)} texts, {len(full)} through Python-Markdown")
        print(f"  units per character: median {sorted(r[0] for _, r in full)[len(full) // 2]:.0f}, "
              f"most {worst[1][0]:.0f} (a text of {worst[0]:,} characters)")
        print(f"  share of the budget: most {max(r[1] for _, r in full):.1%}")
        longest = max(texts, key=len)
        for copies in (10, MAX_CHARS // len(longest)):
            body = "\n\n".join([longest] * copies)[:MAX_CHARS]
            units, share, seconds = used(md, body)
            print(f"  the longest law x{copies} ({len(body):,} characters): {units:.0f} units a character, "
                  f"{share:.1%} of the budget, {seconds:.2f} s")
        print("hostile texts:")
        for name, text in QUADRATIC.items():
            before = len(problems.items)
            start = time.perf_counter()
            md.render(text, Path(folder) / "doc.md")
            seconds = time.perf_counter() - start
            said = problems.items[before].message if len(problems.items) > before else "(accepted)"
            print(f"  {name:30} {len(text):>9,} characters  {seconds:5.2f} s  {said}")


if __name__ == "__main__":
    main()
