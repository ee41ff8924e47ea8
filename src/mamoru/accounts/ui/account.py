"""Account settings: profile, password and second factor, and the panels other apps add
(the organisation switcher, API tokens: ``core.navigation.settings_panel``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mamoru.accounts.selectors import mfa_status
from mamoru.accounts.services import user_password_change, user_profile_update
from mamoru.accounts.ui.forms import PasswordForm, ProfileForm
from mamoru.accounts.ui.http import acting_user
from mamoru.core.navigation import settings_panels_for


def _profile_form(request: HttpRequest) -> ProfileForm:
    user = acting_user(request)
    return ProfileForm(initial={"display_name": user.display_name, "email": user.email})


@never_cache
@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context = {
        "profile_form": _profile_form(request),
        "mfa": mfa_status(user=user),
        "panels": settings_panels_for(request, getattr(request, "principal", None)),
    }
    return render(request, "accounts/settings.html", context)


@never_cache
@login_required
def profile_view(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    form = ProfileForm(request.POST) if request.method == "POST" else _profile_form(request)
    if request.method == "POST" and form.is_valid():
        user_profile_update(
            user=user,
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            actor=user,
        )
        messages.success(request, _("プロフィールを更新しました。"))
        return redirect("accounts:settings")
    return render(request, "accounts/profile.html", {"form": form})


@never_cache
@login_required
def password_change_view(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    form = PasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_password_change(
            user=user,
            new_password=form.cleaned_data["new_password1"],
            actor=user,
        )
        # Other sessions end with the old password hash; this one carries on.
        update_session_auth_hash(request, user)
        messages.success(request, _("パスワードを変更しました。他の端末のログインは終了しました。"))
        return redirect("accounts:settings")
    return render(request, "accounts/password_change.html", {"form": form})
