"""Exports for other systems: JSON against the shipped schemas, the CSV catalogue, changes.json."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from browser import serve
from build_helpers import build_here
from conftest import SEED_DOC
from content_helpers import BASE_URL, edit, load_json, write_document

CSV_HEADER = ["标题", "发文字号", "公文种类", "发布机构", "成文日期", "发布日期", "有效性", "废止日期", "URL"]
REPEALED_LATER = "2023-jiating-yisheng-qianyue-buzhu-banfa"


def validator(site: Path, name: str) -> Draft202012Validator:
    schema = load_json(site, f"api/schema/{name}.schema.json")
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{BASE_URL}/api/schema/{name}.schema.json"
    return Draft202012Validator(schema)


def canonical_hash(record: dict) -> str:
    data = {key: value for key, value in record.items() if key != "hash"}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_json_exports_validate_against_the_shipped_schemas(site):
    listing = load_json(site, "api/documents.json")
    validator(site, "documents").validate(listing)
    one = validator(site, "document")
    files = sorted((site / "api" / "documents").glob("*.json"))
    assert [p.stem for p in files] == sorted(d["id"] for d in listing["documents"])
    for record in listing["documents"]:
        full = load_json(site, f"api/documents/{record['id']}.json")
        one.validate(full)
        # Each file is exactly the compact, key-sorted encoding of what it holds (it is assembled
        # from two halves around the hash, see exports.document_export).
        compact = json.dumps(full, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        assert (site / "api" / "documents" / f"{record['id']}.json").read_bytes() == compact.encode("utf-8")
        assert full["hash"] == canonical_hash(full) == record["hash"]
        assert {k: v for k, v in full.items() if k != "body_html"} == record
    validator(site, "changes").validate(load_json(site, "api/changes.json"))


def test_schema_rejects_a_record_with_a_missing_element(site):
    record = load_json(site, f"api/documents/{SEED_DOC}.json")
    broken = {k: v for k, v in record.items() if k != "published"}
    errors = list(validator(site, "document").iter_errors(broken))
    assert errors and "published" in errors[0].message


def test_documents_json_carries_every_element(site):
    api = {d["id"]: d for d in load_json(site, "api/documents.json")["documents"]}
    seed = api[SEED_DOC]
    assert seed["doc_number"] == "济天政办发〔2022〕4号" and seed["index_no"] is None
    assert seed["issuers"] == ["区政府办公室"] and seed["issuer_ids"] == ["zhengfubangongshi"]
    assert (seed["written"], seed["published"]) == ("2022-06-16", "2022-06-16")
    assert (seed["topic"], seed["topic_id"]) == ("综合政务/政务公开", "zonghezhengwu/zhengwugongkai")
    assert (seed["kind"], seed["kind_id"], seed["validity"]) == ("通知", "tongzhi", "有效")
    assert seed["task_tables"][0]["tasks"] == 71 and seed["interpretations"][0]["form"] == "问答解读"
    assert seed["url"] == f"{BASE_URL}/documents/{SEED_DOC}/"
    repealed = next(d for d in api.values() if d["validity"] == "废止")
    assert repealed["repealed_by"]["id"] in api
    assert any(r["id"] == repealed["id"] for r in api[repealed["repealed_by"]["id"]]["repeals"])
    body = load_json(site, f"api/documents/{SEED_DOC}.json")["body_html"]
    assert "解读材料要在政策文件公开后三个工作日内发布" in body and "<h3" in body


def test_csv_catalogue_opens_in_excel_and_wps(site):
    raw = (site / "api" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark, so Excel and WPS do not read it as GBK"
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == CSV_HEADER
    api = load_json(site, "api/documents.json")["documents"]
    assert len(rows) == len(api) + 1
    for row, doc in zip(rows[1:], api):
        record = dict(zip(CSV_HEADER, row))
        assert record["标题"] == doc["title"] and record["URL"] == doc["url"]
        assert record["发文字号"] == (doc["doc_number"] or "")
        assert record["发布机构"] == "、".join(doc["issuers"])
        assert (record["成文日期"], record["发布日期"]) == (doc["written"], doc["published"])
        assert record["有效性"] == doc["validity"] and record["废止日期"] == (doc["repealed"] or "")


def test_without_previous_changes_json_says_there_is_no_baseline(site):
    changes = load_json(site, "api/changes.json")
    assert changes["baseline"] is None and "--previous" in changes["summary"]
    assert all(changes[key] == [] for key in ("added", "changed", "repealed", "expired", "removed"))


def _add_and_repeal(content: Path) -> None:
    """One new document that repeals an existing one from the day it is published."""
    write_document(content, "2026-feizhi-jiating-yisheng-banfa", issuer="区卫生健康局", published="2026-11-20",
                   written="2026-11-18", title="关于废止《天桥区家庭医生签约服务补助资金管理办法》的决定", kind="决定")
    edit(next(content.rglob(f"{REPEALED_LATER}.md")), "validity: 有效",
         "validity: 废止\nrepealed: 2026-11-20\nrepealed_by: 2026-feizhi-jiating-yisheng-banfa")


@pytest.fixture
def two_builds(project, site):
    """The bundled content as built (the session's site, only read), and a copy of the content with
    one document added and one repealed, to build after it."""
    _add_and_repeal(project / "content")
    return project, site


def _expect_one_added_one_repealed(site: Path, baseline: Path) -> dict:
    changes = load_json(site, "api/changes.json")
    validator(site, "changes").validate(changes)
    assert [c["id"] for c in changes["added"]] == ["2026-feizhi-jiating-yisheng-banfa"]
    assert [c["id"] for c in changes["repealed"]] == [REPEALED_LATER]
    assert changes["repealed"][0]["validity"] == "废止"
    assert changes["changed"] == changes["expired"] == changes["removed"] == []
    previous = (baseline / "api" / "documents.json").read_bytes()
    assert changes["baseline"]["sha256"] == hashlib.sha256(previous).hexdigest()
    assert changes["baseline"]["count"] == len(json.loads(previous)["documents"])
    current = {d["id"]: d["hash"] for d in load_json(site, "api/documents.json")["documents"]}
    assert changes["added"][0]["hash"] == current["2026-feizhi-jiating-yisheng-banfa"]
    return changes


def test_changes_json_across_two_builds(two_builds, tmp_path):
    project, first = two_builds
    second = tmp_path / "second"
    result = build_here(second, project / "content", project / "config.yaml",
                        "--previous", str(first / "api" / "documents.json"))
    assert result.returncode == 0, result.stderr
    changes = _expect_one_added_one_repealed(second, first)
    assert "新增 1 件" in result.stdout and "废止 1 件" in result.stdout and changes["summary"] in result.stdout


def test_changes_json_from_a_previous_build_at_a_url(two_builds, tmp_path):
    project, first = two_builds
    with serve(first) as origin:  # the earlier build, served on localhost as a web server would
        second = tmp_path / "second"
        result = build_here(second, project / "content", project / "config.yaml",
                            "--previous", f"{origin}/api/documents.json")
        assert result.returncode == 0, result.stderr
        _expect_one_added_one_repealed(second, first)
        missing = build_here(tmp_path / "third", project / "content", project / "config.yaml",
                             "--previous", f"{origin}/api/nothing.json")
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr and "--previous" in missing.stderr
    assert not (tmp_path / "third").exists()


def test_an_edited_or_removed_document_is_reported(two_builds, tmp_path):
    project, first = two_builds
    seed = next((project / "content").rglob(f"{SEED_DOC}.md"))
    edit(seed, "现印发给你们，请认真贯彻落实。", "现印发给你们，请认真贯彻执行。")
    (next((project / "content").rglob("2020-mingchu-liangzao-jianshe-tonggao.md"))).unlink()
    second = tmp_path / "second"
    result = build_here(second, project / "content", project / "config.yaml", "--previous", str(first))
    assert result.returncode == 0, result.stderr
    changes = load_json(second, "api/changes.json")
    assert [c["id"] for c in changes["changed"]] == [SEED_DOC]
    assert [c["id"] for c in changes["removed"]] == ["2020-mingchu-liangzao-jianshe-tonggao"]


def test_a_previous_file_that_is_not_an_export_fails_the_build(project, tmp_path):
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}', "utf-8")
    output = tmp_path / "site"
    result = build_here(output, project / "content", project / "config.yaml", "--previous", str(bogus))
    assert result.returncode == 1 and "documents" in result.stderr and not output.exists()
