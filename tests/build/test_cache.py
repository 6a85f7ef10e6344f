"""The one cache (disclosure/orchestrate/cache.py): a SQLite database holding data, never code.
What one build keeps the next finds again; a pickle planted in any row is never unpickled; a
database that is damaged, foreign, locked, full or left by the pickle-and-pack versions costs
time only, and the site is always the clean build's, byte for byte."""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from build_helpers import build, clean_tree, generated, tree
from conftest import ROOT, SEED_DOC
from disclosure.orchestrate import cache
from disclosure.orchestrate.cache import Store


def _db(project: Path) -> Path:
    return project / ".cache" / cache.FILE


def _counts(run) -> tuple[int, int, int, int]:
    loads = re.search(r"读取缓存 命中 (\d+)，重新解析 (\d+)", run.out)
    texts = re.search(r"正文缓存 命中 (\d+)，新转换 (\d+)", run.out)
    return int(loads[1]), int(loads[2]), int(texts[1]), int(texts[2])


def test_one_database_file_holds_every_kind_of_entry(built_project, capsys, monkeypatch):
    project = built_project  # built once with its cache into project/site
    # One file, its log folded in when the build closed it: what CI keeps is whole.
    assert sorted(p.name for p in (project / ".cache").iterdir()) == [cache.FILE]
    with sqlite3.connect(_db(project)) as db:
        assert {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == set(cache.TABLES)
        assert db.execute("SELECT count(*) FROM sources").fetchone()[0] > 10
        assert db.execute("SELECT count(*) FROM markdown").fetchone()[0] > 10
        kinds = {kind for (kind,) in db.execute("SELECT kind FROM records")}
        assert kinds == {"manifest", "digests"}
        for (value,) in db.execute("SELECT model FROM sources UNION ALL SELECT outcome FROM markdown "
                                   "UNION ALL SELECT value FROM records"):
            assert value[:1] in (b"[", b"{") and not value.startswith(b"\x80")  # JSON, not a pickle
    again = build(capsys, monkeypatch, project, project / "other")
    loaded, parsed, read, rendered = _counts(again)
    assert (parsed, rendered) == (0, 0) and loaded > 10 and read > 10


def test_every_key_includes_the_code_fingerprint(built_project, capsys, monkeypatch):
    """One key scheme: other code (another fingerprint) finds nothing of this code's cache."""
    project = built_project  # built once with its cache into project/site
    monkeypatch.setattr(cache, "fingerprint", lambda: "other code")
    run = build(capsys, monkeypatch, project, project / "other")
    loaded, _, read, _ = _counts(run)
    assert (loaded, read) == (0, 0), run.out


def test_the_fingerprint_covers_every_source_file_and_the_libraries():
    package = ROOT / "disclosure"
    probe = [path for path in package.rglob("*.py") if "__pycache__" not in path.parts]
    assert len(probe) > 30
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from disclosure.orchestrate import cache; "
              "print(cache.fingerprint())")
    before = subprocess.run([sys.executable, "-c", script, str(ROOT)], capture_output=True, text=True, check=True)
    assert before.stdout.strip() == cache.fingerprint()
    from importlib import metadata

    for module, distribution in cache.LIBRARIES.items():
        assert cache._version(module, distribution) == metadata.version(distribution)


# --- pickles are never read ---------------------------------------------------------------------


class _Planted:
    """Unpickled, this creates the file `planted` names: proof that loading ran code."""

    def __init__(self, planted: Path):
        self.planted = planted

    def __reduce__(self):
        return (open, (str(self.planted), "w"))


def test_a_pickle_planted_in_every_row_is_never_unpickled(built_project, capsys, monkeypatch):
    """Every value of every row replaced by a pickle that would create a file when loaded, each
    with a valid checksum (a checksum is no signature: a forger can make one), and the load
    cache's row for a file whose bytes still match: nothing is run, the site is the clean one."""
    from disclosure.errors import Problems
    from disclosure.load.config import load_config
    from disclosure.orchestrate.loadcache import LoadCache

    project = built_project  # built once with its cache into project/site
    site = project / "site"
    planted = project / "planted"
    payload = pickle.dumps(_Planted(planted), protocol=pickle.HIGHEST_PROTOCOL)
    with sqlite3.connect(_db(project)) as db:
        rows = db.execute("SELECT folder, path, key FROM sources").fetchall()
        for folder, path, key in rows:
            db.execute("UPDATE sources SET model = ?, notes = ?, checksum = ? WHERE folder = ? AND path = ?",
                       (payload, payload, cache.checksum(path.encode(), key.encode(), payload, payload), folder, path))
        for (key,) in db.execute("SELECT key FROM markdown").fetchall():
            db.execute("UPDATE markdown SET outcome = ?, html = ?, checksum = ? WHERE key = ?",
                       (payload, payload, cache.checksum(key.encode(), payload), key))
        for kind, name in db.execute("SELECT kind, name FROM records").fetchall():
            db.execute("UPDATE records SET value = ?, checksum = ? WHERE kind = ? AND name = ?",
                       (payload, cache.checksum(kind.encode(), name.encode(), payload), kind, name))
        assert len(rows) > 10
    # A model that is a hit by its file's bytes and scope, with a pickle where the JSON belongs.
    config = load_config(project / "config.yaml", Problems())
    doc = project / "content/documents/2022" / f"{SEED_DOC}.md"
    loaded = LoadCache(project / ".cache", config, project / "content")
    loaded.put(doc, LoadCache.key_of(doc), payload, [], [])
    loaded.seen = set(loaded.entries)
    assert loaded.save()
    cache.close_all()
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    assert not planted.exists()
    assert tree(site) == clean_tree(capsys, monkeypatch, project)


def test_the_model_codec_refuses_anything_but_the_content_model():
    from disclosure.load import codec as loadcache

    page = loadcache.decode_model(b'["Page", ["x", "p", "t", 1, "", null, false, "", 1, "", ""]]', config=None)
    assert page.path == Path("p") and page.order == 1
    for data in (pickle.dumps(_Planted(Path("/nonexistent/x"))), pickle.dumps(os.system), b"", b"[]", b"{}",
                 b'["Config", []]', b'["Document", []]', b'["Page", ["x", "p", "t", "1", "", null, false, "", 1, "", ""]]',
                 b'["Page", ["x", "p", "t", 1, "", 99999999999, false, "", 1, "", ""]]',
                 b'["Page", ["x", "p", "t", 1, "", null, false, "", 1, ""]]', b"[" * 100000):
        with pytest.raises(loadcache.Damaged):
            loadcache.decode_model(data, config=None)


def _same(a, b, where: str) -> None:
    assert type(a) is type(b), (where, type(a), type(b))
    if dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            if field.name in ("table", "in_area", "in_catalogue"):  # a part's own holder: a cycle
                assert (getattr(a, field.name) is None) == (getattr(b, field.name) is None), where
            else:
                _same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for x, y in zip(a, b):
            _same(x, y, where)
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for name in a:
            _same(a[name], b[name], f"{where}[{name}]")
    elif isinstance(a, (str, int, bool, type(None))) or type(a).__module__ in ("datetime", "pathlib"):
        assert a == b, where
    else:  # a vocabulary entry: the very object of the config
        assert a is b, where


def test_every_model_comes_back_as_loading_made_it(tmp_path):
    """Field by field, type by type, and vocabulary entries as the config's own objects."""
    from disclosure.errors import Problems
    from disclosure.load.config import load_config
    from disclosure.load.loader import load_content
    from disclosure.load import codec as loadcache

    content = generated(60)
    config = load_config(ROOT / "config.yaml", Problems())
    references = loadcache.vocabulary_references(config)
    count = 0
    for root in (ROOT / "content", content):
        loaded = load_content(root, config, Problems(), None, 1)
        for model in [m for kind in loaded.by_kind for m in kind]:
            data = loadcache.encode_model(model, references)
            assert data is not None, model.path
            _same(model, loadcache.decode_model(data, config), str(model.path))
            count += 1
    assert count > 70


# --- damaged, foreign, locked, full ------------------------------------------------------------------


def _damage(db: Path, how: str) -> None:
    data = db.read_bytes()
    db.unlink()
    if how == "truncated":
        db.write_bytes(data[: len(data) // 2])
    elif how == "header":
        db.write_bytes(data[:16] + os.urandom(84) + data[100:])
    elif how == "pages":  # every page's middle scrambled: a well-formed file, wrong in places
        page = 4096
        db.write_bytes(b"".join(data[i:i + page // 2] + os.urandom(64) + data[i + page // 2 + 64:i + page]
                                for i in range(0, len(data), page)))
    elif how == "garbage":
        db.write_bytes(os.urandom(len(data)))
    elif how == "foreign":  # somebody else's SQLite database
        with sqlite3.connect(db) as other:
            other.execute("CREATE TABLE markdown (key TEXT, html TEXT)")
            other.execute("INSERT INTO markdown VALUES ('x', '<p>别人的</p>')")
    elif how == "older schema":
        with sqlite3.connect(db) as other:
            other.execute(f"PRAGMA application_id = {cache.APPLICATION_ID}")
            other.execute(f"PRAGMA user_version = {cache.SCHEMA_VERSION + 1}")
            other.execute(cache.TABLES["records"])
    elif how == "link to a device":
        db.symlink_to("/dev/zero")
    elif how == "pipe":
        os.mkfifo(db)
    elif how == "folder":
        db.mkdir()


@pytest.mark.parametrize("how", ["truncated", "header", "pages", "garbage", "foreign", "older schema",
                                 "link to a device", "pipe", "folder"])
def test_a_damaged_or_foreign_database_is_a_miss_and_is_replaced(built_project, capsys, monkeypatch, how):
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    _damage(_db(project), how)
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    assert "Traceback" not in run.out + run.err
    assert tree(site) == clean_tree(capsys, monkeypatch, project)
    # Replaced by a whole new database once the damage is seen: at the latest the build after
    # the next (what the damaged build wrote before it saw the damage went with the old file)
    # finds everything again.
    for attempt in ("again", "once more"):
        again = build(capsys, monkeypatch, project, project / attempt)
        _, parsed, _, rendered = _counts(again)
        if (parsed, rendered) == (0, 0):
            break
    assert (parsed, rendered) == (0, 0), again.out
    assert _db(project).is_file() and not _db(project).is_symlink()


def test_a_cache_locked_by_another_build_costs_time_only(built_project, capsys, monkeypatch):
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    doc = project / "content/documents/2022" / f"{SEED_DOC}.md"
    doc.write_text(doc.read_text("utf-8").replace("区政府各部门：", "区政府各部门（改动）：", 1), "utf-8")
    monkeypatch.setattr(cache, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(_db(project), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another build writing, for longer than this one waits
    try:
        run = build(capsys, monkeypatch, project, site)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run.code == 0, run.err
    assert "缓存" in run.out and "无法写入" in run.out
    monkeypatch.undo()
    assert tree(site) == clean_tree(capsys, monkeypatch, project)


def test_a_full_disk_under_the_cache_costs_time_only(built_project, capsys, monkeypatch):
    """SQLite's own 'database or disk is full' on every write that grows the file."""
    project = built_project  # built once with its cache into project/site
    site = project / "site"
    doc = project / "content/documents/2022" / f"{SEED_DOC}.md"
    doc.write_text(doc.read_text("utf-8").replace("区政府各部门：", "区政府各部门（改动）：", 1)
                   + "\n" + "新增的一大段正文。" * 3000 + "\n", "utf-8")
    prepare = Store._prepare

    def full(self, connection):
        prepare(self, connection)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Store, "_prepare", full)
    run = build(capsys, monkeypatch, project, site)
    assert run.code == 0, run.err
    assert "缓存" in run.out and "无法写入" in run.out
    monkeypatch.undo()
    assert tree(site) == clean_tree(capsys, monkeypatch, project)


def test_a_cache_left_by_the_pickle_versions_is_removed_and_nothing_else(project, capsys, monkeypatch):
    folder = project / ".cache"
    legacy = [folder / "markdown/packs" / "18a3b4c5d6e7f809-1234-0a1b2c3d.pack", folder / "markdown/packs/index.pickle",
              folder / "markdown/outcomes" / ("0" * 24 + ".pickle"), folder / "loaded" / ("a" * 24 + ".pickle"),
              folder / "manifests" / ("b" * 16 + ".manifest"), folder / "manifests" / ("b" * 16 + ".search"),
              folder / "digests.pickle", folder / "markdown/3f" / ("3f" + "0" * 62 + ".json")]
    kept = [folder / "markdown/notes.txt", folder / "preview/index.html", folder / "loaded/README"]
    for path in legacy + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(_Planted(project / "planted")))
    assert build(capsys, monkeypatch, project, project / "site").code == 0
    assert not [path for path in legacy if path.exists()]
    assert all(path.exists() for path in kept)
    assert not (folder / "manifests").exists() and not (folder / "markdown/packs").exists()
    assert not (project / "planted").exists()


def test_workers_read_what_the_build_wrote_and_no_connection_crosses_a_fork(tmp_path):
    from disclosure.orchestrate.forkpool import fork_pool

    store = Store.at(tmp_path)
    assert store.put_record("test", "a", b'"first"')
    assert store.record("test", "a") == b'"first"'  # a connection of this process is open
    assert store._connections
    with fork_pool(2) as pool:
        assert not store._connections, "closed before the fork"
        seen = pool.map(_read_in_worker, [str(tmp_path)] * 4)
        assert store.put_record("test", "a", b'"second"')  # while the workers live
        later = pool.map(_read_in_worker, [str(tmp_path)] * 4)
    assert seen == [b'"first"'] * 4 and later == [b'"second"'] * 4
    cache.close_all()
    Store.forget(tmp_path)


def _read_in_worker(folder: str):
    return Store.at(Path(folder)).record("test", "a")


def test_a_record_with_a_wrong_checksum_is_a_miss(tmp_path):
    store = Store.at(tmp_path)
    assert store.put_record("test", "a", b"[1]")
    cache.close_all()
    with sqlite3.connect(tmp_path / cache.FILE) as db:
        db.execute("UPDATE records SET value = ? WHERE kind = 'test'", (b"[2]",))
    assert store.record("test", "a") is None
    assert store.put_record("test", "a", b"[3]") and store.record("test", "a") == b"[3]"
    cache.close_all()
    Store.forget(tmp_path)


def test_builds_running_side_by_side_share_the_cache(project, tmp_path, capsys, monkeypatch):
    """Two builds at once on one cache (an editor's preview beside `make site`, say): both make
    the clean build's site, and the database they leave serves a later build whole. The two
    run in processes of their own; the clean and the later build in this one."""
    from conftest import EPOCH

    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    common = [sys.executable, str(ROOT / "build.py"), "--content", str(project / "content"),
              "--config", str(project / "config.yaml"), "--cache", str(project / ".cache"), "--jobs", "2"]
    for round_ in range(2):
        runs = [subprocess.Popen([*common, "--output", str(tmp_path / f"site-{round_}-{side}")], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
                for side in range(2)]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 0, err
            assert "Traceback" not in out + err
    clean = clean_tree(capsys, monkeypatch, project)
    for round_ in range(2):
        for side in range(2):
            assert tree(tmp_path / f"site-{round_}-{side}") == clean
    later = build(capsys, monkeypatch, project, tmp_path / "later")
    assert later.code == 0, later.err
    assert re.search(r"读取缓存 命中 \d+，重新解析 0", later.out), later.out
    assert re.search(r"正文缓存 命中 \d+，新转换 0", later.out), later.out
