"""Relations between documents (issue 18, item 2 and 3): 修改, 代替, 依据 and 施行日期, declared on
the newer document and derived on the older one; every contradiction a file:line error at both
ends; the status each gives, shown as a notice above the text, in the JSON export, the Atom entry
and the page's schema.org JSON-LD, as of the build date."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup

from content_helpers import epoch, write_document
from messages import check_project, rendered_pages

OLD, NEW, OTHER = "2025-jiu-banfa", "2026-xin-banfa", "2026-ling-yi-wenjian"


def _line(path: Path, key: str) -> int:
    return next(n for n, text in enumerate(path.read_text("utf-8").split("\n"), 1) if text.startswith(f"{key}:"))


def _where(project: Path, path: Path, key: str) -> str:
    """How a message names a file and line (display_path: absolute outside the working directory)."""
    from disclosure.errors import display_path

    return f"{display_path(path)}:{_line(path, key)}"


def _file(project: Path, doc_id: str) -> str:
    from disclosure.errors import display_path

    return display_path(project / "content/documents/test" / f"{doc_id}.md")


def _errors(project: Path, day: date = date(2026, 12, 1)) -> str:
    checked = check_project(project, epoch=epoch(day))
    assert checked.code == 1, checked.text
    return checked.text


def _notices(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    return [p.get_text(" ", strip=True) for p in soup.select("article p.notice[role=note]")]


def _jsonld(page: str) -> dict:
    soup = BeautifulSoup(page, "html.parser")
    return json.loads(soup.find("script", type="application/ld+json").string)


# --- rules: each contradiction names both files and lines ---------------------------------------

def test_a_relation_to_a_file_that_does_not_exist_names_the_line(project):
    content = project / "content"
    new = write_document(content, NEW, amends=["2025-jiu-banfaa"], published="2026-03-01")
    text = _errors(project)
    assert f"{_where(project, new, 'amends')}: 找不到文件“2025-jiu-banfaa”" in text


def test_a_document_cannot_amend_or_replace_itself(project):
    content = project / "content"
    amends = write_document(content, NEW, amends=[NEW])
    replaces = write_document(content, OTHER, replaces=[OTHER])
    text = _errors(project)
    assert f"{_where(project, amends, 'amends')}: 文件不能修改它自己" in text
    assert f"{_where(project, replaces, 'replaces')}: 文件不能代替它自己" in text


def test_replaced_but_repealed_by_another_is_an_error_at_both_ends(project):
    content = project / "content"
    old = write_document(content, OLD, validity="废止", repealed="2026-03-01", repealed_by=OTHER,
                         published="2025-01-06", written="2025-01-05")
    new = write_document(content, NEW, replaces=[OLD], published="2026-03-01")
    write_document(content, OTHER, published="2026-03-01")
    text = _errors(project)
    message = f"写明被 {_file(project, OTHER)} 废止，但 {_file(project, NEW)} 写明代替它"
    assert f"{_where(project, old, 'repealed_by')}: “{OLD}”{message}" in text
    assert f"{_where(project, new, 'replaces')}: “{OLD}”{message}" in text


def test_a_repeal_date_other_than_the_replacements_day_is_an_error_at_both_ends(project):
    content = project / "content"
    old = write_document(content, OLD, validity="废止", repealed="2026-09-01", published="2025-01-06",
                         written="2025-01-05")
    new = write_document(content, NEW, replaces=[OLD], published="2026-03-01", in_force="2026-04-01")
    text = _errors(project)
    message = f"“{OLD}”的废止日期 2026-09-01 与代替它的“{NEW}”施行的日期 2026-04-01 不一致"
    assert f"{_where(project, old, 'repealed')}: {message}" in text
    assert f"{_where(project, new, 'replaces')}: {message}" in text


def test_one_document_replaced_twice_is_an_error(project):
    content = project / "content"
    write_document(content, OLD, published="2025-01-06", written="2025-01-05")
    write_document(content, NEW, replaces=[OLD], published="2026-03-01")
    second = write_document(content, OTHER, replaces=[OLD], published="2026-03-02")
    text = _errors(project)
    assert (f"{_where(project, second, 'replaces')}: “{OLD}”已被 {_file(project, NEW)} 代替，"
            "不能再被本文件代替") in text


def test_cycles_of_amendments_and_of_replacements_are_errors_for_each_file(project):
    content = project / "content"
    first = write_document(content, "2026-a", amends=["2026-b"])
    second = write_document(content, "2026-b", amends=["2026-a"])
    third = write_document(content, "2026-c", replaces=["2026-d"])
    fourth = write_document(content, "2026-d", replaces=["2026-c"])
    text = _errors(project)
    for path in (first, second):
        assert re.search(rf"{re.escape(_where(project, path, 'amends'))}: 修改关系形成了循环：", text), text
    for path in (third, fourth):
        assert re.search(rf"{re.escape(_where(project, path, 'replaces'))}: 废止依据形成了循环：", text), text


def test_a_long_chain_of_amendments_is_no_problem(project):
    content = project / "content"
    for n in range(1500):  # deeper than Python's recursion limit
        write_document(content, f"2026-chain-{n}", amends=[f"2026-chain-{n + 1}"] if n < 1499 else [])
    checked = check_project(project)
    assert checked.code != 1, checked.text


def test_amending_what_has_already_ended_and_coming_into_force_before_it_was_written_are_warnings(project):
    content = project / "content"
    write_document(content, OLD, validity="失效", expires="2025-12-31", published="2025-01-06", written="2025-01-05")
    new = write_document(content, NEW, amends=[OLD], published="2026-03-01", written="2026-02-27",
                         in_force="2026-01-01")
    checked = check_project(project, epoch=epoch(date(2026, 12, 1)))
    assert checked.code == 4, checked.text  # warnings only
    assert f"{_where(project, new, 'amends')}: 警告：要修改的“{OLD}”在修改生效（2026-01-01）之前已经废止或失效（2025-12-31）" in checked.text
    assert f"{_where(project, new, 'in_force')}: 警告：施行日期 2026-01-01 早于成文日期 2026-02-27" in checked.text


def test_relation_fields_of_the_wrong_shape_are_errors(project):
    content = project / "content"
    path = write_document(content, NEW, basis={"a": 1}, amends=["x" * 600])
    text = _errors(project)
    assert f"{_where(project, path, 'basis')}: “basis”（制定依据）应是一组文件" in text
    assert f"{_where(project, path, 'amends')}: 修改的文件中有一项长达 600 个字符" in text


# --- what readers see ------------------------------------------------------------------------------

def _amended_and_replaced(project: Path) -> None:
    content = project / "content"
    write_document(content, OLD, title="天桥区甲办法", doc_number="天桥财发〔2025〕1号", normative=True,
                   published="2025-01-06", written="2025-01-05")
    write_document(content, NEW, title="天桥区修改甲办法的决定", doc_number="天桥财发〔2026〕2号", kind="决定",
                   amends=[OLD], published="2026-03-01", written="2026-02-27", in_force="2026-04-01",
                   basis=["《中华人民共和国政府信息公开条例》（国务院令第711号）", OLD])
    write_document(content, "2026-yi-banfa", title="天桥区乙办法", published="2025-02-06", written="2025-02-05")
    write_document(content, OTHER, title="天桥区新乙办法", doc_number="天桥财发〔2026〕3号",
                   replaces=["2026-yi-banfa"], published="2026-05-01", written="2026-04-28", in_force="2026-06-01")


def test_before_the_changes_take_effect_readers_are_told_what_is_coming(project):
    _amended_and_replaced(project)
    pages = rendered_pages(project, epoch(date(2026, 5, 15)))
    amending = _notices(pages[f"documents/{NEW}/index.html"])
    assert amending == []  # in force since 2026-04-01
    old = _notices(pages[f"documents/{OLD}/index.html"])
    assert old == ["【已修改】 本文件已于 2026-04-01 被 《天桥区修改甲办法的决定》（天桥财发〔2026〕2号） 修改，请对照修改文件阅读。"]
    replaced = _notices(pages["documents/2026-yi-banfa/index.html"])
    assert replaced == ["【即将废止】 《天桥区新乙办法》（天桥财发〔2026〕3号） 将于 2026-06-01 起施行，届时代替本文件，本文件同时废止。"]
    replacing = _notices(pages[f"documents/{OTHER}/index.html"])
    assert replacing == ["【尚未施行】 本文件自 2026-06-01 起施行，目前尚未施行。"]
    page = BeautifulSoup(pages[f"documents/{OTHER}/index.html"], "html.parser")
    assert page.select_one("p.notice a") is None
    assert "尚未施行" in page.select_one("table.meta-table").get_text()
    # The links go to the documents that made the change.
    soup = BeautifulSoup(pages[f"documents/{OLD}/index.html"], "html.parser")
    assert soup.select_one("p.notice a")["href"].endswith(f"/documents/{NEW}/")
    assert "现行有效（已修改）" in soup.select_one("table.meta-table").get_text()


def test_once_replaced_a_document_is_repealed_from_the_day_its_replacement_takes_effect(project):
    _amended_and_replaced(project)
    pages = rendered_pages(project, epoch(date(2026, 6, 1)))
    replaced = _notices(pages["documents/2026-yi-banfa/index.html"])
    assert replaced == ["【已废止】 本文件已被 《天桥区新乙办法》（天桥财发〔2026〕3号） 代替，自 2026-06-01 起废止，仅供查阅，不再作为依据。"]
    assert _notices(pages[f"documents/{OTHER}/index.html"]) == []
    data = _jsonld(pages["documents/2026-yi-banfa/index.html"])
    assert data["legislationLegalForce"]["@id"] == "https://schema.org/NotInForce"
    new = _jsonld(pages[f"documents/{OTHER}/index.html"])
    assert new["legislationLegalForce"]["@id"] == "https://schema.org/InForce"
    assert new["legislationIdentifier"] == "天桥财发〔2026〕3号"
    assert new["legislationDateOfApplicability"] == "2026-06-01"
    assert [work["name"] for work in new["legislationChanges"]] == ["天桥区乙办法"]
    decision = _jsonld(pages[f"documents/{NEW}/index.html"])
    assert decision["isBasedOn"][0] == {"@type": "Legislation", "name": "《中华人民共和国政府信息公开条例》（国务院令第711号）"}
    assert decision["isBasedOn"][1]["@id"].endswith(f"/documents/{OLD}/")
    page = BeautifulSoup(pages[f"documents/{NEW}/index.html"], "html.parser")
    basis = page.find("h2", id="basis-heading").find_parent("section")
    assert [li.get_text(strip=True) for li in basis.select("li")] == [
        "《中华人民共和国政府信息公开条例》（国务院令第711号）", "《天桥区甲办法》（天桥财发〔2025〕1号）"]
    changes = page.find("h2", id="changes-heading").find_parent("section").get_text(" ", strip=True)
    assert "修改 《天桥区甲办法》（天桥财发〔2025〕1号） （自 2026-04-01 起）" in changes


def test_the_export_and_the_feed_say_the_same_as_the_page(project, tmp_path):
    from build_helpers import pipeline_build

    _amended_and_replaced(project)
    site = tmp_path / "site"
    result = pipeline_build(site, project / "content", project / "config.yaml", search=False,
                            epoch=epoch(date(2026, 6, 1)))
    assert result is not None
    replaced = json.loads((site / "api/documents/2026-yi-banfa.json").read_text("utf-8"))
    assert replaced["validity"] == "废止" and replaced["replaced_by"]["id"] == OTHER
    assert replaced["notices"] == [{"kind": "已废止", "date": "2026-06-01", "by": replaced["replaced_by"],
                                    "text": "本文件已被《天桥区新乙办法》（天桥财发〔2026〕3号）代替，自 2026-06-01 起废止，仅供查阅，不再作为依据。"}]
    old = json.loads((site / f"api/documents/{OLD}.json").read_text("utf-8"))
    assert [(d["id"], d["effective"]) for d in old["amended_by"]] == [(NEW, "2026-04-01")]
    new = json.loads((site / f"api/documents/{NEW}.json").read_text("utf-8"))
    assert new["in_force"] == "2026-04-01" and [d["id"] for d in new["amends"]] == [OLD]
    assert new["basis"][0] == {"text": "《中华人民共和国政府信息公开条例》（国务院令第711号）", "url": None}
    feed = (site / "feeds/all.xml").read_text("utf-8")
    entry = feed[feed.index("/documents/2026-yi-banfa/</id>"):]
    entry = entry[:entry.index("</entry>")]
    assert "<title>【已废止】" in feed[:feed.index("/documents/2026-yi-banfa/</id>") + 400]
    assert "<updated>2026-06-01T00:00:00+08:00</updated>" in entry  # the day its status changed
    old_entry = feed[feed.index(f"/documents/{OLD}/</id>"):]
    assert "<updated>2026-04-01T00:00:00+08:00</updated>" in old_entry[:old_entry.index("</entry>")]
