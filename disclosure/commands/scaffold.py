"""`build.py new document|interpretation|tasks|catalogue`: start a content file with every field in place.

Each key fact is taken from an option or asked for with input(), checked by the same field
parsers the build uses (so the messages are the ones `check` would print), and written with a
short Chinese comment on every field. An existing file is never overwritten.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..load import loader as load
from ..load.config import Config, load_config
from ..errors import Problems, display_path
from ..load.fields import ID, INDEX_NO, Context
from .scaffold_yaml import (BODY_NOTE, CATALOGUE_NOTES, CATALOGUE_ROW_NOTES, DOCUMENT_NOTES, INTERPRETATION_NOTES,
                            TASK_NOTES, TASK_TABLE_NOTES, front_matter, line, mapping)
from ..load.source import load_markdown
from . import scaffold_participation

WHAT = ("document", "interpretation", "tasks", "report", "catalogue", "consultation", "decision")
CODE = re.compile(r"^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*\Z")


class Refused(Exception):
    """A fact is missing or wrong and cannot be asked for; the message says what to do."""


def add_arguments(parser) -> None:
    group = parser.add_argument_group("new 命令的参数（不写的会逐项询问）")
    group.add_argument("what", nargs="?", choices=WHAT, help="new 之后写要新建的内容：document（政策文件）、"
                       "interpretation（政策解读）、tasks（任务分解表）、report（政府信息公开工作年度报告）、"
                       "catalogue（基层政务公开标准目录的一个领域）、consultation（意见征集）、"
                       "decision（一个年度的重大行政决策事项目录）")
    for option, text in (
        ("--title", "标题"), ("--id", "文件名（小写英文字母、数字和连字符，也是网址）"),
        ("--issuer", "发布机构"), ("--written", "成文日期"), ("--published", "发布日期"),
        ("--doc-number", "发文字号"), ("--topic", "主题分类，如 综合政务/政务公开"), ("--kind", "公文种类"),
        ("--code", "发布机构的机构代码（索引号“/”前面的部分）"), ("--index-no", "索引号（不写则自动推荐）"),
        ("--interprets", "政策解读所解读文件的文件名"), ("--form", "解读形式"),
        ("--plan", "任务分解表所属文件的文件名"), ("--area", "第一项任务的一级工作任务；new catalogue 时是领域名称"),
        ("--item", "第一项任务的二级工作任务"), ("--requirement", "第一项任务的具体要求"),
        ("--units", "第一项任务的责任单位，用、分隔"), ("--deadline", "第一项任务的完成时限"),
        ("--in-force", "施行日期（与发布日期不同时）"), ("--amends", "本文件修改的文件的文件名，用、分隔"),
        ("--replaces", "本文件代替的文件的文件名，用、分隔"), ("--basis", "制定依据：文件名或《标题》（文号），用；分隔"),
        ("--year", "年度报告的报告年度"),
    ):
        group.add_argument(option, dest="new_" + option[2:].replace("-", "_"), metavar="…", help=text)
    group.add_argument("--no-input", action="store_true", help="不询问：没有通过参数给出的项用默认值，没有默认值则报错")


@dataclass
class Existing:
    """What the content already holds: the ids in use, documents' facts and the 索引号 taken."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {w: set() for w in WHAT})
    documents: dict[str, dict] = field(default_factory=dict)
    index_nos: set[str] = field(default_factory=set)
    codes: dict[str, Counter] = field(default_factory=dict)  # organisation name → 机构代码 seen with it

    @classmethod
    def scan(cls, root: Path, config: Config) -> "Existing":
        found = cls()
        folders = (("documents", "document", ".md"), ("interpretations", "interpretation", ".md"),
                   ("tasks", "tasks", ".yaml"), ("tasks", "tasks", ".yml"),
                   ("reports", "report", ".yaml"), ("reports", "report", ".yml"),
                   ("catalogue", "catalogue", ".yaml"), ("catalogue", "catalogue", ".yml"),
                   ("consultations", "consultation", ".md"), ("decisions", "decision", ".yaml"),
                   ("decisions", "decision", ".yml"))
        for folder, what, suffix in folders:
            for path in sorted((root / folder).rglob(f"*{suffix}")) if (root / folder).is_dir() else []:
                found.ids[what].add(path.stem)
        for path in sorted((root / "documents").rglob("*.md")) if (root / "documents").is_dir() else []:
            # Another file's mistakes must not stop an editor from starting a new one.
            source = load_markdown(path, Problems())
            meta = source.meta if source else {}
            found.documents[path.stem] = meta
            index_no, issuer = meta.get("index_no"), meta.get("issuer")
            if not isinstance(index_no, str) or not INDEX_NO.match(index_no.strip()):
                continue
            found.index_nos.add(index_no.strip())
            first = issuer[0] if isinstance(issuer, list) and issuer else issuer
            organisation = config.organisations.get(first) if isinstance(first, str) else None
            if organisation is not None:
                found.codes.setdefault(organisation.name, Counter())[index_no.split("/")[0]] += 1
        return found

    def code_of(self, body_name: str) -> str | None:
        counts = self.codes.get(body_name)
        return counts.most_common(1)[0][0] if counts else None

    def next_index_no(self, code: str, year: int) -> str:
        pattern = re.compile(rf"^{re.escape(code)}/{year}-(\d+)\Z")
        serials = [m.group(1) for m in map(pattern.match, self.index_nos) if m]
        width = max([len(s) for s in serials] + [5])
        return f"{code}/{year}-{max([int(s) for s in serials] + [0]) + 1:0{width}d}"


class Asker:
    """Takes each fact from its option, or asks for it; re-asks until the answer is valid."""

    def __init__(self, args, interactive: bool):
        self.args, self.interactive = args, interactive

    def __call__(self, name: str, prompt: str, check=None, default=None, required: bool = True):
        given = getattr(self.args, "new_" + name, None)
        if given is not None:
            value, error = check(given.strip()) if check else (given.strip(), None)
            if error:
                raise Refused(f"--{name.replace('_', '-')} {given}：{error}")
            return value
        while True:
            answer = self._input(prompt, default)
            if answer is None:  # no answer possible: fall back to the default
                if default is not None or not required:
                    return default
                raise Refused(f"缺少{prompt}，请用 --{name.replace('_', '-')} 提供")
            if not answer:
                if default is not None or not required:
                    return default
                print(f"{prompt}必须填写。", file=sys.stderr)
                continue
            value, error = check(answer) if check else (answer, None)
            if not error:
                return value
            print(error, file=sys.stderr)

    def _input(self, prompt: str, default) -> str | None:
        if not self.interactive:
            return None
        try:
            shown = f"［直接回车：{_show(default)}］" if default is not None else ""
            return input(f"{prompt}{shown}：").strip()
        except EOFError:
            return None


def run(args, content_root: Path, config_path: Path) -> int:
    """Create the file; returns the exit code (0 written, 1 config unreadable, 2 refused)."""
    problems = Problems()
    config = load_config(config_path, problems)
    if config is None:
        for problem in problems.errors:
            print(problem.format(), file=sys.stderr)
        print("config.yaml 有错误，先改正它才能新建内容。", file=sys.stderr)
        return 1
    if args.what is None:
        print("请写明要新建什么：new document、new interpretation、new tasks、new report、new catalogue、"
              "new consultation 或 new decision", file=sys.stderr)
        return 2
    existing = Existing.scan(content_root, config)
    ask = Asker(args, interactive=not args.no_input)
    checks = Checks(config, content_root, existing)
    try:
        path, text = BUILDERS[args.what](ask, checks, existing, content_root)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError as exc:
        print(f"{exc.filename} 已经存在，没有改动它。请换一个文件名（--id）。", file=sys.stderr)
        return 2
    except Refused as refused:
        print(f"没有新建文件：{refused}", file=sys.stderr)
        return 2
    print(f"已新建 {display_path(path)}。请打开它补全内容（每个字段后面的注释说明了怎么填），"
          "然后运行 python build.py check 检查。")
    return 0


class Checks:
    """Validators for answers, built on the field parsers of load.py so messages match `check`."""

    def __init__(self, config: Config, root: Path, existing: Existing):
        self.config, self.root, self.existing = config, root, existing

    def field(self, schema: dict, key: str):
        spec = schema[key]

        def check(value: str):
            problems = Problems()
            ctx = Context(self.config, self.root / "new.md", self.root, problems)
            ctx.key, ctx.label = key, spec.label
            parsed = spec.parse(value, ctx)
            if problems.errors:
                first = problems.errors[0]
                return None, f"{first.message} — {first.fix}" if first.fix else first.message
            return parsed, None
        return check

    def new_id(self, what: str):
        def check(value: str):
            if not ID.match(value):
                return None, "文件名只能用小写英文字母、数字和连字符，如 2024-laojiu-xiaoqu-gaizao"
            if value in self.existing.ids[what]:
                return None, f"文件名“{value}”已经有了，请换一个（文件名就是网址，必须唯一）"
            return value, None
        return check

    def document_id(self, value: str):
        if value in self.existing.documents:
            return value, None
        close = difflib.get_close_matches(value, list(self.existing.documents), n=3, cutoff=0.5)
        hint = ("是不是：" + "、".join(close) + "？" if close else "请写 content/documents/ 下某个文件的文件名（不含 .md）")
        return None, f"找不到文件“{value}” — {hint}"

    def document_ids(self, value: str):
        """File names of documents in the column, separated by 、 or commas or spaces."""
        found = []
        for name in re.split(r"[、，,\s]+", value.strip()):
            if name:
                doc_id, error = self.document_id(name)
                if error:
                    return None, error
                found.append(doc_id)
        return found, None

    def basis(self, value: str):
        """Entries separated by ；: a file name must be a document of the column, anything else is text."""
        entries = [part.strip() for part in re.split(r"[；;]", value) if part.strip()]
        for entry in entries:
            if ID.match(entry):
                _, error = self.document_id(entry)
                if error:
                    return None, error
        return entries, None

    def not_before(self, schema: dict, key: str, written: date):
        def check(value: str):
            parsed, error = self.field(schema, key)(value)
            if parsed is not None and parsed < written:
                return None, f"发布日期 {parsed} 早于成文日期 {written} — 发布日期不能早于成文日期，请核对两个日期"
            return parsed, error
        return check

    def code(self, value: str):
        if CODE.match(value):
            return value, None
        return None, "机构代码只能由英文字母、数字和连字符组成，如 11370105MB0000004X"

    def index_no(self, value: str):
        parsed, error = self.field(load.DOCUMENT, "index_no")(value)
        if not error and parsed in self.existing.index_nos:
            return None, f"索引号“{parsed}”已经被使用了，请改用下一个流水号"
        return parsed, error


def _document(ask: Asker, checks: Checks, existing: Existing, root: Path):
    schema = load.DOCUMENT
    title = ask("title", "标题", checks.field(schema, "title"))
    doc_id = ask("id", "文件名（英文小写字母、数字、连字符，也是网址）", checks.new_id("document"))
    issuers = ask("issuer", "发布机构", checks.field(schema, "issuer"))
    written = ask("written", "成文日期（年-月-日）", checks.field(schema, "written"), date.today())
    published = ask("published", "发布日期（年-月-日）", checks.not_before(schema, "published", written), written)
    doc_number = ask("doc_number", "发文字号（没有的直接回车）", checks.field(schema, "doc_number"), required=False)
    topic = ask("topic", "主题分类（一级/二级）", checks.field(schema, "topic"))
    kind = ask("kind", "公文种类", checks.field(schema, "kind"), checks.config.kinds.get("通知"))
    code = existing.code_of(issuers[0].name)
    if ask.args.new_code is not None or (code is None and ask.args.new_index_no is None):
        code = ask("code", f"“{issuers[0].name}”还没有用过索引号，请输入它的机构代码（不写索引号的直接回车）",
                   checks.code, code, required=False)
    proposed = existing.next_index_no(code, written.year) if code else None
    index_no = ask("index_no", "索引号", checks.index_no, proposed, required=False)
    in_force = ask("in_force", "施行日期（年-月-日；自发布之日起施行的直接回车）", checks.field(schema, "in_force"),
                   required=False)
    amends = ask("amends", "本文件修改的文件（文件名，多个用、分隔；没有的直接回车）", checks.document_ids, required=False)
    replaces = ask("replaces", "本文件代替的文件（文件名，多个用、分隔；没有的直接回车）", checks.document_ids,
                   required=False)
    basis = ask("basis", "制定依据（栏目内的写文件名，栏目外的写《标题》（文号），多个用；分隔；没有的直接回车）",
                checks.basis, required=False)
    values = {
        "id": doc_id, "title": title, "doc_number": doc_number, "issuer": _names(issuers), "written": written,
        "published": published, "topic": topic.label, "kind": kind.name, "index_no": index_no,
        "validity": "有效", "expires": None, "repealed": None, "repealed_by": None, "normative": False,
        "in_force": in_force, "amends": amends or [], "replaces": replaces or [], "basis": basis or [],
        "attachments": [], "keywords": [], "sample": False,
    }
    path = root / "documents" / str(published.year) / f"{doc_id}.md"
    return path, front_matter(values, DOCUMENT_NOTES) + BODY_NOTE


def _interpretation(ask: Asker, checks: Checks, existing: Existing, root: Path):
    schema = load.INTERPRETATION
    doc_id = ask("interprets", "所解读文件的文件名", checks.document_id)
    doc = existing.documents[doc_id]
    doc_title = doc.get("title") if isinstance(doc.get("title"), str) else None
    title = ask("title", "标题", checks.field(schema, "title"), f"《{doc_title}》政策解读" if doc_title else None)
    item_id = ask("id", "文件名（英文小写字母、数字、连字符，也是网址）", checks.new_id("interpretation"),
                  _free(f"{doc_id}-jiedu", existing.ids["interpretation"]))
    issuer_default = checks.field(schema, "issuer")(doc.get("issuer"))[0] if doc.get("issuer") else None
    issuers = ask("issuer", "发布机构", checks.field(schema, "issuer"), issuer_default)
    published_default = checks.field(schema, "published")(str(doc.get("published")))[0]
    published = ask("published", "发布日期（年-月-日，应在文件发布后三个工作日内）",
                    checks.field(schema, "published"), published_default or date.today())
    forms = checks.config.interpretation_forms
    form = ask("form", "解读形式（" + "、".join(forms) + "）", checks.field(schema, "form"),
               forms[0] if forms else None)
    values = {"id": item_id, "title": title, "interprets": doc_id, "issuer": _names(issuers), "published": published,
              "form": form, "qa": [], "keywords": [], "sample": False}
    return root / "interpretations" / f"{item_id}.md", front_matter(values, INTERPRETATION_NOTES) + BODY_NOTE


def _tasks(ask: Asker, checks: Checks, existing: Existing, root: Path):
    plan = ask("plan", "所属文件的文件名", checks.document_id)
    title = ask("title", "标题，如 2022年……重点工作任务分解表", checks.field(load.TASK_TABLE, "title"))
    table_id = ask("id", "文件名（英文小写字母、数字、连字符，也是网址）", checks.new_id("tasks"),
                   _free(f"{plan}-renwu-fenjie", existing.ids["tasks"]))
    if ask.interactive:
        print("下面填写第一项任务，其余各项照它的样子复制添加。", file=sys.stderr)
    task = {"no": 1}
    for key, prompt, default in (("area", "一级工作任务", None), ("item", "二级工作任务", None),
                                 ("requirement", "具体要求", None), ("units", "责任单位（用、分隔）", None),
                                 ("deadline", "完成时限（按原文写，如 全年、2022年底前）", "全年")):
        value = ask(key, prompt, checks.field(load.TASK, key), default)
        task[key] = [unit.written for unit in value] if key == "units" else value
    task.update(due=None, note=None)
    header = f"# {title}\n" + mapping({"id": table_id, "plan": plan, "title": title}, TASK_TABLE_NOTES)
    header += line("tasks:", TASK_TABLE_NOTES["tasks"])
    lines = mapping(task, TASK_NOTES, indent="    ").split("\n")
    body = "\n".join(["  - " + lines[0][4:], *lines[1:]])
    return root / "tasks" / f"{table_id}.yaml", header + body


def _report(ask: Asker, checks: Checks, existing: Existing, root: Path):
    from .scaffold_report import report_text

    schema = load.REPORT
    issuers = ask("issuer", "发布机构（一个单位）", checks.field(schema, "issuer"))
    if len(issuers) != 1 or issuers[0].is_group:
        raise Refused("年度报告的发布机构只能写一个单位（不能是统称）")
    issuer = issuers[0]
    def a_year(value: str):
        if not (value.isdigit() and len(value) == 4):
            return None, "报告年度写四位数字，如 2023"
        if int(value) < load.EARLIEST_REPORT_YEAR:
            return None, (f"{load.EARLIEST_REPORT_YEAR} 年度以前的报告格式不同，不能用这里的表格；"
                          "请作为文件发布，或在“政府信息公开年报”栏目页中链接原来发布的网址")
        return int(value), None

    year = ask("year", "报告年度（统计的那一年）", a_year, date.today().year - 1)
    report_id = f"{year}-{issuer.slug}"
    if report_id in existing.ids["report"]:
        raise Refused(f"{issuer.name}{year}年度的报告已经有了：content/reports/{report_id}.yaml")
    published = ask("published", "发布日期（年-月-日）", checks.field(schema, "published"), date.today())
    if published.year <= year:
        raise Refused(f"{year}年度的报告统计整年的数字，发布日期应在 {year + 1} 年或以后，现在是 {published}")
    return root / "reports" / f"{report_id}.yaml", report_text(issuer, year, published)


def _catalogue(ask: Asker, checks: Checks, existing: Existing, root: Path):
    """One area of the 标准目录, with no rows yet (the page says 本领域目录正在编制, and `check`
    accepts it as it is) and a row to copy, commented out, with every cell explained."""
    area = ask("area", "领域名称，如 涉农补贴", checks.field(load.CATALOGUE, "area"))
    area_id = ask("id", "文件名（英文小写字母、数字、连字符，也是网址，如 shenong-butie）", checks.new_id("catalogue"))
    head = f"# {area}领域基层政务公开标准目录\n"
    head += mapping({"id": area_id, "area": area, "guideline": None, "sample": False}, CATALOGUE_NOTES)
    head += line("rows: []", CATALOGUE_NOTES["rows"])
    example = {"item": "一级事项", "subitem": "二级事项", "elements": "公开的内容和要素",
               "basis": "《中华人民共和国政府信息公开条例》", "time_limit": "自信息形成或者变更之日起20个工作日内",
               "bodies": ["区政府办公室"], "channels": ["政府网站"], "audience": ["全社会"], "manner": ["主动"],
               "levels": ["县级"], "link": None}
    rows = mapping(example, CATALOGUE_ROW_NOTES, indent="    ").split("\n")
    copy = ["# 有了公开事项后，把上面一行改成 rows:，再去掉下面各行开头的“# ”，照样填写；每项一组，复制添加。",
            "# 公开渠道和载体可选：" + "、".join(load.CATALOGUE_CHANNELS),
            "# rows:", "#   - " + rows[0][4:], *("# " + text for text in rows[1:] if text)]
    return root / "catalogue" / f"{area_id}.yaml", head + "\n".join(copy) + "\n"


BUILDERS = {"document": _document, "interpretation": _interpretation, "tasks": _tasks, "report": _report,
            "catalogue": _catalogue, "consultation": scaffold_participation.consultation,
            "decision": scaffold_participation.decision}


def _show(value) -> str:
    """A default as an editor would type it."""
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "name", None) or str(value)


def _free(candidate: str, taken: set[str]) -> str:
    number, name = 2, candidate
    while name in taken:
        name, number = f"{candidate}-{number}", number + 1
    return name


def _names(organisations) -> list[str] | str:
    names = [organisation.name for organisation in organisations]
    return names[0] if len(names) == 1 else names
