"""Advisories as STIX 2.1, out and in.

Out (:func:`bundle_for`, :func:`objects_for`): each advisory is a ``report``
(``report_types: threat-report``) written by the sender's ``identity`` and marked with the
official TLP 2.0 ``marking-definition`` (``mamoru.incidents.exports.stix``); it refers to
a ``vulnerability`` per CVE, a ``software`` object per affected product (with its CPE),
and ``course-of-action`` objects for what to do first and later, each ``mitigates`` the
vulnerabilities. What STIX has no property for — urgency, importance, threat, attacker,
purpose, background, expected damage, version ranges — travels in this module's own
property extension (an ``extension-definition`` in the bundle, §7.3 of STIX 2.1), so
a receiver that does not know it still reads a valid report.

In (:func:`contents_from_bundle`): every ``report`` of a bundle becomes an advisory's
content, reading the same objects back (and TLP 1.0 markings too). The bundle is first
parsed by the ``stix2`` library, which refuses malformed STIX.

Ids are stable: a report keeps its id across versions (``modified`` changes), CVE objects
have one id per CVE, and everything else is UUIDv5 under a fixed namespace.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from mamoru.advisories.content import AdvisoryContent, Source
from mamoru.advisories.models import Advisory, Importance, Tlp, Urgency
from mamoru.advisories.products import AffectedProduct
from mamoru.incidents.content import Tlp as IncidentTlp
from mamoru.incidents.exports.stix import TLP_MARKING_IDS, timestamp, tlp_marking_definition

StixObject = dict[str, Any]

NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://mamoru.example/stix/advisories")
EPOCH: Final = datetime(2025, 1, 1, tzinfo=UTC)
MAMORU_IDENTITY: Final = f"identity--{uuid.uuid5(NAMESPACE, 'mamoru')}"
ADVISORY_EXT: Final = f"extension-definition--{uuid.uuid5(NAMESPACE, 'advisory-extension-1')}"
EXTENSION_PROPERTIES: Final = (
    "urgency",
    "importance",
    "threat",
    "attacker",
    "purpose",
    "background",
    "expected_damage",
)
# TLP 1.0 markings of the STIX 2.1 specification (§7.2.1.4), read on import.
TLP1_IDS: Final = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}
TLP2_IDS: Final = {marking: Tlp(tlp.value) for tlp, marking in TLP_MARKING_IDS.items()}
NO_ACTION: Final = "（取り込んだ情報に対処の記載がありません。情報源を確認してください。）"


def _id(kind: str, *parts: object) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(str(p) for p in parts))}"


def mamoru_objects() -> list[StixObject]:
    """The identity of the platform and the definition of its property extension."""
    created = timestamp(EPOCH)
    return [
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": MAMORU_IDENTITY,
            "created": created,
            "modified": created,
            "name": "mamoru",
            "identity_class": "system",
        },
        {
            "type": "extension-definition",
            "spec_version": "2.1",
            "id": ADVISORY_EXT,
            "created_by_ref": MAMORU_IDENTITY,
            "created": created,
            "modified": created,
            "name": "mamoru advisory",
            "description": "Properties of a mamoru advisory that STIX 2.1 has no property for.",
            "schema": (
                "Properties of a report: urgency (immediate|high|medium|low), importance "
                "(high|medium|low), threat, attacker, purpose, background, expected_damage "
                "(strings), products (list of objects with vendor, product, cpe, exact, "
                "start_including, start_excluding, end_including, end_excluding)."
            ),
            "version": "1.0",
            "extension_types": ["property-extension"],
        },
    ]


def sender_identity(code: str, name: str) -> StixObject:
    created = timestamp(EPOCH)
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": _id("identity", code),
        "created": created,
        "modified": created,
        "name": name,
        "identity_class": "organization",
        "sectors": ["government-national"],
    }


def _software(product: AffectedProduct) -> StixObject:
    import stix2

    fields = {"name": product.product, "vendor": product.vendor}
    if product.cpe:
        fields["cpe"] = product.cpe
    if product.exact:
        fields["version"] = product.exact
    software: StixObject = json.loads(stix2.Software(**fields).serialize())
    return software


def _vulnerability(cve: str, marking: str) -> StixObject:
    created = timestamp(EPOCH)
    return {
        "type": "vulnerability",
        "spec_version": "2.1",
        "id": _id("vulnerability", cve),
        "created": created,
        "modified": created,
        "name": cve,
        "external_references": [{"source_name": "cve", "external_id": cve}],
        "object_marking_refs": [marking],
    }


def _actions(advisory: Advisory, common: Mapping[str, Any]) -> list[StixObject]:
    actions = [("first", "まず行うこと", advisory.actions_first)]
    if advisory.actions_later:
        actions.append(("later", "その後に行うこと", advisory.actions_later))
    return [
        {
            **common,
            "type": "course-of-action",
            "id": _id("course-of-action", advisory.public_id, when),
            "name": f"{name}: {advisory.title}",
            "description": text,
        }
        for when, name, text in actions
    ]


def objects_for(advisory: Advisory) -> list[StixObject]:
    """Every STIX object of one advisory (the shared ones — identities, markings, the
    extension definition, CVEs — too; a bundle of several advisories deduplicates)."""
    marking = TLP_MARKING_IDS[IncidentTlp(advisory.tlp)]
    identity = sender_identity(advisory.sender.code, advisory.sender.name)
    common = {
        "spec_version": "2.1",
        "created": timestamp(advisory.published_at),
        "modified": timestamp(advisory.stix_modified),
        "created_by_ref": identity["id"],
        "object_marking_refs": [marking],
    }
    vulnerabilities = [_vulnerability(cve, marking) for cve in advisory.cves]
    products = [AffectedProduct.from_dict(p) for p in advisory.products]
    software = [_software(p) for p in products]
    actions = _actions(advisory, common)
    relationships = [
        {
            **common,
            "type": "relationship",
            "id": _id("relationship", advisory.public_id, action["id"], vuln["id"]),
            "relationship_type": "mitigates",
            "source_ref": action["id"],
            "target_ref": vuln["id"],
        }
        for action in actions
        for vuln in vulnerabilities
    ]
    extension: dict[str, Any] = {"extension_type": "property-extension"}
    extension |= {name: getattr(advisory, name) for name in EXTENSION_PROPERTIES}
    extension["products"] = [p.to_dict() for p in products]
    report = {
        **common,
        "type": "report",
        "id": advisory.stix_id,
        "name": advisory.title,
        "description": advisory.summary,
        "lang": "ja",
        "report_types": ["threat-report", *(["vulnerability"] if vulnerabilities else [])],
        "published": timestamp(advisory.published_at),
        "object_refs": [o["id"] for o in (*vulnerabilities, *software, *actions, *relationships)],
        "extensions": {ADVISORY_EXT: extension},
    }
    sources = [
        {"source_name": s["name"], **({"url": s["url"]} if s.get("url") else {})}
        for s in advisory.sources
    ]
    if sources:
        report["external_references"] = sources
    return [
        report,
        identity,
        tlp_marking_definition(IncidentTlp(advisory.tlp)),
        *mamoru_objects(),
        *vulnerabilities,
        *software,
        *actions,
        *relationships,
    ]


def unique(objects: Iterable[StixObject]) -> list[StixObject]:
    seen: dict[str, StixObject] = {}
    for obj in objects:
        seen.setdefault(obj["id"], obj)
    return list(seen.values())


def bundle_for(advisories: Sequence[Advisory]) -> StixObject:
    """A STIX 2.1 bundle of ``advisories`` (the same advisories give the same bundle id)."""
    objects = unique(o for advisory in advisories for o in objects_for(advisory))
    key = "|".join(sorted(f"{a.stix_id}@{a.stix_modified.isoformat()}" for a in advisories))
    return {"type": "bundle", "id": _id("bundle", key), "objects": objects}


class BundleError(ValueError):
    """A file that is not a STIX 2.1 bundle with a report; the message is Japanese."""


@dataclass(frozen=True)
class ImportedAdvisory:
    stix_id: str
    modified: datetime
    content: AdvisoryContent


def _parse(data: bytes) -> list[StixObject]:
    import stix2

    try:
        bundle = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError("JSON として読めません。") from error
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise BundleError("STIX のバンドル（type が bundle の JSON）ではありません。")
    try:
        stix2.parse(bundle, allow_custom=True)
    except Exception as error:  # the library raises many kinds for invalid STIX
        raise BundleError(f"STIX 2.1 として正しくありません: {error}") from error
    objects = [o for o in bundle.get("objects", []) if isinstance(o, dict)]
    if not any(o.get("type") == "report" for o in objects):
        raise BundleError("注意喚起にできる report オブジェクトがありません。")
    return objects


def _tlp(report: StixObject) -> str:
    for ref in report.get("object_marking_refs", []):
        if ref in TLP2_IDS:
            return TLP2_IDS[ref].value
        if ref in TLP1_IDS:
            return TLP1_IDS[ref].value
    return Tlp.AMBER.value  # unmarked: the cautious choice, shared with recipients only


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _cve(obj: StixObject) -> str:
    for ref in obj.get("external_references", []):
        if ref.get("source_name") == "cve" and ref.get("external_id"):
            return str(ref["external_id"])
    return str(obj.get("name", ""))


def _product(obj: StixObject) -> AffectedProduct:
    return AffectedProduct(
        vendor=str(obj.get("vendor", "")).lower(),
        product=str(obj.get("name", "")).lower(),
        cpe=str(obj.get("cpe", "")),
        exact=str(obj.get("version", "")),
    )


def _choice(value: object, allowed: list[str], default: str) -> str:
    return str(value) if value in allowed else default


def _content(report: StixObject, by_id: Mapping[str, StixObject]) -> AdvisoryContent:
    refs = [by_id[r] for r in report.get("object_refs", []) if r in by_id]
    extension = report.get("extensions", {}).get(ADVISORY_EXT, {})
    actions = [o for o in refs if o.get("type") == "course-of-action"]
    if extension.get("products"):
        products = [AffectedProduct.from_dict(p) for p in extension["products"]]
    else:
        products = [_product(o) for o in refs if o.get("type") == "software"]
    described = [f"{a.get('name', '')}\n\n{a.get('description', '')}".strip() for a in actions]
    return AdvisoryContent(
        title=str(report.get("name", ""))[:200],
        summary=str(report.get("description", "")) or str(report.get("name", "")),
        actions_first=described[0] if described else NO_ACTION,
        actions_later="\n\n".join(described[1:]),
        urgency=_choice(extension.get("urgency"), Urgency.values, Urgency.MEDIUM),
        importance=_choice(extension.get("importance"), Importance.values, Importance.MEDIUM),
        tlp=_tlp(report),
        **{name: str(extension.get(name, "")) for name in EXTENSION_PROPERTIES[2:]},
        products=tuple(products),
        cves=tuple(_cve(o) for o in refs if o.get("type") == "vulnerability"),
        sources=tuple(
            Source(str(r.get("source_name", "")), str(r.get("url", "")))
            for r in report.get("external_references", [])
            if r.get("source_name")
        ),
    )


def contents_from_bundle(data: bytes) -> list[ImportedAdvisory]:
    """The advisories (one per ``report``) of a STIX 2.1 bundle."""
    objects = _parse(data)
    by_id = {str(o.get("id")): o for o in objects}
    return [
        ImportedAdvisory(
            stix_id=str(report["id"]),
            modified=_when(str(report.get("modified", report.get("created")))),
            content=_content(report, by_id),
        )
        for report in objects
        if report.get("type") == "report"
    ]
