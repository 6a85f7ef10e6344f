"""`build.py new`: a new file with every field and a comment on each, that `check` accepts as it is."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from build_helpers import build_here, run_here
from conftest import ROOT, SEED_DOC, html, load_yaml
from disclosure.load.loader import DOCUMENT, INTERPRETATION, REPORT, TASK, TASK_TABLE
from messages import Checked, check_project

CJK = re.compile(r"[\u4e00-\u9fff]")


def new(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`build.py new *args` with --no-input (or refused before asking), in this process."""
    return run_here("new", *args, "--content", str(project / "content"), "--config", str(project / "config.yaml"))


def new_answering(project: Path, *args: str, answers: str) -> subprocess.CompletedProcess:
    """`build.py new *args` in a child process, answering its questions on standard input."""
    command = [sys.executable, str(ROOT / "build.py"), "new", *args,
               "--content", str(project / "content"), "--config", str(project / "config.yaml")]
    return subprocess.run(command, input=answers, capture_output=True, text=True, cwd=ROOT, timeout=120)


def check(project: Path) -> Checked:
    """What `build.py check` finds in the project (tests/messages.py)."""
    return check_project(project)


def front_matter(path: Path) -> tuple[str, dict]:
    text = path.read_text("utf-8")
    head = text.split("---\n")[1] if path.suffix == ".md" else text
    from disclosure.errors import Problems
    from disclosure.load.source import parse_yaml

    return head, parse_yaml(path, head, Problems())


def assert_every_field_commented(head: str, keys) -> None:
    for key in keys:
        line = next((l for l in head.split("\n") if re.match(rf"^\s*(- )?{key}:", l)), None)
        assert line is not None, f"{key} is missing"
        assert "  # " in line and CJK.search(line.split("  # ", 1)[1]), f"{key} has no Chinese comment: {line}"


def test_new_document_from_options_passes_check(project):
    title = "关于印发《老旧小区改造: 实施#细则》的通知"
    result = new(project, "document", "--title", title, "--id", "2024-laojiu-xiaoqu-shishi-xize",
                 "--issuer", "区住建局", "--written", "2024-05-06", "--published", "2024-05-08",
                 "--doc-number", "天桥住建发〔2024〕8号", "--topic", "城乡建设、环境保护/城乡建设（含住房）",
                 "--kind", "意见", "--no-input")
    assert result.returncode == 0, result.stderr
    path = project / "content/documents/2024/2024-laojiu-xiaoqu-shishi-xize.md"
    assert "已新建" in result.stdout and path.name in result.stdout
    head, meta = front_matter(path)
    assert list(meta) == list(DOCUMENT), "every field, in the order of the guide"
    assert_every_field_commented(head, DOCUMENT)
    assert meta["title"] == title and meta["issuer"] == "区住房城乡建设局"  # an alias becomes the canonical name
    assert meta["written"] == "2024-05-06" and meta["published"] == "2024-05-08" and meta["kind"] == "意见"
    # 区住房城乡建设局 already used 11370105MB0000004X/2024-00007: the next free number is proposed.
    assert meta["index_no"] == "11370105MB0000004X/2024-00008"
    checked = check(project)
    assert checked.code == 0, checked.text
    site = project / "site"
    assert build_here(site, project / "content", project / "config.yaml").returncode == 0
    assert html(site, "/documents/2024-laojiu-xiaoqu-shishi-xize/").h1.get_text(strip=True) == title

    second = new(project, "document", "--title", "第二份", "--id", "2024-di-er-fen", "--issuer", "区住房城乡建设局",
                 "--written", "2024-06-01", "--topic", "综合政务", "--no-input")
    assert second.returncode == 0, second.stderr
    assert front_matter(project / "content/documents/2024/2024-di-er-fen.md")[1]["index_no"].endswith("/2024-00009")


def test_new_document_interactively(project):
    """Wrong answers are explained and asked again; a body without a known code is asked for one."""
    answers = "\n".join([
        "关于开展2024年政务公开培训的通知",  # 标题
        "Peixun_2024",                       # 文件名: refused (capitals, underscore)
        SEED_DOC,                            # 文件名: refused (taken)
        "2024-zhengwu-gongkai-peixun",       # 文件名
        "区政府办公厅",                       # 发布机构: unknown, a suggestion is shown
        "区政府办公室",                       # 发布机构
        "2024年3月5日",                       # 成文日期: wrong format, the exact fix is shown
        "2024-03-05",                        # 成文日期
        "",                                  # 发布日期: the default (成文日期)
        "",                                  # 发文字号: none
        "综合政务/政务公开",                   # 主题分类
        "",                                  # 公文种类: the default, 通知
        "11370105MB0000009X",                # 机构代码: 区政府办公室 has never used a 索引号
        "",                                  # 索引号: the proposal
    ]) + "\n"
    result = new_answering(project, "document", answers=answers)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "文件名只能用小写英文字母、数字和连字符" in result.stderr
    assert f"文件名“{SEED_DOC}”已经有了" in result.stderr
    assert "发布机构“区政府办公厅”不在 config.yaml 的单位名录中 — 是不是：区政府办公室" in result.stderr
    assert "日期统一写成 年-月-日，如 written: 2024-03-05" in result.stderr
    assert "还没有用过索引号，请输入它的机构代码" in result.stdout
    head, meta = front_matter(project / "content/documents/2024/2024-zhengwu-gongkai-peixun.md")
    assert meta["published"] == "2024-03-05" and meta["kind"] == "通知" and meta["doc_number"] is None
    assert meta["index_no"] == "11370105MB0000009X/2024-00001"
    checked = check(project)
    assert checked.code == 0, checked.text


def test_new_interpretation_takes_its_defaults_from_the_document(project):
    result = new(project, "interpretation", "--interprets", SEED_DOC, "--no-input")
    assert result.returncode == 0, result.stderr
    path = project / "content/interpretations" / f"{SEED_DOC}-jiedu-2.md"  # -jiedu is taken by the seed
    head, meta = front_matter(path)
    assert list(meta) == list(INTERPRETATION)
    assert_every_field_commented(head, INTERPRETATION)
    assert meta["issuer"] == "区政府办公室" and meta["published"] == "2022-06-16" and meta["form"] == "文字解读"
    assert "政策解读" in meta["title"]
    checked = check(project)
    assert checked.code == 0, checked.text


def test_new_task_table_passes_check(project):
    result = new(project, "tasks", "--plan", SEED_DOC, "--title", "2023年政务公开重点工作任务分解表",
                 "--id", "2023-zhengwu-gongkai-renwu-fenjie", "--area", "推进政务公开", "--item", "强化政策解读",
                 "--requirement", "做好政策解读: 与文件同步发布", "--units", "区政府办公室、区工信局", "--no-input")
    assert result.returncode == 0, result.stderr
    path = project / "content/tasks/2023-zhengwu-gongkai-renwu-fenjie.yaml"
    head, table = front_matter(path)
    assert list(table) == list(TASK_TABLE) and list(table["tasks"][0]) == list(TASK)
    assert_every_field_commented(head, [*TASK_TABLE, *TASK])
    assert table["tasks"][0]["units"] == ["区政府办公室", "区工信局"]  # as the source writes them
    assert table["tasks"][0]["requirement"] == "做好政策解读: 与文件同步发布"
    assert table["tasks"][0]["deadline"] == "全年"
    checked = check(project)
    assert checked.code == 0, checked.text
    assert load_yaml(path)["plan"] == SEED_DOC


def test_new_never_overwrites(project):
    existing = project / "content/documents/2022" / f"{SEED_DOC}.md"
    before = existing.read_bytes()
    # The id is taken in another year's folder: ids are unique across folders, so it is refused too.
    result = new(project, "document", "--title", "重复", "--id", SEED_DOC, "--issuer", "区政府办公室",
                 "--written", "2024-01-02", "--topic", "综合政务", "--no-input")
    assert result.returncode == 2
    assert f"文件名“{SEED_DOC}”已经有了" in result.stderr and "没有新建文件" in result.stderr
    assert existing.read_bytes() == before
    assert not (project / "content/documents/2024" / f"{SEED_DOC}.md").exists()


def test_wrong_or_missing_facts_are_refused_in_chinese(project):
    wrong = new(project, "document", "--title", "标题", "--id", "2024-x", "--issuer", "区政府办公厅", "--no-input")
    assert wrong.returncode == 2
    assert "--issuer 区政府办公厅：发布机构“区政府办公厅”不在 config.yaml 的单位名录中 — 是不是：区政府办公室" in wrong.stderr
    missing = new(project, "tasks", "--no-input")
    assert missing.returncode == 2 and "缺少所属文件的文件名，请用 --plan 提供" in missing.stderr
    nothing = new(project)
    assert nothing.returncode == 2 and "new document、new interpretation、new tasks、new report、new catalogue、new consultation 或 new decision" in nothing.stderr
    assert not list((project / "content/documents").glob("2024/2024-x.md"))


def test_new_report_has_every_field_and_row_and_passes_check(project):
    made = new(project, "report", "--issuer", "区财政局", "--year", "2023", "--published", "2024-01-20", "--no-input")
    assert made.returncode == 0, made.stderr
    path = project / "content" / "reports" / "2023-caizhengju.yaml"
    head, data = front_matter(path)
    assert_every_field_commented(head, REPORT)
    from disclosure.load.report_format import APPLICATION_KEYS
    assert [key for key in data["applications"]] == [k for k in APPLICATION_KEYS if k != "handled"]
    checked = check(project)
    assert checked.errors == [] and checked.warnings == [], checked.text
    again = new(project, "report", "--issuer", "区财政局", "--year", "2023", "--no-input")
    assert again.returncode == 2 and "区财政局2023年度的报告已经有了" in again.stderr
    early = new(project, "report", "--issuer", "区财政局", "--year", "2024", "--published", "2024-12-30", "--no-input")
    assert early.returncode == 2, early.stderr
    assert "2024年度的报告统计整年的数字，发布日期应在 2025 年或以后，现在是 2024-12-30" in early.stderr
    assert not (project / "content" / "reports" / "2024-caizhengju.yaml").exists()
    older = new(project, "report", "--issuer", "区财政局", "--year", "2020", "--published", "2021-01-20", "--no-input")
    assert older.returncode == 2 and "2021 年度以前的报告格式不同" in older.stderr, older.stderr


def test_new_catalogue_area_passes_check_and_explains_every_field(project):
    from disclosure.load.loader import CATALOGUE, CATALOGUE_ROW

    result = new(project, "catalogue", "--area", "公共文化服务", "--id", "gonggong-wenhua-fuwu", "--no-input")
    assert result.returncode == 0, result.stderr
    path = project / "content/catalogue/gonggong-wenhua-fuwu.yaml"
    text = path.read_text("utf-8")
    assert_every_field_commented(text, [key for key in CATALOGUE if key != "rows"])
    assert re.search(r"^rows: \[\]\s+# .*[\u4e00-\u9fff]", text, re.M)
    # The row to copy, commented out: each cell with its Chinese note.
    uncommented = re.sub(r"^# ?(rows:|  - |    )", r"\1", text, flags=re.M).replace("rows: []", "#", 1)
    assert_every_field_commented(uncommented, CATALOGUE_ROW)
    assert check(project).code == 0, check(project).text
    path.write_text(uncommented, "utf-8")
    checked = check(project)
    assert checked.code == 0, checked.text


def test_new_catalogue_refuses_a_taken_id(project):
    result = new(project, "catalogue", "--area", "涉农补贴二", "--id", "shenong-butie", "--no-input")
    assert result.returncode == 2 and "文件名“shenong-butie”已经有了" in result.stderr, result.stderr
