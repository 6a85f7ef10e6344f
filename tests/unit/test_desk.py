"""The editing desk (/admin/, render/desk.py): the vendored Decap CMS is the pinned release, its
configuration is generated from config.yaml and the content schemas, and the form's rules agree
with the build's validation: every entry the generated form accepts (drawn by Hypothesis from the
form's own widgets: selects, patterns, required fields, date pickers) passes `build.py check`,
once the rules the form cannot express, listed in docs/editor-guide.md, are kept."""

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
from disclosure.errors import Problems
from disclosure.load import loader
from disclosure.load.config import load_config
from disclosure.load.doc_numbers import read as read_doc_number
from disclosure.load.report_format import (APPLICANTS, APPLICATION_COLUMNS, APPLICATION_ROWS, CASES, LEAVES, OUTCOMES,
                                           PROACTIVE_COLUMNS, PROACTIVE_ROWS, TOTAL)
from disclosure.render import desk, desk_form, desk_reports

CONFIG = load_config(ROOT / "config.yaml", Problems())
FORM = desk.desk_config(CONFIG)
COLLECTIONS = {collection["name"]: collection for collection in FORM["collections"]}
SCHEMAS = {"documents": loader.DOCUMENT, "interpretations": loader.INTERPRETATION, "tasks": loader.TASK_TABLE,
           "pages": loader.PAGE, "catalogue": loader.CATALOGUE, "reports": loader.REPORT}


def fields_of(collection: str) -> dict[str, dict]:
    return {field["name"]: field for field in COLLECTIONS[collection]["fields"]}


# --- the vendored release and the generated files ------------------------------------------------


def test_the_vendored_decap_files_are_the_pinned_release():
    files = dict(desk.vendored())
    assert "decap-cms.js" in files and len(files) > 50
    assert desk.version() == "3.16.3"
    lock = (ROOT / "package-lock.json").read_text("utf-8")
    assert '"decap-server": "3.11.3"' in (ROOT / "package.json").read_text("utf-8") and "decap-server" in lock


def test_a_changed_vendored_file_stops_the_build(tmp_path, monkeypatch):
    copy = tmp_path / "decap-cms"
    shutil.copytree(desk.VENDOR, copy)
    data = bytearray((copy / "decap-cms.js").read_bytes())
    data[100] ^= 1
    (copy / "decap-cms.js").write_bytes(bytes(data))
    monkeypatch.setattr(desk, "VENDOR", copy)
    desk.vendored.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="SHA256SUMS"):
            desk.vendored()
    finally:
        desk.vendored.cache_clear()


def test_the_desk_has_its_own_policy_and_is_never_indexed():
    page = desk.index_html(CONFIG).decode("utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "script-src 'self' 'unsafe-eval';" in policy  # Decap compiles its config schema (ajv)
    assert "https://api.github.com" in policy and "http://127.0.0.1:8081" in policy
    assert "https://unpkg.com" not in page and "//" not in re.sub(r"https?://[^\s\"';]+", "", policy)
    # Nothing from elsewhere: the bundle, the script and the configuration are the site's own.
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["/static/favicon.svg", "/admin/config.yml",
                                                           "/admin/decap/decap-cms.js", "/admin/desk.js"]
    base = (ROOT / "templates" / "base.html").read_text("utf-8")
    assert "unsafe-eval'" not in base.replace("wasm-unsafe-eval'", "")  # the public pages' policy is unchanged


def test_the_configuration_is_generated_deterministically_and_names_every_field():
    assert desk.config_yaml(CONFIG) == desk.config_yaml(load_config(ROOT / "config.yaml", Problems()))
    for name, schema in SCHEMAS.items():
        form = fields_of(name)
        for key, spec in schema.items():
            assert key in form, f"{name}: {key} has no form field"
            assert form[key]["label"] == spec.label
            assert form[key]["required"] == (spec.required or key == "id"), (name, key)
        assert COLLECTIONS[name]["slug"] == "{{fields.id}}"  # the file name is the id
    for collection, key, schema in (("tasks", "tasks", loader.TASK), ("catalogue", "rows", loader.CATALOGUE_ROW)):
        items = {field["name"]: field for field in fields_of(collection)[key]["fields"]}
        assert set(items) == set(schema)
        assert all(field["label"] == schema[name].label and field["required"] == schema[name].required
                   for name, field in items.items()), collection
    documents = fields_of("documents")
    assert documents["written"]["widget"] == "datetime" and documents["written"]["format"] == "YYYY-MM-DD"
    assert {o["value"] for o in documents["topic"]["options"]} >= {"综合政务", "综合政务/政务公开"}
    names = {o["value"] for o in documents["issuer"]["options"]}
    assert all(o.name in names and set(o.aliases) <= names for o in CONFIG.organisations.entries)
    assert FORM["publish_mode"] == "editorial_workflow" and FORM["locale"] == "zh_Hans"


def test_the_report_form_has_the_official_rows_and_columns():
    """Each table of the 年度报告 is a nested object generated from report_format.py: every row and
    column of 国办公开办函〔2021〕30号 with its label, counts as integers from 0, the fee a decimal,
    totals left blank by default (the build adds them up)."""
    form = fields_of("reports")
    assert form["year"]["widget"] == "number" and form["year"]["value_type"] == "int"
    assert form["year"]["min"] == loader.EARLIEST_REPORT_YEAR
    assert form["published"]["widget"] == "datetime" and form["overview"]["widget"] == "markdown"
    assert [o["value"] for o in form["issuer"]["options"]] == [
        body.name for body in CONFIG.organisations.entries if not body.is_group]
    assert all(o["label"].endswith(f"（{CONFIG.organisations.get(o['value']).slug}）") for o in form["issuer"]["options"])
    assert "multiple" not in form["issuer"]

    def counts(fields, columns, totals=()):
        assert [(f["name"], f["label"]) for f in fields] == list(columns)
        for f in fields:
            assert (f["widget"], f["value_type"], f["min"], f["required"]) == ("number", "int", 0, False)
            assert ("default" in f) is (f["name"] not in totals), f

    proactive = {f["name"]: f for f in form["proactive"]["fields"]}
    assert list(proactive) == [key for key, _, _ in PROACTIVE_ROWS]
    for key, label, article in PROACTIVE_ROWS:
        assert proactive[key]["label"].startswith(f"{article}　{label}")
    counts(proactive["rules"]["fields"], PROACTIVE_COLUMNS)
    counts(proactive["normative"]["fields"], PROACTIVE_COLUMNS, totals={k for k, _ in PROACTIVE_COLUMNS})
    assert proactive["licensing"]["label"].endswith("本年处理决定数量") and proactive["licensing"]["value_type"] == "int"
    assert proactive["fees"]["value_type"] == "float" and proactive["fees"]["min"] == 0
    assert proactive["fees"]["label"].endswith("本年收费金额（单位：万元）")

    rows = {f["name"]: f for f in form["applications"]["fields"]}
    assert list(rows) == [row.key for row in APPLICATION_ROWS if row.key]
    for row in APPLICATION_ROWS:
        if row.key:
            assert rows[row.key]["label"].endswith(row.label)
            counts(rows[row.key]["fields"], APPLICATION_COLUMNS,
                   totals={k for k, _ in APPLICATION_COLUMNS} if row.key == "handled" else {TOTAL})
    assert rows["secret"]["label"] == "三、本年度办理结果　（三）不予公开　1.属于国家秘密"
    cases = {f["name"]: f for f in form["review_litigation"]["fields"]}
    assert [(k, f["label"]) for k, f in cases.items()] == list(CASES)
    for case in cases.values():
        counts(case["fields"], OUTCOMES, totals={TOTAL})


def test_the_report_id_takes_a_year_of_the_format_and_a_single_body():
    pattern = re.compile(fields_of("reports")["id"]["pattern"][0])
    for body in CONFIG.organisations.entries:
        assert bool(pattern.fullmatch(f"2023-{body.slug}")) is not body.is_group, body.slug
    for year, accepted in ((2020, False), (2021, True), (2029, True), (2030, True), (2099, True), (1999, False)):
        assert bool(pattern.fullmatch(f"{year}-renminzhengfu")) is accepted, year
    assert not pattern.fullmatch("2022-nianbao") and not pattern.fullmatch("2022-renminzhengfu-1")
    assert desk_reports.report_years_pattern(2029) == "(?:202[9-9]|20[3-9][0-9])"
    assert desk_reports.report_years_pattern(2095) == "(?:209[5-9])"


@pytest.mark.parametrize("value, accepted", [
    ("济天政办发〔2022〕4号", True), ("济南市人民政府令第258号", True), ("财政部公告2015年第3号", True),
    ("中华人民共和国主席令第八十一号", True), ("济天政办发(2022)4号", False), ("济天政办发〔2022〕04号", False),
    ("济天政办发[2022]4号", False), ("济天政办发〔2022〕4", False), ("2022年4号", False),
])
def test_the_doc_number_pattern_takes_only_normal_forms(value, accepted):
    pattern = fields_of("documents")["doc_number"]["pattern"][0]
    assert bool(re.fullmatch(pattern, value)) is accepted
    if accepted:
        assert read_doc_number(value).message == ""


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
    project = tmp_path_factory.mktemp("desk-project")
    shutil.copytree(ROOT / "content", project / "content")
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


ENTRIES = {"documents": document_entry(), "interpretations": interpretation_entry(), "tasks": tasks_entry(),
           "pages": page_entry(), "catalogue": catalogue_entry(), "reports": report_entry()}


@pytest.mark.parametrize("collection", list(ENTRIES))
def test_every_entry_the_form_accepts_passes_check(collection, desk_project):
    # No shrinking: an example is a whole check of the project; the failing entry is printed as drawn.
    @settings(max_examples=25, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.function_scoped_fixture])
    @given(ENTRIES[collection], st.text(alphabet="各街道办事处，区政府各部门：现将有关事项通知如下。", max_size=60))
    def accepted(entry, body):
        path = written_file(desk_project, collection, entry, body)
        try:
            checked = check_project(desk_project)
        finally:
            path.unlink()
        mine = [line for line in checked.errors + checked.warnings if entry["id"] in line]
        assert checked.errors == [], checked.text
        assert all(ALLOWED_WARNINGS.search(line) for line in mine), "\n".join(mine)

    accepted()


@pytest.mark.parametrize("desk_yaml, message", [
    ("desk: {backend: svn, repo: a/b}", "编辑台设置 desk的 backend“svn”不认识"),
    ("desk: {backend: gitea, repo: 仓库}", "编辑台设置 desk的 repo“仓库”不是仓库名"),
    ("desk: {backend: gitlab, repo: a/b, host: git.example.gov.cn}", "编辑台设置 desk的 host“git.example.gov.cn”"),
    ("desk: {backend: github, repo: a/b, host: https://git.example.gov.cn}", "host 只用于自建的 GitLab 或 Gitea"),
    ("desk: {backend: github, repo: a/b, branch: 'a..b'}", "不是分支名"),
    ("desk: {backend: github, repo: a/b, token: x}", "desk中有未知字段“token”"),
    ("desk: {repo: a/b}", "编辑台设置 desk缺少“backend”"),
])
def test_a_wrong_desk_setting_is_named_with_its_line(tmp_path, desk_yaml, message):
    text = (ROOT / "config.yaml").read_text("utf-8")
    start = text.index("\ndesk:\n")
    end = text.index("\n\n", start + 1)
    path = tmp_path / "config.yaml"
    path.write_text(text[:start] + "\n" + desk_yaml + text[end:], "utf-8")
    problems = Problems()
    assert load_config(path, problems) is None
    [problem] = problems.errors
    assert message in problem.message and problem.line > 0 and problem.fix


def test_a_gitea_desk_commits_to_its_branch_without_the_workflow(tmp_path):
    text = (ROOT / "config.yaml").read_text("utf-8").replace(
        "  backend: github\n  repo: tianqiao/xxgk\n  branch: main\n",
        "  backend: gitea\n  repo: xxgk/zhuanlan\n  branch: desk\n  host: https://git.example.gov.cn\n  app_id: abc123\n")
    path = tmp_path / "config.yaml"
    path.write_text(text, "utf-8")
    config = load_config(path, Problems())
    form = desk.desk_config(config)
    assert "publish_mode" not in form  # Decap's Gitea backend has no editorial workflow
    assert form["backend"] == {"name": "gitea", "repo": "xxgk/zhuanlan", "branch": "desk",
                               "api_root": "https://git.example.gov.cn/api/v1", "base_url": "https://git.example.gov.cn",
                               "auth_type": "pkce", "app_id": "abc123"}
    assert "connect-src 'self' blob: https://git.example.gov.cn " in desk.csp(config)


def test_a_github_desk_signs_in_through_its_oauth_gateway(tmp_path):
    text = (ROOT / "config.yaml").read_text("utf-8").replace(
        "  branch: main\n", "  branch: main\n  oauth: https://oauth.example.gov.cn\n")
    path = tmp_path / "config.yaml"
    path.write_text(text, "utf-8")
    assert desk.desk_config(load_config(path, Problems()))["backend"]["base_url"] == "https://oauth.example.gov.cn"
    path.write_text(text.replace("backend: github", "backend: gitlab"), "utf-8")
    problems = Problems()
    assert load_config(path, problems) is None
    assert "oauth 只用于 GitHub" in problems.errors[0].message


def test_deploy_md_gives_the_desk_its_own_policy():
    """docs/deploy.md's /admin/ headers carry the desk's policy (nginx and Apache), kept in step."""
    deploy = (ROOT / "docs" / "deploy.md").read_text("utf-8")
    assert deploy.count(f"{desk.csp(CONFIG)}; frame-ancestors 'none'") == 2


# --- 公众参与: 意见征集 and the 重大行政决策事项目录 --------------------------------------------------

from disclosure.load import participation  # noqa: E402
from disclosure.load.models import DECISION_PROCEDURES, DECISION_STATES, PROCEDURE_STATES  # noqa: E402


def test_the_participation_collections_name_every_field():
    consultation = fields_of("consultations")
    for key, spec in loader.CONSULTATION.items():
        assert key in consultation, f"consultations: {key} has no form field"
        assert consultation[key]["label"] == spec.label and consultation[key]["hint"]
        assert consultation[key]["required"] == (spec.required or key == "id"), key
    assert COLLECTIONS["consultations"]["slug"] == "{{fields.id}}" and COLLECTIONS["consultations"]["extension"] == "md"
    assert consultation["issuer"]["widget"] == "select" and consultation["issuer"]["options"] == desk_form.vocabularies(CONFIG)["issuer"]
    assert {consultation[key]["widget"] for key in ("start", "end")} == {"datetime"}
    assert consultation["decision"]["widget"] == "relation" and consultation["decision"]["collection"] == "decisions"
    assert consultation["decision"]["value_field"] == "items.*.id"
    # The feedback group is optional as a whole: Decap checks an object's required fields even when
    # it is left empty, so each of its fields is optional in the form and the guide lists the rule.
    feedback = {field["name"]: field for field in consultation["feedback"]["fields"]}
    assert consultation["feedback"]["widget"] == "object" and set(feedback) == set(loader.FEEDBACK)
    assert all(field["label"] == loader.FEEDBACK[name].label and field["required"] is False and field["hint"]
               for name, field in feedback.items())
    for key in ("received", "adopted", "partly", "not_adopted"):
        assert feedback[key]["widget"] == "number" and feedback[key]["value_type"] == "int" and feedback[key]["min"] == 0
    assert feedback["published"]["widget"] == "datetime" and feedback["result"]["collection"] == "documents"

    decisions = fields_of("decisions")
    assert set(decisions) == set(loader.DECISION_CATALOGUE)
    assert all(decisions[key]["label"] == spec.label and decisions[key]["required"] == spec.required
               for key, spec in loader.DECISION_CATALOGUE.items())
    assert COLLECTIONS["decisions"]["slug"] == "{{fields.year}}"  # the file name is the year (loader)
    assert decisions["year"]["widget"] == "number" and decisions["year"]["value_type"] == "int"
    items = {field["name"]: field for field in decisions["items"]["fields"]}
    assert set(items) == set(loader.DECISION_ITEM)
    assert all(field["label"] == loader.DECISION_ITEM[name].label and field["required"] == loader.DECISION_ITEM[name].required
               and field["hint"] for name, field in items.items())
    assert [o["value"] for o in items["state"]["options"]] == list(DECISION_STATES)
    assert items["body"]["options"] == desk_form.vocabularies(CONFIG)["issuer"] and items["result"]["collection"] == "documents"
    procedures = items["procedures"]["fields"]
    assert [(p["name"], p["label"]) for p in procedures] == list(DECISION_PROCEDURES)
    assert all([o["value"] for o in p["options"]] == list(PROCEDURE_STATES) and p["default"] == "未开始" for p in procedures)


@pytest.mark.parametrize("value, accepted", [
    ("yijian@example.gov.cn", True), ("zjj-yijian@tianqiao.gov.cn", True), ("yijian@example", False),
    ("yi jian@example.gov.cn", False), ("yijian", False), ("a@b@c.cn", False),
])
def test_the_email_pattern_is_the_loaders(value, accepted):
    form = fields_of("consultations")["email"]["pattern"][0]
    assert bool(re.fullmatch(form, value)) is accepted
    assert bool(participation.EMAIL.match(value)) is accepted


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


@pytest.mark.parametrize("collection", list(PARTICIPATION_ENTRIES))
def test_every_participation_entry_the_form_accepts_passes_check(collection, desk_project):
    @settings(max_examples=25, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.function_scoped_fixture])
    @given(PARTICIPATION_ENTRIES[collection], st.text(alphabet="第一条 为了规范老旧小区改造工作，制定本办法。", max_size=60))
    def accepted(entry, body):
        folder = desk_project / COLLECTIONS[collection]["folder"]
        name = f"{entry['id']}.md" if collection == "consultations" else f"{entry['year']}.yaml"
        path = folder / name
        text = yaml.safe_dump(entry, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{text}---\n\n{body}\n" if collection == "consultations" else text, "utf-8")
        try:
            checked = check_project(desk_project)
        finally:
            path.unlink()
        mine = [line for line in checked.errors + checked.warnings if name in line]
        assert checked.errors == [], checked.text
        assert all(PARTICIPATION_WARNINGS.search(line) for line in mine), "\n".join(mine)

    accepted()
