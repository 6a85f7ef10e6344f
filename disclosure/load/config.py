"""config.yaml: site options and the controlled vocabularies, validated into typed objects.

Each option is checked where it is read and a problem names the key, its line and what was
expected, so the rest of the build never sees a raw dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Problems
from .characters import PIECE as SEARCHABLE
from .reading import read_text
from .source import Mapping, Sequence, YamlInvalid, parse_yaml
from .vocab import ORGANISATION_TYPES, Organisation, Term, Topic, Vocabulary, suggestion_text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@dataclass(frozen=True)
class SiteOptions:
    name: str
    column: str
    organisation: str
    description: str
    base_url: str
    base_path: str
    site_id_code: str = ""
    page_size: int = 20
    latest_count: int = 10

    @property
    def origin_url(self) -> str:
        """Absolute URL of the column's root, e.g. https://example.gov.cn/xxgk/."""
        return self.base_url.rstrip("/") + self.base_path


FEEDBACK_DAYS = 30  # participation.feedback_days when not set


@dataclass
class Config:
    path: Path
    site: SiteOptions
    organisations: Vocabulary[Organisation]  # config.yaml: bodies
    topics: Vocabulary[Topic]
    kinds: Vocabulary[Term]
    validity: Vocabulary[Term]
    interpretation_forms: list[str] = field(default_factory=list)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)  # words a search takes for each other
    apply: "ApplyOptions | None" = None  # 依申请公开: the guide's 受理机构 (None: no guide, no form)
    # 意见征集: a consultation closed longer than this without feedback is warned about.
    feedback_days: int = FEEDBACK_DAYS
    desk: "DeskOptions | None" = None  # the editing desk at /admin/ (None: no desk is built)

    def organisation_by_slug(self, slug: str) -> Organisation:
        return next(organisation for organisation in self.organisations if organisation.slug == slug)

    def groups_of(self, organisation: Organisation) -> list[Organisation]:
        """The groups (统称 such as 各部门) an organisation belongs to, in config order."""
        return [
            group
            for group in self.organisations
            if group.is_group
            and not organisation.is_group
            and (group.slug in organisation.groups or organisation.type in group.member_types)
        ]

    def with_base(self, base_url: str | None, base_path: str | None) -> "Config":
        """The site at another address (--base-url, --base-path; checked by the command line)."""
        for problem in (base_url and base_url_problem(base_url), base_path and base_path_problem(base_path)):
            if problem:
                raise ValueError(problem)
        site = self.site
        if base_url:
            site = replace(site, base_url=base_url.strip().rstrip("/"))
        if base_path:
            site = replace(site, base_path=normalise_base_path(base_path))
        return replace(self, site=site)


def normalise_base_path(path: str) -> str:
    path = "/" + path.strip().strip("/")
    return path if path == "/" else path + "/"


# base_url and base_path are written into every page (href, src, canonical links, feeds, the
# sitemap and the exports): only plain ASCII web addresses may go there, nothing that could end
# an HTML attribute, start a script URL or make a link point elsewhere.
URL_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
                      r"|\[[0-9a-f:.]+\]", re.IGNORECASE)
PATH_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
BASE_URL_EXAMPLE = "写成 https://www.example.gov.cn（只写协议和域名，子路径写在 base_path 中）"
BASE_PATH_EXAMPLE = "写成以 / 开头和结尾的路径，每一级只用英文字母、数字和 - _ . ~，如 /xxgk/"


def shown(value: str, limit: int = 80) -> str:
    """A value as a message may quote it: control characters made visible, long ones cut."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return text if len(text) <= limit else text[:limit] + "…"


def _bad_character(value: str) -> str:
    for char in value:
        if not char.isprintable() or char.isspace():
            return f"含有空白或控制字符“{shown(char)}”"
        if not char.isascii():
            return f"含有非 ASCII 字符“{char}”（网址里只能用英文字母、数字和符号）"
        if char in "\"'`<>\\{}|^%":
            return f"含有不能出现在网址中的字符“{char}”"
    return ""


def base_url_problem(value: str) -> str:
    """Why `value` cannot be the site's base_url, or "" if it can."""
    value = value.strip()
    if not value:
        return "是空的"
    bad = _bad_character(value)
    if bad:
        return bad + ("；中文域名请写成 xn-- 开头的形式" if "ASCII" in bad else "")
    scheme, _, rest = value.partition("://")
    if scheme not in ("http", "https") or not rest:
        return "不是以 http:// 或 https:// 开头的网址"
    if "?" in rest or "#" in rest:
        return "不能带查询参数（?）或片段（#）"
    authority, _, path = rest.partition("/")
    if path:
        return "不能带路径（子路径写在 base_path 中）"
    if "@" in authority:
        return "不能带用户名或密码（@）"
    host, port = authority, None
    if ":" in authority and not authority.endswith("]"):
        host, _, port = authority.rpartition(":")
    if not URL_HOST.fullmatch(host):
        return f"的域名“{host}”不合规"
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        return f"的端口“{port}”不是 1 到 65535 之间的数"
    return ""


def base_path_problem(value: str) -> str:
    """Why `value` cannot be the site's base_path, or "" if it can."""
    value = value.strip()
    if not value:
        return "是空的"
    bad = _bad_character(value)
    if bad:
        return bad
    inner = value.strip("/")
    for segment in inner.split("/") if inner else []:
        if segment in ("", ".", ".."):
            return "含有空的一级、“.”或“..”"
        if not PATH_SEGMENT.fullmatch(segment):
            return f"的“{segment}”含有英文字母、数字和 - _ . ~ 以外的字符"
    return ""


class _Reader:
    """Reads typed values out of a YAML mapping, reporting problems by key and line."""

    def __init__(self, path: Path, problems: Problems):
        self.path, self.problems = path, problems

    def error(self, node, key, message, fix=""):
        line = node.line_of(key) if isinstance(node, (Mapping, Sequence)) else 0
        self.problems.add(self.path, line, message, fix)

    def text(self, node: Mapping, key: str, where: str, required=True, default="") -> str:
        value = node.get(key)
        if value is None or value == "":
            if required:
                self.error(node, key, f"{where}缺少“{key}”", f"请填写 {key}")
            return default
        if isinstance(value, (Mapping, Sequence, bool)):
            self.error(node, key, f"{where}的“{key}”应是一段文字", f"写成 {key}: 文字")
            return default
        return str(value).strip()

    def integer(self, node: Mapping, key: str, where: str, default: int, minimum=1) -> int:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(node, key, f"{where}的“{key}”应是不小于 {minimum} 的整数", f"例如 {key}: {default}")
            return default
        return value

    def slug(self, node: Mapping, where: str) -> str:
        value = self.text(node, "slug", where)
        if value and not SLUG.match(value):
            self.error(node, "slug", f"{where}的 slug“{value}”不合规",
                       "只能用小写英文字母、数字和连字符，如 caizhengju")
        return value

    def names(self, node: Mapping, key: str, where: str) -> tuple[str, ...]:
        value = node.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.error(node, key, f"{where}的“{key}”应是名称列表", f"写成 {key}: [名称一, 名称二]")
            return ()
        return tuple(str(v).strip() for v in value)

    def mapping_list(self, node: Mapping, key: str, where: str) -> list[Mapping]:
        value = node.get(key)
        if not isinstance(value, Sequence) or not value:
            self.error(node, key, f"缺少{where}列表“{key}”，或它是空的", f"请在 config.yaml 中填写 {key}")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                items.append(item)
            else:
                self.problems.add(self.path, value.line_of(index), f"{where}的每一项应写成“name: 名称”等字段",
                                  "参照同一列表中的其他项")
        return items


def load_config(path: Path, problems: Problems) -> Config | None:
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        data = parse_yaml(path, text, problems)
    except YamlInvalid:
        return None
    if not isinstance(data, Mapping):
        problems.add(path, 1, "config.yaml 应是“字段: 值”的形式", "参照项目自带的 config.yaml")
        return None
    read = _Reader(path, problems)
    before = len(problems.errors)
    _check_keys(read, data, {"site", "bodies", "topics", "kinds", "validity", "interpretation_forms", "synonyms",
                            "apply", "participation",
                            "desk"}, "config.yaml")
    site = _site(read, data.get("site"), data)
    config = Config(
        path=path,
        site=site,
        organisations=_organisations(read, data),
        topics=_topics(read, data),
        kinds=_terms(read, data, "kinds", "公文种类"),
        validity=_terms(read, data, "validity", "有效性"),
        interpretation_forms=list(read.names(data, "interpretation_forms", "解读形式")),
        synonyms=_synonyms(read, data),
    )
    config.apply = _apply(read, data, config.organisations)
    config.feedback_days = _participation(read, data)
    config.desk = _desk(read, data)
    missing = {"有效", "失效", "废止"} - {t.name for t in config.validity}
    if missing and "validity" in data:
        read.error(data, "validity", f"有效性词表缺少：{'、'.join(sorted(missing))}", "有效性必须包含 有效、失效、废止")
    return config if len(problems.errors) == before else None


def _check_keys(read: _Reader, node: Mapping, allowed: set[str], where: str) -> None:
    import difflib

    for key in node:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            fix = f"是不是“{close[0]}”？" if close else f"可用的字段：{'、'.join(sorted(allowed))}"
            read.error(node, key, f"{where}中有未知字段“{key}”", fix)


def _site(read: _Reader, node, parent: Mapping) -> SiteOptions:
    if not isinstance(node, Mapping):
        read.error(parent, "site", "缺少站点设置“site”", "参照项目自带的 config.yaml 填写 site")
        node = Mapping()
        node.line, node.key_lines = 0, {}
    _check_keys(read, node, set(SiteOptions.__dataclass_fields__), "site")
    where = "站点设置"
    base_url = read.text(node, "base_url", where)
    problem = base_url and base_url_problem(base_url)
    if problem:
        read.error(node, "base_url", f"base_url“{shown(base_url)}”{problem}", BASE_URL_EXAMPLE)
        base_url = ""
    base_path = read.text(node, "base_path", where, required=False, default="/")
    problem = base_path_problem(base_path)
    if problem:
        read.error(node, "base_path", f"base_path“{shown(base_path)}”{problem}", BASE_PATH_EXAMPLE)
        base_path = "/"
    return SiteOptions(
        name=read.text(node, "name", where),
        column=read.text(node, "column", where, required=False, default="政府信息公开专栏"),
        organisation=read.text(node, "organisation", where),
        description=read.text(node, "description", where, required=False),
        base_url=base_url.rstrip("/"),
        base_path=normalise_base_path(base_path),
        site_id_code=read.text(node, "site_id_code", where, required=False),
        page_size=read.integer(node, "page_size", where, 20),
        latest_count=read.integer(node, "latest_count", where, 10),
    )


def _organisations(read: _Reader, data: Mapping) -> Vocabulary[Organisation]:
    vocab: Vocabulary[Organisation] = Vocabulary()
    slugs: set[str] = set()
    allowed = {"name", "slug", "type", "aliases", "groups", "member_types"}
    items = read.mapping_list(data, "bodies", "发布机构和责任单位")
    for item in items:
        where = f"单位“{item.get('name', '')}”"
        _check_keys(read, item, allowed, where)
        organisation_type = read.text(item, "type", where)
        if organisation_type and organisation_type not in ORGANISATION_TYPES:
            read.error(item, "type", f"{where}的类型“{organisation_type}”不认识", f"可选：{'、'.join(ORGANISATION_TYPES)}")
        organisation = Organisation(
            name=read.text(item, "name", "单位"),
            slug=read.slug(item, where),
            type=organisation_type if organisation_type in ORGANISATION_TYPES else "department",
            aliases=read.names(item, "aliases", where),
            groups=read.names(item, "groups", where),
            member_types=read.names(item, "member_types", where),
        )
        if organisation.slug in slugs:
            read.error(item, "slug", f"slug“{organisation.slug}”已被另一个单位使用", "每个单位的 slug 必须不同")
        slugs.add(organisation.slug)
        for clash in vocab.add(organisation, (organisation.name, *organisation.aliases)):
            read.error(item, "aliases", f"名称“{clash}”同时属于两个单位", "一个名称只能指向一个单位，请删去其中一处")
    group_slugs = {b.slug for b in vocab if b.is_group}
    for item, organisation in zip(items, vocab):
        for group in organisation.groups:
            if group not in group_slugs:
                read.error(item, "groups", f"单位“{organisation.name}”所属统称“{group}”不存在",
                           "groups 里写统称（type: group）的 slug")
        for member_type in organisation.member_types:
            if member_type not in ORGANISATION_TYPES:
                read.error(item, "member_types", f"类型“{member_type}”不认识", f"可选：{'、'.join(ORGANISATION_TYPES)}")
    return vocab


def _topics(read: _Reader, data: Mapping) -> Vocabulary[Topic]:
    vocab: Vocabulary[Topic] = Vocabulary()
    top_slugs: set[str] = set()
    for item in read.mapping_list(data, "topics", "主题分类"):
        _check_keys(read, item, {"name", "slug", "children"}, "主题分类")
        top = Topic(read.text(item, "name", "主题分类"), read.slug(item, "主题分类"))
        if top.slug in top_slugs:
            read.error(item, "slug", f"主题 slug“{top.slug}”重复", "每个一级主题的 slug 必须不同")
        top_slugs.add(top.slug)
        for clash in vocab.add(top, (top.name,)):
            read.error(item, "name", f"主题“{clash}”重复", "删去重复的主题")
        children = item.get("children") or []
        child_slugs: set[str] = set()
        for index, child in enumerate(children if isinstance(children, list) else []):
            if not isinstance(child, Mapping):
                read.problems.add(read.path, children.line_of(index), "二级主题应写成 {name: 名称, slug: 英文}", "")
                continue
            sub = Topic(read.text(child, "name", "二级主题"), read.slug(child, "二级主题"), top.name, top.slug)
            if sub.slug in child_slugs:
                read.error(child, "slug", f"二级主题 slug“{sub.slug}”在“{top.name}”下重复", "同一一级主题下 slug 必须不同")
            child_slugs.add(sub.slug)
            for clash in vocab.add(sub, (f"{top.name}/{sub.name}",)):
                read.error(child, "name", f"主题“{clash}”重复", "删去重复的主题")
    return vocab


def _synonyms(read: _Reader, data: Mapping) -> list[tuple[str, ...]]:
    """Groups of words a search takes for each other (低保 ↔ 最低生活保障), each word in one group."""
    value = data.get("synonyms")
    if value is None:
        return []
    example = "写成 synonyms: 下面每行一组，如 - [低保, 最低生活保障]"
    if not isinstance(value, Sequence) or isinstance(value, str):
        read.error(data, "synonyms", "config.yaml 的“synonyms”应是同义词组的列表", example)
        return []
    groups, owner = [], {}
    for index, group in enumerate(value):
        line = value.line_of(index)
        words = [str(w).strip() for w in group] if isinstance(group, Sequence) and not isinstance(group, str) else None
        if words is None or not all(isinstance(w, (str, int)) and not isinstance(w, bool) for w in group):
            read.problems.add(read.path, line, f"第 {index + 1} 组同义词应写成 [词一, 词二]", example)
            continue
        if len(set(words)) < 2:
            read.problems.add(read.path, line, f"第 {index + 1} 组同义词应至少有两个不同的词", example)
            continue
        bad = [w for w in words if not SEARCHABLE.search(w)]
        if bad:
            read.problems.add(read.path, line, f"同义词“{shown(bad[0])}”中没有汉字、字母或数字", "请删去它，或改成要搜索的词")
            continue
        for word in words:
            if owner.setdefault(word, index) != index:
                read.problems.add(read.path, line, f"同义词“{shown(word)}”同时属于第 {owner[word] + 1} 组和第 {index + 1} 组",
                                  "一个词只能属于一组：请把这两组合并，或删去其中一处")
        groups.append(tuple(dict.fromkeys(words)))
    return groups


def _terms(read: _Reader, data: Mapping, key: str, label: str) -> Vocabulary[Term]:
    vocab: Vocabulary[Term] = Vocabulary()
    for item in read.mapping_list(data, key, label):
        _check_keys(read, item, {"name", "slug", "aliases"}, label)
        term = Term(read.text(item, "name", label), read.slug(item, label), read.names(item, "aliases", label))
        for clash in vocab.add(term, (term.name, *term.aliases)):
            read.error(item, "name", f"{label}“{clash}”重复", "删去重复的一项")
    return vocab


def _participation(read: _Reader, data: Mapping) -> int:
    """participation: the days a consultation may stay without feedback after it closes."""
    node = data.get("participation")
    if node is None:
        return FEEDBACK_DAYS
    if not isinstance(node, Mapping):
        read.error(data, "participation", "公众参与设置“participation”应是“字段: 值”的形式",
                   "写成 participation: 换行 feedback_days: 30")
        return FEEDBACK_DAYS
    _check_keys(read, node, {"feedback_days"}, "participation")
    return read.integer(node, "feedback_days", "participation", FEEDBACK_DAYS)


# --- 依申请公开 (apply:) ---------------------------------------------------------------------------

# The contact data of a 受理机构, in the order the guide's table and the form print them.
OFFICE_FIELDS = {
    "name": "受理机构名称", "address": "办公地址", "mail_address": "邮寄地址", "postcode": "邮政编码",
    "recipient": "收件人", "phone": "联系电话", "fax": "传真", "hours": "办公时间", "email": "电子邮箱",
}
# What a reader needs to hand in or post an application and to ask about it; fax is optional and
# the postal address is the office's address unless given.
OFFICE_REQUIRED = ("name", "address", "postcode", "recipient", "phone", "hours", "email")
# What a body's own 受理机构 takes from the default when it does not say: the postcode and the
# office hours are usually the district's; its name, address, phone, fax and e-mail are its own.
OFFICE_INHERITED = ("postcode", "hours")
POSTCODE = re.compile(r"^[0-9]{6}\Z")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
APPLY_KEYS = {"sample", "list_types", "list_bodies", "office", "offices"}


@dataclass(frozen=True)
class ApplyOffice:
    """A 受理机构 (the 政府信息公开工作机构 that receives applications) and how to reach it."""

    name: str = ""
    address: str = ""
    mail_address: str = ""  # where applications are posted, when not the office's address
    postcode: str = ""
    recipient: str = ""  # 收件人 on the envelope
    phone: str = ""
    fax: str = ""
    hours: str = ""
    email: str = ""

    @property
    def postal_address(self) -> str:
        return self.mail_address or self.address

    def missing(self) -> list[str]:
        return [key for key in OFFICE_REQUIRED if not getattr(self, key)]

    def own(self, given: dict) -> "ApplyOffice":
        """A body's own 受理机构: the fields it gives, the postcode and hours from this default."""
        return ApplyOffice(**{**{key: getattr(self, key) for key in OFFICE_INHERITED}, **given})


@dataclass(frozen=True)
class ApplyDesk:
    """One row of the guide: a body and the 受理机构 that receives applications for it."""

    body: Organisation
    office: ApplyOffice
    own: bool  # the body takes applications itself (apply.offices); otherwise the default office


@dataclass(frozen=True)
class ApplyOptions:
    sample: bool
    office: ApplyOffice  # the default 受理机构, printed on the form
    desks: tuple[ApplyDesk, ...]  # the bodies the guide lists, in the order of bodies:
    list_types: tuple[str, ...] = ()
    list_bodies: tuple[str, ...] = ()

    def digest_text(self) -> str:
        """What the guide and the form show from config.yaml, for their outputs' keys."""
        return repr(self)


def _office(read: _Reader, node, where: str) -> dict:
    """The contact fields a mapping gives, checked; empty ones left out."""
    _check_keys(read, node, set(OFFICE_FIELDS) | ({"body"} if "body" in node else set()), where)
    values = {}
    for key in OFFICE_FIELDS:
        value = read.text(node, key, where, required=False)
        if key == "postcode" and value and not POSTCODE.match(value):
            read.error(node, key, f"{where}的邮政编码“{shown(value)}”不是 6 位数字", "写成 postcode: \"250000\"")
            value = ""
        if key == "email" and value and not EMAIL.match(value):
            read.error(node, key, f"{where}的电子邮箱“{shown(value)}”不合规", "写成 email: xxgk@example.gov.cn")
            value = ""
        if value:
            values[key] = value
    return values


def _apply(read: _Reader, data: Mapping, organisations: Vocabulary[Organisation]) -> ApplyOptions | None:
    """The 依申请公开 section: the default 受理机构, the bodies that take applications themselves,
    and which bodies the guide lists. A listed body whose 受理机构 lacks contact data is a warning:
    the guide still says whom to apply to, only less completely."""
    node = data.get("apply")
    if node is None:
        return None
    if not isinstance(node, Mapping):
        read.error(data, "apply", "依申请公开设置“apply”应是“字段: 值”的形式", "参照项目自带的 config.yaml 填写 apply")
        return None
    _check_keys(read, node, APPLY_KEYS, "apply")
    sample = node.get("sample", False)
    if not isinstance(sample, bool):
        read.error(node, "sample", "apply 的“sample”应是 true 或 false", "联系方式是示例时写 sample: true，真实时删去这一行")
        sample = False
    default_node = node.get("office")
    if not isinstance(default_node, Mapping):
        read.error(node, "office", "依申请公开设置缺少默认受理机构“office”，或它不是“字段: 值”的形式",
                   "在 apply 下写 office:，再逐项写 name、address、postcode、recipient、phone、hours、email")
        default_node = Mapping()
        default_node.line, default_node.key_lines = node.line_of("office"), {}
    default = ApplyOffice(**_office(read, default_node, "默认受理机构（apply.office）"))

    types = read.names(node, "list_types", "apply")
    for kind in types:
        if kind not in ORGANISATION_TYPES or kind == "group":
            read.error(node, "list_types", f"apply.list_types 中的类型“{shown(kind)}”不认识",
                       f"可选：{'、'.join(t for t in ORGANISATION_TYPES if t != 'group')}")
    listed: dict[str, int] = {}  # body slug → the line that lists it
    bodies = read.names(node, "list_bodies", "apply")
    for name in bodies:
        body = _apply_body(read, node, "list_bodies", name, "apply.list_bodies", organisations)
        if body is not None:
            listed.setdefault(body.slug, node.line_of("list_bodies"))

    overrides: dict[str, tuple[dict, int]] = {}
    offices = node.get("offices")
    if offices is not None and not isinstance(offices, Sequence):
        read.error(node, "offices", "apply.offices 应是单位列表", "每项写成 - body: 单位名称，再写与默认受理机构不同的项")
        offices = []
    for index, item in enumerate(offices or []):
        line = offices.line_of(index)
        if not isinstance(item, Mapping):
            read.problems.add(read.path, line, "apply.offices 的每一项应写成“body: 单位名称”等字段", "参照同一列表中的其他项")
            continue
        name = read.text(item, "body", "apply.offices 的一项")
        body = _apply_body(read, item, "body", name, "apply.offices", organisations) if name else None
        values = _office(read, item, f"apply.offices 中“{name}”的受理机构")
        if body is None:
            continue
        if body.slug in overrides:
            read.error(item, "body", f"单位“{body.name}”在 apply.offices 中写了两次", "合并成一项")
            continue
        overrides[body.slug] = (values, line)
        listed.setdefault(body.slug, line)

    desks = []
    for body in organisations:
        if body.is_group or not (body.slug in listed or body.type in types):
            continue
        own = body.slug in overrides
        desks.append(ApplyDesk(body, default.own(overrides[body.slug][0]) if own else default, own))
    _warn_missing_contacts(read, node, default, desks, overrides)
    return ApplyOptions(sample, default, tuple(desks), tuple(types), bodies)


def _apply_body(read: _Reader, node: Mapping, key: str, name: str, where: str,
                vocab: Vocabulary[Organisation]) -> Organisation | None:
    """A body named by its name, an alias or its slug; a group takes no applications."""
    body = vocab.get(name) or next((b for b in vocab if b.slug == name), None)
    if body is None:
        read.error(node, key, f"{where} 中的单位“{shown(name)}”不在 config.yaml 的 bodies 中",
                   suggestion_text(vocab.suggest(name)) or "写 bodies 中的单位名称、别名或 slug")
        return None
    if body.is_group:
        read.error(node, key, f"{where} 中的“{name}”是统称，不是受理申请的机关", "写具体的单位名称")
        return None
    return body


def _warn_missing_contacts(read: _Reader, node: Mapping, default: ApplyOffice, desks, overrides) -> None:
    """One warning per line and set of missing fields, naming the listed bodies it concerns. The
    default office is printed on the application form: its gaps count even when no body uses it."""
    found: dict[tuple[int, bool, tuple[str, ...]], list[str]] = {}
    for desk in desks:
        missing = tuple(desk.office.missing())
        if missing:
            line = overrides[desk.body.slug][1] if desk.own else node.line_of("office")
            found.setdefault((line, desk.own, missing), []).append(desk.body.name)
    if default.missing() and not any(not desk.own for desk in desks):
        found[(node.line_of("office"), False, tuple(default.missing()))] = []
    for (line, own, missing), names in sorted(found.items()):
        listed = "、".join(f"“{name}”" for name in names[:5]) + (f"等 {len(names)} 个单位" if len(names) > 5 else "")
        labels = "、".join(f"{OFFICE_FIELDS[key]}（{key}）" for key in missing)
        where = "在 apply.offices 中它的一项里" if own else "在默认受理机构 apply.office 中"
        what = f"依申请公开指南列出{listed}，但其受理机构" if names else "申请表上印的默认受理机构"
        read.problems.warn(read.path, line, f"{what}缺少{labels}",
                           f"{where}填写这些项；在此之前，指南和申请表上这些项显示为“未提供”")


# --- the editing desk (/admin/, render/desk.py) ---------------------------------------------------

DESK_BACKENDS = ("github", "gitlab", "gitea")
REPO = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+\Z")
BRANCH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\Z")


@dataclass(frozen=True)
class DeskOptions:
    """Where the editing desk commits: a repository on GitHub, GitLab or Gitea. `host` is the
    address of a self-hosted GitLab or Gitea (empty: gitlab.com, or github.com)."""

    backend: str
    repo: str
    branch: str = "main"
    host: str = ""
    app_id: str = ""  # the OAuth application's client id, for signing in to GitLab or Gitea (PKCE)
    oauth: str = ""  # GitHub: the address of the OAuth gateway that signs editors in (Decap's base_url)


def _desk(read: _Reader, data: Mapping) -> DeskOptions | None:
    node = data.get("desk")
    if node is None:
        return None
    if not isinstance(node, Mapping):
        read.error(data, "desk", "编辑台设置“desk”应是“字段: 值”的形式", "参照项目自带的 config.yaml 填写 desk")
        return None
    _check_keys(read, node, set(DeskOptions.__dataclass_fields__), "desk")
    where = "编辑台设置 desk"
    backend = read.text(node, "backend", where)
    if backend and backend not in DESK_BACKENDS:
        read.error(node, "backend", f"{where}的 backend“{shown(backend)}”不认识", "可选：" + "、".join(DESK_BACKENDS))
    repo = read.text(node, "repo", where)
    if repo and not REPO.match(repo):
        read.error(node, "repo", f"{where}的 repo“{shown(repo)}”不是仓库名", "写成 所有者/仓库名，如 xxgk/zhuanlan")
    branch = read.text(node, "branch", where, required=False, default="main")
    if not BRANCH.match(branch) or ".." in branch:
        read.error(node, "branch", f"{where}的 branch“{shown(branch)}”不是分支名", "写成 branch: main")
    host = read.text(node, "host", where, required=False).rstrip("/")
    problem = host and base_url_problem(host)
    if problem:
        read.error(node, "host", f"{where}的 host“{shown(host)}”{problem}", "写成 host: https://git.example.gov.cn")
    if host and backend == "github":
        read.error(node, "host", f"{where}的 host 只用于自建的 GitLab 或 Gitea", "backend 是 github 时删去 host")
    app_id = read.text(node, "app_id", where, required=False)
    if app_id and not re.fullmatch(r"[A-Za-z0-9_.-]{1,200}", app_id):
        read.error(node, "app_id", f"{where}的 app_id“{shown(app_id)}”不合规", "照抄 GitLab 或 Gitea 中 OAuth 应用的 Client ID")
    oauth = read.text(node, "oauth", where, required=False).rstrip("/")
    problem = oauth and base_url_problem(oauth)
    if problem:
        read.error(node, "oauth", f"{where}的 oauth“{shown(oauth)}”{problem}", "写成 oauth: https://oauth.example.gov.cn")
        oauth = ""
    if oauth and backend != "github":
        read.error(node, "oauth", f"{where}的 oauth 只用于 GitHub", "GitLab、Gitea 用 app_id 登录，删去 oauth")
    return DeskOptions(backend, repo, branch, host, app_id, oauth)
