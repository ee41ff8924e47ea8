"""Input and output of the progress API, one pair per operation where they differ."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mamoru.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictIntegerField,
)
from mamoru.progress.audience import BAND_KEYS, AudienceKind
from mamoru.progress.models import (
    DelayReason,
    FollowUpKind,
    QuestionCategory,
    QuestionStatus,
    ReportStatus,
)
from mamoru.progress.services.followups import TEXT_MAX as FOLLOW_UP_TEXT_MAX

Serializer = serializers.Serializer[Any]
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class ProgressOrganisationOut(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProgressCampaignOut(Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    example = serializers.BooleanField(help_text="例示用の計画（デモ）")
    start_month = serializers.DateField()
    end_month = serializers.DateField()
    deadline_day = serializers.IntegerField(help_text="報告の期限（翌月の日）")
    late_margin = serializers.IntegerField(help_text="遅れとみなす月数")


class ProgressItemOut(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    planned_months = serializers.ListField(
        child=serializers.DateField(), help_text="ステップごとの予定月"
    )


class StepOut(Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    phase = serializers.CharField()


class CampaignDetailOut(ProgressCampaignOut):
    description = serializers.CharField()
    plan = serializers.CharField(help_text="計画のキーと版")
    items = ProgressItemOut(many=True)
    steps = StepOut(many=True)


class ItemRowOut(Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    step = serializers.IntegerField()
    step_name = serializers.CharField()
    planned_step = serializers.IntegerField()
    behind = serializers.IntegerField(help_text="計画より遅れている月数")
    late = serializers.BooleanField()
    done = serializers.BooleanField()
    reached_month = serializers.DateField(allow_null=True)
    delay_reason = serializers.ChoiceField(choices=DelayReason.choices, allow_blank=True)
    delay_note = serializers.CharField()


class StandingOut(Serializer):
    organisation = ProgressOrganisationOut()
    month = serializers.DateField()
    report_status = serializers.ChoiceField(
        choices=ReportStatus.choices, allow_null=True, help_text="この月の報告の状態"
    )
    source_month = serializers.DateField(allow_null=True, help_text="値のもとになった報告の月")
    late_items = serializers.IntegerField()
    items = ItemRowOut(many=True)


class MonthOut(Serializer):
    month = serializers.DateField()
    reported = serializers.BooleanField()
    last_reported = serializers.DateField(allow_null=True)
    steps = serializers.ListField(child=serializers.IntegerField())
    behind = serializers.ListField(child=serializers.IntegerField())
    late_items = serializers.IntegerField()
    progress = serializers.IntegerField(help_text="進捗（千分率）")


class HeatRowOut(MonthOut):
    organisation = ProgressOrganisationOut()


class ItemEntryIn(Serializer):
    code = StrictCharField(max_length=20)
    step = StrictIntegerField(min_value=0, max_value=1000)
    reached_month = StrictCharField(
        required=False, allow_blank=True, max_length=7, help_text="2025-04 の形"
    )
    delay_reason = StrictChoiceField(choices=DelayReason.choices, required=False, allow_blank=True)
    delay_note = StrictCharField(required=False, allow_blank=True, max_length=2000)

    def validate_reached_month(self, value: str) -> str:
        import re

        if value and not re.match(MONTH, value):
            raise serializers.ValidationError("2025-04 の形で入力してください")
        return value


class MonthlyReportIn(Serializer):
    items = serializers.ListField(child=ItemEntryIn(), max_length=200)


class MonthlyReportOut(Serializer):
    organisation = ProgressOrganisationOut()
    month = serializers.DateField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    unchanged = serializers.BooleanField()
    saved_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    items = ItemRowOut(many=True)


class TotalsOut(Serializer):
    participants = serializers.IntegerField()
    reported = serializers.IntegerField()
    late = serializers.IntegerField()
    done = serializers.IntegerField()
    progress_percent = serializers.FloatField()
    late_percent = serializers.FloatField()


class NamedTotalsOut(TotalsOut):
    name = serializers.CharField()


class PrefectureTotalsOut(NamedTotalsOut):
    code = serializers.CharField()


class MonthTotalsOut(TotalsOut):
    month = serializers.DateField()


class StepCountOut(Serializer):
    step = serializers.IntegerField()
    count = serializers.IntegerField()


class NationalOut(Serializer):
    month = serializers.DateField()
    total = TotalsOut()
    prefectures = PrefectureTotalsOut(many=True)
    items = NamedTotalsOut(many=True)
    steps = StepCountOut(many=True)
    trend = MonthTotalsOut(many=True)


class FollowUpIn(Serializer):
    kind = StrictChoiceField(choices=FollowUpKind.choices)
    text = StrictCharField(min_length=1, max_length=4000)


class ProgressAnswerIn(Serializer):
    answer = StrictCharField(min_length=1, max_length=20000)


class FollowUpAnswerIn(Serializer):
    """A municipality's answer to a follow-up: as long as the service keeps (4,000)."""

    answer = StrictCharField(min_length=1, max_length=FOLLOW_UP_TEXT_MAX)


class FollowUpOut(Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)
    organisation = ProgressOrganisationOut()
    author_organisation = ProgressOrganisationOut()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class AudienceIn(Serializer):
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


class ProgressNoticeIn(Serializer):
    title = StrictCharField(min_length=1, max_length=200)
    body = StrictCharField(min_length=1, max_length=20000, help_text="Markdown")
    audience = AudienceIn()
    confirm_by = StrictDateField(required=False, allow_null=True)


class ProgressNoticeOut(Serializer):
    id = serializers.IntegerField()
    sender = ProgressOrganisationOut()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown")
    audience_label = serializers.CharField()
    confirm_by = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField()


class ProgressReceivedNoticeOut(Serializer):
    notice = ProgressNoticeOut()
    read_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)


class SentNoticeOut(ProgressNoticeOut):
    recipients = serializers.IntegerField()
    read = serializers.IntegerField()
    confirmed = serializers.IntegerField()


class ProgressRecipientOut(Serializer):
    organisation = ProgressOrganisationOut()
    read_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)


class QuestionIn(Serializer):
    category = StrictChoiceField(choices=QuestionCategory.choices)
    title = StrictCharField(min_length=1, max_length=200)
    body = StrictCharField(min_length=1, max_length=10000)
    may_name_organisation = StrictBooleanField(required=False, default=False)


class ForwardIn(Serializer):
    note = StrictCharField(required=False, allow_blank=True, max_length=4000)


class QuestionOut(Serializer):
    id = serializers.IntegerField()
    organisation = ProgressOrganisationOut()
    assignee = ProgressOrganisationOut()
    category = serializers.ChoiceField(choices=QuestionCategory.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    may_name_organisation = serializers.BooleanField()
    status = serializers.ChoiceField(choices=QuestionStatus.choices)
    asked_at = serializers.DateTimeField()
    forward_note = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class FaqIn(Serializer):
    category = StrictChoiceField(choices=QuestionCategory.choices)
    title = StrictCharField(min_length=1, max_length=200)
    body = StrictCharField(min_length=1, max_length=10000)
    answer = StrictCharField(min_length=1, max_length=20000)
    name_organisation = StrictBooleanField(required=False, default=False)


class FaqOut(Serializer):
    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=QuestionCategory.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    answer = serializers.CharField(help_text="Markdown")
    asked_by_label = serializers.CharField(help_text="質問した団体（同意がある場合のみ）")
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FaqSearchIn(Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    category = serializers.ChoiceField(
        choices=QuestionCategory.choices, required=False, allow_blank=True
    )


class MonthQueryIn(Serializer):
    month = serializers.RegexField(
        MONTH, required=False, help_text="2025-04 の形（既定は最新の月）"
    )


class HeatQueryIn(MonthQueryIn):
    sort = serializers.ChoiceField(
        choices=["late", "progress", "code"], required=False, default="late"
    )
