"""Roles inside an organisation and the permissions each one carries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamoru.core.access import Permission


class Role(models.TextChoices):
    ADMIN = "admin", _("管理者")
    CISO = "ciso", _("CISO・CSIRT")
    EDITOR = "editor", _("担当者")
    VIEWER = "viewer", _("閲覧者")


_VIEWER = frozenset({Permission.ORG_VIEW, Permission.MEMBERS_VIEW, Permission.DATA_VIEW})
_EDITOR = _VIEWER | {Permission.DATA_EDIT}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER,
    Role.EDITOR: _EDITOR,
    Role.CISO: _EDITOR | {Permission.REPORTS_APPROVE, Permission.AUDIT_VIEW},
    Role.ADMIN: _EDITOR | {Permission.MEMBERS_MANAGE, Permission.AUDIT_VIEW},
}


def permissions_for(role: str) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(role, frozenset())
