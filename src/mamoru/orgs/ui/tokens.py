"""A person's API tokens: the list, issuing one, revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mamoru.core.access import PERMISSION_LABELS
from mamoru.core.pages import page, paginate
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import acting_contexts, api_token_get, api_tokens_of
from mamoru.orgs.services import api_token_create, api_token_revoke
from mamoru.orgs.ui.forms import ApiTokenForm


@never_cache
@page
def tokens(request: HttpRequest, principal: Principal) -> HttpResponse:
    context = {
        "page": paginate(request, api_tokens_of(principal=principal)),
        "permission_labels": PERMISSION_LABELS,
    }
    return render(request, "orgs/tokens.html", context)


@never_cache
@page
def token_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    user = principal.user
    contexts = acting_contexts(user=user)
    form = ApiTokenForm(request.POST or None, contexts=contexts)
    if request.method == "POST" and form.is_valid():
        by_code = {c.organisation.code: c.organisation for c in contexts}
        try:
            token, plaintext = api_token_create(
                principal=principal,
                user=user,
                organisation=by_code[form.cleaned_data["organisation"]],
                name=form.cleaned_data["name"],
                permissions=form.cleaned_data["permissions"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context = {"token": token, "plaintext": plaintext}
            response = render(request, "orgs/token_created.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "orgs/token_create.html", {"form": form, "contexts": contexts})


@require_POST
@page
def token_revoke(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    token = api_token_get(principal=principal, pk=pk)
    api_token_revoke(principal=principal, token=token)
    messages.success(request, _("トークン「%(name)s」を失効させました。") % {"name": token.name})
    return redirect("orgs:tokens")
