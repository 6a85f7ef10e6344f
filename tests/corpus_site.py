"""The real corpus (laws and policy records no one here wrote) as a project of this generator.

`make_corpus_project(root)` writes `root/content/documents/…` and `root/config.yaml` from the corpus:
each law a document with its full text, each policy record a document with its title as the body
(the records have no text) and its 发文字号. The corpus is `../shared/corpus/` beside the checkout
when it is there (300 laws, 400 records), else the subset bundled in `tests/corpus/` (see its
README), or the folder given. Everything is derived from the files alone, so the same corpus gives
byte for byte the same project.

Search quality on it, by query group (the queries are `tests/corpus_queries.yaml`):

    .venv/bin/python tests/corpus_site.py /tmp/corpus-site            # build, serve, measure, print the table
    .venv/bin/python tests/corpus_site.py /tmp/corpus-site -v         # … and every query's figures and top results
    .venv/bin/python tests/corpus_site.py /tmp/corpus-site --corpus tests/corpus   # the bundled subset only
    .venv/bin/python tests/corpus_site.py /tmp/corpus-site --relevant # no browser: each query's relevant pages

The browser test is tests/browser/test_search_corpus.py: `.venv/bin/python -m pytest tests/browser/test_search_corpus.py -s`
prints the table; CORPUS_DIR=tests/corpus measures the bundled subset where the shared corpus exists.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from search_quality import group_table, prenormalized  # noqa: F401  (group_table: the per-group table, shared with the bundled queries)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BUNDLED = Path(__file__).resolve().parent / "corpus"
QUERIES = Path(__file__).resolve().parent / "corpus_queries.yaml"
GROUPS = ("phrase", "natural", "number", "synonym", "recovery")


class CorpusMissing(FileNotFoundError):
    pass


def corpus_dir(corpus: Path | str | None = None) -> Path:
    """The corpus folder: the one given (or in $CORPUS_DIR), else the shared corpus, else the bundled subset. Raises
    CorpusMissing, saying where it looked, when there is none."""
    corpus = corpus if corpus is not None else os.environ.get("CORPUS_DIR") or None
    candidates = [Path(corpus)] if corpus is not None else [SHARED, BUNDLED]
    for folder in candidates:
        if (folder / "laws" / "index.jsonl").is_file() and (folder / "policy-records.jsonl").is_file():
            return folder
    raise CorpusMissing("没有找到语料（corpus not found）: looked for laws/index.jsonl and policy-records.jsonl in "
                        + ", ".join(str(f) for f in candidates)
                        + " — copy /work/shared/corpus beside the checkout, or restore tests/corpus/")


# --- issuing bodies ---------------------------------------------------------------------------------
# One body per policy-record site and per law level; the slugs are pinyin, as in config.yaml.
SITES = {
    "State Council": "国务院",
    "Shanghai Municipal Government": "上海市人民政府",
    "Guangdong Provincial Government": "广东省人民政府",
    "Sichuan Provincial Government": "四川省人民政府",
    "Henan Provincial Government": "河南省人民政府",
    "Yunnan Provincial Government": "云南省人民政府",
    "Hainan Provincial Government": "海南省人民政府",
}
BODIES = {  # name: (slug, type, aliases)
    "全国人民代表大会常务委员会": ("quanguorenda-changweihui", "unit", ["全国人大常委会"]),
    "国务院": ("guowuyuan", "unit", ["中华人民共和国国务院"]),
    "国务院部门": ("guowuyuan-bumen", "unit", []),
    "最高人民法院": ("zuigao-renmin-fayuan", "unit", []),
    "最高人民检察院": ("zuigao-renmin-jianchayuan", "unit", []),
    "地方人大常委会": ("difang-renda-changweihui", "unit", ["地方人民代表大会常务委员会"]),
    "上海市人民政府": ("shanghaishi-renmin-zhengfu", "unit", []),
    "广东省人民政府": ("guangdongsheng-renmin-zhengfu", "unit", []),
    "四川省人民政府": ("sichuansheng-renmin-zhengfu", "unit", []),
    "河南省人民政府": ("henansheng-renmin-zhengfu", "unit", []),
    "云南省人民政府": ("yunnansheng-renmin-zhengfu", "unit", []),
    "海南省人民政府": ("hainansheng-renmin-zhengfu", "unit", []),
}
LEVEL_SLUGS = {"法律": "falv", "行政法规": "xingzheng-fagui", "地方性法规": "difang-fagui",
               "司法解释": "sifa-jieshi", "部门规章": "bumen-guizhang", "案例": "anli"}
SITE_SLUGS = {name: BODIES[body][0].replace("-renmin-zhengfu", "") for name, body in SITES.items()}


def law_issuer(law: dict) -> str:
    level, title = law["db_level"], law["title"]
    if level in ("司法解释", "案例"):
        return "最高人民检察院" if title.startswith(("最高人民检察院", "人民检察院")) else "最高人民法院"
    return {"法律": "全国人民代表大会常务委员会", "行政法规": "国务院", "部门规章": "国务院部门",
            "地方性法规": "地方人大常委会"}.get(level, "国务院")


# --- 公文种类 and 主题 ---------------------------------------------------------------------------------
# The kind a title ends with (…的通知, …的决定); otherwise by level: laws, regulations and rules are
# promulgated by 令 (主席令, 国务院令, 部令), local regulations and judicial interpretations by 公告
# of the body, guiding cases by 通知; a policy record without one of these endings is a 通知.
TITLE_KINDS = ["通知", "决定", "决议", "意见", "批复", "公告", "通告", "通报", "报告", "函", "纪要", "命令", "令"]
LEVEL_KINDS = {"法律": "命令（令）", "行政法规": "命令（令）", "部门规章": "命令（令）", "地方性法规": "公告",
               "司法解释": "公告", "案例": "通知"}


def kind_of(title: str, default: str) -> str:
    for kind in TITLE_KINDS:
        if title.endswith(kind):
            return "命令（令）" if kind in ("命令", "令") else kind
    return default


# First match in the title wins; a title with none of these words is 综合政务/其他.
TOPICS = [
    (r"法院|检察|刑事|诉讼|审判|案件|司法|仲裁|律师|公证|法律援助|复议", "公安、安全、司法/司法"),
    (r"公安|治安|枪支|集会|游行|交通安全|消防|禁毒", "公安、安全、司法/公安"),
    (r"税", "财政、金融、审计/税务"),
    (r"外债|外汇", "财政、金融、审计/货币（含外汇）"),
    (r"审计", "财政、金融、审计/审计"),
    (r"金融|银行|证券|融资", "财政、金融、审计/其他"),
    (r"信用", "财政、金融、审计/社会信用体系建设"),
    (r"财政|预算|资金|国有资产", "财政、金融、审计/财政"),
    (r"社会保险|养老保险|医疗保险|医疗保障|医保|社会保障|军人保险|工伤|失业保险", "劳动、人事、监察/社会保障"),
    (r"劳动|就业|工资|人才|职工|人力资源", "劳动、人事、监察/劳动就业"),
    (r"公务员|人事|干部", "劳动、人事、监察/人事工作"),
    (r"专利|商标|著作权|知识产权", "科技、教育/知识产权"),
    (r"教育|学校|学生|高校|职业培训", "科技、教育/教育"),
    (r"科技|科学|技术|创新|数字|信息化|互联网", "科技、教育/科技"),
    (r"环境|污染|生态|排污|绿色|节能|碳|垃圾|噪声", "城乡建设、环境保护/环境监测、保护与治理"),
    (r"规划", "城乡建设、环境保护/城市规划"),
    (r"建设|建筑|住房|房屋|城市|城乡|物业|市容|城镇", "城乡建设、环境保护/城乡建设（含住房）"),
    (r"气象|测绘|地震|水文", "城乡建设、环境保护/气象、水文、测绘、地震"),
    (r"土地|海域|矿|不动产", "国土资源、能源/土地"),
    (r"电力|能源|煤|石油|天然气", "国土资源、能源/其他"),
    (r"水利|河道|河流|河湖|河长|湖泊|水库|水资源|防汛|抗旱", "农业、林业、水利/水利"),
    (r"林业|森林|造林|绿化|湿地|野生|古树", "农业、林业、水利/林业"),
    (r"农|渔|畜|粮|种子|乡村", "农业、林业、水利/农业、畜牧业、渔业"),
    (r"食品|药品", "市场监管、安全生产监管/食品药品监管"),
    (r"安全生产|危险化学品|特种设备", "市场监管、安全生产监管/安全生产监管"),
    (r"质量|标准|计量", "市场监管、安全生产监管/质量监督"),
    (r"市场|消费|价格|竞争|企业", "市场监管、安全生产监管/工商"),
    (r"卫生|医疗|疾病|健康|医院|传染|疫|中医", "卫生、体育/卫生"),
    (r"体育", "卫生、体育/体育"),
    (r"旅游", "商贸、海关、旅游/旅游"),
    (r"文物", "文化、广电、新闻出版/文物"),
    (r"广播|电视|电影", "文化、广电、新闻出版/广播、电影、电视"),
    (r"出版|新闻", "文化、广电、新闻出版/新闻出版"),
    (r"文化|图书馆|博物馆|档案", "文化、广电、新闻出版/文化"),
    (r"公路|道路|交通|运输|车辆", "工业、交通/公路"),
    (r"铁路", "工业、交通/铁路"),
    (r"港口|航道|水运|船舶", "工业、交通/水运"),
    (r"航空|民航|机场", "工业、交通/民航"),
    (r"邮政|快递", "工业、交通/邮政"),
    (r"贸易|商务|口岸|海关|外商|投资|开放", "商贸、海关、旅游/对外经贸合作"),
    (r"妇女|儿童|未成年", "人口与计划生育、妇女儿童工作/妇女儿童"),
    (r"计划生育|人口", "人口与计划生育、妇女儿童工作/人口与计划生育"),
    (r"救助|残疾|慈善|养老|殡葬|婚姻|社会福利|社区|志愿", "民政、扶贫、救灾/社会福利"),
    (r"扶贫|脱贫", "民政、扶贫、救灾/扶贫"),
    (r"救灾|减灾|灾害", "民政、扶贫、救灾/减灾救灾"),
    (r"地名|行政区划", "民政、扶贫、救灾/行政区划与地名"),
    (r"宗教", "民族、宗教/宗教事务"),
    (r"民族|自治县|自治州", "民族、宗教/民族事务"),
    (r"侨", "港澳台侨工作/侨务工作"),
    (r"港澳", "港澳台侨工作/港澳工作"),
    (r"台湾|对台", "港澳台侨工作/对台工作"),
    (r"国防|兵役|民兵|军人|军事|退役", "国防/国防建设"),
    (r"领事|外交|外事|条约", "对外事务/外交、外事"),
    (r"信访", "综合政务/信访"),
    (r"应急|突发事件", "综合政务/应急管理"),
    (r"政务公开|信息公开", "综合政务/政务公开"),
    (r"电子政务|政务服务", "综合政务/电子政务"),
    (r"保密", "综合政务/保密工作"),
    (r"统计", "国民经济管理、国有资产监管/统计"),
    (r"经济|发展|改革", "国民经济管理、国有资产监管/宏观经济"),
]


def topic_of(title: str) -> str:
    for pattern, topic in TOPICS:
        if re.search(pattern, title):
            return topic
    return "综合政务/其他"


# --- dates, ids, numbers ---------------------------------------------------------------------------
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# A law with no date in the index nor in its header (six Shanghai regulations, two cases): the
# build needs one, the corpus has none; a fixed, clearly round date keeps the project deterministic.
UNDATED = "2000-01-01"


def _slug_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def law_date(law: dict, header: str) -> str:
    found = law.get("db_publish") or law.get("date_from_filename")
    if found:
        return found
    match = CN_DATE.search(header)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else UNDATED


def split_law(text: str) -> tuple[str, str]:
    """(header, body): the header is what comes before `<!-- INFO END -->` (the title line and the
    dates it was passed and took effect). The body keeps the text byte for byte, header included,
    except the leading `# 标题` line, which repeats the page title."""
    header = text.split("<!-- INFO END -->", 1)[0] if "<!-- INFO END -->" in text else ""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return header, "".join(lines).lstrip("\n")


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _front(fields: dict) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        lines.append(f"{key}: {_q(value) if isinstance(value, str) and key in ('title', 'doc_number') else value}")
    return "\n".join(lines) + "\n---\n\n"


# --- the project ------------------------------------------------------------------------------------
@dataclass
class Made:
    documents: int
    laws: int
    records: int
    dates_swapped: list[str]  # records written after they were published (written := published)


def make_corpus_project(root: Path, corpus: Path | str | None = None) -> Path:
    """Write root/content/ and root/config.yaml from the corpus; return root."""
    root = Path(root)
    made = write_corpus_project(root, corpus)
    assert made.documents, "the corpus gave no documents"
    return root


def write_corpus_project(root: Path, corpus: Path | str | None = None) -> Made:
    source = corpus_dir(corpus)
    documents = root / "content" / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    made = Made(0, 0, 0, [])

    def write(doc_id: str, year: str, front: dict, body: str) -> None:
        assert doc_id not in seen, f"two corpus entries give the file name {doc_id}"
        seen.add(doc_id)
        folder = documents / year
        folder.mkdir(exist_ok=True)
        (folder / f"{doc_id}.md").write_text(_front(front) + body.rstrip("\n") + "\n", "utf-8")
        made.documents += 1

    for line in (source / "laws" / "index.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        law = json.loads(line)
        path = source / "laws" / law["path"]
        if not path.is_file():  # the bundled subset lists all 300 laws and carries some of them
            continue
        header, body = split_law(path.read_text("utf-8"))
        day = law_date(law, header)
        title = law["title"] + (f"（{law['subtitle']}）" if law.get("subtitle") else "")
        # The corpus says whether a law is repealed (db_expired) but not since when; the build
        # requires a 废止日期 for 废止, so the law's own date stands in for it.
        repealed = bool(law.get("db_expired"))
        doc_id = f"law-{LEVEL_SLUGS.get(law['db_level'], 'qita')}-{day}-{_slug_hash(law['path'])}"
        write(doc_id, day[:4], {
            "title": title, "issuer": law_issuer(law), "written": day, "published": day,
            "topic": topic_of(title), "kind": kind_of(title, LEVEL_KINDS.get(law["db_level"], "公告")),
            "validity": "废止" if repealed else "有效", "repealed": day if repealed else None,
        }, body)
        made.laws += 1

    for line in (source / "policy-records.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        published = record["published_date"]
        written = record.get("written_date") or published
        if written > published:  # one record (a press conference) is dated after its publication
            made.dates_swapped.append(record["title"])
            written = published
        # Every 发文字号 as the record writes it (豫政办 〔2006〕49号, 省政府令 第147号): the build reads
        # each shape into its normal form (disclosure/load/doc_numbers.py).
        number = (record.get("doc_number") or "").strip()
        body = title = record["title"]
        doc_id = f"policy-{SITE_SLUGS.get(record['site'], 'qita')}-{published}-{_slug_hash(record['url'])}"
        write(doc_id, published[:4], {
            "title": title, "doc_number": number or None, "issuer": SITES.get(record["site"], "国务院"),
            "written": written, "published": published, "topic": topic_of(title),
            "kind": kind_of(title, "命令（令）" if "令" in (record.get("doc_number") or "") else "通知"),
            "validity": "有效",
        }, body)
        made.records += 1

    (root / "config.yaml").write_text(corpus_config(), "utf-8")
    return made


def corpus_config(base: Path = ROOT / "config.yaml") -> str:
    """The repository's config.yaml as it is, with the corpus's issuing bodies added at the top of
    `bodies:` (text inserted, so comments, synonyms and vocabularies stay exactly as written)."""
    text = base.read_text("utf-8")
    match = re.search(r"^bodies:[ \t]*(#.*)?\n", text, re.M)
    assert match, f"{base} has no top-level `bodies:` list"
    added = "".join(
        f"  - name: {name}\n    slug: {slug}\n    type: {kind}\n" + (f"    aliases: [{', '.join(aliases)}]\n" if aliases else "")
        for name, (slug, kind, aliases) in BODIES.items())
    return text[:match.end()] + added + text[match.end():]


# --- building, records, measuring --------------------------------------------------------------------
def build_site(root: Path, *extra: str):
    """Build root/content with root/config.yaml into root/site, as CI would (fixed build date)."""
    from conftest import build_into

    return build_into(root / "site", root / "content", root / "config.yaml", "--cache", str(root / ".cache"), *extra)


def corpus_records(root: Path):
    """The search records of the project, as the index holds them (for relevant())."""
    from disclosure.errors import Problems
    from disclosure.orchestrate.pipeline import BuildOptions, load_site
    from disclosure.render.pages import render_site
    from disclosure.search.records import build_records

    options = BuildOptions(content=root / "content", config=root / "config.yaml", cache=None)
    problems = Problems()
    try:
        checked = load_site(options, problems)
        assert checked is not None, "\n".join(map(str, problems.items[:20]))
        return build_records(checked[1], render_site(checked[1], options.templates, problems).html_by_file)
    finally:
        gc.unfreeze()  # frozen by load_site


def load_queries(path: Path = QUERIES) -> list[dict]:
    from conftest import load_yaml

    return [dict(item) for item in load_yaml(path)]


def query_words(item: dict) -> str:
    return " ".join(map(str, item.get("words") or [item["q"]]))


def measure(page, origin: str, records, queries: list[dict], groups=None) -> list[tuple[dict, object]]:
    from search_quality import Scores, relevant, search

    records = prenormalized(records)
    return [(item, Scores(str(item["q"]), search(page, origin, "/", str(item["q"])),
                          relevant(records, query_words(item), groups)))
            for item in queries]


def query_line(item: dict, scores) -> str:
    return (f"[{item['group']}] {item['q']}: P@10 {scores.precision:.2f} R@10 {scores.recall:.2f} "
            f"results {len(scores.results)} relevant {len(scores.relevant)}")


def main(argv=None) -> int:
    import argparse
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, nargs="?", help="folder for content/, config.yaml and site/ (default: a temporary one)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: ../shared/corpus, else tests/corpus)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--relevant", action="store_true", help="only list each query's relevant pages (no build, no browser)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    root = args.root or Path(tempfile.mkdtemp(prefix="corpus-site-"))
    if (root / "content").exists():
        import shutil
        shutil.rmtree(root / "content")
    made = write_corpus_project(root, args.corpus)
    print(f"{corpus_dir(args.corpus)}: {made.laws} laws, {made.records} records → {root}; "
          f"written dates set to published: {len(made.dates_swapped)}")
    records = corpus_records(root)
    queries = load_queries(args.queries)
    if args.relevant:
        from search_quality import relevant

        records = prenormalized(records)
        for item in queries:
            found = relevant(records, query_words(item))
            print(f"[{item['group']}] {item['q']} {item.get('words')}: {len(found)}" + (f" {sorted(found)[:3]}" if args.verbose else ""))
        return 0
    result = build_site(root)
    if result.returncode != 0:
        print(result.stderr)
        return 1
    from browser import chromium, serve

    with serve(root / "site") as origin, chromium() as browser:
        from search_quality import synonym_groups

        measured = measure(browser.new_page(), origin, records, queries, synonym_groups(root / "site"))
    for item, scores in measured:  # every query with -v, else those under 0.9, with their top ten
        if args.verbose or scores.precision < 0.9 or scores.recall < 0.9:
            print(query_line(item, scores))
            for url in scores.top:
                print(f"    {'+' if url in scores.relevant else '-'} {url}")
    print(group_table(measured)[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
