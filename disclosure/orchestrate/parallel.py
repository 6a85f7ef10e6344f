"""Making outputs on every core: forked workers share the classified site and write their files
straight into the staging folder, so nothing large crosses between processes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .forkpool import fork_pool
from .outputs import OutputMaker

SERIAL_BELOW = 400  # pages: below this, starting workers costs more than it saves


@dataclass
class Batch:
    made: list = field(default_factory=list)  # (plan index, orchestrate/outputs.py Made)
    assets: dict = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    # The Markdown it rendered or read (CachedMarkdown.finish_batch): the outcome of each text,
    # the cache rows it rendered anew (for the build to write), the rows it read (when the build
    # wants the HTML back), and the cache key of each text by its place.
    markdown_outcomes: dict = field(default_factory=dict)
    markdown_fresh: dict = field(default_factory=dict)
    markdown_read: dict | None = None
    markdown_keys: dict = field(default_factory=dict)


def _make_batch(shared: tuple, task: tuple[list[int], list[int]]) -> Batch:
    maker, follow, hand_html = shared
    pages, extra = task
    markdown = maker.renderer.markdown
    hits, misses = markdown.hits, markdown.misses
    markdown.start_batch()
    batch = Batch()
    for index in pages:
        batch.made.append((index, maker(index)))
        after = follow.get(index)
        if after is not None:  # made now, while the page's HTML is at hand
            batch.made.append((after, maker(after)))
    batch.made += [(index, maker(index)) for index in extra]
    batch.assets = dict(maker.renderer.assets.files)
    batch.hits, batch.misses = markdown.hits - hits, markdown.misses - misses
    (batch.markdown_outcomes, batch.markdown_fresh, batch.markdown_read,
     batch.markdown_keys) = markdown.finish_batch(with_html=hand_html)
    return batch


def _call(function, indices: list[int]) -> list:
    return [function(index) for index in indices]


def fork_map(function, count: int, jobs: int | None) -> list:
    """[function(0), …, function(count - 1)] computed by forked workers, which see this
    process's memory as it is at the call: `function` may be a closure over the whole site."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or count < SERIAL_BELOW:
        return [function(index) for index in range(count)]
    size = max(1, count // (jobs * 8))
    with fork_pool(jobs, shared=function) as pool:
        parts = pool.map(_call, [list(range(start, min(start + size, count))) for start in range(0, count, size)])
    return [result for part in parts for result in part]


def make_outputs(maker: OutputMaker, pages: list[int], follow: dict[int, int], extra: list[int],
                 jobs: int | None, progress=None, hand_html: bool = True) -> list[Batch]:
    """Make the plan's outputs `pages` (each followed by `follow[page]` if it has one), then
    `extra`; returns what each batch made and found. With `hand_html`, the batches carry the HTML
    of every Markdown text they rendered or read (for a search index), not only its outcome."""
    jobs = jobs or os.cpu_count() or 1
    shared = (maker, follow, hand_html)  # to the workers with the fork
    extra = list(extra)
    if jobs == 1 or len(pages) + len(extra) < SERIAL_BELOW:
        size = max(1, len(pages) // 20)
        batches = []
        for start in range(0, len(pages), size):
            batches.append(_make_batch(shared, (pages[start:start + size], [])))
            if progress:
                progress(min(start + size, len(pages)), len(pages))
        if extra:
            batches.append(_make_batch(shared, ([], extra)))
        return batches
    # Pages interleaved, so each batch gets a share of every kind; the other outputs last, in
    # small batches, to even out the end.
    tasks = [(pages[k::jobs * 8], []) for k in range(jobs * 8)]
    tasks += [([], extra[k::jobs * 4]) for k in range(jobs * 4)]
    batches = []
    done, page_set = 0, set(pages)
    with fork_pool(jobs, shared=shared) as pool:
        for batch in pool.imap_unordered(_make_batch, [task for task in tasks if task[0] or task[1]]):
            batches.append(batch)
            made = sum(1 for index, _ in batch.made if index in page_set)
            done += made
            if progress and made:  # the other outputs' batches come after the last page
                progress(done, len(pages))
    return batches
