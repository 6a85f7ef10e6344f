"""The editing desk's form agrees with the build's validation: every entry the generated form
accepts (drawn by Hypothesis from the form's own widgets: selects, patterns, required fields, date
pickers) passes `build.py check`, once the rules the form cannot express, listed in
docs/editor-guide.md, are kept."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings, strategies as st

from conftest import ROOT, load_yaml
from messages import check_project
from mutation_project import make_project
from disclosure.load import loader
from disclosure.load.report_format import APPLICANTS, APPLICATION_ROWS, CASES, LEAVES, OUTCOMES, PROACTIVE_COLUMNS, TOTAL
from desk_form_read import COLLECTIONS, CONFIG, fields_of


# --- every entry the form accepts passes check -----------------------------------------------------

EXISTING = sorted(path.stem for path in (ROOT / "content" / "documents").rglob("*.md"))
TAKEN_IDS = set(EXISTING) | {p.stem for folder in ("interpretations", "tasks", "pages")
                             for p in (ROOT / "content" / folder).iterdir()}
WORDS = st.text(alphabet="政务公开工作要点通知关于印发区人民政府办公室实施意见方案年度重点任务和的", min_size=1, max_size=30)
DAYS = st.dates(date(2019, 1, 1), date(2026, 12, 1))


def pattern(field: dict) -> st.SearchStrategy:
    return st.from_regex(re.compile(field["pattern"][0]), fullmatch=True)


def choose(field: dict) -> st.SearchStrategy:
    values = [option["value"] for option in field["options"]]
    if field.get("multiple"):
        return st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)
    return st.sampled_from(values)


def optional(field: dict, strategy: st.SearchStrategy, empty="") -> st.SearchStrategy:
    return strategy if field["required"] else st.one_of(st.just(empty), strategy)


@st.composite
def new_id(draw, field: dict) -> str:
    value = draw(pattern(field).filter(lambda v: len(v) <= 60))
    assume(value not in TAKEN_IDS)  # rule the form cannot express: a file name not yet taken
    return value


@st.composite
def document_entry(draw) -> dict:
    f = fields_of("documents")
    written = draw(DAYS)
    later = st.integers(0, 400).map(lambda n: written + timedelta(days=n))  # 不早于成文日期 (guide: 表单管不到的规则)
    validity = draw(choose(f["validity"]))
    entry = {
        "id": draw(new_id(f["id"])), "title": draw(WORDS),
        "doc_number": draw(optional(f["doc_number"], pattern(f["doc_number"]))),
        "issuer": draw(choose(f["issuer"])), "written": written.isoformat(),
        "published": draw(later).isoformat(), "topic": draw(choose(f["topic"])), "kind": draw(choose(f["kind"])),
        "index_no": draw(optional(f["index_no"], pattern(f["index_no"]))), "validity": validity,
        "expires": draw(optional(f["expires"], later.map(date.isoformat))),
        # 废止 ⇔ a 废止日期; a 废止依据 only for a repealed document
        "repealed": draw(later).isoformat() if validity == "废止" else "",
        "repealed_by": draw(st.sampled_from(["", *EXISTING])) if validity == "废止" else "",
        # 规范性文件 of a year that has a 年度报告 are counted in it (a rule the form cannot express)
        "normative": draw(st.booleans()) and written.year > 2022, "in_force": draw(optional(f["in_force"], later.map(date.isoformat))),
        "amends": [], "replaces": [],
        "basis": draw(st.lists(st.sampled_from(EXISTING) | WORDS.map(lambda t: f"《{t}》"), max_size=2, unique=True)),
        "keywords": draw(st.lists(WORDS, max_size=3)), "sample": draw(st.booleans()),
    }
    if draw(st.booleans()):
        entry["attachments"] = [{"file": "/files/documents/fujian.pdf", "title": draw(WORDS)}]
    return entry


@st.composite
def interpretation_entry(draw) -> dict:
    f = fields_of("interpretations")
    return {"id": draw(new_id(f["id"])), "title": draw(WORDS), "interprets": draw(st.sampled_from(EXISTING)),
            "issuer": draw(choose(f["issuer"])), "published": draw(DAYS).isoformat(), "form": draw(choose(f["form"])),
            "qa": draw(st.lists(st.fixed_dictionaries({"q": WORDS, "a": WORDS}), max_size=2)),
            "keywords": draw(st.lists(WORDS, max_size=2)), "sample": draw(st.booleans())}


@st.composite
def tasks_entry(draw) -> dict:
    f = fields_of("tasks")
    task = {field["name"]: field for field in f["tasks"]["fields"]}
    count = draw(st.integers(1, 4))
    tasks = [{"no": number, "area": draw(WORDS), "item": draw(WORDS), "requirement": draw(WORDS),
              "units": draw(choose(task["units"])), "deadline": draw(WORDS),
              "due": draw(optional(task["due"], st.dates(date(2022, 7, 1), date(2023, 12, 31)).map(date.isoformat))),
              "note": draw(st.just("") | WORDS)}
             for number in range(1, count + 1)]  # 序号不重复 (rule the form cannot express)
    return {"id": draw(new_id(f["id"])), "plan": draw(st.sampled_from(EXISTING)), "title": draw(WORDS), "tasks": tasks}


@st.composite
def page_entry(draw) -> dict:
    f = fields_of("pages")
    return {"id": draw(new_id(f["id"])), "title": draw(WORDS), "order": draw(st.integers(0, 99)),
            "description": draw(st.just("") | WORDS), "updated": draw(optional(f["updated"], DAYS.map(date.isoformat))),
            "sample": draw(st.booleans())}


# Warnings the form cannot prevent and the guide explains (dates of an interpretation against its
# document's, a report's deadline); anything else the build says about a new file is a disagreement.
ALLOWED_WARNINGS = re.compile(r"解读发布日期 .* 早于文件发布日期|解读晚于|个工作日|年度报告发布日期 .* 晚于法定期限")


def written_file(project: Path, collection: str, entry: dict, body: str) -> Path:
    """The file as Decap writes it: YAML front matter (or a YAML file) in the collection's folder,
    named by the id, in a year folder for documents."""
    spec = COLLECTIONS[collection]
    folder = project / spec["folder"]
    if collection == "documents":
        folder = folder / "2026"
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(entry, allow_unicode=True, sort_keys=False)
    if spec["format"] == "yaml":
        path = folder / f"{entry['id']}.yaml"
        path.write_text(text, "utf-8")
    else:
        path = folder / f"{entry['id']}.md"
        path.write_text(f"---\n{text}---\n\n{body}\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def desk_project(tmp_path_factory) -> Path:
    """The bundled content made small (every document, relation and content type kept, texts and
    lists shortened: tests/mutation_project.py), a check of which costs a third of the whole
    content's, with the bundled config.yaml the form is generated from."""
    project = make_project(tmp_path_factory.mktemp("desk-project"))
    shutil.copy(ROOT / "config.yaml", project / "config.yaml")
    (project / "content" / "files" / "documents").mkdir(parents=True)
    (project / "content" / "files" / "documents" / "fujian.pdf").write_bytes(b"%PDF-1.4\n% desk\n%%EOF\n")
    return project


AREAS = {str(load_yaml(path).get("area")) for path in (ROOT / "content" / "catalogue").glob("*.yaml")}


@st.composite
def catalogue_entry(draw) -> dict:
    f = fields_of("catalogue")
    row = {field["name"]: field for field in f["rows"]["fields"]}
    area = draw(WORDS)
    assume(area not in AREAS)  # 领域名称不重复 (rule the form cannot express)
    rows = [{"item": draw(WORDS), "subitem": draw(WORDS), "elements": draw(WORDS), "basis": draw(WORDS),
             "time_limit": draw(WORDS), "bodies": draw(choose(row["bodies"])), "channels": draw(choose(row["channels"])),
             "audience": draw(choose(row["audience"])), "manner": draw(choose(row["manner"])),
             "levels": draw(choose(row["levels"])),
             # 链接指向存在的页面 (rule the form cannot express): a document's page, or none
             "link": draw(st.sampled_from(["", *(f"/documents/{doc}/" for doc in EXISTING)]))}
            for _ in range(draw(st.integers(0, 3)))]
    for value in rows:
        assert re.fullmatch(row["link"]["pattern"][0], value["link"]) or not value["link"]
    return {"id": draw(new_id(f["id"])), "area": area, "guideline": draw(st.just("") | WORDS),
            "sample": draw(st.booleans()), "rows": rows}


REPORTS = {path.stem: load_yaml(path) for path in (ROOT / "content" / "reports").glob("*.yaml")}
COUNT = st.integers(0, 40)


def blank_or(field: dict, value) -> st.SearchStrategy:
    """An optional cell as Decap leaves it: untouched (no key), cleared (""), or filled in."""
    return st.sampled_from([None, "", value]) if not field["required"] else st.just(value)


def carried(report: dict | None, row: str) -> dict[str, int] | None:
    if report is None:
        return None
    written = report.get("applications", {}).get(row) or {}
    return {key: int(written.get(key) or 0) for key, _ in APPLICANTS}


@st.composite
def report_entry(draw) -> dict:
    f = fields_of("reports")
    # often a body with a report already: the years around it must agree with it
    issuer = draw(st.sampled_from(sorted({str(r["issuer"]) for r in REPORTS.values()})) | choose(f["issuer"]))
    slug = CONFIG.organisations.get(issuer).slug
    year = draw(st.integers(loader.EARLIEST_REPORT_YEAR, 2025))
    report_id = f"{year}-{slug}"  # 编号 = 报告年度-网址名 (a rule the form cannot express)
    assume(report_id not in REPORTS)  # one report per body and year
    assert re.fullmatch(f["id"]["pattern"][0], report_id)
    # 发布日期 in a later year; after the deadline only a warning (allowed below)
    published = draw(st.dates(date(year + 1, 1, 1), min(date(year + 2, 12, 31), date(2026, 12, 1))))
    # 上年结转 = last year's 结转下年度, and next year's 上年结转 = this 结转下年度 (rules the form cannot express)
    before = carried(REPORTS.get(f"{year - 1}-{slug}"), "carried_forward")
    after = carried(REPORTS.get(f"{year + 1}-{slug}"), "carried_over")
    tables = {field["name"]: field for field in f["applications"]["fields"]}
    applications: dict[str, dict] = {row.key: {} for row in APPLICATION_ROWS if row.key}
    for column, _ in APPLICANTS:
        leaves = {leaf: draw(st.sampled_from([0, 0, 0, 1, 2]) | COUNT) for leaf in LEAVES}
        over = before[column] if before else draw(COUNT)
        forward = after[column] if after else draw(COUNT)
        new = sum(leaves.values()) + forward - over
        if new < 0:  # 一 + 二 = 三（七）总计 + 四 in every column (a sum the form cannot express)
            leaves["granted"] -= new
            new = 0
        for row, value in (("new", new), ("carried_over", over), ("carried_forward", forward), *leaves.items()):
            applications[row][column] = value
        applications["handled"][column] = sum(leaves.values())
    for row, cells in applications.items():
        cells[TOTAL] = sum(cells[column] for column, _ in APPLICANTS)
        columns = {field["name"]: field for field in tables[row]["fields"]}
        for column in list(cells):
            if "default" not in columns[column]:  # a total: left blank or written right
                value = draw(blank_or(columns[column], cells[column]))
                if value is None:
                    del cells[column]
                else:
                    cells[column] = value
    proactive = {"rules": {key: draw(COUNT) for key, _ in PROACTIVE_COLUMNS},
                 # 规范性文件 left blank, counted from the documents (written, it must agree with them)
                 "normative": draw(st.sampled_from([{}, {key: "" for key, _ in PROACTIVE_COLUMNS}])),
                 **{key: draw(COUNT) for key in ("licensing", "penalty", "coercion")},
                 "fees": draw(st.integers(0, 10 ** 6).map(lambda cents: cents / 100))}
    review = {}
    for case, _ in CASES:
        cells = {key: draw(COUNT) for key, _ in OUTCOMES if key != TOTAL}
        total = draw(st.sampled_from([None, "", sum(cells.values())]))
        review[case] = cells if total is None else {**cells, TOTAL: total}
    return {"id": report_id, "year": year, "issuer": issuer, "published": published.isoformat(),
            "title": draw(st.just("") | WORDS), "sample": draw(st.booleans()), "overview": draw(WORDS),
            "proactive": proactive, "applications": applications, "review_litigation": review,
            "problems": draw(WORDS), "other": draw(st.just("") | WORDS)}


# No shrinking: an example is a whole check of the project; the failing entries are printed as drawn.
# An example writes BATCH entries of one collection and checks them together: 27 entries with 9
# checks instead of 25 with 25 (a check is most of an example's time). Entries of one batch never
# share what must be unique in a collection (UNIQUE), so that no message comes from their meeting.
BATCH = 3
WHOLE_CHECKS = settings(max_examples=9, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                               HealthCheck.function_scoped_fixture])


def assert_passes_check(project: Path, paths: list[Path], names: list[str], allowed: re.Pattern) -> None:
    """`check` of the project with the files just written at `paths` (removed afterwards) finds no
    error, and every warning that names one of them (by `names`) is one `allowed`."""
    try:
        checked = check_project(project)
    finally:
        for path in paths:
            path.unlink()
    mine = [line for line in checked.errors + checked.warnings if any(name in line for name in names)]
    assert checked.errors == [], checked.text
    assert all(allowed.search(line) for line in mine), "\n".join(mine)


def batches(entries: st.SearchStrategy, collection: str) -> st.SearchStrategy:
    return st.lists(entries, min_size=BATCH, max_size=BATCH, unique_by=UNIQUE[collection])


def _given_or(key: str):
    """A field unique where written (文号, 索引号); blank ones stand for themselves by the id."""
    return lambda entry: entry[key] or entry["id"]


def _by_id(entry: dict) -> str:
    return entry["id"]


# What entries of one collection may not share: the file name (or a report's year and body:
# two reports of one body in consecutive years must carry the same counts over, a rule between
# files), 发文字号 and 索引号, a 标准目录 area's name, a 决策事项目录's year.
UNIQUE = {"documents": (_by_id, _given_or("doc_number"), _given_or("index_no")), "interpretations": (_by_id,),
          "tasks": (_by_id,), "pages": (_by_id,), "catalogue": (_by_id, lambda entry: entry["area"]),
          "reports": (_by_id, lambda entry: entry["issuer"]), "consultations": (_by_id,),
          "decisions": (lambda entry: entry["year"],)}


ENTRIES = {"documents": document_entry(), "interpretations": interpretation_entry(), "tasks": tasks_entry(),
           "pages": page_entry(), "catalogue": catalogue_entry(), "reports": report_entry()}


@pytest.mark.long
@pytest.mark.parametrize("collection", list(ENTRIES))
def test_every_entry_the_form_accepts_passes_check(collection, desk_project):
    @WHOLE_CHECKS
    @given(batches(ENTRIES[collection], collection),
           st.text(alphabet="各街道办事处，区政府各部门：现将有关事项通知如下。", max_size=60))
    def accepted(entries, body):
        paths = [written_file(desk_project, collection, entry, body) for entry in entries]
        assert_passes_check(desk_project, paths, [entry["id"] for entry in entries], ALLOWED_WARNINGS)

    accepted()


DECISION_ITEMS = {str(item["id"]) for path in (ROOT / "content" / "decisions").glob("*.yaml")
                  for item in load_yaml(path).get("items") or []}
DECISION_YEARS = {path.stem for path in (ROOT / "content" / "decisions").glob("*.yaml")}
TAKEN_IDS |= {path.stem for path in (ROOT / "content" / "consultations").glob("*.md")}


@st.composite
def feedback_entry(draw, end: date) -> dict:
    """A feedback as the guide asks (rules the form cannot express): every field but reasons and
    result filled in, published on or after the closing day, the three counts adding up to received,
    reasons whenever some were not adopted."""
    f = {field["name"]: field for field in fields_of("consultations")["feedback"]["fields"]}
    adopted, partly, not_adopted = (draw(st.integers(0, 20)) for _ in range(3))
    entry = {"published": (end + timedelta(days=draw(st.integers(0, 60)))).isoformat(),
             "received": adopted + partly + not_adopted, "adopted": adopted, "partly": partly, "not_adopted": not_adopted,
             "summary": draw(WORDS), "reasons": draw(WORDS) if not_adopted else draw(st.just("") | WORDS),
             "result": draw(st.sampled_from(["", *EXISTING]))}
    assert set(entry) == set(f) and all(value >= f[key]["min"] for key, value in entry.items() if key in COUNTS)
    return entry


COUNTS = ("received", "adopted", "partly", "not_adopted")


@st.composite
def consultation_entry(draw) -> dict:
    f = fields_of("consultations")
    start = draw(DAYS)
    shorten = draw(st.just("") | WORDS)
    # 征集期不少于 30 天（规范性文件草案 7 个工作日，30 天总够）, unless a reason for a shorter one is written
    end = start + timedelta(days=draw(st.integers(0 if shorten else 29, 90)))
    ways = {"email": draw(st.just("") | st.from_regex(re.compile(f["email"]["pattern"][0]), fullmatch=True,
                                                     alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.@")),
            "post": draw(st.just("") | WORDS), "phone": draw(st.just("") | st.just("0531-00000000")),
            "in_person": draw(st.just("") | WORDS)}
    if not any(ways.values()):  # 至少一种提交意见的方式 (rule the form cannot express)
        ways["email"] = "yijian@example.gov.cn"
    entry = {
        "id": draw(new_id(f["id"])), "title": draw(WORDS), "issuer": draw(choose(f["issuer"])),
        "start": start.isoformat(), "end": end.isoformat(), "explanation": draw(WORDS),
        "background": draw(st.just("") | WORDS), "normative": draw(st.booleans()), "shorten_reason": shorten,
        **ways, "contact": draw(st.just("") | WORDS),
        "decision": draw(st.sampled_from(["", *sorted(DECISION_ITEMS)])), "sample": draw(st.booleans()),
    }
    choice = draw(st.sampled_from(["none", "empty", "written"]))
    if choice == "empty":  # the form's unopened group, as Decap may write it
        entry["feedback"] = {"published": "", "summary": "", "reasons": "", "result": ""}
    elif choice == "written":
        entry["feedback"] = draw(feedback_entry(end))
    return entry


@st.composite
def decisions_entry(draw) -> dict:
    f = fields_of("decisions")
    item = {field["name"]: field for field in f["items"]["fields"]}
    year = draw(st.integers(2019, 2030).filter(lambda y: str(y) not in DECISION_YEARS))  # 每年一个文件
    ids = draw(st.lists(pattern(item["id"]).filter(lambda v: len(v) <= 40 and v not in DECISION_ITEMS),
                        min_size=f["items"]["min"], max_size=3, unique=True))  # 事项代码各年度不重复
    items = []
    for item_id in ids:
        state = draw(choose(item["state"]))
        items.append({
            "id": item_id, "name": draw(WORDS), "body": draw(choose(item["body"])), "basis": draw(WORDS),
            "planned": draw(WORDS),
            "procedures": {p["name"]: draw(st.sampled_from([o["value"] for o in p["options"]]))
                           for p in item["procedures"]["fields"]},
            "state": state,
            # 已决策的事项写决策文件 (rule the form cannot express: else a warning)
            "result": draw(st.sampled_from(EXISTING)) if state == "已决策" else draw(st.sampled_from(["", *EXISTING])),
            "note": draw(st.just("") | WORDS)})
    return {"year": year, "title": draw(st.just("") | WORDS), "published": draw(DAYS).isoformat(),
            "sample": draw(st.booleans()), "items": items}


PARTICIPATION_ENTRIES = {"consultations": consultation_entry(), "decisions": decisions_entry()}
# 截止后超过 feedback_days 天仍没有反馈: a warning the guide explains, given on the build date.
PARTICIPATION_WARNINGS = re.compile(r"仍未发布意见反馈")


@pytest.mark.long
@pytest.mark.parametrize("collection", list(PARTICIPATION_ENTRIES))
def test_every_participation_entry_the_form_accepts_passes_check(collection, desk_project):
    @WHOLE_CHECKS
    @given(batches(PARTICIPATION_ENTRIES[collection], collection),
           st.text(alphabet="第一条 为了规范老旧小区改造工作，制定本办法。", max_size=60))
    def accepted(entries, body):
        if collection == "decisions":  # 事项代码各年度不重复, across the batch's years too
            ids = [item["id"] for entry in entries for item in entry["items"]]
            assume(len(set(ids)) == len(ids))
        folder = desk_project / COLLECTIONS[collection]["folder"]
        names, paths = [], []
        for entry in entries:
            names.append(f"{entry['id']}.md" if collection == "consultations" else f"{entry['year']}.yaml")
            text = yaml.safe_dump(entry, allow_unicode=True, sort_keys=False)
            paths.append(folder / names[-1])
            paths[-1].write_text(f"---\n{text}---\n\n{body}\n" if collection == "consultations" else text, "utf-8")
        assert_passes_check(desk_project, paths, names, PARTICIPATION_WARNINGS)

    accepted()
