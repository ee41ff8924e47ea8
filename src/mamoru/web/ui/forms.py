from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.orgs.models import Organisation, OrganisationKind


class DirectorySearchForm(forms.Form):
    """The directory's filters, read from the query string (GET: bookmarkable, works without JS)."""

    q = forms.CharField(
        label=_("名称・よみ・団体コード"),
        required=False,
        max_length=100,
        help_text=_("例：八王子、はちおうじ、132012"),
    )
    kind = forms.ChoiceField(label=_("種別"), required=False)
    prefecture = forms.ChoiceField(label=_("都道府県"), required=False)

    def __init__(self, *args: Any, prefectures: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        prefecture_field = self.fields["prefecture"]
        assert isinstance(kind_field, forms.ChoiceField)
        assert isinstance(prefecture_field, forms.ChoiceField)
        kind_field.choices = [("", _("すべて")), *OrganisationKind.choices]
        prefecture_field.choices = [("", _("すべて"))] + [
            (p.prefecture_code, p.name) for p in prefectures
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is dropped (and its error shown by the form)."""
        if self.is_bound:
            self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": str(cleaned.get("q", "")).strip(),
            "kind": str(cleaned.get("kind", "")),
            "prefecture_code": str(cleaned.get("prefecture", "")),
        }


class MunicipalitySearchForm(forms.Form):
    q = forms.CharField(
        label=_("市区町村を検索"),
        required=False,
        max_length=100,
        help_text=_("名称・よみ・団体コードの一部"),
    )
