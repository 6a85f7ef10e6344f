"""The Markdown cache's pack files (disclosure/orchestrate/packs.py): what was saved is found again, anything
damaged or missing reads as a miss, and the packs do not grow without bound."""

from __future__ import annotations

import os

from disclosure.orchestrate import packs
from disclosure.orchestrate.packs import PackStore


def test_entries_saved_by_one_build_are_found_by_the_next(tmp_path):
    store = PackStore(tmp_path)
    store.add("a" * 64, "第一条".encode())
    worker = PackStore(tmp_path)  # as a forked worker: writes its own pack, hands back where
    worker.add("b" * 64, b"second")
    store.merge(worker.flush())
    store.save({"a" * 64, "b" * 64})
    again = PackStore(tmp_path)
    assert again.get("a" * 64) == "第一条".encode()
    assert again.get("b" * 64) == b"second"
    assert again.get("c" * 64) is None


def test_a_damaged_or_missing_pack_is_a_miss_not_an_error(tmp_path):
    store = PackStore(tmp_path)
    store.add("a" * 64, b"x" * 100)
    store.add("b" * 64, b"y" * 100)
    store.save({"a" * 64, "b" * 64})
    pack = next((tmp_path / "packs").glob("*.pack"))
    data = pack.read_bytes()
    pack.write_bytes(data[: len(data) - 10])  # the second entry cut short
    again = PackStore(tmp_path)
    assert again.get("a" * 64) == b"x" * 100
    assert again.get("b" * 64) is None
    pack.write_bytes(b"b" * 64 + b"\n" + b"x" * 100 + data[165:])  # an entry whose key is not the one asked for
    assert PackStore(tmp_path).get("a" * 64) is None
    pack.unlink()
    assert PackStore(tmp_path).get("a" * 64) is None
    (tmp_path / "packs" / packs.INDEX).write_bytes(b"not a pickle")
    assert PackStore(tmp_path).get("a" * 64) is None


def test_packs_are_compacted_to_what_the_last_build_used(tmp_path, monkeypatch):
    monkeypatch.setattr(packs, "_MIN_COMPACT_BYTES", 1000)
    keys = [f"{n:064x}" for n in range(40)]
    store = PackStore(tmp_path)
    for key in keys:
        store.add(key, key.encode() * 4)
    store.save(set(keys))
    # A later build uses only five texts: the packs hold eight times that, so they are rewritten.
    store = PackStore(tmp_path)
    used = set(keys[:5])
    for key in used:
        assert store.get(key) == key.encode() * 4
    store.add("f" * 64, b"new")
    store.save(used | {"f" * 64})
    left = list((tmp_path / "packs").glob("*.pack"))
    assert len(left) == 1
    assert left[0].stat().st_size < 6 * (65 + 256)
    again = PackStore(tmp_path)
    assert all(again.get(key) == key.encode() * 4 for key in used) and again.get("f" * 64) == b"new"
    assert again.get(keys[10]) is None


def test_a_pack_no_index_names_is_removed_once_it_is_old(tmp_path):
    store = PackStore(tmp_path)
    store.add("a" * 64, b"kept")
    store.save({"a" * 64})
    orphan = tmp_path / "packs" / "orphan.pack"  # left by a build that was killed before saving
    orphan.write_bytes(b"z")
    young = tmp_path / "packs" / "young.pack"  # perhaps a build running beside this one
    young.write_bytes(b"z")
    old = orphan.stat().st_mtime - 2 * packs._ORPHAN_SECONDS
    os.utime(orphan, (old, old))
    store = PackStore(tmp_path)
    store.add("b" * 64, b"more")
    store.save({"a" * 64, "b" * 64})
    assert not orphan.exists() and young.exists()
    assert PackStore(tmp_path).get("a" * 64) == b"kept"


def test_saving_closes_the_packs_it_read(tmp_path):
    """The preview server builds again and again in one process: no build may leave files open."""
    store = PackStore(tmp_path)
    store.add("a" * 64, b"x")
    store.save({"a" * 64})
    opened = len(os.listdir("/proc/self/fd"))
    store = PackStore(tmp_path)
    assert store.get("a" * 64) == b"x"
    assert len(os.listdir("/proc/self/fd")) == opened + 1
    store.save({"a" * 64})
    assert len(os.listdir("/proc/self/fd")) == opened
    assert store.get("a" * 64) == b"x"  # opened again when asked


def test_a_cache_from_before_the_packs_is_cleared_away(tmp_path, capsys, monkeypatch):
    import time

    from build_helpers import cli

    cache = tmp_path / "cache"
    loose = cache / "markdown" / "3f"
    loose.mkdir(parents=True)
    (loose / ("3f" + "0" * 62 + ".json")).write_text('{"html": "<p>旧</p>", "resolves": [], "warnings": []}', "utf-8")
    keep = cache / "markdown" / "outcomes"
    run = cli(capsys, monkeypatch, "--output", str(tmp_path / "site"), "--cache", str(cache), "--no-search", "--jobs", "1")
    assert run.code == 0, run.err
    deadline = time.monotonic() + 10
    while loose.exists() and time.monotonic() < deadline:  # removed by a detached rm
        time.sleep(0.1)
    assert not loose.exists()
    assert keep.is_dir() and list((cache / "markdown" / "packs").glob("*.pack"))
