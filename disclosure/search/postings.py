"""Tokens and their positions for a batch of search records, computed with numpy.

The tokens are those of tokens.py, found with array operations instead of a loop per character:
every Han character starts one token (the bigram with the next character, or itself at the end
of a run), every run of Latin letters or digits is one token. A position counts the tokens and the
clause and sentence breaks before it (tokens.placed), so the tokens of a phrase sit at the same
distances wherever it is written. The result is, for each word, its postings
as Pagefind's index stores them (CBOR), ready to be merged with other batches.
"""

from __future__ import annotations

import functools

import numpy as np

from . import cbor
from .fold import table
from .tokens import BREAKS, END, _latin, spell

HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
LATIN = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
BIGRAM = 1 << 40  # token ids: a Han character is its code point, a bigram is above this,
LATIN_ID = 1 << 50  # and a Latin word is numbered above this
SEPARATOR = "\n"  # after each section: one of BREAKS
BREAK_CODES = np.array(sorted(map(ord, BREAKS)), np.int64)


def _within(codes: np.ndarray, ranges) -> np.ndarray:
    mask = np.zeros(len(codes), bool)
    for low, high in ranges:
        mask |= (codes >= low) & (codes <= high)
    return mask


@functools.lru_cache(maxsize=1)
def _fold_array() -> np.ndarray:
    """fold.table() as an array indexed by code point, up to the last one it changes."""
    folded = table()
    array = np.arange(max(folded) + 1, dtype=np.int64)
    array[list(folded)] = list(folded.values())
    return array


def _folded(codes: np.ndarray) -> np.ndarray:
    """Traditional characters as simplified ones (fold.py), as tokens.py folds them."""
    array = _fold_array()
    inside = codes < len(array)
    return np.where(inside, array[np.where(inside, codes, 0)], codes)


def word_of(token_id: int, latin_words: list[str]) -> str:
    if token_id >= LATIN_ID:
        return latin_words[token_id - LATIN_ID]
    if token_id >= BIGRAM:
        rest = token_id - BIGRAM
        return spell(chr(rest >> 18)) + spell(chr(rest & 0x3FFFF))
    return spell(chr(token_id)) + END


def batch_postings(sections: list[list[tuple[str, int]]], first_page: int):
    """Postings of a batch of pages (page numbers from `first_page`).

    `sections[i]` is page i's text as (text, weight) pieces, weight on Pagefind's scale (24 = 1).
    Returns the words as (word, number of pages, first page, last page, postings bytes), sorted
    by word (the first page's `[page delta, ` is left for the merge to write), and each page's
    word count."""
    pieces, weights, pages = [], [], []
    for page, page_sections in enumerate(sections):
        for text, weight in page_sections:
            pieces.append(text + SEPARATOR)
            weights.append(weight)
            pages.append(page)
    joined = "".join(pieces)
    codes = _folded(np.frombuffer(joined.encode("utf-32-le"), np.uint32).astype(np.int64))
    lengths = np.fromiter((len(p) for p in pieces), np.int64, len(pieces))
    char_weight = np.repeat(np.array(weights, np.int64), lengths)
    char_page = np.repeat(np.array(pages, np.int64), lengths)

    han = _within(codes, HAN)
    latin = _within(codes, LATIN)
    after = np.append(codes[1:], 0x0A)
    han_after = np.append(han[1:], False)
    latin_before = np.insert(latin[:-1], 0, False)
    latin_after = np.append(latin[1:], False)
    latin_start = latin & ~latin_before
    starts = np.flatnonzero(han | latin_start)

    ids = np.where(han_after, BIGRAM + (codes << 18) + after, codes)[starts]
    latin_words: list[str] = []
    if latin_start.any():
        known: dict[str, int] = {}
        run_ends = np.flatnonzero(latin & ~latin_after) + 1
        latin_slots = np.flatnonzero(latin_start[starts])
        for slot, start, end in zip(latin_slots, np.flatnonzero(latin_start), run_ends):
            word = _latin(joined[start:end]).lower()
            if word not in known:
                known[word] = LATIN_ID + len(latin_words)
                latin_words.append(word)
            ids[slot] = known[word]
    page_of = char_page[starts]
    weight_of = char_weight[starts]
    count_per_page = np.bincount(page_of, minlength=len(sections))
    page_start = np.cumsum(count_per_page) - count_per_page
    breaks = np.isin(codes, BREAK_CODES)
    breaks_before = np.cumsum(breaks) - breaks
    first_char = np.searchsorted(char_page, np.arange(len(sections)))
    position = (np.arange(len(starts)) - page_start[page_of]
                + breaks_before[starts] - breaks_before[first_char][page_of])

    order = np.lexsort((position, page_of, ids))
    ids, page_of, weight_of, position = ids[order], page_of[order], weight_of[order], position[order]
    words = _encode(ids, page_of + first_page, weight_of, position, latin_words)
    return words, count_per_page.tolist()


def _encode(ids, pages, weights, positions, latin_words):
    """CBOR postings per word: for each page, [page delta, [-(weight+1), position, delta, …]]."""
    rows = len(ids)
    if rows == 0:
        return []
    changed = np.ones(rows, bool)
    new_word = changed.copy()
    new_word[1:] = ids[1:] != ids[:-1]
    new_page = new_word.copy()
    new_page[1:] |= pages[1:] != pages[:-1]
    new_weight = new_page.copy()
    new_weight[1:] |= weights[1:] != weights[:-1]

    group = np.cumsum(new_page) - 1  # one group per (word, page)
    tokens_in_group = np.bincount(group)
    weights_in_group = np.bincount(group, weights=new_weight).astype(np.int64)
    locs_length = tokens_in_group + weights_in_group

    later_page = new_page & ~new_word  # the merge writes the first page's delta of each word
    slots = 1 + new_weight + new_page + 2 * later_page
    ends = np.cumsum(slots)
    base = ends - slots
    majors = np.empty(int(ends[-1]), np.int64)
    values = np.empty(int(ends[-1]), np.int64)

    previous_page = np.concatenate(([0], pages[:-1]))
    at = base[later_page]
    majors[at], values[at] = cbor.ARRAY, 2
    majors[at + 1], values[at + 1] = cbor.UINT, (pages - previous_page)[later_page]
    at = base[new_page] + 2 * later_page[new_page]
    majors[at], values[at] = cbor.ARRAY, locs_length
    at = ends[new_weight] - 2
    majors[at], values[at] = cbor.NEGINT, weights[new_weight]
    previous_position = np.concatenate(([0], positions[:-1]))
    majors[ends - 1] = cbor.UINT
    values[ends - 1] = np.where(new_weight, positions, positions - previous_position)

    data, item_starts = cbor.encode_heads(majors, values)
    word_rows = np.flatnonzero(new_word)
    byte_starts = item_starts[base[word_rows]]
    byte_ends = np.append(byte_starts[1:], len(data))
    pages_in_word = np.add.reduceat(new_page.astype(np.int64), word_rows)
    last_rows = np.append(word_rows[1:], rows) - 1
    raw = data.tobytes()
    result = [
        (word_of(int(ids[row]), latin_words), int(count), int(pages[row]), int(pages[last]), raw[start:end])
        for row, last, count, start, end in zip(word_rows, last_rows, pages_in_word, byte_starts, byte_ends)
    ]
    result.sort(key=lambda entry: entry[0])
    return result
