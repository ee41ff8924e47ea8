"""The access gate: every read of tenant data starts here, from an acting principal.

A principal acts in one organisation at a time (a membership, or an explicit grant).
What it may read of *other* organisations follows from the hierarchy (nation →
prefecture → municipality) and the policy table in ``mamoru.orgs.policy``; nothing is
inferred from names, paths or guesses. Outsiders get ``Organisation.DoesNotExist``,
which the interfaces turn into 404, so they cannot even learn what exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.audit.reads import audited_read
from mamoru.core.access import Permission
from mamoru.orgs.models import (
    LOCAL_GOVERNMENT_KINDS,
    Grant,
    Membership,
    Organisation,
    OrganisationKind,
)
from mamoru.orgs.policy import Access, DataKind, Supervisor, addressed_access, supervisor_access
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Role, permissions_for

# Members of these organisations see many local governments' data: a stolen password
# must not be enough.
_MFA_KINDS = frozenset({OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE})

# The permission a principal needs in its own organisation to read each kind of data.
_OWN_PERMISSION: dict[DataKind, Permission] = {
    DataKind.PROFILE: Permission.ORG_VIEW,
    DataKind.MEMBERS: Permission.MEMBERS_VIEW,
    DataKind.AUDIT: Permission.AUDIT_VIEW,
}


@dataclass(frozen=True)
class ActingContext:
    """An organisation a person may act in, and how."""

    organisation: Organisation
    role: str
    via_grant: bool
    expires_at: object = None


def acting_contexts(*, user: User) -> list[ActingContext]:
    """The organisations ``user`` may switch into: memberships first, then live grants."""
    if not user.is_authenticated or not user.is_active:
        return []
    contexts = [
        ActingContext(organisation=m.organisation, role=m.role, via_grant=False)
        for m in Membership.objects.unscoped("a person's own memberships: who they are")
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__code")
    ]
    held = {c.organisation.pk for c in contexts}
    now = timezone.now()
    live_grants = (
        Grant.objects.unscoped("a person's own grants: who they are")
        .filter(grantee=user, starts_at__lte=now, expires_at__gt=now, revoked_at__isnull=True)
        .select_related("organisation")
    )
    contexts += [
        ActingContext(
            organisation=g.organisation, role=g.role, via_grant=True, expires_at=g.expires_at
        )
        for g in live_grants.order_by("organisation__code")
        if g.organisation.pk not in held
    ]
    return contexts


def supervisor_of(organisation: Organisation) -> Supervisor | None:
    """Which supervisory position the hierarchy gives this organisation, if any."""
    if organisation.kind == OrganisationKind.PREFECTURE:
        return Supervisor.PREFECTURE
    if organisation.kind == OrganisationKind.NATIONAL and (
        Organisation.objects.unscoped("the hierarchy itself").filter(parent=organisation).exists()
    ):
        return Supervisor.NATION
    return None


def principal_for(
    *,
    user: User,
    organisation_code: str | None = None,
    contexts: list[ActingContext] | None = None,
) -> Principal | None:
    """The principal for ``user`` acting in ``organisation_code`` (default: their first context).

    ``contexts`` may pass ``acting_contexts(user=user)`` already read for this request.
    """
    if contexts is None:
        contexts = acting_contexts(user=user)
    chosen = next(
        (
            c
            for c in contexts
            if organisation_code is None or c.organisation.code == organisation_code
        ),
        None,
    )
    if chosen is None:
        return None
    return Principal(
        user=user,
        organisation=chosen.organisation,
        role=chosen.role,
        permissions=permissions_for(chosen.role),
        supervisor=supervisor_of(chosen.organisation),
        via_grant=chosen.via_grant,
    )


def _supervised(principal: Principal) -> Q:
    """Local governments below the principal's organisation in the hierarchy."""
    org = principal.organisation
    below = Q(parent=org) | Q(parent__parent=org)
    return below & Q(kind__in=LOCAL_GOVERNMENT_KINDS)


def organisations_readable(
    *, principal: Principal, kind: DataKind, access: Access = Access.RECORDS
) -> QuerySet[Organisation]:
    """Organisations whose ``kind`` data the principal may read at ``access`` level or above."""
    needed = _OWN_PERMISSION.get(kind, Permission.DATA_VIEW)
    if not principal.can(needed):
        return Organisation.objects.none()
    scope = Q(pk=principal.organisation.pk)
    if supervisor_access(kind, principal.supervisor) >= access:
        scope |= _supervised(principal)
    return Organisation.objects.unscoped("the gate computes the readable set").filter(scope)


def organisations_addressable(
    *, principal: Principal, kind: DataKind, access: Access = Access.RECORDS
) -> QuerySet[Organisation]:
    """The principal's own organisation when records of ``kind`` addressed to it (by routing)
    may be read at ``access`` level (``mamoru.orgs.policy.ADDRESSED_ACCESS``); else none."""
    if not principal.can(Permission.DATA_VIEW) or addressed_access(kind) < access:
        return Organisation.objects.none()
    return Organisation.objects.unscoped("the gate computes the addressable set").filter(
        pk=principal.organisation.pk
    )


def organisation_acting(*, principal: Principal) -> QuerySet[Organisation]:
    """The principal's own organisation, as a set to narrow queries of its own records that
    every member reads whatever their role (their own notifications, say)."""
    return Organisation.objects.unscoped("the gate: the principal's own organisation").filter(
        pk=principal.organisation.pk
    )


def organisations_visible(*, principal: Principal) -> QuerySet[Organisation]:
    """The directory a principal sees: itself, its supervisors, the national bodies, and
    the local governments it supervises."""
    if not principal.can(Permission.ORG_VIEW):
        return Organisation.objects.none()
    org = principal.organisation
    scope = Q(pk=org.pk) | Q(kind=OrganisationKind.NATIONAL)
    if org.parent_id is not None:  # its supervisors: the prefecture and the nation
        scope |= Q(pk=org.parent_id) | Q(children__children=org)
    if principal.supervisor is not None:
        scope |= _supervised(principal)
    return Organisation.objects.unscoped("the gate computes the directory").filter(scope).distinct()


@audited_read("orgs.organisation.read")
def organisation_detail(*, principal: Principal, code: str) -> Organisation:
    """:func:`organisation_get` for an organisation's page and API: the read is recorded."""
    return organisation_get(principal=principal, code=code)


def organisation_get(*, principal: Principal, code: str) -> Organisation:
    """One organisation the principal may see; ``Organisation.DoesNotExist`` otherwise."""
    return organisations_visible(principal=principal).select_related("parent").get(code=code)


def organisation_search(
    *,
    principal: Principal,
    query: str = "",
    kind: str = "",
    prefecture_code: str = "",
) -> QuerySet[Organisation]:
    """Search the directory by name, reading or code, within what the principal sees."""
    qs = organisations_visible(principal=principal)
    if query:
        qs = qs.filter(
            Q(name__contains=query) | Q(reading__contains=query) | Q(code__startswith=query)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if prefecture_code:
        qs = qs.filter(prefecture_code=prefecture_code)
    return qs.order_by("code")


def memberships_of(*, principal: Principal, organisation: Organisation) -> QuerySet[Membership]:
    """The members of an organisation, if the principal may read them."""
    readable = organisations_readable(principal=principal, kind=DataKind.MEMBERS)
    return (
        Membership.objects.within(readable)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__username")
    )


def municipalities_of(*, principal: Principal) -> QuerySet[Organisation]:
    """The local governments the principal supervises (empty for a municipality)."""
    if principal.supervisor is None or not principal.can(Permission.ORG_VIEW):
        return Organisation.objects.none()
    return (
        Organisation.objects.unscoped("the gate: the hierarchy below the principal")
        .filter(_supervised(principal))
        .order_by("code")
    )


# Lookups that need no principal: public reference facts used by loaders and the CLI.
def organisation_by_code(*, code: str) -> Organisation:
    return Organisation.objects.unscoped("public reference facts").get(code=code)


def organisation_list(*, kind: str = "", prefecture_code: str = "") -> QuerySet[Organisation]:
    """All organisations (operators' CLI, seed loading): public facts only, no tenant records."""
    qs = Organisation.objects.unscoped("public reference facts")
    if kind:
        qs = qs.filter(kind=kind)
    if prefecture_code:
        qs = qs.filter(prefecture_code=prefecture_code)
    return qs.order_by("code")


def membership_get(*, principal: Principal, pk: int) -> Membership:
    """One membership the principal may read; ``Membership.DoesNotExist`` otherwise."""
    readable = organisations_readable(principal=principal, kind=DataKind.MEMBERS)
    return Membership.objects.within(readable).select_related("user", "organisation").get(pk=pk)


def people_acting_in(*, organisation: Organisation, permission: Permission) -> list[User]:
    """The active people who act in ``organisation`` holding ``permission`` — its members and
    the people it delegated to by a live grant — for notifications (no principal: the
    services that notify have checked theirs)."""
    now = timezone.now()
    roles: dict[int, str] = {}
    for user_id, role in (
        Membership.objects.unscoped("notifying an organisation's people")
        .filter(organisation=organisation, user__is_active=True)
        .values_list("user_id", "role")
    ):
        roles[user_id] = role
    for user_id, role in (
        Grant.objects.unscoped("notifying an organisation's delegates")
        .filter(
            organisation=organisation,
            grantee__is_active=True,
            starts_at__lte=now,
            expires_at__gt=now,
            revoked_at__isnull=True,
        )
        .values_list("grantee_id", "role")
    ):
        roles.setdefault(user_id, role)
    wanted = [pk for pk, role in roles.items() if permission in permissions_for(role)]
    return list(User.objects.filter(pk__in=wanted).order_by("pk"))


def mfa_required_for(*, user: User) -> bool:
    """Whether ``user`` must use a second factor: administrators anywhere, everyone acting for
    a prefecture or a national body (they read many local governments' data), everyone
    with ``MFA_REQUIRED_FOR_ALL``. The accounts app asks this through
    ``settings.MFA_REQUIRED_POLICY``.

    ``MFA_ENFORCED=false`` (the local demo only; production refuses it) makes it optional.
    """
    if not user.is_authenticated or not settings.MFA_ENFORCED:
        return False
    if settings.MFA_REQUIRED_FOR_ALL or user.is_staff or user.is_superuser:
        return True
    return any(
        c.role in {Role.ADMIN, Role.CISO} or c.organisation.kind in _MFA_KINDS
        for c in acting_contexts(user=user)
    )
