"""schema.org `Legislation` in JSON-LD for a document's page head: what it is, whether it is in
force on the build date, what it rests on and what it changes, for search engines and other
machines that read structured data (https://schema.org/Legislation)."""

from __future__ import annotations

import json

from ..load.models import EXPIRED, NOT_YET, REPEALED
from ..model.standing import notices

FORCE = {REPEALED: "NotInForce", EXPIRED: "NotInForce", NOT_YET: "NotInForce"}


def legislation(doc, site, absolute) -> dict:
    """`absolute(path)`: a site path as an absolute URL."""
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": absolute(doc.url),
        "url": absolute(doc.url),
        "name": doc.title,
        "inLanguage": "zh-CN",
        "legislationType": doc.kind.name,
        "legislationDate": doc.written.isoformat(),
        "datePublished": doc.published.isoformat(),
        "legislationPassedBy": [{"@type": "GovernmentOrganization", "name": o.name} for o in doc.issuers],
        "legislationLegalForce": {"@type": "LegalForceStatus", "@id": "https://schema.org/" + FORCE.get(doc.status, "InForce")},
    }
    if doc.doc_number:
        data["legislationIdentifier"] = doc.doc_number
    if doc.in_force:
        data["legislationDateOfApplicability"] = doc.in_force.isoformat()
    if doc.expires:
        data["expires"] = doc.expires.isoformat()
    if doc.based_on:
        data["isBasedOn"] = [_work(other, absolute) if other else {"@type": "Legislation", "name": text}
                             for text, other in doc.based_on]
    changes = [*doc.amending, *doc.replacing, *doc.repeals]
    if changes:
        data["legislationChanges"] = [_work(other, absolute) for other in changes]
    told = notices(doc, site.build_date)
    if told:
        data["description"] = " ".join(notice.text for notice in told)
    return data


def _work(other, absolute) -> dict:
    work = {"@type": "Legislation", "@id": absolute(other.url), "name": other.title}
    if other.doc_number:
        work["legislationIdentifier"] = other.doc_number
    return work


def script_json(data: dict) -> str:
    """JSON safe inside a <script> element: no "</", "<!--" or "]]>" can end or fool it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
