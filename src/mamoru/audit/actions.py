"""The names of audited actions and what people read for them.

Each app declares its actions on its ``AppConfig`` as ``audit_actions = {"<app>.<entity>.<verb>":
gettext_lazy("…")}``; one name means one thing everywhere (a page and the API reading members
both record ``orgs.members.read``). ``core/tests/test_audit_actions.py`` fails when code records
an action no app declared. Old rows keep the names they were written with; the page shows a
name without a label as it is.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise


def declared() -> dict[str, str | Promise]:
    """Every declared action and its label, from all installed apps."""
    found: dict[str, str | Promise] = {}
    for config in apps.get_app_configs():
        found.update(getattr(config, "audit_actions", {}))
    return found


def label(action: str) -> str:
    """The plain-language label of ``action`` (the name itself when none is declared)."""
    return str(declared().get(action, action))
