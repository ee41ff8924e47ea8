"""Sign-in, sign-out and the second factor."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from mamoru.accounts.models import User
from mamoru.accounts.selectors import (
    has_confirmed_device,
    mfa_required_for,
    mfa_status,
    totp_device_of,
)
from mamoru.accounts.services import (
    login_record,
    logout_record,
    mfa_disable,
    mfa_verify,
    recovery_codes_regenerate,
    totp_device_confirm,
    totp_device_start,
)
from mamoru.accounts.ui.forms import LoginForm, OtpForm, PasswordConfirmForm, TotpConfirmForm
from mamoru.accounts.ui.http import acting_user
from mamoru.accounts.ui.qr import qr_svg
from mamoru.core.pages import home_url, next_url


def _no_store(response: HttpResponse) -> HttpResponse:
    # Pages that show a secret once must not be kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


def _with_next(url_name: str, next_to: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_to})}"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"

    def get_default_redirect_url(self) -> str:
        return home_url()

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.get_user()
        response = super().form_valid(form)  # rotates the session key
        login_record(
            username=user.get_username(),
            user=user,
            success=True,
        )
        target = self.get_success_url()
        if has_confirmed_device(user=user):
            return HttpResponseRedirect(_with_next("accounts:mfa_verify", target))
        if mfa_required_for(user=user):
            return HttpResponseRedirect(_with_next("accounts:mfa_setup", target))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        username = str(self.request.POST.get("username", ""))
        if username:
            login_record(username=username, user=None, success=False)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if isinstance(request.user, User):
            logout_record(user=request.user)
        return super().post(request, *args, **kwargs)


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], *, fresh_setup: bool
) -> HttpResponse:
    context = {"codes": codes, "fresh_setup": fresh_setup, "next": next_url(request)}
    return _no_store(render(request, "accounts/mfa_recovery_codes.html", context))


@never_cache
@login_required
def mfa_setup(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    if has_confirmed_device(user=user):
        messages.info(request, _("二要素認証は設定済みです。"))
        return redirect("accounts:settings")
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST":
        device = totp_device_of(user=user, confirmed=False)
        if device is None:  # the pending set-up vanished (another tab finished it)
            return redirect("accounts:mfa_setup")
        if form.is_valid():
            codes = totp_device_confirm(device=device, code=form.cleaned_data["otp_token"])
            if codes is not None:
                otp_login(request, device)
                request.session.cycle_key()
                return _recovery_codes_page(request, codes, fresh_setup=True)
            form.add_error(
                "otp_token",
                _(
                    "確認コードが正しくありません。認証アプリの時刻設定を確かめ、新しいコードを入力してください。"
                ),
            )
    device = totp_device_start(user=user)
    context = {
        "form": form,
        "qr_svg": qr_svg(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
        "required": mfa_required_for(user=user),
        "next": next_url(request),
    }
    return _no_store(render(request, "accounts/mfa_setup.html", context))


@never_cache
@login_required
def mfa_verify_view(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    target = next_url(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(target)
    if not has_confirmed_device(user=user):
        return (
            redirect(_with_next("accounts:mfa_setup", target))
            if mfa_required_for(user=user)
            else redirect(target)
        )
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa_verify(user=user, code=form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a privilege change: a new session id
            left = mfa_status(user=user).recovery_codes_left
            if left <= 3:
                messages.warning(
                    request,
                    _("未使用のリカバリーコードは残り%(left)d個です。再発行してください。")
                    % {"left": left},
                )
            return redirect(target)
        form.add_error("otp_token", _("確認コードが正しくありません。"))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": target})


@never_cache
@login_required
def mfa_disable_view(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    if not has_confirmed_device(user=user):
        return redirect("accounts:settings")
    form = PasswordConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        mfa_disable(user=user)
        if mfa_required_for(user=user):
            messages.warning(
                request, _("二要素認証を解除しました。続けて新しい認証アプリを設定してください。")
            )
            return redirect("accounts:mfa_setup")
        messages.success(request, _("二要素認証を解除しました。"))
        return redirect("accounts:settings")
    context = {"form": form, "required": mfa_required_for(user=user)}
    return render(request, "accounts/mfa_disable.html", context)


@never_cache
@login_required
def mfa_recovery_regenerate(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    if not has_confirmed_device(user=user):
        return redirect("accounts:settings")
    form = PasswordConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        codes = recovery_codes_regenerate(user=user)
        return _recovery_codes_page(request, codes, fresh_setup=False)
    return render(request, "accounts/mfa_regenerate.html", {"form": form})
