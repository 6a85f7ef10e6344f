"""config.yaml: site options and the controlled vocabularies, validated into typed objects.

Each option is checked where it is read and a problem names the key, its line and what was
expected, so the rest of the build never sees a raw dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Problems
from .characters import PIECE as SEARCHABLE
from .reading import read_text
from .source import Mapping, Sequence, YamlInvalid, parse_yaml
from .vocab import ORGANISATION_TYPES, Organisation, Term, Topic, Vocabulary
from .config_apply import ApplyOptions, read_apply
from .config_desk import DeskOptions, read_desk
from .config_values import (BASE_PATH_EXAMPLE, BASE_URL_EXAMPLE, Reader, base_path_problem, base_url_problem,
                            check_keys, normalise_base_path, shown)



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
    read = Reader(path, problems)
    before = len(problems.errors)
    check_keys(read, data, {"site", "bodies", "topics", "kinds", "validity", "interpretation_forms", "synonyms",
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
    config.apply = read_apply(read, data, config.organisations)
    config.feedback_days = _participation(read, data)
    config.desk = read_desk(read, data)
    missing = {"有效", "失效", "废止"} - {t.name for t in config.validity}
    if missing and "validity" in data:
        read.error(data, "validity", f"有效性词表缺少：{'、'.join(sorted(missing))}", "有效性必须包含 有效、失效、废止")
    return config if len(problems.errors) == before else None


def _site(read: Reader, node, parent: Mapping) -> SiteOptions:
    if not isinstance(node, Mapping):
        read.error(parent, "site", "缺少站点设置“site”", "参照项目自带的 config.yaml 填写 site")
        node = Mapping()
        node.line, node.key_lines = 0, {}
    check_keys(read, node, set(SiteOptions.__dataclass_fields__), "site")
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


def _organisations(read: Reader, data: Mapping) -> Vocabulary[Organisation]:
    vocab: Vocabulary[Organisation] = Vocabulary()
    slugs: set[str] = set()
    allowed = {"name", "slug", "type", "aliases", "groups", "member_types"}
    items = read.mapping_list(data, "bodies", "发布机构和责任单位")
    for item in items:
        where = f"单位“{item.get('name', '')}”"
        check_keys(read, item, allowed, where)
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


def _topics(read: Reader, data: Mapping) -> Vocabulary[Topic]:
    vocab: Vocabulary[Topic] = Vocabulary()
    top_slugs: set[str] = set()
    for item in read.mapping_list(data, "topics", "主题分类"):
        check_keys(read, item, {"name", "slug", "children"}, "主题分类")
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


def _synonyms(read: Reader, data: Mapping) -> list[tuple[str, ...]]:
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


def _terms(read: Reader, data: Mapping, key: str, label: str) -> Vocabulary[Term]:
    vocab: Vocabulary[Term] = Vocabulary()
    for item in read.mapping_list(data, key, label):
        check_keys(read, item, {"name", "slug", "aliases"}, label)
        term = Term(read.text(item, "name", label), read.slug(item, label), read.names(item, "aliases", label))
        for clash in vocab.add(term, (term.name, *term.aliases)):
            read.error(item, "name", f"{label}“{clash}”重复", "删去重复的一项")
    return vocab


def _participation(read: Reader, data: Mapping) -> int:
    """participation: the days a consultation may stay without feedback after it closes."""
    node = read.section(data, "participation", "公众参与设置", {"feedback_days"},
                        "写成 participation: 换行 feedback_days: 30")
    if node is None:
        return FEEDBACK_DAYS
    return read.integer(node, "feedback_days", "participation", FEEDBACK_DAYS)
