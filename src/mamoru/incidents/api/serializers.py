"""Input and output of the incidents API, one pair per operation where they differ."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mamoru.incidents.api.strict import StrictBooleanField, StrictCharField
from mamoru.incidents.models import PhaseChoice, ReportStatus, TimingChoice

Serializer = serializers.Serializer[Any]


class OrganisationRefOut(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SubmitIn(Serializer):
    final = StrictBooleanField(
        default=False, help_text="確報として提出する（提出後、報告は完了になります）"
    )


class ReopenIn(Serializer):
    reason = StrictCharField(
        min_length=1, max_length=500, help_text="再開する理由（監査ログに残ります）"
    )


class DiffIn(Serializer):
    from_version = serializers.IntegerField(min_value=1, help_text="比べる元の版")
    to_version = serializers.IntegerField(min_value=1, help_text="比べる先の版")


class InboxFilterIn(Serializer):
    # "true"/"false" exactly: a boolean field would also take "yes", "on", "1"…
    unacknowledged = serializers.ChoiceField(
        choices=["true", "false"],
        required=False,
        default="false",
        help_text="受領確認していないものだけ",
    )


class MessageIn(Serializer):
    body = StrictCharField(min_length=1, max_length=5000, help_text="本文（質問・回答など）")


class DueOut(Serializer):
    timing = serializers.ChoiceField(choices=TimingChoice.choices, allow_blank=True)
    due_at = serializers.DateTimeField(allow_null=True)


class DeliveryOut(Serializer):
    """What was sent to one recipient, when, and what is due next (the reporter's view)."""

    id = serializers.IntegerField()
    recipient = OrganisationRefOut()
    version = serializers.IntegerField(source="submission.version")
    phase = serializers.ChoiceField(choices=PhaseChoice.choices, source="submission.phase")
    delivered_at = serializers.DateTimeField()
    rule_ids = serializers.ListField(child=serializers.CharField())
    sections = serializers.ListField(child=serializers.CharField())
    preliminary = DueOut(help_text="第一報の期限")
    final = DueOut(help_text="確報の期限")
    next_due_at = serializers.DateTimeField(allow_null=True, help_text="次に提出すべき報告の期限")
    overdue = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class SubmissionOut(Serializer):
    version = serializers.IntegerField()
    phase = serializers.ChoiceField(choices=PhaseChoice.choices)
    phase_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField()
    approved_by = serializers.CharField()
    checksum = serializers.CharField(help_text="内容のSHA-256")
    ruleset_version = serializers.CharField()
    routing = serializers.ListField(child=serializers.CharField(), help_text="宛先の判定理由")
    content = serializers.DictField(help_text="提出した内容（content の形式）")


class ReportSummaryOut(Serializer):
    public_id = serializers.UUIDField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    status_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class ReportOut(ReportSummaryOut):
    organisation = OrganisationRefOut()
    created_by = serializers.CharField()
    draft = serializers.DictField(help_text="現在の下書き（content の形式）")
    submissions = SubmissionOut(many=True)
    deliveries = DeliveryOut(many=True, help_text="宛先ごとの最新の送付")


class InboxItemOut(Serializer):
    id = serializers.IntegerField()
    report_id = serializers.UUIDField()
    reporter = OrganisationRefOut()
    title = serializers.CharField()
    version = serializers.IntegerField()
    phase = serializers.ChoiceField(choices=PhaseChoice.choices)
    phase_label = serializers.CharField()
    delivered_at = serializers.DateTimeField()
    sections = serializers.ListField(child=serializers.CharField(), help_text="開示された項目")
    next_due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    self_approved = serializers.BooleanField(
        help_text="報告を書いた人（又は承認を依頼した人）が自分で承認した版（1人の団体では起こり得る）"
    )


class InboxDetailOut(InboxItemOut):
    tlp = serializers.CharField()
    content = serializers.DictField(help_text="受け取った内容（開示された項目だけ）")
    withheld = serializers.ListField(
        child=serializers.CharField(), help_text="この宛先には送られていない項目"
    )
    versions = serializers.ListField(
        child=serializers.IntegerField(), help_text="この宛先が受け取った版"
    )


class ChangeOut(Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class MessageOut(Serializer):
    id = serializers.IntegerField()
    organisation = OrganisationRefOut()
    author = serializers.CharField(source="author.username")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class CellOut(Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(allow_null=True, help_text="5未満は秘匿（null）")
    display = serializers.CharField(
        help_text="表示用（1〜4件は「<5」、5件以上を逆算防止のために隠したものは「秘匿」）"
    )


class TableOut(Serializer):
    cells = CellOut(many=True)
    total = serializers.IntegerField(allow_null=True)
    total_display = serializers.CharField()


class StatisticsOut(Serializer):
    total = serializers.IntegerField(allow_null=True)
    category = TableOut()
    phase = TableOut()
    severity = TableOut()
    prefecture = TableOut()
    month = TableOut()
    serious_cyber_attacks = serializers.IntegerField(
        allow_null=True,
        help_text="KPI: サイバー攻撃に起因する重大インシデントの件数（5未満は null）",
    )
    serious_cyber_attacks_known = serializers.BooleanField(
        help_text="すべての報告で判断に必要な項目が開示されているか"
    )


class NotificationOut(Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
