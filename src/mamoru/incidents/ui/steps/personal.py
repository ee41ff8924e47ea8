"""Steps on personal data: whether any leaked, the legal flags, and My Number data."""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.incidents.ui.steps.base import (
    Content,
    StepContext,
    StepForm,
    facts_of,
    flag,
    sections_initial,
    set_section,
    text_field,
)

# --- 6. personal data --------------------------------------------------------------------------------


def _personal(content: Content) -> dict[str, Any] | None:
    found: dict[str, Any] | None = content.get("facts", {}).get("personal_data")
    return found


class PersonalStep(StepForm):
    involved = forms.ChoiceField(
        label=_("個人情報が漏れた、なくなった、壊れた、又はそのおそれがありますか"),
        choices=[("yes", _("はい（おそれを含む）")), ("no", _("いいえ"))],
        widget=forms.RadioSelect,
        help_text=_(
            "少しでも可能性があれば「はい」です。ランサムウェアや不正アクセスで、個人情報の"
            "あるサーバーや端末に入られた場合も「はい」です。"
        ),
        error_messages={"required": _("「はい」か「いいえ」を選んでください。")},
    )
    kinds = forms.CharField(
        label=_("どんな個人情報ですか"),
        required=False,
        max_length=500,
        help_text=_("例: 氏名、住所、生年月日。読点（、）で区切ってください。"),
    )
    people = forms.IntegerField(
        label=_("何人分ですか（人）"),
        required=False,
        min_value=0,
        help_text=_(
            "調査中なら多い方の見込みを入れてください。まだ分からなければ空欄のままで"
            "構いません（100人を超えるおそれがあるものとして、個人情報保護委員会にも届きます）。"
        ),
        error_messages={"invalid": _("人数は数字で入力してください（例: 120）。")},
    )
    my_number = flag(
        _("マイナンバー（個人番号）が含まれる"),
        _("12桁の個人番号が含まれる場合です。次の手順で、もう少し詳しく聞きます。"),
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        personal = _personal(content)
        if personal is None:
            return {"involved": "no" if "personal" in context.done else None}
        return {
            "involved": "yes",
            "kinds": "、".join(personal.get("kinds", [])),
            "people": personal.get("people"),
            "my_number": personal.get("my_number", False),
        }

    def apply(self, content: Content) -> Content:
        facts = facts_of(content)
        if self.cleaned_data["involved"] != "yes":
            facts["personal_data"] = None
            return content
        personal = dict(_personal(content) or {})
        raw = (self.cleaned_data["kinds"] or "").replace(",", "、").split("、")
        personal["kinds"] = [k.strip() for k in raw if k.strip()]
        personal["people"] = self.cleaned_data["people"]
        personal["my_number"] = bool(self.cleaned_data["my_number"])
        if not personal["my_number"]:
            personal["my_number_people"] = None
        facts["personal_data"] = personal
        return content


PERSONAL_FLAGS: Final[dict[str, tuple[Any, Any]]] = {
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
            "不正アクセス、ランサムウェア、マルウェア、改ざん、盗難は種類から自動で"
            "「不正の目的をもって行われたおそれ」として扱います。ここは内部不正など、"
            "種類から分からない場合に選んでください。"
        ),
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
            "パスワードを同じメールで送った場合などは当たりません。分からなければ選ばないで"
            "ください。"
        ),
    ),
}

MY_NUMBER_FLAGS: Final[dict[str, tuple[Any, Any]]] = {
    "in_my_number_system": (
        _("住民記録・税など、マイナンバーを使う事務のシステムで管理していた"),
        _("マイナンバー利用事務のシステム（基幹系）に入っていた情報です。"),
    ),
    "in_my_number_related_system": (
        _("職員の給与・源泉徴収など、マイナンバー関係事務のシステムで管理していた"),
        _(
            "団体が雇い主や支払者として扱う職員・報酬の支払先などのマイナンバーです"
            "（個人番号関係事務）。人数にかかわらず報告が必要です。"
        ),
    ),
    "in_contractor_system": (
        _("委託先がマイナンバーを扱う事務に使うシステムで管理していた"),
        _(
            "マイナンバーを扱う事務を委託した先（保守業者、クラウド事業者など）の"
            "システムで起きた場合です。人数にかかわらず報告が必要です。"
        ),
    ),
    "improper_use": (
        _("不正な目的で使われた（おそれを含む）"),
        _("漏れていなくても、業務と関係のない目的でだれかが使った場合です。"),
    ),
    "improper_provision": (
        _("不正な目的で外部に渡された（おそれを含む）"),
        _("職員や委託先が、決められた相手以外にわざと渡した疑いがある場合です。"),
    ),
}


class PersonalDetailsStep(StepForm):
    text_personal_data = text_field(
        _("人数の数え方・根拠"),
        _("例:「住民情報のバックアップ（約1,900人分）が置かれたサーバーのため」。"),
        rows=3,
    )
    text_secondary_damage = text_field(
        _("これから起こるおそれのある被害（二次被害）"),
        _("なりすまし、詐欺の電話やメールなどです。"),
        rows=3,
    )
    text_notification = text_field(
        _("本人への連絡やお詫びの状況"),
        _("本人に知らせたか、その予定です。"),
        rows=3,
    )

    def __init__(self, *args: Any, context: StepContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        for name, (label, help_text) in PERSONAL_FLAGS.items():
            self.fields[name] = flag(label, help_text)
        self.order_fields([*PERSONAL_FLAGS, "text_personal_data"])

    def flag_fields(self) -> list[Any]:
        return [self[name] for name in PERSONAL_FLAGS]

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        personal = _personal(content) or {}
        return {
            **{name: personal.get(name, False) for name in PERSONAL_FLAGS},
            **sections_initial(content, "personal_data", "secondary_damage", "notification"),
        }

    def apply(self, content: Content) -> Content:
        personal = _personal(content)
        if personal is not None:
            personal.update({name: bool(self.cleaned_data[name]) for name in PERSONAL_FLAGS})
        for section in ("personal_data", "secondary_damage", "notification"):
            set_section(content, section, self.cleaned_data[f"text_{section}"])
        return content


class MyNumberStep(StepForm):
    my_number_people = forms.IntegerField(
        label=_("そのうちマイナンバーが含まれていた人の数（人）"),
        required=False,
        min_value=0,
        help_text=_(
            "分からなければ空欄です（本人の数が100人以下なら、それを超えないものとして扱います）。"
        ),
        error_messages={"invalid": _("人数は数字で入力してください（例: 120）。")},
    )

    def __init__(self, *args: Any, context: StepContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        for name, (label, help_text) in MY_NUMBER_FLAGS.items():
            self.fields[name] = flag(label, help_text)

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        personal = _personal(content) or {}
        return {
            "my_number_people": personal.get("my_number_people"),
            **{name: personal.get(name, False) for name in MY_NUMBER_FLAGS},
        }

    def apply(self, content: Content) -> Content:
        personal = _personal(content)
        if personal is not None:
            personal["my_number_people"] = self.cleaned_data["my_number_people"]
            personal.update({name: bool(self.cleaned_data[name]) for name in MY_NUMBER_FLAGS})
        return content
