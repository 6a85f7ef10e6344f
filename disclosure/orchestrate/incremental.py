"""Incremental builds: which outputs are unchanged since the last build, so they are neither
rendered nor rewritten but hard-linked from the previous site (their mtime stays, and rsync and
CDNs move only what changed).

An output's key (render/plan.py Output.key) hashes everything it shows: what every output shows
(`global_key`: templates, static files, the generator's code, config, build date, navigation,
which listing pages exist, scheduled content) and what the plan says it reads. The manifest of the previous build, kept in the cache (the `records` table of cache.py, one per
output folder), maps each output file to its key and size.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as store
from ..model.classify import Site
from .write import read_marker

MANIFEST_VERSION = 2


def _tree_digest(digest, folder: Path, pattern: str = "*") -> None:
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())


def global_key(site: Site, templates: Path, config_file: Path) -> str:
    # The code and the libraries (a newer calendar can move due dates) are in the fingerprint.
    digest = store.hasher("pages", str(MANIFEST_VERSION))
    _tree_digest(digest, templates)
    digest.update(config_file.read_bytes())
    options = site.config.site
    content = site.content
    digest.update(f"{site.build_date}|{options.base_url}|{options.base_path}".encode())
    for page in sorted(content.pages, key=lambda p: (p.order, p.id)):  # the navigation
        digest.update(f"{page.url}|{page.title}|{page.order}|{page.description}".encode())
    for view in site.organisations:  # which organisation pages exist: other pages link to them or not
        digest.update(view.url.encode())
    for year in site.years:
        digest.update(str(year).encode())
    for item in site.held.items:
        digest.update(f"{item.url}|{site.held.release_of(item)}".encode())
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """What the previous build wrote: output path → [key or content hash, size].

    A manifest describes one site folder, and is trusted only for the folder whose marker
    (write.py) carries its identity: a site written by a build that kept no manifest (--no-cache,
    another cache folder, a failed cache write) or changed since has another identity, and then
    nothing is reused."""

    entries: dict = field(default_factory=dict)
    search: str = ""  # key of the search index
    # document id → [export key, its record as api/documents.json lists it], so documents.json
    # is assembled without rendering or reading back the bodies of unchanged documents
    records: dict = field(default_factory=dict)
    # (identity, Store.generation) when read from the cache: unchanged, it needs no writing
    kept: tuple | None = field(default=None, compare=False)

    @staticmethod
    def name(output: Path) -> str:
        """The output folder, as the cache names what it keeps for it (its manifest, its search key)."""
        return hashlib.sha1(str(output.resolve()).encode()).hexdigest()[:16]

    def identity(self) -> str:
        """A digest of everything recorded: the same for the same outputs from the same inputs."""
        keys = {name: record[0] for name, record in self.records.items()}
        data = json.dumps([MANIFEST_VERSION, self.entries, self.search, keys], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    @classmethod
    def load(cls, cache: Path | None, output: Path) -> "Manifest":
        if cache is None or not output.is_dir():
            return cls()
        data = store.Store.at(cache).record("manifest", cls.name(output))
        try:
            stored = json.loads(data) if data is not None else None
        except (ValueError, RecursionError):
            return cls()
        if not (isinstance(stored, dict) and stored.get("version") == MANIFEST_VERSION):
            return cls()
        manifest = cls(stored.get("entries"), stored.get("search"), stored.get("records"))
        if not manifest._well_formed():
            return cls()
        identity = manifest.identity()
        if read_marker(output) != identity:
            return cls()
        manifest.kept = (identity, store.Store.at(cache).generation)
        return manifest

    def _well_formed(self) -> bool:
        return (isinstance(self.entries, dict) and isinstance(self.search, str) and isinstance(self.records, dict)
                and all(isinstance(name, str) and isinstance(entry, list) and len(entry) == 2
                        and isinstance(entry[0], str) and isinstance(entry[1], int) for name, entry in self.entries.items())
                and all(isinstance(name, str) and isinstance(record, list) and len(record) == 2
                        and isinstance(record[0], str) and isinstance(record[1], dict)
                        for name, record in self.records.items()))

    def save(self, cache: Path | None, output: Path, identity: str | None = None, previous: "Manifest | None" = None) -> bool:
        """Keep this manifest for the next build into `output`; False if it could not be written.
        Not written again when it is the `previous` one as the cache keeps it (same identity)."""
        if cache is None:
            return True
        kept = store.Store.at(cache)
        if previous is not None and previous.kept == (identity or self.identity(), kept.generation):
            return True
        try:
            data = json.dumps({"version": MANIFEST_VERSION, "entries": self.entries, "search": self.search,
                               "records": self.records}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError, RecursionError):
            return False
        return kept.put_record("manifest", self.name(output), data)


class Reuse:
    """Links unchanged outputs of the previous site into the new one."""

    def __init__(self, previous: Manifest, old_site: Path, staging: Path, stale=frozenset()):
        self.previous, self.old_site, self.staging, self.stale = previous, old_site, staging, stale
        self.current = Manifest()
        self.linked = 0
        # Plain strings and a set of folders already made: this runs once per file of the site.
        self._old, self._new = str(old_site), str(staging)
        self._folders: set[str] = set()

    def link(self, relative: str, key: str) -> bool:
        """Reuse the previous file at `relative` if it was made from the same key; record the key."""
        size = self.link_unrecorded(relative, key)
        if size is None:
            return False
        self.record(relative, key, size)
        self.linked += 1
        return True

    def link_unrecorded(self, relative: str, key: str) -> int | None:
        """`link` without recording it (for workers, whose records the build makes): its size."""
        old = self.previous.entries.get(relative)
        if not old or old[0] != key or relative in self.stale:
            return None
        source = os.path.join(self._old, relative)
        target = os.path.join(self._new, relative)
        try:
            if os.stat(source).st_size != old[1]:
                return None
            self._make_folder(target)
            os.link(source, target)
        except OSError:
            return None
        return old[1]

    def record(self, relative: str, key: str, size: int) -> None:
        self.current.entries[relative] = [key, size]

    def write(self, relative: str, data: bytes, key: str | None = None) -> None:
        """Write `data`, or link the previous identical file (same content hash) in its place."""
        key = key or content_hash(data)
        if not self.link(relative, key):
            self.record(relative, key, self.fresh(relative, data))

    def fresh(self, relative: str, data: bytes) -> int:
        """Write `data` as a new file (not recorded: the caller records it); its size."""
        target = os.path.join(self._new, relative)
        self._make_folder(target)
        with open(target, "wb") as stream:
            stream.write(data)
        return len(data)

    def _make_folder(self, target: str) -> None:
        folder = os.path.dirname(target)
        if folder in self._folders:
            return
        if os.path.dirname(folder) in self._folders:  # one mkdir, where makedirs would stat first
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
        else:
            os.makedirs(folder, exist_ok=True)
        self._folders.add(folder)

    def copy(self, relative: str, source: Path, digests: "FileDigests | None" = None) -> None:
        key = (digests or FileDigests(None))(source)
        if not self.link(relative, key):
            target = self.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            self.record(relative, key, target.stat().st_size)

    def link_tree(self, relative: str) -> bool:
        """Reuse a whole folder of the previous site (the search index)."""
        source = self.old_site / relative
        if not source.is_dir():
            return False
        try:
            shutil.copytree(source, self.staging / relative, copy_function=os.link)
        except OSError:
            shutil.rmtree(self.staging / relative, ignore_errors=True)
            return False
        return True


class FileDigests:
    """Content digests (as `content_hash` gives them) of files shipped as they are: attachments
    and static files. A file is read in pieces, never whole, and only when its size, times or
    inode changed since the last build: a gigabyte attachment costs one read, not one per build.
    Kept in the cache as one record: path → [[size, mtime, ctime, inode, device], digest]."""

    def __init__(self, cache: Path | None):
        self.store = store.Store.at(cache) if cache else None
        data = self.store.record("digests", "files") if self.store else None
        try:
            stored = json.loads(data) if data is not None else None
        except (ValueError, RecursionError):
            stored = None
        self.known = {path: (tuple(value[0]), value[1]) for path, value in stored.items()} \
            if isinstance(stored, dict) and all(_digest_shape(v) for v in stored.values()) else {}
        self.used: dict[str, tuple] = {}
        self.generation = self.store.generation if self.store else 0

    def __call__(self, path: Path) -> str:
        with open(path, "rb") as stream:
            status = os.fstat(stream.fileno())
            signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev)
            known = self.known.get(str(path))
            if known is not None and known[0] == signature:
                digest = known[1]
            else:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
        self.used[str(path)] = (signature, digest)
        return digest

    def save(self) -> bool:
        if self.store is None or (self.used == self.known and self.generation == self.store.generation):
            return True
        data = json.dumps(self.used, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
        return self.store.put_record("digests", "files", data)


def _digest_shape(value) -> bool:
    return (type(value) is list and len(value) == 2 and type(value[0]) is list
            and len(value[0]) == 5 and all(type(n) is int for n in value[0]) and type(value[1]) is str)
