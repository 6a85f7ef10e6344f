"""Field types of the content model: each turns a YAML value into a typed one or says what is wrong."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .characters import half_width
from .config import Config
from .doc_numbers import read as read_doc_number
from ..errors import ERROR, Problems
from .source import Mapping, Sequence
from .vocab import suggestion_text

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\Z")
LOOSE_DATE = re.compile(r"^(\d{4})\s*[年/.\-－—]\s*(\d{1,2})\s*[月/.\-－—]\s*(\d{1,2})\s*日?\Z")
INDEX_NO = re.compile(r"^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*/\d{4}-\d+\Z")
LIST_SEPARATORS = re.compile(r"[、，,；;]")


class Context:
    """What a field parser needs: the config, the file, and a way to report a problem."""

    def __init__(self, config: Config, path: Path, content_root: Path, problems: Problems):
        self.config, self.path, self.content_root, self.problems = config, path, content_root, problems
        self.line = 0
        self.label = ""
        self.key = ""

    def error(self, message: str, fix: str = "", line: int | None = None) -> None:
        self.problems.add(self.path, line or self.line, message, fix)

    def warn(self, message: str, fix: str = "", line: int | None = None) -> None:
        self.problems.warn(self.path, line or self.line, message, fix)


@dataclass(frozen=True)
class Field:
    label: str  # the Chinese name editors know the field by
    parse: Callable[[Any, Context], Any]
    required: bool = False
    example: str = ""


UNKNOWN_SHOWN = 10  # unknown keys named one by one; a pasted dump of thousands gets one line more


def _short(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def parse_fields(meta: Mapping, schema: dict[str, Field], ctx: Context, where: str) -> dict[str, Any] | None:
    """Parse every field of a mapping; report missing, unknown and malformed ones. None if any failed."""
    before = len(ctx.problems.items)
    values: dict[str, Any] = {}
    unknown = [key for key in meta if key not in schema]
    for key in unknown[:UNKNOWN_SHOWN]:
        ctx.line = meta.line_of(key)
        close = difflib.get_close_matches(str(key)[:100], list(schema), n=1, cutoff=0.6)
        if close:
            fix = f"是不是“{close[0]}”（{schema[close[0]].label}）？"
        else:
            fix = "可用的字段：" + "、".join(f"{k}（{f.label}）" for k, f in schema.items())
        ctx.error(f"{where}有未知字段“{_short(key)}”", fix)
    if len(unknown) > UNKNOWN_SHOWN:
        ctx.line = meta.line_of(unknown[UNKNOWN_SHOWN])
        ctx.error(f"{where}另有 {len(unknown) - UNKNOWN_SHOWN} 个未知字段（从这一行起）",
                  "请对照上面的提示删去或改正；每项只能写规定的字段")
    for key, spec in schema.items():
        raw = meta.get(key)
        ctx.line, ctx.label, ctx.key = meta.line_of(key), spec.label, key
        if raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw):
            if spec.required:
                example = f"，例如 {key}: {spec.example}" if spec.example else ""
                ctx.error(f"{where}缺少必填字段“{key}”（{spec.label}）", f"请补上这一项{example}")
            values[key] = None
            continue
        values[key] = spec.parse(raw, ctx)
    # Only the problems added here are looked at: a table of thousands of tasks calls this for each.
    return None if any(p.severity == ERROR for p in ctx.problems.items[before:]) else values


# --- field types -------------------------------------------------------------------------------


def _is_scalar(raw) -> bool:
    return isinstance(raw, (str, int, float)) and not isinstance(raw, bool)


def text(raw, ctx: Context) -> str | None:
    if isinstance(raw, (dict, list)):
        ctx.error(f"“{ctx.key}”（{ctx.label}）应是一段文字，不是列表或字段组", f"写成 {ctx.key}: 文字")
        return None
    if isinstance(raw, bool):
        ctx.error(f"“{ctx.key}”（{ctx.label}）应是文字，YAML 把它读成了是/否", f"请用英文双引号括起来：{ctx.key}: \"…\"")
        return None
    return " ".join(str(raw).split()) if "\n" not in str(raw) else str(raw).strip()


def file_id(raw, ctx: Context) -> str | None:
    """The file's own name, written once more in the file: the editing desk (/admin/) names a new
    file after it, since a form has no other way to ask for a file name. It must stay the file name."""
    value = text(raw, ctx)
    if value is None:
        return None
    if value != ctx.path.stem:
        ctx.error(f"编号“{_short(value)}”与文件名“{ctx.path.name}”不一致",
                  f"编号就是文件名（不含扩展名），写成 {ctx.key}: {ctx.path.stem}，或删去这一行")
        return None
    return value


def boolean(raw, ctx: Context) -> bool | None:
    if isinstance(raw, bool):
        return raw
    ctx.error(f"“{ctx.key}”（{ctx.label}）只能写 true 或 false", f"例如 {ctx.key}: true")
    return None


def integer(raw, ctx: Context) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int):
        # Never print a list or mapping back: YAML aliases can make its text exponentially long.
        shown = f"现在是“{raw}”" if isinstance(raw, str) else "现在是列表或字段组"
        ctx.error(f"“{ctx.key}”（{ctx.label}）应是整数，{shown}", f"例如 {ctx.key}: 1")
        return None
    return raw


def a_date(raw, ctx: Context) -> date | None:
    if not _is_scalar(raw):
        ctx.error(f"{ctx.label}应是一个日期，不是列表、字段组或是/否", f"写成 {ctx.key}: 2022-06-16")
        return None
    value = str(raw).strip()
    match = ISO_DATE.match(value)
    loose = LOOSE_DATE.match(value)
    if not match and loose:
        y, m, d = loose.groups()
        ctx.error(f"{ctx.label}“{value}”的写法不对", f"日期统一写成 年-月-日，如 {ctx.key}: {int(y):04d}-{int(m):02d}-{int(d):02d}")
        return None
    if not match:
        ctx.error(f"{ctx.label}“{value}”不是日期", f"日期写成 年-月-日，如 {ctx.key}: 2022-06-16")
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        ctx.error(f"{ctx.label}“{value}”不是真实存在的日期", "请核对月份和日期（如 2 月没有 30 日）")
        return None


def text_list(raw, ctx: Context) -> list[str] | None:
    """A list of words; a single string separated by 、 or ， is accepted too."""
    if isinstance(raw, str):
        return [part.strip() for part in LIST_SEPARATORS.split(raw) if part.strip()]
    if isinstance(raw, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in raw):
        return [str(v).strip() for v in raw if str(v).strip()]
    ctx.error(f"“{ctx.key}”（{ctx.label}）应是一组文字", f"写成 {ctx.key}: [词一, 词二]")
    return None


def _named_organisations(raw, ctx: Context):
    """Each name of a list with the organisation it resolves to (None where it matches no organisation)."""
    names = text_list(raw, ctx)
    if names is None:
        return None
    resolved = []
    for index, name in enumerate(names):
        line = raw.line_of(index) if isinstance(raw, Sequence) else ctx.line
        organisation = ctx.config.organisations.get(name)
        if organisation is None:
            hint = suggestion_text(ctx.config.organisations.suggest(name))
            ctx.error(f"{ctx.label}“{name}”不在 config.yaml 的单位名录中",
                      (hint + " " if hint else "") + "请用名录中的名称，或在 config.yaml 的 bodies 中为它添加单位或别名",
                      line)
        resolved.append((name, organisation))
    return resolved


def organisations(raw, ctx: Context):
    """One or more issuing organisations, resolved through the aliases in config.yaml."""
    resolved = _named_organisations(raw, ctx)
    if resolved is None or any(organisation is None for _, organisation in resolved):
        return None
    found = []
    for _, organisation in resolved:
        if organisation not in found:
            found.append(organisation)
    return found


def units(raw, ctx: Context):
    """Responsible units kept as the source writes them, each with the organisation it resolves to."""
    from .models import UnitRef

    resolved = _named_organisations(raw, ctx)
    if resolved is None or any(organisation is None for _, organisation in resolved):
        return None
    return [UnitRef(name, organisation) for name, organisation in resolved]


def topic(raw, ctx: Context):
    value = text(raw, ctx)
    if value is None:
        return None
    key = re.sub(r"\s*[/／\\＼]\s*", "/", value)
    found = ctx.config.topics.get(key)
    if found is None:
        hint = suggestion_text(ctx.config.topics.suggest(key))
        ctx.error(f"主题分类“{value}”不在 config.yaml 的主题列表中",
                  (hint + " " if hint else "") + "写成 一级/二级，如 综合政务/政务公开，或只写一级主题")
    return found


def _term(vocab_name: str):
    def parse(raw, ctx: Context):
        value = text(raw, ctx)
        if value is None:
            return None
        vocab = getattr(ctx.config, vocab_name)
        found = vocab.get(value)
        if found is None:
            ctx.error(f"{ctx.label}“{value}”不认识", "可选：" + "、".join(t.name for t in vocab))
        return found

    return parse


kind = _term("kinds")
validity = _term("validity")


def form(raw, ctx: Context) -> str | None:
    value = text(raw, ctx)
    if value is not None and value not in ctx.config.interpretation_forms:
        ctx.error(f"解读形式“{value}”不认识", "可选：" + "、".join(ctx.config.interpretation_forms))
        return None
    return value


def doc_number(raw, ctx: Context) -> str | None:
    """济天政办发〔2022〕4号, 国务院令第713号, 财政部公告2015年第3号 (doc_numbers.py). Stored in its
    normal form, which duplicates are found by; any other shape is kept, with a warning, as real
    documents carry rare but correct ones."""
    value = text(raw, ctx)
    if value is None:
        return None
    reading = read_doc_number(value)
    if reading.message:
        ctx.warn(reading.message, reading.fix)
    return reading.normal


def index_no(raw, ctx: Context) -> str | None:
    value = text(raw, ctx)
    if value is None:
        return None
    normal = half_width(value)
    if not INDEX_NO.match(normal):
        ctx.error(f"索引号“{value}”格式不对", "写成 机构代码/年份-流水号，如 11370105004208456P/2022-00004")
        return None
    if normal != value:
        ctx.warn(f"索引号“{value}”用了全角字符，已按“{normal}”处理", f"数字、字母和符号用半角，写成 {normal}")
    return normal


def attachments(raw, ctx: Context):
    """Files shipped with a document: a path, or {file: 路径, title: 名称}, relative to the Markdown file."""
    from .filetypes import refusal
    from .models import Attachment

    if not isinstance(raw, list):
        raw_list, lines = [raw], [ctx.line]
    else:
        raw_list = raw
        lines = [raw.line_of(i) if isinstance(raw, Sequence) else ctx.line for i in range(len(raw))]
    found, ok = [], True
    for item, line in zip(raw_list, lines):
        title = None
        if isinstance(item, Mapping):
            file, title = item.get("file"), item.get("title")
            for key in item:
                if key not in ("file", "title"):
                    close = difflib.get_close_matches(str(key), ["file", "title"], n=1, cutoff=0.5)
                    hint = f"是不是“{close[0]}”？" if close else ""
                    ctx.error(f"附件中有未知字段“{key}”", hint + "附件只能写 file（文件路径）和 title（名称）",
                              item.line_of(key))
                    ok = False
            if title is not None and not _is_scalar(title):
                ctx.error("附件名称 title 应是一段文字", "例如 - {file: files/fujian.pdf, title: 附件名称}",
                          item.line_of("title"))
                ok = False
                continue
        else:
            file = item
        if not isinstance(file, str) or not file.strip():
            ctx.error("附件应写成文件路径，或 {file: 路径, title: 名称}", "例如 - {file: files/fujian.pdf, title: 附件名称}", line)
            ok = False
            continue
        target = resolve_content_path(file.strip(), ctx)
        if target is None or not target.is_file():
            ctx.error(f"附件文件“{file}”不存在", "请把文件放进 content/ 目录，路径相对于本文件所在目录", line)
            ok = False
            continue
        refused = refusal(target)
        if refused is not None:
            ctx.error(f"附件文件“{file}”{refused[0]}", refused[1], line)
            ok = False
            continue
        found.append(Attachment(title=str(title).strip() if title else target.stem, source=target))
    return found if ok else None


def resolve_content_path(reference: str, ctx: Context) -> Path | None:
    """A path written in a file: relative to that file, or to content/ when it starts with /."""
    base = ctx.content_root if reference.startswith("/") else ctx.path.parent
    target = (base / reference.lstrip("/")).resolve()
    root = ctx.content_root.resolve()
    if root not in target.parents:
        return None
    return target


def qa_list(raw, ctx: Context):
    from .models import QA

    if not isinstance(raw, Sequence):
        ctx.error("问答“qa”应是一组问题和回答", "每项写成 - q: 问题 换行 a: 回答")
        return None
    pairs = []
    for index, item in enumerate(raw):
        line = raw.line_of(index)
        if not isinstance(item, Mapping):
            ctx.error("问答的每一项应包含 q（问题）和 a（回答）", "写成 - q: 问题 换行 a: 回答", line)
            continue
        extra = set(item) - {"q", "a"}
        if extra:
            ctx.error(f"问答中有未知字段“{'、'.join(map(str, sorted(extra, key=str)))}”", "只能写 q（问题）和 a（回答）",
                      item.line_of(sorted(extra, key=str)[0]))
        question, answer = item.get("q"), item.get("a")
        if not question or not answer:
            ctx.error("问答缺少问题 q 或回答 a", "每项都要有 q 和 a", line)
            continue
        wrong = [key for key, value in (("q", question), ("a", answer)) if not _is_scalar(value)]
        if wrong:
            ctx.error(f"问答的“{wrong[0]}”应是一段文字，不是列表或字段组",
                      "回答有多段时写成 a: | ，换行后每行缩进书写", item.line_of(wrong[0]))
            continue
        pairs.append(QA(str(question).strip(), str(answer).strip()))
    return pairs


LONGEST_REFERENCE = 500  # characters: a title and its 文号, not a pasted text


def references(raw, ctx: Context) -> list[str] | None:
    """A list of documents, each a file name in the column or a title with its 文号 as text. A
    single string is one entry: titles may hold 、 and ，, so it is never split."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        ctx.error(f"“{ctx.key}”（{ctx.label}）应是一组文件", f"每行一项，写成 {ctx.key}: [文件名, 《标题》（文号）]")
        return None
    values = [" ".join(v.split()) for v in items if v.strip()]
    for value in values:
        if len(value) > LONGEST_REFERENCE:
            ctx.error(f"{ctx.label}中有一项长达 {len(value)} 个字符", "每项只写文件名，或文件的标题和文号")
            return None
    return values


def choices(allowed: tuple[str, ...]):
    """One or more values of a fixed list (a 标准目录's checklist column), kept in the list's order;
    a single value or a 、-separated one is accepted too."""

    def parse(raw, ctx: Context) -> list[str] | None:
        values = text_list(raw, ctx)
        if values is None:
            return None
        unknown = [value for value in values if value not in allowed]
        for value in unknown:
            close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
            hint = f"是不是“{close[0]}”？" if close else ""
            ctx.error(f"{ctx.label}“{_short(value)}”不是可选的值",
                      hint + "可选：" + "、".join(allowed) + f"，写成 {ctx.key}: [{allowed[0]}]")
        if unknown:
            return None
        return [value for value in allowed if value in values]

    return parse


SITE_PATH = re.compile(r"^/(?:[a-z0-9][a-z0-9._-]*/)*(?:[a-z0-9][a-z0-9._-]*)?(?:#[A-Za-z0-9_-]+)?\Z")


def site_path(raw, ctx: Context) -> str | None:
    """A page of this site (/documents/<id>/, /bodies/<slug>/ …), without the base path; whether it
    exists is known once the pages are planned (model/validate.py dead_catalogue_links)."""
    value = text(raw, ctx)
    if value is None:
        return None
    if not SITE_PATH.match(value) or "/../" in value or "/./" in value:
        ctx.error(f"{ctx.label}“{_short(value)}”不是本栏目的网址",
                  "写本栏目内页面的路径，以 / 开头、不带域名，如 /documents/文件名/ 、/pages/fading-zhudong-gongkai/")
        return None
    path, hash_, fragment = value.partition("#")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path + hash_ + fragment
