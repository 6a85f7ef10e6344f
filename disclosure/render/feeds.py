"""Atom feeds (RFC 4287): the whole column, and one per issuing organisation, topic and document kind.

Every value comes from the content and the build date, never the clock, so two builds of the
same content give the same bytes. Ids are the absolute URLs of the pages, which are as stable
as the site's address: documents never change their URL (it is their file name).
"""

from __future__ import annotations

import heapq
import html
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

from ..model.classify import Site
from ..model.lifecycle import last_event
from ..model.standing import notices
from ..load.models import ANSWERED, OPEN, REPEALED, Consultation, Document, Interpretation, Report

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Feed readers fetch the whole file on every poll; 50 entries cover well over a month of a busy
# column, and everything older stays on the listing pages and in api/documents.json.
FEED_LIMIT = 50
ET.register_namespace("", ATOM)

# A change of these is a new entry's worth: the title says it, and `updated` moves to its day.
SHOWN_IN_TITLE = ("已废止", "已失效", "已修改", "尚未施行")


@dataclass
class Feed:
    url: str  # site path, e.g. /feeds/bodies/caizhengju.xml
    name: str  # short, for lists grouped by kind of feed, e.g. 区财政局
    label: str  # what it follows, e.g. 区财政局发布的文件
    page: str  # the HTML page it mirrors
    items: list
    children: list["Feed"] = field(default_factory=list)  # second-level topics under a topic
    pages: tuple[str, ...] = ()  # further pages that offer it
    entries: list = field(default_factory=list)  # its newest FEED_LIMIT items, newest first (set by FeedIndex)

    @property
    def file(self) -> str:
        return self.url.lstrip("/")


class FeedIndex:
    """Every feed of the site, and which page offers which feed."""

    limit = FEED_LIMIT

    def __init__(self, site: Site):
        reports = [view.report for series in site.reports for view in series.reports]
        items = [*site.documents, *site.content.interpretations, *reports]
        self.all = Feed("/feeds/all.xml", "全部", "全部文件、解读和年度报告", "/documents/", items,
                        pages=("/", "/interpretations/", "/reports/"))
        self.organisations = [Feed(f"/feeds/bodies/{v.organisation.slug}.xml", v.organisation.name,
                                   f"{v.organisation.name}发布的文件" + ("和年度报告" if v.reports else ""), v.url,
                                   [*v.documents, *v.reports]) for v in site.organisations if v.documents or v.reports]
        self.topics = []
        for view in site.topics:
            if not view.documents:
                continue
            top = Feed(f"/feeds/topics/{view.topic.slug}.xml", view.topic.name, f"主题：{view.topic.label}",
                       view.url, view.documents)
            top.children = [Feed(f"/feeds/topics/{c.topic.path}.xml", c.topic.name, f"主题：{c.topic.label}",
                                 c.url, c.documents) for c in view.children if c.documents]
            self.topics.append(top)
        self.kinds = [Feed(f"/feeds/kinds/{kind.slug}.xml", kind.name, f"公文种类：{kind.name}",
                           f"/kinds/{kind.slug}/", docs) for kind, docs in site.kinds]
        consultations = site.participation.consultations
        self.consultations = Feed("/feeds/consultations.xml", "意见征集", "意见征集", "/consultations/", consultations)
        # One sort of everything, then each feed takes its newest items by rank: the same order
        # as sorting each feed, without sorting tens of thousands of items once per feed.
        rank = {id(item): n for n, item in enumerate(latest_change_first([*items, *consultations], site.build_date))}
        self._by_page = {}
        for feed in self:
            feed.entries = heapq.nsmallest(FEED_LIMIT, feed.items, key=lambda item: rank[id(item)])
            for page in (feed.page, *feed.pages):
                self._by_page[page] = feed

    def __iter__(self):
        yield self.all
        yield from self.organisations
        for top in self.topics:
            yield top
            yield from top.children
        yield from self.kinds
        yield self.consultations

    def for_page(self, page) -> Feed | None:
        """The feed a page offers; every page of a paginated listing offers its listing's feed."""
        paged = page.context.get("paged")
        return self._by_page.get(paged.first_url if paged else page.url)


def feed_title(site: Site, feed: Feed) -> str:
    return f"{site.config.site.name}{site.config.site.column}：{feed.label}"


def timestamp(day: date) -> str:
    """RFC 3339 at the start of the day in China, where the column publishes."""
    return f"{day.isoformat()}T00:00:00+08:00"


def updated(item, today: date) -> date:
    if isinstance(item, Consultation):  # its feedback brings it back to the top
        return item.feedback.published if item.feedback and item.status == ANSWERED else item.start
    return last_event(item, today) if isinstance(item, Document) else item.published


def latest_change_first(items: list, today: date) -> list:
    """Feed order: the latest lifecycle event first (a repeal brings a document back to the top)."""
    return sorted(items, key=lambda i: (-updated(i, today).toordinal(), -i.published.toordinal(), type(i).__name__, i.id))


def render_feed(site: Site, feed: Feed) -> bytes:
    absolute = _absolute(site)
    entries = feed.entries
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "zh-CN"})
    _text(root, "id", absolute(feed.url))
    _text(root, "title", feed_title(site, feed))
    _text(root, "subtitle", f"{site.config.site.column}的更新：新发布的文件，以及文件废止、失效的提示。"
          f"本订阅列出最近的 {FEED_LIMIT} 条，更早的内容请在网站上查看。")
    _link(root, "self", absolute(feed.url), "application/atom+xml")
    _link(root, "alternate", absolute(feed.page), "text/html")
    # An empty column has no content date; the build date is the next best deterministic value.
    _text(root, "updated", timestamp(max((updated(i, site.build_date) for i in entries), default=site.build_date)))
    _author(root, site.config.site.organisation)
    for item in entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        if isinstance(item, Document):
            _document_entry(entry, site, item, absolute)
        elif isinstance(item, Report):
            _report_entry(entry, item, absolute)
        elif isinstance(item, Consultation):
            _consultation_entry(entry, item, absolute, site.build_date)
        else:
            _interpretation_entry(entry, item, absolute)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _document_entry(entry, site: Site, doc: Document, absolute) -> None:
    told = notices(doc, site.build_date)
    kinds = list(dict.fromkeys(n.kind for n in told if n.kind in SHOWN_IN_TITLE))
    status = "、".join(kinds) or "现行有效"
    prefix = "".join(f"【{kind}】" for kind in kinds) + ("【示例】" if doc.sample else "")
    _text(entry, "id", absolute(doc.url))
    _text(entry, "title", prefix + doc.title)
    _link(entry, "alternate", absolute(doc.url), "text/html")
    _text(entry, "published", timestamp(doc.published))
    _text(entry, "updated", timestamp(updated(doc, site.build_date)))
    for organisation in doc.issuers:
        _author(entry, organisation.name)
    ET.SubElement(entry, f"{{{ATOM}}}category",
                  {"term": doc.topic.path, "scheme": absolute("/topics/"), "label": doc.topic.label})
    ET.SubElement(entry, f"{{{ATOM}}}category",
                  {"term": doc.kind.slug, "scheme": absolute("/kinds/"), "label": doc.kind.name})
    issuers = "、".join(b.name for b in doc.issuers)
    summary = [doc.doc_number, issuers, f"{doc.published} 发布", status]
    _text(entry, "summary", "　".join(s for s in summary if s), type="text")
    rows = [("发文字号", doc.doc_number or "无"), ("发布机构", issuers), ("成文日期", str(doc.written)),
            ("发布日期", str(doc.published)), ("主题分类", doc.topic.label), ("公文种类", doc.kind.name),
            ("有效性", status)]
    if doc.expires:
        rows.append(("有效期至", str(doc.expires)))
    if doc.in_force:
        rows.append(("施行日期", str(doc.in_force)))
    if doc.status == REPEALED and doc.ended:
        rows.append(("废止日期", str(doc.ended)))
    rows += [("说明", f"【{notice.kind}】{notice.text}") for notice in told]
    _text(entry, "content", _html(rows, absolute(doc.url), doc.sample), type="html")


def _interpretation_entry(entry, item: Interpretation, absolute) -> None:
    _text(entry, "id", absolute(item.url))
    _text(entry, "title", ("【示例】" if item.sample else "") + item.title)
    _link(entry, "alternate", absolute(item.url), "text/html")
    _text(entry, "published", timestamp(item.published))
    _text(entry, "updated", timestamp(item.published))
    for organisation in item.issuers:
        _author(entry, organisation.name)
    ET.SubElement(entry, f"{{{ATOM}}}category",
                  {"term": "interpretation", "scheme": absolute("/interpretations/"), "label": "政策解读"})
    about = f"解读《{item.document.title}》" if item.document else ""
    _text(entry, "summary", "　".join(s for s in (f"政策解读（{item.form}）", about) if s), type="text")
    rows = [("解读形式", item.form), ("发布机构", "、".join(b.name for b in item.issuers)),
            ("发布日期", str(item.published))]
    if item.document:
        rows.append(("解读的文件", item.document.title))
    _text(entry, "content", _html(rows, absolute(item.url), item.sample), type="html")


def _report_entry(entry, report: Report, absolute) -> None:
    _text(entry, "id", absolute(report.url))
    _text(entry, "title", ("【示例】" if report.sample else "") + report.title)
    _link(entry, "alternate", absolute(report.url), "text/html")
    _text(entry, "published", timestamp(report.published))
    _text(entry, "updated", timestamp(report.published))
    _author(entry, report.issuer.name)
    ET.SubElement(entry, f"{{{ATOM}}}category",
                  {"term": "report", "scheme": absolute("/reports/"), "label": "政府信息公开工作年度报告"})
    _text(entry, "summary", f"政府信息公开工作年度报告（{report.year}年度）　{report.issuer.name}", type="text")
    rows = [("报告年度", f"{report.year}年"), ("发布机构", report.issuer.name), ("发布日期", str(report.published))]
    _text(entry, "content", _html(rows, absolute(report.url), report.sample), type="html")


def _consultation_entry(entry, item: Consultation, absolute, today: date) -> None:
    """The entry's title carries the state on the build date, so a reader sees the window close
    and the feedback arrive."""
    _text(entry, "id", absolute(item.url))
    marked = item.sample and not item.title.startswith("【示例】")
    # The state, not the days left: a feed changes when the window opens, closes or is answered.
    state = f"征集中，{item.end} 截止" if item.status.startswith(OPEN) else item.status
    _text(entry, "title", ("【示例】" if marked else "") + f"{item.title}（{state}）")
    _link(entry, "alternate", absolute(item.url), "text/html")
    _text(entry, "published", timestamp(item.start))
    _text(entry, "updated", timestamp(updated(item, today)))
    for issuer in item.issuers:
        _author(entry, issuer.name)
    ET.SubElement(entry, f"{{{ATOM}}}category",
                  {"term": "consultation", "scheme": absolute("/consultations/"), "label": "意见征集"})
    _text(entry, "summary", f"意见征集　{state}　征集期 {item.start} 至 {item.end}", type="text")
    rows = [("征集单位", "、".join(b.name for b in item.issuers)), ("征集期", f"{item.start} 至 {item.end}"),
            ("状态", state)]
    if item.feedback and item.status == ANSWERED:
        f = item.feedback
        rows.append(("意见采纳情况", f"收到 {f.received} 条，采纳 {f.adopted} 条，部分采纳 {f.partly} 条，未采纳 {f.not_adopted} 条"))
    _text(entry, "content", _html(rows, absolute(item.url), item.sample), type="html")


def _html(rows: list[tuple[str, str]], link: str, sample: bool) -> str:
    """A small HTML summary; ElementTree escapes it once more as the text of atom:content."""
    lines = "<br>".join(f"{html.escape(k)}：{html.escape(v)}" for k, v in rows)
    note = "<p>本条是演示系统功能的示例内容，不是真实公文。</p>" if sample else ""
    return f'{note}<p>{lines}</p><p><a href="{html.escape(link)}">阅读全文</a></p>'


def _absolute(site: Site):
    options = site.config.site
    return lambda path: options.base_url + options.base_path.rstrip("/") + path


def _text(parent, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _link(parent, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": media_type, "href": href})


def _author(parent, name: str) -> None:
    author = ET.SubElement(parent, f"{{{ATOM}}}author")
    _text(author, "name", name)
