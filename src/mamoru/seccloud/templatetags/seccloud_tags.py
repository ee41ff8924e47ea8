"""Template filters of the security-cloud pages."""

from __future__ import annotations

from django import template

from mamoru.seccloud.engine.schema import SEVERITY_NAMES
from mamoru.seccloud.models import severity_label

register = template.Library()


@register.filter
def count(value: int | str | None) -> str:
    """A count with thousands separators (1,234,567); a dash when unknown."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}"


@register.filter
def severity_name(value: int) -> str:
    """An OCSF severity_id (0–6) as the pages name it (緊急, 高, …)."""
    word = SEVERITY_NAMES.get(int(value))
    return severity_label(word) if word else str(value)
