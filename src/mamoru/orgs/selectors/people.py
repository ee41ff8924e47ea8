"""Reads of the people of organisations, all through the access gate.

Member records need ``DataKind.MEMBERS`` at record level (and every read of them is
audited), member counts at statistics level (the nation sees how many people a
municipality registered, not who).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.accounts.models import User
from mamoru.accounts.selectors import users_with_mfa
from mamoru.audit.reads import audited_read
from mamoru.orgs.models import Invitation, Membership, Organisation, OrganisationKind
from mamoru.orgs.policy import Access, DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors.gate import (
    memberships_of,
    municipalities_of,
    organisations_readable,
    organisations_visible,
)


@dataclass(frozen=True)
class MemberRow:
    membership_id: int
    user: User
    role: str
    role_label: str
    has_mfa: bool


@audited_read("orgs.members.read")
def members_with_mfa(*, principal: Principal, organisation: Organisation) -> list[MemberRow]:
    """The members of ``organisation`` and their MFA state; ``PermissionDenied`` when the
    principal may not read them. Every read is recorded in the reader's own audit log."""
    memberships = _readable_memberships(principal=principal, organisation=organisation)
    with_mfa = users_with_mfa(m.user_id for m in memberships)
    return [
        MemberRow(
            membership_id=m.pk,
            user=m.user,
            role=m.role,
            role_label=str(Role(m.role).label) if m.role in Role.values else m.role,
            has_mfa=m.user_id in with_mfa,
        )
        for m in memberships
    ]


@audited_read("orgs.members.read")
def memberships_list(*, principal: Principal, organisation: Organisation) -> list[Membership]:
    """The members of ``organisation``; ``PermissionDenied`` when the principal may not read
    them (the API says so rather than answering an empty list)."""
    return _readable_memberships(principal=principal, organisation=organisation)


def _readable_memberships(*, principal: Principal, organisation: Organisation) -> list[Membership]:
    if not members_readable(principal=principal, organisation=organisation):
        raise PermissionDenied(_("この団体の職員を閲覧する権限がありません。"))
    return list(memberships_of(principal=principal, organisation=organisation))


def members_readable(*, principal: Principal, organisation: Organisation) -> bool:
    """Whether the principal may read the member records of ``organisation``."""
    return (
        organisations_readable(principal=principal, kind=DataKind.MEMBERS)
        .filter(pk=organisation.pk)
        .exists()
    )


@dataclass(frozen=True)
class MunicipalityRow:
    organisation: Organisation
    members: int
    admin_with_mfa: bool


def _matching(qs: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    query = query.strip()
    if not query:
        return qs
    return qs.filter(
        Q(name__contains=query) | Q(reading__contains=query) | Q(code__startswith=query)
    )


def supervised_municipalities(*, principal: Principal, query: str = "") -> list[MunicipalityRow]:
    """The municipalities a prefecture supervises, with member statistics.

    The counts come from ``DataKind.MEMBERS`` at statistics level: who the members are is
    not read here.
    """
    municipalities = list(
        _matching(municipalities_of(principal=principal), query).exclude(
            kind=OrganisationKind.PREFECTURE
        )
    )
    countable = organisations_readable(
        principal=principal, kind=DataKind.MEMBERS, access=Access.STATISTICS
    ).filter(pk__in=[o.pk for o in municipalities])
    memberships = Membership.objects.within(countable)
    counts = dict(
        memberships.order_by()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    admins = list(memberships.filter(role=Role.ADMIN).values_list("organisation_id", "user_id"))
    secured = users_with_mfa(user_id for _, user_id in admins)
    orgs_with_secure_admin = {org_id for org_id, user_id in admins if user_id in secured}
    return [
        MunicipalityRow(
            organisation=o,
            members=counts.get(o.pk, 0),
            admin_with_mfa=o.pk in orgs_with_secure_admin,
        )
        for o in municipalities
    ]


def prefectures_visible(*, principal: Principal) -> QuerySet[Organisation]:
    """The prefectures in the principal's directory, in code order (north to south)."""
    return (
        organisations_visible(principal=principal)
        .filter(kind=OrganisationKind.PREFECTURE)
        .order_by("code")
    )


@dataclass(frozen=True)
class PrefectureCounts:
    prefecture: Organisation
    by_kind: dict[str, int]
    total: int


def organisation_counts_by_prefecture(*, principal: Principal) -> list[PrefectureCounts]:
    """How many local governments of each kind each prefecture has, among those supervised."""
    supervised = municipalities_of(principal=principal)
    counter: Counter[tuple[str, str]] = Counter(
        {
            (pref, kind): n
            # order_by() drops the code ordering, which would otherwise split the groups.
            for pref, kind, n in supervised.order_by()
            .values("prefecture_code", "kind")
            .annotate(n=Count("id"))
            .values_list("prefecture_code", "kind", "n")
        }
    )
    rows = []
    for prefecture in supervised.filter(kind=OrganisationKind.PREFECTURE):
        by_kind = {
            kind: counter[(prefecture.prefecture_code, kind)]
            for kind in OrganisationKind.values
            if kind not in {OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE}
        }
        rows.append(
            PrefectureCounts(prefecture=prefecture, by_kind=by_kind, total=sum(by_kind.values()))
        )
    return rows


def invitations_open(*, principal: Principal, organisation: Organisation) -> QuerySet[Invitation]:
    """The invitations of ``organisation`` not yet accepted, revoked or expired, newest first
    (for whoever may read its members)."""
    readable = organisations_readable(principal=principal, kind=DataKind.MEMBERS)
    return (
        Invitation.objects.within(readable)
        .filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_get(
    *, principal: Principal, pk: int, organisation: Organisation | None = None
) -> Invitation:
    """One open invitation the principal may read (of ``organisation`` when given)."""
    readable = organisations_readable(principal=principal, kind=DataKind.MEMBERS)
    found = Invitation.objects.within(readable).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if organisation is not None:
        found = found.filter(organisation=organisation)
    return found.select_related("organisation").get(pk=pk)


def membership_in(*, principal: Principal, organisation: Organisation, pk: int) -> Membership:
    """One member of ``organisation`` the principal may read; ``DoesNotExist`` otherwise."""
    return memberships_of(principal=principal, organisation=organisation).get(pk=pk)


def has_administrator(*, organisation: Organisation) -> bool:
    """Whether ``organisation`` has an active administrator (a public fact of whether it can
    manage its own people; no names)."""
    return (
        Membership.objects.unscoped("whether an organisation has an administrator")
        .filter(organisation=organisation, role=Role.ADMIN, user__is_active=True)
        .exists()
    )
