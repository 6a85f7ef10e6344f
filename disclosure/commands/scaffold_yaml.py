"""Writing a new content file: YAML whose every field carries a short Chinese comment.

Values are written plain when the build reads them back unchanged and double-quoted otherwise, so
a title with a colon or a leading * can never make the new file fail `check`.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

from ..errors import Problems
from ..load.source import YamlInvalid, parse_yaml

COMMENT_COLUMN = 40  # display columns: a CJK character takes two

DOCUMENT_NOTES = {
    "id": "编号：就是文件名（不含扩展名），编辑台用它给新文件命名；必须与文件名相同，也可以删去这一行",
    "title": "标题（必填）：与原文一致",
    "doc_number": "发文字号：照原件写，如 济天政办发〔2022〕4号、国务院令第713号、财政部公告2015年第3号；没有文号的留空",
    "issuer": "发布机构（必填）：单位名录中的名称；多个写成 [甲, 乙]",
    "written": "成文日期（必填）：年-月-日",
    "published": "发布日期（必填）：不早于成文日期",
    "topic": "主题分类（必填）：一级/二级，或只写一级",
    "kind": "公文种类（必填）：通知、意见、决定……",
    "index_no": "索引号：机构代码/年份-流水号，不能重复；没有的留空",
    "validity": "有效性（必填）：有效 / 失效 / 废止",
    "expires": "有效期至：年-月-日，过期后自动显示“已失效”；没有的留空",
    "repealed": "废止日期：有效性写“废止”时必填",
    "repealed_by": "废止本文件的文件的文件名；没有的留空",
    "normative": "是否规范性文件：true 或 false",
    "in_force": "施行日期：年-月-日，与发布日期不同时填写；没有的留空",
    "amends": "本文件修改的文件：写成 [文件名]；没有的留空",
    "replaces": "本文件代替的文件（原文件同时废止）：写成 [文件名]",
    "basis": "制定依据：栏目内的写文件名，栏目外的写《标题》（文号）",
    "attachments": "附件：换行写 - {file: 路径, title: 名称}",
    "keywords": "主题词：写成 [词一, 词二]",
    "sample": "演示用的示例内容写 true；真实公文写 false",
}
INTERPRETATION_NOTES = {
    "id": "编号：就是文件名（不含扩展名），编辑台用它给新文件命名；必须与文件名相同，也可以删去这一行",
    "title": "标题（必填）",
    "interprets": "所解读文件（必填）：政策文件的文件名",
    "issuer": "发布机构（必填）：单位名录中的名称",
    "published": "发布日期（必填）：文件公开后三个工作日内",
    "form": "解读形式（必填）：文字解读、问答解读……",
    "qa": "问答：换行写 - q: 问题，下一行 a: 回答",
    "keywords": "主题词：写成 [词一, 词二]",
    "sample": "演示用的示例内容写 true；真实解读写 false",
}
TASK_TABLE_NOTES = {
    "id": "编号：就是文件名（不含扩展名），编辑台用它给新文件命名；必须与文件名相同，也可以删去这一行",
    "plan": "所属文件（必填）：政策文件的文件名",
    "title": "标题（必填）",
    "tasks": "任务列表（必填）：每项以 - no: 开头，复制一项再改",
}
TASK_NOTES = {
    "no": "序号（必填）：整数，不能重复",
    "area": "一级工作任务（必填）",
    "item": "二级工作任务（必填）",
    "requirement": "具体要求（必填）：按原文",
    "units": "责任单位（必填）：按原文写法，写成 [甲, 乙]",
    "deadline": "完成时限（必填）：按原文，如 全年",
    "due": "到期日期：年-月-日；不写时由完成时限推算",
    "note": "备注：没有的留空",
}
CATALOGUE_NOTES = {
    "id": "编号：就是文件名（不含扩展名），编辑台用它给新文件命名；必须与文件名相同，也可以删去这一行",
    "area": "领域名称（必填）：如 涉农补贴、义务教育，与国务院部门标准指引的领域一致",
    "guideline": "依据的标准指引：如《生态环境领域基层政务公开标准指引》（环办厅函〔2019〕672号）；没有的留空",
    "sample": "演示用的示例内容写 true；真实目录写 false",
    "rows": "公开事项列表：每项以 - item: 开头；还没有事项时写 rows: []，页面显示“本领域目录正在编制”",
}
CATALOGUE_ROW_NOTES = {
    "item": "一级事项（必填）",
    "subitem": "二级事项（必填）",
    "elements": "公开内容（要素）（必填）",
    "basis": "公开依据（必填）：法律、法规、文件的名称和文号",
    "time_limit": "公开时限（必填）：如 自信息形成或者变更之日起20个工作日内",
    "bodies": "公开主体（必填）：单位名录中的名称或别名，写成 [甲, 乙]",
    "channels": "公开渠道和载体（必填）：从固定的选项中选，写成 [甲, 乙]",
    "audience": "公开对象（必填）：全社会 / 特定群众，两者都是写成 [全社会, 特定群众]",
    "manner": "公开方式（必填）：主动 / 依申请公开",
    "levels": "公开层级（必填）：县级 / 乡级，两级都公开写成 [县级, 乡级]",
    "link": "链接：本栏目中公开这项信息的页面，如 /documents/文件名/；只在线下公开的留空",
}
BODY_NOTE = ("\n<!-- 在这段说明下面粘贴正文（Markdown）。这段说明不会显示在网站上，可以删去。"
             "站内链接写成 /documents/文件名/，图片和附件放在 content/ 目录里。 -->\n")


def front_matter(values: dict, notes: dict) -> str:
    return "---\n" + mapping(values, notes) + "---\n"


def mapping(values: dict, notes: dict, indent: str = "") -> str:
    return "".join(line(f"{indent}{key}: {_value(value)}".rstrip(), notes[key]) for key, value in values.items())


def line(code: str, note: str) -> str:
    pad = max(COMMENT_COLUMN - _width(code), 2)
    return f"{code}{' ' * pad}# {note}\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(str(v), flow=True) for v in value) + "]"
    return _scalar(str(value))


def _scalar(text: str, flow: bool = False) -> str:
    """Plain when the build reads it back unchanged, otherwise double-quoted (JSON is valid YAML)."""
    try:
        read = parse_yaml(Path("probe"), f"k: [{text}]" if flow else f"k: {text}", Problems())
    except YamlInvalid:
        read = None
    plain = isinstance(read, dict) and read.get("k") == ([text] if flow else text)
    return text if plain else json.dumps(text, ensure_ascii=False)
