"""config.yaml's `apply:` section: the 依申请公开 guide's 受理机构 and how to reach each (model/apply_guide.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config_values import Reader, check_keys, shown
from .source import Mapping, Sequence
from .vocab import ORGANISATION_TYPES, Organisation, Vocabulary, suggestion_text


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


def _office(read: Reader, node, where: str) -> dict:
    """The contact fields a mapping gives, checked; empty ones left out."""
    check_keys(read, node, set(OFFICE_FIELDS) | ({"body"} if "body" in node else set()), where)
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


def read_apply(read: Reader, data: Mapping, organisations: Vocabulary[Organisation]) -> ApplyOptions | None:
    """The 依申请公开 section: the default 受理机构, the bodies that take applications themselves,
    and which bodies the guide lists. A listed body whose 受理机构 lacks contact data is a warning:
    the guide still says whom to apply to, only less completely."""
    node = read.section(data, "apply", "依申请公开设置", APPLY_KEYS)
    if node is None:
        return None
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


def _apply_body(read: Reader, node: Mapping, key: str, name: str, where: str,
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


def _warn_missing_contacts(read: Reader, node: Mapping, default: ApplyOffice, desks, overrides) -> None:
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
