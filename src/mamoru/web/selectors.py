"""Reads the web pages need beyond ``mamoru.orgs.selectors``, all through the access gate.

Every function takes the acting principal and narrows what it returns to what the gate
allows: member records need ``DataKind.MEMBERS`` at record level, member counts at
statistics level (the nation sees how many people a municipality registered, not who).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_otp.models import Device

from mamoru.accounts.models import ApiToken
from mamoru.orgs.models import Membership, Organisation, OrganisationKind
from mamoru.orgs.policy import Access, DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import (
    memberships_of,
    municipalities_of,
    organisations_readable,
    organisations_visible,
)

if TYPE_CHECKING:
    from mamoru.accounts.models import User


def users_with_mfa(user_ids: Iterable[int]) -> set[int]:
    """The users among ``user_ids`` with a confirmed second factor of any django-otp kind.

    Same meaning as ``django_otp.user_has_device(user, confirmed=True)``, in one query per
    device type instead of one per person, so a prefecture's table of 179 municipalities
    stays a handful of queries.
    """
    ids = list(user_ids)
    if not ids:
        return set()
    found: set[int] = set()
    for model in apps.get_models():
        if issubclass(model, Device) and not model._meta.abstract:
            found.update(
                model._default_manager.filter(user_id__in=ids, confirmed=True).values_list(
                    "user_id", flat=True
                )
            )
    return found


@dataclass(frozen=True)
class MemberRow:
    user: User
    role: str
    role_label: str
    has_mfa: bool


def members_with_mfa(*, principal: Principal, organisation: Organisation) -> list[MemberRow]:
    """The members of ``organisation`` (if the principal may read them) and their MFA state."""
    memberships = list(memberships_of(principal=principal, organisation=organisation))
    with_mfa = users_with_mfa(m.user_id for m in memberships)
    return [
        MemberRow(
            user=m.user,
            role=m.role,
            role_label=str(Role(m.role).label) if m.role in Role.values else m.role,
            has_mfa=m.user_id in with_mfa,
        )
        for m in memberships
    ]


def members_readable(*, principal: Principal, organisation: Organisation) -> bool:
    """Whether the principal may read the member records of ``organisation``."""
    return (
        organisations_readable(principal=principal, kind=DataKind.MEMBERS)
        .filter(pk=organisation.pk)
        .exists()
    )


def api_tokens_expiring(
    *, principal: Principal, organisation: Organisation, within: timedelta
) -> QuerySet[ApiToken]:
    """Live API tokens of ``organisation`` that expire within ``within``, soonest first."""
    readable = organisations_readable(principal=principal, kind=DataKind.MEMBERS)
    now = timezone.now()
    return (
        ApiToken.objects.filter(
            organisation=organisation,
            organisation__in=readable,
            revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + within,
        )
        .select_related("user")
        .order_by("expires_at")
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
    memberships = Membership.objects.filter(organisation__in=countable)
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
