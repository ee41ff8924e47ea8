"""Steps on what happened: the kind, a few lines, how serious, systems, services, cause
and the moments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.incidents.routing import Severity
from mamoru.incidents.ui import labels
from mamoru.incidents.ui.steps.base import (
    YES_NO,
    Content,
    ExplainedCheckboxes,
    ExplainedRadio,
    Moment,
    StepContext,
    StepForm,
    auto_title,
    choices_of,
    explanations_of,
    facts_of,
    iso,
    moment_initial,
    sections_initial,
    set_section,
    text_field,
)

# --- 1. what happened and when it was noticed --------------------------------------------------


class IncidentStep(StepForm):
    moments = (
        Moment(
            "aware",
            _("いつ気づきましたか"),
            _(
                "団体のだれかが最初に気づいた日時です。報告の期限はここから数えます。"
                "日付だけでもかまいません。"
            ),
            required=True,
        ),
    )
    category = forms.ChoiceField(
        label=_("何が起きましたか"),
        choices=choices_of(labels.CATEGORIES),
        widget=ExplainedRadio(explanations_of(labels.CATEGORIES)),
        help_text=_("いちばん近いものを一つ選んでください。あとから変えられます。"),
        error_messages={"required": _("何が起きたかを選んでください。")},
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        facts = content.get("facts", {})
        return {
            "category": facts.get("category"),
            **moment_initial("aware", facts.get("timeline", {}).get("aware")),
        }

    def apply(self, content: Content) -> Content:
        facts = facts_of(content)
        old_auto = (
            auto_title(facts["category"], datetime.fromisoformat(facts["timeline"]["aware"]))
            if facts.get("category") and facts.get("timeline", {}).get("aware")
            else ""
        )
        facts["category"] = self.cleaned_data["category"]
        facts.setdefault("timeline", {})["aware"] = iso(self.cleaned_data["aware"])
        if not content.get("title") or content["title"] == old_auto:
            content["title"] = auto_title(facts["category"], self.cleaned_data["aware"])
        return content


# --- 2. a few lines on what happened -----------------------------------------------------------


class OverviewStep(StepForm):
    text_overview = text_field(
        _("何が起きたかを、数行で書いてください"),
        _(
            "専門用語は要りません。例:「朝、ファイルサーバーのファイルが開けなくなり、"
            "身代金を求める文書が置かれていた」。分かっていることだけで構いません。"
        ),
    )
    title = forms.CharField(
        label=_("件名"),
        max_length=200,
        help_text=_("報告の一覧や通知に出る名前です。自動で付けたものをそのまま使えます。"),
        error_messages={"required": _("件名を入力してください。")},
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        return {"title": content.get("title", ""), **sections_initial(content, "overview")}

    def apply(self, content: Content) -> Content:
        content["title"] = self.cleaned_data["title"]
        set_section(content, "overview", self.cleaned_data["text_overview"])
        return content


# --- 3. how serious ------------------------------------------------------------------------------


class SeverityStep(StepForm):
    severity = forms.ChoiceField(
        label=_("どのくらい深刻ですか"),
        choices=choices_of(labels.SEVERITIES),
        widget=ExplainedRadio(explanations_of(labels.SEVERITIES)),
        initial=Severity.MEDIUM.value,
        help_text=_("いまの状況で選んでください。変われば続報で直せます。"),
    )
    serious = forms.ChoiceField(
        label=_("重大インシデントですか"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        help_text=labels.SERIOUS_THRESHOLD,
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        facts = content.get("facts", {})
        return {
            "severity": facts.get("severity", Severity.MEDIUM.value),
            "serious": "yes" if facts.get("serious") else "no",
        }

    def apply(self, content: Content) -> Content:
        facts = facts_of(content)
        facts["severity"] = self.cleaned_data["severity"]
        facts["serious"] = self.cleaned_data["serious"] == "yes"
        return content


# --- 4. systems and networks ---------------------------------------------------------------------


class SystemsStep(StepForm):
    segments = forms.MultipleChoiceField(
        label=_("どのネットワークに影響がありましたか（三層の区分）"),
        choices=choices_of(labels.SEGMENTS),
        required=False,
        widget=ExplainedCheckboxes(explanations_of(labels.SEGMENTS)),
        help_text=_(
            "自治体のネットワークは三つに分けられています（三層の対策）。当てはまるものを"
            "すべて選んでください。分からなければ空欄のまま進み、情報システム担当に確認して"
            "ください。"
        ),
    )
    text_systems = text_field(
        _("影響を受けた機器やシステム"),
        _("パソコン・サーバー・ネットワーク機器の名前や台数です（例: ファイルサーバー1台）。"),
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        return {
            "segments": content.get("facts", {}).get("segments", []),
            **sections_initial(content, "systems"),
        }

    def apply(self, content: Content) -> Content:
        facts_of(content)["segments"] = list(self.cleaned_data["segments"])
        set_section(content, "systems", self.cleaned_data["text_systems"])
        return content


# --- 5. services -----------------------------------------------------------------------------------


class ServicesStep(StepForm):
    services = forms.MultipleChoiceField(
        label=_("止まった、又は影響を受けた業務・住民サービス"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選んだ業務を所管する省庁にも報告が届きます。なければ空欄のまま進みます。"),
    )
    text_impact = text_field(
        _("住民や窓口への影響と、いつまで続きそうか"),
        _("例:「住民票の発行を止めている。再開は未定」。"),
    )
    text_services = text_field(
        _("上の一覧にない業務（あれば）"),
        _("一覧にない業務が止まっているときに書いてください。"),
        rows=2,
    )

    def __init__(self, *args: Any, context: StepContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        self.fields["services"].choices = context.services  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        return {
            "services": [s["kind"] for s in content.get("facts", {}).get("services", [])],
            **sections_initial(content, "impact", "services"),
        }

    def apply(self, content: Content) -> Content:
        facts = facts_of(content)
        kept = {s["kind"]: s for s in facts.get("services", [])}
        facts["services"] = [kept.get(k, {"kind": k}) for k in self.cleaned_data["services"]]
        set_section(content, "impact", self.cleaned_data["text_impact"])
        set_section(content, "services", self.cleaned_data["text_services"])
        return content


# --- 9. cause and response ------------------------------------------------------------------------


class CauseStep(StepForm):
    cyber_attack = forms.ChoiceField(
        label=_("サイバー攻撃によるものですか"),
        choices=[
            ("", _("種類から判断する（分からないとき）")),
            ("yes", _("はい")),
            ("no", _("いいえ")),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "ランサムウェア、不正アクセス、DDoS攻撃、改ざん、マルウェア感染は、「いいえ」を"
            "選ばない限りサイバー攻撃として扱います。"
        ),
    )
    text_cause = text_field(
        _("原因（分かっている範囲で）"),
        _("分からなければ「調査中」で構いません。例:「VPN装置の脆弱性を悪用された可能性」。"),
    )
    text_actions = text_field(
        _("これまでにした対応と、これからの予定"),
        _("例:「サーバーをネットワークから切り離した。ログを保全した。県CSIRTに連絡した」。"),
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        cyber = content.get("facts", {}).get("cyber_attack")
        return {
            "cyber_attack": "" if cyber is None else ("yes" if cyber else "no"),
            **sections_initial(content, "cause", "actions"),
        }

    def apply(self, content: Content) -> Content:
        answer = self.cleaned_data["cyber_attack"] or ""
        facts_of(content)["cyber_attack"] = {"yes": True, "no": False}.get(answer)
        set_section(content, "cause", self.cleaned_data["text_cause"])
        set_section(content, "actions", self.cleaned_data["text_actions"])
        return content


# --- 10. the other moments --------------------------------------------------------------------------


class TimelineStep(StepForm):
    moments = (
        Moment("started", _("いつ起き始めましたか"), _("分かる場合だけ。気づいた日時より前です。")),
        Moment(
            "determined",
            _("報告が必要な事態だと、職員のだれかが知ったのはいつですか"),
            _(
                "個人情報が漏れたおそれ、攻撃によること、100人を超えることなど、報告が必要な"
                "事実を職員のだれかが知った日時です。上司やCISOが判断した日時ではありません。"
                "個人情報保護委員会への期限はここから数えます。空欄なら気づいた日時から数えます。"
            ),
        ),
        Moment("contained", _("被害の広がりを止めたのはいつですか"), _("まだなら空欄です。")),
    )
    text_timeline = text_field(
        _("経緯"),
        _("いつ・だれが・何をしたかを、時間の順に書いてください。"),
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        timeline = content.get("facts", {}).get("timeline", {})
        initial: dict[str, Any] = sections_initial(content, "timeline")
        for name in ("started", "determined", "contained"):
            initial.update(moment_initial(name, timeline.get(name)))
        return initial

    def apply(self, content: Content) -> Content:
        timeline = facts_of(content).setdefault("timeline", {})
        aware = timeline.get("aware")
        for name in ("started", "determined", "contained"):
            timeline[name] = iso(self.cleaned_data[name])
        # A date alone on the day of awareness means "that day, once it was noticed".
        determined = self.cleaned_data["determined"]
        if aware and determined is not None and self.cleaned_data["determined_time"] is None:
            noticed = datetime.fromisoformat(aware)
            if timezone.localtime(noticed).date() == timezone.localtime(determined).date():
                timeline["determined"] = iso(max(determined, noticed))
        set_section(content, "timeline", self.cleaned_data["text_timeline"])
        return content
