"""Account settings: profile, password, API tokens and the organisation switcher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mamoru.accounts.forms import PERMISSION_LABELS, ApiTokenForm, PasswordForm, ProfileForm
from mamoru.accounts.models import ApiToken
from mamoru.accounts.selectors import api_token_get, api_tokens_of, mfa_status
from mamoru.accounts.services import (
    acting_organisation_choose,
    api_token_create,
    api_token_revoke,
    user_password_change,
    user_profile_update,
)
from mamoru.accounts.ui.http import acting_user, next_url
from mamoru.orgs.middleware import SESSION_KEY
from mamoru.orgs.models import Organisation
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import acting_contexts


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
        "tokens": api_tokens_of(user=user),
        "contexts": [(c, Role(c.role).label) for c in acting_contexts(user=user)],
        "permission_labels": PERMISSION_LABELS,
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


@never_cache
@login_required
def token_create_view(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    contexts = acting_contexts(user=user)
    form = ApiTokenForm(request.POST or None, contexts=contexts)
    if request.method == "POST" and form.is_valid():
        by_code = {c.organisation.code: c.organisation for c in contexts}
        try:
            token, plaintext = api_token_create(
                user=user,
                organisation=by_code[form.cleaned_data["organisation"]],
                name=form.cleaned_data["name"],
                permissions=form.cleaned_data["permissions"],
                expires_in_days=form.cleaned_data["expires_in_days"],
                actor=user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context = {"token": token, "plaintext": plaintext}
            response = render(request, "accounts/token_created.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/token_create.html", {"form": form, "contexts": contexts})


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = acting_user(request)
    try:
        token = api_token_get(user=user, pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    api_token_revoke(token=token, actor=user)
    messages.success(request, _("トークン「%(name)s」を失効させました。") % {"name": token.name})
    return redirect("accounts:settings")


@require_POST
@login_required
def switch_view(request: HttpRequest) -> HttpResponseBase:
    """Act in another organisation of one's own; 404 for any other code."""
    user = acting_user(request)
    try:
        organisation = acting_organisation_choose(
            user=user, code=request.POST.get("organisation", "")
        )
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    request.session[SESSION_KEY] = organisation.code
    messages.success(request, _("%(name)s として操作します。") % {"name": organisation.name})
    return redirect(next_url(request))
