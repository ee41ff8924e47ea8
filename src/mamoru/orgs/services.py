"""Writes to organisations, memberships and grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from mamoru.audit.services import audit_record
from mamoru.orgs.loader import LocalGovernmentRow
from mamoru.orgs.models import Grant, Membership, Organisation, OrganisationKind
from mamoru.orgs.national import NATIONAL_BODIES, NATIONAL_OPERATOR
from mamoru.orgs.roles import Role

if TYPE_CHECKING:
    from mamoru.accounts.models import User

_FIELDS = (
    "name",
    "name_en",
    "reading",
    "kind",
    "parent_id",
    "prefecture_code",
    "population",
    "receives_reports",
)


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


def _upsert(
    existing: dict[str, Organisation], code: str, values: dict[str, object]
) -> tuple[Organisation, str]:
    org = existing.get(code)
    if org is None:
        org = Organisation.objects.create(code=code, **values)
        existing[code] = org
        return org, "created"
    changed = [f for f in _FIELDS if f in values and getattr(org, f) != values[f]]
    if not changed:
        return org, "unchanged"
    for f in changed:
        setattr(org, f, values[f])
    org.save(update_fields=changed)
    return org, "updated"


def organisations_import(
    *, rows: list[LocalGovernmentRow], actor: User | None = None
) -> ImportSummary:
    """Create or update the national bodies and the local governments; idempotent.

    ``rows`` come validated from ``mamoru.orgs.loader``; the whole import is one
    transaction, so a failure part-way changes nothing.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {o.code: o for o in Organisation.objects.all()}
        for body in NATIONAL_BODIES:
            values: dict[str, object] = {
                "name": body.name,
                "name_en": body.name_en,
                "reading": body.reading,
                "kind": OrganisationKind.NATIONAL,
                "receives_reports": True,
            }
            _, outcome = _upsert(existing, body.code, values)
            counts[outcome] += 1
        nation = existing[NATIONAL_OPERATOR.code]
        # Prefectures first, so that every municipality finds its parent.
        ordered = sorted(rows, key=lambda r: r.kind != OrganisationKind.PREFECTURE)
        prefectures: dict[str, Organisation] = {}
        for row in ordered:
            is_pref = row.kind == OrganisationKind.PREFECTURE
            values = {
                "name": row.name,
                "reading": row.reading,
                "kind": row.kind,
                "parent_id": nation.pk if is_pref else prefectures[row.prefecture_code].pk,
                "prefecture_code": row.prefecture_code,
                "population": row.population,
                "receives_reports": is_pref,
            }
            org, outcome = _upsert(existing, row.code, values)
            if is_pref:
                prefectures[row.prefecture_code] = org
            counts[outcome] += 1
        audit_record(action="organisations.import", actor=actor, details=dict(counts))
    return ImportSummary(**counts)


def membership_add(
    *, user: User, organisation: Organisation, role: str, actor: User | None = None
) -> Membership:
    """Give ``user`` a role in ``organisation`` (or change the role they have)."""
    Role(role)  # raises ValueError for an unknown role
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        audit_record(
            action="membership.add" if created else "membership.change",
            actor=actor,
            organisation=organisation,
            target=f"user:{user.pk}",
            details={"username": user.get_username(), "role": role},
        )
    return membership


def membership_remove(*, membership: Membership, actor: User | None = None) -> None:
    with transaction.atomic():
        audit_record(
            action="membership.remove",
            actor=actor,
            organisation=membership.organisation,
            target=f"user:{membership.user_id}",
            details={"username": membership.user.get_username(), "role": membership.role},
        )
        membership.delete()


def grant_create(
    *,
    grantee: User,
    organisation: Organisation,
    role: str,
    reason: str,
    expires_at: datetime,
    actor: User | None = None,
    starts_at: datetime | None = None,
) -> Grant:
    """Delegate: ``grantee`` may act in ``organisation`` with ``role`` until ``expires_at``."""
    Role(role)
    start = starts_at or timezone.now()
    if expires_at <= start:
        raise ValueError("委任の期限は開始より後にしてください")
    with transaction.atomic():
        grant = Grant.objects.create(
            grantee=grantee,
            organisation=organisation,
            role=role,
            reason=reason,
            granted_by=actor,
            starts_at=start,
            expires_at=expires_at,
        )
        audit_record(
            action="grant.create",
            actor=actor,
            organisation=organisation,
            target=f"user:{grantee.pk}",
            details={"role": role, "expires_at": expires_at.isoformat(), "reason": reason},
        )
    return grant


def grant_revoke(*, grant: Grant, actor: User | None = None) -> Grant:
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(
            action="grant.revoke",
            actor=actor,
            organisation=grant.organisation,
            target=f"grant:{grant.pk}",
        )
    return grant
