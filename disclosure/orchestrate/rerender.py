"""The preview's first answer to an edit: the edited items' own pages, re-rendered from the site
the last build left in memory, in milliseconds instead of a full rebuild's seconds.

This is Hugo's "fast render" idea applied to what an editor does most: change the text or the
fields of a document, an interpretation or a column page and look at that page. The full build
still follows (the preview runs it right after) and puts everything else in order: lists, feeds,
exports and the search index. Anything this cannot do exactly (a new or deleted file, a task
table, a change to templates or config.yaml, or a field that moves an item between lists, holds
it back or changes what it is related to) is left to that build.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from ..model.classify import Site
from ..load.models import thaw, freeze_all
from ..errors import Problems
from .incremental import content_hash
from ..load.loader import DOCUMENTS, INTERPRETATIONS, PAGES, load_file
from ..render.pages import PageRenderer
from ..render.plan import HtmlPage
from .write import atomic_write

MOST_FILES = 20  # more changed files at once (a `git pull`) wait for the full build

# Fields whose change alters more than the item's own page as it is drawn: whether it is shown at
# all (published), its validity (status, and the 现行有效/已废止 lists), the items it is linked
# to, and the attachment files that must be copied.
STRUCTURAL = {"id", "path", "published", "validity", "expires", "repealed", "repealed_by", "interprets",
              "attachments", "in_force", "amends", "replaces", "basis"}
# Set by validate and classify from the other items, not read from the file.
DERIVED = {"status", "interpretations", "task_tables", "repealer", "repeals", "document", "replaced_by", "replacing",
           "amended_by", "amending", "based_on"}


@dataclass
class LastBuild:
    """What the last successful build leaves for quick re-renders."""

    site: Site
    renderer: PageRenderer
    pages: dict[str, HtmlPage]  # url → page
    items: dict[str, tuple[int, object]]  # content file → (loader kind, model)

    @classmethod
    def of(cls, result) -> "LastBuild":
        content = result.site.content
        items = {}
        for kind in (DOCUMENTS, INTERPRETATIONS, PAGES):
            for model in content.by_kind[kind]:
                items[str(model.path)] = (kind, model)
        return cls(result.site, result.renderer, {page.url: page for page in result.plan.pages}, items)


def rerender(last: LastBuild, changed: list[str], output: Path) -> dict[str, str] | None:
    """Re-render the pages of the changed content files into `output` in place.

    Returns output path → content hash of each page written, or None when the change is not one
    this can show exactly (nothing is written then; the full build shows it)."""
    if not changed or len(changed) > MOST_FILES:
        return None
    pages = []
    for path in changed:
        kind, model = last.items.get(path, (None, None))
        if model is None:
            return None
        problems = Problems()
        fresh, _ = load_file(kind, Path(path), last.site.content.root, last.site.config, problems)
        if problems.errors or fresh is None or not _same_structure(model, fresh):
            return None
        page = last.pages.get(model.url)
        if page is None:  # held back from the site: nothing of it is shown
            return None
        pages.append((model, fresh, page))
    renderer = last.renderer
    problems = Problems()
    for model, fresh, _ in pages:
        _apply(model, fresh, last.site)
    rendered = {}
    for _, _, page in pages:
        rendered[page.path], found = renderer.render(page)
        problems.extend(found)
    if problems.errors:  # a broken link, say: the full build reports it
        return None
    written = {}
    for relative, data in rendered.items():
        # Swapped in whole, so the server never sends half a page. A missing folder means the full
        # build is swapping the site this moment: nothing is made in its way, and it shows the edit.
        if atomic_write(output / relative, data, make_folder=False):
            written[relative] = content_hash(data)
    return written


def _names(model) -> list[str]:
    return [f.name for f in fields(model) if f.name not in DERIVED]


def _structure(model, name: str):
    value = getattr(model, name)
    if name == "attachments":  # their site URLs are set when the build copies them
        return [(attachment.title, attachment.source) for attachment in value]
    return value


def _same_structure(old, new) -> bool:
    return type(old) is type(new) and all(
        _structure(old, name) == _structure(new, name) for name in _names(old) if name in STRUCTURAL)


def _apply(model, fresh, site: Site) -> None:
    """The one write to a frozen model outside model/: the fields its file gives, in place, so
    every list and page that holds it sees the edit; its relations stay (see STRUCTURAL)."""
    thaw(model)
    for name in _names(model):
        if name != "attachments":
            setattr(model, name, getattr(fresh, name))
    freeze_all(model)
