"""基层政务公开标准目录 (content/catalogue/<area>.yaml): each broken cell gets a Chinese message
naming the file, the line, the row and the column, as `build.py check` prints it (tests/messages.py)."""

from __future__ import annotations

from pathlib import Path

from messages import check_project

AREA = Path("content/catalogue/ceshi-lingyu.yaml")

GOOD_ROW = """\
  - item: 惠民惠农财政补贴资金
    subitem: 补贴资金发放结果
    elements: 补贴对象、补贴标准、发放金额
    basis: 《中华人民共和国政府信息公开条例》
    time_limit: 自信息形成或者变更之日起20个工作日内
    bodies: [区财政局, 各街道]
    channels: [政府网站, 社区/企事业单位/村公示栏（电子屏）]
    audience: 全社会
    manner: [主动]
    levels: [县级, 乡级]
    link: /documents/2022-zhengwu-gongkai-gongzuo-yaodian
"""


def write_area(project: Path, rows: str, head: str = "area: 测试领域\n") -> None:
    path = project / AREA
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + "rows:\n" + rows, "utf-8")


def problems(project: Path) -> list[str]:
    checked = check_project(project)
    return [error.replace(f"{project}/", "") for error in checked.errors]


def test_a_good_area_passes(project):
    write_area(project, GOOD_ROW)
    checked = check_project(project)
    assert checked.code == 0, checked.text


def test_unknown_body(project):
    write_area(project, GOOD_ROW.replace("bodies: [区财政局, 各街道]", "bodies: [区财政厅, 各街道]"))
    assert problems(project) == [
        f"{AREA}:8: 公开主体“区财政厅”不在 config.yaml 的单位名录中 — 是不是：区财政局？ "
        "请用名录中的名称，或在 config.yaml 的 bodies 中为它添加单位或别名"]


def test_empty_time_limit(project):
    write_area(project, GOOD_ROW.replace("time_limit: 自信息形成或者变更之日起20个工作日内", "time_limit:"))
    assert problems(project) == [
        f"{AREA}:7: 第 1 项公开事项缺少必填字段“time_limit”（公开时限） — "
        "请补上这一项，例如 time_limit: 自信息形成或者变更之日起20个工作日内"]


def test_missing_cell_points_at_the_row(project):
    write_area(project, GOOD_ROW + GOOD_ROW.replace("    basis: 《中华人民共和国政府信息公开条例》\n", ""))
    assert problems(project) == [
        f"{AREA}:14: 第 2 项公开事项缺少必填字段“basis”（公开依据） — "
        "请补上这一项，例如 basis: 《中华人民共和国政府信息公开条例》"]


def test_dead_link(project):
    write_area(project, GOOD_ROW.replace("/documents/2022-zhengwu-gongkai-gongzuo-yaodian", "/documents/no-such-document/"))
    assert problems(project) == [
        f"{AREA}:13: 第 1 项公开事项（补贴资金发放结果）的链接“/documents/no-such-document/”指向的站内页面不存在 — "
        "请核对网址，如 /documents/文件名/ 、/pages/栏目页面名/ 、/bodies/单位代码/ ；"
        "信息只在线下公开（如村务公开栏）的，删去 link 这一行"]


def test_link_that_is_not_a_site_path(project):
    write_area(project, GOOD_ROW.replace("link: /documents/2022-zhengwu-gongkai-gongzuo-yaodian",
                                         "link: https://www.example.gov.cn/x"))
    assert problems(project) == [
        f"{AREA}:13: 链接“https://www.example.gov.cn/x”不是本栏目的网址 — "
        "写本栏目内页面的路径，以 / 开头、不带域名，如 /documents/文件名/ 、/pages/fading-zhudong-gongkai/"]


def test_links_to_other_pages_of_the_site_pass(project):
    rows = "".join(GOOD_ROW.replace("/documents/2022-zhengwu-gongkai-gongzuo-yaodian", link)
                   for link in ("/pages/fading-zhudong-gongkai/", "/bodies/caizhengju/", "/topics/zonghezhengwu/",
                                "/tasks/2022-zhengwu-gongkai-renwu-fenjie/#task-45", "/catalogue/"))
    write_area(project, rows)
    checked = check_project(project)
    assert checked.code == 0, checked.text


def test_unknown_manner(project):
    write_area(project, GOOD_ROW.replace("manner: [主动]", "manner: [主动公开]"))
    assert problems(project) == [
        f"{AREA}:11: 公开方式“主动公开”不是可选的值 — 是不是“主动”？可选：主动、依申请公开，写成 manner: [主动]"]


def test_unknown_channel_names_the_valid_ones(project):
    write_area(project, GOOD_ROW.replace("channels: [政府网站, ", "channels: [门户网站, "))
    (error,) = problems(project)
    assert error.startswith(f"{AREA}:9: 公开渠道和载体“门户网站”不是可选的值 — ")
    assert "可选：政府网站、政府公报、两微一端、发布会/听证会、广播电视、纸质媒体、公开查阅点、政务服务中心、便民服务站、" \
           "入户/现场、社区/企事业单位/村公示栏（电子屏）、精准推送、其他" in error


def test_a_row_that_is_not_a_mapping(project):
    write_area(project, GOOD_ROW + "  - 惠民惠农补贴发放结果\n")
    assert problems(project) == [
        f"{AREA}:14: 第 2 项公开事项应是一组字段（一级事项、二级事项、公开内容……），现在是一段文字或列表 — "
        "写成 - item: 一级事项 换行 subitem: 二级事项 ……，每个字段一行、缩进对齐"]


def test_rows_not_a_list(project):
    write_area(project, "", head="area: 测试领域\n")
    (project / AREA).write_text("area: 测试领域\nrows: 惠民惠农\n", "utf-8")
    assert problems(project) == [
        f"{AREA}:2: “rows”（公开事项列表）应是一组公开事项，每项以“- item: 一级事项”开头 — "
        "参照 content/catalogue/ 中已有的文件，或用 python build.py new catalogue 新建"]


def test_an_area_without_rows_passes(project):
    (project / AREA).parent.mkdir(parents=True, exist_ok=True)
    (project / AREA).write_text("area: 测试领域\n", "utf-8")
    checked = check_project(project)
    assert checked.code == 0, checked.text


def test_two_files_for_one_area(project):
    write_area(project, GOOD_ROW, head="area: 涉农补贴\n")
    (error,) = problems(project)
    bundled = (project / "content/catalogue/shenong-butie.yaml").read_text("utf-8").split("\n")
    line = bundled.index("area: 涉农补贴") + 1
    assert error == (f"content/catalogue/shenong-butie.yaml:{line}: 领域名称“涉农补贴”与 {AREA} 重复 — "
                     "一个领域只写一个文件：请把两个文件的公开事项合并到一个文件里，删去另一个")


def test_unknown_field_in_a_row(project):
    write_area(project, GOOD_ROW.replace("    manner: [主动]\n", "    manner: [主动]\n    remark: 无\n"))
    (error,) = problems(project)
    assert error.startswith(f"{AREA}:12: 第 1 项公开事项有未知字段“remark” — ")


def test_link_to_a_scheduled_document(project):
    from content_helpers import write_document

    write_document(project / "content", "2027-dingshi-buzhu-tongzhi", written="2027-01-04", published="2027-01-05")
    write_area(project, GOOD_ROW.replace("/documents/2022-zhengwu-gongkai-gongzuo-yaodian",
                                         "/documents/2027-dingshi-buzhu-tongzhi/"))
    assert problems(project) == [
        f"{AREA}:13: 第 1 项公开事项（补贴资金发放结果）的链接“/documents/2027-dingshi-buzhu-tongzhi/”指向定时发布、"
        "尚未公开的内容 — 到发布日期后再填写链接，或先删去 link 这一行"]
