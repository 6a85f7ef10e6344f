"""An editor's file as front matter and body: YAML read with the line of every key, and refused
before any YAML library sees it when it nests or expands beyond what a real file needs.
Reading the bytes is reading.py's; unseen characters are characters.py's."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .characters import INVISIBLE_FIX, check_characters
from ..errors import Problems
from .reading import read_text


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


# The content model nests four levels deep and config.yaml five: more is a mistake or an attack.
MAX_DEPTH = 20
# Nodes that * references (and the << merges made of them) may add, counted as if copied out:
# shared aliases make a few hundred bytes stand for billions of nodes.
ALIAS_BUDGET = 5000
# libyaml composes nested lists by recursion in C: tens of thousands of levels overflow the
# stack and kill the process (a Python loader only raises RecursionError). Text that might nest
# this deep is read by the Python loader, which refuses it at MAX_DEPTH.
_LIBYAML_DEPTH = 2000


_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # YAML's besides "\n"
_LEADING = re.compile(r"^ *(?:[-?:](?:[ \t]+|$))*", re.MULTILINE)  # indentation and "- ", "? ", ": " after it
_INDICATOR = re.compile(r"[-?:](?:[ \t]+|$)")


def _nesting_bound(text: str) -> int:
    """At most how deep the text can nest, at C speed. Each list or mapping on a path owns a
    different one of the characters counted first (its "[" or "{", or its entries' "-", "?" or ":").
    Big files have thousands of those, so then: each flow collection owns its bracket, and block
    ones on a path start at ever larger columns (two at most at one: a list as a key's value),
    each at the indentation of a line or after a "- " that begins it."""
    flow = text.count("[") + text.count("{")
    bound = flow + text.count("-") + text.count("?") + text.count(":")
    if bound < _LIBYAML_DEPTH or any(brk in text for brk in _LINE_BREAKS):
        return bound
    columns = set()
    for run in set(_LEADING.findall(text)):
        indentation = len(run) - len(run.lstrip(" "))
        columns.add(indentation)
        columns.update(match.end() for match in _INDICATOR.finditer(run, indentation))
    return flow + 2 * len(columns) + 1


class Refused(yaml.MarkedYAMLError):
    """YAML this build will not read, with the fix to offer (see parse_yaml)."""

    def __init__(self, message: str, fix: str, mark):
        super().__init__(None, None, message, mark)
        self.fix = fix


def _too_deep(mark) -> Refused:
    return Refused(f"YAML 的列表或字段嵌套层数太多（超过 {MAX_DEPTH} 层）",
                   "请检查方括号 [ ] 和花括号 { } 是否成对、缩进是否一层比一层多；头部的字段用不到这么多层", mark)


def _too_many_aliases(mark) -> Refused:
    return Refused(f"YAML 的 * 引用展开后内容太多（超过 {ALIAS_BUDGET} 项）",
                   "不要用 & 和 * 或 <<: 重复引用大段内容，请直接写出每一项", mark)


class _Loader(yaml.SafeLoader):
    """SafeLoader that records positions, rejects duplicate keys and leaves dates as text.

    Dates stay strings so that an impossible date (2022-02-30) becomes a clear validation
    message instead of an exception inside the YAML library.
    """

    line_offset = 0
    newlines: list = []  # indices of "\n" in the text, to turn a position into a line

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0  # lists and mappings open where composing is now
        self.aliased = 0  # nodes the * references so far stand for
        self.sizes: dict[int, tuple[int, int]] = {}  # see _measure

    def flatten_mapping(self, node):
        written = len(node.value)
        super().flatten_mapping(node)
        if len(node.value) > max(written, ALIAS_BUDGET):  # what << merges copied in, never unbounded
            raise _too_many_aliases(node.start_mark)


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
    if isinstance(event, yaml.AliasEvent):
        target = loader.anchors.get(event.anchor)
        if target is not None:  # (an undefined one is the composer's error)
            nodes, depth = loader.sizes.get(id(target), (1, 0))
            loader.aliased += nodes
            if loader.aliased > ALIAS_BUDGET:
                raise _too_many_aliases(event.start_mark)
            if loader.depth + depth > MAX_DEPTH:
                raise _too_deep(event.start_mark)
        return yaml.composer.Composer.compose_node(loader, parent, index)
    if not isinstance(event, yaml.CollectionStartEvent):
        return yaml.composer.Composer.compose_node(loader, parent, index)
    # Refused before composing deeper, so neither Python's stack nor the alias count can run away.
    loader.depth += 1
    if loader.depth > MAX_DEPTH:
        raise _too_deep(event.start_mark)
    node = yaml.composer.Composer.compose_node(loader, parent, index)
    loader.depth -= 1
    if event.anchor is not None:  # only an anchored node can be referenced: measure it once, now
        _measure(node, loader.sizes)
    return node


def _measure(node, sizes: dict) -> tuple[int, int]:
    """(nodes, depth) of a node as if its aliases were copied out; each collection measured once."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if isinstance(node, yaml.ScalarNode):
        return 1, 0
    sizes[id(node)] = (1, 1)  # a node inside itself (&a [*a]) is the constructor's error, not a loop here
    children = node.value if isinstance(node, yaml.SequenceNode) else [part for pair in node.value for part in pair]
    nodes, depth = 1, 0
    for child in children:
        child_nodes, child_depth = _measure(child, sizes)
        nodes += child_nodes
        depth = max(depth, child_depth)
    sizes[id(node)] = (nodes, depth + 1)
    return nodes, depth + 1


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
    """The same loader on libyaml, many times faster. Used for files without "!" (so no
    explicit tags); anything it cannot read goes to _Loader, whose messages are the ones editors see."""

    line_offset = 0
    newlines: list = []


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

_STR, _NULL, _BOOL, _INT = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int"))
_MAP, _SEQ = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


class _NotSimple(Exception):
    """Something only the careful loader handles (merge keys, duplicates, odd tags)."""


def _build(node, loader, seen=None, depth=0) -> object:
    """Values from composed nodes, without PyYAML's generic constructor (the slow part).

    A node met twice is an alias (*name): those, like everything unusual, go to the careful
    loader, which refuses alias bombs instead of expanding them. So does nesting past
    MAX_DEPTH, for the careful loader's message."""
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
    depth += 1
    if depth > MAX_DEPTH:
        raise _NotSimple
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        result = Sequence(_build(child, loader, seen, depth) for child in node.value)
        result.line = _line(loader, node.start_mark)
        result.item_lines = [_line(loader, child.start_mark) for child in node.value]
        return result
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        result = Mapping()
        result.line = _line(loader, node.start_mark)
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node, loader, seen, depth)
            if not isinstance(key_node, yaml.ScalarNode) or key in result or key == "<<":
                raise _NotSimple
            result[key] = _build(value_node, loader, seen, depth)
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
    if "!" not in text and _nesting_bound(text) < _LIBYAML_DEPTH:
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
        problems.add(path, line, f"文件里有看不见的控制字符（U+{exc.character:04X}）", INVISIBLE_FIX)
        raise YamlInvalid from None
    except Refused as exc:
        problems.add(path, bisect.bisect_left(newlines, exc.problem_mark.index) + 1 + line_offset, exc.problem, exc.fix)
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
        # The composer refuses deep nesting first; this is the last resort if anything else recurses.
        refused = _too_deep(None)
        problems.add(path, line_offset + 1, refused.problem, refused.fix)
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
        check_characters(path, text, problems)  # a second BOM or a zero-width space hides in front of ---
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
        # YAML breaks lines at U+0085 and U+2028 too: the likely cause of a puzzling message.
        check_characters(path, text, problems, yaml_end=len(text))
        return None
    if meta is None:
        meta = Mapping()
        meta.line, meta.key_lines = 1, {}
    if not isinstance(meta, Mapping):
        problems.add(path, 2, "YAML 头部应是“字段: 值”的形式", "每行写一个字段，如 title: 标题")
        return None
    body = "\n".join(lines[index + 1:])
    check_characters(path, text, problems, yaml_end=len(text) - len(body))
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
        check_characters(path, text, problems, yaml_end=len(text))
        return None
    if data is None:
        problems.add(path, 1, "文件是空的", "请按说明填写内容，或删除这个文件")
        return None
    if not isinstance(data, Mapping):
        problems.add(path, 1, "文件应是“字段: 值”的形式", "参照已有的任务分解表文件填写")
        return None
    check_characters(path, text, problems, yaml_end=len(text))
    return SourceFile(path, text, data)
