"""Our Chinese search tokens: the Python and browser halves agree, and indexed text decodes back."""

from __future__ import annotations

import unicodedata

import pytest

from browser import chromium, serve
from disclosure.search.tokens import encode, query_tokens, spell, tokens

SAMPLES = [
    "放管服", "财政专项资金", "济天政办发〔2022〕4号", "区工信局", "2022年政务公开", "税", "H5动画",
    "data book0 Data nun", "ＡＢ１２", "第15项 150 2024年", "12345市民服务热线", "“双随机、一公开”", "𠀀𪚥", "政务公开 2022",
]


def test_han_runs_become_bigrams_and_a_final_character():
    assert tokens("放管服") == [spell("放") + spell("管"), spell("管") + spell("服"), spell("服")]
    assert query_tokens("放管服") == [spell("放") + spell("管"), spell("管") + spell("服"), spell("服")]
    assert query_tokens("税") == [spell("税")]


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


@pytest.mark.browser
def test_browser_tokens_match_python_and_decode_restores_the_text(site):
    with serve(site) as origin, chromium() as browser:
        page = browser.new_page()
        page.goto(origin + "/search/")
        js = page.evaluate(
            """async ([samples, encoded]) => {
                const m = await import('/static/search-tokens.js');
                return { tokens: samples.map(m.queryTokens), decoded: encoded.map(m.decode) };
            }""",
            [SAMPLES, [encode(s) for s in SAMPLES]],
        )
    assert js["tokens"] == [query_tokens(s) for s in SAMPLES]
    for original, decoded in zip(SAMPLES, js["decoded"]):
        assert decoded.replace(" ", "") == unicodedata.normalize("NFKC", original).replace(" ", "")
