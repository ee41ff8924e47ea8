"""The report's content as API input and output (the ``content.to_dict`` form, documented).

Input is checked here for shape and vocabulary, then by the records themselves
(``services.content_validate``). Output serializers take the stored dict form; for a
recipient every field may be absent (its view keeps only what it may see).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mamoru.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictDateTimeField,
    StrictIntegerField,
)
from mamoru.incidents.content import Tlp
from mamoru.incidents.routing import Category, Segment, Severity
from mamoru.incidents.routing.codes import NATIONAL_BODIES, SECTIONS

Serializer = serializers.Serializer[Any]

_TLP_CHOICES = [(t.value, t.label) for t in Tlp]
_SECTION_HELP = "項目: " + "、".join(f"{k}（{v}）" for k, v in SECTIONS.items())


def _when(help_text: str, *, required: bool = False) -> StrictDateTimeField:
    return StrictDateTimeField(required=required, allow_null=not required, help_text=help_text)


class TimelineSerializer(Serializer):
    aware = _when("認知した日時（必須。いつインシデントに気づいたか）", required=True)
    started = _when("発生した日時（分かる範囲で）")
    determined = _when(
        "報告対象の事態だと知った日時（例: 101人以上の漏えいと分かった時）。個人情報保護委員会への期限はここから数えます"
    )
    contained = _when("封じ込め（被害の拡大を止めた）日時")
    approved = _when("承認日時（提出時に自動で記録）")
    submitted = _when("第一報の提出日時（提出時に自動で記録）")


class ServiceSerializer(Serializer):
    kind = StrictCharField(
        min_length=1,
        max_length=60,
        help_text="業務の種類（例: national_health_insurance, water_supply, school）",
    )
    name = StrictCharField(
        max_length=100, required=False, allow_blank=True, help_text="業務・サービスの名称"
    )
    ministry = serializers.ChoiceField(
        choices=list(NATIONAL_BODIES.items()),
        required=False,
        allow_null=True,
        help_text="所管省庁（空欄なら業務の種類から判断）",
    )
    critical_infrastructure = StrictBooleanField(
        required=False,
        allow_null=True,
        help_text="重要インフラ分野の業務か（空欄なら業務の種類から判断）",
    )
    segment = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Segment],
        required=False,
        allow_null=True,
        help_text="ネットワーク区分（マイナンバー利用事務系・LGWAN接続系・インターネット接続系）",
    )


# The same choices as a service's ``segment``: described inline so that the schema has one
# enum component for them (two field names for one choice set make a warning).
@extend_schema_field(
    {"type": "array", "items": {"type": "string", "enum": [s.value for s in Segment]}}
)
class SegmentListField(serializers.ListField):
    pass


def _flag(help_text: str) -> serializers.BooleanField:
    return StrictBooleanField(required=False, default=False, help_text=help_text)


class PersonalDataSerializer(Serializer):
    kinds = serializers.ListField(
        child=StrictCharField(min_length=1, max_length=50),
        required=False,
        help_text="個人情報の項目（例: 氏名、住所、生年月日）",
    )
    people = StrictIntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="本人の数（調査中は最大の見込み。不明なら空欄）",
    )
    my_number_people = StrictIntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text="そのうち個人番号を含む本人の数（番号法の報告規則第2条第4号。不明なら空欄）",
    )
    sensitive = _flag("要配慮個人情報（病歴、健康診断等の結果、犯罪の経歴など）が含まれる")
    ordinance_sensitive = _flag("条例要配慮個人情報が含まれる")
    financial_damage_risk = _flag(
        "不正に使われると財産的被害が生じるおそれ（クレジットカード番号、ログインIDと"
        "パスワードなど）"
    )
    improper_purpose = _flag(
        "不正の目的をもって行われたおそれ（内部不正など。サイバー攻撃と盗難は種別から判断）"
    )
    my_number = _flag("マイナンバー（特定個人情報）が含まれる")
    in_my_number_system = _flag("情報提供ネットワークシステム又は個人番号利用事務のシステムで管理")
    in_my_number_related_system = _flag("個人番号関係事務（給与・源泉徴収など）のシステムで管理")
    in_contractor_system = _flag("委託先が個人番号利用事務・関係事務に使うシステムで管理")
    improper_use = _flag("特定個人情報が不正の目的で利用された（おそれを含む）")
    improper_provision = _flag("特定個人情報が不正の目的で提供された（おそれを含む）")
    publicly_viewable = _flag("インターネット等で不特定多数が閲覧できる状態になった")
    high_grade_encryption = _flag(
        "高度な暗号化などの措置が講じられ、復号の鍵も分けて管理されていた"
    )


class FactsSerializer(Serializer):
    category = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in Category], help_text="インシデントの種別"
    )
    timeline = TimelineSerializer(help_text="経緯・日時")
    severity = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Severity],
        default=Severity.MEDIUM.value,
        help_text="深刻度（低・中・高・緊急）",
    )
    serious = _flag("重大インシデントにあたる（住民サービスの停止、大規模な漏えいなど）")
    cyber_attack = StrictBooleanField(
        required=False, allow_null=True, help_text="原因がサイバー攻撃か（空欄なら種別から判断）"
    )
    services = ServiceSerializer(many=True, required=False, help_text="影響を受けた業務・サービス")
    segments = SegmentListField(
        child=serializers.ChoiceField(choices=[(s.value, s.label) for s in Segment]),
        required=False,
        help_text="影響を受けたネットワーク区分",
    )
    personal_data = PersonalDataSerializer(
        required=False, allow_null=True, help_text="個人情報が関係する場合のみ"
    )
    police_consulted = _flag("警察に相談した")
    publicly_announced = _flag("公表した")
    contractor_involved = _flag("委託先が関係している")


class ContactSerializer(Serializer):
    name = StrictCharField(min_length=1, max_length=100, help_text="担当者の氏名・所属")
    department = StrictCharField(max_length=100, required=False, allow_blank=True)
    phone = StrictCharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


@extend_schema_field(
    {"type": "string", "pattern": "^(" + "|".join(re.escape(t.value) for t in Tlp) + ")$"}
)
class SectionTlpField(serializers.ChoiceField):
    """One section's TLP, described by a pattern: an enum would become one component per
    section name, colliding with the report's ``tlp`` and with the facts' ``category``."""


def _per_section(name: str, make: Callable[[str], serializers.Field[Any, Any, Any, Any]]) -> type:
    """A serializer with one optional field per report section (unknown keys are ignored,
    as DRF does for any object, and the schema lists every section)."""
    return type(name, (Serializer,), {key: make(label) for key, label in SECTIONS.items()})


SectionsSerializer = _per_section(
    "SectionsSerializer",
    lambda label: StrictCharField(
        required=False, allow_blank=True, max_length=20000, help_text=label
    ),
)
SectionTlpSerializer = _per_section(
    "SectionTlpSerializer",
    lambda label: SectionTlpField(choices=_TLP_CHOICES, required=False, help_text=label),
)
RedRecipientsSerializer = _per_section(
    "RedRecipientsSerializer",
    lambda label: serializers.ListField(
        child=StrictCharField(min_length=1, max_length=16), required=False, help_text=label
    ),
)


class ContentSerializer(Serializer):
    facts = FactsSerializer(help_text="宛先と期限を決める事実")
    title = StrictCharField(
        min_length=1, max_length=200, help_text="件名（例: 住民情報システムへの不正アクセス）"
    )
    sections = SectionsSerializer(required=False, help_text="項目ごとの本文")
    contact = ContactSerializer(required=False, allow_null=True, help_text="連絡先")
    tlp = serializers.ChoiceField(
        choices=_TLP_CHOICES, default=Tlp.AMBER.value, help_text="報告全体の共有範囲（TLP 2.0）"
    )
    section_tlp = SectionTlpSerializer(
        required=False,
        help_text="項目ごとの共有範囲。TLP:RED の項目は red_recipients に挙げた宛先だけに送られます",
    )
    red_recipients = RedRecipientsSerializer(
        required=False,
        help_text="TLP:RED の項目ごとに、それを受け取る宛先の団体コード（例: PPC）",
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def content_input(validated: dict[str, Any]) -> dict[str, Any]:
    """Validated input in the stored dict form. The approval and submission times are the
    platform's to record, never the client's."""
    data: dict[str, Any] = _plain(validated)
    data["facts"]["timeline"].pop("approved", None)
    data["facts"]["timeline"].pop("submitted", None)
    return data
