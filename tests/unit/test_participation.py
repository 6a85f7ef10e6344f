"""意见征集 and 重大行政决策事项目录: every rule's message with its file and line, as `build.py
check` prints it (tests/messages.py), and one consultation walked through every state on frozen
build dates (its page, the home page, the list, the feed's title)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from messages import check_project, rendered_pages

CONSULTATION = Path("content/consultations/ceshi-yijian.md")
DECISIONS = Path("content/decisions/2025.yaml")
BUNDLED_CONSULTATION = "content/consultations/2026-shili-laojiu-xiaoqu-gaizao-yijian.md"


def epoch(day: date) -> str:
    """SOURCE_DATE_EPOCH for noon of `day` in China (the build date is taken in UTC+8)."""
    return str(int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone(timedelta(hours=8))).timestamp()))


def front(start="2026-10-01", end="2026-10-30", extra="", feedback="") -> str:
    return f"""---
title: 关于公开征求《测试办法（征求意见稿）》意见的公告
issuer: 区民政局
start: {start}
end: {end}
email: ceshi@example.gov.cn
explanation: |
  测试起草说明。
{extra}{feedback}---

测试草案正文。
"""


FEEDBACK = """feedback:
  published: 2026-11-10
  received: 10
  adopted: 4
  partly: 3
  not_adopted: 3
  summary: |
    测试反馈说明。
  reasons: |
    测试未采纳理由。
"""


def write(project: Path, text: str, where: Path = CONSULTATION) -> None:
    path = project / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def errors(project: Path, day: date = date(2026, 11, 5)) -> list[str]:
    return [e.replace(f"{project}/", "") for e in check_project(project, epoch=epoch(day)).errors]


def warnings(project: Path, day: date) -> list[str]:
    return [w.replace(f"{project}/", "") for w in check_project(project, epoch=epoch(day)).warnings]


def test_the_bundled_examples_pass(project):
    checked = check_project(project)
    assert checked.code == 0, checked.text


def test_a_30_day_window_passes(project):
    write(project, front())  # 2026-10-01 to 2026-10-30: 30 days, both ends counted
    assert errors(project) == []


def test_a_short_window_without_a_reason(project):
    write(project, front(end="2026-10-29"))
    assert errors(project) == [
        f"{CONSULTATION}:5: 征集期只有 29 天（2026-10-01 至 2026-10-29），少于 30 天 — "
        "把 end 推后；确需缩短的，写 shorten_reason: 缩短的理由（会在页面上公开）"]


def test_a_short_window_with_its_reason(project):
    write(project, front(end="2026-10-15", extra="shorten_reason: 因汛期前须出台，征集期缩短为15日\n"))
    assert errors(project) == []


def test_a_normative_draft_needs_7_working_days(project):
    # Monday 2026-10-12 to Monday 2026-10-19: 6 working days; to Tuesday the 20th: 7.
    write(project, front(start="2026-10-12", end="2026-10-19", extra="normative: true\n"))
    assert errors(project) == [
        f"{CONSULTATION}:5: 规范性文件草案的征集期只有 6 个工作日（2026-10-12 至 2026-10-19），少于 7 个工作日 — "
        "把 end 推后；确需缩短的，写 shorten_reason: 缩短的理由（会在页面上公开）"]
    write(project, front(start="2026-10-12", end="2026-10-20", extra="normative: true\n"))
    assert errors(project) == []


def test_the_holiday_counts_for_a_normative_draft(project):
    # 2026-09-28 to 2026-10-09 holds the 国庆 holiday: 10 weekdays, but 5 working days.
    write(project, front(start="2026-09-28", end="2026-10-09", extra="normative: true\n"))
    found = errors(project)
    assert len(found) == 1 and "只有 5 个工作日（2026-09-28 至 2026-10-09）" in found[0], found


def test_reversed_dates(project):
    write(project, front(start="2026-10-30", end="2026-10-01"))
    assert errors(project) == [
        f"{CONSULTATION}:5: 征集截止日期 2026-10-01 早于开始日期 2026-10-30 — "
        "请核对两个日期：start 写开始的那天，end 写截止的那天"]


def test_no_way_to_respond(project):
    write(project, front().replace("email: ceshi@example.gov.cn\n", ""))
    assert errors(project) == [
        f"{CONSULTATION}:1: 意见征集没有写提交意见的方式 — "
        "至少写一种：email（电子邮箱）、post（通信地址）、phone（电话）、in_person（现场提交地点）"]


def test_unknown_issuer(project):
    write(project, front().replace("issuer: 区民政局", "issuer: 区民政厅"))
    found = errors(project)
    assert found == [f"{CONSULTATION}:3: 征集单位“区民政厅”不在 config.yaml 的单位名录中 — 是不是：区民政局？ "
                     "请用名录中的名称，或在 config.yaml 的 bodies 中为它添加单位或别名"]


def test_feedback_counts_must_add_up(project):
    write(project, front(feedback=FEEDBACK.replace("received: 10", "received: 11")))
    assert errors(project, date(2026, 11, 26)) == [
        f"{CONSULTATION}:11: 意见条数对不上：采纳 4 + 部分采纳 3 + 未采纳 3 = 10，收到的是 11 条 — "
        "每条意见只算一次：三项之和应等于 received（收到意见条数）"]


def test_not_adopted_needs_reasons(project):
    write(project, front(feedback=FEEDBACK.replace("  reasons: |\n    测试未采纳理由。\n", "")))
    assert errors(project, date(2026, 11, 26)) == [
        f"{CONSULTATION}:14: 有 3 条意见未采纳，但没有写未采纳的理由 — "
        "在 feedback 下写 reasons: | 换行后逐条说明未采纳的理由"]


def test_feedback_before_the_window_closed(project):
    write(project, front(feedback=FEEDBACK.replace("published: 2026-11-10", "published: 2026-10-20")))
    assert errors(project) == [
        f"{CONSULTATION}:9: 反馈发布日期 2026-10-20 早于征集截止日期 2026-10-30 — "
        "意见反馈在征集结束后发布：请核对 feedback 下的 published"]


def test_dead_links(project):
    write(project, front(extra="decision: meiyou-zhege-shixiang\n",
                         feedback=FEEDBACK + "  result: meiyou-zhege-wenjian\n"))
    assert errors(project, date(2026, 11, 26)) == [
        f"{CONSULTATION}:9: 相关决策事项“meiyou-zhege-shixiang”不存在 — "
        "decision 写 content/decisions/ 中某一年度目录里事项的 id；不属于重大行政决策事项的，删去这一行",
        f"{CONSULTATION}:10: 意见反馈中形成的文件“meiyou-zhege-wenjian”不存在 — "
        "result 写 content/documents/ 中文件的文件名（不带 .md）；文件尚未印发的，先删去这一行"]


def test_late_feedback_is_a_warning_that_names_it(project):
    write(project, front())  # closed 2026-10-30, no feedback
    assert warnings(project, date(2026, 11, 29)) == []  # 30 days: not late yet
    assert warnings(project, date(2026, 11, 30)) == [
        f"{CONSULTATION}:5: 警告：意见征集“关于公开征求《测试办法（征求意见稿）》意见的公告”已于 2026-10-30 结束 31 天，"
        "超过 30 天仍未发布意见反馈 — 在文件中写 feedback:（收到、采纳、部分采纳、未采纳的条数，未采纳的理由和说明）；"
        "期限在 config.yaml 的 participation.feedback_days 设置"]
    config = project / "config.yaml"
    config.write_text(config.read_text("utf-8").replace("feedback_days: 30", "feedback_days: 45"), "utf-8")
    assert warnings(project, date(2026, 11, 30)) == []
    write(project, front(feedback=FEEDBACK))
    assert warnings(project, date(2026, 12, 30)) == []


def test_feedback_days_must_be_a_positive_integer(project):
    config = project / "config.yaml"
    text = config.read_text("utf-8")
    line = text[:text.index("feedback_days: 30")].count("\n") + 1
    config.write_text(text.replace("feedback_days: 30", "feedback_days: 零"), "utf-8")
    found = [e.replace(f"{project}/", "") for e in check_project(project).errors]
    assert found == [f"config.yaml:{line}: participation的“feedback_days”应是不小于 1 的整数 — 例如 feedback_days: 30"]


ITEM = """  - id: ceshi-shixiang
    name: 测试决策事项
    body: 区民政局
    basis: 《重大行政决策程序暂行条例》
    planned: 2027年6月
    procedures:
      public: 已完成
      experts: 进行中
    state: 推进中
"""


def decisions(items: str = ITEM) -> str:
    return "year: 2025\npublished: 2025-03-03\nitems:\n" + items


def test_decision_rules(project):
    write(project, decisions(ITEM.replace("body: 区民政局", "body: 区民政厅")), DECISIONS)
    assert errors(project) == [
        f"{DECISIONS}:6: 承办单位“区民政厅”不在 config.yaml 的单位名录中 — 是不是：区民政局？ "
        "请用名录中的名称，或在 config.yaml 的 bodies 中为它添加单位或别名"]
    write(project, decisions(ITEM.replace("experts: 进行中", "experts: 做完了")), DECISIONS)
    assert errors(project) == [
        f"{DECISIONS}:11: 决策程序“专家论证”的进展“做完了”不是可选的值 — 可选：未开始、进行中、已完成、不适用，如 experts: 进行中"]
    write(project, decisions(ITEM + "    result: meiyou-zhege-wenjian\n"), DECISIONS)
    assert errors(project) == [
        f"{DECISIONS}:13: 第 1 项决策事项（测试决策事项）的决策文件“meiyou-zhege-wenjian”不存在 — "
        "result 写 content/documents/ 中文件的文件名（不带 .md），文件发布后再填写"]
    write(project, decisions(ITEM.replace("state: 推进中", "state: 已决策")), DECISIONS)
    assert errors(project) == []
    assert warnings(project, date(2026, 11, 5)) == [
        f"{DECISIONS}:4: 警告：第 1 项决策事项（测试决策事项）标为“已决策”，但没有写决策文件 — "
        "在这一项下写 result: 决策文件的文件名；文件尚未公开的，先把 state 写成 推进中"]
    write(project, decisions(ITEM + ITEM.replace("name: 测试决策事项", "name: 另一个")), DECISIONS)
    found = errors(project)
    assert len(found) == 1 and found[0].startswith(f"{DECISIONS}:13: 事项代码“ceshi-shixiang”与 {DECISIONS} 第 1 项重复"), found
    (project / DECISIONS).unlink()
    write(project, decisions(), Path("content/decisions/2024.yaml"))
    assert errors(project) == [
        "content/decisions/2024.yaml:1: 事项目录的文件名应是“2025.yaml”（目录年度），现在是“2024.yaml” — 请把文件改名为 2025.yaml"]


def test_a_broken_catalogue_gives_no_second_message(project):
    """A consultation naming a 事项 of a 目录 that has errors is not told the 事项 is missing."""
    path = project / "content/decisions/2026.yaml"
    path.write_text(path.read_text("utf-8").replace("body: 区住房城乡建设局", "body: 区住建厅"), "utf-8")
    found = errors(project)
    assert len(found) == 1 and found[0].startswith("content/decisions/2026.yaml:10: 承办单位“区住建厅”"), found


def _main(html: str) -> str:
    import re
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


STATES = [
    (date(2026, 9, 30), "未开始"),
    (date(2026, 10, 1), "征集中（还剩 30 天）"),
    (date(2026, 10, 29), "征集中（还剩 2 天）"),
    (date(2026, 10, 30), "征集中（今天截止）"),
    (date(2026, 10, 31), "已结束，待反馈"),
    (date(2026, 11, 9), "已结束，待反馈"),
    (date(2026, 11, 10), "已反馈"),
]


@pytest.mark.parametrize("day,state", STATES, ids=[str(day) for day, _ in STATES])
def test_a_consultation_walks_through_every_state(project, day, state):
    write(project, front(extra="decision: shili-laojiu-xiaoqu-gaizao\n",
                         feedback=FEEDBACK + "  result: 2024-laojiu-xiaoqu-gaizao-xieshang-yishi-guicheng\n"))
    (project / BUNDLED_CONSULTATION).unlink()  # open on every one of these days: the home page would list it
    pages = rendered_pages(project, epoch(day))
    page = _main(pages["consultations/ceshi-yijian/index.html"])
    assert f"状态 {state}" in page
    home = _main(pages["index.html"])
    listing = _main(pages["consultations/index.html"])
    document = _main(pages["documents/2024-laojiu-xiaoqu-gaizao-xieshang-yishi-guicheng/index.html"])
    trail = _main(pages["decisions/2026/shili-laojiu-xiaoqu-gaizao/index.html"])
    if state.startswith("征集中"):
        assert "正在征集意见" in home and state in home
    else:
        assert "正在征集意见" not in home
    assert f"{state.split('（')[0]}（1 项）" in listing
    if state == "已反馈":
        assert "收到意见 10 采纳 4 部分采纳 3 未采纳 3" in page
        assert "测试未采纳理由" in page
        assert "形成的文件" in page  # links the document …
        assert "本文件起草时公开征求了意见" in document  # … which links back
        assert "意见反馈 ：" in trail and "形成的文件 ：" in trail
    else:
        assert "收到意见" not in page
        assert "本文件起草时公开征求了意见" not in document
        assert "意见反馈 ：" not in trail
    assert "公开征求意见 ：" in trail


def test_the_trail_is_in_date_order(project):
    write(project, front(extra="decision: shili-laojiu-xiaoqu-gaizao\n",
                         feedback=FEEDBACK + "  result: 2024-laojiu-xiaoqu-gaizao-xieshang-yishi-guicheng\n"))
    pages = rendered_pages(project, epoch(date(2026, 11, 26)))
    trail = _main(pages["decisions/2026/shili-laojiu-xiaoqu-gaizao/index.html"])
    steps = ["列入目录", "公开征求意见", "征求意见结束", "意见反馈"]
    found = [trail.index(f"{step} ：") for step in steps if f"{step} ：" in trail]
    assert len(found) == 4 and found == sorted(found), trail
    # the document is from 2024: it comes first, before the 目录 of 2026
    assert trail.index("形成的文件 ：") < trail.index("列入目录 ：")
    body = _main(pages["bodies/minzhengju/index.html"])
    assert "本单位的意见征集" in body and "关于公开征求《测试办法（征求意见稿）》意见的公告" in body
    housing = _main(pages["bodies/zhufangchengxiangjiansheju/index.html"])
    assert "本单位承办的决策事项" in housing and "天桥区老旧小区改造三年行动方案" in housing
