"""Search on the real index in a real browser: quality, the accessible UI, filters, no-JS, CSP."""

from __future__ import annotations

import gzip
import json
import re

import cbor2
import pytest
from playwright.sync_api import expect

from conftest import ROOT, SEED_DOC, html, load_yaml
from search_quality import DONE, Scores, group_table, prenormalized, relevant, search, summary, synonym_groups

QUERIES = load_yaml(ROOT / "tests" / "search_queries.yaml")


@pytest.fixture(scope="module")
def tabs(browser_site):
    """One browser context for the module's tabs: its cache keeps Pagefind's files between tests."""
    origin, browser = browser_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def watched_tab(browser_site, tabs):
    """A new tab whose console errors and page errors (a CSP violation, a script error) collect in page.errors."""
    page = tabs.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.origin = browser_site[0]
    return page


@pytest.fixture
def page(browser_site, tabs):
    page = watched_tab(browser_site, tabs)
    yield page
    assert page.errors == [], page.errors
    page.close()


@pytest.fixture(scope="module")
def search_tab(browser_site, tabs):
    """One search page for the tests that only search: after the first, each query goes through its
    form, as a reader's next search does, without loading Pagefind again."""
    page = watched_tab(browser_site, tabs)
    yield page
    page.close()


@pytest.fixture
def searching(search_tab):
    yield search_tab
    errors, search_tab.errors[:] = list(search_tab.errors), []
    assert errors == [], errors


GROUPS = {"phrase", "natural", "number", "synonym", "recovery"}


def test_the_query_set_names_its_groups_and_what_each_query_must_hold():
    assert len(QUERIES) >= 120
    assert {item.get("group", "phrase") for item in QUERIES} == GROUPS
    for item in QUERIES:
        assert item.get("group", "phrase") == "phrase" or item.get("words"), f"{item['q']}: no words to judge by"
        assert item["expect"], f"{item['q']}: no page it must find"


@pytest.mark.long
def test_every_group_finds_what_it_must_with_high_precision_and_recall(page, search_records, site):
    measured = []
    groups = synonym_groups(site)
    records = prenormalized(search_records)
    for item in QUERIES:
        results = search(page, page.origin, "/", str(item["q"]))
        score = Scores(str(item["q"]), results, relevant(records, " ".join(map(str, item.get("words") or [item["q"]])), groups))
        missing = [url for url in item["expect"] if url not in score.top]
        assert not missing, f"{item['q']}: expected in the top 10 but missing: {missing}"
        measured.append((item, score))
    table, figures = group_table(measured)
    print("\n" + table)
    empty = [item["q"] for item, score in measured if score.relevant and not score.results]
    assert not empty, f"no results although pages hold the words: {empty}"
    for name, group in figures.items():
        target = 0.99 if name == "phrase" else 0.9
        assert group["precision"] >= target and group["recall"] >= target, f"{name}: {group}"
    figures = summary([score for _, score in measured])
    assert figures["precision@10"] >= 0.95 and figures["recall@10"] >= 0.95


@pytest.mark.parametrize("spelling", [
    "济天政办发〔2022〕4号", "济天政办发[2022]4号", "济天政办发(2022)4号", "济天政办发（2022）4号", "济天政办发【2022】4号",
    "济天政办发［2022］4号", "济天政办发20224号", "济天政办发2022年4号", "济天政办发 2022 4号", "济天政办发〔２０２２〕４号",
    "济天政办发4号",
])
def test_a_document_number_in_any_spelling_finds_its_document_first(searching, spelling):
    results = search(searching, searching.origin, "/", spelling)
    assert results[:1] == [f"/documents/{SEED_DOC}/"], (spelling, results[:3])


def test_sort_by_date_and_browse_by_filter_without_typing(page):
    page.goto(page.origin + "/search/?" + "%E7%B1%BB%E5%9E%8B=%E6%94%BF%E7%AD%96%E6%96%87%E4%BB%B6")  # 类型=政策文件
    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"^找到 \d+ 条符合筛选条件"))
    dates = [d.replace("发布日期：", "") for d in page.locator(".search-result__meta span").all_inner_texts()
             if d.startswith("发布日期")]
    assert dates and dates == sorted(dates, reverse=True)
    status.evaluate("status => { status.textContent = ''; }")  # so that the wait is for the sorted search
    page.select_option("#search-sort", "date-asc")
    expect(status).to_have_text(re.compile(r"^找到"))
    ascending = [d.replace("发布日期：", "") for d in page.locator(".search-result__meta span").all_inner_texts()
                 if d.startswith("发布日期")]
    assert ascending == sorted(ascending)


def test_more_results_come_ten_at_a_time_and_the_first_new_one_takes_the_focus(page):
    page.goto(page.origin + "/search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80")  # 政务公开
    expect(page.locator("#search-status")).to_have_text(DONE)
    results = page.locator(".search-result")
    expect(results).to_have_count(10)
    page.locator("#search-more").click()  # a pointer's click: the button must be visible and not covered
    expect(results).to_have_count(20)
    expect(results.nth(10).locator("a").first).to_be_focused()


def test_results_link_to_tasks_in_their_table(page):
    results = search(page, page.origin, "/", "泉城码")
    assert "/tasks/2022-zhengwu-gongkai-renwu-fenjie/#task-13" in results
    page.locator(".search-result__title a[href$='#task-13']").click()
    expect(page).to_have_url(re.compile("#task-13$"))
    assert page.locator("#task-13").is_visible()


def test_excerpt_shows_the_query_in_readable_text(searching):
    page = searching
    search(page, page.origin, "/", "放管服")
    excerpts = page.locator(".search-result__excerpt").all_inner_texts()
    assert any("“放管服”改革" in text for text in excerpts), excerpts
    assert page.locator(".search-result__excerpt mark").first.inner_text() == "放管服"
    assert not any(re.search(r"\b[a-z]{8}\b", text) for text in excerpts)  # no index tokens leak out


def test_words_found_apart_are_marked_in_titles_and_excerpts(searching):
    page = searching
    search(page, page.origin, "/", "天桥区政务公开要点")
    title = page.locator(".search-result__title a").filter(has_text="工作要点的通知").first
    # The words a title writes side by side are one mark; the others each their own.
    assert title.locator("mark").all_inner_texts() == ["天桥区", "天桥区政务公开", "要点"]
    assert title.inner_text() == "济南市天桥区人民政府办公室关于印发2022年济南市天桥区政务公开工作要点的通知"
    marks = page.locator(".search-result__excerpt mark").all_inner_texts()
    assert {"政务公开", "要点"} <= set(marks), marks


def test_a_word_typed_twice_or_a_leftover_character_does_not_make_a_partial_answer(searching):
    page = searching
    status = page.locator("#search-status")
    search(page, page.origin, "/", "政务公开" * 20)  # more words than the search can tell apart
    assert status.inner_text().startswith("找到"), status.inner_text()
    search(page, page.origin, "/", "政務公開火星 元宇宙")
    notice = status.inner_text()
    assert "只包含部分关键词：政务公开（不含：" in notice and "元" in notice.split("不含：")[1], notice


def test_header_search_box_on_every_page_leads_to_results(page):
    page.goto(page.origin + f"/documents/{SEED_DOC}/")
    page.get_by_role("search").get_by_label("搜索").fill("减税降费")
    page.get_by_role("search").get_by_role("button", name="搜索").click()
    expect(page.locator("#search-status")).to_have_text(DONE)
    assert page.locator(".search-result").count() >= 1


def test_search_page_without_javascript_points_to_browsing(browser_site, site):
    origin, browser = browser_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(origin + "/search/?q=政务公开")
    text = page.locator("main").inner_text()
    assert "搜索需要浏览器启用 JavaScript" in text
    for name in ("按发布机构浏览", "按年份浏览", "按主题浏览"):
        assert page.get_by_role("link", name=name).count() >= 1
    assert not page.locator("#search-app").is_visible()
    context.close()


@pytest.mark.parametrize("width", [360, 320])
def test_search_page_reflows_on_a_phone(browser_site, tabs, width):
    origin, _ = browser_site
    page = tabs.new_page()
    page.set_viewport_size({"width": width, "height": 800})  # before the page loads: as a phone's window
    page.goto(origin + "/search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80")
    expect(page.locator("#search-status")).to_have_text(DONE)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.close()


def test_every_indexed_page_carries_the_date_sort_key(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    (language, info), = entry["languages"].items()
    meta = cbor2.loads(gzip.decompress((site / "pagefind" / f"pagefind.{info['hash']}.pf_meta").read_bytes())[12:])
    sorts = dict((name, pages) for name, pages in meta[4])
    assert sorted(sorts["date"]) == list(range(info["page_count"]))


def test_every_page_ships_a_strict_content_security_policy(site):
    soup = html(site, "/search/")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'self'" in policy and "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
