"""The incident contact of an organisation in the directory: whom to call when an incident
happens (a prefecture's CSIRT or support desk, a recipient body's reporting desk)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Actor, System, audit

# Digits, spaces, hyphens, brackets and a leading + (e.g. 03-1234-5678, +81 3 1234 5678).
_PHONE = re.compile(r"^\+?[0-9０-９][0-9０-９ ()（）\-－]{5,38}$")


def _may_edit(principal: Actor, organisation: Organisation) -> bool:
    """The organisation's own administrators; for a national body (which may have nobody on
    the platform, e.g. the police) also the national operator's administrators."""
    if isinstance(principal, System):
        return True
    if not principal.can(Permission.MEMBERS_MANAGE):
        return False
    if principal.organisation.pk == organisation.pk:
        return True
    return (
        principal.supervisor == Supervisor.NATION and organisation.kind == OrganisationKind.NATIONAL
    )


def _cleaned(desk: str, phone: str, email: str, hours: str) -> dict[str, str]:
    values = {
        "incident_contact_desk": desk.strip(),
        "incident_contact_phone": phone.strip(),
        "incident_contact_email": email.strip(),
        "incident_contact_hours": hours.strip(),
    }
    errors: dict[str, list[str]] = {}
    if values["incident_contact_phone"] and not _PHONE.match(values["incident_contact_phone"]):
        errors["phone"] = [_("電話番号は 03-1234-5678 のように数字とハイフンで入力してください。")]
    if values["incident_contact_email"]:
        try:
            validate_email(values["incident_contact_email"])
        except ValidationError:
            errors["email"] = [_("メールアドレスの形式が正しくありません。")]
    limits = {"desk": 100, "hours": 200}
    for name, limit in limits.items():
        if len(values[f"incident_contact_{name}"]) > limit:
            errors[name] = [_("%(limit)d文字以内で入力してください。") % {"limit": limit}]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def organisation_contact_update(
    *,
    principal: Actor,
    organisation: Organisation,
    desk: str = "",
    phone: str = "",
    email: str = "",
    hours: str = "",
) -> Organisation:
    """Record whom to call about incidents at ``organisation`` (its desk, phone, e-mail and
    hours). Its own administrators, the national operator's administrators for a national
    body, or the system (``mamoru org contact``). Audited."""
    if not _may_edit(principal, organisation):
        raise PermissionDenied(_("この団体の連絡先を変更する権限がありません。"))
    values = _cleaned(desk, phone, email, hours)
    row = (
        Organisation.objects.unscoped("the service checked the principal above")
        .select_for_update()
        .get(pk=organisation.pk)
    )
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))
    audit(principal, "orgs.organisation.contact_update", target=row.code)
    return row
