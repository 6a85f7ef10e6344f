"""api/changes.json: what was added, changed, repealed, expired or removed since an earlier export.

The baseline is the api/documents.json of an earlier build, given with `--previous` as a path
(a file, or a built site folder) or an http(s) URL. "Changed" means the record's content hash
differs: any element, the full text, attachments, related interpretations.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import stat
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems
from ..load.models import EXPIRED, REPEALED, VALID

CATEGORIES = ("added", "changed", "repealed", "expired", "removed")
LABELS = {"added": "新增", "changed": "修改", "repealed": "废止", "expired": "失效", "removed": "删除"}
FETCH_TIMEOUT = 60  # seconds for the whole download; only the operator's own --previous URL is ever fetched
MAX_BYTES = 1 << 30  # the api/documents.json of a million documents is well under this


@dataclass
class Baseline:
    data: dict  # the earlier api/documents.json
    sha256: str  # of its bytes, so a consumer can tell which export this was compared with

    @property
    def documents(self) -> list[dict]:
        return self.data["documents"]


def canonical_json(data) -> str:
    """JSON with sorted keys and no spaces: what record hashes are over, and the compact exports."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_hash(record: dict) -> str:
    """SHA-256 of a record in canonical JSON, leaving out the hash itself."""
    data = {key: value for key, value in record.items() if key != "hash"}
    return "sha256:" + hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def load_previous(source: str | None, problems: Problems) -> Baseline | None:
    """The earlier export named by --previous; a problem (and None) if it cannot be used."""
    if not source:
        return None
    fix = "--previous 应是上一次构建的 api/documents.json（文件路径、site 目录或 http(s) 网址）；第一次构建请不加这个参数"
    try:
        raw = _fetch(source)
    except (OSError, ValueError, http.client.HTTPException) as exc:  # a server may answer anything
        problems.add("--previous", 0, f"读不到上一次构建的导出“{source}”：{_reason(exc)}", fix)
        return None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested deeper than a parser goes
        problems.add("--previous", 0, f"“{source}”不是 JSON 文件", fix)
        return None
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, list) or not all(
            isinstance(d, dict) and isinstance(d.get("id"), str) for d in documents):
        problems.add("--previous", 0, f"“{source}”不是 api/documents.json 的格式（缺少 documents 列表）", fix)
        return None
    return Baseline(data, hashlib.sha256(raw).hexdigest())


def _fetch(source: str) -> bytes:
    if source.lower().startswith(("http://", "https://")):
        return _download(source)
    path = Path(source)
    if path.is_dir():
        path = path / "api" / "documents.json"
    # A pipe or a device (/dev/zero, /dev/stdin) would be waited on or read for ever.
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("不是普通文件")
    if info.st_size > MAX_BYTES:
        raise ValueError(f"文件有 {info.st_size} 字节，不可能是 documents.json")
    return path.read_bytes()


def _download(url: str) -> bytes:
    """The body at `url`, within FETCH_TIMEOUT in all and MAX_BYTES: a server that answers a byte
    at a time, or never stops, must not hold up the build (the socket timeout is per read only)."""
    outcome: list = []

    def fetch() -> None:
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "disclosure-site-build"})
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
                parts, size = [], 0
                while chunk := response.read1(1 << 16):
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise ValueError(f"下载超过 {MAX_BYTES} 字节，不可能是 documents.json")
                    parts.append(chunk)
            outcome.append(b"".join(parts))
        except Exception as exc:  # noqa: BLE001 - handed to the build's thread, which reports it
            outcome.append(exc)

    worker = threading.Thread(target=fetch, daemon=True)  # left behind if it overruns: the build ends soon
    worker.start()
    worker.join(FETCH_TIMEOUT)
    if not outcome:
        raise TimeoutError(f"{FETCH_TIMEOUT} 秒内没有下载完")
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


def _reason(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"服务器返回 HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        if isinstance(exc.reason, TimeoutError):
            return "连接超时"
        return f"无法连接（{exc.reason}）"
    if isinstance(exc, TimeoutError):
        return str(exc) if exc.args and not isinstance(exc.args[0], int) else "连接超时"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    return getattr(exc, "strerror", None) or str(exc)


def _item(record: dict, keys=("id", "title", "url", "validity", "hash")) -> dict:
    return {key: record.get(key) for key in keys}


def changes_json(site, records: list[dict], baseline: Baseline | None) -> dict:
    """Each document in at most one category, checked in the order added, repealed, expired, changed."""
    result = {"build_date": site.build_date.isoformat(), "baseline": None,
              **{category: [] for category in CATEGORIES}}
    if baseline is None:
        result["summary"] = ("本次构建没有指定上一次构建的导出（--previous），没有比较基准，无法列出变化；"
                             "请以 documents.json 为准全量同步。")
        return result
    before = {record["id"]: record for record in baseline.documents}
    now = {record["id"] for record in records}
    for record in records:
        old = before.get(record["id"])
        if old is None:
            category = "added"
        elif record["validity"] == REPEALED and old.get("validity") != REPEALED:
            category = "repealed"
        elif record["validity"] == EXPIRED and old.get("validity") == VALID:
            category = "expired"
        elif record["hash"] != (old.get("hash") or record_hash(old)):
            category = "changed"
        else:
            continue
        result[category].append(_item(record))
    result["removed"] = [_item(old, ("id", "title", "url")) for key, old in sorted(before.items()) if key not in now]
    previous_date = baseline.data.get("build_date")
    result["baseline"] = {"build_date": previous_date if isinstance(previous_date, str) else None,
                          "count": len(baseline.documents), "sha256": baseline.sha256}
    result["summary"] = summary(result)
    return result


def summary(result: dict) -> str:
    when = result["baseline"]["build_date"] or "上一次构建"
    counts = "，".join(f"{LABELS[c]} {len(result[c])} 件" for c in CATEGORIES)
    return f"与 {when} 的导出相比：{counts}。"
