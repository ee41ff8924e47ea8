"""Who may change an organisation's attack-surface records.

* The organisation's own people with ``data.edit`` change everything of theirs.
* A national operator (the nation runs the national diagnosis, PRODUCT.md §B) may add
  assets and request scans on an organisation's behalf; only the organisation itself
  approves what is scanned and decides about its findings.
* The system (tasks, commands, the demo) may do anything, and says why in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mamoru.accounts.models import User
from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import DataKind, Supervisor
from mamoru.orgs.principal import Actor, System, require
from mamoru.orgs.selectors import organisations_readable


def require_own(principal: Actor, organisation: Organisation) -> None:
    """The organisation's own editors (or the system)."""
    require(
        principal,
        Permission.DATA_EDIT,
        organisation=organisation,
        message=_("この操作は、その団体の担当者だけができます。"),
    )


def acts_for_nation(principal: Actor, organisation: Organisation) -> bool:
    """Whether ``principal`` is a national operator who may act for ``organisation``."""
    if isinstance(principal, System) or principal.supervisor != Supervisor.NATION:
        return False
    return (
        principal.can(Permission.DATA_EDIT)
        and organisations_readable(principal=principal, kind=DataKind.ASSETS)
        .filter(pk=organisation.pk)
        .exists()
    )


def require_own_or_nation(principal: Actor, organisation: Organisation) -> None:
    """The organisation's own editors, or a national operator on its behalf."""
    if isinstance(principal, System) or principal.organisation.pk == organisation.pk:
        require_own(principal, organisation)
        return
    if not acts_for_nation(principal, organisation):
        raise PermissionDenied(_("この団体の資産を操作する権限がありません。"))


@dataclass(frozen=True)
class Who:
    """The person and the organisation they act for (both None for the system)."""

    user: User | None
    organisation: Organisation | None


def actor_fields(principal: Actor) -> Who:
    """Who acts, for the records' "who" columns."""
    if isinstance(principal, System):
        return Who(None, None)
    return Who(principal.user, principal.organisation)
