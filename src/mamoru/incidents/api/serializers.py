"""Input and output of the incidents API, one pair per operation where they differ."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mamoru.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictDateTimeField,
    StrictIntegerField,
)
from mamoru.incidents.models import (
    NoticeStatus,
    OutsideMethod,
    PhaseChoice,
    ReportStatus,
    TimingChoice,
)
from mamoru.incidents.routing import Category, Severity
from mamoru.incidents.selectors import INBOX_ORDERS, INBOX_STATUSES

Serializer = serializers.Serializer[Any]

BIGGEST_ID = 2**63 - 1  # a database id is a signed 64-bit integer


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
    status = serializers.ChoiceField(
        choices=list(INBOX_STATUSES),
        required=False,
        help_text="unacknowledged 受領未確認、acknowledged 確認済み、overdue 確報の期限切れ、"
        "due_soon 期限が2日以内、current 各報告の最新の版",
    )
    category = serializers.ChoiceField(
        choices=[c.value for c in Category],
        required=False,
        help_text="種別（この宛先に開示されている場合だけ一致します）",
    )
    severity = serializers.ChoiceField(
        choices=[s.value for s in Severity],
        required=False,
        help_text="深刻度（この宛先に開示されている場合だけ一致します）",
    )
    prefecture = serializers.RegexField(
        r"^[0-9]{2}$", required=False, help_text="報告した団体の都道府県コード（2桁、例: 13）"
    )
    order = serializers.ChoiceField(
        choices=list(INBOX_ORDERS),
        required=False,
        default="attention",
        help_text="attention 対応が必要な順、newest、oldest、due 期限順、reporter 団体コード順",
    )


class AcknowledgeIn(Serializer):
    ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=BIGGEST_ID),
        min_length=1,
        max_length=500,
        help_text="受領を確認する送付のID（この団体あてでないものは無視されます）",
    )


class AcknowledgeOut(Serializer):
    acknowledged = serializers.IntegerField(help_text="新たに受領を確認した件数")


class OutsideIn(Serializer):
    method = serializers.ChoiceField(choices=OutsideMethod.choices, help_text="伝えた方法")
    reported_at = StrictDateTimeField(help_text="伝えた日時（タイムゾーン付き）")
    contact_person = StrictCharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="相手の担当者"
    )
    note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class OutsideOut(Serializer):
    version = serializers.IntegerField(help_text="伝えた版")
    method = serializers.ChoiceField(choices=OutsideMethod.choices)
    reported_at = serializers.DateTimeField()
    contact_person = serializers.CharField()
    note = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username")


class ContactOut(Serializer):
    desk = serializers.CharField(source="incident_contact_desk")
    phone = serializers.CharField(source="incident_contact_phone")
    email = serializers.CharField(source="incident_contact_email")
    hours = serializers.CharField(source="incident_contact_hours")


class RecipientOut(Serializer):
    """One recipient of an own report: reached on the platform or to be told otherwise."""

    recipient = OrganisationRefOut()
    version = serializers.IntegerField(help_text="最後に送った版")
    on_platform = serializers.BooleanField(help_text="mamoru で受け取る人がいる")
    contact = ContactOut(help_text="団体の一覧に登録された連絡窓口")
    told_outside = serializers.BooleanField(help_text="最新の版を電話等でも伝えた記録がある")
    needs_outside = serializers.BooleanField(help_text="電話等で伝える必要がまだある")
    outside = OutsideOut(many=True)


class NoticeIn(Serializer):
    status = serializers.ChoiceField(
        choices=[s.value for s in NoticeStatus if s.value], help_text="本人への通知の状況"
    )
    note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class NoticeOut(Serializer):
    required = serializers.BooleanField(help_text="本人への通知の義務があるか")  # type: ignore[assignment]
    bases = serializers.ListField(child=serializers.CharField(), help_text="義務の根拠")
    status = serializers.CharField()
    status_label = serializers.CharField()
    note = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True)
    outstanding = serializers.BooleanField(help_text="義務があり、まだ果たした記録がない")


class DeputyIn(Serializer):
    user = StrictCharField(
        min_length=1, max_length=150, help_text="代理者のユーザー名（この団体で報告を編集できる人）"
    )
    ends_at = StrictDateTimeField(help_text="代理の終了日時（90日以内）")
    reason = StrictCharField(min_length=1, max_length=200, help_text="理由")


class DeputyOut(Serializer):
    id = serializers.IntegerField()
    user = serializers.CharField(source="user.username")
    reason = serializers.CharField()
    named_by = serializers.CharField(source="named_by.username")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)


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
    number = serializers.CharField(
        allow_null=True, help_text="短い報告番号（例: 2026-133078-0001）: 電話で伝える番号"
    )
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
    report_number = serializers.CharField(allow_null=True, help_text="短い報告番号")
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
