"""`build.py new consultation` and `new decision`: a 意见征集 with its window counted for the
editor (30 days, both ends), and a year's 重大行政决策事项目录 with one 事项 to copy. Every field
is in place with a Chinese comment saying what goes there."""

from __future__ import annotations

from datetime import date, timedelta

from ..load import participation as schemas
from ..load.models import CONSULTATION_MIN_DAYS, DECISION_PROCEDURES, PROCEDURE_STATES, DECISION_STATES


def consultation(ask, checks, existing, root):
    from .scaffold import Refused, _names

    title = ask("title", "标题（如 关于公开征求《……（征求意见稿）》意见的公告）", checks.field(schemas.CONSULTATION, "title"))
    consultation_id = ask("id", "文件名（小写英文字母、数字和连字符，也是网址，如 2027-laojiu-xiaoqu-yijian）",
                          checks.new_id("consultation"))
    issuers = ask("issuer", "征集单位", checks.field(schemas.CONSULTATION, "issuer"))
    start = ask("published", "征集开始日期（年-月-日）", checks.field(schemas.CONSULTATION, "start"), date.today())
    end = start + timedelta(days=CONSULTATION_MIN_DAYS - 1)
    if consultation_id in existing.ids.get("consultation", set()):
        raise Refused(f"content/consultations/{consultation_id}.md 已经有了")
    text = f"""---
id: {consultation_id}    # 编号：就是文件名（不含扩展名），编辑台用它给新文件命名；必须与文件名相同，也可以删去这一行
title: {title}
issuer: {_names(issuers) if isinstance(_names(issuers), str) else "[" + ", ".join(_names(issuers)) + "]"}    # 征集单位（config.yaml 中的单位）
start: {start.isoformat()}                 # 征集开始日期
end: {end.isoformat()}                   # 征集截止日期（含当天）：一般不少于 30 天，这里已按 30 天算好
normative: false                  # 草案是规范性文件时写 true：征集期不少于 7 个工作日即可
# shorten_reason:                 # 缩短理由：征集期短于上面的要求时必须写明（会在页面上公开）
# decision:                       # 相关决策事项：content/decisions/ 中事项的 id
# 提出意见的方式（至少写一种；本栏目不在网上收集意见，只公布地址和电话）：
# email: 电子邮箱
# post: 通信地址（写明邮编和收件单位，提示信封上注明“意见征集”）
# phone: 电话（写明接听时间）
# in_person: 现场提交地点
# contact: 联系人或联系科室
sample: false
explanation: |                    # 起草说明（Markdown，每行缩进两格）：起草的必要性、依据、过程和主要内容
  （请填写起草说明。）
background: |                     # 背景（可删去）：决策事项的由来、现状和要解决的问题
  （请填写背景。）
# 征集结束后，在这里补上意见反馈（收到、采纳、部分采纳、未采纳四个数：后三个之和等于收到的条数）：
# feedback:
#   published: 反馈发布日期
#   received: 0
#   adopted: 0
#   partly: 0
#   not_adopted: 0
#   summary: |
#     意见采纳情况的说明。
#   reasons: |
#     未采纳的理由（有未采纳的意见时必须写）。
#   result: 形成的文件的文件名（文件发布后填写）
---

（在这里粘贴征求意见稿的正文，用 ## 写各部分的标题。）
"""
    return root / "consultations" / f"{consultation_id}.md", text


def decision(ask, checks, existing, root):
    from .scaffold import Refused, _names

    def a_year(value: str):
        return (int(value), None) if value.isdigit() and len(value) == 4 else (None, "目录年度写四位数字，如 2027")

    year = ask("year", "目录年度", a_year, date.today().year)
    if str(year) in existing.ids.get("decision", set()):
        raise Refused(f"{year}年度的目录已经有了：content/decisions/{year}.yaml，请在其中添加事项")
    published = ask("published", "公布日期（年-月-日）", checks.field(schemas.DECISION_CATALOGUE, "published"), date.today())
    bodies = ask("issuer", "第一个事项的承办单位", checks.field(schemas.DECISION_ITEM, "body"))
    body = _names(bodies)
    body = body if isinstance(body, str) else "[" + ", ".join(body) + "]"
    procedures = "\n".join(f"      {key}: 未开始{' ' * (12 - len(key))}# {label}" for key, label in DECISION_PROCEDURES)
    text = f"""# {year}年度重大行政决策事项目录（《重大行政决策程序暂行条例》第三条）。
# 每个事项一项，复制“- id:”开头的一组添加；保存后运行 python build.py check 检查。
year: {year}                        # 目录年度（文件名也是 {year}.yaml）
published: {published.isoformat()}             # 公布日期
# title:                          # 标题（不写即为“网站名称{year}年度重大行政决策事项目录”）
sample: false
items:
  - id: shixiang-1                # 事项代码：小写英文字母、数字和连字符，是事项页面的网址，意见征集的 decision 写它
    name: （请填写事项名称）
    body: {body}           # 承办单位（config.yaml 中的单位）
    basis: （请填写决策依据）
    planned: {year}年12月             # 计划完成时间
    procedures:                   # 五项程序的进展，可选：{"、".join(PROCEDURE_STATES)}
{procedures}
    state: 未启动                 # 事项状态，可选：{"、".join(DECISION_STATES)}
    # result:                     # 决策文件的文件名：state 为 已决策 时填写
    # note:                       # 备注
"""
    return root / "decisions" / f"{year}.yaml", text
