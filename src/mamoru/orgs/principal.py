"""Who acts: a person (or their API token) acting in one organisation — or the system.

Every service takes the acting ``principal`` and checks what it needs with ``require``;
views, API views, commands and tasks never decide permissions themselves. Work that no
person signed in for (a command an operator runs on the server, a task, a loader, the
demo) acts as ``System("what it is")``: it passes the checks, and the audit log records
it with no person and the purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mamoru.audit.models import AuditEvent, Outcome
from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.orgs.policy import Supervisor

if TYPE_CHECKING:
    from mamoru.accounts.models import ApiToken, User
    from mamoru.orgs.models import Organisation
    from mamoru.orgs.selectors.gate import ActingContext


@dataclass(frozen=True)
class Principal:
    user: User
    organisation: Organisation
    role: str
    permissions: frozenset[Permission]
    supervisor: Supervisor | None = None
    via_grant: bool = False
    token: ApiToken | None = None

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def via(self) -> str:
        """``api`` (a token), ``grant`` (a delegation) or ``membership``."""
        if self.token is not None:
            return "api"
        return "grant" if self.via_grant else "membership"


@dataclass(frozen=True)
class System:
    """Work no person signed in for; ``purpose`` says what it is (``"mamoru membership add"``)."""

    purpose: str


Actor = Principal | System


class PrincipalRequest(HttpRequest):
    """A request after ``ActingOrganisationMiddleware``: typed, so views need no ignores."""

    principal: Principal | None
    acting_contexts: list[ActingContext]


def require(
    principal: Actor,
    permission: Permission,
    *,
    organisation: Organisation | None = None,
    message: str = "",
) -> None:
    """Refuse (``PermissionDenied``, in Japanese) unless the principal holds ``permission``
    acting in ``organisation`` (default: wherever it acts). The system may do anything."""
    if isinstance(principal, System):
        return
    if organisation is not None and organisation.pk != principal.organisation.pk:
        raise PermissionDenied(message or _("この団体の操作をする権限がありません。"))
    if not principal.can(permission):
        raise PermissionDenied(message or _("この操作をする権限がありません。"))


def audit(
    principal: Actor,
    action: str,
    *,
    organisation: Organisation | None = None,
    target: str = "",
    outcome: str = Outcome.SUCCESS,
    details: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Record what ``principal`` did. The entry names the person, how they acted (membership,
    grant, token) and, for the system, the purpose; ``organisation`` defaults to the one the
    principal acts in, so a refusal lands in the actor's own log, never the target's."""
    extra: dict[str, object] = dict(details or {})
    if isinstance(principal, System):
        extra["system"] = principal.purpose
        return audit_record(
            action=action,
            organisation=organisation,
            target=target,
            outcome=outcome,
            details=extra,
        )
    extra.setdefault("via", principal.via)
    return audit_record(
        action=action,
        actor=principal.user,
        organisation=organisation or principal.organisation,
        target=target,
        outcome=outcome,
        details=extra,
    )


def principal_of(request: HttpRequest) -> Principal:
    """The principal of a page or API request (set by ``ActingOrganisationMiddleware`` or by
    token authentication); ``PermissionDenied`` for a person who acts nowhere."""
    principal: Principal | None = getattr(request, "principal", None)
    if principal is None:
        raise PermissionDenied(_("この利用者はどの団体にも所属していません。"))
    return principal
