"""Search quality measured on a site built from the real corpus (issue 16, item 6: measured, not assumed).

The laws and policy records of tests/corpus_site.py (the subset bundled in tests/corpus/, or the
corpus in $CORPUS_DIR such as the full shared one beside the checkout), the queries of
tests/corpus_queries.yaml by group, each scored in Chromium against the pages that hold its words.
`pytest tests/browser/test_search_corpus.py -s` prints the per-group table.
"""

from __future__ import annotations

import os

import pytest

from corpus_site import (BUNDLED, GROUPS, CorpusMissing, build_site, corpus_dir, corpus_records, group_table, load_queries,
                         make_corpus_project, measure, query_line, query_words)
from search_quality import prenormalized, relevant, synonym_groups

# The corpus is made by the module's fixtures, and its tests are meant to run on one xdist worker.
pytestmark = pytest.mark.xdist_group("search-corpus")
QUERIES = load_queries()
TARGET = 0.9


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory):
    """The corpus as content/ and config.yaml."""
    root = tmp_path_factory.mktemp("corpus")
    try:
        # The bundled subset, so that every checkout measures the same thing; the full shared
        # corpus with CORPUS_DIR=../shared/corpus (its figures are in docs/benchmarks.md).
        make_corpus_project(root, os.environ.get("CORPUS_DIR") or BUNDLED)
    except CorpusMissing as error:  # a missing corpus is a failure, never a skip
        pytest.fail(str(error))
    return root


@pytest.fixture(scope="module")
def built_corpus(corpus_project):
    """The corpus project built into site/ (only the test that searches it needs the build)."""
    result = build_site(corpus_project)
    assert result.returncode == 0, result.stderr[-4000:]
    return corpus_project / "site"


@pytest.fixture(scope="module")
def records(corpus_project):
    """The search records of the corpus site, built like the `records` fixture of test_search.py."""
    return corpus_records(corpus_project)


@pytest.fixture(scope="module")
def corpus_search(built_corpus, records, browser_site):
    """Every query of the set run on the served site: [(query item, Scores)]."""
    from browser import serve

    _, browser = browser_site  # the browser only: the site is the corpus's
    with serve(built_corpus) as origin:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        measured = measure(page, origin, records, QUERIES, synonym_groups(built_corpus))
        page.close()
        assert errors == [], errors
    return measured


def test_the_query_set_covers_every_group_with_pages_to_find(records):
    assert len(QUERIES) >= 45
    assert {item["group"] for item in QUERIES} <= set(GROUPS)
    assert {"phrase", "natural", "number"} <= {item["group"] for item in QUERIES}
    searchable = prenormalized(records)
    sizes = {item["q"]: len(relevant(searchable, query_words(item))) for item in QUERIES}
    assert not [q for q, n in sizes.items() if n == 0], f"queries no page of {corpus_dir()} is relevant to"
    assert not [q for q, n in sizes.items() if n > 50], "relevance sets too large to judge ten results by"


@pytest.mark.long  # the corpus built and searched: run first, so that no worker starts it near the end
def test_every_group_finds_its_pages_in_the_top_ten(corpus_search):
    table, figures = group_table(corpus_search)
    print(f"\nsearch quality on {corpus_dir()} ({len(corpus_search)} queries)\n{table}")
    failing = [(item, scores) for item, scores in corpus_search if scores.precision < TARGET or scores.recall < TARGET]
    for item, scores in failing:
        print(query_line(item, scores), "top:", scores.top[:5])
    empty = [item["q"] for item, scores in corpus_search if scores.relevant and not scores.results]
    below = {name: group for name, group in figures.items()
             if group["precision"] < TARGET or group["recall"] < TARGET}
    assert not empty and not below, (
        f"groups below P@10/R@10 {TARGET}: "
        + "; ".join(f"{name} P@10 {g['precision']:.3f} R@10 {g['recall']:.3f}" for name, g in below.items())
        + (f"; no results at all for: {'、'.join(empty)}" if empty else "")
        + "\n" + "\n".join(query_line(item, scores) for item, scores in failing))


def test_an_absent_corpus_is_an_error_that_says_where_it_looked(tmp_path):
    with pytest.raises(CorpusMissing, match="corpus not found"):
        make_corpus_project(tmp_path / "project", tmp_path / "no-corpus")
