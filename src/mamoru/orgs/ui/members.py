"""An organisation's people: who they are, their roles and second factors; inviting,
changing roles, removing; and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mamoru.accounts.models import User
from mamoru.core.access import Permission
from mamoru.core.pages import act, error_summary, page, run
from mamoru.orgs.models import Invitation, Membership, Organisation
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import (
    has_administrator,
    invitation_get,
    invitations_open,
    members_with_mfa,
    membership_in,
    municipalities_of,
    organisation_get,
)
from mamoru.orgs.services import (
    INVITATION_DAYS,
    invitation_accept,
    invitation_by_secret,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_role_change,
)
from mamoru.orgs.ui.forms import AcceptForm, InvitationForm, RoleForm


def _manages(principal: Principal, organisation: Organisation) -> bool:
    """Whether to show the management forms (the services decide again when used)."""
    return principal.organisation.pk == organisation.pk and principal.can(Permission.MEMBERS_MANAGE)


def _may_appoint(principal: Principal, organisation: Organisation) -> bool:
    return (
        principal.supervisor == Supervisor.PREFECTURE
        and principal.can(Permission.MEMBERS_MANAGE)
        and municipalities_of(principal=principal).filter(pk=organisation.pk).exists()
        and not has_administrator(organisation=organisation)
    )


def _roles(principal: Principal, organisation: Organisation) -> list[tuple[str, str]]:
    if _manages(principal, organisation):
        return [(value, str(label)) for value, label in Role.choices]
    return [(Role.ADMIN, str(Role.ADMIN.label))]


@page
def members(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = organisation_get(principal=principal, code=code)
    manage = _manages(principal, organisation)
    appoint = _may_appoint(principal, organisation)
    context = {
        "organisation": organisation,
        "members": members_with_mfa(principal=principal, organisation=organisation),
        "manage": manage,
        "appoint": appoint,
        "invitations": list(invitations_open(principal=principal, organisation=organisation))
        if manage
        else [],
        "invite_form": InvitationForm(roles=_roles(principal, organisation))
        if manage or appoint
        else None,
        "roles": Role.choices,
        "days": INVITATION_DAYS,
    }
    return render(request, "orgs/members.html", context)


@require_POST
@page
def member_invite(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = organisation_get(principal=principal, code=code)
    form = InvitationForm(request.POST, roles=_roles(principal, organisation))
    if form.is_valid():
        act(
            request,
            lambda: invitation_create(
                principal=principal,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                display_name=form.cleaned_data["display_name"],
            ),
            success=_("%(email)s に招待のメールを送りました。") % form.cleaned_data,
        )
    else:
        for _anchor, label, message in error_summary(form):
            messages.error(request, f"{label}: {message}" if label else message)
    return redirect("orgs:members", code=organisation.code)


@require_POST
@page
def member_role(request: HttpRequest, principal: Principal, code: str, pk: int) -> HttpResponse:
    organisation = organisation_get(principal=principal, code=code)
    membership = membership_in(principal=principal, organisation=organisation, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: membership_role_change(
                principal=principal, membership=membership, role=form.cleaned_data["role"]
            ),
            success=_("%(name)s の役割を変更しました。") % {"name": membership.user},
        )
    return redirect("orgs:members", code=organisation.code)


@require_POST
@page
def member_remove(request: HttpRequest, principal: Principal, code: str, pk: int) -> HttpResponse:
    organisation = organisation_get(principal=principal, code=code)
    membership = membership_in(principal=principal, organisation=organisation, pk=pk)
    act(
        request,
        lambda: membership_remove(principal=principal, membership=membership),
        success=_("%(name)s を団体から外しました。APIトークンも失効しました。")
        % {"name": membership.user},
    )
    return redirect("orgs:members", code=organisation.code)


@require_POST
@page
def invitation_cancel(
    request: HttpRequest, principal: Principal, code: str, pk: int
) -> HttpResponse:
    organisation = organisation_get(principal=principal, code=code)
    invitation = invitation_get(principal=principal, organisation=organisation, pk=pk)
    act(
        request,
        lambda: invitation_revoke(principal=principal, invitation=invitation),
        success=_("招待を取り消しました。"),
    )
    return redirect("orgs:members", code=organisation.code)


def _open_invitation(secret: str) -> Invitation:
    try:
        invitation = invitation_by_secret(secret=secret)
    except Invitation.DoesNotExist:
        raise Http404 from None
    return invitation


def _accept(secret: str, user: User | None, form: AcceptForm | None) -> Membership:
    if user is not None:
        return invitation_accept(secret=secret, user=user)
    assert form is not None
    return invitation_accept(
        secret=secret,
        username=form.cleaned_data["username"],
        password=form.cleaned_data["password1"],
        display_name=form.cleaned_data["display_name"],
    )


@never_cache
def invitation_accept_page(request: HttpRequest, secret: str) -> HttpResponse:
    """Anyone holding the link may open it: it is the credential the e-mail carried. A person
    signed in accepts as themselves; anyone else makes their account here."""
    invitation = _open_invitation(secret)
    user = request.user if isinstance(request.user, User) else None
    form = AcceptForm(request.POST or None) if user is None else None
    errors: list[str] = []
    if request.method == "POST" and invitation.is_open() and (form is None or form.is_valid()):
        membership, errors = run(lambda: _accept(secret, user, form))
        if membership is not None:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("%(name)s に参加しました。") % {"name": invitation.organisation.name}
            )
            return redirect("web:home")
    summary = [] if form is None else [message for _a, _l, message in error_summary(form)]
    context = {"invitation": invitation, "form": form, "errors": errors + summary}
    return render(request, "orgs/invitation_accept.html", context)
