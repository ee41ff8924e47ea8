"""The vocabulary of access that every layer speaks: permissions, and what a lower layer
may know of whoever is acting.

The principal itself (a person or their API token acting in one organisation) and the
access gate live in ``mamoru.orgs``; apps below it (``audit``) and the shared plumbing
(``core.pages``, ``api``) see the principal only through the ``Acting`` protocol, so
they never import the apps above them.
"""

from __future__ import annotations

import enum
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _


class Permission(enum.StrEnum):
    """What a role allows inside its own organisation (``mamoru.orgs.roles`` maps roles to
    these; ``mamoru.orgs.policy`` decides what supervisors may read of others)."""

    ORG_VIEW = "org.view"  # the organisation's profile and the records it owns
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"  # invite and remove people, change roles, grant delegations
    DATA_VIEW = "data.view"  # read the organisation's records (assets, findings, reports, answers)
    DATA_EDIT = "data.edit"  # create and change them
    REPORTS_APPROVE = "reports.approve"  # approve incident reports and survey answers
    AUDIT_VIEW = "audit.view"


PERMISSION_LABELS = {
    Permission.ORG_VIEW: _("団体情報の閲覧"),
    Permission.MEMBERS_VIEW: _("所属者の閲覧"),
    Permission.MEMBERS_MANAGE: _("所属者の管理"),
    Permission.DATA_VIEW: _("データの閲覧"),
    Permission.DATA_EDIT: _("データの作成・変更"),
    Permission.REPORTS_APPROVE: _("報告・回答の承認"),
    Permission.AUDIT_VIEW: _("監査ログの閲覧"),
}


class PersonRef(Protocol):
    """A signed-in person, as the audit log records them."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...


class OrganisationRef(Protocol):
    """An organisation, as the audit log records it."""

    @property
    def pk(self) -> Any: ...

    @property
    def code(self) -> str: ...


class Acting(Protocol):
    """Whoever acts: ``mamoru.orgs.principal.Principal`` is the one implementation."""

    @property
    def user(self) -> PersonRef: ...

    @property
    def organisation(self) -> OrganisationRef: ...

    @property
    def via(self) -> str:
        """How the principal acts: ``membership``, ``grant`` or ``api`` (a token)."""
        ...

    def can(self, permission: Permission) -> bool: ...
