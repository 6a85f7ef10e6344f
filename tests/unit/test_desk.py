"""The editing desk (/admin/, render/desk.py): the vendored Decap CMS is the pinned release, its
configuration is generated from config.yaml and the content schemas with every field, label, option
and pattern, and the desk's settings are checked. That every entry the form accepts passes
`build.py check` is tests/unit/test_desk_entries.py."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import ROOT
from disclosure.load import loader
from disclosure.load.config import load_config
from disclosure.errors import Problems
from disclosure.load.doc_numbers import read as read_doc_number
from disclosure.load.report_format import (APPLICATION_COLUMNS, APPLICATION_ROWS, CASES, OUTCOMES, PROACTIVE_COLUMNS,
                                           PROACTIVE_ROWS, TOTAL)
from disclosure.render import desk, desk_form, desk_reports
from desk_form_read import COLLECTIONS, CONFIG, FORM, SCHEMAS, fields_of


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
    text = desk.config_yaml(CONFIG)
    assert text == desk.config_yaml(load_config(ROOT / "config.yaml", Problems()))
    # libyaml writes it where PyYAML has it; a machine without writes the same bytes in Python.
    assert desk._Dumper is yaml.CSafeDumper
    pure = yaml.dump(FORM, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=1000)
    assert text.decode("utf-8").split("\n", 1)[1] == pure and yaml.safe_load(text) == FORM
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
