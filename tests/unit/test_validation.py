"""Broken files get a clear Chinese message naming the file and line, the build stops with exit
code 1, and the site/ built before the mistake is left exactly as it was."""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEED_DOC, SEED_TASKS, build_into, run_build

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"
TASKS = Path("content/tasks") / f"{SEED_TASKS}.yaml"
INTERP = Path("content/interpretations") / f"{SEED_DOC}-jiedu.md"
BEFORE: dict[Path, dict] = {}


def snapshot(site: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(site).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def project(project, site):
    """The private copy of the content, with the site/ that was published before it was broken."""
    shutil.copytree(site, project / "site")
    BEFORE[project] = snapshot(project / "site")
    return project


def edit(project: Path, relative: Path, old: str, new: str, count: int = 1) -> None:
    path = project / relative
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, count), "utf-8")


def line_of(project: Path, relative: Path, needle: str) -> int:
    for number, line in enumerate((project / relative).read_text("utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def fails(project: Path) -> str:
    result = build_into(project / "site", project / "content", project / "config.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "site/ 保持原样" in result.stderr
    assert snapshot(project / "site") == BEFORE[project], "a failed build changed site/"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")], "staging folder left behind"
    return result.stderr


def check(project: Path) -> tuple[int, str]:
    result = run_build("check", "--content", str(project / "content"), "--config", str(project / "config.yaml"),
                       "--output", str(project / "site"))
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == BEFORE[project], "check changed site/"
    return result.returncode, result.stdout + result.stderr


def write(project: Path, relative: Path | str, text: str) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_missing_required_field(project):
    edit(project, DOC, "kind: 通知\n", "")
    err = fails(project)
    assert re.search(rf"{re.escape(str(DOC))}:\d+: 文件缺少必填字段“kind”（公文种类）", err), err


def test_unknown_issuer_suggests_the_closest_names(project):
    edit(project, DOC, "issuer: 区政府办公室", "issuer: 区政府办公厅")
    err = fails(project)
    line = line_of(project, DOC, "issuer:")
    assert f"{DOC}:{line}: 发布机构“区政府办公厅”不在 config.yaml 的单位名录中" in err
    assert "是不是：区政府办公室" in err


def test_unknown_unit_in_a_task_names_its_line(project):
    edit(project, TASKS, "区工信局", "区工信委")
    err = fails(project)
    line = line_of(project, TASKS, "区工信委")
    assert f"{TASKS}:{line}: 责任单位“区工信委”不在 config.yaml 的单位名录中" in err
    assert "区工业和信息化局" in err


@pytest.mark.parametrize("value, message", [
    ("2022-02-30", "不是真实存在的日期"),
    ("2022年6月16日", "写成 年-月-日，如 published: 2022-06-16"),
    ("下周一", "不是日期"),
])
def test_bad_dates(project, value, message):
    edit(project, DOC, "published: 2022-06-16", f"published: {value}")
    err = fails(project)
    line = line_of(project, DOC, "published:")
    assert f"{DOC}:{line}: 发布日期“{value}”" in err and message in err


def test_published_before_written(project):
    edit(project, DOC, "published: 2022-06-16", "published: 2022-06-01")
    assert "发布日期 2022-06-01 早于成文日期 2022-06-16" in fails(project)


def test_duplicate_doc_number(project):
    other = next(p for p in (project / "content/documents").rglob("*.md") if p.stem != SEED_DOC)
    text = other.read_text("utf-8")
    text = re.sub(r"doc_number: .*", "doc_number: 济天政办发〔2022〕4号", text, count=1)
    other.write_text(text, "utf-8")
    err = fails(project)
    assert "发文字号“济天政办发〔2022〕4号”与" in err and "重复" in err


def test_doc_number_with_wrong_brackets_gets_the_exact_fix(project):
    edit(project, DOC, "济天政办发〔2022〕4号", "济天政办发[2022]4号")
    assert "写成 济天政办发〔2022〕4号" in fails(project)


def test_repealed_without_date(project):
    edit(project, DOC, "validity: 有效", "validity: 废止")
    assert "有效性为“废止”，但没有写废止日期" in fails(project)


def test_unknown_field_suggests_the_right_one(project):
    edit(project, DOC, "published:", "publised:")
    err = fails(project)
    assert "未知字段“publised”" in err and "是不是“published”（发布日期）？" in err


def test_yaml_error_names_line_and_column(project):
    edit(project, DOC, "kind: 通知", "kind: [通知")
    err = fails(project)
    assert re.search(rf"{re.escape(str(DOC))}:\d+: YAML 格式错误（第 \d+ 列）", err), err


def test_tab_indentation(project):
    edit(project, TASKS, "\n    area:", "\n\tarea:")
    assert "YAML 缩进里有制表符（Tab）" in fails(project)


def test_gbk_file_is_named_as_gbk(project):
    path = project / DOC
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    err = fails(project)
    assert f"{DOC}:" in err and "不是 UTF-8 编码（看起来是 GBK/GB18030 编码）" in err


def test_missing_front_matter_fence(project):
    path = project / DOC
    path.write_text(path.read_text("utf-8").replace("---\n", "", 1), "utf-8")
    assert f"{DOC}:1: 文件开头缺少 YAML 头部的分隔线“---”" in fails(project)


def test_interpretation_of_a_missing_document(project):
    interp = next((project / "content/interpretations").glob("*.md"))
    text = interp.read_text("utf-8").replace(f"interprets: {SEED_DOC}", "interprets: 2022-zhengwu-gongkai-yaodian")
    interp.write_text(text, "utf-8")
    err = fails(project)
    assert "找不到文件“2022-zhengwu-gongkai-yaodian”" in err and f"是不是：{SEED_DOC}" in err


def test_broken_internal_link(project):
    edit(project, DOC, "](/tasks/", "](/task/")
    assert "链接指向的站内页面“/task/" in fails(project)


def test_every_problem_of_a_run_is_listed(project):
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    edit(project, DOC, "written: 2022-06-16", "written: 2022-13-01")
    edit(project, TASKS, "区卫健局", "区卫建局")
    err = fails(project)
    assert "公文种类“通报告”不认识" in err
    assert "成文日期“2022-13-01”不是真实存在的日期" in err
    assert "责任单位“区卫建局”" in err
    assert "发现 3 个错误" in err


def test_bom_and_crlf_are_accepted(project, tmp_path):
    path = project / DOC
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text("utf-8").replace("\n", "\r\n").encode("utf-8"))
    result = build_into(project / "site", project / "content", project / "config.yaml")
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "documents" / SEED_DOC / "index.html").is_file()


def test_bad_config_names_the_key(project):
    config = project / "config.yaml"
    config.write_text(config.read_text("utf-8").replace("  page_size: 20", "  page_size: 二十"), "utf-8")
    err = fails(project)
    assert re.search(r"config\.yaml:\d+: 站点设置的“page_size”应是不小于 1 的整数", err), err


def test_check_command_validates_without_writing(project):
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    code, out = check(project)
    assert code == 1 and f"{DOC}:8: 公文种类“通报告”不认识" in out


# --- dates ----------------------------------------------------------------------------------------


def test_expires_before_written(project):
    edit(project, DOC, "validity: 有效\n", "validity: 有效\nexpires: 2021-12-31\n")
    line = line_of(project, DOC, "expires:")
    assert f"{DOC}:{line}: 有效期至 2021-12-31 早于成文日期 2022-06-16" in fails(project)


def test_published_before_written_names_the_line(project):
    edit(project, DOC, "published: 2022-06-16", "published: 2022-06-01")
    assert f"{DOC}:6: 发布日期 2022-06-01 早于成文日期 2022-06-16" in fails(project)


def test_repealed_without_date_names_the_line(project):
    edit(project, DOC, "validity: 有效", "validity: 废止")
    assert f"{DOC}:9: 有效性为“废止”，但没有写废止日期 — 请补上 repealed: 废止日期" in fails(project)


# --- values of the wrong type -------------------------------------------------------------------


@pytest.mark.parametrize("key, value, message", [
    ("title", "[第一部分, 第二部分]", "“title”（标题）应是一段文字，不是列表或字段组"),
    ("title", "true", "“title”（标题）应是文字，YAML 把它读成了是/否"),
    ("written", "[2022-06-16]", "成文日期应是一个日期，不是列表、字段组或是/否"),
    ("normative", "是", "“normative”（是否规范性文件）只能写 true 或 false"),
    ("keywords", "{政务: 公开}", "“keywords”（主题词）应是一组文字"),
    ("issuer", "{name: 区政府办公室}", "“issuer”（发布机构）应是一组文字"),
])
def test_values_of_the_wrong_type(project, key, value, message):
    text = (project / DOC).read_text("utf-8")
    if f"\n{key}:" in text:
        text = re.sub(rf"\n{key}: .*", f"\n{key}: {value}", text, count=1)
    else:
        text = text.replace("\nvalidity:", f"\n{key}: {value}\nvalidity:", 1)
    (project / DOC).write_text(text, "utf-8")
    line = line_of(project, DOC, f"{key}: {value}")
    assert f"{DOC}:{line}: {message}" in fails(project)


def test_task_number_that_is_not_a_number(project):
    edit(project, TASKS, "  - no: 7\n", "  - no: 七\n")
    line = line_of(project, TASKS, "no: 七")
    assert f"{TASKS}:{line}: “no”（序号）应是整数，现在是“七”" in fails(project)


def test_question_and_answer_of_the_wrong_type(project):
    edit(project, INTERP, "  - q: 这份工作要点是什么文件？什么时候印发的？\n",
         "  - q: [这份工作要点是什么文件？]\n")
    line = line_of(project, INTERP, "q: [这份")
    assert f"{INTERP}:{line}: 问答的“q”应是一段文字，不是列表或字段组" in fails(project)


def test_numbers_stay_as_written(project):
    """YAML 1.1 would read 0531 as octal 345 and 9:30 as 570; an editor's text must not change."""
    edit(project, DOC, "keywords: [政务公开,", "keywords: [0531, \"9:30\", 1.10, 政务公开,")
    result = build_into(project / "site", project / "content", project / "config.yaml")
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads((project / "site/api/documents.json").read_text("utf-8"))
    keywords = next(d["keywords"] for d in data["documents"] if d["id"] == SEED_DOC)
    assert keywords[:3] == ["0531", "9:30", "1.10"]


# --- YAML and the file itself -------------------------------------------------------------------


def test_missing_closing_fence(project):
    new = Path("content/documents/2024/2024-meiyou-jieshu-fengexian.md")
    write(project, new, "---\ntitle: 没有结束分隔线的文件\nissuer: 区政府办公室\n\n正文第一段。\n")
    assert f"{new}:1: YAML 头部没有结束的分隔线“---”" in fails(project)


def test_star_at_the_start_of_a_value_is_explained(project):
    edit(project, DOC, "kind: 通知", "kind: *通知*")
    err = fails(project)
    assert f"{DOC}:8: YAML 格式错误（第 7 列）：“*”或“&”开头的值在 YAML 中有特殊含义" in err
    assert "请用英文双引号括起来" in err


def test_control_character_pasted_from_word(project):
    edit(project, DOC, "topic: 综合政务/政务公开", "topic: 综合政务/\x0b政务公开")
    assert f"{DOC}:7: 文件里有看不见的控制字符（U+000B）" in fails(project)


def test_yaml_tags_are_refused(project):
    edit(project, DOC, "written: 2022-06-16", "written: !!timestamp 2022-06-16")
    assert f"{DOC}:5: YAML 格式错误（第 10 列）：不支持 YAML 标签“!!timestamp”" in fails(project)


def test_every_tab_line_is_listed(project):
    edit(project, TASKS, "\n    area:", "\n\tarea:", count=2)
    err = fails(project)
    lines = [n for n, text in enumerate((project / TASKS).read_text("utf-8").split("\n"), 1) if text.startswith("\t")]
    assert len(lines) == 2
    for line in lines:
        assert f"{TASKS}:{line}: YAML 缩进里有制表符（Tab）" in err


def test_duplicate_key_names_the_second_line(project):
    edit(project, DOC, "kind: 通知\n", "kind: 通知\nkind: 意见\n")
    assert f"{DOC}:9: YAML 格式错误（第 1 列）：字段“kind”重复出现" in fails(project)


# --- vocabularies, duplicates and references ----------------------------------------------------


def test_unknown_topic_suggests_the_closest(project):
    edit(project, DOC, "topic: 综合政务/政务公开", "topic: 综合政务/政务公示")
    err = fails(project)
    assert f"{DOC}:7: 主题分类“综合政务/政务公示”不在 config.yaml 的主题列表中" in err
    assert "是不是：" in err and "综合政务" in err


def test_duplicate_index_no(project):
    later = Path("content/documents/2024/2024-laojiu-xiaoqu-gaizao-xieshang-yishi-guicheng.md")
    taken = re.search(r"index_no: (.*)", (project / later).read_text("utf-8")).group(1)
    edit(project, DOC, "validity: 有效\n", f"index_no: {taken}\nvalidity: 有效\n")
    err = fails(project)
    # The file read later (2024 after 2022) is the one told to change.
    assert f"{later}:{line_of(project, later, 'index_no:')}: 索引号“{taken}”与 " in err
    assert f"{DOC} 重复 — 索引号必须唯一，请改用下一个流水号" in err


def test_duplicate_ids_across_subfolders(project):
    text = (project / DOC).read_text("utf-8").replace("济天政办发〔2022〕4号", "济天政办发〔2023〕9号")
    write(project, Path("content/documents/2023") / f"{SEED_DOC}.md", text)
    err = fails(project)
    assert f"文件的文件名“{SEED_DOC}”与" in err and "重复 — 文件名就是网址，必须唯一" in err
    assert "documents/2022/" in err and "documents/2023/" in err


def test_task_table_for_a_missing_document(project):
    edit(project, TASKS, f"plan: {SEED_DOC}", "plan: 2022-zhengwu-gongkai-yaodian")
    line = line_of(project, TASKS, "plan:")
    err = fails(project)
    assert f"{TASKS}:{line}: 找不到文件“2022-zhengwu-gongkai-yaodian” — 是不是：{SEED_DOC}？" in err


# --- interpretations: three working days, counted with the official calendar --------------------


def _interpretation_after_national_day(project, published: str) -> tuple[int, str]:
    # 2022-10-01…07 were holidays and Saturday 10-08 and Sunday 10-09 make-up working days.
    edit(project, DOC, "written: 2022-06-16\npublished: 2022-06-16", "written: 2022-09-30\npublished: 2022-09-30")
    edit(project, INTERP, "published: 2022-06-17", f"published: {published}")
    return check(project)


def test_interpretation_on_the_third_working_day_is_fine(project):
    # Monday 10-10 is only the third working day after Friday 09-30 (10-08 and 10-09 were worked).
    code, out = _interpretation_after_national_day(project, "2022-10-10")
    assert code == 0, out


def test_interpretation_after_three_working_days_is_a_warning(project):
    code, out = _interpretation_after_national_day(project, "2022-10-11")
    assert code == 4, out
    assert f"{INTERP}:5: 警告：解读在文件公开后第 4 个工作日才发布，超过了三个工作日" in out
    assert "校验通过，但有 1 个警告" in out
    result = build_into(project / "site", project / "content", project / "config.yaml")
    assert result.returncode == 0 and "第 4 个工作日" in result.stderr  # a warning does not stop publishing


# --- Markdown: links, attachments and raw HTML --------------------------------------------------


def test_attachment_that_does_not_exist(project):
    (project / "content/documents/2022/files").mkdir()
    (project / "content/documents/2022/files/fujian-1.pdf").write_bytes(b"%PDF-1.4\n")
    edit(project, DOC, "validity: 有效\n", "validity: 有效\nattachments:\n  - {file: files/fujian-1.pdf, title: 附件1}\n"
         "  - {file: files/fujian-2.pdf, title: 附件2}\n  - {file: files/fujian-1.pdf, name: 附件3}\n")
    err = fails(project)
    assert f"{DOC}:{line_of(project, DOC, 'fujian-2')}: 附件文件“files/fujian-2.pdf”不存在" in err
    assert f"{DOC}:{line_of(project, DOC, 'name:')}: 附件中有未知字段“name”" in err


def test_link_to_a_file_that_does_not_exist(project):
    (project / DOC).write_text((project / DOC).read_text("utf-8") + "\n见[附件](files/meiyou.pdf)。\n", "utf-8")
    line = line_of(project, DOC, "files/meiyou.pdf")
    err = fails(project)
    assert f"{DOC}:{line}: 链接指向的文件“files/meiyou.pdf”不存在" in err


def test_check_finds_broken_links_too(project):
    """Links are resolved while rendering; `check` renders (without writing) so a hook catches them."""
    edit(project, DOC, "](/tasks/", "](/task/")
    code, out = check(project)
    assert code == 1 and "链接指向的站内页面“/task/" in out


UNSAFE = {
    "<script>alert(1)</script>": "正文中有不安全的 HTML“<script",
    '<iframe src="https://example.com/"></iframe>': "正文中有不安全的 HTML“<iframe",
    "<style>body{display:none}</style>": "正文中有不安全的 HTML“<style",
    '<p onclick="steal()">点击</p>': "正文中有不安全的 HTML“onclick=",
    # A link is reported as a link, by the renderer, as Markdown ones are.
    '<a href="javascript:alert(2)">链接</a>': "链接“javascript:alert(2)”的协议不允许，已删除",
}
SAFE = '<table><tr><td>表格</td></tr></table>\n\n<ul><li><em>强调</em> <a href="https://www.gov.cn/">链接</a></li></ul>\n'


def test_unsafe_html_is_removed_and_reported(project):
    body = "\n\n".join(UNSAFE) + "\n\n" + SAFE
    (project / DOC).write_text((project / DOC).read_text("utf-8") + "\n" + body, "utf-8")
    edit(project, INTERP, "    a: |\n", "    a: |\n      <script>alert(3)</script>\n")
    code, out = check(project)
    assert code == 4, out
    for snippet, shown in UNSAFE.items():
        line = line_of(project, DOC, snippet)
        assert f"{DOC}:{line}: 警告：{shown}" in out, snippet
    assert f"{INTERP}:{line_of(project, INTERP, 'alert(3)')}: 警告：正文中有不安全的 HTML“<script" in out
    result = build_into(project / "site", project / "content", project / "config.yaml")
    assert result.returncode == 0, result.stderr
    page = (project / "site/documents" / SEED_DOC / "index.html").read_text("utf-8")
    for dangerous in ("alert(1)", "<iframe", "display:none", "onclick", "javascript:", "steal()"):
        assert dangerous not in page, dangerous
    assert "<td>表格</td>" in page and "<em>强调</em>" in page and 'href="https://www.gov.cn/"' in page
    answer = (project / "site/interpretations" / f"{SEED_DOC}-jiedu" / "index.html").read_text("utf-8")
    assert "alert(3)" not in answer


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;"\'\\'


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def test_titles_and_fields_are_escaped_everywhere(project):
    """A title pasted with markup shows as text on every kind of page, and round-trips in the JSON."""
    title = "关于" + PAYLOAD + "的通知"
    edit(project, DOC, "title: 济南市天桥区人民政府办公室关于印发2022年济南市天桥区政务公开工作要点的通知",
         f"title: {_quoted(title)}")
    edit(project, DOC, "keywords: [政务公开,", f"keywords: [{_quoted(PAYLOAD)}, 政务公开,")
    edit(project, INTERP, "title: 问答解读：《2022年济南市天桥区政务公开工作要点》十二问", f"title: {_quoted('解读' + PAYLOAD)}")
    edit(project, INTERP, "  - q: 这份工作要点是什么文件？什么时候印发的？", f"  - q: {_quoted('问' + PAYLOAD)}")
    edit(project, TASKS, "title: 2022年济南市天桥区政务公开重点工作任务分解表", f"title: {_quoted('任务' + PAYLOAD)}")
    edit(project, TASKS, "    deadline: 全年\n", f"    deadline: {_quoted('全年' + PAYLOAD)}\n    note: {_quoted(PAYLOAD)}\n")
    edit(project, Path("content/pages/zhinan.md"), "title: 政府信息公开指南", f"title: {_quoted('指南' + PAYLOAD)}")
    site = project / "site"
    result = build_into(site, project / "content", project / "config.yaml")
    assert result.returncode == 0, result.stderr
    import json

    from bs4 import BeautifulSoup

    shown_on = set()
    for path in sorted(site.rglob("*")):
        if path.suffix == ".json":  # JSON carries the title as data; parsed and compared below
            json.loads(path.read_text("utf-8"))
            continue
        if path.suffix not in (".html", ".xml", ".js", ".css", ".txt"):
            continue
        raw = path.read_text("utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw, path
        if path.suffix == ".html":
            soup = BeautifulSoup(raw, "html.parser")
            assert not soup.find_all(onerror=True), path
            assert not [s for s in soup.find_all("script") if "alert" in (s.string or "")], path
            if PAYLOAD in soup.get_text():
                shown_on.add(path.relative_to(site).as_posix())
    expected = {"index.html", "documents/index.html", f"documents/{SEED_DOC}/index.html",
                "interpretations/index.html", f"interpretations/{SEED_DOC}-jiedu/index.html",
                "tasks/index.html", f"tasks/{SEED_TASKS}/index.html", "years/2022/index.html",
                "validity/current/index.html", "kinds/tongzhi/index.html", "pages/zhinan/index.html", "404.html"}
    assert expected <= shown_on, expected - shown_on
    soup = BeautifulSoup((site / f"documents/{SEED_DOC}/index.html").read_text("utf-8"), "html.parser")
    assert soup.h1.get_text(strip=True) == title and title in soup.title.get_text()

    record = next(d for d in json.loads((site / "api/documents.json").read_text("utf-8"))["documents"]
                  if d["id"] == SEED_DOC)
    assert record["title"] == title and record["keywords"][0] == PAYLOAD


# --- unexpected errors ----------------------------------------------------------------------------


def test_debug_shows_the_traceback_of_an_unexpected_error(project, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "document.html"
    page.write_text(page.read_text("utf-8").replace("{{ doc.title }}", "{{ doc.no_such_field }}", 1), "utf-8")
    args = ["--output", str(project / "site"), "--content", str(project / "content"),
            "--config", str(project / "config.yaml"), "--templates", str(templates)]
    plain, debug = run_build(*args), run_build(*args, "--debug")
    assert plain.returncode == debug.returncode == 3
    assert "Traceback" not in plain.stderr and "加 --debug 可查看详细错误信息" in plain.stderr
    assert "Traceback" in debug.stderr and "no_such_field" in debug.stderr
    assert snapshot(project / "site") == BEFORE[project]


# --- exit codes of check --------------------------------------------------------------------------


def test_check_exit_codes(project):
    code, out = check(project)
    assert code == 0 and "校验通过，没有发现问题" in out
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    code, out = check(project)
    assert code == 1 and "校验未通过：1 个错误" in out


# --- the editor's guide explains every message the code can give ---------------------------------

GUIDE = ROOT / "docs/editor-guide.md"
NOT_VALIDATION = {"cli.py", "serve.py", "scaffold.py"}  # command-line usage, not content problems
CJK = re.compile(r"[\u4e00-\u9fff]")


def _template(node) -> str | None:
    """A message as written in the code, with "{}" where a value is filled in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return (_template(node.left) or "{}") + (_template(node.right) or "{}")
    return None


def message_templates() -> dict[str, str]:
    """Every problem message in disclosure/: the first Chinese text given to .add/.warn/.error."""
    found = {}
    for path in sorted((ROOT / "disclosure").rglob("*.py")):
        if path.name in NOT_VALIDATION:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("add", "warn", "error", "_warn"):
                texts = [t for t in map(_template, node.args) if t and CJK.search(t)]
                if texts:
                    found[texts[0]] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_the_guide_explains_every_message():
    from disclosure.load.source import YAML_PROBLEMS

    guide = GUIDE.read_text("utf-8").split("\n")
    templates = message_templates()
    assert len(templates) > 60, "the scan found too few messages to be looking in the right place"
    missing = []
    for template, where in sorted(templates.items()):
        pattern = re.compile(".*?".join(re.escape(part) for part in template.split("{}")))
        if not any(pattern.search(line) for line in guide):
            missing.append(f"{where}: {template}")
    missing += [f"disclosure/load/source.py YAML_PROBLEMS: {text}" for text in YAML_PROBLEMS.values()
                if not any(text in line for line in guide)]
    assert not missing, "docs/editor-guide.md does not explain:\n" + "\n".join(missing)


def test_the_readme_links_the_guide():
    assert "docs/editor-guide.md" in (ROOT / "README.md").read_text("utf-8")


def test_pre_commit_hook_runs_check(project):
    """The hook as pre-commit runs it: its entry, in a checkout; errors block, warnings do not."""
    import shlex
    import subprocess

    import yaml

    hook = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))["repos"][0]["hooks"][0]
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    assert re.search(hook["files"], f"{DOC}") and re.search(hook["files"], "config.yaml")
    assert not re.search(hook["files"], "README.md")
    checkout = project  # content/ and config.yaml are already there; the code is copied beside them
    shutil.copy(ROOT / "build.py", checkout / "build.py")
    shutil.copytree(ROOT / "disclosure", checkout / "disclosure", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", checkout / "templates")
    (checkout / ".venv").symlink_to(ROOT / ".venv")

    def run():
        return subprocess.run(shlex.split(hook["entry"]), cwd=checkout, capture_output=True, text=True, timeout=300)

    assert run().returncode == 0
    edit(project, INTERP, "published: 2022-06-17", "published: 2022-06-27")  # late: a warning only
    warned = run()
    assert warned.returncode == 0 and "超过了三个工作日" in warned.stderr
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    blocked = run()
    assert blocked.returncode == 1 and "公文种类“通报告”不认识" in blocked.stderr
