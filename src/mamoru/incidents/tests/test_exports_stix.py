"""STIX 2.1 bundles: they parse, carry the Incident Core Extension, and keep markings."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
import stix2

from mamoru.incidents.content import Phase, Tlp
from mamoru.incidents.exports import EXPORTERS
from mamoru.incidents.exports.stix import (
    EVENT_EXT,
    IMPACT_EXT,
    INCIDENT_CORE_EXT,
    TASK_EXT,
    TLP2_EXT,
    TLP_MARKING_IDS,
    bundle_for,
)
from mamoru.incidents.exports.testing import RED_CAUSE, recipient_view, submission
from mamoru.incidents.routing.codes import SECTIONS

IMPACT_CATEGORIES = {"availability", "confidentiality", "integrity", "monetary"}
# The Impact SDO names its detail extension after its impact_category (the extension's
# own schema); STIX 2.1's core schema wants "-ext" names there. That is the one error the
# reference validator reports, and the only one we accept.
KNOWN_CONFLICT = "does not match any of the regexes"


def _render(*views: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPORTERS["stix"].render(list(views)))
    return data


def _of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def _incident(bundle: dict[str, Any]) -> dict[str, Any]:
    (incident,) = _of_type(bundle, "incident")
    return incident


def test_the_bundle_parses_back_with_the_stix2_library() -> None:
    bundle = _render(recipient_view("MIC"))
    parsed = stix2.parse(json.dumps(bundle), allow_custom=True)
    assert parsed.type == "bundle"
    assert len(parsed.objects) == len(bundle["objects"])
    incident = next(o for o in parsed.objects if o["type"] == "incident")
    assert incident.name == "庁内ファイルサーバのランサムウェア感染"


def test_the_reference_validator_finds_nothing_but_the_impact_extension_names() -> None:
    validator = pytest.importorskip("stix2validator")
    result = validator.validate_string(
        json.dumps(_render(submission())), validator.ValidationOptions()
    )
    results = result if isinstance(result, list) else [result]
    errors = [str(e) for r in results for e in r.errors]
    flagged = {name for name in IMPACT_CATEGORIES for e in errors if f"'{name}'" in e}
    assert flagged == IMPACT_CATEGORIES, errors
    assert all(KNOWN_CONFLICT in e for e in errors), errors
    assert len(errors) == len(IMPACT_CATEGORIES), errors


def test_every_object_has_the_required_common_properties() -> None:
    bundle = _render(submission())
    assert bundle["type"] == "bundle"
    assert bundle["id"].startswith("bundle--")
    for obj in bundle["objects"]:
        assert obj["id"].startswith(obj["type"] + "--")
        assert obj["spec_version"] == "2.1"
        assert "created" in obj
        if obj["type"] != "marking-definition":
            assert obj["modified"] >= obj["created"]


def test_the_incident_carries_the_incident_core_extension() -> None:
    core = _incident(_render(submission()))["extensions"][INCIDENT_CORE_EXT]
    assert core["extension_type"] == "property-extension"
    assert core["determination"] == "suspected"  # a preliminary report
    assert core["investigation_status"] == "open"
    assert core["criticality"] == 70  # severity high, Appendix B "High"
    assert core["incident_types"] == ["ransomware", "major"]
    assert core["impacted_entity_counts"] == {"individual": 1234}
    assert core["events"][0]["sequence_start"] is True
    assert core["tasks"]


def test_a_final_report_is_confirmed_and_closed() -> None:
    core = _incident(_render(submission(phase=Phase.FINAL, version=3)))["extensions"][
        INCIDENT_CORE_EXT
    ]
    assert (core["determination"], core["investigation_status"]) == ("confirmed", "closed")


def test_impacts_are_separate_objects_with_their_category_extension() -> None:
    bundle = _render(submission())
    impacts = _of_type(bundle, "impact")
    core = _incident(bundle)["extensions"][INCIDENT_CORE_EXT]
    assert sorted(core["impact_refs"]) == sorted(i["id"] for i in impacts)
    assert {i["impact_category"] for i in impacts} == IMPACT_CATEGORIES
    for impact in impacts:
        assert impact["extensions"][IMPACT_EXT] == {"extension_type": "new-sdo"}
        assert impact["impact_category"] in impact["extensions"]
    (leak,) = [i for i in impacts if i["impact_category"] == "confidentiality"]
    assert leak["extensions"]["confidentiality"] == {
        "information_type": "pii",
        "loss_type": "suspected-loss",
        "record_count": 1234,
    }
    assert leak["object_marking_refs"] == [TLP_MARKING_IDS[Tlp.AMBER_STRICT]]


def test_events_and_tasks_use_their_new_sdo_extensions() -> None:
    bundle = _render(submission())
    events, tasks = _of_type(bundle, "event"), _of_type(bundle, "task")
    assert [e["name"] for e in events] == ["発生", "認知", "封じ込め"]
    assert all(e["extensions"][EVENT_EXT]["extension_type"] == "new-sdo" for e in events)
    assert all(t["extensions"][TASK_EXT]["extension_type"] == "new-sdo" for t in tasks)
    assert {t["name"] for t in tasks} == {"報告（第一報・第1版）", "警察への相談", "公表"}


def test_the_reporter_is_a_local_government_organisation() -> None:
    bundle = _render(submission())
    reporter = next(o for o in _of_type(bundle, "identity") if o["name"] == "八王子市")
    assert reporter["identity_class"] == "organization"
    assert reporter["sectors"] == ["government-local"]
    authored = [o for o in bundle["objects"] if o["type"] != "marking-definition"]
    assert all(o.get("created_by_ref") == reporter["id"] for o in authored if o is not reporter)
    contact = next(o for o in _of_type(bundle, "identity") if o["identity_class"] == "individual")
    (relationship,) = _of_type(bundle, "relationship")
    assert relationship["relationship_type"] == "contact-for"
    assert relationship["source_ref"] == contact["id"]


def test_markings_are_the_official_tlp_2_definitions() -> None:
    bundle = _render(submission())
    markings = {m["id"]: m for m in _of_type(bundle, "marking-definition")}
    assert set(markings) == {TLP_MARKING_IDS[t] for t in (Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)}
    red = markings["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]
    assert red["name"] == "TLP:RED"
    assert red["extensions"][TLP2_EXT] == {"extension_type": "property-extension", "tlp_2_0": "red"}
    referenced = {
        ref
        for o in bundle["objects"]
        for ref in [
            *o.get("object_marking_refs", []),
            *(g["marking_ref"] for g in o.get("granular_markings", [])),
        ]
    }
    assert referenced == set(markings)


def test_a_section_with_its_own_marking_gets_a_granular_marking() -> None:
    markings = {"overview": Tlp.GREEN, "personal_data": Tlp.AMBER_STRICT, "cause": Tlp.RED}
    incident = _incident(_render(submission(section_tlp=markings)))
    assert incident["object_marking_refs"] == [TLP_MARKING_IDS[Tlp.AMBER]]
    assert {"selectors": ["description"], "marking_ref": TLP_MARKING_IDS[Tlp.GREEN]} in incident[
        "granular_markings"
    ]
    counts = f"extensions.{INCIDENT_CORE_EXT}.impacted_entity_counts"
    assert {"selectors": [counts], "marking_ref": TLP_MARKING_IDS[Tlp.AMBER_STRICT]} in incident[
        "granular_markings"
    ]
    stix2.parse(json.dumps(incident), allow_custom=True)  # selectors resolve


def test_each_section_is_a_note_marked_like_its_section() -> None:
    notes = {n["labels"][0]: n for n in _of_type(_render(submission()), "note")}
    assert set(notes) == set(SECTIONS) - {"overview"}
    assert notes["cause"]["object_marking_refs"] == [TLP_MARKING_IDS[Tlp.RED]]
    assert notes["cause"]["abstract"] == "原因"


def test_re_export_is_byte_for_byte_stable() -> None:
    assert EXPORTERS["stix"].render([submission()]) == EXPORTERS["stix"].render([submission()])


def test_versions_of_one_report_are_versions_of_one_incident() -> None:
    first = _incident(_render(submission()))
    later_view = submission(phase=Phase.INTERIM, version=2)
    later_view = replace(later_view, submitted_at=later_view.submitted_at.replace(day=14))
    later = _incident(_render(later_view))
    assert later["id"] == first["id"]
    assert later["modified"] > first["modified"]
    both = bundle_for([submission(), later_view])
    assert len([o for o in both["objects"] if o["type"] == "incident"]) == 2
    assert (
        len([o for o in both["objects"] if o["type"] == "identity" and o["name"] == "八王子市"])
        == 1
    )


def test_a_withheld_section_leaves_no_trace_in_the_bundle() -> None:
    view = recipient_view("MIC", granted=frozenset(SECTIONS) - {"personal_data"})
    text = EXPORTERS["stix"].render([view]).decode()
    assert RED_CAUSE not in text
    assert "1234" not in text
    bundle = json.loads(text)
    assert "confidentiality" not in {i["impact_category"] for i in _of_type(bundle, "impact")}
    assert TLP_MARKING_IDS[Tlp.RED] not in text
