"""config.yaml's values as the reader checks them: the typed reader that names the key and line of
a problem, the allowed keys of a section, and the site address and path (also checked on the
command line)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problems
from .source import Mapping, Sequence


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


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


class Reader:
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

    def section(self, data: Mapping, key: str, label: str, allowed: set[str], fix: str = "") -> Mapping | None:
        """An optional section of config.yaml (`key:` with fields under it), its unknown fields said;
        None when it is absent, or is not fields (said too)."""
        node = data.get(key)
        if node is None:
            return None
        if not isinstance(node, Mapping):
            self.error(data, key, f"{label}“{key}”应是“字段: 值”的形式", fix or f"参照项目自带的 config.yaml 填写 {key}")
            return None
        check_keys(self, node, allowed, key)
        return node

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


def check_keys(read: Reader, node: Mapping, allowed: set[str], where: str) -> None:
    import difflib

    for key in node:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            fix = f"是不是“{close[0]}”？" if close else f"可用的字段：{'、'.join(sorted(allowed))}"
            read.error(node, key, f"{where}中有未知字段“{key}”", fix)
