#!/usr/bin/env python3
"""A deterministic synthetic corpus in our content model, for benchmarks and search quality.

    python bench/generate.py --count 10000 --out bench/corpus-10000

Text is recombined from the clauses of the real seed document, so it reads like a Chinese
policy document; titles, issuers, topics and kinds come from config.yaml's vocabularies. The
same count always gives the same files.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from disclosure.errors import Problems  # noqa: E402
from disclosure.load.config import load_config  # noqa: E402

SUBJECTS = [
    "财政专项资金管理", "食品安全监督抽检", "老旧小区改造", "行政执法公示", "放管服改革", "减税降费政策落实",
    "疫情防控常态化", "营商环境优化提升", "乡村振兴衔接资金", "养老服务补贴发放", "生活垃圾分类",
    "安全生产专项整治", "城乡低保动态管理", "就业创业补贴申领", "义务教育招生入学", "医疗保障基金监管",
    "河道综合治理", "扬尘污染防治", "政务服务一网通办", "重大行政决策程序", "公共法律服务体系建设",
    "消防安全隐患排查", "农村人居环境整治", "社区网格化管理", "文化惠民工程", "全民健身设施建设",
    "中小企业融资服务", "知识产权保护", "住房保障", "交通综合整治", "应急物资储备", "退役军人优待",
]
ACTIONS = ["加强", "进一步做好", "推进", "规范", "印发", "开展", "深化", "完善"]
SUFFIX = {"通知": "的通知", "意见": "的实施意见", "通告": "的通告", "决定": "的决定", "公告": "的公告", "函": "的函"}
FORMS = ["文字解读", "问答解读", "图文解读"]


def clauses() -> list[str]:
    """Clauses of the seed's 工作要点, the material the text is made of."""
    text = (ROOT / "content/documents/2022/2022-zhengwu-gongkai-gongzuo-yaodian.md").read_text("utf-8")
    body = text.split("---", 2)[2]
    body = re.sub(r"[#*>\[\]()（）/a-z\-]+", "", body)
    parts = re.split(r"[，。；：\n]", body)
    return [p.strip() for p in parts if 6 <= len(p.strip()) <= 40]


def paragraph(rng: random.Random, pool: list[str], subject: str) -> str:
    picked = rng.sample(pool, rng.randint(4, 9))
    if rng.random() < 0.5:
        picked.insert(rng.randrange(len(picked)), f"切实做好{subject}工作")
    return "，".join(picked) + "。"


def table(rng: random.Random, subject: str) -> str:
    rows = [f"| {i} | {subject}第{i}类 | {rng.randint(1, 90) * 100} 元 | {rng.choice(['按月', '按季度', '按年'])}发放 |"
            for i in range(1, rng.randint(3, 7))]
    return "\n".join(["| 序号 | 项目 | 标准 | 发放方式 |", "| --- | --- | --- | --- |", *rows])


def document(rng, pool, config, number, year):
    subject = rng.choice(SUBJECTS)
    kind = rng.choice(list(SUFFIX))
    issuer = rng.choice([b for b in config.organisations if b.type in ("department", "government")])
    topics = [t for t in config.topics if t.parent_name]
    topic = rng.choice(topics)
    written = date(year, 1, 1) + timedelta(days=rng.randrange(360))
    published = written + timedelta(days=rng.randrange(6))
    validity = rng.choices(["有效", "失效", "废止"], [8, 1, 1])[0]
    lines = [
        "---",
        f"title: {issuer.name if issuer.type == 'government' else '济南市天桥区' + issuer.name.removeprefix('区')}关于{rng.choice(ACTIONS)}{subject}工作{SUFFIX[kind]}",
        f"doc_number: 天桥综发〔{year}〕{number}号",
        f"issuer: {issuer.name}",
        f"written: {written.isoformat()}",
        f"published: {published.isoformat()}",
        f"topic: {topic.label}",
        f"kind: {kind}",
        f"index_no: 11370105MB0000000X/{year}-{number:05d}",
        f"validity: {validity}",
    ]
    if validity == "废止":
        lines.append(f"repealed: {(published + timedelta(days=400)).isoformat()}")
    lines += [f"keywords: [{subject}, {topic.name}]", "sample: true", "---", "",
              "各街道办事处，区政府各部门：", ""]
    target = rng.randint(800, 3000)
    body, size, part = [], 0, 0
    while size < target:
        if size and rng.random() < 0.3:
            part += 1
            body.append(f"## {'一二三四五六七八九十'[part % 10]}、{rng.choice(pool)}")
        text = paragraph(rng, pool, subject)
        body.append(text)
        size += len(text)
    if rng.random() < 0.2:
        body.insert(min(3, len(body)), table(rng, subject))
    return subject, published, issuer, "\n".join(lines) + "\n" + "\n\n".join(body) + "\n"


def generate(count: int, out: Path) -> None:
    problems = Problems()
    config = load_config(ROOT / "config.yaml", problems)
    rng = random.Random(20221616 + count)
    pool = clauses()
    if out.exists():
        shutil.rmtree(out)
    documents = []
    for number in range(1, count + 1):
        year = 2015 + number % 11
        subject, published, issuer, text = document(rng, pool, config, number, year)
        doc_id = f"doc-{number:06d}"
        path = out / "documents" / str(year) / f"{doc_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        documents.append((doc_id, subject, published, issuer))
    for index, (doc_id, subject, published, issuer) in enumerate(documents[:: max(1, 20)]):
        path = out / "interpretations" / f"{doc_id}-jiedu.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([
            "---", f"title: 《{subject}》政策解读", f"interprets: {doc_id}", f"issuer: {issuer.name}",
            f"published: {(published + timedelta(days=1)).isoformat()}", f"form: {FORMS[index % 3]}",
            "sample: true", "qa:", f"  - q: {subject}主要有哪些内容？", f"    a: {paragraph(rng, pool, subject)}",
            "---", "", paragraph(rng, pool, subject), "", paragraph(rng, pool, subject), ""]), "utf-8")
    units = [b.name for b in config.organisations if b.type != "government"]
    for index, (doc_id, subject, published, issuer) in enumerate(documents[:: max(1, 200)]):
        tasks = []
        for no in range(1, 31):
            tasks += [f"  - no: {no}", f"    area: 聚焦{rng.choice(SUBJECTS)}", f"    item: 强化{rng.choice(SUBJECTS)}",
                      f"    requirement: \"{paragraph(rng, pool, subject)}\"",
                      f"    units: [{', '.join(rng.sample(units, rng.randint(1, 4)))}]",
                      f"    deadline: {rng.choice(['全年', f'{published.year}年底前', f'{published.year}年9月底前', '本文件印发后30日内'])}"]
        path = out / "tasks" / f"{doc_id}-renwu.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([f"plan: {doc_id}", f"title: {subject}重点任务分解表", "tasks:", *tasks, ""]), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / f"corpus-{args.count}"
    generate(args.count, out)
    print(out)


if __name__ == "__main__":
    main()
