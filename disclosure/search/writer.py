"""Writing the search index in Pagefind's own format, for Pagefind's search code in the browser.

Pagefind's own indexer needs time and memory in proportion to all our records at once (our Chinese
tokens are many; figures in docs/benchmarks.md, 设计时量过的数字), which at 100,000 documents would
not fit in memory. The format is small and stable
within a version (pinned), so we write it directly: records are tokenised in batches on every core
(postings.py, numpy), each batch's postings go to a spill file, and a merge streams the words in
order into index chunks. Memory stays bounded by the batch size, and the output is byte-identical
for the same records. Pagefind's own browser files (pagefind.js, its worker and WebAssembly) are
vendored at a pinned release (assets.py).

Files, as Pagefind 1.6 reads them (pagefind_web/src): every data file is gzip of
"pagefind_dcd" + CBOR, except fragments (JSON). The meta file lists pages [fragment, word count,
""] (the third as Pagefind's indexer writes it),
index chunks [first word, last word, file], filters [name, file], sorts [name, pages] and meta
fields; a chunk holds words [word, pages [page delta, locations], variants]; a filter file holds
[name, [value, pages]].
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import os
import pickle
import re
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from . import cbor
from .assets import copy_assets, include_characters, version
from .postings import batch_postings
from .records import Record

VERSION = version()  # the Pagefind whose browser files read what this writes (vendor/pagefind)
FORMAT = f"{VERSION}/8"  # changes when what we write changes (the code fingerprint of orchestrate/cache.py covers it)
LANGUAGE = "zh"
SIGNATURE = b"pagefind_dcd"
CHUNK_BYTES = 48 * 1024
SPELLED = re.compile("[a-l][a-z]{3}")  # a Han character's spelling (tokens.spell)
BATCH = 500  # records per batch: bounds each worker's memory (docs/benchmarks.md, 设计时量过的数字)
PREFIX = 2  # letters: words are merged in groups by their first letters (a Han character spells 4)
SPILL_WORDS = 4096  # words per pickled block of a spill file, so the merge holds only a block per batch
WEIGHT_TITLE, WEIGHT_ELEMENTS, WEIGHT_BODY = 7 * 24, 3 * 24, 24  # Pagefind's scale: 24 is 1.0


def _hash(data: bytes, length: int = 12) -> str:
    return f"{LANGUAGE}_{hashlib.sha256(data).hexdigest()[:length]}"


def _pack(value: bytes, level: int = 6) -> bytes:
    return gzip.compress(SIGNATURE + value, compresslevel=level, mtime=0)


def _sections(record: Record) -> list[tuple[str, int]]:
    title = record.indexed_title or record.title
    return [(f"{title} {record.number}", WEIGHT_TITLE), (record.elements, WEIGHT_ELEMENTS),
            (record.text, WEIGHT_BODY)]


def _fragment(record: Record, href: str, word_count: int) -> bytes:
    data = {
        "url": href,
        "content": record.text,
        "word_count": word_count,
        "filters": {name: sorted(set(values)) for name, values in sorted(record.filters.items())},
        "meta": {"title": record.title, "date": record.date if record.show_date else "",
                 "kind": record.kind, "headline": record.headline, "href": href},
        "anchors": [],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _batch(job) -> tuple[list[int], list[str]]:
    """Tokenise one batch, write its fragments, spill its postings (into spill_dir, by word
    prefix); returns the word counts and fragment names."""
    records, first_page, base, bundle, spill_dir = job
    words, counts = batch_postings([_sections(r) for r in records], first_page)
    names = []
    for record, count in zip(records, counts):
        plain = _fragment(record, base + record.url, count)
        name = _hash(plain)
        (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(_pack(plain))
        names.append(name)
    # One spill file per word prefix, so that the merge can run prefix by prefix on every core.
    for prefix, group in itertools.groupby(words, key=lambda entry: entry[0][:PREFIX]):
        folder = spill_dir / prefix.encode("utf-8").hex()
        folder.mkdir(exist_ok=True)
        group = list(group)
        with (folder / f"{first_page:09d}.pickle").open("wb") as stream:
            for start in range(0, len(group), SPILL_WORDS):
                pickle.dump(group[start:start + SPILL_WORDS], stream, protocol=pickle.HIGHEST_PROTOCOL)
    return counts, names


def _read_spill(path: str):
    with open(path, "rb") as stream:
        while True:
            try:
                block = pickle.load(stream)
            except EOFError:
                return
            yield from block


def _merged_words(spills: list[str]):
    """Every word once, in order, with all its postings: the CBOR of a chunk entry."""
    current, parts, pages, last = None, [], 0, 0
    for word, count, first, final, blob in heapq.merge(*map(_read_spill, spills), key=lambda e: e[0]):
        if word != current:
            if current is not None:
                yield current, b"".join([b"\x83", cbor.text(current), cbor.head(cbor.ARRAY, pages), *parts, b"\x80"])
            current, parts, pages, last = word, [], 0, 0
        parts += [b"\x82", cbor.head(cbor.UINT, first - last), blob]
        pages += count
        last = final
    if current is not None:
        yield current, b"".join([b"\x83", cbor.text(current), cbor.head(cbor.ARRAY, pages), *parts, b"\x80"])


def _write_chunks(bundle: Path, spill_dir: Path, workers: int, pool=None, progress=None) -> list[list[str]]:
    """Index chunks, merged prefix by prefix (in parallel: the merge is most of what is left
    once the batches are tokenised). The chunks of a prefix are the same whichever worker merges
    it, so the index does not depend on the number of cores."""
    prefixes = [(bundle, sorted(str(p) for p in folder.iterdir()))
                for folder in sorted(spill_dir.iterdir(), key=lambda f: f.name)]
    if pool is not None and workers > 1 and len(prefixes) > 1:
        with pool(workers) as running:
            parts = _reporting(running.imap(_prefix_chunks, prefixes), len(prefixes), progress)
    else:
        parts = _reporting(map(_prefix_chunks, prefixes), len(prefixes), progress)
    return [chunk for part in parts for chunk in part]


def _batch_size(result) -> int:
    return len(result[0])  # records in a batch: one word count each


def _reporting(results, total: int, progress, size=lambda result: 1) -> list:
    """The results, in order, telling `progress` how far they have come."""
    done, collected = 0, []
    for result in results:
        collected.append(result)
        done += size(result)
        if progress:
            progress(done, total)
    return collected


def _prefix_chunks(job) -> list[list[str]]:
    """The chunks of the words that share a prefix folder, each about CHUNK_BYTES. A character's
    words (its bigrams and its end token) may span several chunks: see _continued."""
    bundle, spills = job
    chunks, entries, size, first, previous = [], [], 0, "", ""
    for word, entry in _merged_words(spills):
        if entries and size >= CHUNK_BYTES:
            chunks.append(_write_chunk(bundle, first, previous, entries))
            entries, size = [], 0
        if not entries:
            first = word
        entries.append(entry)
        size += len(entry)
        previous = word
    if entries:
        chunks.append(_write_chunk(bundle, first, previous, entries))
    return chunks


def _continued(chunks: list[list[str]]) -> dict[str, list[str]]:
    """For each character whose words run on into later chunks, the first word of each of those.
    A one-character query searches the character's spelling as a prefix, and Pagefind loads one
    chunk for a term; the browser preloads these so that the prefix reaches all of its words."""
    found: dict[str, list[str]] = {}
    for (_, last, _), (first, _, _) in zip(chunks, chunks[1:]):
        if SPELLED.fullmatch(first[:4]) and last[:4] == first[:4]:
            found.setdefault(first[:4], []).append(first)
    return found


def _write_chunk(bundle: Path, first: str, last: str, entries: list[bytes]) -> list[str]:
    plain = b"".join([b"\x81", cbor.head(cbor.ARRAY, len(entries)), *entries])
    name = _hash(SIGNATURE + plain)
    # Level 4: the best size for its speed on our postings (docs/benchmarks.md, 设计时量过的数字;
    # zlib's levels 1–3 match greedily, 4 and up lazily).
    (bundle / "index" / f"{name}.pf_index").write_bytes(_pack(plain, 4))
    return [first, last, name]


def _filters(bundle: Path, records: list[Record]) -> list:
    values: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for page, record in enumerate(records):
        for name, items in record.filters.items():
            for value in sorted(set(items)):
                values[name][value].append(page)
    listed = []
    for name in sorted(values):
        content = cbor.dumps([name, [[value, pages] for value, pages in sorted(values[name].items())]])
        file = _hash(SIGNATURE + content)
        (bundle / "filter" / f"{file}.pf_filter").write_bytes(_pack(content))
        listed.append([name, file])
    return listed


def write_index(records: list[Record], bundle: Path, base_path: str, jobs: int | None = None,
                scratch: Path | None = None, progress=None, pool=None) -> None:
    """Write the Pagefind bundle for `records` (in this order) into `bundle`. `progress(label)`,
    if given, makes a Progress for each step (tokenising records, merging words). `pool(workers,
    **options)` gives a worker pool (the build's forked ones, orchestrate/forkpool.py) for up to
    `jobs` workers; without one, everything runs here. The bundle is the same either way."""
    base = base_path.rstrip("/")
    for folder in ("fragment", "index", "filter"):
        (bundle / folder).mkdir(parents=True, exist_ok=True)
    spill_dir = Path(tempfile.mkdtemp(prefix="search-", dir=scratch))
    try:
        jobs_list = [(records[i:i + BATCH], i, base, bundle, spill_dir) for i in range(0, len(records), BATCH)]
        workers = min(jobs or os.cpu_count() or 1, len(jobs_list)) if pool is not None else 1
        tokenised = progress and progress("搜索索引（分词）")
        if workers > 1:
            # One batch per task and fresh workers now and then: numpy's large arrays go back to
            # the system between batches instead of piling up in a long-lived worker.
            with pool(workers, maxtasksperchild=8) as running:
                results = _reporting(running.imap(_batch, jobs_list), len(records), tokenised, _batch_size)
        else:
            results = _reporting(map(_batch, jobs_list), len(records), tokenised, _batch_size)
        counts = [count for batch_counts, _ in results for count in batch_counts]
        names = [name for _, batch_names in results for name in batch_names]
        chunks = _write_chunks(bundle, spill_dir, workers, pool, progress and progress("搜索索引（合并词表）"))
    finally:
        shutil.rmtree(spill_dir, ignore_errors=True)
    dates = sorted(range(len(records)), key=lambda page: (records[page].date, page))
    meta = cbor.dumps([VERSION, [[name, count, ""] for name, count in zip(names, counts)], chunks,
                       _filters(bundle, records), [["date", dates]], []])
    meta_name = _hash(SIGNATURE + meta, 10)
    (bundle / f"pagefind.{meta_name}.pf_meta").write_bytes(_pack(meta))
    continued = json.dumps(_continued(chunks), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    continued_name = f"{_hash(continued)}.json"
    (bundle / "index" / continued_name).write_bytes(continued)
    # "continued" is ours (search.js reads it); Pagefind reads the rest and ignores it.
    entry = {"version": VERSION, "languages": {LANGUAGE: {"hash": meta_name, "wasm": None,
                                                           "page_count": len(records)}},
             "include_characters": include_characters(), "continued": f"index/{continued_name}"}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                "utf-8")
    copy_assets(bundle)
