"""Writes to the organisations themselves: the official list of local governments and the
national bodies. Only the system loads them (``mamoru load-organisations``, the task)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from mamoru.orgs.loader import LocalGovernmentRow
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.national import NATIONAL_BODIES, NATIONAL_OPERATOR
from mamoru.orgs.principal import Actor, System, audit

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


def organisations_import(*, principal: Actor, rows: list[LocalGovernmentRow]) -> ImportSummary:
    """Create or update the national bodies and the local governments; idempotent.

    ``rows`` come validated from ``mamoru.orgs.loader``; the whole import is one
    transaction, so a failure part-way changes nothing. Only the system may import: the
    list is the same for everyone, so no organisation's member may change it.
    """
    if not isinstance(principal, System):
        raise PermissionDenied(_("団体の一覧はサーバーの管理者だけが取り込めます。"))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {
            o.code: o
            for o in Organisation.objects.unscoped("the loader updates every organisation")
        }
        for body in NATIONAL_BODIES:
            values: dict[str, object] = {
                "name": body.name,
                "name_en": body.name_en,
                "reading": body.reading,
                "kind": OrganisationKind.NATIONAL,
                "receives_reports": True,
            }
            _org, outcome = _upsert(existing, body.code, values)
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
        audit(principal, "orgs.organisations.import", details=dict(counts))
    return ImportSummary(**counts)
