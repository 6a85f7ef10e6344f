"""Documents over time, with the build date frozen through SOURCE_DATE_EPOCH: expiry, scheduled
publishing and repeals that take effect on a later day. Builds run in this process, through the
command line's own `main`."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from build_helpers import run_here
from conftest import SEED_DOC, html
from content_helpers import (ATOM, BASE_URL, edit, epoch, feed_entries, load_json, write_document,
                             write_interpretation, write_task_table)

EXPIRING = "2020-mingchu-liangzao-jianshe-tonggao"  # 有效期至 2022-12-31
SCHEDULED = "2026-dingshi-fabu-tongzhi"
RELEASE = date(2026, 12, 6)
BEFORE = date(2026, 11, 26)


def build_on(day: date, output: Path, project: Path | None = None, *extra: str):
    args = ["--output", str(output)]
    if project:
        args += ["--content", str(project / "content"), "--config", str(project / "config.yaml")]
    result = run_here(*args, *extra, env_date=epoch(day))
    assert result.returncode == 0, result.stderr
    return result


def status_everywhere(site: Path, doc_id: str) -> dict[str, str]:
    """The validity of one document as each output tells it."""
    api = {d["id"]: d for d in load_json(site, "api/documents.json")["documents"]}
    record = api[doc_id]
    page = html(site, f"/documents/{doc_id}/")
    notice = page.select_one(".notice--invalid")
    rows = list(csv.DictReader(io.StringIO((site / "api/documents.csv").read_text("utf-8-sig"), newline="")))
    title = feed_entries(site, "feeds/all.xml")[record["url"]].findtext(ATOM + "title")
    return {
        "json": record["validity"],
        "page": "失效" if notice and "【已失效】" in notice.get_text() else "废止" if notice else "有效",
        "csv": next(r["有效性"] for r in rows if r["URL"] == record["url"]),
        "feed": "失效" if title.startswith("【已失效】") else "废止" if title.startswith("【已废止】") else "有效",
        "listing": "有效" if html(site, "/validity/current/").find("a", href=f"/documents/{doc_id}/") else "无效",
    }


def test_a_document_expires_the_day_after_its_expiry_date(tmp_path):
    last_day, next_day = tmp_path / "last", tmp_path / "next"
    build_on(date(2022, 12, 31), last_day)
    build_on(date(2023, 1, 1), next_day)
    assert set(status_everywhere(last_day, EXPIRING).values()) == {"有效"}
    after = status_everywhere(next_day, EXPIRING)
    assert after == {"json": "失效", "page": "失效", "csv": "失效", "feed": "失效", "listing": "无效"}
    assert html(next_day, "/validity/invalid/").find("a", href=f"/documents/{EXPIRING}/")
    entry = feed_entries(next_day, "feeds/all.xml")[f"{BASE_URL}/documents/{EXPIRING}/"]
    assert entry.findtext(ATOM + "updated") == "2023-01-01T00:00:00+08:00"


def _schedule(project: Path) -> None:
    content = project / "content"
    write_document(content, SCHEDULED, published=RELEASE.isoformat(), written="2026-11-20",
                   title="关于定时发布测试的通知", kind="通告")
    write_interpretation(content, f"{SCHEDULED}-jiedu", SCHEDULED, RELEASE.isoformat())
    write_task_table(content, f"{SCHEDULED}-renwu", SCHEDULED)
    # A published interpretation of a published document, itself dated later, waits too.
    write_interpretation(content, "2026-houfa-jiedu", SEED_DOC, RELEASE.isoformat(), title="后发的解读")
    seed = next(content.rglob(f"{SEED_DOC}.md"))
    edit(seed, "请认真贯彻落实。", f"请认真贯彻落实。另见[定时发布的通知](/documents/{SCHEDULED}/)"
                           f"和[它的任务表](../../tasks/{SCHEDULED}-renwu.yaml)。")


def test_a_future_document_stays_out_of_the_site_until_its_date(project, tmp_path):
    _schedule(project)
    before, on = tmp_path / "before", tmp_path / "on"
    result = build_on(BEFORE, before, project)
    assert "定时发布：1 个文件、2 篇解读、1 个任务分解表" in result.stdout
    assert f"将于 {RELEASE} 发布" in result.stdout
    assert result.stderr.count("显示为普通文字") == 2 and SEED_DOC in result.stderr

    urls = [f"/documents/{SCHEDULED}/", f"/interpretations/{SCHEDULED}-jiedu/", f"/tasks/{SCHEDULED}-renwu/",
            "/interpretations/2026-houfa-jiedu/"]
    for url in urls:
        assert not (before / url.strip("/") / "index.html").exists(), url
    everything = "".join(p.read_text("utf-8") for p in before.rglob("*")
                         if p.is_file() and p.suffix in {".html", ".xml", ".json", ".csv"})
    assert SCHEDULED not in everything and "定时发布测试" not in everything and "后发的解读" not in everything
    assert not (before / "feeds/kinds/tonggao.xml").read_text("utf-8").count("定时")
    seed = html(before, f"/documents/{SEED_DOC}/")
    assert "定时发布的通知" in seed.select_one(".prose").get_text()
    assert not seed.select(f'.prose a[href*="{SCHEDULED}"]')

    result = build_on(RELEASE, on, project)
    assert "定时发布" not in result.stdout and "显示为普通文字" not in result.stderr
    for url in urls:
        assert (on / url.strip("/") / "index.html").is_file(), url
    seed = html(on, f"/documents/{SEED_DOC}/")
    assert seed.select_one(f'.prose a[href="/documents/{SCHEDULED}/"]')
    assert seed.select_one(f'.prose a[href="/tasks/{SCHEDULED}-renwu/"]')
    api = {d["id"] for d in load_json(on, "api/documents.json")["documents"]}
    assert SCHEDULED in api
    assert f"{BASE_URL}/documents/{SCHEDULED}/" in feed_entries(on, "feeds/all.xml")
    assert f"{BASE_URL}/documents/{SCHEDULED}/" in (on / "sitemap.xml").read_text("utf-8")


def test_a_link_to_a_listing_only_a_future_document_fills_is_plain_text(project, tmp_path):
    """The first document of a kind, scheduled: the kind's page does not exist yet, and a link to it
    from published content must not fail the build."""
    content = project / "content"
    write_document(content, SCHEDULED, published=RELEASE.isoformat(), kind="函")
    edit(next(content.rglob(f"{SEED_DOC}.md")), "请认真贯彻落实。", "请认真贯彻落实。见[函](/kinds/han/)。")
    output = tmp_path / "site"
    result = build_on(BEFORE, output, project)
    assert "/kinds/han/" in result.stderr and "显示为普通文字" in result.stderr
    assert not (output / "kinds/han/index.html").exists()
    assert not (output / "feeds/kinds/han.xml").exists()


def test_a_repeal_dated_in_the_future_takes_effect_on_that_day(project, tmp_path):
    doc = "2023-jiating-yisheng-qianyue-buzhu-banfa"
    edit(next((project / "content").rglob(f"{doc}.md")), "validity: 有效", "validity: 废止\nrepealed: 2026-12-01")
    before, on = tmp_path / "before", tmp_path / "on"
    build_on(date(2026, 11, 30), before, project)
    build_on(date(2026, 12, 1), on, project)
    assert set(status_everywhere(before, doc).values()) == {"有效"}
    after = status_everywhere(on, doc)
    assert after == {"json": "废止", "page": "废止", "csv": "废止", "feed": "废止", "listing": "无效"}
    entry = feed_entries(on, "feeds/all.xml")[f"{BASE_URL}/documents/{doc}/"]
    assert entry.findtext(ATOM + "updated") == "2026-12-01T00:00:00+08:00"
