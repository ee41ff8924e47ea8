"""Reading who may approve an organisation's reports: its CISOs and deputies in office."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.core.access import Permission
from mamoru.incidents.models import ApprovalDeputy
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_acting, people_acting_in


def deputies_of(*, principal: Principal, current: bool = True) -> QuerySet[ApprovalDeputy]:
    """The deputy approvers of the principal's own organisation: those in office now, or
    (``current=False``) every one ever named, newest first."""
    deputies = ApprovalDeputy.objects.within(organisation_acting(principal=principal))
    if current:
        now = timezone.now()
        deputies = deputies.filter(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)
    return deputies.select_related("user", "named_by").order_by("-starts_at", "-pk")


def approvers_of(*, principal: Principal) -> list[User]:
    """Who can approve the principal's organisation's reports now: people acting there with
    ``reports.approve`` (its CISOs, delegates with that role) and its deputies in office."""
    organisation = principal.organisation
    people = {
        u.pk: u
        for u in people_acting_in(organisation=organisation, permission=Permission.REPORTS_APPROVE)
    }
    for deputy in deputies_of(principal=principal):
        people.setdefault(deputy.user.pk, deputy.user)
    return sorted(people.values(), key=lambda u: u.pk)
