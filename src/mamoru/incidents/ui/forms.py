"""The report form: every field of the structured report, with help in plain words.

The form only shapes input: it turns what the reporter typed into the content dict that
``services.content_validate`` checks (``content.to_dict`` form), and a stored content
back into initial values. Field names mirror the content's paths so that a service's
``ValidationError`` keyed ``facts.timeline.aware`` lands on the field ``aware``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from django import forms
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from mamoru.incidents.content import Tlp
from mamoru.incidents.routing import Category, NoRuleSetError, Segment, Severity, ruleset_for
from mamoru.incidents.routing.codes import NATIONAL_BODIES, SECTIONS

# Free-text sections of the form, in the order of the issue. ``category`` is chosen, not
# written, and ``contact`` has its own fields.
TEXT_SECTIONS: Final = tuple(s for s in SECTIONS if s not in {"category", "contact"})
# Sections whose sharing (TLP) the reporter may narrow one by one.
MARKED_SECTIONS: Final = (*TEXT_SECTIONS, "contact")

SECTION_HELP: Final = {
    "overview": _("何が起きたかを、専門用語を使わずに数行で書いてください。"),
    "timeline": _("いつ・だれが・何をしたかを時間の順に書いてください。"),
    "systems": _("影響を受けたパソコン・サーバー・ネットワーク機器の名前や台数です。"),
    "services": _("止まった、又は影響を受けた住民向けの業務やサービスです。"),
    "personal_data": _("漏れた又は漏れたおそれのある情報の項目と、その人数の根拠です。"),
    "cause": _("分かっている範囲で書いてください。分からなければ「調査中」で構いません。"),
    "secondary_damage": _("なりすましや詐欺など、これから起こるおそれのある被害です。"),
    "actions": _("ネットワークからの切り離し、パスワード変更など、行ったことと予定です。"),
    "notification": _("情報が漏れた本人への連絡やお詫びの状況です。"),
    "impact": _("住民や窓口業務にどんな影響が出ているか、いつまで続きそうかです。"),
    "announcement": _("ホームページや記者発表で公表したか、その予定です。"),
    "police": _("警察に相談・通報したか、その内容です。"),
    "contractor": _("委託先（保守業者など）が関わっているか、その対応状況です。"),
}

FLAG_FIELDS: Final = {
    "sensitive": (
        _("要配慮個人情報（病歴、健康診断の結果、障害、犯罪の経歴など）が含まれる"),
        _(
            "病歴、心身の障害、健康診断・検査の結果、診療や調剤の情報、犯罪の経歴、人種、"
            "信条、社会的身分など、知られると差別や偏見につながるおそれがある情報です"
            "（個人情報保護法第2条第3項、施行令第2条）。1人分でも報告が必要です。"
        ),
    ),
    "ordinance_sensitive": (
        _("条例で定める要配慮個人情報が含まれる"),
        _(
            "団体の条例で「条例要配慮個人情報」と定めた種類の情報です。条例を確かめ、"
            "分からなければ個人情報保護の担当課に聞いてください。"
        ),
    ),
    "my_number": (
        _("マイナンバー（個人番号）が含まれる"),
        _("12桁の個人番号が含まれる場合です。番号法による別の報告が必要になることがあります。"),
    ),
    "in_my_number_system": (
        _("マイナンバーを扱うシステムで管理していた情報"),
        _("住民記録や税など、マイナンバー利用事務のシステムに入っていた情報です。"),
    ),
    "in_my_number_related_system": (
        _("職員の給与・源泉徴収など、マイナンバー関係事務のシステムで管理していた情報"),
        _(
            "団体が雇い主や支払者として扱う職員・報酬の支払先などのマイナンバーです"
            "（個人番号関係事務）。人数にかかわらず報告が必要です。"
        ),
    ),
    "in_contractor_system": (
        _("委託先がマイナンバーを扱う事務に使うシステムで管理していた情報"),
        _(
            "マイナンバーを扱う事務を委託した先（保守業者、クラウド事業者など）の"
            "システムで起きた場合です。人数にかかわらず報告が必要です。"
        ),
    ),
    "financial_damage_risk": (
        _("悪用されるとお金の被害が出るおそれがある"),
        _(
            "クレジットカード番号、ネットバンキングなどのログインIDとパスワードの組合せなど、"
            "本人になりすましてお金を動かせる情報です。住所・電話番号・メールアドレスだけ"
            "では通常は当たりません。"
        ),
    ),
    "improper_purpose": (
        _("職員などによる不正な持ち出し・不正な目的での操作のおそれがある"),
        _(
            "不正アクセス、ランサムウェア、マルウェア、改ざん、盗難は種別から自動で"
            "「不正の目的をもって行われたおそれ」として扱います。ここは内部不正など、"
            "種別から分からない場合に選んでください。"
        ),
    ),
    "improper_use": (
        _("マイナンバーを含む情報が不正な目的で使われた（おそれを含む）"),
        _("漏れていなくても、業務と関係のない目的でだれかが使った場合です。"),
    ),
    "improper_provision": (
        _("マイナンバーを含む情報が不正な目的で外部に渡された（おそれを含む）"),
        _("職員や委託先が、決められた相手以外にわざと渡した疑いがある場合です。"),
    ),
    "publicly_viewable": (
        _("インターネットでだれでも見られる状態になった"),
        _("ホームページへの誤掲載など、不特定多数が閲覧できた場合です。"),
    ),
    "high_grade_encryption": (
        _("高度な暗号化で保護され、復号の鍵も別に管理されていた"),
        _(
            "安全性が確かめられた方式（電子政府推奨暗号など）で暗号化され、復号の鍵を"
            "データと分けて管理し、鍵が漏れていない場合だけです。パスワード付きファイルの"
            "パスワードを同じメールで送った場合などは当たりません。分からなければ空欄に"
            "してください。"
        ),
    ),
}

BOOL_FACTS: Final[dict[str, str]] = {
    "publicly_announced": "announcement",
    "police_consulted": "police",
    "contractor_involved": "contractor",
}

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _tlp_choices(*, inherit: bool) -> list[tuple[str, str]]:
    choices = [(t.value, t.label) for t in Tlp]
    return [("", str(_("報告全体と同じ"))), *choices] if inherit else choices


def service_choices(on: date) -> list[tuple[str, str]]:
    """The service catalogue of the rule set in force on ``on``."""
    try:
        ruleset = ruleset_for(on)
    except NoRuleSetError:
        return []
    return [(kind, service.label) for kind, service in ruleset.services.items()]


def red_recipient_choices(prefecture: tuple[str, str] | None) -> list[tuple[str, str]]:
    bodies = list(NATIONAL_BODIES.items())
    return [prefecture, *bodies] if prefecture else bodies


class ReportForm(forms.Form):
    """Everything the reporter writes. Only the title, the kind and the time it was noticed
    are required: a first report (第一報) may say what is known so far."""

    title = forms.CharField(
        label=_("件名"),
        max_length=200,
        help_text=_("例:「住民情報システムへの不正アクセス」。あとから変えられます。"),
    )
    category = forms.ChoiceField(
        label=_("インシデントの種別"),
        choices=[(c.value, c.label) for c in Category],
        widget=forms.RadioSelect,
        help_text=_("いちばん近いものを選んでください。迷ったら「その他」で構いません。"),
    )
    severity = forms.ChoiceField(
        label=_("深刻度"),
        choices=[(s.value, s.label) for s in Severity],
        initial=Severity.MEDIUM.value,
        widget=forms.RadioSelect,
        help_text=_("業務が止まっている、多くの住民に影響がある場合は「高」か「緊急」です。"),
    )
    serious = forms.BooleanField(
        label=_("重大インシデントである"),
        required=False,
        help_text=_("住民サービスが広く止まった、大量の情報が漏れたなど。すぐに報告が届きます。"),
    )
    cyber_attack = forms.ChoiceField(
        label=_("サイバー攻撃によるものか"),
        choices=[("", _("種別から判断する")), ("yes", _("はい")), ("no", _("いいえ"))],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("分からなければ「種別から判断する」のままにしてください。"),
    )
    started = forms.DateTimeField(
        label=_("発生した日時"),
        required=False,
        widget=_DATETIME,
        help_text=_("分かる場合だけ。気づいた日時より前になります。"),
    )
    aware = forms.DateTimeField(
        label=_("気づいた日時（認知）"),
        widget=_DATETIME,
        help_text=_("団体のだれかが最初に気づいた日時です。報告の期限はここから数えます。"),
    )
    determined = forms.DateTimeField(
        label=_("報告が必要な事態だと職員が知った日時"),
        required=False,
        widget=_DATETIME,
        help_text=_(
            "職員のだれかが、報告が必要な事実（個人情報が漏れたおそれ、攻撃によること、"
            "100人を超えることなど）を知った日時です。上司やCISOが判断した日時ではありません。"
            "個人情報保護委員会の期限はここから数えます。"
        ),
    )
    contained = forms.DateTimeField(
        label=_("被害の拡大を止めた日時（封じ込め）"),
        required=False,
        widget=_DATETIME,
        help_text=_("まだなら空欄にしてください。"),
    )
    segments = forms.MultipleChoiceField(
        label=_("影響を受けたネットワーク区分"),
        choices=[(s.value, s.label) for s in Segment],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("三層の対策の区分です。分からなければ情報システム担当に確認してください。"),
    )
    services = forms.MultipleChoiceField(
        label=_("影響を受けた業務・サービス"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選んだ業務を所管する省庁にも報告が届きます。"),
    )
    personal_involved = forms.BooleanField(
        label=_("個人情報が漏れた、なくなった、又はそのおそれがある"),
        required=False,
        help_text=_("少しでも可能性があれば選んでください。"),
    )
    personal_kinds = forms.CharField(
        label=_("個人情報の項目"),
        required=False,
        max_length=500,
        help_text=_("例: 氏名、住所、生年月日。読点（、）で区切ってください。"),
    )
    personal_people = forms.IntegerField(
        label=_("本人の数（人）"),
        required=False,
        min_value=0,
        help_text=_(
            "調査中なら多い方の見込みを入れてください。分からなければ空欄です"
            "（100人を超えるおそれがあるものとして扱います）。"
        ),
    )
    my_number_people = forms.IntegerField(
        label=_("そのうちマイナンバーを含む本人の数（人）"),
        required=False,
        min_value=0,
        help_text=_(
            "マイナンバーが含まれていた人の数です。分からなければ空欄です"
            "（本人の数が100人以下なら、それを超えないものとして扱います）。"
        ),
    )
    tlp = forms.ChoiceField(
        label=_("報告全体の共有範囲（TLP）"),
        choices=_tlp_choices(inherit=False),
        initial=Tlp.AMBER.value,
        widget=forms.RadioSelect,
        help_text=_(
            "報告を受け取った機関がどこまで共有してよいかの目印です。迷ったら"
            "「TLP:AMBER」（受け取った組織の中で必要な人だけ）を選んでください。"
        ),
    )
    contact_name = forms.CharField(
        label=_("担当者の氏名"),
        required=False,
        max_length=100,
        help_text=_("問い合わせを受ける人です。"),
    )
    contact_department = forms.CharField(
        label=_("部署"), required=False, max_length=100, help_text=_("例: 情報政策課")
    )
    contact_phone = forms.CharField(
        label=_("電話番号"), required=False, max_length=40, help_text=_("例: 03-1234-5678")
    )
    contact_email = forms.EmailField(
        label=_("メールアドレス"), required=False, help_text=_("例: joho@city.example.lg.jp")
    )

    def __init__(
        self,
        *args: Any,
        services: list[tuple[str, str]],
        red_recipients: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = services  # type: ignore[attr-defined]
        for name, (label, help_text) in FLAG_FIELDS.items():
            self.fields[name] = forms.BooleanField(label=label, required=False, help_text=help_text)
        for name in BOOL_FACTS:
            self.fields[name] = forms.BooleanField(
                label=_BOOL_LABELS[name], required=False, help_text=_BOOL_HELP[name]
            )
        for section in TEXT_SECTIONS:
            self.fields[f"text_{section}"] = forms.CharField(
                label=SECTIONS[section],
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=SECTION_HELP[section],
            )
        for section in MARKED_SECTIONS:
            self.fields[f"tlp_{section}"] = forms.ChoiceField(
                label=_("「%(section)s」の共有範囲") % {"section": SECTIONS[section]},
                choices=_tlp_choices(inherit=True),
                required=False,
                help_text=_("TLP:REDにすると、下で選んだ宛先だけがこの項目を読めます。"),
            )
            self.fields[f"red_{section}"] = forms.MultipleChoiceField(
                label=_("「%(section)s」をTLP:REDで見せる宛先") % {"section": SECTIONS[section]},
                choices=red_recipients,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("TLP:REDのときだけ使います。選ばなかった宛先には届きません。"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for section in MARKED_SECTIONS:
            if data.get(f"tlp_{section}") == Tlp.RED.value and not data.get(f"red_{section}"):
                self.add_error(
                    f"red_{section}",
                    _("TLP:REDの項目には、見せる宛先を一つ以上選んでください。"),
                )
        return data

    def marking_fields(self) -> list[tuple[Any, Any, str, str]]:
        """Per section: its TLP field, its TLP:RED recipients field, its code and label."""
        return [(self[f"tlp_{s}"], self[f"red_{s}"], s, SECTIONS[s]) for s in MARKED_SECTIONS]

    # --- between the form and the content dict ---------------------------------------

    def content(self) -> dict[str, Any]:
        """The content dict (``content.to_dict`` form) of the cleaned data."""
        data = self.cleaned_data
        section_tlp = {s: data[f"tlp_{s}"] for s in MARKED_SECTIONS if data.get(f"tlp_{s}")}
        return {
            "title": data["title"],
            "facts": _facts(data),
            "sections": {s: data[f"text_{s}"] for s in TEXT_SECTIONS if data.get(f"text_{s}")},
            "contact": _contact(data),
            "tlp": data["tlp"],
            "section_tlp": section_tlp,
            "red_recipients": {
                s: list(data[f"red_{s}"]) for s, t in section_tlp.items() if t == Tlp.RED.value
            },
        }

    def error_fields(self, message_dict: Mapping[str, list[str]]) -> None:
        """Put a service's errors (keyed by content path) on the fields they belong to."""
        for path, messages in message_dict.items():
            name = field_for_path(path)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


_BOOL_LABELS: Final = {
    "publicly_announced": _("公表した（又は公表する予定）"),
    "police_consulted": _("警察に相談・通報した"),
    "contractor_involved": _("委託先（保守業者など）が関わっている"),
}
_BOOL_HELP: Final = {
    "publicly_announced": _("ホームページや記者発表で住民に知らせた場合です。"),
    "police_consulted": _("サイバー犯罪相談窓口や警察署への相談を含みます。"),
    "contractor_involved": _("委託先の機器や作業が原因又は経路になった可能性がある場合です。"),
}

_PATHS: Final[dict[str, str]] = {
    "title": "title",
    "facts.category": "category",
    "facts.severity": "severity",
    "facts.personal_data.people": "personal_people",
    "facts.personal_data.kinds": "personal_kinds",
    "contact.name": "contact_name",
    "contact.email": "contact_email",
    "tlp": "tlp",
}


def field_for_path(path: str) -> str | None:
    """The form field of a content path such as ``facts.timeline.aware``."""
    if path in _PATHS:
        return _PATHS[path]
    head, _sep, tail = path.rpartition(".")
    if head in {"facts.timeline", "facts.personal_data", "facts"}:
        return tail
    if head == "sections":
        return f"text_{tail}"
    if head in {"section_tlp", "red_recipients"}:
        return f"{'tlp' if head == 'section_tlp' else 'red'}_{tail}"
    return None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _facts(data: Mapping[str, Any]) -> dict[str, Any]:
    timeline = {name: _iso(data.get(name)) for name in ("started", "determined", "contained")}
    facts: dict[str, Any] = {
        "category": data["category"],
        "severity": data.get("severity") or Severity.MEDIUM.value,
        "serious": bool(data.get("serious")),
        "cyber_attack": {"yes": True, "no": False}.get(data.get("cyber_attack") or ""),
        "timeline": {"aware": _iso(data["aware"]), **timeline},
        "services": [{"kind": kind} for kind in data.get("services", [])],
        "segments": list(data.get("segments", [])),
        "personal_data": _personal_data(data),
    }
    facts.update({name: bool(data.get(name)) for name in BOOL_FACTS})
    return facts


def _personal_data(data: Mapping[str, Any]) -> dict[str, Any] | None:
    if not data.get("personal_involved"):
        return None
    kinds = [k.strip() for k in (data.get("personal_kinds") or "").replace(",", "、").split("、")]
    return {
        "kinds": [k for k in kinds if k],
        "people": data.get("personal_people"),
        "my_number_people": data.get("my_number_people"),
        **{name: bool(data.get(name)) for name in FLAG_FIELDS},
    }


def _contact(data: Mapping[str, Any]) -> dict[str, str] | None:
    fields = {k: data.get(f"contact_{k}") or "" for k in ("name", "department", "phone", "email")}
    if not any(fields.values()):
        return None
    return fields


def _local(value: str | None) -> datetime | None:
    return None if not value else localtime(datetime.fromisoformat(value))


def initial_from_content(content: Mapping[str, Any]) -> dict[str, Any]:
    """Initial values of :class:`ReportForm` from a stored content dict."""
    facts = content.get("facts", {})
    timeline = facts.get("timeline", {})
    personal = facts.get("personal_data") or {}
    contact = content.get("contact") or {}
    cyber = facts.get("cyber_attack")
    initial: dict[str, Any] = {
        "title": content.get("title", ""),
        "category": facts.get("category"),
        "severity": facts.get("severity", Severity.MEDIUM.value),
        "serious": facts.get("serious", False),
        "cyber_attack": "" if cyber is None else ("yes" if cyber else "no"),
        **{n: _local(timeline.get(n)) for n in ("started", "aware", "determined", "contained")},
        "segments": facts.get("segments", []),
        "services": [s["kind"] for s in facts.get("services", [])],
        "personal_involved": bool(facts.get("personal_data")),
        "personal_kinds": "、".join(personal.get("kinds", [])),
        "personal_people": personal.get("people"),
        "my_number_people": personal.get("my_number_people"),
        "tlp": content.get("tlp", Tlp.AMBER.value),
        **{name: personal.get(name, False) for name in FLAG_FIELDS},
        **{name: facts.get(name, False) for name in BOOL_FACTS},
        **{f"contact_{k}": contact.get(k, "") for k in ("name", "department", "phone", "email")},
    }
    for section, text in content.get("sections", {}).items():
        initial[f"text_{section}"] = text
    for section, marking in content.get("section_tlp", {}).items():
        initial[f"tlp_{section}"] = marking
    for section, codes in content.get("red_recipients", {}).items():
        initial[f"red_{section}"] = list(codes)
    return initial


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("連絡の本文"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("相手の団体の担当者だけが読めます。5000文字まで。"),
    )


class SubmitForm(forms.Form):
    """The CISO's choice: an interim report (第一報 / 続報) or the final one (確報)."""

    final = forms.TypedChoiceField(
        label=_("報告の段階"),
        coerce=lambda value: value == "final",
        choices=[],
        widget=forms.RadioSelect,
        help_text=_(
            "すべて分かり、対応が終わったときは「確報」です。確報を出すと報告は完了します。"
        ),
    )

    def __init__(self, *args: Any, first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        interim = _("第一報（分かっていることだけで早く知らせる）") if first else _("続報")
        self.fields["final"].choices = [  # type: ignore[attr-defined]
            ("interim", interim),
            ("final", _("確報（最終の報告）")),
        ]
        self.fields["final"].initial = "interim"


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("再開する理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 確報の後に新たな被害が分かったため。監査ログに残ります。"),
    )
