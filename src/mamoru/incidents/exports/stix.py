"""STIX 2.1 bundles of submissions, with the OASIS Incident Core Extension 2.0.

What goes where:

* the ``incident`` SDO carries the Incident Core property extension (determination,
  investigation status, criticality, incident types, impacted entity counts, and the
  ``impact_refs``, ``events`` and ``tasks`` that point at the objects below);
* ``impact`` SDOs (new-SDO extension) with one sub-extension named after their
  ``impact_category`` (availability, confidentiality, integrity, monetary);
* ``event`` SDOs for the timeline and ``task`` SDOs for what was done (reported, police,
  announcement);
* one ``note`` per section of free text, the reporter as an ``identity`` (organisation,
  sector ``government-local``) and the contact person as an ``identity`` with a
  ``contact-for`` relationship;
* the official TLP 2.0 ``marking-definition`` objects. Every object carries the marking of
  the section it comes from; the incident carries the report's marking, with granular
  markings on properties whose section is marked differently.

Ids are UUIDv5 under a fixed namespace, so exporting the same submission twice gives the
same bundle. The incident keeps one id across the versions of a report and changes its
``modified`` (STIX versioning, §3.6 of the specification); the objects that describe one
submission (impacts, events, tasks, notes) carry the version in their ids.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from mamoru.incidents.content import Phase, SubmissionView, Tlp
from mamoru.incidents.exports.base import (
    is_shared,
    require_views,
    section_marking,
    section_text,
)
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.facts import Category, IncidentFacts, Severity

StixObject = dict[str, Any]

# Our namespace for UUIDv5 ids (uuid5(NAMESPACE_URL, "https://mamoru.example/stix")).
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://mamoru.example/stix")

INCIDENT_CORE_EXT: Final = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
IMPACT_EXT: Final = "extension-definition--7cc33dd6-f6a1-489b-98ea-522d351d71b9"
EVENT_EXT: Final = "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e"
TASK_EXT: Final = "extension-definition--2074a052-8be4-4932-849e-f5e7798e0030"
TLP2_EXT: Final = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

# The marking-definition objects OASIS publishes for TLP 2.0 (cti-stix-common-objects).
TLP_MARKING_IDS: Final[dict[Tlp, str]] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

# An organisation's identity is the same object in every bundle, so its timestamps cannot
# come from one submission.
IDENTITY_EPOCH: Final = datetime(2025, 1, 1, tzinfo=UTC)

# Appendix B ("5 Qualitative") of the extension for the incident's criticality, and
# Appendix A ("Simple Qualitative") for an availability impact.
CRITICALITY: Final[dict[Severity, int]] = {
    Severity.LOW: 15,
    Severity.MEDIUM: 40,
    Severity.HIGH: 70,
    Severity.CRITICAL: 95,
}
AVAILABILITY: Final[dict[Severity, int]] = {
    Severity.LOW: 20,
    Severity.MEDIUM: 50,
    Severity.HIGH: 75,
    Severity.CRITICAL: 95,
}

# event-type-ov values for our categories.
INCIDENT_TYPES: Final[dict[Category, tuple[str, ...]]] = {
    Category.RANSOMWARE: ("ransomware",),
    Category.UNAUTHORISED_ACCESS: ("unauthorized-access-system",),
    Category.DATA_LEAK: ("unauthorized-release",),
    Category.DDOS: ("denial-of-service",),
    Category.WEB_DEFACEMENT: ("modification-information",),
    Category.MALWARE: ("infected-by-known-malware",),
    Category.MEDIA_LOSS_THEFT: ("equipment-loss",),
    Category.MEDIA_THEFT: ("equipment-loss",),
    Category.MISDELIVERY: ("unauthorized-release", "unintentional"),
    Category.SYSTEM_FAILURE: ("denial-of-service", "unintentional"),
    Category.OTHER: ("unspecified",),
}

_AVAILABILITY_CATEGORIES: Final = frozenset(
    {Category.RANSOMWARE, Category.DDOS, Category.SYSTEM_FAILURE}
)
# Ransomware encrypts what systems need to run; a defacement rewrites part of a site.
_INTEGRITY: Final[dict[Category, str]] = {
    Category.RANSOMWARE: "potential-modification",
    Category.WEB_DEFACEMENT: "partial-modification",
}
# Data that was sent or published to the wrong people is known to be out; otherwise the
# reporter only knows it may be.
_CONFIRMED_LOSS: Final = frozenset({Category.DATA_LEAK, Category.MISDELIVERY})


def stix_id(kind: str, *parts: object) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(str(p) for p in parts))}"


def timestamp(moment: datetime) -> str:
    """STIX timestamps are UTC with a ``Z``; milliseconds keep them in one fixed form."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def tlp_marking_definition(tlp: Tlp) -> StixObject:
    """The published TLP 2.0 marking-definition object for ``tlp``."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_MARKING_IDS[tlp],
        "created": "2022-10-01T00:00:00.000Z",
        "name": tlp.label,
        "extensions": {TLP2_EXT: {"extension_type": "property-extension", "tlp_2_0": tlp.value}},
    }


class _Builder:
    """Builds the objects of one view; ``objects`` and ``markings`` collect them."""

    def __init__(self, view: SubmissionView) -> None:
        self.view = view
        self.facts: IncidentFacts = view.content.facts
        self.stamp = timestamp(view.submitted_at)
        self.identity_id = stix_id("identity", "organisation", view.reporter_code)
        self.incident_id = stix_id("incident", view.report_id)
        self.markings: set[Tlp] = {view.content.tlp}
        self.objects: list[StixObject] = []

    def _key(self, *parts: object) -> tuple[object, ...]:
        return (self.view.report_id, self.view.version, *parts)

    def _sdo(self, kind: str, key: str, marking: Tlp, **properties: Any) -> StixObject:
        self.markings.add(marking)
        return {
            "type": kind,
            "spec_version": "2.1",
            "id": stix_id(kind, *self._key(key)),
            "created": self.stamp,
            "modified": self.stamp,
            "created_by_ref": self.identity_id,
            "lang": "ja",
            "object_marking_refs": [TLP_MARKING_IDS[marking]],
            **properties,
        }

    def _add(self, obj: StixObject) -> str:
        self.objects.append(obj)
        return str(obj["id"])

    # --- the reporter ---------------------------------------------------------------------

    def reporter(self) -> StixObject:
        view = self.view
        stamp = timestamp(IDENTITY_EPOCH)
        return {
            "type": "identity",
            "spec_version": "2.1",
            "id": self.identity_id,
            "created": stamp,
            "modified": stamp,
            "name": view.reporter_name,
            "identity_class": "organization",
            "sectors": ["government-local"],
            "external_references": [
                {"source_name": "jp-local-government-code", "external_id": view.reporter_code}
            ],
        }

    def contact(self) -> None:
        contact = self.view.content.contact
        if contact is None or not is_shared(self.view, "contact"):
            return
        details = [d for d in (contact.department, contact.phone, contact.email) if d]
        person = self._sdo(
            "identity",
            "contact",
            section_marking(self.view, "contact"),
            name=contact.name,
            identity_class="individual",
            roles=["security-point-of-contact"],
            **({"contact_information": " / ".join(details)} if details else {}),
        )
        self._add(person)
        self._add(
            self._sdo(
                "relationship",
                "contact-for",
                section_marking(self.view, "contact"),
                relationship_type="contact-for",
                source_ref=person["id"],
                target_ref=self.incident_id,
            )
        )

    # --- impacts --------------------------------------------------------------------------

    def _impact(
        self, category: str, marking: Tlp, details: dict[str, Any], **properties: Any
    ) -> str:
        extensions = {IMPACT_EXT: {"extension_type": "new-sdo"}, category: details}
        # When the timeline is withheld, the impact starts when the recipient learnt of it.
        timeline = self.facts.timeline
        start = (
            (timeline.started or timeline.aware)
            if is_shared(self.view, "timeline")
            else self.view.submitted_at
        )
        impact = self._sdo(
            "impact",
            f"impact-{category}",
            marking,
            impact_category=category,
            start_time=timestamp(start),
            extensions=extensions,
            **properties,
        )
        return self._add(impact)

    def confidentiality(self) -> list[str]:
        data = self.facts.personal_data
        if data is None or not is_shared(self.view, "personal_data"):
            return []
        loss = "confirmed-loss" if self.facts.category in _CONFIRMED_LOSS else "suspected-loss"
        details: dict[str, Any] = {"information_type": "pii", "loss_type": loss}
        counts: dict[str, Any] = {}
        if data.people is not None:
            details["record_count"] = data.people
            counts["impacted_entity_counts"] = {"individual": data.people}
        notes = [
            *data.kinds,
            *(["要配慮個人情報"] if data.sensitive else []),
            *(["特定個人情報（個人番号を含む）"] if data.my_number else []),
        ]
        marking = section_marking(self.view, "personal_data")
        refs = [
            self._impact(
                "confidentiality", marking, details, description="、".join(notes), **counts
            )
        ]
        if data.financial_damage_risk:
            # The extension allows a monetary impact without amounts: the risk is known,
            # the sum is not.
            refs.append(
                self._impact(
                    "monetary",
                    marking,
                    {"variety": "asset-and-fraud"},
                    description="不正に利用されることにより財産的被害が生じるおそれ",
                )
            )
        return refs

    def availability(self) -> list[str]:
        category_shared = is_shared(self.view, "category")
        services = self.facts.services if is_shared(self.view, "services") else ()
        if not services and not (
            category_shared and self.facts.category in _AVAILABILITY_CATEGORIES
        ):
            return []
        names = "、".join(s.name or s.kind for s in services)
        marking = section_marking(self.view, "services" if services else "category")
        # How badly availability suffered is the severity, which belongs to the overview.
        details = (
            {"availability_impact": AVAILABILITY[self.facts.severity]}
            if is_shared(self.view, "overview")
            else {}
        )
        extra = {"description": f"影響を受けた業務・サービス: {names}"} if names else {}
        return [self._impact("availability", marking, details, **extra)]

    def integrity(self) -> list[str]:
        alteration = _INTEGRITY.get(self.facts.category)
        if alteration is None or not is_shared(self.view, "category"):
            return []
        details = {"information_type": "system", "alteration": alteration}
        return [self._impact("integrity", section_marking(self.view, "category"), details)]

    # --- events and tasks -----------------------------------------------------------------

    def events(self) -> list[dict[str, Any]]:
        if not is_shared(self.view, "timeline"):
            return []
        timeline = self.facts.timeline
        moments = [
            ("発生", timeline.started),
            ("認知", timeline.aware),
            ("報告対象事態に該当すると判断", timeline.determined),
            ("封じ込め", timeline.contained),
        ]
        marking = section_marking(self.view, "timeline")
        ids = [
            self._add(
                self._sdo(
                    "event",
                    f"event-{name}",
                    marking,
                    name=name,
                    status="occurred",
                    start_time=timestamp(moment),
                    start_time_fidelity="minute",
                    extensions={EVENT_EXT: {"extension_type": "new-sdo"}},
                )
            )
            for name, moment in moments
            if moment is not None
        ]
        # One sequence in time order: each event leads to the next.
        entries: list[dict[str, Any]] = []
        for index, event_id in enumerate(ids):
            entry: dict[str, Any] = {"event_ref": event_id, "sequence_start": index == 0}
            if index + 1 < len(ids):
                entry["next_steps"] = [
                    {
                        "event_ref": ids[index + 1],
                        "condition_type": "unknown",
                        "transition_type": "unknown",
                    }
                ]
            entries.append(entry)
        return entries

    def _task(self, name: str, marking: Tlp, task_types: list[str], **properties: Any) -> str:
        task = self._sdo(
            "task",
            f"task-{name}",
            marking,
            name=name,
            outcome="successful",
            task_types=task_types,
            extensions={TASK_EXT: {"extension_type": "new-sdo"}},
            **properties,
        )
        return self._add(task)

    def tasks(self) -> list[dict[str, Any]]:
        view = self.view
        refs = [
            self._task(
                f"報告（{view.phase.label}・第{view.version}版）",
                view.content.tlp,
                ["reported"],
                start_time=self.stamp,
                end_time=self.stamp,
            )
        ]
        if self.facts.police_consulted and is_shared(view, "police"):
            refs.append(self._task("警察への相談", section_marking(view, "police"), ["reported"]))
        if self.facts.publicly_announced and is_shared(view, "announcement"):
            refs.append(self._task("公表", section_marking(view, "announcement"), ["reported"]))
        return [{"task_ref": ref} for ref in refs]

    # --- sections as notes ----------------------------------------------------------------

    def notes(self) -> None:
        for section, label in SECTIONS.items():
            text = section_text(self.view, section)
            if section == "overview" or not text:
                continue  # the overview is the incident's description
            self._add(
                self._sdo(
                    "note",
                    f"note-{section}",
                    section_marking(self.view, section),
                    abstract=label,
                    content=text,
                    labels=[section],
                    object_refs=[self.incident_id],
                )
            )

    # --- the incident ---------------------------------------------------------------------

    def _core_extension(self) -> dict[str, Any]:
        view, facts = self.view, self.facts
        core: dict[str, Any] = {
            "extension_type": "property-extension",
            # Until the final report the body is still establishing what happened.
            "determination": "suspected" if view.phase == Phase.PRELIMINARY else "confirmed",
            "investigation_status": "closed" if view.phase == Phase.FINAL else "open",
        }
        # Severity and 重大インシデント belong to the overview; the kind to the category.
        if is_shared(view, "overview"):
            core["criticality"] = CRITICALITY[facts.severity]
        types = [
            *(INCIDENT_TYPES[facts.category] if is_shared(view, "category") else []),
            *(["major"] if facts.serious and is_shared(view, "overview") else []),
        ]
        if types:
            core["incident_types"] = types
        data = facts.personal_data
        if data is not None and data.people is not None and is_shared(view, "personal_data"):
            core["impacted_entity_counts"] = {"individual": data.people}
        impacts = self.confidentiality() + self.availability() + self.integrity()
        if impacts:
            core["impact_refs"] = impacts
        events = self.events()
        if events:
            core["events"] = events
        core["tasks"] = self.tasks()
        return core

    def _granular(self, core: dict[str, Any]) -> list[dict[str, Any]]:
        """Markings of incident properties whose section is marked unlike the report."""
        report = self.view.content.tlp
        selectors: dict[str, str] = {}
        if "description" in self._incident_text():
            selectors["description"] = "overview"
        if "impacted_entity_counts" in core:
            selectors[f"extensions.{INCIDENT_CORE_EXT}.impacted_entity_counts"] = "personal_data"
        if "incident_types" in core:
            selectors[f"extensions.{INCIDENT_CORE_EXT}.incident_types"] = "category"
        granular = []
        for selector, section in selectors.items():
            marking = section_marking(self.view, section)
            if marking != report:
                self.markings.add(marking)
                granular.append({"selectors": [selector], "marking_ref": TLP_MARKING_IDS[marking]})
        return granular

    def _incident_text(self) -> dict[str, str]:
        overview = section_text(self.view, "overview")
        return {"description": overview} if overview else {}

    def incident(self) -> StixObject:
        view = self.view
        first = view.content.facts.timeline.submitted
        created = timestamp(min(first, view.submitted_at) if first else view.submitted_at)
        core = self._core_extension()
        incident: StixObject = {
            "type": "incident",
            "spec_version": "2.1",
            "id": self.incident_id,
            "created": created,
            "modified": self.stamp,
            "created_by_ref": self.identity_id,
            "lang": "ja",
            "name": view.content.title,
            **self._incident_text(),
            "external_references": [
                {
                    "source_name": "mamoru",
                    "external_id": view.report_id,
                    "description": f"{view.phase.label}（第{view.version}版）",
                }
            ],
            "object_marking_refs": [TLP_MARKING_IDS[view.content.tlp]],
            "extensions": {INCIDENT_CORE_EXT: core},
        }
        granular = self._granular(core)
        if granular:
            incident["granular_markings"] = granular
        return incident


def objects_for(view: SubmissionView) -> list[StixObject]:
    """The STIX objects of one view, markings first, incident before what points at it."""
    builder = _Builder(view)
    incident = builder.incident()
    builder.notes()
    builder.contact()
    markings = [tlp_marking_definition(t) for t in Tlp if t in builder.markings]
    return [*markings, builder.reporter(), incident, *builder.objects]


def _unique(objects: Iterable[StixObject]) -> list[StixObject]:
    # Shared objects (markings, the reporter) appear once; versions of one incident stay.
    seen: set[tuple[str, str]] = set()
    result = []
    for obj in objects:
        key = (str(obj["id"]), str(obj.get("modified", "")))
        if key not in seen:
            seen.add(key)
            result.append(obj)
    return result


def bundle_for(views: Sequence[SubmissionView]) -> StixObject:
    """A STIX 2.1 bundle of ``views`` (one or more submissions)."""
    require_views(views)
    key = "|".join(f"{v.report_id}:{v.version}:{v.audience}" for v in views)
    return {
        "type": "bundle",
        "id": stix_id("bundle", key),
        "objects": _unique(obj for view in views for obj in objects_for(view)),
    }


class StixExporter:
    name = "stix"
    media_type = "application/stix+json;version=2.1"
    file_extension = "json"

    def render(self, views: Sequence[SubmissionView]) -> bytes:
        bundle = bundle_for(views)
        return json.dumps(bundle, ensure_ascii=False, indent=2).encode()
