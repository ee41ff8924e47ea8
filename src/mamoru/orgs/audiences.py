"""Who a menu entry, a home panel or an attention item is for: predicates of the acting
principal (``None`` when nobody acts in an organisation), shared by every app's
``ui/shell.py``. They decide what is shown, never what is allowed: the services check
that, whatever a page shows."""

from __future__ import annotations

from mamoru.core.access import Permission
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Principal


def reads(principal: Principal | None) -> bool:
    """Acts in an organisation and may read its data."""
    return principal is not None and principal.can(Permission.DATA_VIEW)


def local_government(principal: Principal | None) -> bool:
    """Reads, in a local government (a prefecture or a municipality)."""
    return reads(principal) and principal.organisation.is_local_government  # type: ignore[union-attr]


def local_or_supervisor(principal: Principal | None) -> bool:
    """Reads, in a local government or in the nation's supervising body."""
    return reads(principal) and (
        principal.organisation.is_local_government  # type: ignore[union-attr]
        or principal.supervisor is not None  # type: ignore[union-attr]
    )


def prefecture(principal: Principal | None) -> bool:
    """Acts for a prefecture over its municipalities."""
    return principal is not None and principal.supervisor == Supervisor.PREFECTURE


def nation(principal: Principal | None) -> bool:
    """Acts for the nation over every local government."""
    return principal is not None and principal.supervisor == Supervisor.NATION
