"""Input and output of the assessments API, one pair per operation where they differ."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mamoru.api.fields import StrictCharField, StrictDateTimeField
from mamoru.assessments.models import CampaignStatus, ReviewDecision, TargetStatus

Serializer = serializers.Serializer[Any]


class TextOut(Serializer):
    ja = serializers.CharField()
    en = serializers.CharField()


class SurveyOrganisationOut(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FrameworkOut(Serializer):
    id = serializers.IntegerField()
    urn = serializers.CharField()
    slug = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    item_count = serializers.IntegerField()


class OptionOut(Serializer):
    id = serializers.CharField()
    text = TextOut(help_text="選択肢の表示（実施、一部実施…）")
    credit = serializers.FloatField()
    met = serializers.BooleanField()
    not_applicable = serializers.BooleanField()


class ItemOut(Serializer):
    id = serializers.CharField()
    question = TextOut()
    help = TextOut()
    next_step = TextOut(allow_null=True)
    options = OptionOut(many=True)
    weight = serializers.FloatField()
    mandatory = serializers.BooleanField()
    level = serializers.IntegerField()
    size_classes = serializers.ListField(child=serializers.CharField())
    csf = serializers.ListField(child=serializers.CharField())
    chapter = serializers.CharField(allow_null=True)


class FrameworkDetailOut(FrameworkOut):
    items = ItemOut(many=True)


class CampaignOut(Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    owner = SurveyOrganisationOut()
    framework_urn = serializers.CharField()
    deadline = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=CampaignStatus.choices)
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    frozen = serializers.BooleanField(help_text="締切時の評価と比較が確定しているか")


class CampaignIn(Serializer):
    framework_urn = StrictCharField(max_length=200, help_text="調査票の URN")
    title = StrictCharField(max_length=200, help_text="調査名")
    description = StrictCharField(required=False, default="", allow_blank=True)
    deadline = StrictDateTimeField(help_text="回答期限（タイムゾーン付き）")
    organisation_codes = serializers.ListField(
        child=StrictCharField(max_length=16),
        required=False,
        allow_null=True,
        default=None,
        help_text="対象とする団体コード。省略するとすべての対象にできる団体",
    )


class SurveySubmissionSummaryOut(Serializer):
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    overall_coverage = serializers.FloatField(allow_null=True)
    overall_level = serializers.IntegerField(allow_null=True)
    completeness = serializers.FloatField(allow_null=True)
    mandatory_unmet = serializers.IntegerField()


class TargetOut(Serializer):
    id = serializers.IntegerField()
    campaign = serializers.IntegerField()
    organisation = SurveyOrganisationOut()
    size_class = serializers.CharField()
    prefecture_code = serializers.CharField()
    status = serializers.ChoiceField(choices=TargetStatus.choices)
    current_submission = SurveySubmissionSummaryOut(allow_null=True)


class AnswerOut(Serializer):
    item_id = serializers.CharField()
    option_id = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    assignee = serializers.CharField(allow_null=True)
    submitted = serializers.BooleanField(help_text="提出された回答（監督する団体が読むもの）か")


class AnswerIn(Serializer):
    option_id = StrictCharField(
        max_length=40, allow_blank=True, help_text="選択肢の ID（空文字で未回答に戻す）"
    )
    comment = StrictCharField(max_length=2000, required=False, allow_blank=True)


class SurveySubmissionOut(SurveySubmissionSummaryOut):
    answers = serializers.DictField(child=serializers.CharField())
    comments = serializers.DictField(child=serializers.CharField())


class ReviewIn(Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comment = StrictCharField(max_length=2000, required=False, default="", allow_blank=True)


class ReviewOut(Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comment = serializers.CharField(allow_blank=True)
    reviewer_organisation = SurveyOrganisationOut()
    decided_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class GroupScoreOut(Serializer):
    key = serializers.CharField(help_text="overall、csf:GV、csf:GV.OC、chapter:6 など")
    coverage = serializers.FloatField(allow_null=True)
    completeness = serializers.FloatField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    potential_level = serializers.IntegerField(allow_null=True)
    applicable = serializers.IntegerField()
    answered = serializers.IntegerField()
    met = serializers.IntegerField()
    not_applicable = serializers.IntegerField()


class ScoresOut(Serializer):
    version = serializers.IntegerField()
    final = serializers.BooleanField(help_text="締切時に確定した評価か")
    groups = GroupScoreOut(many=True)


class ComparisonOut(Serializer):
    metric = serializers.CharField()
    dimension = serializers.ChoiceField(choices=["size_class", "prefecture"])
    group = serializers.CharField(help_text="比較対象の集団の名前")
    n = serializers.IntegerField()
    q1 = serializers.FloatField()
    median = serializers.FloatField()
    q3 = serializers.FloatField()
    value = serializers.FloatField(allow_null=True, help_text="自団体の値")
    percentile = serializers.FloatField(allow_null=True)
    fallback = serializers.IntegerField(help_text="小さすぎて飛ばした集団の数")


class ItemRateOut(Serializer):
    item_id = serializers.CharField()
    group = serializers.CharField()
    answered = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class PeersOut(Serializer):
    organisations = serializers.IntegerField(help_text="締切時に確定した団体の数")
    comparisons = ComparisonOut(many=True)
    item_rates = ItemRateOut(many=True)


class RateOut(Serializer):
    key = serializers.CharField()
    met = serializers.IntegerField(help_text="実施")
    partly = serializers.IntegerField(help_text="一部実施")
    unmet = serializers.IntegerField(help_text="未実施")
    not_applicable = serializers.IntegerField()
    unanswered = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class ProgressOut(Serializer):
    prefecture_code = serializers.CharField()
    name = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rate = serializers.FloatField(allow_null=True)


class DashboardOut(Serializer):
    prefecture_code = serializers.CharField(
        allow_null=True, help_text="集計の範囲（都道府県コード。全対象のときは null）"
    )
    totals = serializers.DictField(child=serializers.IntegerField())
    items = RateOut(many=True)
    chapters = RateOut(many=True)
    progress = ProgressOut(many=True)
