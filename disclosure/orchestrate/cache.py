"""The build's one cache: a SQLite database in the cache folder (.cache/cache.sqlite) that holds
data, never code.

One table per kind of entry:

- `sources`: each content file's model as loading gave it, per content folder (loadcache.py);
- `markdown`: each Markdown text's HTML, what its links resolved to and its warnings (mdcache.py);
- `records`: one value per kind and name: each output folder's manifest, the digests of files
  shipped as they are, the key of the preview's search index (incremental.py, pipeline.py).

One key scheme: every key is `key(...)`, a digest of the code fingerprint (`fingerprint`: the
package's source files, the versions of the libraries that shape output, the Python) and the
content the entry stands for (a file's bytes, a text). Changing the code changes every key.

Values are JSON in UTF-8 (the HTML as it is), each row with a checksum. Nothing is unpickled:
CI restores .cache/ from earlier runs, so whatever is read back is parsed as data and checked
against the shape expected, and cannot make the build run code. Anything unexpected (no file,
a truncated or foreign one, a damaged row, another schema, a lock held too long, a full or
read-only disk) is a miss or a write that did not happen, which only costs time: the site is
the same bytes a build without a cache makes. A database SQLite reports damaged or that is not
this one is replaced by a new one at the next write.

Processes: the build forks workers, and an SQLite connection must never cross a fork. Every
connection opened here is closed just before any fork of this process (os.register_at_fork)
and opened again when next needed; a forked worker opens its own. Workers only read (the
database is in WAL mode, so readers and the one writer never wait for each other); the build's
own process writes, each time in one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sqlite3
import stat
import sys
import threading
import weakref
from collections.abc import Callable
import importlib.util
from pathlib import Path

FILE = "cache.sqlite"
SCHEMA_VERSION = 1
APPLICATION_ID = 0x44495343  # "DISC": a database with another id is not this cache
BUSY_SECONDS = 3.0  # how long a write waits for another build's write to finish
# The libraries whose version can change what is cached (models, HTML): module → distribution.
LIBRARIES = {"markdown": "Markdown", "nh3": "nh3", "jinja2": "Jinja2", "markupsafe": "MarkupSafe", "yaml": "PyYAML",
             "chinese_calendar": "chinese_calendar", "opencc": "opencc-python-reimplemented"}

TABLES = {
    "markdown": "CREATE TABLE markdown (key TEXT PRIMARY KEY, outcome BLOB NOT NULL, html BLOB NOT NULL, "
                "checksum BLOB NOT NULL)",
    "records": "CREATE TABLE records (kind TEXT NOT NULL, name TEXT NOT NULL, value BLOB NOT NULL, "
               "checksum BLOB NOT NULL, PRIMARY KEY (kind, name))",
    "sources": "CREATE TABLE sources (folder TEXT NOT NULL, path TEXT NOT NULL, key TEXT NOT NULL, "
               "model BLOB NOT NULL, notes BLOB NOT NULL, checksum BLOB NOT NULL, PRIMARY KEY (folder, path))",
}
# Left in the cache folder by versions before this database (pickles and packs): never read,
# removed when the database is made. Only files of these names, so that a cache folder given
# wrongly (the project itself) loses nothing else; the folders go only once empty.
LEGACY = (("markdown/packs", re.compile(r"[0-9a-f]+-[0-9]+-[0-9a-f]{8}\.pack|index\.pickle")),
          ("markdown/outcomes", re.compile(r"[0-9a-f]{24}\.pickle")),
          ("loaded", re.compile(r"[0-9a-f]{24}\.pickle")),
          ("manifests", re.compile(r"[0-9a-f]{16}\.(manifest|search|json)")),
          ("templates", re.compile(r"__jinja2_.*\.cache")),
          ("", re.compile(r"digests\.pickle")))
_LOOSE = re.compile(r"[0-9a-f]{2}")  # markdown/3f/3f….json: one file per entry, before the packs
# SQLite's own words for a file that is damaged or not a database at all.
_DAMAGED = {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}
_LOCKED = {getattr(sqlite3, "SQLITE_BUSY", 5), getattr(sqlite3, "SQLITE_LOCKED", 6)}


@functools.cache
def fingerprint() -> str:
    """A digest of everything in the code that shapes what a build makes: every source file of
    the package, the versions of the libraries it renders with, and the Python running it."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}|{sys.version}".encode())
    for module, distribution in sorted(LIBRARIES.items()):
        digest.update(f"|{distribution} {_version(module, distribution)}".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _version(module: str, distribution: str) -> str:
    """A library's installed version, from its .dist-info folder beside it (importlib.metadata
    would cost a tenth of the build's imports); '-' if it is not installed so."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return "-"
    origin = Path(spec.origin)
    prefix = distribution.lower().replace("-", "_") + "-"
    for folder in (origin.parent.parent, origin.parent):  # a package, or a module of one file
        for name in _listing(folder):
            if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                return name[len(prefix):-len(".dist-info")]
    return "-"


@functools.cache
def _listing(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


def hasher(*parts: str):
    """A digest under way of the fingerprint and these parts, to go on with `hashlib`'s update:
    the start of every key (copy it to make many keys with the same start)."""
    digest = hashlib.sha256(fingerprint().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest


def key(*parts: str) -> str:
    """The key of an entry: the code fingerprint and what the entry is made from."""
    return hasher(*parts).hexdigest()


def checksum(*parts: bytes) -> bytes:
    """Of a row: its key (names, paths, hex digits: never a NUL) and its values (JSON, which
    writes no NUL either, and last the HTML), so that parts joined by NUL stay apart."""
    return hashlib.blake2b(b"\0".join(parts), digest_size=16).digest()


class Store:
    """The database in one cache folder, as this process sees it. Use `Store.at(folder)`: one
    per folder and process, so that a database found damaged is replaced once for every user."""

    _all: dict[str, "Store"] = {}

    @classmethod
    def at(cls, folder: Path | None) -> "Store":
        if folder is None:
            return cls(None)
        name = os.path.abspath(folder)
        store = cls._all.get(name)
        if store is None:
            store = cls._all[name] = cls(Path(name))
        return store

    @classmethod
    def forget(cls, folder: Path) -> None:
        """Close and drop the store of a folder about to be removed (a scratch cache)."""
        store = cls._all.pop(os.path.abspath(folder), None)
        if store is not None:
            store.close()

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.path = folder / FILE if folder is not None else None
        self._connections: dict[tuple[int, int], sqlite3.Connection] = {}
        self._lock = threading.Lock()
        self.damaged = False  # SQLite found the file damaged or foreign: replaced at the next write
        self.generation = 0  # how many times this process replaced the file: what was read before is gone
        # A write that waited for another process's lock in vain: the rest of this build's writes
        # are not tried (each would wait as long); the next build tries again (`close_all`).
        self.locked_out = False

    # --- reading -----------------------------------------------------------------------------

    def rows(self, sql: str, parameters=()) -> list[tuple]:
        """The rows a query gives; none when the database cannot be read (every entry a miss)."""
        connection = self._connection()
        if connection is None:
            return []
        try:
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as problem:
            self._trouble(problem)
            return []

    def row(self, sql: str, parameters=()) -> tuple | None:
        connection = self._connection()
        if connection is None:
            return None
        try:
            return connection.execute(sql, parameters).fetchone()
        except sqlite3.Error as problem:
            self._trouble(problem)
            return None

    def record(self, kind: str, name: str) -> bytes | None:
        """The value kept under (kind, name) if it is intact."""
        found = self.row("SELECT value, checksum FROM records WHERE kind = ? AND name = ?", (kind, name))
        if found is None or not isinstance(found[0], bytes) or found[1] != checksum(kind.encode(), name.encode(), found[0]):
            return None
        return found[0]

    # --- writing -----------------------------------------------------------------------------

    def write(self, statements: Callable[[sqlite3.Connection], None]) -> bool:
        """Run `statements(connection)` in one transaction; False (never an exception) if it could
        not be written. A database found damaged or foreign is replaced by a new one first."""
        if self.folder is None:
            return True
        if self.locked_out:
            return False
        for attempt in range(2):
            if self.damaged:
                self._replace()
            connection = self._connection()
            if connection is None:
                if self.damaged and attempt == 0:
                    continue
                return False
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    statements(connection)
                    connection.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                    raise
                return True
            except sqlite3.Error as problem:
                self._trouble(problem)
                if _code(problem) in _LOCKED:
                    self.locked_out = True
                if not self.damaged:
                    return False
            except (OSError, ValueError, MemoryError, RecursionError):
                return False
        return False

    def put_record(self, kind: str, name: str, value: bytes) -> bool:
        return self.write(lambda db: db.execute(
            "INSERT OR REPLACE INTO records (kind, name, value, checksum) VALUES (?, ?, ?, ?)",
            (kind, name, value, checksum(kind.encode(), name.encode(), value))))

    # --- the connection ------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection | None:
        if self.path is None or self.damaged:
            return None
        ident = (os.getpid(), threading.get_ident())
        connection = self._connections.get(ident)
        if connection is not None:
            return connection
        try:
            connection = self._open()
        except sqlite3.Error as problem:
            self._trouble(problem)
            return None
        except (OSError, ValueError):
            return None
        with self._lock:
            self._connections[ident] = connection
        _OPEN.add(self)
        return connection

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        # SQLite would follow a symbolic link (to /dev/zero, say) or block on a pipe: the database
        # and its two companions are regular files or absent, anything else is damage.
        for suffix in ("", "-wal", "-shm"):
            try:
                if not stat.S_ISREG(os.lstat(f"{self.path}{suffix}").st_mode):
                    raise _Foreign()
            except FileNotFoundError:
                pass
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None,
                                     check_same_thread=False)
        try:
            self._prepare(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        if not self._ours(connection):
            connection.execute("BEGIN IMMEDIATE")
            try:
                if not self._ours(connection):  # another build may have made it meanwhile
                    if self._tables(connection) or connection.execute("PRAGMA application_id").fetchone()[0]:
                        raise _Foreign()
                    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    for statement in TABLES.values():
                        connection.execute(statement)
                connection.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
            _remove_legacy(self.folder)
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        # A cache: no waiting for the disk. A power cut may lose or damage what was written last,
        # which reads as damage or a miss (every row has its checksum), never as a wrong entry.
        connection.execute("PRAGMA synchronous = OFF")

    @staticmethod
    def _tables(connection: sqlite3.Connection) -> dict:
        return dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())

    def _ours(self, connection: sqlite3.Connection) -> bool:
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if (application, version) == (0, 0) and not self._tables(connection):
            return False  # new and empty: made now
        if (application, version) != (APPLICATION_ID, SCHEMA_VERSION) or self._tables(connection) != TABLES:
            raise _Foreign()
        return True

    def _trouble(self, problem: sqlite3.Error) -> None:
        """Damage is remembered (the file is replaced at the next write); anything else (a lock
        held too long, a full disk) is only this one read or write missing."""
        if isinstance(problem, _Foreign) or _code(problem) in _DAMAGED or "decode" in str(problem):
            # (a text column that is not UTF-8: every one this writes is)
            self.damaged = True
            self.close()

    def _replace(self) -> None:
        """Remove the damaged or foreign database (only our own file names in the cache folder)."""
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")
            with contextlib.suppress(OSError):
                os.rmdir(f"{self.path}{suffix}")  # a folder in its place, if empty
        self.damaged = False
        self.generation += 1

    def close(self) -> None:
        """Close this process's connections (the last one to close folds the WAL into the file)."""
        pid = os.getpid()
        with self._lock:
            connections, self._connections = self._connections, {}
        for (owner, _), connection in connections.items():
            if owner == pid:
                with contextlib.suppress(sqlite3.Error):
                    connection.close()
        _OPEN.discard(self)


def _code(problem: sqlite3.Error) -> int | None:
    """SQLite's primary result code of an error (its extended codes add bits above the first eight)."""
    code = getattr(problem, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


class _Foreign(sqlite3.DatabaseError):
    """A database that is not this cache's schema: treated as damaged."""


_OPEN: "weakref.WeakSet[Store]" = weakref.WeakSet()


def close_all() -> None:
    """When a build is done: close every connection of this process, so the database is left
    whole in one file (for CI to keep), and let the next build try writes again."""
    _close_connections()
    for store in Store._all.values():
        store.locked_out = False


def _close_connections() -> None:
    for store in list(_OPEN):
        store.close()


os.register_at_fork(before=_close_connections)  # a connection must never cross a fork


def _remove_legacy(folder: Path) -> None:
    """The pickles and packs of earlier versions: nothing reads them any more. Only regular files
    of their names inside the cache folder (a symbolic link is removed, never followed)."""
    folder = Path(os.path.realpath(folder))
    folders = [folder / "markdown" / entry.name for entry in _scan(folder / "markdown")
               if _LOOSE.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)]
    patterns = [(folder / place, pattern) for place, pattern in LEGACY]
    patterns += [(place, re.compile(r"[0-9a-f]{64}\.json")) for place in folders]
    for place, pattern in patterns:
        for entry in _scan(place):
            if pattern.fullmatch(entry.name) and not entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    for place in [*folders, folder / "markdown/packs", folder / "markdown/outcomes", folder / "markdown",
                  folder / "loaded", folder / "manifests", folder / "templates"]:
        with contextlib.suppress(OSError):
            if os.path.realpath(place) == str(place):
                place.rmdir()  # only if empty


def _scan(place: Path) -> list:
    """The entries of a folder inside the cache folder, reached through no symbolic link."""
    if os.path.realpath(place) != str(place):
        return []
    try:
        with os.scandir(place) as entries:
            return list(entries)
    except OSError:
        return []
