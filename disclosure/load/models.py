"""The content model: typed objects the rest of the build works with, never raw YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .vocab import Organisation, Term, Topic

VALID, EXPIRED, REPEALED = "有效", "失效", "废止"
NOT_YET = "尚未施行"  # published, in force from its 施行日期 (a status, never declared)


class FrozenModelError(AttributeError):
    """A stage after model/ tried to change the site it was given."""


class Model:
    """A model is written while its file loads and, for its relations, once by model/relations.py;
    after `freeze_all` it is read-only, so every page, feed and export sees the same site."""

    __slots__ = ()

    def __setattr__(self, name, value):
        if "_frozen" in self.__dict__:
            raise FrozenModelError(f"{type(self).__name__}.{name}: the site model is read-only after model/")
        object.__setattr__(self, name, value)


def freeze_all(model) -> None:
    """Make `model` and the models it holds read-only (thawed only by the preview's re-render)."""
    seen: set[int] = set()
    stack = [model]
    while stack:
        value = stack.pop()
        if isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, Model) and id(value) not in seen:
            seen.add(id(value))
            value.__dict__["_frozen"] = True
            stack.extend(v for k, v in value.__dict__.items() if k in _HOLDS)


def thaw(model) -> None:
    model.__dict__.pop("_frozen", None)


# The attributes through which models hold other models (a document's issuers are config, not content).
_HOLDS = {"documents", "interpretations", "task_tables", "pages", "attachments", "qa", "tasks", "units",
          "organisations", "topics", "children", "years", "kinds", "current", "invalid", "normative", "held",
          "content", "repeals", "library", "shelves", "cleared", "reports", "figures",
          "replacing", "amended_by", "amending", "catalogue", "rows", "bodies", "catalogue_rows",
          "consultations", "decisions", "items", "feedback", "decision_items"}


@dataclass
class Attachment(Model):
    title: str
    source: Path  # absolute path of the file under content/
    url: str = ""  # site path, set when assets are registered


@dataclass(frozen=True)
class FieldChange:
    """One front-matter field of a published document, as written before and after a commit."""

    key: str  # the field's name in the file (title, doc_number …)
    label: str  # its Chinese name, as the metadata table shows it
    old: str  # "" when the field was not there
    new: str


@dataclass(frozen=True)
class ParagraphChange:
    """One paragraph of the text as changed: the old and new wording ("" when added or deleted)
    and the pieces a reader sees, each ("", text) kept, ("del", text) or ("ins", text)."""

    old: str
    new: str
    pieces: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Correction:
    """A commit that changed a document on or after its publication day (更正记录): read from the
    content's git history by load/history.py, attached by model/relations.py, never changed."""

    date: date  # the commit's day in China time
    fields: tuple[FieldChange, ...]
    paragraphs: tuple[ParagraphChange, ...]


@dataclass
class Document(Model):
    id: str
    path: Path
    title: str
    issuers: list[Organisation]
    written: date
    published: date
    topic: Topic
    kind: Term
    validity: str  # as the editor declared it
    doc_number: str = ""
    index_no: str = ""
    expires: date | None = None
    repealed: date | None = None
    repealed_by: str = ""  # id of the document that repealed this one
    normative: bool = False  # 规范性文件
    in_force: date | None = None  # 施行日期: in force from this day
    amends: list[str] = field(default_factory=list)  # ids of the documents it amends (修改)
    replaces: list[str] = field(default_factory=list)  # ids of the documents it replaces (代替)
    basis: list[str] = field(default_factory=list)  # 制定依据: ids in the column, or title and 文号 as text
    attachments: list[Attachment] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    sample: bool = False
    body: str = ""
    body_line: int = 1
    lines: dict = field(default_factory=dict)  # field name -> line, for cross-file messages
    digest: str = ""  # hash of the source file: what incremental builds compare
    listed_digest: str = ""  # hash of its front matter: what pages that list or link to it compare
    # Set by classify: the validity a reader sees on the build date, and related content.
    status: str = VALID
    interpretations: list["Interpretation"] = field(default_factory=list)
    task_tables: list["TaskTable"] = field(default_factory=list)
    repealer: "Document | None" = None
    repeals: list["Document"] = field(default_factory=list)
    replaced_by: "Document | None" = None  # the document that replaces this one (代替)
    replacing: list["Document"] = field(default_factory=list)  # the documents this one replaces
    amended_by: list["Document"] = field(default_factory=list)  # in the order they take effect
    amending: list["Document"] = field(default_factory=list)  # the documents this one amends
    based_on: list[tuple] = field(default_factory=list)  # (text as written, the document in the column or None)
    corrections: tuple[Correction, ...] = ()  # 更正记录, oldest first (load/history.py)

    @property
    def url(self) -> str:
        return f"/documents/{self.id}/"

    @property
    def history_url(self) -> str:
        return f"/documents/{self.id}/history/"

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def is_current(self) -> bool:
        """Not repealed or expired: in force, or published to come into force (尚未施行)."""
        return self.status in (VALID, NOT_YET)

    @property
    def effective(self) -> date:
        """The day it takes effect, and so do its amendments and replacements of other documents."""
        return self.in_force or self.published

    @property
    def ended(self) -> date | None:
        """The day it stopped being in force, if it did and its file or its replacement says when."""
        if self.status == REPEALED:
            return self.repealed or (self.replaced_by.effective if self.replaced_by else None)
        if self.status == EXPIRED and self.expires:
            return self.expires + timedelta(days=1)
        return None

    def amendments_on(self, day: date) -> list["Document"]:
        """The amending documents in effect on `day`."""
        return [other for other in self.amended_by if other.effective <= day]


@dataclass
class QA(Model):
    question: str
    answer: str


@dataclass
class Interpretation(Model):
    id: str
    path: Path
    title: str
    interprets: str  # id of the document it explains
    issuers: list[Organisation]
    published: date
    form: str
    qa: list[QA] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    sample: bool = False
    body: str = ""
    body_line: int = 1
    lines: dict = field(default_factory=dict)
    digest: str = ""
    listed_digest: str = ""
    document: Document | None = None  # resolved by validate

    @property
    def url(self) -> str:
        return f"/interpretations/{self.id}/"


@dataclass
class UnitRef(Model):
    """A responsible unit as the source writes it, and the organisation that name resolves to."""

    written: str
    organisation: Organisation


@dataclass
class Task(Model):
    no: int
    area: str
    item: str
    requirement: str
    units: list[UnitRef]
    deadline: str
    due: date | None = None
    note: str = ""
    line: int = 0
    deadline_line: int = 0  # where a message about the deadline points
    table: "TaskTable | None" = None

    @property
    def anchor(self) -> str:
        return f"task-{self.no}"

    @property
    def url(self) -> str:
        return f"{self.table.url}#{self.anchor}" if self.table else ""


@dataclass
class TaskGroup(Model):
    """Tasks under one heading of a task table: an area (一级工作任务) or an item within it."""

    name: str
    tasks: list[Task] = field(default_factory=list)
    items: list["TaskGroup"] = field(default_factory=list)


@dataclass
class TaskTable(Model):
    id: str
    path: Path
    plan: str  # id of the plan document
    title: str
    tasks: list[Task]
    lines: dict = field(default_factory=dict)
    digest: str = ""
    listed_digest: str = ""
    document: Document | None = None  # resolved by validate

    @property
    def url(self) -> str:
        return f"/tasks/{self.id}/"

    @property
    def areas(self) -> list[TaskGroup]:
        """Tasks grouped by area, then by item, in the order the table first names them."""
        areas: dict[str, TaskGroup] = {}
        for task in self.tasks:
            area = areas.setdefault(task.area, TaskGroup(task.area))
            area.tasks.append(task)
            if not area.items or area.items[-1].name != task.item:
                area.items.append(TaskGroup(task.item))
            area.items[-1].tasks.append(task)
        return list(areas.values())


@dataclass
class Page(Model):
    id: str
    path: Path
    title: str
    order: int = 100
    description: str = ""
    updated: date | None = None
    sample: bool = False
    body: str = ""
    body_line: int = 1
    digest: str = ""
    listed_digest: str = ""

    @property
    def url(self) -> str:
        return f"/pages/{self.id}/"


# 基层政务公开标准目录: the checklist columns' fixed values, as the standard tables print them
# (statutory-columns.md §2.2). 公开层级 differs by the level of government (县级/乡级, 区级/乡、村级):
# one place to change it.
CATALOGUE_CHANNELS = ("政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点",
                      "政务服务中心", "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送", "其他")
CATALOGUE_AUDIENCES = ("全社会", "特定群众")
CATALOGUE_MANNERS = ("主动", "依申请公开")
CATALOGUE_LEVELS = ("县级", "乡级")
# The 26 areas of the 国务院部门 标准指引 (statutory-columns.md §2.1), in the order lists of them give:
# the order of /catalogue/; an area named otherwise follows them, by file name.
CATALOGUE_AREAS = ("城乡规划", "农村集体土地征收", "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "救灾",
                   "国有土地上房屋征收与补偿", "保障性住房", "生态环境", "公共文化服务", "公共法律服务", "社会救助",
                   "养老服务", "食品药品监管", "城市综合执法", "市政服务", "就业", "社会保险", "扶贫", "涉农补贴",
                   "义务教育", "卫生健康", "税收管理", "户籍管理", "农村危房改造")


@dataclass
class CatalogueRow(Model):
    """One 公开事项 of an area's 标准目录, its cells as the editor wrote them."""

    no: int  # 序号: its place in the area, from 1
    item: str  # 一级事项
    subitem: str  # 二级事项
    elements: str  # 公开内容（要素）
    basis: str  # 公开依据
    time_limit: str  # 公开时限
    bodies: list[UnitRef]  # 公开主体
    channels: list[str]  # 公开渠道和载体, from CATALOGUE_CHANNELS
    audience: list[str]  # 公开对象, from CATALOGUE_AUDIENCES
    manner: list[str]  # 公开方式, from CATALOGUE_MANNERS
    levels: list[str]  # 公开层级, from CATALOGUE_LEVELS
    link: str = ""  # where the column publishes it: a site path, checked when pages are planned
    line: int = 0
    link_line: int = 0
    in_area: "CatalogueArea | None" = None

    @property
    def anchor(self) -> str:
        return f"item-{self.no}"

    @property
    def url(self) -> str:
        return f"{self.in_area.url}#{self.anchor}" if self.in_area else ""

    @property
    def shown(self) -> str:
        """What a body page shows of the row: compared by the pages that list it."""
        return "\x1f".join([self.url, self.in_area.name if self.in_area else "", self.item, self.subitem, self.time_limit,
                            *(unit.organisation.name for unit in self.bodies)])


@dataclass
class CatalogueArea(Model):
    """One 领域 of the 基层政务公开标准目录: content/catalogue/<id>.yaml."""

    id: str
    path: Path
    name: str  # 领域名称
    rows: list[CatalogueRow]
    guideline: str = ""  # the 国务院部门 标准指引 it follows
    sample: bool = False
    lines: dict = field(default_factory=dict)
    digest: str = ""
    listed_digest: str = ""  # what the list of areas shows: name, guideline, sample, row count

    @property
    def url(self) -> str:
        return f"/catalogue/{self.id}/"


@dataclass
class ReportFigure(Model):
    """One number of a 年度报告's tables as the editor wrote it (load/report_format.py names the cells)."""

    part: str  # proactive (第二部分), applications (第三部分), review_litigation (第四部分)
    row: str
    column: str
    value: str  # an integer, or for the fee amount a decimal, as text: the same on every machine
    line: int = 0


@dataclass
class Report(Model):
    """政府信息公开工作年度报告 (国办公开办函〔2021〕30号): content/reports/<year>-<issuer slug>.yaml."""

    id: str
    path: Path
    year: int
    issuer: Organisation
    published: date
    title: str
    overview: str  # 一、总体情况 (Markdown)
    problems: str  # 五、存在的主要问题及改进情况 (Markdown)
    other: str = ""  # 六、其他需要报告的事项 (Markdown)
    figures: list[ReportFigure] = field(default_factory=list)  # 第二、三、四部分, as written
    sample: bool = False
    lines: dict = field(default_factory=dict)  # field name (and table/row) -> line
    digest: str = ""
    listed_digest: str = ""

    @property
    def url(self) -> str:
        return f"/reports/{self.id}/"

    @property
    def body(self) -> str:  # what a plain search or export reads of it: its prose parts
        return "\n\n".join(part for part in (self.overview, self.problems, self.other) if part)

    @property
    def body_line(self) -> int:
        return self.lines.get("overview", 1) + 1


# 公众参与 (《重大行政决策程序暂行条例》, statutory-columns.md §3): 意见征集 and the 重大行政决策事项目录.
CONSULTATION_MIN_DAYS = 30  # 第十五条: “一般不少于30日”
NORMATIVE_MIN_WORKDAYS = 7  # a 规范性文件 draft: 一般不少于7个工作日 (国办发〔2018〕37号)
NOT_STARTED, OPEN, AWAITING, ANSWERED = "未开始", "征集中", "已结束，待反馈", "已反馈"
CONSULTATION_STATES = (OPEN, NOT_STARTED, AWAITING, ANSWERED)  # the order of the list page's groups
# The five steps of a 重大行政决策, as the 条例's section titles name them, and the states each can be in.
DECISION_PROCEDURES = (("public", "公众参与"), ("experts", "专家论证"), ("risk", "风险评估"),
                       ("legality", "合法性审查"), ("collective", "集体讨论决定"))
PROCEDURE_STATES = ("未开始", "进行中", "已完成", "不适用")
DECISION_STATES = ("未启动", "推进中", "已决策", "已调出目录")
DECIDED = "已决策"


@dataclass
class Feedback(Model):
    """意见反馈: how the comments of a consultation were adopted."""

    published: date  # 反馈发布日期
    received: int  # 收到意见（条）
    adopted: int  # 采纳
    partly: int  # 部分采纳
    not_adopted: int  # 未采纳
    summary: str  # 反馈说明 (Markdown)
    reasons: str = ""  # 未采纳的理由 (Markdown)
    result: str = ""  # id of the document the draft became
    line: int = 0  # where `feedback:` is written


@dataclass
class Consultation(Model):
    """意见征集: content/consultations/<id>.md; the body is the draft (征求意见稿)."""

    id: str
    path: Path
    title: str
    issuers: list[Organisation]  # 征集单位
    start: date
    end: date
    explanation: str  # 起草说明 (Markdown)
    background: str = ""  # 背景 (Markdown)
    normative: bool = False  # the draft is a 规范性文件: 7 working days are the minimum
    shorten_reason: str = ""  # 缩短理由
    email: str = ""
    post: str = ""  # 通信地址
    phone: str = ""
    in_person: str = ""  # 现场地点
    contact: str = ""  # 联系人
    decision: str = ""  # id of the 重大行政决策事项 it serves
    feedback: "Feedback | None" = None
    sample: bool = False
    body: str = ""
    body_line: int = 1
    lines: dict = field(default_factory=dict)
    digest: str = ""
    listed_digest: str = ""
    status: str = ""  # set by classify: its state on the build date, as a reader sees it

    @property
    def url(self) -> str:
        return f"/consultations/{self.id}/"

    @property
    def published(self) -> date:  # what lists and feeds sort by: the notice appears when the window is announced
        return self.start

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def days(self) -> int:
        """The window in calendar days, both ends counted."""
        return (self.end - self.start).days + 1

    def state_on(self, today: date) -> tuple[str, int]:
        """(one of CONSULTATION_STATES, days left counting today; 0 unless open)."""
        if today < self.start:
            return NOT_STARTED, 0
        if today <= self.end:
            return OPEN, (self.end - today).days + 1
        if self.feedback is not None and self.feedback.published <= today:
            return ANSWERED, 0
        return AWAITING, 0


def consultation_label(state: str, left: int) -> str:
    if state != OPEN:
        return state
    return f"{OPEN}（今天截止）" if left == 1 else f"{OPEN}（还剩 {left} 天）"


@dataclass
class DecisionItem(Model):
    """One 重大行政决策事项 of a year's 目录."""

    no: int  # 序号
    id: str  # 事项代码: its page's address and what consultations name
    name: str  # 事项名称
    bodies: list[Organisation]  # 承办单位
    basis: str  # 决策依据
    planned: str  # 计划完成时间, as written (2027年6月, 2027年上半年)
    procedures: list[str]  # the state of each of DECISION_PROCEDURES, in that order
    state: str  # one of DECISION_STATES
    result: str = ""  # id of the document that records the decision
    note: str = ""  # 备注
    line: int = 0
    result_line: int = 0
    in_catalogue: "DecisionCatalogue | None" = None

    @property
    def url(self) -> str:
        return f"{self.in_catalogue.url}{self.id}/" if self.in_catalogue else ""

    @property
    def done(self) -> int:
        return sum(1 for state in self.procedures if state in ("已完成", "不适用"))

    @property
    def shown(self) -> str:
        """What a list of 事项 shows of one (a body page): compared by the pages that list it."""
        catalogue = self.in_catalogue
        return "\x1f".join([self.url, self.name, self.planned, self.state, str(self.done), str(self.no),
                            str(catalogue.year) if catalogue else "", str(catalogue.sample) if catalogue else ""])


@dataclass
class DecisionCatalogue(Model):
    """重大行政决策事项目录 of one year: content/decisions/<year>.yaml."""

    id: str  # the year, as the file is named
    path: Path
    year: int
    title: str
    published: date  # 公布日期
    items: list[DecisionItem]
    sample: bool = False
    lines: dict = field(default_factory=dict)
    digest: str = ""
    listed_digest: str = ""

    @property
    def url(self) -> str:
        return f"/decisions/{self.id}/"


@dataclass
class Content(Model):
    """Everything loaded from content/."""

    root: Path
    documents: list[Document] = field(default_factory=list)
    interpretations: list[Interpretation] = field(default_factory=list)
    task_tables: list[TaskTable] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)  # 政府信息公开工作年度报告
    catalogue: list[CatalogueArea] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)  # 意见征集
    decisions: list[DecisionCatalogue] = field(default_factory=list)  # 重大行政决策事项目录, one per year
    unloaded: set[str] = field(default_factory=set)  # ids of documents whose file has errors
    load_hits: int = 0  # files taken from the load cache
    load_misses: int = 0

    @property
    def by_kind(self) -> tuple[list, ...]:
        """The lists in the order of load.DOCUMENTS, INTERPRETATIONS, TASK_TABLES, PAGES, REPORTS, CATALOGUES,
        CONSULTATIONS, DECISIONS."""
        return (self.documents, self.interpretations, self.task_tables, self.pages, self.reports, self.catalogue,
                self.consultations, self.decisions)

    def document(self, doc_id: str) -> Document | None:
        # Rebuilt when documents were added; keyed on the list's length, not the index's, which
        # is shorter when two files share an id (an error, but the build must still get to it).
        count, index = self.__dict__.get("_by_id", (-1, None))
        if count != len(self.documents):
            index = {d.id: d for d in reversed(self.documents)}
            self.__dict__["_by_id"] = (len(self.documents), index)
        return index.get(doc_id)
