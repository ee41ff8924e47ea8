"""Inviting people into an organisation by e-mail, and their accepting.

An organisation's administrators invite (``members.manage``). A prefecture's administrators
may also appoint the first administrator of one of its municipalities that has none — a
municipality without an administrator cannot add anyone, so someone must start it; the
appointment is audited as such (``orgs.admin.appoint``) and the municipality sees it.

The link's secret is shown only in the e-mail; the database keeps its SHA-256 digest. A link
works once (claimed with a conditional UPDATE), until it expires, unless revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.accounts.models import User
from mamoru.accounts.services import user_create
from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.orgs.models import Invitation, Membership, Organisation
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Actor, Principal, System, audit, require
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors.gate import municipalities_of
from mamoru.orgs.selectors.people import has_administrator

INVITATION_DAYS = 7


def invitation_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _appoints_first_admin(principal: Principal, organisation: Organisation, role: str) -> bool:
    """A prefecture's administrator starting a municipality of its own that has no admin."""
    return (
        principal.supervisor == Supervisor.PREFECTURE
        and principal.can(Permission.MEMBERS_MANAGE)
        and role == Role.ADMIN
        and municipalities_of(principal=principal).filter(pk=organisation.pk).exists()
        and not has_administrator(organisation=organisation)
    )


def _invite_action(principal: Actor, organisation: Organisation, role: str) -> str:
    if isinstance(principal, System) or principal.organisation.pk == organisation.pk:
        require(principal, Permission.MEMBERS_MANAGE, organisation=organisation)
        return "orgs.invitation.create"
    if _appoints_first_admin(principal, organisation, role):
        return "orgs.admin.appoint"
    raise PermissionDenied(_("この団体に職員を招待する権限がありません。"))


def _send(invitation: Invitation, secret: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("orgs:invitation_accept", args=[secret])
    body = _(
        "%(organisation)sの%(role)sとして mamoru に招待されました。\n\n"
        "次のリンクを開いて、招待を受けてください（%(days)d日間、1回だけ使えます）。\n%(link)s\n\n"
        "心当たりがない場合は、このメールを破棄してください。"
    ) % {
        "organisation": invitation.organisation.name,
        "role": Role(invitation.role).label,
        "days": INVITATION_DAYS,
        "link": link,
    }
    send_mail(_("【mamoru】団体への招待"), body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *, principal: Actor, organisation: Organisation, email: str, role: str, display_name: str = ""
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation`` as ``role``; returns the invitation and the link's
    secret (shown to nobody but the e-mail, sent after the commit)."""
    action = _invite_action(principal, organisation, role)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": [_("メールアドレスの形式が正しくありません。")]}) from exc
    if role not in Role.values:
        raise ValidationError({"role": [_("役割を選んでください。")]})
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        display_name=display_name.strip()[:150],
        role=role,
        digest=invitation_digest(secret),
        invited_by=getattr(principal, "user", None),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit(
        principal,
        action,
        organisation=organisation,
        target=f"invitation:{invitation.pk}",
        details={"email": email, "role": role},
    )
    transaction.on_commit(lambda: _send(invitation, secret))
    return invitation, secret


@transaction.atomic
def invitation_revoke(*, principal: Actor, invitation: Invitation) -> Invitation:
    require(principal, Permission.MEMBERS_MANAGE, organisation=invitation.organisation)
    if invitation.is_open():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(
            principal,
            "orgs.invitation.revoke",
            organisation=invitation.organisation,
            target=f"invitation:{invitation.pk}",
        )
    return invitation


def invitation_by_secret(*, secret: str) -> Invitation:
    """The invitation a link names (open or not); ``Invitation.DoesNotExist`` otherwise."""
    return (
        Invitation.objects.unscoped("the link's secret names the invitation")
        .select_related("organisation", "invited_by")
        .get(digest=invitation_digest(secret))
    )


def _claim(invitation: Invitation) -> None:
    claimed = (
        Invitation.objects.unscoped("claiming the invitation its secret named")
        .filter(
            pk=invitation.pk,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .update(accepted_at=timezone.now())
    )
    if not claimed:
        raise ValidationError(
            _(
                "この招待は使えません（期限切れ、取り消し済み、又は使用済み）。招待した人に連絡してください。"
            )
        )


@transaction.atomic
def invitation_accept(
    *,
    secret: str,
    user: User | None = None,
    username: str = "",
    password: str | None = None,
    display_name: str = "",
) -> Membership:
    """Accept an invitation: as the signed-in ``user``, or as a new person created with
    ``username`` and ``password``. Raises ``ValidationError`` (Japanese) when the link
    cannot be used or the new account is refused."""
    invitation = invitation_by_secret(secret=secret)
    _claim(invitation)
    if user is None:
        user = user_create(
            username=username.strip(),
            email=invitation.email,
            password=password,
            display_name=display_name.strip() or invitation.display_name,
        )
    membership, _created = Membership.objects.unscoped(
        "the invitation, claimed above, is the authority"
    ).update_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    Invitation.objects.unscoped("recording who accepted").filter(pk=invitation.pk).update(
        accepted_by=user
    )
    audit_record(
        action="orgs.invitation.accept",
        actor=user,
        organisation=invitation.organisation,
        target=f"invitation:{invitation.pk}",
        details={"username": user.get_username(), "role": invitation.role},
    )
    return membership
