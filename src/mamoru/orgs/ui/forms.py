from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.core.access import PERMISSION_LABELS, Permission
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.roles import Role
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


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("メールアドレス"),
        help_text=_("招待のリンクをこのアドレスに送ります。リンクは7日間、1回だけ使えます。"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    display_name = forms.CharField(
        label=_("表示名"),
        max_length=150,
        required=False,
        help_text=_("例：情報政策課 山田"),
    )
    role = forms.ChoiceField(
        label=_("役割"),
        widget=forms.RadioSelect,
        help_text=_(
            "管理者は職員の招待や権限の変更ができます。CISO・CSIRTは報告を承認できます。担当者は報告や回答を作成できます。閲覧者は見るだけです。"
        ),
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = roles
        if len(roles) == 1:
            role_field.initial = roles[0][0]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=Role.choices)


class AcceptForm(forms.Form):
    """A new person's account, made when they accept an invitation."""

    username = forms.CharField(
        label=_("利用者名"),
        max_length=150,
        help_text=_("ログインに使う名前です（半角英数字と @ . + - _）。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(
        label=_("表示名"), max_length=150, required=False, help_text=_("例：情報政策課 山田")
    )
    password1 = forms.CharField(
        label=_("パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("12文字以上で、推測されにくいものにしてください。"),
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("パスワードが一致しません。"))
        return cleaned
