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
phrase sit at consecutive positions in any page that contains it: the browser checks that.

Traditional characters are folded to simplified first (fold.py), on both sides.

static/search-tokens.js carries the same rules; tests check that both give the same tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .fold import fold

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
LATIN = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
PIECE = re.compile(f"([{HAN}]+)|([{LATIN}]+)")
LOOKS_LIKE_TOKEN = re.compile(r"(?:[a-z]{4}(?:[a-z]{4}|z)?|n[q-z]+n)0*")
DIGITS = re.compile(r"[0-9]+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
DIGIT_LETTERS = str.maketrans("0123456789", "qrstuvwxyz")


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


def query_tokens(query: str) -> list[str]:
    """What to search for: Latin words and numbers as indexed, and a Han run's bigrams, then
    - its end token when more follows in the same word (济天政办发〔2022〕: the run ends there in
      the page too, so the tokens of the whole 文号 stay side by side);
    - nothing when the run ends the word: the page may go on (政务公 in 政务公开); the bigrams
      already sit side by side wherever it is written;
    - for a run of one character at the end, its bare spelling, a prefix of every token that
      starts with it. Only there: a prefix makes Pagefind merge the postings of every word that
      starts with that character, which for 开 over ten thousand pages takes minutes."""
    found: list[str] = []
    for chunk in query.split():
        pieces = PIECE.findall(fold(chunk))
        for index, (han, latin) in enumerate(pieces):
            if not han:
                found.append(_latin(latin).lower())
                continue
            run = _run_tokens(han)
            if index < len(pieces) - 1:
                found.extend(run)  # the run ends here in the page too: its end token is exact
            elif len(han) > 1:
                found.extend(run[:-1])
            else:
                found.append(spell(han))  # a prefix: the character as a bigram's first, or alone
    return found
