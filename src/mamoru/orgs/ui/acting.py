"""The organisation switcher: act in another organisation of one's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamoru.accounts.models import User
from mamoru.core.pages import next_url
from mamoru.orgs.middleware import SESSION_KEY
from mamoru.orgs.models import Organisation
from mamoru.orgs.services import acting_organisation_choose


@require_POST
@login_required
def switch(request: HttpRequest) -> HttpResponseBase:
    """Act in another organisation of one's own; 404 for any other code."""
    user = request.user
    assert isinstance(user, User)
    try:
        principal = acting_organisation_choose(user=user, code=request.POST.get("organisation", ""))
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    request.session[SESSION_KEY] = principal.organisation.code
    messages.success(
        request, _("%(name)s として操作します。") % {"name": principal.organisation.name}
    )
    return redirect(next_url(request))
