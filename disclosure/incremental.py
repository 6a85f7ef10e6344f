"""Incremental builds: which outputs are unchanged since the last build, so they are neither
rendered nor rewritten but hard-linked from the previous site (their mtime stays, and rsync and
CDNs move only what changed).

A page's key hashes everything it shows: what every page shows (templates, static files, the
generator's code, config, build date, navigation, which listing pages exist, scheduled content)
and its own content items by the digest of their source files, plus its pagination numbers.
The manifest of the previous build, kept in .cache/, maps each output file to its key and size.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .classify import Site
from .workdays import calendar_version

MANIFEST_VERSION = 1


def _tree_digest(digest, folder: Path, pattern: str = "*") -> None:
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())


def global_key(site: Site, templates: Path, config_file: Path) -> str:
    digest = hashlib.sha256(str(MANIFEST_VERSION).encode())
    _tree_digest(digest, templates)
    _tree_digest(digest, Path(__file__).parent, "*.py")
    digest.update(config_file.read_bytes())
    digest.update(calendar_version().encode())  # a newer calendar can move due dates
    options = site.config.site
    content = site.content
    digest.update(f"{site.build_date}|{options.base_url}|{options.base_path}".encode())
    for page in sorted(content.pages, key=lambda p: (p.order, p.id)):  # the navigation
        digest.update(f"{page.url}|{page.title}|{page.order}|{page.description}".encode())
    for view in site.bodies:  # which body pages exist: other pages link to them or not
        digest.update(view.url.encode())
    for year in site.years:
        digest.update(str(year).encode())
    for item in site.held.items:
        digest.update(f"{item.url}|{site.held.release_of(item)}".encode())
    return digest.hexdigest()


def page_key(base: str, spec) -> str:
    digest = hashlib.sha256(f"{base}|{spec.url}|{spec.template}|{spec.scalars!r}".encode())
    digest.update("".join(spec.deps).encode())
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """What the previous build wrote: output path → [key or content hash, size]."""

    entries: dict = field(default_factory=dict)
    search: str = ""  # key of the search index
    # document id → [export key, its record as api/documents.json lists it], so documents.json
    # is assembled without rendering or reading back the bodies of unchanged documents
    records: dict = field(default_factory=dict)

    @staticmethod
    def location(cache: Path, output: Path) -> Path:
        name = hashlib.sha1(str(output.resolve()).encode()).hexdigest()[:16]
        return cache / "manifests" / f"{name}.json"

    @classmethod
    def load(cls, cache: Path | None, output: Path) -> "Manifest":
        if cache is None or not output.is_dir():
            return cls()
        try:
            data = json.loads(cls.location(cache, output).read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        if data.get("version") != MANIFEST_VERSION:
            return cls()
        try:
            with open(cls.location(cache, output).with_suffix(".records"), "rb") as stream:
                records = pickle.load(stream)
        except Exception:
            records = {}
        return cls(data.get("entries", {}), data.get("search", ""), records)

    def save(self, cache: Path | None, output: Path) -> None:
        if cache is None:
            return
        path = self.location(cache, output)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as stream:
            pickle.dump(self.records, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path.with_suffix(".records"))
        temporary.write_text(json.dumps({"version": MANIFEST_VERSION, "entries": self.entries,
                                         "search": self.search}, sort_keys=True), "utf-8")
        os.replace(temporary, path)


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

    def copy(self, relative: str, source: Path) -> None:
        key = content_hash(source.read_bytes())
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
