"""Rewriting two parts of the bundle Pagefind writes, so that it is stable and prefix-safe.

* Pagefind 1.5.2 writes each filter's values in hash-map order, so the filter files, and the meta
  file and entry that name them by content hash, change on every run (upstream issue 638). We
  sort them and name them by the hash of the sorted content.
* The browser loads only the index chunk whose word range holds a search term; when the words
  starting with a term are split across two chunks, the second chunk's matches are lost. Our
  one-character queries are such prefixes, so we regroup the words into chunks that never split
  the words sharing their first four letters (one spelled character).

Everything else Pagefind writes is already stable for the same input.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
CHUNK_BYTES = 48 * 1024  # about Pagefind's own chunk size, before compression


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind data file")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, language: str, value, suffix: str, length: int = 7) -> str:
    """Write a Pagefind data file named by the hash of its content; returns the name."""
    plain = SIGNATURE + cbor2.dumps(value)
    name = f"{language}_{hashlib.sha256(plain).hexdigest()[:length]}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(plain, compresslevel=9, mtime=0))
    return name


def _filters(bundle: Path, language: str, listed) -> list:
    filters = []
    for name, old in listed:
        path = bundle / "filter" / f"{old}.pf_filter"
        filter_name, values = _read(path)
        path.unlink()
        values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])
        filters.append([name, _write(bundle / "filter", language, [filter_name, values], ".pf_filter")])
    return sorted(filters, key=lambda f: f[0])


def _chunks(bundle: Path, language: str, listed) -> list:
    words = []
    for _, _, old in listed:
        path = bundle / "index" / f"{old}.pf_index"
        words.extend(_read(path)[0])
        path.unlink()
    words.sort(key=lambda entry: entry[0])
    chunks, current, size = [], [], 0
    for entry in words:
        if current and size >= CHUNK_BYTES and entry[0][:4] != current[-1][0][:4]:
            chunks.append(current)
            current, size = [], 0
        current.append(entry)
        size += len(cbor2.dumps(entry))
    if current:
        chunks.append(current)
    return [[chunk[0][0], chunk[-1][0], _write(bundle / "index", language, [chunk], ".pf_index")] for chunk in chunks]


def rewrite(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        meta_path.unlink()
        meta[2] = _chunks(bundle, language, meta[2])
        meta[3] = _filters(bundle, language, meta[3])
        info["hash"] = _write(bundle, language, meta, "", 10)
        (bundle / info["hash"]).rename(bundle / f"pagefind.{info['hash']}.pf_meta")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
