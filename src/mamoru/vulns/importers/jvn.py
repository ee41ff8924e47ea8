"""JVN iPedia through MyJVN: ``getVulnDetailInfo`` responses (VULDEF documents) and
``getVulnOverviewList`` responses (RSS 1.0 with the ``sec:`` module). What JVN adds is the
Japanese title and overview that municipal staff read; the records are attached to the
CVEs they reference (or kept under their JVNDB id when they reference none).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from mamoru.vulns.importers.feed import Entry, FeedError, entries, parse_datetime
from mamoru.vulns.importers.records import FeedInfo, Record, VulnerabilityRecord

NS = {
    "vuldef": "http://jvn.jp/vuldef/",
    "status": "http://jvndb.jvn.jp/myjvn/Status",
    "sec": "http://jvn.jp/rss/mod_sec/3.0/",
    "rss": "http://purl.org/rss/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcterms": "http://purl.org/dc/terms/",
}
_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_JVNDB = re.compile(r"^JVNDB-\d{4}-\d{6}$")


def _text(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _score(text: str, where: str, record: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise FeedError(where, f"CVSS score {text!r} is not a number", record) from None


def _check_status(root: Element, where: str) -> None:
    status = root.find("status:Status", NS)
    if status is not None and status.get("retCd", "0") not in {"0", ""}:
        message = status.get("errMsg") or status.get("errCd") or "error"
        raise FeedError(where, f"MyJVN returned an error: {message}")


def _records(
    jvn_id: str, cves: list[str], base: VulnerabilityRecord
) -> Iterator[VulnerabilityRecord]:
    for vulnerability_id in cves or [jvn_id]:
        yield VulnerabilityRecord(
            id=vulnerability_id,
            source="jvn",
            modified=base.modified,
            published=base.published,
            title_ja=base.title_ja,
            summary_ja=base.summary_ja,
            jvn_id=jvn_id,
            cvss_score=base.cvss_score,
            cvss_vector=base.cvss_vector,
            cvss_version=base.cvss_version,
            severity=base.severity,
            aliases=(jvn_id,) if cves else (),
        )


def _best_cvss(parent: Element) -> Element | None:
    scores = parent.findall("vuldef:Impact/vuldef:Cvss", NS)
    scores.sort(key=lambda c: c.get("version", ""), reverse=True)  # v3 before v2
    return scores[0] if scores else None


def _detail(item: Element, where: str) -> Iterator[VulnerabilityRecord]:
    jvn_id = _text(item.find("vuldef:VulinfoID", NS))
    if not _JVNDB.match(jvn_id):
        raise FeedError(where, f"VulinfoID {jvn_id!r} is not a JVNDB id")
    data = item.find("vuldef:VulinfoData", NS)
    title = _text(data.find("vuldef:Title", NS)) if data is not None else ""
    if data is None or not title:
        raise FeedError(where, "missing VulinfoData/Title", jvn_id)
    cvss = _best_cvss(data)
    base = VulnerabilityRecord(
        id=jvn_id,
        source="jvn",
        title_ja=title,
        summary_ja=_text(data.find("vuldef:VulinfoDescription/vuldef:Overview", NS)),
        modified=parse_datetime(_text(data.find("vuldef:DateLastUpdated", NS)), where, jvn_id),
        published=parse_datetime(_text(data.find("vuldef:DateFirstPublished", NS)), where, jvn_id),
        cvss_score=_score(_text(cvss.find("vuldef:Base", NS)), where, jvn_id) if cvss else None,
        cvss_vector=_text(cvss.find("vuldef:Vector", NS)) if cvss is not None else "",
        cvss_version=cvss.get("version", "") if cvss is not None else "",
        severity=_text(cvss.find("vuldef:Severity", NS)).lower() if cvss is not None else "",
    )
    cves = [
        _text(related.find("vuldef:VulinfoID", NS))
        for related in data.findall("vuldef:Related/vuldef:RelatedItem", NS)
    ]
    yield from _records(jvn_id, sorted({c for c in cves if _CVE.match(c)}), base)


def _overview(item: Element, where: str) -> Iterator[VulnerabilityRecord]:
    jvn_id = _text(item.find("sec:identifier", NS))
    if not _JVNDB.match(jvn_id):
        raise FeedError(where, f"sec:identifier {jvn_id!r} is not a JVNDB id")
    title = _text(item.find("rss:title", NS))
    if not title:
        raise FeedError(where, "missing title", jvn_id)
    cvss = item.find("sec:cvss", NS)
    base = VulnerabilityRecord(
        id=jvn_id,
        source="jvn",
        title_ja=title,
        summary_ja=_text(item.find("rss:description", NS)),
        modified=parse_datetime(_text(item.find("dcterms:modified", NS)), where, jvn_id),
        published=parse_datetime(_text(item.find("dcterms:issued", NS)), where, jvn_id),
        cvss_score=_score(cvss.get("score", ""), where, jvn_id) if cvss is not None else None,
        cvss_vector=cvss.get("vector", "") if cvss is not None else "",
        cvss_version=cvss.get("version", "") if cvss is not None else "",
        severity=cvss.get("severity", "").lower() if cvss is not None else "",
    )
    cves = [
        ref.get("id", "")
        for ref in item.findall("sec:references", NS)
        if ref.get("source") == "CVE"
    ]
    yield from _records(jvn_id, sorted({c for c in cves if _CVE.match(c)}), base)


def parse_document(entry: Entry) -> Iterator[Record]:
    try:
        root = fromstring(entry.read())
    except (ParseError, DefusedXmlException) as error:
        raise FeedError(entry.name, f"not well-formed or unsafe XML: {error}") from None
    _check_status(root, entry.name)
    if root.tag == f"{{{NS['vuldef']}}}VULDEF-Document":
        items = root.findall("vuldef:Vulinfo", NS)
        parse_item = _detail
    elif root.tag == f"{{{NS['rdf']}}}RDF":
        items = root.findall("rss:item", NS)
        parse_item = _overview
    else:
        raise FeedError(entry.name, f"not a MyJVN response (root element {root.tag})")
    yield FeedInfo(version=root.get("version", ""))
    for index, item in enumerate(items):
        yield from parse_item(item, f"{entry.name} item {index + 1}")


class JvnImporter:
    source = "jvn"
    description = "JVN iPedia MyJVN XML (getVulnDetailInfo or getVulnOverviewList)"

    def parse(self, path: Path) -> Iterator[Record]:
        for entry in entries(path):
            if entry.wanted(".xml", ".rdf"):
                yield from parse_document(entry)
