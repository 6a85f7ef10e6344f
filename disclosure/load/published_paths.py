"""Where a file under content/ is published: /files/ and an ASCII path that depends on the
file's own path only, so it never changes when another file comes or goes, and two files never
share one: a name already in lowercase ASCII is kept, any other is told apart by a digest of its
exact spelling (A.pdf beside a.pdf, 附件.PDF beside 附件.pdf)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def published_path(source: Path, content_root: Path) -> str:
    """The site path of `source` (resolved: a link is published as the file it points to)."""
    relative = source.resolve().relative_to(content_root.resolve()).as_posix()
    return "/files/" + "/".join(ascii_segment(s) for s in relative.split("/"))


def ascii_segment(segment: str) -> str:
    if SAFE_SEGMENT.match(segment):
        lower = segment.lower()
        if lower == segment:
            return segment
        # “~” is in no kept name, so this cannot be another file's path.
        stem, dot, suffix = lower.rpartition(".")
        mark = "~" + hashlib.sha1(segment.encode("utf-8")).hexdigest()[:8]
        return f"{stem}{mark}.{suffix}" if dot and stem else lower + mark
    stem, dot, suffix = segment.rpartition(".")
    if not dot:
        stem, suffix = segment, ""
    if suffix and SAFE_SEGMENT.match(suffix):
        # Named by the stem alone, as before, when the suffix is already lowercase.
        key = stem if suffix == suffix.lower() else f"{stem}\0{suffix}"
        suffix = suffix.lower()
    else:
        key, suffix = segment, ""
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"f-{digest}" + (f".{suffix}" if suffix else "")
