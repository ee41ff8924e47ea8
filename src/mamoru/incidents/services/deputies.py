"""Deputy approvers: who approves and submits the organisation's reports while its CISO is
away. A report that waits for an absent approver misses deadlines counted in hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.accounts.models import User
from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.core.exceptions import Unprocessable
from mamoru.incidents.models import ApprovalDeputy, NotificationKind
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import people_acting_in

# A deputy is for an absence, not a standing second approver: name one again if needed.
LONGEST = timedelta(days=90)
REASON_MAX_LENGTH = 200


def active_deputies(
    organisation: Organisation, *, now: datetime | None = None
) -> QuerySet[ApprovalDeputy]:
    """The deputies of ``organisation`` in office now (callers checked their principal)."""
    now = now or timezone.now()
    return (
        ApprovalDeputy.objects.unscoped("the caller checked the principal for this organisation")
        .filter(organisation=organisation, starts_at__lte=now, ends_at__gt=now)
        .filter(revoked_at__isnull=True)
        .select_related("user", "named_by")
    )


def acts_as_deputy(principal: Principal) -> bool:
    """Whether the principal is a deputy approver of its organisation now (and may edit)."""
    return (
        principal.can(Permission.DATA_EDIT)
        and active_deputies(principal.organisation).filter(user=principal.user).exists()
    )


def may_approve(principal: Principal) -> bool:
    """The CISO (``reports.approve``) or a deputy in office."""
    return principal.can(Permission.REPORTS_APPROVE) or acts_as_deputy(principal)


def may_name_deputies(principal: Principal) -> bool:
    """Whether the principal may name and revoke deputy approvers (the CISO or an
    administrator)."""
    return principal.can(Permission.REPORTS_APPROVE) or principal.can(Permission.MEMBERS_MANAGE)


@transaction.atomic
def deputy_name(
    *, principal: Principal, user: User, ends_at: datetime, reason: str
) -> ApprovalDeputy:
    """Name ``user`` (someone who acts in the organisation and may edit reports) deputy
    approver until ``ends_at`` (at most 90 days). The CISO or an administrator names them;
    audited, and the deputy is told."""
    if not may_name_deputies(principal):
        raise PermissionDenied(_("承認の代理者を指名できるのはCISO又は管理者だけです。"))
    organisation = principal.organisation
    editors = people_acting_in(organisation=organisation, permission=Permission.DATA_EDIT)
    errors: dict[str, list[Any]] = {}
    if user.pk not in {u.pk for u in editors}:
        errors["user"] = [_("この団体で報告を編集できる人を選んでください。")]
    now = timezone.now()
    if ends_at <= now:
        errors["ends_at"] = [_("終了日時は今より後にしてください。")]
    elif ends_at - now > LONGEST:
        errors["ends_at"] = [_("代理の期間は90日以内にしてください。")]
    text = reason.strip()
    if not text:
        errors["reason"] = [_("理由を入力してください（例: CISOの出張のため）。")]
    elif len(text) > REASON_MAX_LENGTH:
        errors["reason"] = [_("理由は200文字以内で入力してください。")]
    if errors:
        raise Unprocessable(errors)
    deputy = ApprovalDeputy.objects.create(
        organisation=organisation,
        user=user,
        reason=text,
        named_by=principal.user,
        starts_at=now,
        ends_at=ends_at,
    )
    audit_record(
        action="incidents.deputy.name",
        actor=principal.user,
        organisation=organisation,
        target=user.get_username(),
        details={"until": ends_at.isoformat(), "deputy": deputy.pk},
    )
    from mamoru.incidents.services.notifications import notify_people

    notify_people(
        organisation=organisation,
        users=[user],
        kind=NotificationKind.DEPUTY,
        text=str(_("インシデント報告の承認の代理者に指名されました（%(until)s まで）。"))
        % {"until": timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M")},
        email=True,
    )
    return deputy


@transaction.atomic
def deputy_revoke(*, principal: Principal, deputy: ApprovalDeputy) -> ApprovalDeputy:
    """End a deputy's office now (the CISO, an administrator, or the deputy themselves)."""
    if deputy.organisation_id != principal.organisation.pk or not (
        may_name_deputies(principal) or deputy.user_id == principal.user.pk
    ):
        raise PermissionDenied(_("この代理の指名を取り消す権限がありません。"))
    updated = (
        ApprovalDeputy.objects.unscoped("the principal was checked against this deputy")
        .filter(pk=deputy.pk, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )
    deputy.refresh_from_db()
    if updated:
        audit_record(
            action="incidents.deputy.revoke",
            actor=principal.user,
            organisation=principal.organisation,
            target=deputy.user.get_username(),
            details={"deputy": deputy.pk},
        )
    return deputy
