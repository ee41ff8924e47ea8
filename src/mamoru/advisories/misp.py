"""An advisory as a MISP event (the JSON that MISP's "Add Event from JSON" and its
``/events/add`` API take): one event per advisory, its TLP and urgency as tags, and the
CVEs, CPEs, sources and texts as attributes. Attribute types and categories are from
MISP's ``describeTypes`` (``vulnerability``, ``cpe``, ``link``, ``text``, ``comment``)."""

from __future__ import annotations

import uuid
from typing import Any, Final

from mamoru.advisories.models import Advisory, Importance, Tlp, Urgency
from mamoru.advisories.products import AffectedProduct
from mamoru.advisories.stix import NAMESPACE

# MISP threat levels: 1 high, 2 medium, 3 low, 4 undefined.
THREAT_LEVEL: Final = {
    Urgency.IMMEDIATE: "1",
    Urgency.HIGH: "1",
    Urgency.MEDIUM: "2",
    Urgency.LOW: "3",
}
# MISP distribution: 0 your organisation only, 1 this community, 3 all communities.
DISTRIBUTION: Final = {
    Tlp.CLEAR: "3",
    Tlp.GREEN: "1",
    Tlp.AMBER: "0",
    Tlp.AMBER_STRICT: "0",
    Tlp.RED: "0",
}


def _attribute(
    advisory: Advisory, kind: str, category: str, value: str, comment: str = ""
) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid5(NAMESPACE, f"misp|{advisory.public_id}|{kind}|{value}")),
        "type": kind,
        "category": category,
        "value": value,
        "comment": comment,
        "to_ids": False,
        "distribution": "5",  # inherit the event's
    }


def event_for(advisory: Advisory) -> dict[str, Any]:
    """The MISP event of ``advisory``."""
    texts = [
        ("概要", advisory.summary),
        ("脅威", advisory.threat),
        ("攻撃者", advisory.attacker),
        ("攻撃の目的", advisory.purpose),
        ("背景", advisory.background),
        ("想定される被害", advisory.expected_damage),
        ("まず行うこと", advisory.actions_first),
        ("その後に行うこと", advisory.actions_later),
    ]
    attributes = [
        _attribute(advisory, "vulnerability", "External analysis", cve) for cve in advisory.cves
    ]
    for product in (AffectedProduct.from_dict(p) for p in advisory.products):
        if product.cpe:
            attributes.append(
                _attribute(advisory, "cpe", "External analysis", product.cpe, product.label)
            )
        else:
            attributes.append(
                _attribute(advisory, "text", "External analysis", product.label, "影響を受ける製品")
            )
    attributes += [
        _attribute(advisory, "link", "External analysis", s["url"], s["name"])
        for s in advisory.sources
        if s.get("url")
    ]
    attributes += [
        _attribute(advisory, "text", "Other", text, label) for label, text in texts if text
    ]
    published = advisory.published_at
    return {
        "Event": {
            "uuid": str(advisory.public_id),
            "info": advisory.title,
            "date": f"{published:%Y-%m-%d}",
            "timestamp": str(int(advisory.stix_modified.timestamp())),
            "publish_timestamp": str(int(published.timestamp())),
            "published": True,
            "analysis": "2",
            "threat_level_id": THREAT_LEVEL[Urgency(advisory.urgency)],
            "distribution": DISTRIBUTION[Tlp(advisory.tlp)],
            "Orgc": {
                "name": advisory.sender.name,
                "uuid": str(uuid.uuid5(NAMESPACE, f"organisation|{advisory.sender.code}")),
            },
            "Tag": [
                {"name": f"tlp:{advisory.tlp}"},
                {"name": f'mamoru:urgency="{advisory.urgency}"'},
                {"name": f'mamoru:importance="{Importance(advisory.importance).value}"'},
            ],
            "Attribute": attributes,
        }
    }
