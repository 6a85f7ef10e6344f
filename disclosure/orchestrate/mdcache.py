"""The Markdown → HTML step, cached on disk by content hash and renderer version.

An entry keeps the HTML, the links it resolved and what they resolved to, and the warnings the
rendering gave. On a hit the links are resolved again against the site as it is now (cheap, no
Markdown parsing): if any now resolves differently (a page disappeared, a document was
scheduled) the text is rendered afresh, so a cached page is always what a clean build gives.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from . import cachefiles
from ..errors import Problems
from .packs import PackStore
from .write import remove_later

_CODE = ("render/markdown.py", "render/markdown_speedups.py", "render/markdown_plain.py", "render/held_links.py", "model/lifecycle.py",
         "orchestrate/mdcache.py")  # relative to the package


def renderer_version() -> str:
    import markdown
    import nh3

    digest = hashlib.sha256(f"{markdown.__version__} {getattr(nh3, '__version__', '')}".encode())
    here = Path(__file__).resolve().parents[1]
    for name in _CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


class CachedMarkdown:
    """Wraps a MarkdownRenderer (or HeldLinkRenderer) with a disk cache."""

    def __init__(self, renderer, folder: Path | None, scope: str):
        self.renderer, self.folder = renderer, folder
        self.store = PackStore(folder) if folder else None
        self.scope = scope  # what else the HTML depends on: renderer version, base path, content root
        self.hits = self.misses = 0
        # key → (links resolved, warnings) of every text rendered by the last build: enough to
        # find a text's problems again without reading its HTML back (see `check`).
        self.outcomes: dict[str, tuple] = _load_outcomes(self._outcomes_file())
        self.used: set[str] = set()
        self.known = frozenset(self.outcomes)  # what the saved file holds: unchanged, not rewritten
        self._keys: dict[tuple, str] = {}
        self._root_prefix = os.path.join(str(renderer.targets.content_root), "")
        self.collect = False  # while rendering a batch of pages: keep what is rendered for `take_seen`
        self.seen: dict[str, dict] = {}
        self.handed: dict[str, dict] = {}
        self.placed: dict[tuple[str, int], str | None] = {}  # (file, first line) → key of the texts keyed while collecting

    def _outcomes_file(self) -> Path | None:
        return self.folder / "outcomes" / f"{hashlib.sha256(self.scope.encode()).hexdigest()[:24]}.pickle" \
            if self.folder else None

    def _key(self, text: str, path: Path, first_line: int) -> str:
        memo = (text, path, first_line)  # a string's hash is cached: the lookup costs no hashing
        key = self._keys.get(memo)
        if key is None:
            text_path, prefix = str(path), self._root_prefix
            relative = text_path[len(prefix):] if text_path.startswith(prefix) \
                else os.path.relpath(path, self.renderer.targets.content_root)
            key = hashlib.sha256(f"{self.scope}\0{relative}\0{first_line}\0{text}".encode("utf-8")).hexdigest()
            self._keys[memo] = key
            if self.collect:
                _place(self.placed, (text_path, first_line), key)
        return key

    def render(self, text: str, path: Path, first_line: int = 1) -> str:
        if self.folder is None:
            return self.renderer.render(text, path, first_line)
        key = self._key(text, path, first_line)
        entry = self.handed.pop(key, None) or _decode(self.store.get(key))
        if entry is not None and self._still_valid(entry, text, path, first_line):
            self.hits += 1
            self._remember(key, entry["resolves"], entry["warnings"])
            if self.collect:
                self.seen[key] = entry
            return entry["html"]
        self.misses += 1
        html, resolves, warnings = self._render(text, path, first_line)
        entry = {"html": html, "resolves": resolves, "warnings": warnings}
        self.store.add(key, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        self._remember(key, resolves, warnings)
        if self.collect:
            self.seen[key] = entry
        return html

    def take_seen(self, html: bool = True) -> tuple[dict, dict]:
        """What this process rendered or read since the last call: the outcome (links resolved,
        warnings) of each text, and with `html` the whole entries (a worker hands them to the
        build, which then needs not read them back from disk)."""
        seen, self.seen = self.seen, {}
        outcomes = {key: (entry["resolves"], entry["warnings"]) for key, entry in seen.items()}
        return outcomes, (seen if html else {})

    def take_placed(self) -> dict[tuple[str, int], str | None]:
        placed, self.placed = self.placed, {}
        return placed

    @staticmethod
    def merge_placed(into: dict, placed: dict) -> None:
        for place, key in placed.items():
            _place(into, place, key)

    def prime(self, texts: list[tuple[str, Path, int]], placed: dict[tuple[str, int], str | None]) -> None:
        """Learn the keys a worker computed (`take_placed`) for these texts, which must be the very
        texts it rendered (the same build's models), instead of hashing them all again."""
        for text, path, first_line in texts:
            key = placed.get((str(path), first_line))
            if key is not None:
                self._keys.setdefault((text, path, first_line), key)

    def rendered(self, text: str, path: Path, first_line: int = 1) -> str | None:
        """The HTML of a text this process rendered or read since the last `take_seen`, if it did."""
        entry = self.seen.get(self._key(text, path, first_line)) if self.seen else None
        return entry["html"] if entry is not None else None

    def flush(self) -> dict:
        """Write what was rendered since the last call to the cache (one file); where it lies."""
        return self.store.flush() if self.store else {}

    def hand(self, outcomes: dict, entries: dict, locations: dict) -> None:
        """What a worker's texts gave (see `take_seen`): their outcomes are this build's; entries
        are each used once by the next `render` of the same text; `locations` says where in the
        cache the worker wrote those it rendered."""
        for key, (resolves, warnings) in outcomes.items():
            self._remember(key, resolves, warnings)
        self.handed.update(entries)
        if self.store:
            self.store.merge(locations)

    def _remember(self, key: str, resolves, warnings) -> None:
        if self.outcomes.get(key) != (resolves, warnings):
            self.outcomes[key] = (resolves, warnings)
            self.known = frozenset()  # changed: the file must be written
        self.used.add(key)

    def check(self, texts: list[tuple[str, Path, int]]) -> bool:
        """Report the problems that rendering these texts gives, from the last build's outcomes
        and without their HTML, if every one of them is known and its links still resolve the
        same; otherwise report nothing and return False (render them instead)."""
        if self.folder is None:
            return False
        found = Problems()
        for text, path, first_line in texts:
            key = self._key(text, path, first_line)
            outcome = self.outcomes.get(key)
            if outcome is None or not self._valid(outcome[0], outcome[1], path, text, first_line, found):
                return False
            self.used.add(key)
        self.renderer.problems.extend(found)
        return True

    def links(self, texts: list[tuple[str, Path, int]]) -> str:
        """What the links of these texts resolved to, after `check` or `render` saw them: with the
        texts themselves, all their HTML depends on."""
        outcomes = [self.outcomes.get(self._key(text, path, first_line), ((),))[0]
                    for text, path, first_line in texts]
        return hashlib.sha256(repr(outcomes).encode()).hexdigest()

    def save(self) -> bool:
        """Keep the outcomes of this build's texts for the next one; False if the cache could not
        be written (which only costs the next build time)."""
        target = self._outcomes_file()
        if target is None:
            return True
        kept = self.store.save(self.used)
        _retire_loose_entries(self.folder)
        if self.used == self.known:
            return kept
        return cachefiles.store(target, {key: self.outcomes[key] for key in sorted(self.used)}) and kept

    def _render(self, text, path, first_line):
        """Render, recording each link resolution and the other problems it reported."""
        renderer = self.renderer
        resolves, original = [], renderer.resolve
        outer = renderer.problems
        link_problems = Problems()

        def recording(href, what):
            renderer.problems = link_problems
            try:
                result = original(href, what)
            finally:
                renderer.problems = outer
            resolves.append([href, what, result])
            return result

        before = len(outer.items)
        renderer.resolve = recording
        try:
            html = renderer.render(text, path, first_line)
        finally:
            del renderer.resolve
        warnings = [[p.line, p.message, p.fix, p.severity] for p in outer.items[before:]]
        outer.extend(link_problems)
        return html, resolves, warnings

    def _still_valid(self, entry, text, path, first_line) -> bool:
        found = Problems()
        if not self._valid(entry["resolves"], entry["warnings"], path, text, first_line, found):
            return False
        self.renderer.problems.extend(found)
        return True

    def _valid(self, resolves, warnings, path, text, first_line, found: Problems) -> bool:
        """Whether every link resolves as it did; if so, add the problems rendering gave to `found`."""
        renderer = self.renderer
        renderer.path, renderer.text, renderer.first_line = path, text, first_line
        outer, scratch = renderer.problems, Problems()
        renderer.problems = scratch
        try:
            same = all(renderer.resolve(href, what) == result for href, what, result in resolves)
        finally:
            renderer.problems = outer
        if same:
            found.extend(scratch)
            for line, message, fix, severity in warnings:
                found.add(path, line, message, fix, severity)
        return same


def _place(placed: dict, place: tuple[str, int], key: str | None) -> None:
    # The answers of a Q&A share their file and first line: a place with two texts has no key.
    placed[place] = key if placed.get(place, key) == key else None


_LOOSE = re.compile("[0-9a-f]{2}")


def _retire_loose_entries(folder: Path) -> None:
    """Caches written before the packs kept one file per entry, in folders named by two hex
    digits; nothing reads them any more."""
    try:
        loose = [entry.path for entry in os.scandir(folder) if _LOOSE.fullmatch(entry.name) and entry.is_dir()]
    except OSError:
        return
    for path in loose:
        remove_later(Path(path))


def _load_outcomes(path: Path | None) -> dict:
    """key → (links resolved, warnings); {} when missing or damaged (every text is then read
    back or rendered instead)."""
    outcomes = cachefiles.load(path) if path is not None else None
    if not isinstance(outcomes, dict) or not all(_outcome_shape(value) for value in outcomes.values()):
        return {}
    return outcomes


def _outcome_shape(value) -> bool:
    return (isinstance(value, tuple) and len(value) == 2
            and isinstance(value[0], list) and isinstance(value[1], list)
            and all(isinstance(r, list) and len(r) == 3 and isinstance(r[0], str) and isinstance(r[1], str)
                    for r in value[0])
            and all(isinstance(w, list) and len(w) == 4 and isinstance(w[0], int) for w in value[1]))


def _decode(data: bytes | None) -> dict | None:
    if data is None:
        return None
    try:
        entry = json.loads(data)
    except ValueError:
        return None
    if not (isinstance(entry, dict) and isinstance(entry.get("html"), str)
            and _outcome_shape((entry.get("resolves"), entry.get("warnings")))):
        return None
    return entry
