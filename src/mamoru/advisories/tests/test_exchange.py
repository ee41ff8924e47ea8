"""Advisories out and in: STIX 2.1 bundles that the reference validator accepts and that
import back into the same advisory, and MISP events."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import stix2
from django.core.exceptions import ValidationError

from mamoru.advisories import services
from mamoru.advisories.misp import event_for
from mamoru.advisories.models import Advisory, AdvisoryDelivery
from mamoru.advisories.stix import ADVISORY_EXT, BundleError, bundle_for, contents_from_bundle
from mamoru.core.exceptions import StateConflict
from mamoru.incidents.content import Tlp as IncidentTlp
from mamoru.incidents.exports.stix import TLP_MARKING_IDS
from mamoru.progress.audience import Audience, AudienceKind
from mamoru.progress.testing import principal
from mamoru.testing import CHIYODA, Cast

pytestmark = pytest.mark.django_db


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def test_the_bundle_is_valid_stix_21(advisory: Advisory) -> None:
    bundle = bundle_for([advisory])
    validator = pytest.importorskip("stix2validator")
    result = validator.validate_string(json.dumps(bundle), validator.ValidationOptions())
    assert result.is_valid, [str(e) for o in result.object_results for e in o.errors]
    parsed = stix2.parse(json.dumps(bundle), allow_custom=True)
    assert len(parsed.objects) == len(bundle["objects"])


def test_the_report_carries_what_an_advisory_says(advisory: Advisory) -> None:
    bundle = bundle_for([advisory])
    (report,) = of_type(bundle, "report")
    assert report["id"] == advisory.stix_id
    assert report["name"] == "VPN装置の脆弱性を悪用した侵入について"
    assert report["object_marking_refs"] == [TLP_MARKING_IDS[IncidentTlp.GREEN]]
    extension = report["extensions"][ADVISORY_EXT]
    assert extension["urgency"] == "high"
    assert extension["attacker"] == "ランサムウェアの攻撃者"
    assert extension["products"][0]["end_excluding"] == "7.0.14"
    (vulnerability,) = of_type(bundle, "vulnerability")
    assert vulnerability["name"] == "CVE-2024-21762"
    (software,) = of_type(bundle, "software")
    assert (software["vendor"], software["name"]) == ("fortinet", "fortios")
    actions = of_type(bundle, "course-of-action")
    assert [a["name"].split(":")[0] for a in actions] == ["まず行うこと", "その後に行うこと"]
    assert len(of_type(bundle, "relationship")) == 2
    assert report["external_references"] == [
        {"source_name": "JPCERT/CC", "url": "https://www.jpcert.or.jp/"}
    ]
    assert bundle_for([advisory]) == bundle  # stable


def test_a_bundle_imports_back_into_the_same_content(cast: Cast, advisory: Advisory) -> None:
    data = json.dumps(bundle_for([advisory])).encode()
    (imported,) = contents_from_bundle(data)
    content = imported.content
    assert imported.stix_id == advisory.stix_id
    assert (content.title, content.urgency, content.tlp) == (advisory.title, "high", "green")
    assert content.cves == ("CVE-2024-21762",)
    assert content.products[0].to_dict() == advisory.products[0]
    assert content.actions_first.endswith(advisory.actions_first)


def test_importing_delivers_and_a_newer_version_updates(cast: Cast, advisory: Advisory) -> None:
    bundle = bundle_for([advisory])
    advisory.delete()
    nation = principal(cast.nation)
    to_chiyoda = Audience(AudienceKind.LIST, codes=(CHIYODA,))
    (imported,) = services.advisory_import(
        principal=nation, data=json.dumps(bundle).encode(), audience=to_chiyoda
    )
    assert imported.imported
    assert AdvisoryDelivery.objects.unscoped("test").filter(advisory=imported).count() == 1
    with pytest.raises(StateConflict):
        services.advisory_import(
            principal=nation, data=json.dumps(bundle).encode(), audience=to_chiyoda
        )
    (report,) = of_type(bundle, "report")
    report["modified"] = (imported.stix_modified + timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    report["name"] = "【続報】VPN装置の脆弱性を悪用した侵入について"
    (updated,) = services.advisory_import(
        principal=nation, data=json.dumps(bundle).encode(), audience=to_chiyoda
    )
    assert updated.pk == imported.pk
    assert updated.title.startswith("【続報】")


def _report(marking: str) -> bytes:
    return json.dumps(
        {
            "type": "bundle",
            "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
            "objects": [
                {
                    "type": "report",
                    "spec_version": "2.1",
                    "id": "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3",
                    "created": "2025-01-10T00:00:00.000Z",
                    "modified": "2025-01-10T00:00:00.000Z",
                    "name": "外部からの報告",
                    "published": "2025-01-10T00:00:00.000Z",
                    "object_refs": ["identity--311b2d2d-f010-4473-83ec-1edf84858f4c"],
                    "object_marking_refs": [marking],
                }
            ],
        }
    ).encode()


def test_a_foreign_report_with_tlp_1_markings_imports_with_defaults(cast: Cast) -> None:
    (imported,) = contents_from_bundle(
        _report("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da")
    )
    assert imported.content.tlp == "green"
    assert imported.content.urgency == "medium"
    assert "対処の記載がありません" in imported.content.actions_first


def test_red_information_is_not_passed_on_to_municipalities(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="TLP:CLEAR、TLP:GREEN、TLP:AMBER"):
        services.advisory_import(
            principal=principal(cast.nation),
            data=_report("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"),
            audience=Audience(AudienceKind.ALL),
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "JSON として読めません"),
        (b'{"type": "indicator"}', "バンドル"),
        (
            b'{"type": "bundle", "id": "bundle--x", "objects": []}',
            "STIX 2.1 として正しくありません",
        ),
        (
            json.dumps(
                {
                    "type": "bundle",
                    "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
                    "objects": [
                        {
                            "type": "identity",
                            "spec_version": "2.1",
                            "id": "identity--311b2d2d-f010-4473-83ec-1edf84858f4c",
                            "created": "2025-01-10T00:00:00.000Z",
                            "modified": "2025-01-10T00:00:00.000Z",
                            "name": "CSIRT",
                        }
                    ],
                }
            ).encode(),
            "report オブジェクトがありません",
        ),
    ],
)
def test_what_is_not_a_bundle_with_a_report_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(BundleError, match=message):
        contents_from_bundle(data)


def test_the_misp_event_has_the_advisory_as_attributes_and_tags(advisory: Advisory) -> None:
    event = event_for(advisory)["Event"]
    assert event["info"] == advisory.title
    assert event["threat_level_id"] == "1"
    assert {"name": "tlp:green"} in event["Tag"]
    types = {(a["type"], a["value"]) for a in event["Attribute"]}
    assert ("vulnerability", "CVE-2024-21762") in types
    assert ("link", "https://www.jpcert.or.jp/") in types
    assert any(kind == "text" and "fortinet fortios" in value for kind, value in types)
    assert all(a["uuid"] for a in event["Attribute"])
    assert event_for(advisory) == {"Event": event}  # stable
