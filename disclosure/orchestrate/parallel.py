"""Rendering pages on every core: forked workers share the classified site and write their
pages straight into the staging folder, so nothing large crosses between processes."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .forkpool import fork_pool
from .incremental import content_hash
from ..render.pages import PageRenderer, output_path

SERIAL_BELOW = 400  # pages: below this, starting workers costs more than it saves


@dataclass
class Batch:
    written: list = field(default_factory=list)  # (output path, content hash, size)
    problems: list = field(default_factory=list)
    assets: dict = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    exports: list = field(default_factory=list)  # (export job, its result), see render_pages
    # The Markdown it rendered or read (CachedMarkdown.finish_batch): the outcome of each text,
    # the cache rows it rendered anew (for the build to write), the rows it read (when the build
    # wants the HTML back), and the cache key of each text by its place.
    markdown_outcomes: dict = field(default_factory=dict)
    markdown_fresh: dict = field(default_factory=dict)
    markdown_read: dict | None = None
    markdown_keys: dict = field(default_factory=dict)


_SHARED: dict = {}


def _render_batch(task: tuple[list[int], list[int]]) -> Batch:
    pages, extra = task
    renderer: PageRenderer = _SHARED["renderer"]
    specs, write, exports = _SHARED["specs"], _SHARED["write"], _SHARED["exports"]
    hits, misses = renderer.markdown.hits, renderer.markdown.misses
    renderer.markdown.start_batch()
    batch = Batch()
    for index in pages:
        relative = output_path(specs[index].url)
        data, found = renderer.render(specs[index])
        batch.problems += found
        write(relative, data)
        batch.written.append((relative, content_hash(data), len(data)))
        job = exports.after_page.get(index) if exports else None
        if job is not None:  # made now, while the page's HTML is at hand
            batch.exports.append((job, exports(job)))
    batch.exports += [(job, exports(job)) for job in extra]
    batch.assets = dict(renderer.assets.files)
    batch.hits, batch.misses = renderer.markdown.hits - hits, renderer.markdown.misses - misses
    (batch.markdown_outcomes, batch.markdown_fresh, batch.markdown_read,
     batch.markdown_keys) = renderer.markdown.finish_batch(with_html=_SHARED["hand_html"])
    return batch


def _call(indices: list[int]) -> list:
    function = _SHARED["function"]
    return [function(index) for index in indices]


def fork_map(function, count: int, jobs: int | None) -> list:
    """[function(0), …, function(count - 1)] computed by forked workers, which see this
    process's memory as it is at the call: `function` may be a closure over the whole site."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or count < SERIAL_BELOW:
        return [function(index) for index in range(count)]
    _SHARED["function"] = function
    try:
        size = max(1, count // (jobs * 8))
        with fork_pool(jobs) as pool:
            parts = pool.map(_call, [list(range(start, min(start + size, count))) for start in range(0, count, size)])
        return [result for part in parts for result in part]
    finally:
        _SHARED.clear()


def render_pages(renderer: PageRenderer, specs, indices: list[int], write: Callable[[str, bytes], object],
                 jobs: int | None, progress=None, exports=None, extra: list[int] = (),
                 hand_html: bool = True) -> list[Batch]:
    """Render `specs[i]` for each index and `write` it (output path, bytes); returns what each
    batch wrote and found.

    `exports(job)` makes an output other than a page: the job `exports.after_page[i]` right after
    page i, and the jobs in `extra` after the pages. With `hand_html`, the batches carry the HTML
    of every Markdown text they rendered or read (for a search index), not only its outcome."""
    jobs = jobs or os.cpu_count() or 1
    _SHARED.update(renderer=renderer, specs=specs, write=write, exports=exports, hand_html=hand_html)
    extra = list(extra)
    try:
        if jobs == 1 or len(indices) + len(extra) < SERIAL_BELOW:
            size = max(1, len(indices) // 20)
            batches = []
            for start in range(0, len(indices), size):
                batches.append(_render_batch((indices[start:start + size], [])))
                if progress:
                    progress(min(start + size, len(indices)), len(indices))
            if extra:
                batches.append(_render_batch(([], extra)))
            return batches
        # Pages interleaved, so each batch gets a share of every kind; the other jobs last, in
        # small batches, to even out the end.
        tasks = [(indices[k::jobs * 8], []) for k in range(jobs * 8)]
        tasks += [([], extra[k::jobs * 4]) for k in range(jobs * 4)]
        batches = []
        done = 0
        with fork_pool(jobs) as pool:
            for batch in pool.imap_unordered(_render_batch, [task for task in tasks if task[0] or task[1]]):
                batches.append(batch)
                done += len(batch.written)
                if progress and batch.written:  # the other jobs' batches come after the last page
                    progress(done, len(indices))
        return batches
    finally:
        _SHARED.clear()
