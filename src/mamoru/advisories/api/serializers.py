"""Input and output of the advisories API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mamoru.advisories.models import (
    PUBLISHABLE_TLP_CHOICES,
    Answer,
    Importance,
    ShareKind,
    Targeting,
    Tlp,
    Urgency,
)
from mamoru.api.fields import StrictBooleanField, StrictCharField, StrictChoiceField
from mamoru.progress.audience import BAND_KEYS, AudienceKind

Serializer = serializers.Serializer[Any]


class AdvisoryOrganisationOut(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProductIO(Serializer):
    vendor = StrictCharField(max_length=100)
    product = StrictCharField(max_length=100)
    cpe = StrictCharField(required=False, allow_blank=True, max_length=300)
    exact = StrictCharField(required=False, allow_blank=True, max_length=50)
    start_including = StrictCharField(required=False, allow_blank=True, max_length=50)
    start_excluding = StrictCharField(required=False, allow_blank=True, max_length=50)
    end_including = StrictCharField(required=False, allow_blank=True, max_length=50)
    end_excluding = StrictCharField(required=False, allow_blank=True, max_length=50)


class SourceIO(Serializer):
    name = StrictCharField(max_length=200)
    url = StrictCharField(required=False, allow_blank=True, max_length=500)


class AdvisoryAudienceIn(Serializer):
    kind = StrictChoiceField(choices=AudienceKind.choices)
    prefecture_code = StrictCharField(required=False, allow_blank=True, max_length=2)
    kinds = serializers.ListField(
        child=StrictCharField(max_length=20), required=False, max_length=10
    )
    bands = serializers.ListField(
        child=StrictChoiceField(choices=list(BAND_KEYS)), required=False, max_length=10
    )
    codes = serializers.ListField(
        child=StrictCharField(max_length=16), required=False, max_length=2000
    )


class AdvisoryIn(Serializer):
    title = StrictCharField(min_length=1, max_length=200)
    summary = StrictCharField(min_length=1, max_length=20000, help_text="Markdown")
    threat = StrictCharField(required=False, allow_blank=True, max_length=4000)
    attacker = StrictCharField(required=False, allow_blank=True, max_length=2000)
    purpose = StrictCharField(required=False, allow_blank=True, max_length=2000)
    background = StrictCharField(required=False, allow_blank=True, max_length=4000)
    expected_damage = StrictCharField(required=False, allow_blank=True, max_length=4000)
    actions_first = StrictCharField(min_length=1, max_length=10000, help_text="Markdown")
    actions_later = StrictCharField(required=False, allow_blank=True, max_length=10000)
    urgency = StrictChoiceField(choices=Urgency.choices)
    importance = StrictChoiceField(choices=Importance.choices)
    tlp = StrictChoiceField(choices=PUBLISHABLE_TLP_CHOICES)
    products = ProductIO(many=True, required=False)
    cves = serializers.ListField(
        child=serializers.RegexField(r"^CVE-\d{4}-\d{4,}$"), required=False, max_length=200
    )
    sources = SourceIO(many=True, required=False)
    by_exposure = StrictBooleanField(
        required=False, default=False, help_text="攻撃対象領域の診断で該当した団体に送る"
    )
    audience = AdvisoryAudienceIn(required=False, help_text="by_exposure でないときの宛先")


class AdvisoryOut(Serializer):
    id = serializers.UUIDField(source="public_id")
    stix_id = serializers.CharField()
    sender = AdvisoryOrganisationOut()
    title = serializers.CharField()
    summary = serializers.CharField()
    threat = serializers.CharField()
    attacker = serializers.CharField()
    purpose = serializers.CharField()
    background = serializers.CharField()
    expected_damage = serializers.CharField()
    actions_first = serializers.CharField()
    actions_later = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    importance = serializers.ChoiceField(choices=Importance.choices)
    tlp = serializers.ChoiceField(choices=Tlp.choices)
    products = ProductIO(many=True)
    cves = serializers.ListField(child=serializers.CharField())
    sources = SourceIO(many=True)
    targeting = serializers.ChoiceField(choices=Targeting.choices)
    audience_label = serializers.CharField()
    published_at = serializers.DateTimeField()


class AdvisoryDeliveryOut(Serializer):
    advisory = AdvisoryOut()
    organisation = AdvisoryOrganisationOut()
    matched = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.ChoiceField(choices=Answer.choices, allow_blank=True)
    note = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class AdvisoryAnswerIn(Serializer):
    answer = StrictChoiceField(choices=Answer.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=4000)


class StateOut(Serializer):
    prefecture = serializers.CharField(source="name")
    code = serializers.CharField()
    recipients = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    affected = serializers.IntegerField()
    not_affected = serializers.IntegerField()
    fixed = serializers.IntegerField()
    unanswered = serializers.IntegerField()


class ImportIn(Serializer):
    bundle = serializers.DictField(help_text="STIX 2.1 のバンドル（JSON オブジェクト）")
    audience = AdvisoryAudienceIn()


class ShareIn(Serializer):
    kind = StrictChoiceField(choices=ShareKind.choices)
    title = StrictCharField(min_length=1, max_length=200)
    body = StrictCharField(min_length=1, max_length=20000)
    indicators = serializers.ListField(
        child=StrictCharField(max_length=2000), required=False, max_length=500
    )
    tlp = StrictChoiceField(choices=Tlp.choices)
    to_nation = StrictBooleanField(required=False, default=True)


class ShareOut(Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = AdvisoryOrganisationOut()
    kind = serializers.ChoiceField(choices=ShareKind.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    indicators = serializers.ListField(child=serializers.CharField())
    tlp = serializers.ChoiceField(choices=Tlp.choices)
    to_nation = serializers.BooleanField()
    created_at = serializers.DateTimeField()
