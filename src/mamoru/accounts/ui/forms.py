"""Forms of the accounts pages. They validate input; the writes are in ``services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from mamoru.accounts.models import User

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


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


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("登録しているメールアドレス")
        self.fields["email"].help_text = _(
            "このアドレスで登録されている場合、パスワードを設定し直すリンクを送ります。"
        )


class ResetSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    error_messages = {"password_mismatch": _("新しいパスワードが一致しません。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("新しいパスワード")
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()
        self.fields["new_password2"].label = _("新しいパスワード（確認）")
