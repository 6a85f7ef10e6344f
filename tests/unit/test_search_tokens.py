"""Our Chinese search tokens, and indexed text decodes back. The browser half agrees with this one:
tests/browser/test_search_tokens_browser.py."""

from __future__ import annotations

from disclosure.search.tokens import placed, placed_query, query_tokens, spell, tokens


def test_han_runs_become_bigrams_and_a_final_character():
    assert tokens("放管服") == [spell("放") + spell("管"), spell("管") + spell("服"), spell("服") + "z"]
    # A query: bigrams only (the page may go on after 服); a lone character is a bare prefix; a
    # run with more after it in the same word ends there in the page too.
    assert query_tokens("放管服") == [spell("放") + spell("管"), spell("管") + spell("服")]
    assert query_tokens("税") == [spell("税")]
    assert query_tokens("办发〔2022〕") == [spell("办") + spell("发"), spell("发") + "z", "nsqssn"]
    assert query_tokens("2022年") == ["nsqssn", spell("年")]


def test_no_latin_word_or_bigram_is_taken_for_the_end_of_a_run():
    assert tokens("abcdz") == ["abcdz0"]
    assert all(not spell(chr(c)).startswith("z") for c in (0x3400, 0x9FFF, 0x3134F))


def test_latin_words_that_look_like_tokens_are_escaped():
    assert tokens("data H5 book0 nun") == ["data0", "h5", "book00", "nun0"]


def test_numbers_are_one_letter_token_that_does_not_prefix_a_longer_number():
    assert tokens("〔2020〕15号")[:2] == ["nsqsqn", "nrvn"]
    assert not tokens("150")[0].startswith(tokens("15")[0])


def test_every_query_token_is_an_index_token_of_text_containing_the_query():
    text = "为进一步深化“放管服”改革，济天政办发〔2022〕4号要求在2022年底前完成。"
    indexed = set(tokens(text))
    for query in ("放管服", "深化", "济天政办发〔2022〕4号", "2022年底前", "改革"):
        assert all(any(token.startswith(q) for token in indexed) for q in query_tokens(query)), query


def test_index_postings_are_the_placed_tokens():
    import cbor2

    from disclosure.search.postings import batch_postings

    pages = [[("济天政办发〔2022〕4号", 168), ("区工信局 H5", 72), ("“放管服”改革，第15项", 24), ("國務院辦公廳", 24)]]
    words, counts = batch_postings(pages, 0)
    seen = {}
    for word, count, first, _, blob in words:
        (delta, locations), = cbor2.loads(bytes([0x81, 0x82]) + cbor2.dumps(first) + blob)
        weight, position = None, 0
        for value in locations:
            if value < 0:
                weight, position, absolute = -value - 1, 0, True
                continue
            position = value if absolute else position + value
            absolute = False
            seen[position] = (word, weight)
    expected = [(t, w) for text, w in pages[0] for t in tokens(text)]
    assert [seen[p] for p in sorted(seen)] == expected and counts == [len(expected)]
    page_text = "".join(text + "\n" for text, _ in pages[0])
    assert sorted(seen) == [position for _, position in placed(page_text)]


def test_a_query_sits_in_a_page_at_the_distances_it_is_placed():
    page = dict((p, t) for t, p in placed("为进一步深化“放管服”改革，济天政办发〔2022〕4号要求在2022年底前完成。食品、安全"))
    for query in ("放管服", "深化", "济天政办发〔2022〕4号", "2022年底前", "改革，济天", "食品、安全"):
        wanted = placed_query(query)
        assert any(all(page.get(base + at, "").startswith(token) for token, at in wanted) for base in page), query
    assert not any(all(page.get(base + at, "").startswith(token) for token, at in placed_query("食品安全"))
                   for base in page)


def test_a_clause_break_keeps_the_words_on_either_side_apart():
    together, apart = dict(placed("食品安全")), placed("食品、安全。")
    assert together == {"cfxfbgcn": 0, "bgcnbirh": 1, "birhbevo": 2, "bevoz": 3}
    assert [p for _, p in apart] == [0, 1, 3, 4]  # 安全 one further: not side by side with 食品
    assert [p for _, p in placed("〔2022〕4号")] == [0, 1, 2]  # brackets are not breaks


def test_traditional_characters_are_simplified_ones_on_both_sides():
    from conftest import ROOT
    from disclosure.search.fold import javascript

    assert tokens("政務公開") == tokens("政务公开") and query_tokens("國務院辦公廳") == query_tokens("国务院办公厅")
    assert len(tokens("國務院辦公廳")) == len("國務院辦公廳")  # one for one: positions stay put
    generated = ROOT / "templates" / "static" / "search-fold.js"
    assert generated.read_text("utf-8") == javascript(), "run python -m disclosure.search.fold " + str(generated)
