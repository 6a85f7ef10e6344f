"""The mutations of config.yaml, the templates, the static files and the build options (see
tests/mutations.py for the content's)."""

from __future__ import annotations

from datetime import date

from conftest import EPOCH, ROOT
from mutation_edits import (REMOVE, Mutation, apply_office, apply_option, body_entry, config, delete_file, epoch, front,
                            option, set_key, site_option, static_edit, template_edit, term_entry, topic_entry,
                            write_file)
from mutation_project import DOCS, REPEALED


def _desk_on_github_with_oauth(data: dict) -> None:
    desk = data["desk"]
    for key in ("host", "app_id"):  # GitLab's and Gitea's, which a GitHub desk refuses
        desk.pop(key, None)
    desk.update(backend="github", oauth="https://oauth.example.gov.cn")


def _config_mutations() -> list[Mutation]:
    m = []

    def add(name, apply, search=False):
        m.append(Mutation("config.yaml", name, apply, search))

    add("site.name", site_option("name", "济南市天桥区政府"), True)
    add("site.column", site_option("column", "政务公开专栏"))
    add("site.column removed (the default)", site_option("column", REMOVE))
    add("site.organisation", site_option("organisation", "济南市天桥区人民政府办公室"))
    add("site.description", site_option("description", "天桥区政府信息公开专栏。"))
    add("site.description removed", site_option("description", REMOVE))
    add("site.base_url", site_option("base_url", "https://www.example.gov.cn"), True)
    add("site.base_path", site_option("base_path", "/xxgk/"), True)
    add("site.base_path back", site_option("base_path", "/"), True)
    add("site.site_id_code", site_option("site_id_code", "3701050001"))
    add("site.page_size", site_option("page_size", 2))
    add("site.page_size removed (the default)", site_option("page_size", REMOVE))
    add("site.latest_count", site_option("latest_count", 3))
    add("participation.feedback_days", config(lambda c: c["participation"].update(feedback_days=45)))
    add("bodies: a used body renamed (its old name an alias)", body_entry(
        "区政府办公室", lambda b: b.update(name="区人民政府办公室", aliases=[*b["aliases"], "区政府办公室"])), True)
    add("bodies: a slug", body_entry("区财政局", set_key("slug", "qu-caizhengju")))
    add("bodies: a type", body_entry("区财政局", set_key("type", "unit")))
    add("bodies: an alias added", body_entry("区财政局", set_key("aliases", ["区财政"])), True)
    add("bodies: an alias removed", body_entry("区科技局", set_key("aliases", [])), True)
    add("bodies: a body joins a group", body_entry("区档案馆", set_key("groups", ["gebumen"])))
    add("bodies: a group's member types", body_entry("各部门", set_key("member_types", ["department", "unit"])))
    add("bodies: a body added", config(lambda c: c["bodies"].append(
        {"name": "区统计局", "slug": "tongjiju", "type": "department", "aliases": ["区统计"]})), True)
    add("bodies: a body removed", config(lambda c: c["bodies"].remove(
        next(b for b in c["bodies"] if b["name"] == "北园街道办事处"))), True)
    add("bodies: reordered", config(lambda c: c["bodies"].reverse()))
    add("topics: a used first-level topic's slug", topic_entry("民政、扶贫、救灾", set_key("slug", "minzheng")))
    add("topics: a used second-level topic's slug", topic_entry("民政、扶贫、救灾/社会福利", set_key("slug", "fuli")))
    add("topics: an unused topic renamed", topic_entry("其他", set_key("name", "其他主题")))
    add("topics: a child added", topic_entry("民政、扶贫、救灾", lambda t: t["children"].append(
        {"name": "社团管理", "slug": "shetuanguanli"})))
    add("topics: an unused child renamed", topic_entry("民政、扶贫、救灾/社团管理", set_key("name", "社会团体管理")))
    add("topics: a child removed", topic_entry("民政、扶贫、救灾", lambda t: t["children"].pop()))
    add("topics: a topic added", config(lambda c: c["topics"].append({"name": "国防", "slug": "guofang"})))
    add("topics: reordered", config(lambda c: c["topics"].reverse()))
    add("kinds: an unused kind renamed", term_entry("kinds", "纪要", set_key("name", "会议纪要")))
    add("kinds: a used kind's slug", term_entry("kinds", "通知", set_key("slug", "tong-zhi")))
    add("kinds: an alias added", term_entry("kinds", "通知", set_key("aliases", ["通知书"])))
    add("kinds: a kind added", config(lambda c: c["kinds"].append({"name": "规定", "slug": "guiding"})))
    add("kinds: a kind removed", config(lambda c: c["kinds"].remove(next(k for k in c["kinds"] if k["name"] == "议案"))))
    add("kinds: reordered", config(lambda c: c["kinds"].reverse()))
    add("validity: a slug", term_entry("validity", "失效", set_key("slug", "yi-shixiao")))
    add("validity: an alias", term_entry("validity", "有效", set_key("aliases", ["现行有效"])))
    add("validity: reordered (its names are fixed)", config(lambda c: c["validity"].reverse()))
    add("interpretation_forms: a form added", config(lambda c: c["interpretation_forms"].append("音频解读")))
    add("interpretation_forms: an unused form removed", config(lambda c: c["interpretation_forms"].remove("视频解读")))
    add("synonyms: a group added", config(lambda c: c["synonyms"].append(["工作要点", "要点"])), True)
    add("synonyms: a word added", config(lambda c: c["synonyms"][0].append("低保金")), True)
    add("synonyms: a group removed", config(lambda c: c["synonyms"].pop(0)), True)
    add("synonyms removed", config(lambda c: c.pop("synonyms")), True)
    # 依申请公开: the guide, the form, their search records and the footer link read these
    add("apply.sample", apply_option(set_key("sample", False)))
    add("apply.list_types", apply_option(set_key("list_types", ["government", "street"])), True)
    add("apply.list_bodies", apply_option(set_key("list_bodies", ["区财政局"])), True)
    for key, value in (("name", "济南市天桥区人民政府办公室"), ("address", "济南市天桥区××路1号（示例地址）"),
                       ("postcode", "250001"), ("recipient", "政府信息公开科"), ("phone", "0531-00000009"),
                       ("fax", "0531-00000008"), ("hours", "工作日9:00—17:00"), ("email", "gk-sample@example.gov.cn")):
        add(f"apply.office.{key}", apply_office(None, key, value), key in ("phone", "name"))
    add("apply.office.mail_address added", apply_office(None, "mail_address", "济南市天桥区邮政信箱1号（示例）"))
    add("apply.office.fax removed", apply_office(None, "fax", REMOVE))
    add("apply.offices.body", apply_office(0, "body", "区财政局"), True)
    for key, value in (("name", "区财政局办公室"), ("address", "济南市天桥区××街1号（示例地址）"),
                       ("recipient", "区财政局办公室收"), ("phone", "0531-00000041"), ("email", "czj-sample@example.gov.cn")):
        add(f"apply.offices.{key}", apply_office(0, key, value), key == "phone")
    add("apply.offices.fax", apply_office(1, "fax", "0531-00000023"))
    add("apply.offices.mail_address", apply_office(2, "mail_address", "济南市天桥区××路2号（示例地址）"))
    add("apply.offices.postcode", apply_office(2, "postcode", "250002"))
    add("apply.offices.hours removed (the default's)", apply_office(2, "hours", REMOVE))
    add("apply.offices: an office removed", apply_option(lambda a: a["offices"].pop(1)), True)
    # The editing desk: admin/config.yml and admin/index.html (its CSP names the git host) read these
    add("desk.backend", config(lambda c: c["desk"].update(backend="gitea", host="https://git.example.gov.cn")))
    add("desk.repo", config(lambda c: c["desk"].update(repo="xxgk/zhuanlan")))
    add("desk.branch", config(lambda c: c["desk"].update(branch="desk")))
    add("desk.host", config(lambda c: c["desk"].update(backend="gitlab", host="https://gitlab.example.gov.cn")))
    add("desk.app_id", config(lambda c: c["desk"].update(app_id="0123abcd")))
    add("desk.oauth", config(_desk_on_github_with_oauth))
    add("desk removed (no desk built)", config(lambda c: c.pop("desk")))
    # Its Decap files are shipped like static files (copied, or linked from the previous site):
    # they come back into a site that has none.
    add("desk added again", config(lambda c: c.update(desk={"backend": "github", "repo": "tianqiao/xxgk", "branch": "main"})))
    return m


def _template_mutations() -> list[Mutation]:
    templates = ROOT / "templates"
    names = sorted(path.relative_to(templates).as_posix() for path in templates.rglob("*.html"))
    return [Mutation("template", name, template_edit(name), name == "search.html") for name in names]


def _static_mutations() -> list[Mutation]:
    static = ROOT / "templates" / "static"
    names = sorted(path.relative_to(static).as_posix() for path in static.rglob("*") if path.is_file())
    m = [Mutation("static file", name, static_edit(name)) for name in names]
    m.append(Mutation("static file", "a file added", write_file("templates/static/extra.css", b"body{}\n")))
    m.append(Mutation("static file", "a file deleted", delete_file("templates/static/extra.css")))
    return m


def _option_mutations() -> list[Mutation]:
    return [
        Mutation("build option", "the next day (the open consultation: one day less)", option(epoch=epoch(date(2026, 11, 27)))),
        Mutation("build option", "the consultation's last day (征集中（今天截止）)", option(epoch=epoch(date(2026, 12, 31)))),
        Mutation("build option", "the day after it (已结束，待反馈: off the home page)", option(epoch=epoch(date(2027, 1, 1)))),
        Mutation("build option", "the scheduled document's release day", option(epoch=epoch(date(2027, 1, 4))), True),
        Mutation("build option", "the day after a 有效期至 (a document expires)", option(epoch=epoch(date(2029, 5, 24)))),
        Mutation("build option", "the day a future repeal takes effect", front(
            DOCS[REPEALED], repealed="2029-06-01")),
        Mutation("build option", "(the repeal takes effect)", option(epoch=epoch(date(2029, 6, 1)))),
        Mutation("build option", "--base-path", option(base_path="/gk/"), True),
        Mutation("build option", "--base-url", option(base_url="https://xxgk.example.gov.cn"), True),
        Mutation("build option", "the date back", option(epoch=EPOCH)),
    ]
