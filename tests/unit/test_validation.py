"""Broken files get a clear Chinese message naming the file and line, as the command line prints it
(found in this process, as `build.py check` finds them: tests/messages.py). That a failed build
prints the same lines, exits with 1 and leaves the site/ built before the mistake exactly as it
was: tests/build/test_failed_build.py; what the build publishes from content it accepts or
repairs: tests/build/test_validation_builds.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from build_helpers import cli
from conftest import ROOT, SEED_DOC, SEED_TASKS
from messages import check_project, rendered_pages

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"
TASKS = Path("content/tasks") / f"{SEED_TASKS}.yaml"
INTERP = Path("content/interpretations") / f"{SEED_DOC}-jiedu.md"


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
    """The problems `project` has, as the command line prints them; there must be errors."""
    checked = check_project(project)
    assert checked.code == 1, checked.text
    return checked.text


def check(project: Path) -> tuple[int, str]:
    """The exit code `build.py check` gives for `project`, and the problems it prints."""
    checked = check_project(project)
    return checked.code, checked.text


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
    code, text = check(project)
    assert code == 4 and "警告：发文字号“济天政办发[2022]4号”的写法不规范" in text, text
    assert "年份用六角括号〔〕，写成 济天政办发〔2022〕4号" in text


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
    assert len(err.splitlines()) == 3


def test_bom_and_crlf_are_accepted(project):
    path = project / DOC
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text("utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert check_project(project).errors == []
    assert f"documents/{SEED_DOC}/index.html" in rendered_pages(project)


def test_bad_config_names_the_key(project):
    config = project / "config.yaml"
    config.write_text(config.read_text("utf-8").replace("  page_size: 20", "  page_size: 二十"), "utf-8")
    err = fails(project)
    assert re.search(r"config\.yaml:\d+: 站点设置的“page_size”应是不小于 1 的整数", err), err


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
    assert len(out.splitlines()) == 1, out


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


def test_unsafe_html_is_reported(project):
    body = "\n\n".join(UNSAFE) + "\n\n" + SAFE
    (project / DOC).write_text((project / DOC).read_text("utf-8") + "\n" + body, "utf-8")
    edit(project, INTERP, "    a: |\n", "    a: |\n      <script>alert(3)</script>\n")
    code, out = check(project)
    assert code == 4, out
    for snippet, shown in UNSAFE.items():
        line = line_of(project, DOC, snippet)
        assert f"{DOC}:{line}: 警告：{shown}" in out, snippet
    assert f"{INTERP}:{line_of(project, INTERP, 'alert(3)')}: 警告：正文中有不安全的 HTML“<script" in out


# --- exit codes of check --------------------------------------------------------------------------


def test_check_exit_codes(project, capsys, monkeypatch):
    """`build.py check` (in this process): 0 without problems, 4 with warnings only, 1 with errors,
    and the problems it prints are those check_project gives."""
    args = ("check", "--content", str(project / "content"), "--config", str(project / "config.yaml"), "--no-cache")
    run = cli(capsys, monkeypatch, *args)
    assert run.code == 0 and "校验通过，没有发现问题" in run.out, run.err
    edit(project, INTERP, "published: 2022-06-17", "published: 2022-06-27")  # late: a warning only
    run = cli(capsys, monkeypatch, *args)
    assert run.code == 4 and "校验通过，但有 1 个警告" in run.err, run.err
    assert run.err.splitlines()[:-1] == check_project(project).lines
    edit(project, DOC, "kind: 通知", "kind: 通报告")
    run = cli(capsys, monkeypatch, *args)
    assert run.code == 1 and "校验未通过：1 个错误" in run.err, run.err
    assert run.err.splitlines()[:-1] == check_project(project).lines


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
