"""The acting principal: a person (or their API token) acting in one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mamoru.orgs.policy import Supervisor
from mamoru.orgs.roles import Permission

if TYPE_CHECKING:
    from mamoru.accounts.models import ApiToken, User
    from mamoru.orgs.models import Organisation


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
