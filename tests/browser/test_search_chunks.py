"""The search index cut into small chunks finds in a real browser what the index of the build finds."""

from __future__ import annotations

import shutil

import pytest


@pytest.mark.long
def test_one_character_finds_every_page_however_the_index_is_chunked(browser_site, site, search_records, tmp_path, monkeypatch):
    """A lone character is a prefix of its words; with small chunks they span many of them."""
    import disclosure.search.writer as writer
    from browser import serve
    from search_quality import search

    origin, browser = browser_site
    small = tmp_path / "site"
    shutil.copytree(site, small, ignore=shutil.ignore_patterns("pagefind"))
    monkeypatch.setattr(writer, "CHUNK_BYTES", 2048)
    writer.write_index(search_records, small / "pagefind", "/", jobs=1)
    queries = ["政", "开", "区", "4号", "2022年", "济天政办发4号"]
    found = {}
    with serve(small) as small_origin:
        for folder, address in ((site, origin), (small, small_origin)):
            page = browser.new_page()
            found[folder] = [search(page, address, "/", query) for query in queries]
            page.close()
    # The smaller chunk size took effect: many times the chunks (the ratio depends on the content).
    assert len(list((small / "pagefind" / "index").glob("*.pf_index"))) > 2 * len(list((site / "pagefind" / "index").glob("*.pf_index")))
    assert found[small] == found[site] and all(found[site])
