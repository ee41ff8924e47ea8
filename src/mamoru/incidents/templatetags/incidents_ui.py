"""Template helpers of the incident pages (``{% load incidents_ui %}``)."""

from __future__ import annotations

from datetime import datetime

from django import template

from mamoru.incidents.ui import labels

register = template.Library()


@register.filter
def when(moment: datetime | str | None) -> str:
    """The pages' one calendar style (``labels.when``)."""
    return labels.when(moment)


@register.filter
def body(organisation: object) -> str:
    """A recipient organisation's name in the page's language."""
    name = getattr(organisation, "name", None) or str(organisation)
    return labels.body_name(str(getattr(organisation, "code", "")), str(name))


@register.filter
def phase_label(phase: str) -> str:
    return labels.label(labels.PHASES, phase)


@register.filter
def category_label(category: str) -> str:
    return labels.label(labels.CATEGORIES, category)


@register.filter
def severity_label(severity: str) -> str:
    return labels.label(labels.SEVERITIES, severity)
