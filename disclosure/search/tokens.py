"""Search tokens for Chinese text, the same when indexing and in the browser.

Pagefind 1.5 segments Chinese with jieba when indexing and with the browser's Intl.Segmenter when
searching; where the two disagree a word cannot be found (upstream issue 1237). So we segment
ourselves, the classic CJK way: each run of Han characters becomes its overlapping bigrams plus
its last character, and any substring a reader types is then a sequence of indexed tokens.

Tokens are spelled in lower-case letters only, which the browser's segmenter and Pagefind's query
handling leave whole (Pagefind splits words where letters meet digits): a Han character is four
letters (its code point in base 26, always starting a–l), a number is its digits as the letters
q–z between two n's (so that prefix matching cannot take 15 for 150 in 〔2020〕15号). A Latin word
that could be mistaken for a token gets a trailing 0.

The last character of a run is indexed as its spelling and a z (the end of a run), which no bigram
starts with. A query's tokens are its runs' bigrams (see query_tokens), so that the tokens of a
phrase sit at the same distances in any page that contains it: the browser checks that. A token's
position counts the tokens before it and the clause and sentence breaks (BREAKS) before it, so
words a page writes on either side of a comma or a full stop are not side by side (placed).

Traditional characters are folded to simplified first (fold.py), on both sides.

static/search-tokens.js carries the same rules; tests check that both give the same tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..load.characters import PIECE
from .fold import fold

LOOKS_LIKE_TOKEN = re.compile(r"(?:[a-z]{4}(?:[a-z]{4}|z)?|n[q-z]+n)0*")
DIGITS = re.compile(r"[0-9]+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
DIGIT_LETTERS = str.maketrans("0123456789", "qrstuvwxyz")
# Where a clause or a sentence ends (and the line breaks between a page's parts): each one takes a
# position. Brackets, quotes and spaces do not: 〔2022〕 and 《条例》 stay side by side.
BREAKS = "\n\r,.;:!?，。、；：！？…｡．"


@functools.lru_cache(maxsize=None)
def spell(char: str) -> str:
    """A Han character as four letters (its code point in base 26)."""
    number, letters = ord(char), []
    for _ in range(4):
        number, digit = divmod(number, 26)
        letters.append(LETTERS[digit])
    return "".join(reversed(letters))


END = "z"  # after a character's spelling: the end of a run (no Han character's spelling starts with z)


def _run_tokens(run: str) -> list[str]:
    spelled = [spell(c) for c in run]
    return [a + b for a, b in zip(spelled, spelled[1:])] + [spelled[-1] + END]


def _latin(word: str) -> str:
    word = unicodedata.normalize("NFKC", word)
    if DIGITS.fullmatch(word):
        return "n" + word.translate(DIGIT_LETTERS) + "n"
    return word + "0" if LOOKS_LIKE_TOKEN.fullmatch(word.lower()) else word


def tokens(text: str) -> list[str]:
    """The words a text is indexed under, in order (postings.py finds the same with numpy)."""
    found: list[str] = []
    for han, latin in PIECE.findall(fold(text)):
        found.extend(_run_tokens(han) if han else [_latin(latin).lower()])
    return found


def placed(text: str) -> list[tuple[str, int]]:
    """tokens(text) with the position of each (postings.py computes the same with numpy)."""
    found: list[tuple[str, int]] = []
    folded = fold(text)
    breaks, last = 0, 0
    for match in PIECE.finditer(folded):
        breaks += sum(char in BREAKS for char in folded[last:match.start()])
        last = match.end()
        han, latin = match.groups()
        for token in _run_tokens(han) if han else [_latin(latin).lower()]:
            found.append((token, len(found) + breaks))
    return found


def query_tokens(query: str) -> list[str]:
    """What to search for: Latin words and numbers as indexed, and a Han run's bigrams, then
    - its end token when more follows in the same word (济天政办发〔2022〕: the run ends there in
      the page too, so the tokens of the whole 文号 stay side by side);
    - nothing when the run ends the word: the page may go on (政务公 in 政务公开); the bigrams
      already sit side by side wherever it is written;
    - for a run of one character at the end, its bare spelling, a prefix of every token that
      starts with it. Only there: a prefix makes Pagefind merge the postings of every word that
      starts with that character."""
    return [token for chunk in query.split() for token, _ in placed_query(chunk)]


def placed_query(chunk: str) -> list[tuple[str, int]]:
    """query_tokens of one space-free part of a query, each with the position it takes counted
    from the part's start, as placed() counts them in a page."""
    found: list[tuple[str, int]] = []
    folded = fold(chunk)
    matches = list(PIECE.finditer(folded))
    position, last = 0, 0
    for index, match in enumerate(matches):
        position += sum(char in BREAKS for char in folded[last:match.start()])
        last = match.end()
        han, latin = match.groups()
        if not han:
            found.append((_latin(latin).lower(), position))
            position += 1
            continue
        run = _run_tokens(han)
        if index < len(matches) - 1:
            chosen = run  # the run ends here in the page too: its end token is exact
        elif len(han) > 1:
            chosen = run[:-1]
        else:
            chosen = [spell(han)]  # a prefix: the character as a bigram's first, or alone
        found.extend((token, position + i) for i, token in enumerate(chosen))
        position += len(han)
    return found
