from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.core.access import PERMISSION_LABELS, Permission
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.selectors import ActingContext
from mamoru.orgs.services import MAX_TOKEN_DAYS


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


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("名前"),
        max_length=100,
        help_text=_("用途が分かる名前を付けてください（例: 資産登録スクリプト）。"),
    )
    organisation = forms.ChoiceField(label=_("団体"))
    permissions = forms.MultipleChoiceField(
        label=_("権限"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("あなたがその団体で持つ権限の中から、必要なものだけを選んでください。"),
    )
    expires_in_days = forms.IntegerField(
        label=_("有効期間（日）"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=90,
        required=False,
        help_text=_("空欄にすると期限なしになります。期限を設けることをお勧めします。"),
    )

    def __init__(self, *args: Any, contexts: list[ActingContext], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ChoiceField)
        org_field.choices = [(c.organisation.code, c.organisation.name) for c in contexts]
        perm_field = self.fields["permissions"]
        assert isinstance(perm_field, forms.MultipleChoiceField)
        perm_field.choices = [(str(p), PERMISSION_LABELS[p]) for p in Permission]
