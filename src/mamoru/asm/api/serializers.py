"""Input and output of the attack-surface API, one serializer per shape."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mamoru.api.fields import StrictDateField
from mamoru.asm.models import (
    Asset,
    AssetKind,
    Finding,
    FindingEvent,
    FindingStatus,
    Priority,
    Scan,
    Service,
)

STATUS_FILTERS = ["unresolved", "all", *FindingStatus.values]


class AssetOut(serializers.ModelSerializer[Asset]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    added_for = serializers.CharField(
        source="added_for.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Asset
        fields = [
            "id", "organisation", "kind", "value", "ports", "owner", "note", "scope_state",
            "approved_addresses", "added_for", "added_via", "approved_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class AssetIn(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AssetKind.choices)
    value = serializers.CharField(max_length=300)
    ports = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssetUpdateIn(serializers.Serializer[Any]):
    ports = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ScanOut(serializers.ModelSerializer[Scan]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = [
            "id", "organisation", "reason", "status", "jobs_total", "jobs_done", "jobs_failed",
            "probes_total", "services_seen", "findings_seen", "notes", "created_at",
            "started_at", "finished_at", "progress",
        ]  # fmt: skip
        read_only_fields = fields

    def get_progress(self, scan: Scan) -> int | None:
        """Percent done, as the page's progress bar shows it."""
        found: dict[int, int | None] = self.context.get("progress", {})
        return found.get(scan.pk)


class ServiceOut(serializers.ModelSerializer[Service]):
    asset = serializers.CharField(
        source="asset.value", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Service
        fields = [
            "id", "ip", "port", "transport", "hostname", "service", "product", "vendor",
            "version", "cpe", "source", "asset", "present", "first_seen", "last_seen",
        ]  # fmt: skip
        read_only_fields = fields


class FindingOut(serializers.ModelSerializer[Finding]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    asset = serializers.CharField(
        source="asset.value", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Finding
        fields = [
            "id", "organisation", "kind", "title", "severity", "priority", "vulnerability_id",
            "kev", "kev_due", "ransomware", "epss", "cvss", "product", "ip", "port",
            "hostname", "asset", "status", "accepted_until", "first_seen", "last_seen",
            "times_seen",
        ]  # fmt: skip
        read_only_fields = fields


class EventOut(serializers.ModelSerializer[FindingEvent]):
    actor = serializers.CharField(
        source="actor.username", read_only=True, allow_null=True, default=None
    )
    actor_organisation = serializers.CharField(
        source="actor_organisation.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = FindingEvent
        fields = [
            "at",
            "action",
            "from_status",
            "to_status",
            "actor",
            "actor_organisation",
            "scan",
            "note",
        ]
        read_only_fields = fields


class ExplanationOut(serializers.Serializer[Any]):
    meaning = serializers.CharField(help_text="どういうことか")
    action = serializers.CharField(help_text="何をすればよいか")
    why = serializers.CharField(required=False, help_text="影響を受けると判断した理由（脆弱性）")
    urgency = serializers.CharField(required=False, help_text="急ぐ理由（脆弱性）")


class FindingDetailOut(FindingOut):
    evidence = serializers.JSONField(read_only=True)
    details = serializers.JSONField(read_only=True)
    accepted_reason = serializers.CharField(read_only=True)
    explanation = ExplanationOut(read_only=True)
    events = EventOut(source="events_list", many=True, read_only=True)

    class Meta(FindingOut.Meta):
        fields = [
            *FindingOut.Meta.fields,
            "evidence",
            "details",
            "accepted_reason",
            "explanation",
            "events",
        ]
        read_only_fields = fields


class FindingFilterIn(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=STATUS_FILTERS, required=False, default="unresolved")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    kev = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class FindingActionIn(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AcceptRiskIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)
    until = StrictDateField()


class ExposedServiceOut(ServiceOut):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta(ServiceOut.Meta):
        fields = [*ServiceOut.Meta.fields, "organisation", "organisation_name"]
        read_only_fields = fields
