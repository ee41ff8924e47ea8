"""Roles inside an organisation and the permissions each one carries.

Which permission a write needs, everywhere (services check it with ``orgs.principal.require``):

=====================================================  ==================
write                                                  permission
=====================================================  ==================
create or change the organisation's records (reports,  ``data.edit``
assets, answers), and act for it as a recipient
(acknowledge a report, write in a report's thread)
approve and submit an incident report or a survey      ``reports.approve``
invite, remove, change roles, delegate                 ``members.manage``
mark one's own notification read                       ``data.view``
=====================================================  ==================

A token carries a subset of its owner's permissions: a read-only token (``data.view``)
writes nothing.
"""

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
