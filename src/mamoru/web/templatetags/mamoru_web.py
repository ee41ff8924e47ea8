"""Template helpers of the layout and the shared components (``{% load mamoru_web %}``)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.roles import Role

register = template.Library()

# Population bands of ``mamoru.orgs.models.POPULATION_BANDS``, as people say them.
POPULATION_BAND_LABELS = {
    "under-5k": _("5千人未満"),
    "5k-10k": _("5千人以上1万人未満"),
    "10k-50k": _("1万人以上5万人未満"),
    "50k-100k": _("5万人以上10万人未満"),
    "100k-300k": _("10万人以上30万人未満"),
    "300k-plus": _("30万人以上"),
}


@register.filter
def number(value: int | str | None) -> str:
    """An integer with thousands separators; a dash when unknown."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}"


@register.filter
def population_band_label(band: str | None) -> str:
    return str(POPULATION_BAND_LABELS.get(band or "", "—"))


@register.filter
def kind_label(kind: str) -> str:
    return str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind


@register.filter
def role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role
