"""config.yaml's apply section (依申请公开): typed like the other options, a bad key named with its
line, and a body the guide lists without contact data a warning naming the body and the line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from disclosure.errors import Problems
from disclosure.load.config import load_config
from disclosure.load.config_apply import OFFICE_REQUIRED

BUNDLED = (ROOT / "config.yaml").read_text("utf-8")
SECTION = re.search(r"\napply:\n(?:(?:  .*)?\n)*", BUNDLED).group(0)


def _load(tmp_path: Path, section: str):
    text = BUNDLED.replace(SECTION, "\n" + section.strip("\n") + "\n\n")
    path = tmp_path / "config.yaml"
    path.write_text(text, "utf-8")
    problems = Problems()
    return load_config(path, problems), problems, text


def _line(text: str, fragment: str) -> int:
    return text.count("\n", 0, text.index(fragment)) + 1


def _edit(old: str, new: str) -> str:
    assert old in SECTION, old
    return SECTION.replace(old, new, 1)


def test_the_bundled_apply_section_loads_without_problems():
    problems = Problems()
    config = load_config(ROOT / "config.yaml", problems)
    assert problems.items == []
    apply = config.apply
    assert apply.sample is True
    names = [desk.body.name for desk in apply.desks]
    # the government by its type, 区政府办公室 named, the bodies with their own office; in bodies: order
    assert names == ["济南市天桥区人民政府", "区政府办公室", "区人力资源社会保障局", "区民政局", "堤口路街道办事处"]
    own = {desk.body.name: desk for desk in apply.desks if desk.own}
    assert set(own) == {"区人力资源社会保障局", "区民政局", "堤口路街道办事处"}
    # a body's own office takes the default's postcode and hours, never its fax or phone
    assert own["区人力资源社会保障局"].office.postcode == apply.office.postcode
    assert own["区人力资源社会保障局"].office.hours == apply.office.hours
    assert own["区人力资源社会保障局"].office.fax == ""
    assert own["堤口路街道办事处"].office.hours != apply.office.hours
    assert own["堤口路街道办事处"].office.postal_address != own["堤口路街道办事处"].office.address
    for desk in apply.desks:
        assert desk.office.missing() == []
        assert "0000" in desk.office.phone  # placeholders, never a real-looking number


def test_without_an_apply_section_there_is_no_guide(tmp_path):
    config, problems, _ = _load(tmp_path, "")
    assert problems.items == [] and config.apply is None


@pytest.mark.parametrize("old, new, message, fix", [
    ("  sample: true", "  sampel: true", "apply中有未知字段“sampel”", "是不是“sample”？"),
    ("    phone: 0531-00000001", "    phon: 0531-00000001", "默认受理机构（apply.office）中有未知字段“phon”",
     "是不是“phone”？"),
    ("      phone: 0531-00000011", "      telephone: 0531-00000011",
     "apply.offices 中“区人力资源社会保障局”的受理机构中有未知字段“telephone”", ""),
    ("  sample: true", "  sample: 是", "apply 的“sample”应是 true 或 false", ""),
    ("[government]", "[government, village]", "apply.list_types 中的类型“village”不认识", ""),
    ("[government]", "[group]", "apply.list_types 中的类型“group”不认识", ""),
    ("[区政府办公室]", "[区政府办公厅]", "apply.list_bodies 中的单位“区政府办公厅”不在 config.yaml 的 bodies 中",
     "是不是：区政府办公室"),
    ("    - body: 区民政局", "    - body: 各部门", "apply.offices 中的“各部门”是统称，不是受理申请的机关", ""),
    ("    - body: 区民政局", "    - body: 区人社局", "单位“区人力资源社会保障局”在 apply.offices 中写了两次", ""),
    ('    postcode: "250000"', '    postcode: 25000', "默认受理机构（apply.office）的邮政编码“25000”不是 6 位数字", ""),
    ("    email: xxgk-sample@example.gov.cn", "    email: xxgk-sample", "电子邮箱“xxgk-sample”不合规", ""),
])
def test_a_bad_key_or_value_is_an_error_naming_it_and_its_line(tmp_path, old, new, message, fix):
    config, problems, text = _load(tmp_path, _edit(old, new))
    assert config is None
    errors = problems.errors
    assert len(errors) == 1, [p.format() for p in errors]
    assert message in errors[0].message
    assert fix in errors[0].fix
    assert errors[0].line == _line(text, new.strip("\n").split("\n")[0])


def test_a_body_by_its_slug(tmp_path):
    config, problems, _ = _load(tmp_path, _edit("[区政府办公室]", "[caizhengju]"))
    assert problems.items == []
    assert "区财政局" in [desk.body.name for desk in config.apply.desks]


def test_a_listed_body_without_contact_data_is_a_warning_naming_it_and_the_line(tmp_path):
    section = _edit("      phone: 0531-00000021\n", "")
    config, problems, text = _load(tmp_path, section)
    assert config is not None and problems.errors == []
    [warning] = problems.warnings
    assert warning.line == _line(text, "    - body: 区民政局")
    assert "“区民政局”" in warning.message and "联系电话（phone）" in warning.message
    assert "apply.offices" in warning.fix


def test_a_default_office_without_contact_data_warns_for_every_body_using_it(tmp_path):
    section = _edit("    email: xxgk-sample@example.gov.cn\n", "").replace("    hours: 工作日上午9:00—12:00，下午13:00—17:00（法定节假日除外）\n", "")
    config, problems, text = _load(tmp_path, section)
    assert config is not None and problems.errors == []
    by_line = {(w.line, w.message) for w in problems.warnings}
    office_line = _line(text, "  office:")
    # the government and 区政府办公室 use the default: one warning at the default office
    assert any(line == office_line and "“济南市天桥区人民政府”、“区政府办公室”" in message
               and "电子邮箱（email）" in message and "办公时间（hours）" in message for line, message in by_line)
    # 区人社局 and 区民政局 take the default's hours: their own lines; 堤口路街道 gives its own hours
    for body in ("区人力资源社会保障局", "区民政局"):
        assert any(line == _line(text, f"    - body: {body}") and f"“{body}”" in message and "办公时间（hours）" in message
                   and "电子邮箱" not in message for line, message in by_line)
    assert not any("堤口路街道办事处" in message for _, message in by_line)
    assert len(problems.warnings) == 3


def test_a_listed_type_with_bodies_lacking_offices_warns_once_per_office(tmp_path):
    """Listing every street: those without their own office use the default, which is complete."""
    config, problems, _ = _load(tmp_path, _edit("[government]", "[government, street]"))
    assert problems.items == []
    streets = [desk for desk in config.apply.desks if desk.body.type == "street"]
    assert len(streets) == 15 and sum(desk.own for desk in streets) == 1


def test_every_required_field_is_named_when_missing(tmp_path):
    bare = "apply:\n  office:\n    name: 某机构\n"
    config, problems, text = _load(tmp_path, bare)
    assert config.apply.desks == ()  # nothing listed: the default office is still on the form
    [warning] = problems.warnings
    assert warning.line == _line(text, "  office:")
    assert warning.message.startswith("申请表上印的默认受理机构缺少")
    for key in OFFICE_REQUIRED:
        assert (f"（{key}）" in warning.message) == (key != "name")


def test_the_office_is_required(tmp_path):
    config, problems, text = _load(tmp_path, "apply:\n  sample: true\n")
    assert config is None
    assert "缺少默认受理机构“office”" in problems.errors[0].message


def test_offices_must_be_a_list(tmp_path):
    section = SECTION[:SECTION.index("  offices:")] + "  offices: 区民政局\n"
    config, problems, text = _load(tmp_path, section)
    assert config is None
    [error] = problems.errors
    assert error.message == "apply.offices 应是单位列表" and error.line == _line(text, "  offices: 区民政局")


@pytest.mark.parametrize("key, label, fix", [
    ("apply", "依申请公开设置", "参照项目自带的 config.yaml 填写 apply"),
    ("desk", "编辑台设置", "参照项目自带的 config.yaml 填写 desk"),
    ("participation", "公众参与设置", "写成 participation: 换行 feedback_days: 30"),
])
def test_an_optional_section_that_is_not_fields_is_named_with_its_line(tmp_path, key, label, fix):
    text = re.sub(rf"(?m)^{key}:.*\n(?:(?:  .*)?\n)*", "", BUNDLED) + f"\n{key}: [1, 2]\n"
    path = tmp_path / "config.yaml"
    path.write_text(text, "utf-8")
    problems = Problems()
    assert load_config(path, problems) is None
    assert [(p.line, p.message, p.fix) for p in problems.errors] == [
        (_line(text, f"\n{key}: [1, 2]") + 1, f"{label}“{key}”应是“字段: 值”的形式", fix)]
