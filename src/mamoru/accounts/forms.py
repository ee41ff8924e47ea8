"""Forms of the accounts pages. They validate input; the writes are in ``services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from mamoru.accounts.models import User
from mamoru.accounts.services import MAX_TOKEN_DAYS
from mamoru.orgs.roles import Permission
from mamoru.orgs.selectors import ActingContext

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

PERMISSION_LABELS: dict[str, _StrOrPromise] = {
    Permission.ORG_VIEW: _("団体情報の閲覧"),
    Permission.MEMBERS_VIEW: _("所属者の閲覧"),
    Permission.MEMBERS_MANAGE: _("所属者の管理"),
    Permission.DATA_VIEW: _("データの閲覧"),
    Permission.DATA_EDIT: _("データの作成・変更"),
    Permission.REPORTS_APPROVE: _("報告・回答の承認"),
    Permission.AUDIT_VIEW: _("監査ログの閲覧"),
}


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message for a wrong name and a wrong password: no hint about who exists.
        "invalid_login": _("利用者名またはパスワードが正しくありません。"),
        "inactive": _("このアカウントは利用停止中です。管理者にお問い合わせください。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("利用者名")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = _("パスワード")
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


def _code_field(*, max_length: int, help_text: _StrOrPromise, **attrs: str) -> forms.CharField:
    """The one-time code input of the MFA pages (browsers may fill it from an SMS or app)."""
    return forms.CharField(
        label=_("確認コード"),
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", **attrs}),
    )


class OtpForm(forms.Form):
    otp_token = _code_field(
        max_length=40,
        help_text=_("認証アプリに表示される6桁の数字、またはリカバリーコードを入力してください。"),
        autocapitalize="none",
        spellcheck="false",
    )


class TotpConfirmForm(forms.Form):
    otp_token = _code_field(
        max_length=8,
        help_text=_("認証アプリに表示される6桁の数字を入力してください。"),
        inputmode="numeric",
        pattern="[0-9]*",
    )


class PasswordConfirmForm(forms.Form):
    """Asks for the current password again before a sensitive change."""

    password = forms.CharField(
        label=_("現在のパスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("パスワードが正しくありません。"), code="wrong_password")
        return password


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("表示名"),
        max_length=150,
        required=False,
        help_text=_("画面や監査記録で表示される名前です。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("メールアドレス"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("現在のパスワード")
        self.fields["new_password1"].label = _("新しいパスワード")
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()
        self.fields["new_password2"].label = _("新しいパスワード（確認）")
        self.fields["new_password2"].help_text = ""

    error_messages = {
        "password_incorrect": _("現在のパスワードが正しくありません。"),
        "password_mismatch": _("新しいパスワードが一致しません。"),
    }


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
