"""A document's standing on the build date, as the notices a reader must see above its text:
repealed, replaced, expired, amended, not yet in force, or about to be. The page, the JSON
export, the Atom entry and the JSON-LD all say the same facts, from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..load.models import EXPIRED, NOT_YET, REPEALED, Document

ENDED, CHANGED, PENDING = "invalid", "changed", "pending"  # how a notice weighs: no longer in force, changed, to come


@dataclass(frozen=True)
class Notice:
    kind: str  # 已废止, 已失效, 已修改, 尚未施行, 即将修改, 即将废止
    weight: str  # ENDED, CHANGED or PENDING
    on: date | None  # the day it happened or will happen, when known
    lead: str  # the sentence up to the document that did it
    by: Document | None = None
    tail: str = ""  # the rest of the sentence

    @property
    def text(self) -> str:
        """The whole sentence in plain words, the acting document by title and 文号."""
        return self.lead + (cite(self.by) if self.by is not None else "") + self.tail


def cite(doc: Document) -> str:
    return f"《{doc.title}》" + (f"（{doc.doc_number}）" if doc.doc_number else "")


def notices(doc: Document, today: date) -> list[Notice]:
    """Most weighty first: whether it is in force, then what changed it, then what is to come."""
    found = [*_ended(doc)]
    if doc.status == NOT_YET:
        found.append(Notice(NOT_YET, PENDING, doc.in_force,
                            f"本文件自 {doc.in_force} 起施行，目前尚未施行。"))
    for other in doc.amended_by:
        if other.effective <= today:
            found.append(Notice("已修改", CHANGED, other.effective, f"本文件已于 {other.effective} 被", other,
                                "修改，请对照修改文件阅读。"))
        elif doc.status != REPEALED:
            found.append(Notice("即将修改", PENDING, other.effective, "", other,
                                f"将于 {other.effective} 起修改本文件。"))
    if doc.status not in (REPEALED, EXPIRED):
        if doc.replaced_by is not None:
            found.append(Notice("即将废止", PENDING, doc.replaced_by.effective, "", doc.replaced_by,
                                f"将于 {doc.replaced_by.effective} 起施行，届时代替本文件，本文件同时废止。"))
        elif doc.validity == REPEALED and doc.repealed and doc.repealer is not None:
            found.append(Notice("即将废止", PENDING, doc.repealed, f"本文件将于 {doc.repealed} 起废止（依据",
                                doc.repealer, "）。"))
        elif doc.validity == REPEALED and doc.repealed:
            found.append(Notice("即将废止", PENDING, doc.repealed, f"本文件将于 {doc.repealed} 起废止。"))
    return found


def _ended(doc: Document):
    rest = "，仅供查阅，不再作为依据。"
    if doc.status == REPEALED:
        if doc.replaced_by is not None:
            yield Notice("已废止", ENDED, doc.ended, "本文件已被", doc.replaced_by,
                         f"代替，自 {doc.ended} 起废止" + rest)
        elif doc.repealer is not None:
            on = f"已于 {doc.repealed} " if doc.repealed else "已"
            yield Notice("已废止", ENDED, doc.repealed, f"本文件{on}废止（依据", doc.repealer, "）" + rest)
        else:
            on = f"已于 {doc.repealed} 废止" if doc.repealed else "已废止"
            yield Notice("已废止", ENDED, doc.repealed, f"本文件{on}" + rest)
    elif doc.status == EXPIRED:
        if doc.expires:
            ended = doc.expires + timedelta(days=1)
            yield Notice("已失效", ENDED, ended, f"本文件有效期至 {doc.expires}，已于 {ended} 失效" + rest)
        else:
            yield Notice("已失效", ENDED, None, "本文件已失效" + rest)
