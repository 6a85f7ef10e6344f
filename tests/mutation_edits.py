"""How tests/mutations.py changes the project of mutation_project.py: the kinds of edit (a
front-matter field, a body, a YAML file, config.yaml, a file, a template, a build option), each
a function of the project folder that asserts it changed something."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from mutation_project import OPTIONS, TABLE, dump, read_front, read_yaml, write_front

REMOVE = object()


@dataclass
class Mutation:
    category: str
    name: str
    apply: Callable[[Path], None]
    search: bool = False  # also build and compare the search index

    def __str__(self) -> str:
        return f"{self.category}: {self.name}"


def yaml_file(relative: str, change: Callable[[dict], None], rename: str | None = None) -> Callable[[Path], None]:
    """Change a YAML file of the project (path from the project folder); `rename`: its new file
    name, for a file whose name follows from its fields (a report's is its year and issuer)."""

    def apply(project: Path) -> None:
        path = project / relative
        data = read_yaml(path)
        before = repr(data)
        change(data)
        assert repr(data) != before, f"{relative} did not change"
        if rename:
            path.unlink()
            path = path.with_name(rename)
        path.write_text(dump(data), "utf-8")

    return apply


def set_fields(target: dict, changes: dict) -> None:
    """Set each of `changes` in `target`, or delete it where the value is REMOVE."""
    for key, value in changes.items():
        if value is REMOVE:
            del target[key]
        else:
            target[key] = value


def front(relative: str, **changes) -> Callable[[Path], None]:
    """Set (or with REMOVE, delete) front-matter fields of a content file."""

    def apply(project: Path) -> None:
        path = project / "content" / relative
        meta, body = read_front(path)
        for key, value in changes.items():
            if value is REMOVE:
                assert key in meta, f"{key} is not in {relative}"
                del meta[key]
            else:
                assert meta.get(key) != value, f"{relative}: {key} is {value!r} already"
                meta[key] = value
        write_front(path, meta, body)

    return apply


def edit_front(relative: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / relative
        meta, body = read_front(path)
        before = repr(meta)
        change(meta)
        assert repr(meta) != before, f"{relative}: nothing changed"
        write_front(path, meta, body)

    return apply


def body(relative: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / relative
        meta, text = read_front(path)
        changed = change(text)
        assert changed != text, f"{relative}: the body did not change"
        write_front(path, meta, changed)

    return apply


def tasks(change: Callable[[dict], None]) -> Callable[[Path], None]:
    return yaml_file(f"content/tasks/{TABLE}.yaml", change)


def task(index: int, **changes) -> Callable[[Path], None]:
    return tasks(lambda data: set_fields(data["tasks"][index], changes))


def config(change: Callable[[dict], None]) -> Callable[[Path], None]:
    return yaml_file("config.yaml", change)


def site_option(key: str, value) -> Callable[[Path], None]:
    return config(lambda data: set_fields(data["site"], {key: value}))


def body_entry(name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(data: dict) -> None:
        change(next(b for b in data["bodies"] if b["name"] == name))

    return config(apply)


def apply_option(change: Callable[[dict], None]) -> Callable[[Path], None]:
    return config(lambda data: change(data["apply"]))


def apply_office(index: int | None, key: str, value) -> Callable[[Path], None]:
    """Set (or with REMOVE, delete) a field of the default office (None) or of apply.offices[index]."""
    return apply_option(lambda apply: set_fields(apply["office"] if index is None else apply["offices"][index],
                                                 {key: value}))


def topic_entry(name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(data: dict) -> None:
        top, _, child = name.partition("/")
        entry = next(t for t in data["topics"] if t["name"] == top)
        if child:
            entry = next(c for c in entry["children"] if c["name"] == child)
        change(entry)

    return config(apply)


def term_entry(vocabulary: str, name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(data: dict) -> None:
        change(next(t for t in data[vocabulary] if t["name"] == name))

    return config(apply)


def edit_file(relative: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        data = path.read_bytes()
        changed = change(data)
        assert changed != data, f"{relative} did not change"
        path.write_bytes(changed)

    return apply


def write_file(relative: str, data: bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    return apply


def delete_file(relative: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / relative).unlink()

    return apply


def move_file(relative: str, target: str, *more: tuple[str, str]) -> Callable[[Path], None]:
    """Move (rename) a file or folder, and any `more` (path, target) pairs with it."""

    def apply(project: Path) -> None:
        for source, moved in ((relative, target), *more):
            (project / moved).parent.mkdir(parents=True, exist_ok=True)
            (project / source).rename(project / moved)

    return apply


def template_edit(name: str) -> Callable[[Path], None]:
    """A visible change to a template: a comment into its first element, or text at its end."""
    marker = f"<!-- mutated {name} -->"

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        at = text.find("</")
        return (text[:at] + marker + text[at:] if at >= 0 else text + marker).encode("utf-8")

    return edit_file(f"templates/{name}", change)


def static_edit(name: str) -> Callable[[Path], None]:
    comments = {".css": b"\n/* mutated */\n", ".js": b"\n// mutated\n", ".svg": b"\n<!-- mutated -->\n"}
    return edit_file(f"templates/static/{name}", lambda data: data + comments.get(Path(name).suffix, b"\0mutated"))


def set_key(key: str, value) -> Callable[[dict], None]:
    def change(target: dict) -> None:
        target[key] = value

    return change


def catalogue(relative: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    """Change an area file of the 标准目录 (content/catalogue/)."""
    return yaml_file(f"content/catalogue/{relative}", change)


def catalogue_row(relative: str, index: int, **changes) -> Callable[[Path], None]:
    return catalogue(relative, lambda data: set_fields(data["rows"][index], changes))


def remove_key(key: str) -> Callable[[dict], None]:
    def change(target: dict) -> None:
        del target[key]

    return change


def report_yaml(relative: str, change: Callable[[dict], None], rename: str | None = None) -> Callable[[Path], None]:
    """Change a report's YAML; `rename`: its new file name (the name is year and issuer)."""
    return yaml_file(f"content/{relative}", change, rename)


def option(**given) -> Callable[[Path], None]:
    """Build with other command-line options (--base-url, --base-path) or on another day."""

    def apply(project: Path) -> None:
        path = project / OPTIONS
        options = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        options.update(given)
        path.write_text(json.dumps(options), "utf-8")

    return apply


def epoch(day: date) -> str:
    """SOURCE_DATE_EPOCH for 00:00 of `day` in China (UTC+8), as a nightly build there sets it."""
    return str(int(datetime(day.year, day.month, day.day, tzinfo=timezone(timedelta(hours=8))).timestamp()))
