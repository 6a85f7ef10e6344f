"""The 依申请公开 guide: the time limits of the 政府信息公开条例 in plain words, and an example of
the dates they give, counted on the build date with the official working-day calendar.

The limits are fixed by the 条例 (国务院令第711号), not by config.yaml; the 受理机构 are config's
(load/config.py ApplyOptions). The page (templates/apply.html) and its search record both read
these rows, so what is searched is what the page says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .workdays import add_working_days, covered_years

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Limit:
    step: str  # 环节
    rule: str  # the limit in plain words
    basis: str  # 条例 article(s)


LIMITS = (
    Limit("当场答复", "能够当场答复的，当场答复。", "第三十三条第一款"),
    Limit("答复", "不能当场答复的，自收到申请之日起 20 个工作日内答复。", "第三十三条第二款"),
    Limit("延长答复期限", "需要延长的，经政府信息公开工作机构负责人同意并告知申请人，最多再延长 20 个工作日。",
          "第三十三条第二款"),
    Limit("补正申请", "申请内容不明确的，行政机关自收到申请之日起 7 个工作日内一次性告知需要补正的事项；"
          "答复期限从收到补正后的申请之日起重新计算。无正当理由逾期不补正的，视为放弃申请。", "第三十条"),
    Limit("征求第三方意见", "公开可能损害第三方合法权益的，书面征求第三方意见，第三方自收到征求意见书之日起"
          " 15 个工作日内提出意见。征求意见的时间不计入答复期限。", "第三十二条、第三十三条第三款"),
    Limit("征求其他机关意见", "与其他机关共同制作的信息，被征求意见的机关自收到之日起 15 个工作日内提出意见，"
          "逾期未提出的视为同意公开。征求意见的时间不计入答复期限。", "第三十四条、第三十三条第三款"),
    Limit("数量、频次明显超过合理范围", "行政机关可以要求申请人说明理由；理由不合理的，告知不予处理；"
          "理由合理但无法在规定期限内答复的，可以确定延迟答复的合理期限并告知申请人。", "第三十五条"),
    Limit("收费", "不收费。申请的数量、频次明显超过合理范围的，可以收取信息处理费，按《政府信息公开信息处理费管理办法》"
          "（国办函〔2020〕109号）执行。", "第四十二条"),
)

# 第三十一条: the day an application counts as received, by how it was handed in.
RECEIPT_DAYS = (
    ("当面提交", "以提交之日为收到申请之日。"),
    ("邮寄", "以行政机关签收之日为收到申请之日；以平常信函等无需签收的方式邮寄的，政府信息公开工作机构于收到当日"
             "与申请人确认，确认之日为收到申请之日。"),
    ("通过互联网渠道（如电子邮件）或者传真提交", "以双方确认之日为收到申请之日。"),
)

# 第三十六条: what the answer can be.
ANSWERS = (
    "所申请的信息已经主动公开的，告知获取的方式和途径；",
    "可以公开的，向申请人提供该信息，或者告知获取的方式、途径和时间；",
    "依法不予公开的，告知不予公开并说明理由；",
    "经检索没有所申请信息的，告知该信息不存在；",
    "不属于本机关负责公开的，告知并说明理由；能够确定负责公开的机关的，告知该机关的名称、联系方式；",
    "已就同一申请作出答复、申请人重复申请的，告知不予重复处理；",
    "所申请的是工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，告知依照有关法律、行政法规的规定办理。",
)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


@dataclass(frozen=True)
class WorkedExample:
    received: date
    correction_by: date  # 补正告知 at the latest (7 working days)
    reply_by: date  # 20 working days
    extended_by: date  # a further 20 working days at most
    exact: bool  # every day counted lies in a year whose holiday arrangement is published
    last_known_year: int



def worked_example(build_date: date) -> WorkedExample | None:
    """The limits counted from the first working day on or after the build date."""
    first = add_working_days(build_date - timedelta(days=1), 1)
    if first is None:
        return None
    received, exact = first
    counted = [add_working_days(received, n) for n in (7, 20, 40)]
    if any(result is None for result in counted):
        return None
    (correction, e1), (reply, e2), (extended, e3) = counted
    return WorkedExample(received, correction, reply, extended, exact and e1 and e2 and e3, covered_years()[1])


@dataclass(frozen=True)
class ApplyGuide:
    """What the guide page shows besides config.yaml's 受理机构."""

    example: WorkedExample | None
    limits: tuple[Limit, ...] = LIMITS
    receipt_days: tuple[tuple[str, str], ...] = RECEIPT_DAYS
    answers: tuple[str, ...] = ANSWERS

    @staticmethod
    def date(day: date) -> str:
        return chinese_date(day)

    def digest_text(self) -> str:
        return repr(self)


def apply_guide(build_date: date) -> ApplyGuide:
    return ApplyGuide(worked_example(build_date))
