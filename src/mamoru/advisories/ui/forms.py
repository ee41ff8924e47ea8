"""The forms of the advisory pages: they parse input; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.advisories.content import AdvisoryContent, parse_cves, parse_sources
from mamoru.advisories.models import PUBLISHABLE_TLP_CHOICES, Importance, ShareKind, Tlp, Urgency
from mamoru.advisories.products import parse_products
from mamoru.progress.audience_form import INPUT, AudienceFields

if TYPE_CHECKING:  # django-stubs' helper types exist only where the type checker runs
    from django_stubs_ext import StrOrPromise


def _text(
    label: StrOrPromise, rows: int = 3, help_text: StrOrPromise = "", required: bool = False
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={**INPUT, "rows": rows}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "input"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class AdvisoryForm(AudienceFields):
    title = forms.CharField(label=_("件名"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    summary = _text(_("概要"), 5, _("Markdown で書けます。"), required=True)
    threat = _text(_("脅威（何が起きているか）"))
    attacker = _text(_("攻撃者"), 2)
    purpose = _text(_("攻撃の目的"), 2)
    background = _text(_("背景"))
    expected_damage = _text(_("想定される被害"))
    urgency = forms.ChoiceField(
        label=_("緊急度"),
        choices=Urgency.choices,
        initial=Urgency.HIGH,
        widget=forms.Select(attrs=INPUT),
    )
    importance = forms.ChoiceField(
        label=_("重要度"),
        choices=Importance.choices,
        initial=Importance.HIGH,
        widget=forms.Select(attrs=INPUT),
    )
    actions_first = _text(_("まず行うこと"), 5, _("Markdown で書けます。"), required=True)
    actions_later = _text(_("その後に行うこと"), 4, _("Markdown で書けます。"))
    products = _text(
        _("影響を受ける製品"),
        3,
        _(
            "1行に1製品。CPE名か「ベンダー:製品」の後に範囲を書きます。例: fortinet:fortios >=7.0.0 <7.0.14"
        ),
    )
    cves = forms.CharField(
        label=_("CVE番号"),
        required=False,
        help_text=_("空白か改行で区切ります。"),
        widget=forms.TextInput(attrs=INPUT),
    )
    sources = _text(
        _("情報源"), 3, _("1行に1件。「名前 URL」の形。例: JPCERT/CC https://www.jpcert.or.jp/")
    )
    tlp = forms.ChoiceField(
        label=_("TLP"),
        choices=PUBLISHABLE_TLP_CHOICES,
        initial=Tlp.GREEN,
        widget=forms.Select(attrs=INPUT),
    )
    by_exposure = forms.BooleanField(
        label=_("攻撃対象領域の診断で、該当製品を公開している団体に送る"),
        required=False,
        help_text=_("選ばなければ、下の宛先に送ります。"),
    )
    field_order = [
        "title", "summary", "threat", "attacker", "purpose", "background", "expected_damage",
        "urgency", "importance", "actions_first", "actions_later", "products", "cves",
        "sources", "tlp", "by_exposure",
    ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        products, problems = parse_products(cleaned.get("products", ""))
        for problem in problems:
            self.add_error("products", problem)
        cleaned["parsed_products"] = products
        return cleaned

    def content(self) -> AdvisoryContent:
        data = self.cleaned_data
        return AdvisoryContent(
            title=data["title"],
            summary=data["summary"],
            actions_first=data["actions_first"],
            urgency=data["urgency"],
            importance=data["importance"],
            tlp=data["tlp"],
            threat=data["threat"],
            attacker=data["attacker"],
            purpose=data["purpose"],
            background=data["background"],
            expected_damage=data["expected_damage"],
            actions_later=data["actions_later"],
            products=tuple(data["parsed_products"]),
            cves=tuple(parse_cves(data["cves"])),
            sources=tuple(parse_sources(data["sources"])),
        )


class ImportForm(AudienceFields):
    file = forms.FileField(
        label=_("STIX 2.1 のバンドル（JSON）"),
        widget=forms.ClearableFileInput(attrs={**INPUT, "accept": ".json"}),
    )
    field_order = ["file"]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("貴団体への影響"),
        choices=[
            ("affected", _("影響あり（対応中）")),
            ("not_affected", _("影響なし")),
            ("fixed", _("対応済み")),
        ],
        widget=forms.RadioSelect,
    )
    note = _text(_("補足（任意）"), 2)


class ShareForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=ShareKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("件名"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    body = _text(
        _("内容"), 6, _("いつ・何を見たか、どう対応したかを書いてください。"), required=True
    )
    indicators = _text(
        _("痕跡（IoC）"),
        4,
        _("1行に1件。IPアドレス、ドメイン、URL、ハッシュ値、送信元メールアドレスなど。"),
    )
    tlp = forms.ChoiceField(
        label=_("TLP（共有してよい範囲）"),
        choices=Tlp.choices,
        initial=Tlp.AMBER,
        help_text=_(
            "CLEAR: 制限なし / GREEN: 地方公共団体の間で共有可 / AMBER: 受け取った組織と必要な関係者 / AMBER+STRICT: 受け取った組織の中だけ / RED: 受け取った人だけ"
        ),
        widget=forms.Select(attrs=INPUT),
    )
    to_nation = forms.BooleanField(
        label=_("国（総務省）にも共有する"), required=False, initial=True
    )
    attachments = MultipleFileField(label=_("添付ファイル（受信したメールの .eml など）"))
