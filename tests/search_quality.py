"""Search quality measured on the real index in a real browser: precision@10 and recall@10.

A page is relevant to a query when its searchable text (title, 发文字号, elements and body, as
indexed) contains every space-separated part of the query, or, for a part that config.yaml names
as a synonym or as one of a body's names, any word of its group (the site's own vocabulary, as
the search page carries it: synonym_groups). Used by the tests and by
`python tests/search_quality.py SITE_DIR` for the figures in the notes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DONE = re.compile("^(找到|没有)")


def normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())


def synonym_groups(site_dir) -> list[list[str]]:
    """The synonym groups and body names the built site's search page carries (data-words)."""
    import html
    import json
    from pathlib import Path

    page = (Path(site_dir) / "search" / "index.html").read_text("utf-8")
    return json.loads(html.unescape(re.search(r"data-words='([^']*)'", page).group(1)))


def _alternatives(groups) -> dict[str, set[str]]:
    """Each word to every word of its group, groups sharing a word joined (as search.js does)."""
    found: dict[str, set[str]] = {}
    for group in groups or ():
        words = {normal(str(word)) for word in group}
        for word in list(words):
            words |= found.get(word, set())
        for word in words:
            found[word] = words
    return found


def _variants(piece: str, others: dict[str, set[str]]) -> set[str]:
    """The piece, and the piece with one of its words (found longest first, left to right, as
    search.js keeps them) replaced by each word of its group."""
    found = {piece}
    known = sorted(others, key=len, reverse=True)
    at = 0
    while at < len(piece):
        word = next((w for w in known if piece.startswith(w, at)), None)
        if word is None:
            at += 1
            continue
        found |= {piece[:at] + other + piece[at + len(word):] for other in others[word]}
        at += len(word)
    return found


def relevant(records, query: str, groups=None) -> set[str]:
    others = _alternatives(groups)
    pieces = [_variants(normal(p), others) for p in str(query).split()]
    found = set()
    for record in records:
        text = normal(" ".join([record.title, record.number, record.elements, record.text]))
        if all(any(word in text for word in piece) for piece in pieces):
            found.add(record.url)
    return found


def prenormalized(records) -> list:
    """The records with their searchable text already in relevant()'s normal form: relevant() gives
    the same sets (the form is idempotent and the parts stay apart), without normalising every
    record's text again for each query (seven times faster on 700 laws, five on the bundled site)."""
    from types import SimpleNamespace

    return [SimpleNamespace(url=r.url, title=normal(r.title), number=normal(r.number), elements=normal(r.elements),
                            text=normal(r.text)) for r in records]


# The search page driven from inside the page: the query goes through the page's own form (as a
# reader's second search does, without loading Pagefind again) and "显示更多结果" is pressed until
# every result is listed, each step awaited on the exact change it makes to the page (a
# MutationObserver), not polled: hundreds of searches run this way. With `submit` false it only
# awaits the search the page's address started. null: the page is not an idle search page.
SEARCH_JS = """async ({query, submit, timeout}) => {
  const status = document.getElementById('search-status'), input = document.getElementById('search-input');
  const list = document.getElementById('search-results'), more = document.getElementById('search-more');
  if (!status || !input || !list || !more) return null;
  const done = () => /^(找到|没有)/.test(status.textContent);
  const count = () => list.querySelectorAll('.search-result').length;
  const until = (ok, what) => new Promise((resolve, reject) => {
    if (ok()) return resolve();
    const observer = new MutationObserver(() => { if (ok()) { observer.disconnect(); clearTimeout(timer); resolve(); } });
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error(`not within ${timeout} ms: ${what}`)); }, timeout);
    observer.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
  });
  // As Playwright's isVisible: hidden by neither the attribute nor the style.
  const shown = (el) => { const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility === 'visible'; };
  if (submit) {
    if (!done()) return null;
    status.textContent = '';
    input.value = query;
    input.dispatchEvent(new Event('input', {bubbles: true}));  // as typing would: suggestions, a search in a moment
    input.form.requestSubmit();  // ... which the form's search replaces at once
  }
  await until(done, `the search for “${query}” ends (status: “${status.textContent}”)`);
  while (shown(more)) {
    const before = count();
    more.click();
    await until(() => count() !== before, `more results than ${before} for “${query}”`);
  }
  return [...list.querySelectorAll('.search-result__title a')].map((a) => a.getAttribute('href'));
}"""


def search(page, origin: str, base: str, query: str, timeout: int = 20000) -> list[str]:
    """All results the search page lists for a query, in order, as site paths without the base path."""
    from urllib.parse import quote

    address = f"{origin}{base}search/"
    hrefs = None
    if page.url.split("?")[0] == address:
        hrefs = page.evaluate(SEARCH_JS, {"query": query, "submit": True, "timeout": timeout})
    if hrefs is None:
        page.goto(f"{address}?q={quote(query)}")
        hrefs = page.evaluate(SEARCH_JS, {"query": query, "submit": False, "timeout": timeout})
        assert hrefs is not None, f"{address} is not the search page"
    return ["/" + href[len(base):] for href in hrefs]


@dataclass
class Scores:
    query: str
    results: list[str]
    relevant: set[str]

    @property
    def top(self) -> list[str]:
        return self.results[:10]

    @property
    def precision(self) -> float:
        return sum(url in self.relevant for url in self.top) / len(self.top) if self.top else (0.0 if self.relevant else 1.0)

    @property
    def recall(self) -> float:
        if not self.relevant:
            return 1.0
        return sum(url in self.relevant for url in self.top) / min(10, len(self.relevant))

    @property
    def full_recall(self) -> float:
        return len(self.relevant & set(self.results)) / len(self.relevant) if self.relevant else 1.0


def summary(scores: list[Scores]) -> dict[str, float]:
    n = len(scores)
    return {
        "queries": n,
        "precision@10": sum(s.precision for s in scores) / n,
        "recall@10": sum(s.recall for s in scores) / n,
        "recall (all results)": sum(s.full_recall for s in scores) / n,
    }


def group_table(measured) -> tuple[str, dict[str, dict]]:
    """The per-group table (queries, P@10, R@10, empty result lists) and its figures."""
    figures: dict[str, dict] = {}
    for item, scores in measured:
        group = figures.setdefault(item.get("group", "phrase"), {"queries": 0, "precision": 0.0, "recall": 0.0, "empty": 0})
        group["queries"] += 1
        group["precision"] += scores.precision
        group["recall"] += scores.recall
        group["empty"] += bool(scores.relevant) and not scores.results
    rows = ["group     queries  P@10   R@10   empty"]
    for name, group in figures.items():
        group["precision"] /= group["queries"]
        group["recall"] /= group["queries"]
        rows.append(f"{name:<9} {group['queries']:>7}  {group['precision']:.3f}  {group['recall']:.3f}  {group['empty']:>5}")
    return "\n".join(rows), figures



if __name__ == "__main__":  # figures for a built site: python tests/search_quality.py site [queries.yaml]
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from browser import chromium, serve
    from conftest import load_yaml
    from disclosure.errors import Problems
    from disclosure.orchestrate.pipeline import BuildOptions, load_site
    from disclosure.render.pages import render_site
    from disclosure.search.records import build_records

    site_dir = Path(sys.argv[1])
    content = Path(sys.argv[3]) if len(sys.argv) > 3 else BuildOptions().content
    queries = load_yaml(Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).with_name("search_queries.yaml"))
    problems = Problems()
    config, site = load_site(BuildOptions(content=content), problems)
    records = build_records(site, render_site(site, BuildOptions().templates, problems).html_by_file)
    results = []
    groups = synonym_groups(site_dir)
    with serve(site_dir) as origin, chromium() as browser:
        page = browser.new_page()
        for item in queries:
            words = " ".join(map(str, item.get("words") or [item["q"]]))
            scores = Scores(item["q"], search(page, origin, "/", item["q"]), relevant(records, words, groups))
            results.append((item, scores))
            print(f"[{item.get('group', 'phrase')}] {item['q']:<16} P@10 {scores.precision:.2f}  R@10 {scores.recall:.2f}  "
                  f"results {len(scores.results):>4}  relevant {len(scores.relevant):>4}")
    print(group_table(results)[0])
    for key, value in summary([scores for _, scores in results]).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
