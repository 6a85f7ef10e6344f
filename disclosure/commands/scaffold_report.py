"""The file `build.py new report` writes: every field and every table row in place, each with its
official label as a Chinese comment, all figures 0, so that it passes `check` as it is and an
editor only overwrites numbers and text."""

from __future__ import annotations

from datetime import date

from ..load.report_format import (APPLICANTS, APPLICATION_ROWS, CASES, OUTCOMES, PARTS, PROACTIVE_COLUMNS,
                                  PROACTIVE_ROWS, TOTAL)


def report_text(issuer, year: int, published: date) -> str:
    deadline = "3月31日" if issuer.type == "government" else "1月31日"
    applicants = ", ".join(f"{key}: 0" for key, _ in APPLICANTS)
    outcomes = ", ".join(f"{key}: 0" for key, _ in OUTCOMES if key != TOTAL)
    out = [
        "# 政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）。",
        "# 每个数都写阿拉伯数字；没有的写 0。“总计”列、（七）总计行和第四部分的 total 可以不写，由系统自动合计并在页面上标“※”；",
        "# 写了的，系统核对它是否等于各项之和。保存后运行 python build.py check 检查。",
        f"id: {year}-{issuer.slug}  # 编号：就是文件名（报告年度-发布机构的网址名），编辑台用它给新文件命名；也可以删去这一行",
        f"year: {year}                        # 报告年度（统计 {year}年1月1日至12月31日）",
        f"issuer: {issuer.name}        # 发布机构（config.yaml 中的一个单位）",
        f"published: {published.isoformat()}             # 发布日期（条例第四十九条：应在 {year + 1}年{deadline}前公布）",
        f"title:                            # 标题（空着即为“{issuer.name}{year}年政府信息公开工作年度报告”）",
        "sample: false                     # 示例标记：演示用的示例报告写 true",
        "",
        f"overview: |                       # {PARTS[0]}（Markdown，每行缩进两格）",
        "  （请填写：主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等情况。）",
        "",
        f"proactive:                        # {PARTS[1]}",
    ]
    for key, label, article in PROACTIVE_ROWS:
        if key == "rules":
            columns = ", ".join(f"{c}: 0" for c, _ in PROACTIVE_COLUMNS)
            names = "/".join(name for _, name in PROACTIVE_COLUMNS)
            out.append(f"  rules: {{{columns}}}    # {article} {label}：{names}")
        elif key == "normative":
            out.append(f"  normative: {{}}     # {article} {label}：不写的由本栏目的规范性文件统计；"
                       "写了的，系统与本栏目文件核对，如 {issued: 1, repealed: 0, in_force: 5}")
        elif key == "fees":
            out.append(f"  fees: 0                         # {article} {label}：本年收费金额（单位：万元），可写小数")
        else:
            out.append(f"  {key}: 0{' ' * (30 - len(key))}# {article} {label}：本年处理决定数量")
    out += ["",
            f"applications:                     # {PARTS[2]}",
            "  # 每行六列：" + "、".join(f"{key}（{label}）" for key, label in APPLICANTS) + "；可另写 total（总计）",
            "  # 勾稽关系：每一列 new + carried_over = handled（（七）总计）+ carried_forward"]
    for row in APPLICATION_ROWS:
        if not row.key:
            out.append(f"  # {row.label}")
        elif row.key == "handled":
            out.append(f"  # handled: {{{applicants}}}   # {row.label}（可不写，自动合计）")
        else:
            out.append(f"  {row.key}: {{{applicants}}}   # {row.label}")
    out += ["",
            f"review_litigation:                # {PARTS[3]}",
            "  # 每项：" + "、".join(f"{key}（{label}）" for key, label in OUTCOMES)]
    for key, label in CASES:
        out.append(f"  {key}: {{{outcomes}}}   # {label}")
    out += ["",
            f"problems: |                       # {PARTS[4]}",
            "  （请填写：存在的主要问题和改进措施；区人民政府的报告还要写工作考核、社会评议和责任追究结果情况。）",
            "",
            f"other: |                          # {PARTS[5]}（可不写，页面显示“无。”）",
            "  （请填写：如收取信息处理费的情况。）",
            ""]
    return "\n".join(out)
