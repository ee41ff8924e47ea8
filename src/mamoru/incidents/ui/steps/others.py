"""Steps on the rest: announcement, police and contractor, the contact, and sharing."""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.incidents.content import Tlp
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.ui import labels
from mamoru.incidents.ui.steps.base import (
    Content,
    ExplainedRadio,
    StepContext,
    StepForm,
    choices_of,
    explanations_of,
    facts_of,
    sections_initial,
    set_section,
    text_field,
    yes_no,
)

# --- 11. announcement, police, contractor -----------------------------------------------------------

# Each yes/no fact with the text section that details it: one question, not two.
OTHER_QUESTIONS: Final[dict[str, tuple[str, Any, Any, Any]]] = {
    "publicly_announced": (
        "announcement",
        _("公表しましたか（又は公表する予定ですか）"),
        _("ホームページや記者発表で住民に知らせた場合です。"),
        _("公表の方法・日時・予定（任意）"),
    ),
    "police_consulted": (
        "police",
        _("警察に相談・通報しましたか"),
        _("都道府県警察のサイバー犯罪相談窓口や警察署への相談を含みます。"),
        _("相談先と内容（任意）"),
    ),
    "contractor_involved": (
        "contractor",
        _("委託先（保守業者など）が関わっていますか"),
        _("委託先の機器や作業が原因又は経路になった可能性がある場合も「はい」です。"),
        _("委託先の名前と対応状況（任意）"),
    ),
}


class OthersStep(StepForm):
    def __init__(self, *args: Any, context: StepContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        for fact, (section, question, help_text, detail) in OTHER_QUESTIONS.items():
            self.fields[fact] = yes_no(question, help_text)
            self.fields[f"text_{section}"] = text_field(detail, "", rows=2)

    def questions(self) -> list[tuple[Any, Any]]:
        return [(self[fact], self[f"text_{spec[0]}"]) for fact, spec in OTHER_QUESTIONS.items()]

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        facts = content.get("facts", {})
        initial = sections_initial(content, *(spec[0] for spec in OTHER_QUESTIONS.values()))
        for fact in OTHER_QUESTIONS:
            initial[fact] = "yes" if facts.get(fact) else "no"
        return initial

    def apply(self, content: Content) -> Content:
        facts = facts_of(content)
        for fact, (section, *_rest) in OTHER_QUESTIONS.items():
            facts[fact] = self.cleaned_data[fact] == "yes"
            set_section(content, section, self.cleaned_data[f"text_{section}"])
        return content


# --- 12. contact -----------------------------------------------------------------------------------------


class ContactStep(StepForm):
    contact_name = forms.CharField(
        label=_("担当者の氏名"),
        required=False,
        max_length=100,
        help_text=_("報告を受け取った機関からの問い合わせを受ける人です。"),
    )
    contact_department = forms.CharField(
        label=_("部署"), required=False, max_length=100, help_text=_("例: 総務課")
    )
    contact_phone = forms.CharField(
        label=_("電話番号"), required=False, max_length=40, help_text=_("例: 042-598-1011")
    )
    contact_email = forms.EmailField(
        label=_("メールアドレス"),
        required=False,
        help_text=_("例: soumu@vill.example.lg.jp"),
        error_messages={"invalid": _("メールアドレスの形式が正しくありません。")},
    )

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        contact = content.get("contact")
        if not contact:  # the person filling it in, until they say otherwise
            return {"contact_name": context.person_name, "contact_email": context.person_email}
        return {
            f"contact_{k}": contact.get(k, "") for k in ("name", "department", "phone", "email")
        }

    def apply(self, content: Content) -> Content:
        values = {
            k: self.cleaned_data[f"contact_{k}"] or ""
            for k in ("name", "department", "phone", "email")
        }
        content["contact"] = values if any(values.values()) else None
        return content


# --- 13. sharing (TLP) -----------------------------------------------------------------------------------

TEXT_SECTIONS: Final = tuple(s for s in SECTIONS if s not in {"category", "contact"})
MARKED_SECTIONS: Final = (*TEXT_SECTIONS, "contact")


class SharingStep(StepForm):
    tlp = forms.ChoiceField(
        label=_("受け取った機関が、どこまで共有してよいですか（TLP）"),
        choices=choices_of(labels.TLPS),
        widget=ExplainedRadio(explanations_of(labels.TLPS)),
        initial=Tlp.AMBER.value,
        help_text=_("報告全体の目印です。特定の項目だけ狭めたいときは、下で項目ごとに選べます。"),
    )

    def __init__(self, *args: Any, context: StepContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        inherit = [("", _("報告全体と同じ")), *choices_of(labels.TLPS)]
        for section in MARKED_SECTIONS:
            name = labels.SECTIONS[section]
            self.fields[f"tlp_{section}"] = forms.ChoiceField(
                label=_("「%(section)s」の共有範囲") % {"section": name},
                choices=inherit,
                required=False,
                help_text=_("TLP:REDにすると、下で選んだ宛先だけがこの項目を読めます。"),
            )
            self.fields[f"red_{section}"] = forms.MultipleChoiceField(
                label=_("「%(section)s」をTLP:REDで見せる宛先") % {"section": name},
                choices=context.red_recipients,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "TLP:REDのときだけ使います。選ばなかった宛先には、この項目は届きません。"
                ),
            )

    def marking_fields(self) -> list[tuple[Any, Any, str, Any]]:
        return [
            (self[f"tlp_{s}"], self[f"red_{s}"], s, labels.SECTIONS[s]) for s in MARKED_SECTIONS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for section in MARKED_SECTIONS:
            if data.get(f"tlp_{section}") == Tlp.RED.value and not data.get(f"red_{section}"):
                self.add_error(
                    f"red_{section}", _("TLP:REDの項目には、見せる宛先を一つ以上選んでください。")
                )
        return data

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        initial: dict[str, Any] = {"tlp": content.get("tlp", Tlp.AMBER.value)}
        for section, marking in content.get("section_tlp", {}).items():
            initial[f"tlp_{section}"] = marking
        for section, codes in content.get("red_recipients", {}).items():
            initial[f"red_{section}"] = list(codes)
        return initial

    def apply(self, content: Content) -> Content:
        data = self.cleaned_data
        marked = {s: data[f"tlp_{s}"] for s in MARKED_SECTIONS if data.get(f"tlp_{s}")}
        content["tlp"] = data["tlp"]
        content["section_tlp"] = marked
        content["red_recipients"] = {
            s: list(data[f"red_{s}"]) for s, t in marked.items() if t == Tlp.RED.value
        }
        return content
