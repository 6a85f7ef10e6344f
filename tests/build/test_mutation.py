"""Dependency tracking, proved by mutation (issue 17, item 3).

Every output of a build (pages, feeds, per-document JSON, catalogue, sitemap, CSV, search index,
static files and attachments) is reused by an incremental build when its key is unchanged, and
those keys are lists of what each output reads, written by hand (the `reads` of each entry of
render/plan.py, and orchestrate/incremental.py global_key for what every output reads). A
missed dependency gives a stale file and no error.

So: a small project holding every content type and relation (an interpretation of a document, a
task table of a plan, a repealed and an expired document, attachments and an image, a scheduled
document, a document issued by a group, lists of several pages, feeds shorter than the column)
is built once with a cache.
Then, one at a time, every front-matter field of every content type is changed, and each
optional one removed and added; bodies are edited; attachments and files are added, changed
and removed; every config.yaml key is changed; every template and static file is edited; the
build date and --base-url/--base-path move. After each single mutation the incremental build
(warm cache, onto the previous site) must equal a clean build (no cache, fresh folder) byte for
byte, the unpublished marker .disclosure-site included (it digests the manifest: the outputs'
keys and sizes, the same for the same site).

The mutations accumulate: each starts from the state the previous ones left, so each
incremental build covers exactly one change. A stale output is reported with the mutation that
left it, then the incremental site is rebuilt from scratch so the next one is judged on its own.
What each mutation changed is read from the files before and after it, and every field of the
content schemas (loader.py), every config.yaml key, template and static file must have been
changed by some mutation: a field added later fails the test until it has its mutations.

Builds run in this process (BuildOptions, one job) in /dev/shm where there is one, each reusing
the templates the builds before it compiled (as the preview does), and the vendored Decap files
stood in for by files of a few bytes (shipped the same way: `_small_decap`): a build of the small
project takes a tenth of a second. The mutations that change what is searched build and compare
the search index (after a build with an index, so that it is reused or replaced);
DISCLOSURE_MUTATION_SEARCH=1 builds and compares it for every mutation (slower).

The project is made by tests/mutation_project.py and the mutations are listed in tests/mutations.py
(the kinds of edit in mutation_edits.py; config.yaml, templates and options in mutations_site.py);
this file builds, compares and checks coverage.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT
from mutation_project import OPTIONS, make_project, read_front, read_yaml
from mutations import CATEGORIES
from site_scan import entries



# --- builds --------------------------------------------------------------------------------------


ALWAYS_SEARCH = os.environ.get("DISCLOSURE_MUTATION_SEARCH") == "1"




def build(project: Path, output: Path, cache: Path | None, search: bool) -> None:
    from disclosure.errors import BuildFailed
    from disclosure.orchestrate.pipeline import BuildOptions
    from disclosure.orchestrate.pipeline import build as run

    given = json.loads((project / OPTIONS).read_text("utf-8")) if (project / OPTIONS).is_file() else {}
    # history=False: the project is no git repository, and asking git so (twice a mutation) would
    # only add a line to the build's log, never a byte to the site.
    options = BuildOptions(content=project / "content", output=output, config=project / "config.yaml",
                           templates=project / "templates", search=search, jobs=1, cache=cache, history=False,
                           base_url=given.get("base_url"), base_path=given.get("base_path"))
    os.environ["SOURCE_DATE_EPOCH"] = given.get("epoch", EPOCH)
    try:
        run(options)
    except BuildFailed as failed:
        problems = "\n".join(f"{p.path}:{p.line}: {p.message}" for p in failed.problems.errors)
        raise AssertionError(f"the build failed:\n{problems}") from None


def tree(folder: Path) -> dict[str, str]:
    return {name: entry.path for name, entry in entries(folder) if entry.is_file()}


def same_bytes(one: str, other: str) -> bool:
    if os.stat(one).st_size != os.stat(other).st_size:
        return False
    with open(one, "rb") as first, open(other, "rb") as second:
        return first.read() == second.read()


def differences(incremental: Path, clean: Path) -> list[str]:
    """What differs between the two sites: stale, missing and extra files."""
    mine, theirs = tree(incremental), tree(clean)
    found = []
    for name in sorted(mine.keys() | theirs.keys()):
        if name not in mine:
            found.append(f"missing {name}")
        elif name not in theirs:
            found.append(f"extra {name}")
        elif not same_bytes(mine[name], theirs[name]):
            found.append(f"stale {name}")
    return found


class Sites:
    """The project, its incremental site (with a cache) and a clean build to compare it with."""

    def __init__(self, folder: Path):
        self.project = make_project(folder / "project")
        self.site, self.cache, self.clean = folder / "site", folder / "cache", folder / "clean"
        self.indexed = False

    def incremental(self, search: bool) -> None:
        build(self.project, self.site, self.cache, search)
        self.indexed = search

    def compare(self, search: bool) -> list[str]:
        shutil.rmtree(self.clean, ignore_errors=True)
        build(self.project, self.clean, None, search)
        return differences(self.site, self.clean)

    def reset(self) -> None:
        """A fresh incremental site and cache, so the next mutation is judged on its own."""
        shutil.rmtree(self.site, ignore_errors=True)
        shutil.rmtree(self.cache, ignore_errors=True)
        self.incremental(self.indexed)


# Feeds of a few entries, as a busy column's are (50 of thousands): a feed then lists an
# interpretation without the document it explains, and an old document drops out of it.
FEED_LIMIT = 5


def _small_decap(folder: Path) -> Path:
    """The vendored Decap files as stand-ins of a few bytes each, under the same names and with
    their own SHA256SUMS: shipped as the real ones are (copied, hashed, linked from the previous
    site), whatever their size, without copying, hashing and comparing 6 MB twice a mutation."""
    from disclosure.render import desk

    sums = []
    for name, _ in desk.vendored():
        data = f"/* {name}: a stand-in */\n".encode() if name.endswith(".js") else (desk.VENDOR / name).read_bytes()
        (folder / name).write_bytes(data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
    (folder / "SHA256SUMS").write_text("".join(sums), "utf-8")
    return folder


@pytest.fixture(autouse=True)
def _builds(monkeypatch, tmp_path):
    from disclosure.render import desk, feeds

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(feeds, "FEED_LIMIT", FEED_LIMIT)
    monkeypatch.setattr(feeds.FeedIndex, "limit", FEED_LIMIT)
    monkeypatch.setattr(desk, "VENDOR", _small_decap(tmp_path))
    desk.vendored.cache_clear()  # checked once per process: the stand-ins now, the real files after
    yield
    desk.vendored.cache_clear()


@pytest.fixture
def workdir(request):
    """Where the sites are built: in memory where the machine has it (/dev/shm). The builds make
    a folder per page, and on a virtual disk each mkdir costs a millisecond; there, a thousandth.
    (Not pytest's tmp_path there: at the end of the session pytest deletes its old ones.)"""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield request.getfixturevalue("tmp_path")
        return
    folder = Path(tempfile.mkdtemp(prefix="disclosure-mutation-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- what the mutations cover ----------------------------------------------------------------------
#
# Taken from what each mutation really changed in the project, not from its name: a field of the
# content model or a config.yaml key that no mutation changes fails the test, so a field added
# later comes with its mutations.

KINDS = {"documents": "document", "interpretations": "interpretation", "tasks": "task table", "pages": "page",
         "reports": "report", "catalogue": "catalogue", "consultations": "consultation", "decisions": "decisions"}
CONFIG_KEYS_UNUSED = ("bodies.groups", "desk.host", "desk.app_id", "desk.oauth")  # read by config.py, not used by the bundled config.yaml


def _flat(value, path: str, into: dict, indexed: bool = True) -> dict:
    """Every leaf of YAML data by its path: bodies[3].aliases[0] (or bodies.aliases unindexed)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(inner, f"{path}.{key}" if path else key, into, indexed)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, inner in enumerate(value):
            _flat(inner, f"{path}[{index}]" if indexed else path, into, indexed)
    else:
        into.setdefault(path, []).append(repr(value))
    return into


def fields(project: Path) -> dict[tuple, str]:
    """(what, file, field) → value, for every field of every content file, config key and template."""
    found: dict[tuple, str] = {}
    content = project / "content"
    for path in sorted(content.rglob("*")):
        if not path.is_file():
            continue
        kind = KINDS.get(path.relative_to(content).parts[0])
        name = path.relative_to(content).as_posix()
        if kind is None or path.suffix not in (".md", ".yaml"):
            found["content file", name, "bytes"] = hashlib.sha256(path.read_bytes()).hexdigest()
            continue
        if kind in ("report", "decisions"):
            # By place, not name: the file name is the year (and a report's issuer), so changing it renames the file.
            name = f"{path.parent.name}#{sorted(path.parent.glob('*.yaml')).index(path)}"
        found.update(_file_fields(kind, name, path, path.read_text("utf-8")))
    found.update(_file_fields("config.yaml", "", project / "config.yaml", (project / "config.yaml").read_text("utf-8")))
    for path in sorted((project / "templates").rglob("*")):
        if path.is_file():
            name = path.relative_to(project / "templates").as_posix()
            what = "static file" if name.startswith("static/") else "template"
            found[what, name, name.removeprefix("static/")] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@functools.lru_cache(maxsize=None)
def _file_fields(kind: str, name: str, path: Path, text: str) -> tuple[tuple[tuple, str], ...]:
    """The fields of one file of `kind` as `fields` lists them, from its text: each text is parsed
    once (a mutation changes a file or two of dozens)."""
    found: dict[tuple, str] = {}
    if kind == "config.yaml":
        for key, values in _flat(read_yaml(path, text), "", {}).items():
            found["config.yaml", "", key] = repr(values)
        return tuple(found.items())
    if kind in ("consultation", "document", "interpretation", "page"):
        data, body = read_front(path, text)
        found[kind, name, "body"] = body
    else:
        data = read_yaml(path, text)
    if kind == "task table":
        tasks = data.pop("tasks")
        for index, item in enumerate(tasks):
            for key, value in item.items():
                found["task", f"{name}#{index}", key] = repr(value)
        found[kind, name, "tasks"] = repr(len(tasks))
    elif kind == "consultation":
        for key, value in (data.get("feedback") or {}).items():
            found["consultation feedback", name, key] = repr(value)
    elif kind == "decisions":
        items = data.pop("items", None) or []
        for index, item in enumerate(items):
            for key, value in item.items():
                found["decision item", f"{name}#{index}", key] = repr(value)
        found[kind, name, "items"] = repr(len(items))
    elif kind == "catalogue":
        rows = data.pop("rows", None)
        for index, item in enumerate(rows or []):
            for key, value in item.items():
                found["catalogue row", f"{name}#{index}", key] = repr(value)
        if rows is not None:
            found[kind, name, "rows"] = repr(len(rows))
    for key, value in data.items():
        found[kind, name, key] = repr(value)
    return tuple(found.items())


def changes(before: dict, after: dict) -> set[tuple[str, str, str]]:
    """(what, field, how): how is changed, removed or added (a field of a file that stays)."""
    files = {key[:2] for key in before} & {key[:2] for key in after}
    found = set()
    for key in before.keys() | after.keys():
        if key[:2] not in files and key[0] not in ("task", "catalogue row", "config.yaml", "consultation feedback",
                                                   "decision item"):
            found.add((key[0], "file", "added" if key in after else "removed"))
            continue
        field = re.sub(r"\[\d+\]", "", key[2]) if key[0] == "config.yaml" else key[2]
        if key not in after:
            found.add((key[0], field, "removed"))
        elif key not in before:
            found.add((key[0], field, "added"))
        elif before[key] != after[key]:
            found.add((key[0], field, "changed"))
    return found


def required_coverage(category: str) -> set[tuple[str, str, str]]:
    """What a category's mutations must change: every field, and each optional one also removed
    and added; every config.yaml key; every template and static file."""
    from disclosure.load import loader
    from disclosure.load.config import SiteOptions

    schemas = {"document": [("document", loader.DOCUMENT)], "interpretation": [("interpretation", loader.INTERPRETATION)],
               "task table": [("task table", loader.TASK_TABLE), ("task", loader.TASK)], "page": [("page", loader.PAGE)],
               "report": [("report", loader.REPORT)],
               "catalogue": [("catalogue", loader.CATALOGUE), ("catalogue row", loader.CATALOGUE_ROW)],
               "consultation": [("consultation", loader.CONSULTATION), ("consultation feedback", loader.FEEDBACK)],
               "decisions": [("decisions", loader.DECISION_CATALOGUE), ("decision item", loader.DECISION_ITEM)]}
    if category in schemas:
        needed = ({(category, "body", "changed")}
                  if category not in ("task table", "report", "catalogue", "decisions") else set())
        for what, schema in schemas[category]:
            for name, spec in schema.items():
                if name != "id":  # id repeats the file name: it is only written down or left out
                    needed.add((what, name, "changed"))
                if not spec.required:
                    needed |= {(what, name, "removed"), (what, name, "added")}
        return needed
    if category == "config.yaml":
        keys = {*_flat(read_yaml(ROOT / "config.yaml"), "", {}, indexed=False), *CONFIG_KEYS_UNUSED,
                *(f"site.{name}" for name in SiteOptions.__dataclass_fields__)}
        return {("config.yaml", key, "changed") for key in keys}
    if category in ("template", "static file"):
        folder = ROOT / "templates"
        names = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
        static = category == "static file"
        return {(category, name.removeprefix("static/"), "changed") for name in names
                if name.startswith("static/") == static}
    return set()


def _covered(found: set, needed: set) -> set:
    """`needed` less what `found` covers; for config.yaml a key counts whichever way it changed."""
    loose = {(what, field) for what, field, _ in found}
    return {item for item in needed
            if item not in found and not (item[0] == "config.yaml" and item[:2] in loose)}


@pytest.mark.long
@pytest.mark.parametrize("category", list(CATEGORIES))
def test_every_mutation_builds_incrementally_to_the_clean_site(category, workdir):
    sites = Sites(workdir)
    first = CATEGORIES[category]()[0]
    sites.incremental(first.search or ALWAYS_SEARCH)
    assert sites.compare(sites.indexed) == [], "the first build differs from a clean build"
    failures, covered = [], set()
    after = fields(sites.project)
    for mutation in CATEGORIES[category]():
        search = mutation.search or ALWAYS_SEARCH
        if search and not sites.indexed:
            sites.incremental(True)  # the index to reuse or replace
        before = after
        mutation.apply(sites.project)
        after = fields(sites.project)
        changed = changes(before, after)
        covered |= changed
        assert changed or category == "build option", f"{mutation}: changed no field"
        try:
            sites.incremental(search)
            found = sites.compare(search)
        except AssertionError as error:
            raise AssertionError(f"{mutation}: {error}") from None
        if found:
            failures.append(f"{mutation}: " + ", ".join(found[:8]) + (" …" if len(found) > 8 else ""))
            sites.reset()
    assert not failures, "incremental builds differ from clean builds:\n" + "\n".join(failures)
    missing = _covered(covered, required_coverage(category))
    assert not missing, "no mutation changes " + ", ".join(" ".join(item) for item in sorted(missing))
