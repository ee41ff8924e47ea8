"""The audience fields of a form (notices here, advisories in their app): the shared piece
of the two forms, outside ``ui/`` because apps do not import each other's interfaces."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.orgs.models import MUNICIPAL_KINDS, OrganisationKind
from mamoru.progress.audience import BAND_LABELS, Audience, AudienceKind

INPUT = {"class": "input"}

SIZE_KIND_CHOICES = [(k.value, k.label) for k in OrganisationKind if k in MUNICIPAL_KINDS]


class AudienceFields(forms.Form):
    """The audience of a notice or an advisory."""

    audience = forms.ChoiceField(
        label=_("宛先"),
        choices=AudienceKind.choices,
        initial=AudienceKind.ALL,
        widget=forms.RadioSelect,
    )
    prefecture_code = forms.CharField(
        label=_("都道府県コード（2桁）"),
        required=False,
        max_length=2,
        help_text=_("「ある都道府県の市区町村」のとき。例: 13（東京都）"),
        widget=forms.TextInput(attrs=INPUT),
    )
    kinds = forms.MultipleChoiceField(
        label=_("団体の種類"),
        required=False,
        choices=SIZE_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    bands = forms.MultipleChoiceField(
        label=_("人口の区分"),
        required=False,
        choices=list(BAND_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    codes = forms.CharField(
        label=_("団体コード"),
        required=False,
        help_text=_(
            "「団体を指定する」とき。6桁の団体コードを改行・空白・読点で区切って入力します。"
        ),
        widget=forms.Textarea(attrs={**INPUT, "rows": 3}),
    )

    def audience_value(self) -> Audience:
        data = self.cleaned_data
        codes = data.get("codes", "").replace("、", " ").replace(",", " ").split()
        return Audience(
            kind=data["audience"],
            prefecture_code=data.get("prefecture_code", "").strip(),
            kinds=tuple(data.get("kinds", ())),
            bands=tuple(data.get("bands", ())),
            codes=tuple(codes),
        )
