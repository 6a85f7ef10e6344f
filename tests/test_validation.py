"""Broken files get a clear Chinese message naming the file and line, and the build stops."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SEED_DOC, SEED_TASKS, build_into, run_build

DOC = Path("content/documents/2022") / f"{SEED_DOC}.md"
TASKS = Path("content/tasks") / f"{SEED_TASKS}.yaml"


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
    assert not (project / "site").exists()
    return result.stderr


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
    result = run_build("check", "--content", str(project / "content"), "--config", str(project / "config.yaml"),
                       "--output", str(project / "site"))
    assert result.returncode == 1 and "公文种类“通报告”不认识" in result.stderr
    assert not (project / "site").exists()
