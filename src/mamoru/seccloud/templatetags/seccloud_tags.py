"""Template filters of the security-cloud pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def count(value: int | str | None) -> str:
    """A count with thousands separators (1,234,567); a dash when unknown."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}"
