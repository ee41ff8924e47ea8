"""Writes to memberships and grants: who works where, in which role.

Each service takes the acting principal and checks it: members are managed by the
organisation's own administrators (``members.manage``); the system (a command run on the
server, the demo) may too.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.accounts.models import User
from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.models import Grant, Membership, Organisation
from mamoru.orgs.principal import Actor, System, audit, require
from mamoru.orgs.roles import Role
from mamoru.orgs.services.tokens import api_tokens_revoke_for_membership


def membership_add(
    *, principal: Actor, user: User, organisation: Organisation, role: str
) -> Membership:
    """Give ``user`` a role in ``organisation`` (or change the role they have)."""
    require(principal, Permission.MEMBERS_MANAGE, organisation=organisation)
    Role(role)  # raises ValueError for an unknown role
    with transaction.atomic():
        membership, created = Membership.objects.unscoped(
            "membership service: the principal was checked"
        ).update_or_create(user=user, organisation=organisation, defaults={"role": role})
        audit(
            principal,
            "orgs.membership.add" if created else "orgs.membership.change",
            organisation=organisation,
            target=f"user:{user.pk}",
            details={"username": user.get_username(), "role": role},
        )
    return membership


def _keep_an_administrator(
    principal: Actor, membership: Membership, *, new_role: str | None
) -> None:
    """Refuse to leave an organisation without an administrator: nobody could then add
    people or change roles there. (An operator at the server may; the prefecture then
    appoints a first administrator.)"""
    if isinstance(principal, System) or membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    others = (
        Membership.objects.unscoped("counting an organisation's administrators")
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN, user__is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        # The organisation's state refuses it (409), not the request's content.
        raise StateConflict(_("最後の管理者です。先に別の職員を管理者にしてから変更してください。"))


def membership_role_change(*, principal: Actor, membership: Membership, role: str) -> Membership:
    """Change a member's role (never the organisation's last administrator away)."""
    require(principal, Permission.MEMBERS_MANAGE, organisation=membership.organisation)
    if role not in Role.values:
        raise ValidationError({"role": [_("役割を選んでください。")]})
    with transaction.atomic():
        _keep_an_administrator(principal, membership, new_role=role)
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit(
            principal,
            "orgs.membership.change",
            organisation=membership.organisation,
            target=f"user:{membership.user_id}",
            details={"username": membership.user.get_username(), "from": before, "role": role},
        )
    return membership


def membership_remove(*, principal: Actor, membership: Membership) -> None:
    """End a membership. The person's API tokens for that organisation are revoked for good:
    adding them again later does not revive a token issued before."""
    require(principal, Permission.MEMBERS_MANAGE, organisation=membership.organisation)
    with transaction.atomic():
        _keep_an_administrator(principal, membership, new_role=None)
        revoked = api_tokens_revoke_for_membership(principal=principal, membership=membership)
        audit(
            principal,
            "orgs.membership.remove",
            organisation=membership.organisation,
            target=f"user:{membership.user_id}",
            details={
                "username": membership.user.get_username(),
                "role": membership.role,
                "tokens_revoked": revoked,
            },
        )
        membership.delete()


def grant_create(
    *,
    principal: Actor,
    grantee: User,
    organisation: Organisation,
    role: str,
    reason: str,
    expires_at: datetime,
    starts_at: datetime | None = None,
) -> Grant:
    """Delegate: ``grantee`` may act in ``organisation`` with ``role`` until ``expires_at``."""
    require(principal, Permission.MEMBERS_MANAGE, organisation=organisation)
    Role(role)
    start = starts_at or timezone.now()
    if expires_at <= start:
        raise ValueError(_("委任の期限は開始より後にしてください"))
    with transaction.atomic():
        grant = Grant.objects.create(
            grantee=grantee,
            organisation=organisation,
            role=role,
            reason=reason,
            granted_by=getattr(principal, "user", None),
            starts_at=start,
            expires_at=expires_at,
        )
        audit(
            principal,
            "orgs.grant.create",
            organisation=organisation,
            target=f"user:{grantee.pk}",
            details={"role": role, "expires_at": expires_at.isoformat(), "reason": reason},
        )
    return grant


def grant_revoke(*, principal: Actor, grant: Grant) -> Grant:
    require(principal, Permission.MEMBERS_MANAGE, organisation=grant.organisation)
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit(
            principal,
            "orgs.grant.revoke",
            organisation=grant.organisation,
            target=f"grant:{grant.pk}",
        )
    return grant
