"""Validate stage: rules that look across files (each field was already checked when loaded)."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from ..errors import Problems, display_path
from ..load.doc_numbers import identity as doc_number_identity
from ..load.reading import decode
from ..load.models import REPEALED, Content
from .relations import Relations, resolve
from .participation import check_participation
from .reports import check_reports
from .workdays import working_days_between

INTERPRETATION_WORKING_DAYS = 3  # 解读材料要在政策文件公开后三个工作日内发布（seed, part 二（一））

# What the sanitiser removes from raw HTML in a body: the tags whole, event handlers from a tag.
# Links with a forbidden protocol (javascript: …) are reported by the Markdown renderer, which
# sees them as links and not as words in a sentence.
UNSAFE_HTML = re.compile(
    r"<\s*(script|iframe|style|object|embed|form|frame|frameset|link|meta|base)\b|<[A-Za-z][^<>]*?\s(on[a-z]+\s*=)",
    re.IGNORECASE,
)
# Code is shown as written, so HTML in it is text and removes nothing: fenced blocks (closed by
# the same fence alone on a line, as Python-Markdown reads them) and code spans are skipped.
_FENCE = re.compile(r"(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_LONGEST_SCANNED = 10_000  # a line longer than this is checked with its code spans in it


def validate(content: Content, problems: Problems) -> Relations:
    """Check the rules that look across files; the relations between them are resolved here,
    once, and returned for classify (the models are not changed)."""
    relations = resolve(content, problems)
    _unique_ids(content, problems)
    _documents(content, relations, problems)
    _changes(content, relations, problems)
    _interpretations(content, relations, problems)
    _task_tables(content, problems)
    check_reports(content, relations.replacers(content), problems)
    _catalogue(content, problems)
    check_participation(content, problems)
    for item in [*content.documents, *content.interpretations, *content.pages, *content.consultations]:
        _unsafe_html(item, problems)
    return relations


def _catalogue(content: Content, problems: Problems) -> None:
    """Two files of the 标准目录 for one 领域 would give two pages that each look complete."""
    seen = {}
    for area in content.catalogue:
        if area.name in seen:
            problems.add(area.path, area.lines.get("area", 0),
                         f"领域名称“{area.name}”与 {display_path(seen[area.name])} 重复",
                         "一个领域只写一个文件：请把两个文件的公开事项合并到一个文件里，删去另一个")
        else:
            seen[area.name] = area.path


def dead_catalogue_links(content: Content, urls: set[str], held_urls: set[str], problems: Problems) -> None:
    """Each 链接 of the 标准目录 must be a page of this build (`urls`, without the base path): it
    says where a reader finds the information, so a dead one misleads. Checked once the pages are
    planned, by every build and check (render/pages.py)."""
    for area in content.catalogue:
        for row in area.rows:
            if not row.link:
                continue
            path = row.link.partition("#")[0]
            if path in urls:
                continue
            where = f"第 {row.no} 项公开事项（{row.subitem}）的链接"
            if path in held_urls:
                problems.add(area.path, row.link_line, f"{where}“{row.link}”指向定时发布、尚未公开的内容",
                             "到发布日期后再填写链接，或先删去 link 这一行")
            else:
                problems.add(area.path, row.link_line, f"{where}“{row.link}”指向的站内页面不存在",
                             "请核对网址，如 /documents/文件名/ 、/pages/栏目页面名/ 、/bodies/单位代码/ ；"
                             "信息只在线下公开（如村务公开栏）的，删去 link 这一行")


def _unique_ids(content: Content, problems: Problems) -> None:
    for label, items in (("文件", content.documents), ("政策解读", content.interpretations),
                         ("任务分解表", content.task_tables), ("栏目页面", content.pages),
                         ("年度报告", content.reports), ("标准目录", content.catalogue),
                         ("意见征集", content.consultations)):
        seen = {}
        for item in items:
            if item.id in seen:
                problems.add(item.path, 0, f"{label}的文件名“{item.id}”与 {display_path(seen[item.id])} 重复",
                             "文件名就是网址，必须唯一，请给其中一个改名")
            else:
                seen[item.id] = item.path


def _documents(content: Content, relations: Relations, problems: Problems) -> None:
    by_number, by_index = defaultdict(list), defaultdict(list)
    for doc in content.documents:
        line = doc.lines.get
        if doc.doc_number:
            by_number[doc_number_identity(doc.doc_number)].append(doc)
        if doc.index_no:
            by_index[_index_key(doc.index_no)].append(doc)
        if doc.published < doc.written:
            problems.add(doc.path, line("published"), f"发布日期 {doc.published} 早于成文日期 {doc.written}",
                         "发布日期不能早于成文日期，请核对两个日期")
        if doc.expires and doc.expires < doc.written:
            problems.add(doc.path, line("expires"), f"有效期至 {doc.expires} 早于成文日期 {doc.written}",
                         "请核对有效期")
        if doc.validity == REPEALED and not doc.repealed:
            problems.add(doc.path, line("validity"), "有效性为“废止”，但没有写废止日期",
                         "请补上 repealed: 废止日期，如 repealed: 2024-01-01")
        if doc.repealed and doc.validity != REPEALED:
            problems.add(doc.path, line("repealed"), f"写了废止日期，但有效性是“{doc.validity}”",
                         "文件已废止的，有效性写 废止；未废止的，删去 repealed 这一行")
        if doc.repealed and doc.repealed < doc.written:
            problems.add(doc.path, line("repealed"), f"废止日期 {doc.repealed} 早于成文日期 {doc.written}",
                         "请核对废止日期")
        repealer = relations.repealer_of(doc)
        if repealer is not None:
            if doc.validity != REPEALED:
                problems.add(doc.path, line("repealed_by"), f"写了废止依据文件，但有效性是“{doc.validity}”",
                             "文件已被废止的，有效性写 废止 并填写 repealed 废止日期")
            if repealer is doc:
                problems.add(doc.path, line("repealed_by"), "废止依据文件不能是本文件自己", "写废止本文件的那个文件的文件名")
    for docs in by_number.values():
        for doc in docs[1:]:
            same = "" if doc.doc_number == docs[0].doc_number else f"（{docs[0].doc_number}）"
            problems.add(doc.path, doc.lines.get("doc_number"),
                         f"发文字号“{doc.doc_number}”与 {_where(docs[0])}{same} 重复",
                         "每个发文字号只能对应一个文件，请核对文号")
    for docs in by_index.values():
        for doc in docs[1:]:
            same = "" if doc.index_no == docs[0].index_no else f"（{docs[0].index_no}）"
            problems.add(doc.path, doc.lines.get("index_no"),
                         f"索引号“{doc.index_no}”与 {_where(docs[0])}{same} 重复",
                         "索引号必须唯一，请改用下一个流水号")
    _repeal_cycles(content, relations, problems)


def _index_key(index_no: str) -> tuple:
    """What makes two index numbers the same one: …/2022-00004 and …/2022-4 are, and so are the
    codes in upper and lower case."""
    code, _, serial = index_no.rpartition("-")
    return code.upper(), int(serial) if serial.isdecimal() else serial


def _repeal_cycles(content: Content, relations: Relations, problems: Problems) -> None:
    """A repealed_by chain that comes back to where it started (A by B, B by A) repeals nothing
    for certain: each file in it is an error. A file repealed by itself is reported above. A
    replacement (代替) repeals too, so a chain may pass through one."""
    replacers = relations.replacers(content)

    def ended_by(doc):
        return relations.repealer_of(doc) or next(iter(replacers.get(id(doc), ())), None)

    done, walking = set(), set()
    for start in content.documents:
        chain, doc = [], start
        while doc is not None and id(doc) not in done and id(doc) not in walking:
            walking.add(id(doc))
            chain.append(doc)
            doc = ended_by(doc)
        if doc is not None and id(doc) in walking:
            cycle = chain[chain.index(doc):]
            if len(cycle) > 1:
                for index, member in enumerate(cycle):
                    order = cycle[index:] + cycle[:index + 1]
                    key = "repealed_by" if relations.repealer_of(member) else "replaces"
                    where = member if key == "repealed_by" else ended_by(member)
                    problems.add(where.path, where.lines.get(key),
                                 "废止依据形成了循环：" + " → ".join(f"“{d.id}”" for d in order),
                                 "文件不能被它自己直接或间接废止（或代替）的文件废止，请核对这几份文件的 repealed_by 和 replaces")
        done.update(id(d) for d in chain)
        walking.clear()


def _changes(content: Content, relations: Relations, problems: Problems) -> None:
    """修改 and 代替, declared by the newer document: each must agree with what the older one says
    of itself, and none may come back to where it started."""
    replacers = relations.replacers(content)
    for doc in content.documents:
        line = doc.lines.get
        if doc.in_force and doc.in_force < doc.written:
            problems.warn(doc.path, line("in_force"), f"施行日期 {doc.in_force} 早于成文日期 {doc.written}",
                          "请核对施行日期；文件溯及既往的，可以不改")
        for key, verb in (("amends", "修改"), ("replaces", "代替")):
            if any(other is doc for other in getattr(relations, key).get(id(doc), ())):
                problems.add(doc.path, line(key), f"文件不能{verb}它自己", f"{key} 中写{verb}的那份文件的文件名")
        for old in relations.amends.get(id(doc), ()):
            ended = old.repealed if old.validity == REPEALED else old.expires
            if old is not doc and ended and ended < doc.effective:
                problems.warn(doc.path, line("amends"),
                              f"要修改的“{old.id}”在修改生效（{doc.effective}）之前已经废止或失效（{ended}）",
                              f"请核对 amends 和 {_where(old)} 的有效性")
        found = [other for other in replacers.get(id(doc), ()) if other is not doc]
        for other in found[1:]:
            problems.add(other.path, other.lines.get("replaces"),
                         f"“{doc.id}”已被 {_where(found[0])} 代替，不能再被本文件代替",
                         "一份文件只能被一份文件代替；请核对两份文件的 replaces")
        if not found:
            continue
        replacer = found[0]
        repealer = relations.repealer_of(doc)
        if repealer is not None and repealer is not replacer:
            _both(problems, doc, "repealed_by", replacer, "replaces",
                  f"“{doc.id}”写明被 {_where(repealer)} 废止，但 {_where(replacer)} 写明代替它",
                  "代替就是废止原文件：两处应指向同一份文件，请删去其中写错的一处")
        if doc.repealed and doc.repealed != replacer.effective:
            _both(problems, doc, "repealed", replacer, "replaces",
                  f"“{doc.id}”的废止日期 {doc.repealed} 与代替它的“{replacer.id}”施行的日期 {replacer.effective} 不一致",
                  "被代替的文件自新文件施行之日起废止：删去 repealed（由代替关系推出），或改成同一天")
    # A cycle of replacements is one of repeals, reported by _repeal_cycles.
    _cycles(content, lambda doc: relations.amends.get(id(doc), ()), "amends", "修改", problems)


def _both(problems: Problems, first, first_key: str, second, second_key: str, message: str, fix: str) -> None:
    """A contradiction between two files: reported at the line of each, so either can be fixed."""
    problems.add(first.path, first.lines.get(first_key), message, fix)
    problems.add(second.path, second.lines.get(second_key), message, fix)


def _cycles(content: Content, named, key: str, verb: str, problems: Problems) -> None:
    """Documents that, following `named`, come back to themselves (甲修改乙，乙又修改甲). Walked
    without recursion: a chain of thousands of files is no deeper a problem than one of two."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in content.documents:
        if id(start) in state:
            continue
        path, stack = [start], [iter(named(start))]
        state[id(start)] = 1
        while stack:
            other = next(stack[-1], None)
            if other is None:
                state[id(path.pop())] = 2
                stack.pop()
            elif other is path[-1]:
                continue  # reported as 不能{verb}它自己
            elif state.get(id(other)) == 1:
                cycle = path[path.index(other):]
                order = " → ".join(f"“{d.id}”" for d in [*cycle, other])
                for member in cycle:
                    problems.add(member.path, member.lines.get(key), f"{verb}关系形成了循环：{order}",
                                 f"文件不能{verb}直接或间接{verb}它的文件，请核对这几份文件的 {key}")
            elif id(other) not in state:
                state[id(other)] = 1
                path.append(other)
                stack.append(iter(named(other)))


def _where(item) -> str:
    return display_path(item.path)


def _interpretations(content: Content, relations: Relations, problems: Problems) -> None:
    for item in content.interpretations:
        doc = relations.document_of(item)
        if doc is None:
            continue
        line = item.lines.get("published")
        if item.published < doc.published:
            problems.warn(item.path, line, f"解读发布日期 {item.published} 早于文件发布日期 {doc.published}",
                          "请核对日期：解读一般与文件同步或随后发布")
            continue
        days, exact = working_days_between(doc.published, item.published)
        if days > INTERPRETATION_WORKING_DAYS:
            basis = "" if exact else "（超出法定节假日数据年份，按周一至周五计）"
            problems.warn(item.path, line,
                          f"解读在文件公开后第 {days} 个工作日才发布{basis}，超过了三个工作日",
                          f"按要求解读材料应在政策文件公开后三个工作日内发布（文件发布于 {doc.published}）")


def _task_tables(content: Content, problems: Problems) -> None:
    for table in content.task_tables:
        seen = {}
        for task in table.tasks:
            if task.no in seen:
                problems.add(table.path, task.line, f"任务序号 {task.no} 重复（第 {seen[task.no]} 行已有）",
                             "每项任务的序号必须不同")
            else:
                seen[task.no] = task.line


def _unsafe_html(item, problems: Problems) -> None:
    # Every pattern needs one of these characters: most bodies are ruled out without the regex.
    if _may_be_unsafe(item.body) and UNSAFE_HTML.search(item.body):
        _warn_unsafe(item.path, item.body.split("\n"), item.body_line, problems)
    qa = getattr(item, "qa", None)
    if qa and any(_may_be_unsafe(pair.answer) and UNSAFE_HTML.search(pair.answer) for pair in qa):
        # Answers are Markdown too; find their lines in the front matter, which the model does not keep.
        lines = (decode(item.path, item.path.read_bytes(), Problems()) or "").split("\n")
        first = item.lines.get("qa", 1)
        _warn_unsafe(item.path, lines[first - 1: item.body_line - 1], first, problems)


def _may_be_unsafe(text: str) -> bool:
    return "<" in text


def _fenced_lines(lines: list[str]) -> set[int]:
    """The indices of the lines inside closed fenced code blocks, fences included."""
    code: set[int] = set()
    if not any(line.startswith(("```", "~~~")) for line in lines):
        return code
    closers: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        fence = _FENCE.fullmatch(line.rstrip(" "))
        if fence:
            closers.setdefault(fence.group(1), []).append(index)
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        positions = closers.get(opening.group(1), []) if opening else []
        after = bisect.bisect_right(positions, index)
        if after < len(positions):  # closed by the first such fence after it; else it is text
            code.update(range(index, positions[after] + 1))
            index = positions[after]
        index += 1
    return code


def _warn_unsafe(path, lines: list[str], first_line: int, problems: Problems) -> None:
    code = _fenced_lines(lines)
    for offset, line in enumerate(lines):
        if offset in code:
            continue
        match = UNSAFE_HTML.search(line)
        if match and "`" in line and len(line) <= _LONGEST_SCANNED:
            match = UNSAFE_HTML.search(_CODE_SPAN.sub(" ", line))
        if match:
            problems.warn(path, first_line + offset,
                          f"正文中有不安全的 HTML“{(match.group(2) or match.group(0)).strip()}”，发布时已被删除",
                          "正文请用 Markdown 书写，不要粘贴脚本、内嵌框架、样式或事件代码")
