"""The search index writer: the same records give the same bytes however they are batched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest


def digest_tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_batching_and_workers_do_not_change_the_index(search_records, tmp_path, monkeypatch):
    import disclosure.search.writer as writer
    from disclosure.orchestrate.forkpool import fork_pool

    writer.write_index(search_records, tmp_path / "whole", "/", jobs=1)
    monkeypatch.setattr(writer, "BATCH", 7)  # many batches, merged across pages and workers
    writer.write_index(search_records, tmp_path / "batched", "/", jobs=2, pool=fork_pool)
    whole, batched = digest_tree(tmp_path / "whole"), digest_tree(tmp_path / "batched")
    assert whole == batched and len(whole) > len(search_records)


def test_index_files_are_named_by_their_content(search_records, tmp_path):
    import gzip

    from disclosure.search.writer import write_index

    write_index(search_records, tmp_path, "/", jobs=1)
    for path in (tmp_path / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert path.stem == "zh_" + hashlib.sha256(data[len(b"pagefind_dcd"):]).hexdigest()[:12]


def test_bulk_cbor_heads_are_the_single_heads_joined():
    import numpy as np

    from disclosure.search import cbor

    rng = np.random.default_rng(7)
    edges = [0, 1, 23, 24, 25, 255, 256, 257, 65535, 65536, 65537, 2**32 - 1]
    values = np.concatenate([edges, rng.integers(0, 24, 500), rng.integers(0, 300, 200), rng.integers(0, 70_000, 100),
                             rng.integers(0, 2**32, 50)])
    majors = rng.integers(0, 5, len(values))
    data, starts = cbor.encode_heads(majors, values)
    heads = [cbor.head(int(major), int(value)) for major, value in zip(majors, values)]
    assert data.tobytes() == b"".join(heads)
    assert starts.tolist() == np.cumsum([0] + [len(h) for h in heads[:-1]]).tolist()
    assert cbor.encode_heads(np.array([], np.int64), np.array([], np.int64))[0].tobytes() == b""
    with pytest.raises(ValueError):
        cbor.encode_heads(np.array([0]), np.array([2**32]))


def test_the_shipped_pagefind_files_are_the_vendored_release(tmp_path, monkeypatch):
    from disclosure.search import assets

    entry = json.loads((assets.VENDOR / "pagefind-entry.json").read_text("utf-8"))
    script = (assets.VENDOR / "pagefind.js").read_text("utf-8")
    assert f'version="{entry["version"]}"' in script
    # A vendored file changed by hand (or half-copied) stops the build instead of shipping.
    copy = tmp_path / "pagefind"
    shutil.copytree(assets.VENDOR, copy)
    (copy / "wasm.unknown.pagefind").write_bytes(b"\0asm")
    monkeypatch.setattr(assets, "VENDOR", copy)
    assets._checked.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="SHA256SUMS"):
            assets.copy_assets(tmp_path)
    finally:
        assets._checked.cache_clear()


def test_a_character_whose_words_fill_several_chunks_lists_the_later_ones(search_records, tmp_path, monkeypatch):
    import disclosure.search.writer as writer

    monkeypatch.setattr(writer, "CHUNK_BYTES", 2048)
    writer.write_index(search_records, tmp_path, "/", jobs=1)
    entry = json.loads((tmp_path / "pagefind-entry.json").read_text("utf-8"))
    continued = json.loads((tmp_path / entry["continued"]).read_text("utf-8"))
    from disclosure.search.tokens import spell

    # 政 starts hundreds of bigrams in the bundled content: far more than one 2 KiB chunk.
    assert len(continued[spell("政")]) >= 2
    assert all(word.startswith(spell("政")) for word in continued[spell("政")])
