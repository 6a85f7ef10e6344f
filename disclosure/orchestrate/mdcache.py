"""The Markdown → HTML step, cached by content and code (the `markdown` table of cache.py).

An entry keeps the HTML, the links it resolved and what they resolved to, and the warnings the
rendering gave. On a hit the links are resolved again against the site as it is now (cheap, no
Markdown parsing): if any now resolves differently (a page disappeared, a document was
scheduled) the text is rendered afresh, so a cached page is always what a clean build gives.

A row is (key, outcome, html, checksum): the outcome is JSON [links resolved, warnings, digest
of the HTML], the checksum covers key and outcome. So the problems of an unchanged text can be
found again from its outcome alone, without reading its HTML (`check`), and a damaged row of
either part reads as a miss.

Forked workers render pages in batches (parallel.py). A worker only reads the cache: between
`start_batch` and `finish_batch` it notes every text it renders or reads, and hands the build
their outcomes, the rows it rendered anew (the build's own process writes them, one transaction
per batch) and, when the build wants the HTML back (for the search index), the rows it read.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import cache
from ..errors import Problem, Problems
from ..render.markdown import Rendering


class CachedMarkdown:
    """Wraps a MarkdownRenderer (or HeldLinkRenderer) with the cache in `folder` (None: none)."""

    def __init__(self, renderer, folder: Path | None, scope: str):
        self.renderer = renderer
        self.store = cache.Store.at(folder) if folder is not None else None
        # What else the HTML depends on besides the code and the text: base path, content root.
        self._scope = cache.hasher("markdown", scope)
        self.hits = self.misses = 0
        # key → (links resolved, warnings) of every text this build rendered, read or checked.
        self.outcomes: dict[str, tuple] = {}
        self.used: set[str] = set()
        self._keys: dict[tuple, str] = {}
        self._root_prefix = os.path.join(str(renderer.targets.content_root), "")
        self.unsaved: dict[str, tuple[bytes, bytes]] = {}  # rows rendered here, not yet written or handed on
        self.from_workers: dict[str, tuple[bytes, bytes]] = {}  # rows workers handed over, each used once
        self.write_failed = False
        # While a worker renders a batch of pages (start_batch … finish_batch):
        self.in_batch = False
        self.batch: dict[str, tuple] = {}  # key → (html, resolves, warnings, row) of each text rendered or read
        self.keys_by_place: dict[tuple[str, int], str | None] = {}  # (file, first line) → key

    def _key(self, text: str, path: Path, first_line: int) -> str:
        memo = (text, path, first_line)  # a string's hash is cached: the lookup costs no hashing
        key = self._keys.get(memo)
        if key is None:
            text_path, prefix = str(path), self._root_prefix
            relative = text_path[len(prefix):] if text_path.startswith(prefix) \
                else os.path.relpath(path, self.renderer.targets.content_root)
            digest = self._scope.copy()
            digest.update(f"{relative}\0{first_line}\0{text}".encode("utf-8", "surrogatepass"))
            key = self._keys[memo] = digest.hexdigest()
            if self.in_batch:
                _place(self.keys_by_place, (text_path, first_line), key)
        return key

    # --- rendering ------------------------------------------------------------------------------

    def render(self, text: str, path: Path, first_line: int = 1) -> Rendering:
        if self.store is None:
            return self.renderer.render(text, path, first_line)
        key = self._key(text, path, first_line)
        entry = self.batch.get(key) if self.in_batch else None
        if entry is None:
            entry = self._entry(key)
        if entry is not None:
            found = self._revalidated(entry[1], entry[2], text, path, first_line)
            if found is not None:
                self.hits += 1
                self._remember(key, entry[1], entry[2])
                if self.in_batch:
                    self.batch[key] = entry
                return Rendering(entry[0], *found, entry[1])
        self.misses += 1
        rendering = self.renderer.render(text, path, first_line)
        resolves = rendering.links
        warnings = [[p.line, p.message, p.fix, p.severity] for p in rendering.text_problems]
        row = _row(rendering.html, resolves, warnings)
        if row is not None:
            self.unsaved[key] = row
        self._remember(key, resolves, warnings)
        if self.in_batch:
            self.batch[key] = (rendering.html, resolves, warnings, row)
        return rendering

    def _entry(self, key: str) -> tuple | None:
        """(html, resolves, warnings, row) of a text rendered before, or None."""
        row = self.unsaved.get(key) or self.from_workers.pop(key, None)
        if row is not None:  # made by this build: intact
            outcome = json.loads(row[0])
            return row[1].decode("utf-8", "surrogatepass"), outcome[0], outcome[1], row
        found = self.store.row("SELECT outcome, html, checksum FROM markdown WHERE key = ?", (key,))
        if found is None:
            return None
        outcome = _outcome(key, found[0], found[2])
        html = found[1]
        if outcome is None or type(html) is not bytes or hashlib.blake2b(html, digest_size=16).hexdigest() != outcome[2]:
            return None
        try:
            return html.decode("utf-8", "surrogatepass"), outcome[0], outcome[1], (found[0], html)
        except UnicodeDecodeError:
            return None

    # --- batches in workers -----------------------------------------------------------------------

    def start_batch(self) -> None:
        self.in_batch = True

    def finish_batch(self, with_html: bool) -> tuple[dict, dict, dict | None, dict]:
        """What this process rendered or read since `start_batch`: the outcome (links resolved,
        warnings) of each text; the rows it rendered anew, for the build to write; with
        `with_html`, the rows it read too (the build then needs not read them again; None
        without); and the key
        of each text by its place (file, first line), see `learn_keys`."""
        batch, self.batch, self.in_batch = self.batch, {}, False
        outcomes = {key: (entry[1], entry[2]) for key, entry in batch.items()}
        fresh, self.unsaved = self.unsaved, {}
        read = {key: entry[3] for key, entry in batch.items() if key not in fresh and entry[3] is not None} \
            if with_html else None
        places, self.keys_by_place = self.keys_by_place, {}
        return outcomes, fresh, read, places

    def accept_batch(self, outcomes: dict, fresh: dict, read: dict | None) -> None:
        """What a worker's batch gave (see `finish_batch`): the outcomes are this build's; the
        fresh rows are written now; when the rows read came too (the HTML is wanted), they and
        the fresh ones are each used once by the next `render` of the same text instead of
        reading the cache again."""
        for key, (resolves, warnings) in outcomes.items():
            self._remember(key, resolves, warnings)
        if read is not None:
            self.from_workers.update(read)
            self.from_workers.update(fresh)
        if fresh and not self._write(fresh):
            self.unsaved.update(fresh)  # tried again by `save`, so its answer is true

    @staticmethod
    def merge_keys_by_place(into: dict, places: dict) -> None:
        for place, key in places.items():
            _place(into, place, key)

    def learn_keys(self, texts: list[tuple[str, Path, int]], places: dict[tuple[str, int], str | None]) -> None:
        """Learn the keys the workers computed for these texts (`finish_batch`), which must be
        the very texts they rendered (the same build's models), instead of hashing them again."""
        for text, path, first_line in texts:
            key = places.get((str(path), first_line))
            if key is not None:
                self._keys.setdefault((text, path, first_line), key)

    def batch_html(self, text: str, path: Path, first_line: int = 1) -> str | None:
        """The HTML of a text this process rendered or read in the current batch, if it did."""
        entry = self.batch.get(self._key(text, path, first_line)) if self.batch else None
        return entry[0] if entry is not None else None

    # --- checking without rendering -----------------------------------------------------------------

    def _remember(self, key: str, resolves, warnings) -> None:
        self.outcomes[key] = (resolves, warnings)
        self.used.add(key)

    def problems_without_html(self, texts: list[tuple[str, Path, int]]) -> list[Problem] | None:
        """The problems that rendering these texts gives, from the outcomes kept with them and
        without their HTML, if every one of them is known and its links still resolve the same;
        otherwise None (render them instead)."""
        if self.store is None:
            return None
        problems: list[Problem] = []
        for text, path, first_line in texts:
            key = self._key(text, path, first_line)
            outcome = self.outcomes.get(key) or self._stored_outcome(key)
            found = self._revalidated(outcome[0], outcome[1], text, path, first_line) if outcome else None
            if found is None:
                return None
            problems += found[0] + found[1]
            self._remember(key, outcome[0], outcome[1])
        return problems

    def _stored_outcome(self, key: str) -> tuple | None:
        found = self.store.row("SELECT outcome, checksum FROM markdown WHERE key = ?", (key,))
        outcome = _outcome(key, found[0], found[1]) if found is not None else None
        return (outcome[0], outcome[1]) if outcome is not None else None

    def links(self, texts: list[tuple[str, Path, int]]) -> str:
        """What the links of these texts resolved to, after `check` or `render` saw them: with the
        texts themselves, all their HTML depends on."""
        outcomes = [self.outcomes.get(self._key(text, path, first_line), ((),))[0]
                    for text, path, first_line in texts]
        return hashlib.sha256(repr(outcomes).encode()).hexdigest()

    # --- writing --------------------------------------------------------------------------------

    def _write(self, rows: dict) -> bool:
        if self.write_failed:  # once per build: a locked or full cache is not waited for again
            return False
        written = self.store.write(lambda db: db.executemany(
            "INSERT OR REPLACE INTO markdown (key, outcome, html, checksum) VALUES (?, ?, ?, ?)",
            [(key, outcome, html, cache.checksum(key.encode(), outcome)) for key, (outcome, html) in rows.items()]))
        self.write_failed = not written
        return written

    def save(self) -> bool:
        """Write what was rendered here and not yet written, and drop the entries no recent build
        used once they outnumber this build's; False if the cache could not be written (which
        only costs the next build time)."""
        if self.store is None:
            return True
        unsaved, self.unsaved = self.unsaved, {}
        if unsaved and not self._write(unsaved):
            return False
        if self.write_failed:
            return False
        found = self.store.row("SELECT count(*) FROM markdown")
        if found is None or found[0] <= 2 * len(self.used) + 1000:
            return True

        def prune(db) -> None:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM temp.used")
            db.executemany("INSERT OR IGNORE INTO temp.used VALUES (?)", [(key,) for key in self.used])
            db.execute("DELETE FROM markdown WHERE key NOT IN (SELECT key FROM temp.used)")
            db.execute("DELETE FROM temp.used")
        return self.store.write(prune)

    # --- re-checking --------------------------------------------------------------------------

    def _revalidated(self, resolves, warnings, text, path, first_line) -> tuple[list, list] | None:
        """(text problems, link problems) of a text rendered before, if every link resolves as it
        did then; None if one does not (the text must be rendered again)."""
        same, link_problems = self.renderer.recheck(resolves, text, path, first_line)
        if not same:
            return None
        found = Problems()
        for line, message, fix, severity in warnings:
            found.add(path, line, message, fix, severity)
        return found.items, link_problems


def _place(places: dict, place: tuple[str, int], key: str | None) -> None:
    # The answers of a Q&A share their file and first line: a place with two texts has no key.
    places[place] = key if places.get(place, key) == key else None


def _row(html: str, resolves: list, warnings: list) -> tuple[bytes, bytes] | None:
    """(outcome, html) as the cache keeps them; None for what JSON or UTF-8 cannot hold."""
    try:
        data = html.encode("utf-8")
        outcome = json.dumps([resolves, warnings, hashlib.blake2b(data, digest_size=16).hexdigest()],
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return None
    return outcome, data


def _outcome(key: str, outcome, check) -> list | None:
    """[resolves, warnings, HTML digest] of a stored row, if it is intact and of that shape."""
    if type(outcome) is not bytes or check != cache.checksum(key.encode(), outcome):
        return None
    try:
        value = json.loads(outcome)
    except (ValueError, RecursionError):
        return None
    if not (type(value) is list and len(value) == 3 and type(value[2]) is str and _outcome_shape(value[0], value[1])):
        return None
    return value


def _outcome_shape(resolves, warnings) -> bool:
    return (type(resolves) is list and type(warnings) is list
            and all(type(r) is list and len(r) == 3 and type(r[0]) is str and type(r[1]) is str
                    and (r[2] is None or type(r[2]) is str) for r in resolves)
            and all(type(w) is list and len(w) == 4 and type(w[0]) is int and type(w[1]) is str
                    and type(w[2]) is str and type(w[3]) is str for w in warnings))
