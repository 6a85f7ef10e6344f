"""Reading an editor's file: encoding, front matter and YAML with the line of every key.

Editors copy text out of Word and PDF on Windows, so a UTF-8 BOM and CRLF line endings are
accepted silently, while a file saved as GBK is reported with the encoding it looks like.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problems


class Mapping(dict):
    """A YAML mapping that remembers the line of each key (1-based, in the file)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence that remembers the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class DuplicateKey(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader that records positions, rejects duplicate keys and leaves dates as text.

    Dates stay strings so that an impossible date (2022-02-30) becomes a clear validation
    message instead of an exception inside the YAML library.
    """

    line_offset = 0
    newlines: list = []  # indices of "\n" in the text, to turn a position into a line


# Only the scalars this content model uses are typed: null, YAML 1.2 booleans and plain integers.
# Everything else stays text exactly as written: in YAML 1.1 `no` (序号) and `on`/`off` read as
# booleans, `0531` as an octal number, `9:30` as 570 and `1.10` as 1.1, which would silently
# change what an editor typed.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# At most 18 digits: longer runs of digits are codes, not counts, and int() refuses very long ones.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$"), list("-+0123456789")
)


class UnsupportedTag(yaml.MarkedYAMLError):
    pass


def _compose_node(loader: _Loader, parent, index):
    # Explicit tags (!!int, !!timestamp, !!python/…) make the YAML library build values this
    # build does not expect, or fail inside it; editors never need them.
    event = loader.peek_event()
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        written = tag.replace("tag:yaml.org,2002:", "!!", 1)
        raise UnsupportedTag(None, None, f"不支持 YAML 标签“{written}”", event.start_mark)
    return yaml.composer.Composer.compose_node(loader, parent, index)


_Loader.compose_node = _compose_node


def _line(loader: _Loader, mark) -> int:
    """The file line of a mark, counting only \\n: YAML also breaks lines at U+0085 and U+2028,
    which Word pastes into text, and the editor's line numbers must match what they see."""
    return bisect.bisect_left(loader.newlines, mark.index) + 1 + loader.line_offset


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = _line(loader, node.start_mark)
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "字段名必须是简单的文字", key_node.start_mark
            )
        if key in result:
            raise DuplicateKey(None, None, f"字段“{key}”重复出现", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(loader, key_node.start_mark)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(loader, node.start_mark)
    result.item_lines = [_line(loader, child.start_mark) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same loader on libyaml, about fifty times faster. Used for files without "!" (so no
    explicit tags); anything it cannot read goes to _Loader, whose messages are the ones editors see."""

    line_offset = 0
    newlines: list = []


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

_STR, _NULL, _BOOL, _INT = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int"))
_MAP, _SEQ = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


class _NotSimple(Exception):
    """Something only the careful loader handles (merge keys, duplicates, odd tags)."""


def _build(node, loader, seen=None) -> object:
    """Values from composed nodes, without PyYAML's generic constructor (the slow part).

    A node met twice is an alias (*name): those, like everything unusual, go to the careful
    loader, which refuses alias bombs instead of expanding them."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        raise _NotSimple
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        if node.tag == _NULL:
            return None
        if node.tag == _BOOL:
            return node.value.lower() == "true"
        if node.tag == _INT:
            return int(node.value)
        raise _NotSimple
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        result = Sequence(_build(child, loader, seen) for child in node.value)
        result.line = _line(loader, node.start_mark)
        result.item_lines = [_line(loader, child.start_mark) for child in node.value]
        return result
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        result = Mapping()
        result.line = _line(loader, node.start_mark)
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node, loader, seen)
            if not isinstance(key_node, yaml.ScalarNode) or key in result or key == "<<":
                raise _NotSimple
            result[key] = _build(value_node, loader, seen)
            result.key_lines[key] = _line(loader, key_node.start_mark)
        return result
    raise _NotSimple


@dataclass
class SourceFile:
    path: Path
    text: str
    meta: Mapping | None = None
    body: str = ""
    body_line: int = 1  # line in the file where the Markdown body starts


def decode(path: Path, raw: bytes, problems: Problems) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.add(path, 1, "文件是 UTF-16 编码，不是 UTF-8", "请在编辑器中选择“另存为”，编码选 UTF-8 后保存")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(path, line, f"文件不是 UTF-8 编码（{_guess_encoding(raw)}）",
                     "请在编辑器中选择“另存为”，编码选 UTF-8 后保存")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(raw: bytes) -> str:
    for name, label in (("gb18030", "看起来是 GBK/GB18030 编码"), ("big5", "看起来是 Big5 编码")):
        try:
            raw.decode(name)
            return label
        except UnicodeDecodeError:
            continue
    return "无法识别的编码"


def read_text(path: Path, problems: Problems) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(path, 0, f"无法读取文件：{exc.strerror}", "请检查文件是否存在、是否有读取权限")
        return None
    return decode(path, raw, problems)


NEWLINE = re.compile("\n")


class YamlInvalid(Exception):
    """The YAML could not be read; the reason is already in the problems."""


def parse_yaml(path: Path, text: str, problems: Problems, line_offset: int = 0):
    """Parse YAML text, reporting errors at their line in the file; raises YamlInvalid."""
    tabbed = [number for number, line in enumerate(text.split("\n"), start=1 + line_offset)
              if "\t" in line[: len(line) - len(line.lstrip(" \t"))]]
    for number in tabbed:
        problems.add(path, number, "YAML 缩进里有制表符（Tab）", "请把行首的 Tab 换成空格（每级缩进两个空格）")
    if tabbed:
        raise YamlInvalid
    newlines = [match.start() for match in NEWLINE.finditer(text)]
    if "!" not in text:
        fast = _FastLoader(text)
        fast.line_offset, fast.newlines = line_offset, newlines
        try:
            node = fast.get_single_node()
            return None if node is None else _build(node, fast)
        except Exception:  # noqa: BLE001 - any doubt, and the careful loader reads it again
            pass
        finally:
            fast.dispose()
    loader = None
    try:
        loader = _Loader(text)
        loader.line_offset, loader.newlines = line_offset, newlines
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line = bisect.bisect_left(newlines, exc.position) + 1 + line_offset
        problems.add(path, line, f"文件里有看不见的控制字符（U+{exc.character:04X}）",
                     "这通常是从 Word 或 PDF 复制时带进来的：请删掉这一行里的特殊字符，或把这一行重新输入一遍")
        raise YamlInvalid from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context in ("while scanning an alias", "while scanning an anchor"):
            mark = exc.context_mark  # the * or & itself, not the character after it
        index = mark.index if mark else 0
        line = bisect.bisect_left(newlines, index) + 1 + line_offset
        line_start = text.rfind("\n", 0, index) + 1
        problems.add(path, line, f"YAML 格式错误（第 {index - line_start + 1} 列）：{_explain_yaml(exc)}",
                     _yaml_fix(exc))
        raise YamlInvalid from None
    except yaml.YAMLError as exc:
        problems.add(path, line_offset + 1, f"YAML 格式错误：{exc}", "请检查冒号、缩进和引号")
        raise YamlInvalid from None
    except RecursionError:
        # PyYAML composes nested lists recursively; hundreds of levels exhaust Python's stack.
        problems.add(path, line_offset + 1, "YAML 的列表或字段嵌套层数太多", "请检查方括号 [ ] 和花括号 { } 是否成对")
        raise YamlInvalid from None
    finally:
        if loader is not None:
            loader.dispose()


# PyYAML's explanations, by how they begin, in the words an editor understands.
YAML_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现冒号“: ”",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "有制表符（Tab）",
    "found character": "值不能以 @ ` % 等符号开头",
    "found undefined alias": "出现了未定义的 * 引用",
    "expected alphabetic or numeric character": "“*”或“&”开头的值在 YAML 中有特殊含义",
    "expected <block end>, but found '<block sequence start>'": "列表“- ”的缩进不对",
    "expected <block end>": "缩进不对",
    "did not find expected key": "缩进不对或缺少冒号",
    "did not find expected '-' indicator": "列表“- ”的缩进不对",
    "did not find expected comment or line break": "引号后面多了文字",
    "found unexpected end of stream": "引号没有成对",
    "found unknown escape character": "双引号里的反斜杠“\\”用法不对",
    "expected ',' or ']'": "方括号 [ ] 没有成对，或列表项之间缺少逗号",
    "expected ',' or '}'": "花括号 { } 没有成对，或字段之间缺少逗号",
    "but found another document": "文件中间不能再出现一行 ---",
    "expected chomping or indentation indicators": "“|”或“>”后面不能直接写文字",
    "expected a mapping or list of mappings for merging": "“<<”在 YAML 中有特殊含义",
    "expected the node content": "缺少值",
    "found unhashable key": "字段名必须是简单的文字",
    "found duplicate anchor": "同一个 & 名称出现了两次",
    "found unconstructable recursive node": "* 引用指向了它自己",
    "expected a comment or a line break": "这一行的写法不对",
    "found a tab character": "有制表符（Tab）",
}


def _explain_yaml(exc: yaml.MarkedYAMLError) -> str:
    if isinstance(exc, (DuplicateKey, UnsupportedTag)):
        return exc.problem
    problem = (exc.problem or "").strip()
    for english, chinese in YAML_PROBLEMS.items():
        if problem.startswith(english):
            return chinese
    return f"无法读取（{problem or exc}）"


def _yaml_fix(exc: yaml.MarkedYAMLError) -> str:
    if isinstance(exc, DuplicateKey):
        return "同一个字段只能写一次，请删除或合并重复的那一行"
    if isinstance(exc, UnsupportedTag):
        return "请删去以 ! 开头的标签，直接写值"
    return "请检查这一行及上一行的冒号、缩进和引号；含冒号、# 或以 * & ! @ ` 开头的文字请用英文双引号括起来"


def split_front_matter(path: Path, text: str, problems: Problems) -> SourceFile | None:
    """Split `---` fenced YAML front matter from the Markdown body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "文件开头缺少 YAML 头部的分隔线“---”",
                     "第一行写 ---，接着写 title: 等字段，再用一行 --- 结束，然后写正文")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            break
    else:
        problems.add(path, 1, "YAML 头部没有结束的分隔线“---”", "在字段写完后另起一行写 ---，再写正文")
        return None
    try:
        meta = parse_yaml(path, "\n".join(lines[1:index]), problems, line_offset=1)
    except YamlInvalid:
        return None
    if meta is None:
        meta = Mapping()
        meta.line, meta.key_lines = 1, {}
    if not isinstance(meta, Mapping):
        problems.add(path, 2, "YAML 头部应是“字段: 值”的形式", "每行写一个字段，如 title: 标题")
        return None
    body = "\n".join(lines[index + 1:])
    return SourceFile(path, text, meta, body, index + 2)


def load_markdown(path: Path, problems: Problems) -> SourceFile | None:
    text = read_text(path, problems)
    if text is None:
        return None
    return split_front_matter(path, text, problems)


def load_yaml_file(path: Path, problems: Problems) -> SourceFile | None:
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        data = parse_yaml(path, text, problems)
    except YamlInvalid:
        return None
    if data is None:
        problems.add(path, 1, "文件是空的", "请按说明填写内容，或删除这个文件")
        return None
    if not isinstance(data, Mapping):
        problems.add(path, 1, "文件应是“字段: 值”的形式", "参照已有的任务分解表文件填写")
        return None
    return SourceFile(path, text, data)
