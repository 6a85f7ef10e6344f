"""Our Chinese search tokens: the browser half (search-tokens.js) gives what the Python half gives."""

from __future__ import annotations

from disclosure.search.tokens import placed_query, query_tokens

SAMPLES = [
    "放管服", "财政专项资金", "济天政办发〔2022〕4号", "区工信局", "2022年政务公开", "税", "H5动画",
    "data book0 Data nun", "ＡＢ１２", "第15项 150 2024年", "12345市民服务热线", "“双随机、一公开”", "𠀀𪚥", "政务公开 2022",
    "政務公開要點", "國務院辦公廳關於印發", "最低生活保障",
]


def test_browser_tokens_match_python(browser_site):
    origin, browser = browser_site
    page = browser.new_page()
    page.goto(origin + "/search/")
    js = page.evaluate(
        """async (samples) => {
            const m = await import('/static/search-tokens.js');
            return samples.map((s) => [m.queryTokens(s),
                s.split(/\\s+/).map((chunk) => m.placedTokens(chunk).map(({ token, at }) => [token, at]))]);
        }""",
        SAMPLES + ["食品、安全。监管", "政务公开，要点", "《条例》第十条:规定"],
    )
    page.close()
    python = [[query_tokens(s), [[list(t) for t in placed_query(chunk)] for chunk in s.split()]]
              for s in SAMPLES + ["食品、安全。监管", "政务公开，要点", "《条例》第十条:规定"]]
    assert js == python
